"""``swmlc build --shard K/N``: one machine's part of a build too large for one machine.

The agents are split by cost, not by count: a fleet row costs what an agent costs, so a fleet of
500 rows is spread over shards like 500 agents. The units (each definition, and each row of a
fleet) are listed in path order and cut into N contiguous runs of equal size (to one unit):
contiguous, so that neighbours, which share bases and includes, are compiled on the same
machine; deterministic, so that N machines looking at the same commit agree on who builds what
without talking. ``swmlc merge`` (:mod:`compiler.features.merge`) joins the shards' folders.
"""

from __future__ import annotations

from compiler.core.errors import SwmlcError
from compiler.core.tree import Map
from compiler.project.fleets import read_instances
from compiler.project.load import Project

#: Rows of a fleet a shard compiles: [start, stop).
RowRange = tuple[int, int]


#: Which shard: (K, N), K from 1 to N.
Shard = tuple[int, int]


def parse_shard(text: str) -> Shard:
    """``"K/N"`` as (K, N); a clear error for anything else.

    Example:
        >>> parse_shard("2/8")
        (2, 8)
    """
    left, slash, right = text.partition("/")
    if not (slash and left.isdigit() and right.isdigit()) or not 1 <= int(left) <= int(right):
        raise SwmlcError(f"--shard takes K/N with 1 <= K <= N (e.g. --shard 2/8), not '{text}'")
    return int(left), int(right)


def _rows(project: Project, file: str) -> int | None:
    """How many agents a fleet definition makes (None: not a fleet, one agent).

    A file that does not hold the word ``instances`` cannot be a fleet, so only fleets (and
    the rare file that mentions the word) are parsed here."""
    raw = project.files.read_text(file)
    if not isinstance(raw, str) or "instances" not in raw:
        return None
    tree = project.files.load(file).value
    if not isinstance(tree, Map) or "instances" not in tree:
        return None
    rows, _, _ = read_instances(project.files, file, tree)
    return len(rows)


def select(project: Project, files: list[str], shard: Shard
           ) -> tuple[list[str], dict[str, RowRange]]:
    """The definition files of ``shard``, and for each fleet among them the rows it builds."""
    units: list[tuple[str, int | None]] = []
    for file in files:
        rows = _rows(project, file)
        # a fleet without rows is one unit: the shard that takes it says what is wrong
        units += [(file, i) for i in range(rows)] if rows else [(file, None)]
    index, count = shard
    total = len(units)
    mine = units[(index - 1) * total // count: index * total // count]
    chosen: list[str] = []
    ranges: dict[str, RowRange] = {}
    for file, row in mine:
        if not chosen or chosen[-1] != file:
            chosen.append(file)
        if row is not None:
            start, _ = ranges.get(file, (row, row))
            ranges[file] = (start, row + 1)
    for file in files:  # the others' texts and trees are not needed here
        if file not in ranges and file not in chosen:
            project.files.forget(file)
    return chosen, ranges
