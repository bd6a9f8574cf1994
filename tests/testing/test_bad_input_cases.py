"""Bad input to ``swmlc test`` (issue 14): a test file naming an agent, function, step, context
or fixture file that does not exist, an expectation of an unknown kind, a fixture with a bad
status. Each is an error at its file:line:col with a did-you-mean, exit 1, and no case of the
file counts as passed."""

from __future__ import annotations

import json

import pytest

WHOLE = "agent: shop\nfixtures: fixtures/crm.yaml\ncases:\n"


def _errors(swmlc) -> list[dict]:
    result = swmlc("test", "--format", "json")
    assert result.exit_code == 1, result.output
    run = json.loads(result.stdout)
    assert run["summary"].get("passed", 0) == 0
    return run["errors"] + [f for case in run["cases"] for f in case["failures"]]


@pytest.mark.parametrize(("text", "code", "at", "message", "help"), [
    pytest.param("agent: shpo\ncases:\n  - {name: x, function: lookup}\n",
                 "SWC703", "1:8", "no agent named 'shpo'", "did you mean 'shop'?",
                 id="agent"),
    pytest.param(WHOLE + "  - name: x\n    function: lokup\n",
                 "SWC704", "5:15", "agent 'shop' has no function 'lokup'",
                 "did you mean 'lookup'?", id="function"),
    pytest.param(WHOLE + "  - name: x\n    turns:\n      - function: lokup\n",
                 "SWC704", "6:19", "agent 'shop' has no function 'lokup'",
                 "did you mean 'lookup'?", id="function-in-a-conversation"),
    pytest.param(WHOLE + "  - name: x\n    turns:\n      - step: oder\n",
                 "SWC701", "6:15", "context 'default' has no step 'oder'",
                 "did you mean 'order'?", id="step"),
    pytest.param(WHOLE + "  - name: x\n    turns:\n      - step: oder\n"
                 "        expect: {refused: {contains: cannot}}\n",
                 "SWC701", "6:15", "context 'default' has no step 'oder'",
                 "did you mean 'order'?", id="step-even-when-a-refusal-is-expected"),
    pytest.param(WHOLE + "  - name: x\n    start: {context: default, step: gret}\n"
                 "    turns: [{expect: {step: greet}}]\n",
                 "SWC701", "5:37", "context 'default' has no step 'gret'",
                 "did you mean 'greet'?", id="start-step"),
    pytest.param(WHOLE + "  - name: x\n    turns:\n      - step: order\n"
                 "      - context: biling\n",
                 "SWC701", "7:18", "the agent has no context 'biling'",
                 "did you mean 'billing'?", id="context"),
    pytest.param("agent: shop\nfixtures: fixtures/crm.yml\ncases:\n  - {name: x, "
                 "function: lookup}\n", "SWC701", "2:11",
                 "file not found: tests/agents/fixtures/crm.yml", "did you mean 'crm.yaml'?",
                 id="fixture-file"),
    pytest.param(WHOLE + "  - name: x\n    function: lookup\n    expect: {respnse: Hi}\n",
                 "SWC701", "6:14", "unknown key 'respnse' in cases[0].expect",
                 "did you mean 'response'?", id="assertion-kind"),
    pytest.param("agent: shop\nfixtures:\n  - response: {status: 2000, json: {}}\ncases:\n"
                 "  - {name: x, function: lookup}\n", "SWC701", "3:24",
                 "must be at most 599, got 2000",
                 "did you mean 200? a status is a number from 100 to 599 (200, 404, 503...)",
                 id="inline-fixture-status"),
])
def test_each_bad_name_is_an_error_at_its_place_with_a_did_you_mean(
        shop, swmlc, text, code, at, message, help) -> None:
    shop(text)
    found = _errors(swmlc)
    assert [(f["code"], f["at"], f["message"], f.get("help")) for f in found] == \
        [(code, f"tests/agents/shop.test.yaml:{at}", message, help)]


def test_a_fixture_file_with_a_bad_status_is_an_error_in_that_file(shop, swmlc) -> None:
    root = shop(WHOLE + "  - {name: x, function: lookup, args: {name: Ann}}\n")
    (root / "tests/agents/fixtures/crm.yaml").write_text(
        "fixtures:\n  - request: {url: 'https://crm.test/*'}\n"
        "    response: {status: \"404\", json: {}}\n")
    found = _errors(swmlc)
    assert [(f["code"], f["at"], f["message"], f.get("help")) for f in found] == [
        ("SWC702", "tests/agents/fixtures/crm.yaml:3:24",
         'expected an integer, got a string ("404")',
         "did you mean 404? a status is a number from 100 to 599 (200, 404, 503...)")]
