"""The catalogue of every diagnostic code swmlc can report: the table in ``compiler.core.codes``
and each lint rule's own code, in code order.

docs/diagnostics.md is generated from it (``python -m compiler.features.catalogue >
docs/diagnostics.md``), and a test keeps the two in step, so a code never exists without its
documentation.
"""

from __future__ import annotations

import sys

from compiler.core import codes
from compiler.core.diagnostics import Code
from compiler.lints import rules


def registry() -> dict[str, Code]:
    """All codes by their code string, in code order: the core table's and each lint rule's."""
    found = [v for v in vars(codes).values() if isinstance(v, Code)]
    found += [rule.CODE for rule in rules()]
    return {c.code: c for c in sorted(found, key=lambda c: c.code)}


def render_markdown() -> str:
    """docs/diagnostics.md, generated so documentation and codes cannot drift apart."""
    out = [
        "# Diagnostics\n",
        "Every diagnostic swmlc prints has a code. This page is generated from "
        "`compiler/core/codes.py` and the lint rules by "
        "`python -m compiler.features.catalogue > docs/diagnostics.md`.\n",
        "| code | name | default severity |", "|---|---|---|",
    ]
    reg = registry()
    out += [f"| [{c.code}](#{c.code.lower()}) | {c.name} | {c.severity.label} |"
            for c in reg.values()]
    for c in reg.values():
        out.append(f"\n## {c.code}\n\n**{c.name}** ({c.severity.label}). {c.summary}\n")
        if c.bad:
            out.append("Fails:\n\n```yaml\n" + c.bad.rstrip("\n") + "\n```\n")
        if c.good:
            lang = "sh" if c.good.startswith("pip ") else "yaml"
            out.append(f"Passes:\n\n```{lang}\n" + c.good.rstrip("\n") + "\n```\n")
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's regeneration command
    sys.stdout.write(render_markdown())
