"""The reply assertions issue 14 names, each shown holding and failing: response equals /
contains / matches, actions present with their values (toggle_functions, change_step, SWML,
set_global_data), and the requests sent (URL, method, body)."""

from __future__ import annotations

import json

ANSWER = {"response": "Order 42 placed for tea.", "action": [
    {"toggle_functions": [{"function": "place", "active": False}]},
    {"change_step": "order"},
    {"SWML": {"version": "1.0.0", "sections": {"main": [{"play": {"url": "say:Bye"}}]}}},
    {"set_global_data": {"order": 42}}]}

HEAD = f"""\
agent: shop
fixtures:
  - request: {{method: POST, url: "https://shop.test/swaig/*"}}
    response: {{json: {json.dumps(ANSWER)}}}
cases:
"""

PASSING = HEAD + """\
  - name: holds
    function: place
    args: {item: tea}
    expect:
      response: {equals: Order 42 placed for tea., contains: [Order 42, tea],
                 matches: "^Order \\\\d+ placed"}
      actions:
        - toggle_functions: [{function: place, active: false}]
        - change_step: order
        - SWML: {sections: {main: [{play: {url: "say:Bye"}}]}}
        - set_global_data: {order: 42}
      requests:
        - method: POST
          url: https://shop.test/swaig/place
          json: {function: place, argument: {parsed: [{item: tea}]}}
"""

FAILING = HEAD + """\
  - name: fails
    function: place
    args: {item: tea}
    expect:
      response: {matches: "^Order [a-z]+ placed"}
      actions: [{toggle_functions: [{function: place, active: true}]}]
      requests:
        - {method: POST, url: "https://shop.test/swaig/place",
           json: {argument: {parsed: [{item: coffee}]}}}
"""


def test_each_reply_assertion_holds(shop, swmlc) -> None:
    shop(PASSING)
    result = swmlc("test")
    assert result.exit_code == 0, result.output


def test_each_reply_assertion_fails_at_its_line(shop, swmlc) -> None:
    shop(FAILING)
    result = swmlc("test", "--format", "json")
    assert result.exit_code == 1
    (case,) = json.loads(result.stdout)["cases"]
    got = [(f["at"], f["message"]) for f in case["failures"]]
    assert got[0] == ("tests/agents/shop.test.yaml:10:17",
                      'expect.response: the response does not match /^Order [a-z]+ placed/')
    assert got[1] == ("tests/agents/shop.test.yaml:11:16",
                      'expect.actions: no action matches {"toggle_functions": [{"function": '
                      '"place", "active": true}]} (in this order)')
    assert got[2][0] == "tests/agents/shop.test.yaml:13:11"
    assert got[2][1].startswith("expect.requests: json body differs at argument.parsed")
