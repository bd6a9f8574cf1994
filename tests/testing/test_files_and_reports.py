"""Test files that are not valid (each problem at its file:line:col, nothing run), fixture
files likewise, where test files are found, coverage and its gate, and the JSON report."""

from __future__ import annotations

import json

from tests.testing.conftest import PROJECT

HEAD = "agent: shop\nfixtures: fixtures/crm.yaml\ncases:\n"


def test_an_invalid_test_file_is_reported_and_nothing_runs(shop, swmlc) -> None:
    shop("agent: shop\ncases:\n  - name: x\n    fuction: lookup\n    expect: {respons: a}\n")
    result = swmlc("test")
    assert result.exit_code == 1
    assert "error[SWC701]: unknown key 'fuction' in cases[0]" in result.stderr
    assert "--> tests/agents/shop.test.yaml:4:5" in result.stderr
    assert "did you mean 'function'?" in result.stderr
    assert "unknown key 'respons'" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 passed in")


def test_turn_rules_and_paths_are_checked(shop, swmlc) -> None:
    shop("agent: shop\nfixtures: [../../../etc/passwd, nope.yaml]\nnow: tomorrow\ncases:\n"
         "  - name: x\n    turns:\n      - {step: order, function: lookup}\n")
    result = swmlc("test", "--format", "json")
    errors = [(e["code"], e["at"], e["message"]) for e in json.loads(result.stdout)["errors"]]
    assert errors == [
        ("SWC701", "tests/agents/shop.test.yaml:2:12",
         "'../../../etc/passwd' resolves outside the project root"),
        ("SWC701", "tests/agents/shop.test.yaml:2:33", "file not found: tests/agents/nope.yaml"),
        ("SWC701", "tests/agents/shop.test.yaml:3:6",
         "'tomorrow' is not a date-time with its offset"),
        ("SWC701", "tests/agents/shop.test.yaml:7:10",
         "a turn does one thing: function and step given"),
    ]


def test_a_bad_fixture_file_says_where(project, swmlc) -> None:
    project({**PROJECT, "tests/agents/fixtures/crm.yaml": """\
fixtures:
  - request: {method: GET}
    response: {json: {a: 1}, body: b}
  - request: {url_pattern: "a(", metod: GET}
    response: {}
""", "tests/agents/shop.test.yaml": HEAD + "  - {name: x, function: lookup}\n"})
    result = swmlc("test", "--format", "json")
    errors = [(e["at"], e["message"]) for e in json.loads(result.stdout)["errors"]]
    assert errors == [("tests/agents/fixtures/crm.yaml:4:34",
                       "unknown key 'metod' in fixtures[1].request")]
    project({"tests/agents/fixtures/crm.yaml": """\
fixtures:
  - request: {method: GET}
    response: {json: {a: 1}, body: b}
  - request: {url_pattern: "a("}
    response: {}
"""})
    errors = [(e["at"], e["message"]) for e in
              json.loads(swmlc("test", "--format", "json").stdout)["errors"]]
    assert errors == [
        ("tests/agents/fixtures/crm.yaml:2:14", "a request needs a url or a url_pattern"),
        ("tests/agents/fixtures/crm.yaml:3:15", "a response has one of json, body or error, "
                                                "got json, body"),
        ("tests/agents/fixtures/crm.yaml:4:28",
         "url_pattern does not compile: missing closing parenthesis at offset 2"),
    ]


def test_inline_fixtures_and_a_transport_error(shop, swmlc) -> None:
    shop("""\
agent: shop
cases:
  - name: the CRM is down
    fixtures:
      - request: {url_pattern: "https://crm\\\\.test/.*"}
        response: {error: timeout}
    function: lookup
    args: {name: Ann}
    expect: {via: output, requests: [{url: "https://crm.test/customers?name=Ann"}]}
""")
    assert swmlc("test").exit_code == 0


def test_the_tests_folder_comes_from_swmlc_yaml_and_paths_replace_it(project, swmlc) -> None:
    project({**PROJECT, "swmlc.yaml": "tests: checks\nswaig: {base_url: https://s.test}\n",
             "checks/deep/a.test.yaml": HEAD.replace("fixtures/crm.yaml",
                                                     "../../tests/agents/fixtures/crm.yaml")
             + "  - {name: in checks, function: lookup, args: {name: Ann}}\n",
             "other/b.test.yaml": "agent: shop\ncases: [{name: elsewhere, function: lookup}]\n"})
    assert swmlc("test").stdout.splitlines()[:2] == ["checks/deep/a.test.yaml",
                                                      "  ✓ in checks [shop]"]
    only = swmlc("test", "other")
    assert only.stdout.splitlines()[:1] == ["other/b.test.yaml"]
    missing = swmlc("test", "nowhere")
    assert missing.exit_code == 1 and "error[SWC903]: no such file or folder" in missing.stderr


def test_no_test_files(project, swmlc) -> None:
    project({**PROJECT})
    result = swmlc("test")
    assert result.exit_code == 1
    assert "no test files (*.test.yaml) found under" in result.stderr
    assert "pass --pass-with-no-tests" in result.stderr
    assert swmlc("test", "--pass-with-no-tests").exit_code == 0


def test_coverage_lists_what_no_case_reached_and_the_gate_fails(shop, swmlc) -> None:
    shop(HEAD + "  - {name: ann, function: lookup, args: {name: Ann}}\n"
         "  - name: to order\n    turns: [{step: order}]\n")
    result = swmlc("test", "--coverage")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    table = lines[lines.index("coverage  branches  steps   total"):]
    assert table[1:] == [
        "shop      2/5       2/4       44%",
        "  agents/shop.yaml:26:11: shop: lookup: expressions[0] not reached",
        "  agents/shop.yaml:37:15: shop: lookup: output not reached",
        "  agents/shop.yaml:38:5: shop: place: webhook not reached",
        "  agents/shop.yaml:14:11: shop: step default.never not reached",
        "  agents/shop.yaml:18:11: shop: step billing.pay not reached",
        f"2 passed in {result.stdout.split(' in ')[-1].strip()}",
    ]
    gate = swmlc("test", "--min-coverage", "90")
    assert gate.exit_code == 1
    assert "error[SWC707]: agent 'shop' is 44.4% covered, below 90%: 5 of 9 not reached" \
        in gate.stderr
    assert "--> agents/shop.yaml:26:11" in gate.stderr
    assert swmlc("test", "--min-coverage", "44").exit_code == 0


def test_a_fleet_glob_runs_each_case_on_each_agent(project, swmlc) -> None:
    project({**PROJECT,
             "agents/kiosk.yaml": "agent: 'kiosk-{{ n }}'\ninstances: _rows.csv\n"
                                  "prompt: {text: Hi.}\n",
             "agents/_rows.csv": "n\na\nb\n",
             "tests/agents/k.test.yaml": "agent: kiosk-*\ncases:\n  - name: prompt\n"
                                         "    turns: [{expect: {prompt: Hi.}}]\n"})
    assert swmlc("test").stdout.splitlines()[:3] == [
        "tests/agents/k.test.yaml", "  ✓ prompt [kiosk-a]", "  ✓ prompt [kiosk-b]"]
    project({"tests/agents/k.test.yaml": "agent: [kiosk-z*]\ncases: [{name: x}]\n"})
    result = swmlc("test")
    assert "error[SWC703]: no agent matches 'kiosk-z*'" in result.stderr
