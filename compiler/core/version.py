"""swmlc's version: written into every manifest, and part of every build key (a new compiler
rebuilds everything). pyproject.toml reads it from here, so there is one place to change."""

from __future__ import annotations

__version__ = "0.3.0"
