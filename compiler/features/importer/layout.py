"""The files an import writes, as text: each agent's definition, each family's base and function
library, and swmlc.yaml (a new one, or the project's own with the secrets and SWAIG server it
now needs added, its comments and layout kept).

Paths are relative to the project root; agents, bases (``_base/``) and libraries
(``_functions/``) live in the project's agents folder, where partials (``_``) are not built on
their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from compiler.features.importer.definition import templated
from compiler.features.importer.swaig import SwaigBase
from compiler.features.importer.yamlout import dump_yaml

_SECRET_TEMPLATE = re.compile(r"^\{\{\s*secret\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\)\s*\}\}$")


def agent_text(definition: dict[str, Any], source: str, schema_line: str | None) -> str:
    header = ([f"yaml-language-server: $schema={schema_line}"] if schema_line else []) + [
        f"Imported from {source} by swmlc import."]
    return dump_yaml(templated(definition), header)


def base_text(base: dict[str, Any], family: str, members: Sequence[str]) -> str:
    header = [f"What the agents of the family '{family}' share ({len(members)} agents: "
              f"{_listing(members)}).",
              "Written by swmlc import; each of them extends this file (docs/merging.md)."]
    return dump_yaml(templated(base), header)


def library_text(functions: list[dict[str, Any]], family: str, users: Sequence[str]) -> str:
    header = [f"SWAIG functions several agents of '{family}' define identically, used with "
              f"`use: <this file>#<name>` ({_listing(users)}).",
              "Written by swmlc import (docs/merging.md#function-libraries)."]
    return dump_yaml([templated(fn) for fn in functions], header)


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(names[:6])
    return shown + (f" and {len(names) - 6} more" if len(names) > 6 else "")


def existing_swaig(tree: Any) -> SwaigBase | None:
    """The project's own SWAIG server, when swmlc.yaml names one a definition can match exactly:
    a literal base URL and its credentials as ``secret()`` templates (or none)."""
    swaig = tree.get("swaig") if isinstance(tree, dict) else None
    if not isinstance(swaig, dict) or not isinstance(swaig.get("base_url"), str):
        return None
    base = swaig["base_url"]
    if "{{" in base or "{%" in base:
        return None
    names: list[str | None] = []
    for key in ("auth_user", "auth_password"):
        value = swaig.get(key)
        m = _SECRET_TEMPLATE.match(value) if isinstance(value, str) else None
        if value is not None and m is None:
            return None
        names.append(m.group(1) if m else None)
    return SwaigBase(base, names[0], names[1])


def new_config(agents: str, secrets: Sequence[str], swaig: SwaigBase | None,
               count: int) -> str:
    """A swmlc.yaml for a new project."""
    data: dict[str, Any] = {"agents": agents}
    if secrets:
        data["secrets"] = list(secrets)
    if swaig is not None:
        data["swaig"] = _swaig_entry(swaig)
    header = [f"Written by swmlc import from {count} document{'s' if count != 1 else ''}; "
              "every key is described in docs/project-config.md."]
    if secrets:
        header.append("Secrets: set each where the build is deployed (swmlc build "
                      "--bind-secrets); the documents' values are not written anywhere.")
    return dump_yaml(data, header)


def _swaig_entry(swaig: SwaigBase) -> dict[str, str]:
    entry = {"base_url": swaig.base_url}
    if swaig.user:
        entry["auth_user"] = f"{{{{ secret('{swaig.user}') }}}}"
    if swaig.password:
        entry["auth_password"] = f"{{{{ secret('{swaig.password}') }}}}"
    return entry


def updated_config(path: Path, secrets: Sequence[str], swaig: SwaigBase | None) -> str:
    """The project's swmlc.yaml with the secrets it lacks appended and, when it names no SWAIG
    server, the one the import uses; comments and layout kept (ruamel.yaml round trip)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML(typ="rt")
    yaml.width = 1 << 30
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text) or CommentedMap()
    have = list(data.get("secrets") or [])
    missing = [s for s in secrets if s not in have]
    changed = bool(missing)
    if missing:
        seq = data.get("secrets")
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq(have)
            data["secrets"] = seq
        seq.extend(missing)
    if swaig is not None and "swaig" not in data:
        data["swaig"] = _swaig_entry(swaig)
        changed = True
    if not changed:
        return text
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
