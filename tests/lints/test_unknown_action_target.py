"""SWC423 (issue 13, point 1): a DataMap reply's change_step, change_context and
toggle_functions name a step, a context and a function the agent has."""

from __future__ import annotations

from typing import Any

from compiler.analysis.actions import reply_problems
from compiler.analysis.symbols import build_symbols
from compiler.source.yaml_reader import read_yaml

CONTEXTS = """\
prompt:
  text: You route callers.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet., functions: [route, lookup], valid_steps: [finish]}
        - {name: finish, text: Say goodbye.}
    sales:
      steps:
        - {name: pitch, text: Sell., functions: [lookup]}
functions:
"""

ROUTE = CONTEXTS + """\
  - function: route
    description: Route the caller
    data_map:
      output:
        response: ok
        action:
          - change_step: finsh
          - change_context: billing
          - toggle_functions: [{function: no_such_fn, active: true}]
"""


def test_the_three_actions_of_the_issue(full: Any) -> None:
    diags = full(ROUTE, "SWC423")
    assert [(d.span.line, d.span.col, d.message, d.help) for d in diags] == [
        (18, 26, "function 'route' changes to step 'finsh', which context 'default' does not "
                 "have", "did you mean 'finish'?"),
        (19, 29, "function 'route' changes to context 'billing', which prompt.contexts does not "
                 "define", "the contexts are default, sales"),
        (20, 43, "function 'route' toggles 'no_such_fn', which is not a function of this agent",
         "define it under functions, or list it in swaig_includes"),
    ]
    assert {d.severity.label for d in diags} == {"error"}


def test_a_renamed_function_leaves_a_dangling_toggle(full: Any) -> None:
    text = CONTEXTS + """\
  - function: lookup_order
    description: Look up
    data_map:
      output: {response: ok, action: {toggle_functions: [{function: route, active: false}]}}
  - function: route_call
    description: Route
    data_map:
      output: {response: ok}
"""
    [diag] = full(text, "SWC423")
    assert (diag.span.line, diag.span.col) == (15, 69)
    assert diag.message == "function 'lookup_order' toggles 'route', which is not a function " \
        "of this agent"
    assert diag.help == "did you mean 'route_call'?"


def test_expressions_webhooks_and_nomatch_outputs_are_replies_too(full: Any) -> None:
    text = CONTEXTS + """\
  - function: lookup
    description: Look up
    parameters: {type: object, properties: {q: {type: string}}}
    data_map:
      expressions:
        - string: "${args.q}"
          pattern: "^buy"
          output: {response: ok, action: [{change_context: sale}]}
          nomatch-output: {response: no, action: [{change_step: fnish}]}
      webhooks:
        - url: "https://x.example/q?q=${enc:args.q}"
          output: {response: ok, action: [{change_step: pich}]}
          expressions:
            - string: "${total}"
              pattern: "0"
              output: {response: none, action: [{toggle_functions: [{function: lookp}]}]}
"""
    diags = full(text, "SWC423")
    assert [(d.span.line, d.help) for d in diags] == [
        (19, "did you mean 'sales'?"),
        (20, "did you mean 'finish'?"),
        (23, "did you mean 'pitch'?"),  # lookup runs in both contexts: pitch is one of its steps
        (27, "did you mean 'lookup'?"),
    ]
    assert diags[2].message == "function 'lookup' changes to step 'pich', which no context " \
        "it runs in (default, sales) has"


def test_a_step_of_a_context_the_function_does_not_run_in(full: Any) -> None:
    text = ROUTE.replace("change_step: finsh", "change_step: pitch").replace(
        "          - change_context: billing\n", "").replace("no_such_fn", "lookup") \
        + '  - {function: lookup, description: Look up, web_hook_url: "https://x.example/l"}\n'
    [diag] = full(text, "SWC423")
    assert diag.message == "function 'route' changes to step 'pitch', which context 'default' " \
        "does not have"
    assert diag.help == "'pitch' is a step of context 'sales': change to that context first " \
        "(change_context: sales)"
    assert (diag.span.line, diag.span.col) == (18, 26)  # the step's name


def test_a_reply_that_changes_the_context_may_name_a_step_of_the_new_one(full: Any) -> None:
    """The help above says to do just this; the reply that does it is not refused."""
    text = ROUTE.replace("change_step: finsh", "change_step: pitch").replace(
        "change_context: billing", "change_context: sales").replace("no_such_fn", "lookup") \
        + '  - {function: lookup, description: Look up, web_hook_url: "https://x.example/l"}\n'
    assert full(text, "SWC423") == []


def test_names_that_exist_next_and_runtime_templates_pass(full: Any) -> None:
    text = ROUTE.replace("change_step: finsh", "change_step: next").replace(
        "change_context: billing", "change_context: \"${args.where}\"").replace(
        "no_such_fn", "lookup") + """\
  - {function: lookup, description: Look up, web_hook_url: "https://x.example/l"}
  - function: wrap
    description: Wrap up
    data_map:
      output:
        response: ok
        action: [{change_step: finish}, {change_context: sales},
                 {toggle_functions: [{function: verify}, {function: check_time}]}]
swaig_includes: [{url: "https://x.example/swaig", functions: [verify]}]
native_functions: [check_time]
"""
    assert full(text, "SWC423") == []


def test_without_contexts_a_change_step_has_nowhere_to_go(full: Any) -> None:
    text = """\
prompt: {text: You help.}
functions:
  - function: f
    description: F
    data_map: {output: {response: ok, action: [{change_step: finish}]}}
"""
    [diag] = full(text, "SWC423")
    assert (diag.message, diag.help) == (
        "function 'f' changes to step 'finish', but the prompt has no steps",
        "steps are defined under prompt.contexts.<context>.steps")


def test_a_reply_declared_elsewhere_is_checked_by_the_same_function() -> None:
    """The API issue 14's ``swmlc test`` calls for a webhook reply a test file declares: a
    plain reply, the agent's symbols, the function's name; problems with their path."""
    agent = read_yaml(ROUTE + '  - {function: lookup, description: L, web_hook_url: '
                      '"https://x.example/l"}\n', "agents/a.yaml").value
    reply = {"response": "Transferring.", "action": [
        {"say": "one moment"}, {"change_step": "finsh"},
        {"toggle_functions": [{"function": "route"}, {"function": "lookp"}]}]}
    problems = reply_problems(reply, build_symbols(agent), "route")
    assert [(p.kind, p.name, p.path, p.help) for p in problems] == [
        ("step", "finsh", ("action", 1, "change_step"), "did you mean 'finish'?"),
        ("function", "lookp", ("action", 2, "toggle_functions", 1, "function"),
         "did you mean 'lookup'?"),
    ]
    # a single action object, as the platform also takes it
    assert [p.path for p in reply_problems({"action": {"change_context": "sale"}},
                                           build_symbols(agent), None)] == [
        ("action", "change_context")]
