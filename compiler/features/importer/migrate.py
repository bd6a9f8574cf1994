"""The documented migrations: forms the official schema refuses but real SWML documents use.

Each rewrites a document into the form the official schema accepts and the platform reads the
same way, and records a :class:`Change` at the place in the *original* document it touched, so
``swmlc import`` can warn at the line. The list is closed and documented (docs/import.md):

1. a bare string ``prompt``/``post_prompt`` becomes ``{text: ...}``;
2. a function's deprecated ``purpose`` becomes ``description`` and ``argument`` becomes
   ``parameters`` (when the new name is absent); an ``argument`` that is not a mapping (``"none"``)
   means "no parameters" and is removed;
3. ``post_prompt_auth_user``/``post_prompt_auth_password`` move into ``post_prompt_url`` as
   ``user:password@`` (the form SWML documents), and ``web_hook_auth_user``/``_password`` into
   the ``web_hook_url`` beside them (a function's or ``SWAIG.defaults``'); credentials with no URL
   to go with them authenticate nothing and are removed;
4. a boolean or number written as a string (``"true"``, ``"2500"``), or a boolean written as 0/1,
   becomes the typed value wherever the official schema wants that type there, in any verb.

``migrate`` works on plain data and never mutates its input. The round-trip tests compare a
compiled import against ``migrate(original)``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from compiler.core.urls import join_credentials, split_credentials
from compiler.source.schema import SchemaSet

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_BOOL = {"true": True, "false": False}


@dataclass(frozen=True)
class Change:
    """One migration, at ``path`` in the original document (``key``: point at the key)."""

    path: Path
    message: str
    key: bool = False


@dataclass(frozen=True)
class Credentials:
    """Credentials that a migration folded into the URL at ``path`` (of the migrated document)."""

    path: Path
    user: str | None
    password: str | None


@dataclass
class Migrated:
    doc: Any
    changes: list[Change] = field(default_factory=list)
    folded: list[Credentials] = field(default_factory=list)


def ai_verbs(doc: Any) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Every ``ai`` verb in every section: (section, index, the ai object)."""
    sections = doc.get("sections") if isinstance(doc, dict) else None
    if not isinstance(sections, dict):
        return
    for name, verbs in sections.items():
        if not isinstance(verbs, list):
            continue
        for i, verb in enumerate(verbs):
            if isinstance(verb, dict) and isinstance(verb.get("ai"), dict):
                yield str(name), i, verb["ai"]


def migrate(doc: Any, schemas: SchemaSet | None = None) -> Migrated:
    """``doc`` rewritten by the documented migrations, with what was changed where (typed values
    written as strings are found with the official schema, compiled in ``schemas``).

    Example:
        >>> m = migrate({"version": "1.0.0", "sections": {"main": [{"ai": {
        ...     "prompt": "Be brief.", "params": {"verbose_logs": "true"}}}]}})
        >>> m.doc["sections"]["main"][0]["ai"]
        {'prompt': {'text': 'Be brief.'}, 'params': {'verbose_logs': True}}
        >>> for change in m.changes:
        ...     print(change.message)
        a bare string prompt is written as {text: ...}
        the string "true" is written as the boolean true
    """
    out = Migrated(copy.deepcopy(doc))
    for section, index, ai in list(ai_verbs(out.doc)):
        base: Path = ("sections", section, index, "ai")
        _migrate_ai(ai, base, out)
    _coerce(out, schemas or SchemaSet())
    return out


def _rename(obj: dict[str, Any], old: str, new: str) -> None:
    """Rename a key in place, keeping its position (key order is part of the round trip)."""
    items = [(new if k == old else k, v) for k, v in obj.items()]
    obj.clear()
    obj.update(items)


def _migrate_ai(ai: dict[str, Any], base: Path, out: Migrated) -> None:
    for key in ("prompt", "post_prompt"):
        if isinstance(ai.get(key), str):
            ai[key] = {"text": ai[key]}
            out.changes.append(Change((*base, key),
                                      f"a bare string {key} is written as {{text: ...}}"))
    _fold(ai, "post_prompt_url", "post_prompt_auth_user", "post_prompt_auth_password", base, out)
    swaig = ai.get("SWAIG")
    if not isinstance(swaig, dict):
        return
    if isinstance(swaig.get("defaults"), dict):
        _fold(swaig["defaults"], "web_hook_url", "web_hook_auth_user", "web_hook_auth_password",
              (*base, "SWAIG", "defaults"), out)
    functions = swaig.get("functions")
    if not isinstance(functions, list):
        return
    for i, fn in enumerate(functions):
        if not isinstance(fn, dict):
            continue
        where: Path = (*base, "SWAIG", "functions", i)
        if "purpose" in fn and "description" not in fn:
            _rename(fn, "purpose", "description")
            out.changes.append(Change((*where, "purpose"),
                                      "deprecated 'purpose' is written as 'description'", True))
        if "argument" in fn and "parameters" not in fn:
            if isinstance(fn["argument"], dict):
                _rename(fn, "argument", "parameters")
                out.changes.append(Change((*where, "argument"),
                                          "deprecated 'argument' is written as 'parameters'",
                                          True))
            else:
                del fn["argument"]
                out.changes.append(Change((*where, "argument"),
                                          "'argument' that is not a mapping means no parameters: "
                                          "removed", True))
        _fold(fn, "web_hook_url", "web_hook_auth_user", "web_hook_auth_password", where, out)


