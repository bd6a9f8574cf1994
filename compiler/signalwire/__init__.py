"""Facts about SignalWire's runtime that swmlc checks against, kept apart from the compiler core.

The platform, not swmlc, expands ``${...}`` templates, reads ``ai.params`` and runs DataMaps, so
what it accepts is data the static checks consult rather than logic they own:

- ``params``: the catalogue of ``ai.params`` (types, ranges, enums), generated once from the
  official schema so the build never imports the SDK.
- ``runtime_refs``: a tolerant parser for ``${...}`` / ``%{...}`` / ``@{...}`` in a string.
- ``native``: native functions, internal filler names and the two DataMap scopes.

Nothing is imported here: each check imports the one module it needs, so a cold ``swmlc`` run in a
pre-commit hook pays only for what it uses.
"""

from __future__ import annotations
