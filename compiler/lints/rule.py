"""What a rule module provides: ``CODE`` and ``check(model)``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Code, Diagnostic


class Rule(Protocol):
    """What a rule module provides (a module satisfies it structurally)."""

    CODE: Code

    def check(self, model: AgentModel) -> Iterator[Diagnostic]: ...