def _fold(obj: dict[str, Any], url_key: str, user_key: str, password_key: str, where: Path,
          out: Migrated) -> None:
    """Move ``*_auth_user``/``*_auth_password`` into the URL beside them, as SWML documents."""
    if user_key not in obj and password_key not in obj:
        return
    user, password = obj.pop(user_key, None), obj.pop(password_key, None)
    url = obj.get(url_key)
    fields = " and ".join(k for k, v in ((user_key, user), (password_key, password))
                          if v is not None)
    if not isinstance(url, str):
        out.changes.append(Change((*where, user_key if user is not None else password_key),
                                  f"{fields} without a {url_key} authenticate nothing: removed",
                                  True))
        return
    clean, old_user, old_password = split_credentials(url)
    new_user = str(user) if user is not None else old_user
    new_password = str(password) if password is not None else old_password
    obj[url_key] = join_credentials(clean, new_user, new_password)
    out.folded.append(Credentials((*where, url_key), new_user, new_password))
    out.changes.append(Change((*where, user_key if user is not None else password_key),
                              f"{fields} move into {url_key} as user:password@ "
                              "(held in secrets by the imported definition)", True))


# -- typed values written as strings --------------------------------------------------------------


def _leaves(err: Any) -> Iterator[Any]:
    if err.context:
        for sub in err.context:
            yield from _leaves(sub)
    else:
        yield err


def typed(value: Any, wants: list[str]) -> Any:
    """The typed reading of ``value`` for a schema that wants one of ``wants``, or ``value``.

    Example:
        >>> typed("true", ["boolean"]), typed("2500", ["integer"]), typed("0.5", ["number"])
        (True, 2500, 0.5)
        >>> typed(0, ["boolean"]), typed("yes", ["boolean"]), typed("1.5", ["integer"])
        (False, 'yes', '1.5')
    """
    if isinstance(value, str):
        text = value.strip()
        if "boolean" in wants and text.lower() in _BOOL:
            return _BOOL[text.lower()]
        if ("integer" in wants or "number" in wants) and _INT.match(text):
            return int(text)
        if "number" in wants and _FLOAT.match(text):
            return float(text)
    elif type(value) is int and value in (0, 1) and "boolean" in wants:
        return bool(value)
    return value


def _describe(old: Any, new: Any) -> str:
    import json

    kind = "boolean" if isinstance(new, bool) else "number"
    return f"the {'string' if isinstance(old, str) else 'number'} {json.dumps(old)} is written " \
           f"as the {kind} {json.dumps(new)}"


def _coerce(out: Migrated, schemas: SchemaSet) -> None:
    """Rewrite typed values written as strings, where the official schema says so.

    Driven by the schema's own type errors (every branch of every anyOf), so a string is only
    retyped where it is refused as it stands and the schema wants a boolean or a number there;
    free-form places (``global_data``, ``meta_data``) are never touched.
    """
    from compiler.signalwire.official_schema import official_schema

    schema = official_schema(schemas)
    if schema is None:
        return
    validator = schema.explainer.validator
    for _ in range(4):  # a retyped value can open a branch whose deeper values then show
        fixes: dict[Path, Any] = {}
        for top in validator.iter_errors(out.doc):
            for leaf in _leaves(top):
                if leaf.validator != "type":
                    continue
                wants = [leaf.validator_value] if isinstance(leaf.validator_value, str) \
                    else list(leaf.validator_value)
                new = typed(leaf.instance, wants)
                if new is not leaf.instance and type(new) is not type(leaf.instance):
                    fixes.setdefault(tuple(leaf.absolute_path), new)
        if not fixes:
            return
        for path, new in sorted(fixes.items(), key=lambda kv: [str(p) for p in kv[0]]):
            parent = out.doc
            for part in path[:-1]:
                parent = parent[part]
            old = parent[path[-1]]
            parent[path[-1]] = new
            out.changes.append(Change(path, _describe(old, new)))


