"""A rule's ``CODE`` built from its module docstring, so its examples are written once.

A rule's docstring is its documentation (What it does / Why / Example (fails) / Use instead
(passes)); docs/diagnostics.md shows the code's ``bad`` and ``good`` examples. Both come from the
same two ``yaml`` blocks, read here.
"""

from __future__ import annotations

import re

from compiler.core.diagnostics import Code, Severity

BAD = "## Example (fails)"
GOOD = "## Use instead (passes)"

_BLOCK = re.compile(r"\s*```yaml\n(.*?)```", re.DOTALL)


def _block(doc: str, heading: str) -> str:
    start = doc.find(heading)
    found = _BLOCK.match(doc, start + len(heading)) if start >= 0 else None
    if found is None:
        raise ValueError(f"the docstring has no ```yaml block under '{heading}'")
    return found.group(1)


def examples(doc: str | None) -> tuple[str, str]:
    """The YAML of the "Example (fails)" and "Use instead (passes)" blocks of ``doc``.

    ``doc`` is None only when Python strips docstrings (``-OO``): then there are no examples.

    Example:
        >>> examples("## Example (fails)\\n```yaml\\na: 1\\n```\\n"
        ...          "## Use instead (passes)\\n```yaml\\na: 2\\n```\\n")
        ('a: 1\\n', 'a: 2\\n')
    """
    if doc is None:
        return "", ""
    return _block(doc, BAD), _block(doc, GOOD)


def rule_code(doc: str | None, code: str, name: str, severity: Severity, summary: str) -> Code:
    """The rule's :class:`Code`, its bad and good examples read from its docstring ``doc``."""
    bad, good = examples(doc)
    return Code(code, name, severity, summary, bad, good)
