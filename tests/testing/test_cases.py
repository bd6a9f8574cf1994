"""``swmlc test``: cases that pass, and each kind of expectation failing at the line that
states it, with what the run gave instead."""

from __future__ import annotations

import json

HEAD = "agent: shop\nfixtures: fixtures/crm.yaml\ncases:\n"

PASSING = HEAD + """\
  - name: a known customer
    function: lookup
    args: {name: Ann}
    expect:
      response: Found Ann Lee.
      via: webhooks[0].output
      actions: [{set_global_data: {customer: Ann Lee}}]
      requests: [{method: GET, url: "https://crm.test/customers?name=Ann"}]
      global_data: {customer: Ann Lee, shop: Corner Shop}
  - name: an error key falls back to the output
    function: lookup
    args: {name: Bob}
    expect: {response: Unknown customer., via: output}
  - name: a whole order
    turns:
      - expect: {step: greet, functions: [lookup], prompt: {contains: Greet the caller.}}
      - function: lookup
        args: {name: vip-7}
        expect: {step: order, global_data: {customer: VIP}}
      - expect: {prompt: "You are the desk of Corner Shop.\\n\\nTake the order for VIP."}
      - context: billing
        expect: {step: pay, context: billing}
      - function: place
        args: {item: tea}
        expect: {ended: true, requests: [{json: {argument: {parsed: [{item: tea}]}}}]}
  - name: skipped for now
    skip: the shop is closed
    function: lookup
"""


def test_passing_cases_and_the_closing_line(shop, swmlc) -> None:
    shop(PASSING)
    result = swmlc("test")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "tests/agents/shop.test.yaml",
        "  ✓ a known customer [shop]",
        "  ✓ an error key falls back to the output [shop]",
        "  ✓ a whole order [shop]",
        "  - skipped for now [shop] (the shop is closed)",
    ]
    assert result.stdout.splitlines()[-1].startswith("3 passed, 1 skipped in ")


def failures(swmlc, *args: str) -> list[dict]:
    result = swmlc("test", "--format", "json", *args)
    assert result.exit_code == 1
    run = json.loads(result.stdout)
    return [f for case in run["cases"] for f in case["failures"]]


def test_each_expectation_fails_at_its_own_line(shop, swmlc) -> None:
    shop(HEAD + """\
  - name: wrong everything
    function: lookup
    args: {name: Ann}
    expect:
      response: {contains: [Found, Bob]}
      via: output
      actions: [{set_global_data: {customer: Bob}}]
      global_data: {customer: Bob}
""")
    found = failures(swmlc)
    assert [(f["at"], f["message"]) for f in found] == [
        ("tests/agents/shop.test.yaml:8:17", 'expect.response: the response does not contain '
                                             '"Bob"'),
        ("tests/agents/shop.test.yaml:9:12", "expect.via: the reply came from "
                                             "webhooks[0].output, not output"),
        ("tests/agents/shop.test.yaml:10:16", 'expect.actions: no action matches '
                                              '{"set_global_data": {"customer": "Bob"}} '
                                              "(in this order)"),
        ("tests/agents/shop.test.yaml:11:20", "expect.global_data: at customer: expected "
                                              '"Bob", got "Ann Lee"'),
    ]
    assert found[0]["notes"] == ["got: Found Ann Lee."]


def test_a_failing_request_points_at_the_request(shop, swmlc) -> None:
    shop(HEAD + """\
  - name: the request
    function: lookup
    args: {name: Ann}
    expect:
      requests:
        - {method: POST}
""")
    [failure] = failures(swmlc)
    assert (failure["at"], failure["message"]) == (
        "tests/agents/shop.test.yaml:9:11", "expect.requests: method is GET, not POST")


def test_moves_the_graph_forbids_fail_unless_expected(shop, swmlc) -> None:
    shop(HEAD + """\
  - name: skipping ahead
    turns:
      - context: billing
  - name: expected to be refused
    turns:
      - step: never
        expect: {refused: {contains: "cannot move from step 'greet' to 'never'"}, step: greet}
      - function: place
        expect: {refused: "'place' is not available in step 'greet'"}
  - name: refused, but for another reason
    turns:
      - step: order
        expect: {refused: nope}
""")
    found = failures(swmlc)
    assert [(f["at"], f["message"]) for f in found] == [
        ("tests/agents/shop.test.yaml:6:18", "step 'greet' cannot switch to context 'billing'"),
        ("tests/agents/shop.test.yaml:16:27", "expect.refused: the move was allowed"),
    ]
    assert found[0]["help"] == "its valid_contexts: none"


def test_names_that_do_not_exist(shop, swmlc) -> None:
    shop(HEAD + """\
  - name: a typo
    function: lookpu
  - name: an undeclared argument
    function: lookup
    args: {nmae: Ann}
  - name: no fixture
    function: lookup
    args: {name: Zed}
""")
    found = failures(swmlc)
    assert [(f["code"], f["at"], f["message"]) for f in found] == [
        ("SWC704", "tests/agents/shop.test.yaml:5:15", "agent 'shop' has no function 'lookpu'"),
        ("SWC708", "tests/agents/shop.test.yaml:8:11",
         "'lookup' declares no parameter 'nmae'"),
        ("SWC705", "tests/agents/shop.test.yaml:10:15",
         "no fixture answers GET https://crm.test/customers?name=Zed"),
    ]
    assert found[0]["help"] == "did you mean 'lookup'?"


def test_a_failure_renders_like_a_compiler_error(shop, swmlc) -> None:
    shop(HEAD + "  - name: x\n    function: lookup\n    args: {name: Ann}\n"
         "    expect: {response: Nope}\n")
    result = swmlc("test")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:6] == [
        'error[SWC706]: expect.response: the response is not "Nope"',
        "  --> tests/agents/shop.test.yaml:7:24",
        "  |",
        "7 |     expect: {response: Nope}",
        "  |                        ^^^^",
        "   = note: got: Found Ann Lee.",
    ]
    assert result.stdout.splitlines()[-1].startswith("0 passed, 1 failed in ")


def test_select_by_name(shop, swmlc) -> None:
    shop(PASSING)
    result = swmlc("test", "-k", "ORDER")
    assert result.stdout.splitlines()[1:-1] == ["  ✓ a whole order [shop]"]


def test_a_profile_compiles_the_agents_the_tests_run_against(project, swmlc) -> None:
    project({
        "swmlc.yaml": "vars: {shop: Corner Shop}\nprofiles:\n  staging:\n"
                      "    vars: {shop: Test Shop}\n",
        "agents/a.yaml": "prompt: {text: 'You are the desk of {{ shop }}.'}\n",
        "tests/agents/a.test.yaml": "agent: a\ncases:\n  - name: the name\n"
                                    "    turns: [{expect: {prompt: {contains: Test Shop}}}]\n"})
    assert swmlc("test").exit_code == 1
    assert swmlc("test", "--profile", "staging").exit_code == 0
    assert swmlc("test", "--var", "shop=Test Shop").exit_code == 0
