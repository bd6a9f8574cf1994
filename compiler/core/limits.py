"""The bounds swmlc keeps on everything a repository hands it, and the budget a template spends.

A repository may be hostile (a pull request from a fork, in CI beside deploy secrets): every
file it holds, every value a template builds and every document a build writes is bounded, so
that no input costs more than a clear error. The defaults sit far above any real agent; a
project raises them with ``limits:`` in swmlc.yaml, and ``SWMLC_MAX_FILE_BYTES`` raises the file
limit for commands that read no swmlc.yaml (``validate``, ``import``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: Bytes one source file may hold (a large real agent is tens of KB).
    file_bytes: int = 10 * MB
    #: Characters of one string, or items of one list or mapping, a template may build.
    template_value: int = 1_000_000
    #: Operations one template render may spend: a call, a filter, an include, a loop turn (a
    #: ``range(n)`` costs n), each output chunk.
    template_operations: int = 2_000_000
    #: Bytes one written document may hold.
    output_bytes: int = 10 * MB
    #: Files one extends/include chain may go through.
    compose_depth: int = 64

    @staticmethod
    def from_config(values: dict[str, Any] | None, environ: dict[str, str] | None = None
                    ) -> Limits:
        """Limits from swmlc.yaml's ``limits:`` (already schema-checked: positive integers),
        with ``SWMLC_MAX_FILE_BYTES`` over the file limit."""
        given = {f.name: int(values[f.name]) for f in fields(Limits)
                 if values and isinstance(values.get(f.name), int)}
        env = os.environ if environ is None else environ
        raw = env.get("SWMLC_MAX_FILE_BYTES", "")
        if raw.isdigit() and int(raw) > 0:
            given["file_bytes"] = int(raw)
        return Limits(**given)


class BudgetExceeded(Exception):
    """A template spent more than its budget (said as SWC304 at the template)."""


class Budget:
    """What one template render may still spend."""

    __slots__ = ("left", "limits")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.template_operations

    def charge(self, operations: int, what: str) -> None:
        self.left -= operations
        if self.left < 0:
            raise BudgetExceeded(
                f"{what} takes the template past its budget of "
                f"{self.limits.template_operations:,} operations (limits.template_operations)")

    def size(self, size: int, what: str) -> None:
        if size > self.limits.template_value:
            raise BudgetExceeded(
                f"{what} would build {size:,} characters or items (limit "
                f"{self.limits.template_value:,}, limits.template_value)")
