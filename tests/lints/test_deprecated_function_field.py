from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt: {text: You look up orders.}
functions:
  - function: lookup
    description: Look up an order
    argument: {type: object, properties: {order_id: {type: string}}}
    web_hook_url: https://x.example/lookup
  - function: cancel
    description: Cancel an order
    purpose: Cancel an order
    web_hook_url: https://x.example/cancel
"""


def test_deprecated_fields(full, where) -> None:
    diags = full(BAD, "SWC418")
    assert where(diags) == [(5, 5, "SWC418"), (9, 5, "SWC418")]
    argument, purpose = diags
    assert argument.message == "'argument' is deprecated: write 'parameters'"
    assert argument.severity.label == "warning"
    assert argument.fix == Fix("rename 'argument' to 'parameters'", "agents/agent.yaml",
                               ("functions", 0, "argument"), "rename", "parameters", True)
    assert purpose.message == "'purpose' is deprecated, and this function also has 'description'"
    assert purpose.help == "remove 'purpose' and keep 'description'"
    assert purpose.fix is None


def test_purpose_alone_is_renamed(lint_only) -> None:
    text = BAD.replace("    description: Cancel an order\n", "")
    fix = lint_only(text, "SWC418")[1].fix
    assert fix is not None and (fix.path, fix.value) == (("functions", 1, "purpose"),
                                                        "description")


def test_current_names_pass(full) -> None:
    text = BAD.replace("argument:", "parameters:").replace("    purpose: Cancel an order\n", "")
    assert full(text, "SWC418") == []
