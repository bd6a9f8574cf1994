"""``# swmlc: TODO`` comments in what an import writes, each above the line it is about.

Two kinds: a finding of swmlc's checks in the original agent (silenced where it is with
``# swmlc: ignore[CODE]``, so the imported project builds as the platform runs the agent today,
and said with a TODO so a person fixes it); and, with ``--keep-going``, a fault outside the
``ai`` verb kept as written. A line inside a block scalar (``text: |``) cannot hold a comment:
its comments go above the line that opens the block, which an ignore there covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.core.tree import to_plain
from compiler.source.text import LineIndex

#: How a TODO starts, so ``grep -rn 'swmlc: TODO'`` finds them all.
TODO = "# swmlc: TODO"


@dataclass
class Notes:
    """What goes above one line: TODO texts, and the codes silenced there."""

    todos: list[str] = field(default_factory=list)
    ignore: set[str] = field(default_factory=set)


def target_line(text: str, line: int) -> int:
    """The line a comment about ``line`` goes above: the line itself, or the line that opens
    the block scalar it is part of."""
    header = LineIndex(text).block_header(line)
    return header if header is not None else line


def add_comments(text: str, notes: dict[int, Notes]) -> str:
    """``text`` with comment lines inserted above the given lines (1-based), at each line's
    indentation (a list item's comment at its ``-``). The tree read back is unchanged, which
    is checked: a comment that would change the value is a bug, not a risk taken.

    Example:
        >>> print(add_comments("a:\\n  b: 1\\n", {2: Notes(["b is odd"], {"SWC401"})}), end="")
        a:
          # swmlc: TODO b is odd
          # swmlc: ignore[SWC401]
          b: 1
    """
    from compiler.source.yaml_reader import read_yaml

    lines = text.split("\n")
    for number in sorted(notes, reverse=True):
        note = notes[number]
        target = lines[number - 1]
        indent = " " * (len(target) - len(target.lstrip(" ")))
        block = [f"{indent}{TODO} {_one_line(t)}" for t in note.todos]
        if note.ignore:
            block.append(f"{indent}# swmlc: ignore[{', '.join(sorted(note.ignore))}]")
        lines[number - 1:number - 1] = block
    out = "\n".join(lines)
    before, after = read_yaml(text, "<import>"), read_yaml(out, "<import>")
    if after.diagnostics or to_plain(before.value) != to_plain(after.value):
        raise ValueError("a TODO comment would change the definition")  # pragma: no cover
    return out


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 200 else flat[:197] + "..."
