"""``# swmlc: ignore[CODE]`` comments: on the finding's line, alone on the line above, and, for a
line inside a block scalar (which cannot hold a comment), on the line that opens the block."""

from __future__ import annotations

BLOCK = """\
prompt:
  text: |
    You are Sam.
    The caller is ${global_data.caller_name}.
global_data: {plan: basic}
"""


def test_a_finding_inside_a_block_scalar_is_at_its_own_line(full, where) -> None:
    assert where(full(BLOCK, "SWC401")) == [(4, 19, "SWC401")]


def test_an_ignore_on_the_block_s_opening_line_covers_the_block(full) -> None:
    text = BLOCK.replace("  text: |", "  text: |  # swmlc: ignore[SWC401]")
    assert full(text, "SWC401") == []


def test_an_ignore_alone_above_the_block_covers_it_too(full) -> None:
    text = BLOCK.replace("  text: |", "  # swmlc: ignore[SWC401] (a TODO for later)\n  text: |")
    assert full(text, "SWC401") == []


def test_an_ignore_for_another_code_or_another_block_does_not(full, where) -> None:
    other = BLOCK.replace("  text: |", "  text: |  # swmlc: ignore[SWC402]")
    assert where(full(other, "SWC401")) == [(4, 19, "SWC401")]
    # a block that ended before the finding does not cover it
    text = ("prompt:\n  text: |  # swmlc: ignore[SWC401]\n    Hi.\n"
            "post_prompt:\n  text: Summarize for ${global_data.caller_name}.\n"
            "global_data: {plan: basic}\n")
    assert where(full(text, "SWC401")) == [(5, 23, "SWC401")]
