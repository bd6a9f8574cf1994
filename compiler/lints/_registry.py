"""The list of rule modules. Add a new rule here, and nowhere else."""

from __future__ import annotations

from types import ModuleType

RULES: tuple[ModuleType, ...] = ()
