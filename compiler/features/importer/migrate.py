"""The documented migrations: forms the official schema refuses but real SWML documents use.

Each rewrites a document into the form the official schema accepts and the platform reads the
same way, and records a :class:`Change` at the place in the *original* document it touched, so
``swmlc import`` can warn at the line and say what changed. The list is closed and documented
(docs/import.md):

1. a missing ``version`` is the one version there is: the build writes ``version: 1.0.0``;
2. a verb written as a bare string (``- answer``) takes its object form (``- answer: {}``);
3. a bare string ``prompt``/``post_prompt`` becomes ``{text: ...}``;
4. a function's deprecated ``purpose`` becomes ``description`` and ``argument`` becomes
   ``parameters`` (when the new name is absent); an ``argument`` that is not a mapping
   (``"none"``) means "no parameters" and is removed;
5. function ``parameters`` without ``properties`` get an empty one (the schema requires it);
6. credentials written beside a URL move into it as ``user:password@`` (the form SWML
   documents): ``post_prompt_auth_user``/``_password`` into ``post_prompt_url``,
   ``web_hook_auth_user``/``_password`` into the ``web_hook_url`` beside them, and a SWAIG
   include's ``user``/``pass`` (or ``username``/``password``) into its ``url``; credentials
   with no URL to go with them authenticate nothing and are removed;
7. a language's legacy ``language`` key, which repeats its ``name``, is removed (it becomes the
   ``name`` when there is none);
8. forms SignalWire's SDKs render that the schema refuses, where the platform reads them as
   a form it accepts: a step's ``functions: "none"`` is ``functions: []`` (the SDK documents
   the two as synonyms); ``barge_confidence`` written in ``prompt`` or ``post_prompt`` moves
   to ``params``, where it is documented (in a prompt the platform never applies it); a
   ``data_map``-level ``error_keys`` is removed (the platform reads ``error_keys`` on each
   webhook only); an empty ``post_prompt: {}`` is removed (it asks for nothing);
9. a boolean or number written as a string (``"true"``, ``"2500"``), or a boolean written as
   0/1, becomes the typed value wherever the official schema wants that type there, in any verb
   (:mod:`.coerce`).

``migrate`` works on plain data and never mutates its input. The round-trip tests compare a
compiled import against ``migrate(original)``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from compiler.core.urls import join_credentials, split_credentials
from compiler.features.importer import forms
from compiler.features.importer.coerce import coerce
from compiler.source.schema import SchemaSet

Path = tuple[str | int, ...]

#: A SWAIG include's credential spellings: (user key, password key), in the order tried.
INCLUDE_AUTH = (("user", "pass"), ("username", "password"), ("auth_user", "auth_password"))


@dataclass(frozen=True)
class Change:
    """One migration, at ``path`` in the original document (``key``: point at the key)."""

    path: Path
    message: str
    key: bool = False
    #: What kind of migration, in a few words, for the import's report.
    kind: str = ""


@dataclass
class Migrated:
    doc: Any
    changes: list[Change] = field(default_factory=list)

    def change(self, path: Path, message: str, key: bool = False, *, kind: str) -> None:
        self.changes.append(Change(path, message, key, kind))


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
    schemas = schemas or SchemaSet()
    out = Migrated(copy.deepcopy(doc))
    if isinstance(out.doc, dict) and "version" not in out.doc and "sections" in out.doc:
        out.doc = {"version": "1.0.0", **out.doc}
        out.change(("sections",), "no version: the build writes version: 1.0.0, the only "
                                  "version SWML has", key=True, kind="version added")
    forms.top_level(out)
    _verb_objects(out, schemas)
    for section, index, ai in list(ai_verbs(out.doc)):
        _migrate_ai(ai, ("sections", section, index, "ai"), out)
    for path, message in coerce(out.doc, schemas):
        out.change(path, message, kind="typed value written as a string")
    forms.nomatch_outputs(out, list(ai_verbs(out.doc)))
    return out


def _verb_names(schemas: SchemaSet) -> frozenset[str]:
    """The verbs the official schema knows (each ``SWMLMethod`` branch holds one)."""
    from compiler.signalwire.official_schema import official_schema

    schema = official_schema(schemas)
    if schema is None:
        return frozenset({"answer", "hangup", "denoise", "stop_denoise", "return"})
    defs = schema.schema.get("$defs", {})
    names: set[str] = set()
    for branch in defs.get("SWMLMethod", {}).get("anyOf", []):
        target = defs.get(str(branch.get("$ref", "")).rsplit("/", 1)[-1], {})
        names.update(target.get("properties", {}))
    return frozenset(names)


def _verb_objects(out: Migrated, schemas: SchemaSet) -> None:
    sections = out.doc.get("sections") if isinstance(out.doc, dict) else None
    if not isinstance(sections, dict):
        return
    names: frozenset[str] | None = None
    for section, verbs in sections.items():
        if not isinstance(verbs, list):
            continue
        for i, verb in enumerate(verbs):
            if isinstance(verb, str):
                names = names if names is not None else _verb_names(schemas)
                if verb in names:
                    verbs[i] = {verb: {}}
                    out.change(("sections", section, i),
                               f"the verb '{verb}' written as a bare string is written "
                               f"{verb}: {{}}", kind="bare-string verb to object")


def _rename(obj: dict[str, Any], old: str, new: str) -> None:
    """Rename a key in place, keeping its position (key order is part of the round trip)."""
    items = [(new if k == old else k, v) for k, v in obj.items()]
    obj.clear()
    obj.update(items)


def _migrate_ai(ai: dict[str, Any], base: Path, out: Migrated) -> None:
    for key in ("prompt", "post_prompt"):
        if isinstance(ai.get(key), str):
            ai[key] = {"text": ai[key]}
            out.change((*base, key), f"a bare string {key} is written as {{text: ...}}",
                       kind="bare-string prompt to {text}")
    _sdk_forms(ai, base, out)
    forms.ai_forms(ai, base, out)
    _fold(ai, "post_prompt_url", ("post_prompt_auth_user", "post_prompt_auth_password"),
          base, out)
    if isinstance(ai.get("languages"), list):
        for i, lang in enumerate(ai["languages"]):
            if isinstance(lang, dict):
                _legacy_language(lang, (*base, "languages", i), out)
    swaig = ai.get("SWAIG")
    if not isinstance(swaig, dict):
        return
    if isinstance(swaig.get("defaults"), dict):
        _fold(swaig["defaults"], "web_hook_url", ("web_hook_auth_user", "web_hook_auth_password"),
              (*base, "SWAIG", "defaults"), out)
    for i, include in enumerate(swaig.get("includes") or []):
        if isinstance(include, dict):
            for pair in INCLUDE_AUTH:
                _fold(include, "url", pair, (*base, "SWAIG", "includes", i), out)
    for i, fn in enumerate(swaig.get("functions") or []):
        if isinstance(fn, dict):
            _migrate_function(fn, (*base, "SWAIG", "functions", i), out)


def _migrate_function(fn: dict[str, Any], where: Path, out: Migrated) -> None:
    if "purpose" in fn and "description" not in fn:
        _rename(fn, "purpose", "description")
        out.change((*where, "purpose"), "deprecated 'purpose' is written as 'description'", True,
                   kind="purpose to description")
    if "argument" in fn and "parameters" not in fn:
        if isinstance(fn["argument"], dict):
            _rename(fn, "argument", "parameters")
            out.change((*where, "argument"), "deprecated 'argument' is written as 'parameters'",
                       True, kind="argument to parameters")
        else:
            del fn["argument"]
            out.change((*where, "argument"),
                       "'argument' that is not a mapping means no parameters: removed", True,
                       kind="argument to parameters")
    params = fn.get("parameters")
    if isinstance(params, dict) and "properties" not in params:
        params["properties"] = {}
        out.change((*where, "parameters"),
                   "parameters without properties: an empty 'properties' is added (the "
                   "schema requires one; the function still takes no arguments)", True,
                   kind="empty properties added")
    _fold(fn, "web_hook_url", ("web_hook_auth_user", "web_hook_auth_password"), where, out)
    _data_map_forms(fn, where, out)


def _sdk_forms(ai: dict[str, Any], base: Path, out: Migrated) -> None:
    """What the SDKs render that the schema refuses and the platform reads as a form it takes."""
    if ai.get("post_prompt") == {}:
        del ai["post_prompt"]
        out.change((*base, "post_prompt"), "an empty post_prompt asks for nothing: removed",
                   True, kind="empty post_prompt removed")
    for key in ("prompt", "post_prompt"):
        body = ai.get(key)
        if isinstance(body, dict) and "barge_confidence" in body:
            value = body.pop("barge_confidence")
            params = ai.setdefault("params", {})
            if isinstance(params, dict) and "barge_confidence" not in params:
                params["barge_confidence"] = value
                said = "moves to params, where SignalWire documents it"
            else:
                said = "is removed (params sets it already)"
            out.change((*base, key, "barge_confidence"),
                       f"barge_confidence in {key} {said} (in a prompt the platform never "
                       "applies it)", True, kind="barge_confidence to params")
    contexts = ai["prompt"].get("contexts") if isinstance(ai.get("prompt"), dict) else None
    for name, context in (contexts or {}).items() if isinstance(contexts, dict) else ():
        steps = context.get("steps") if isinstance(context, dict) else None
        for i, step in enumerate(steps if isinstance(steps, list) else []):
            if isinstance(step, dict) and step.get("functions") == "none":
                step["functions"] = []
                out.change((*base, "prompt", "contexts", name, "steps", i, "functions"),
                           'functions: "none" is written [] (the SDK\'s synonym: no function '
                           "in this step)", kind='step functions "none" to []')


def _data_map_forms(fn: dict[str, Any], where: Path, out: Migrated) -> None:
    data_map = fn.get("data_map")
    if isinstance(data_map, dict) and "error_keys" in data_map:
        del data_map["error_keys"]
        out.change((*where, "data_map", "error_keys"),
                   "data_map-level error_keys are read by no one (the platform reads "
                   "error_keys on each webhook): removed", True,
                   kind="data_map error_keys removed")
    if isinstance(data_map, dict):
        forms.webhook_forms(data_map, where, out)


def _legacy_language(lang: dict[str, Any], where: Path, out: Migrated) -> None:
    """Old documents repeat a language's ``name`` as ``language``, a key the platform no
    longer reads and the schema refuses."""
    if "language" not in lang:
        return
    legacy = lang["language"]
    if "name" not in lang and isinstance(legacy, str):
        _rename(lang, "language", "name")
        out.change((*where, "language"), "legacy 'language' is written as 'name'", True,
                   kind="legacy language key")
    elif lang.get("name") == legacy:
        del lang["language"]
        out.change((*where, "language"), "legacy 'language' repeats 'name': removed", True,
                   kind="legacy language key")


def _fold(obj: dict[str, Any], url_key: str, keys: tuple[str, str], where: Path,
          out: Migrated) -> None:
    """Move a user and password written beside a URL into it, as SWML documents."""
    user_key, password_key = keys
    if user_key not in obj and password_key not in obj:
        return
    user, password = obj.pop(user_key, None), obj.pop(password_key, None)
    url = obj.get(url_key)
    fields = " and ".join(k for k, v in ((user_key, user), (password_key, password))
                          if v is not None)
    at = (*where, user_key if user is not None else password_key)
    if not isinstance(url, str):
        out.change(at, f"{fields} without a {url_key} authenticate nothing: removed", True,
                   kind="credentials into the URL")
        return
    clean, old_user, old_password = split_credentials(url)
    new_user = str(user) if user is not None else old_user
    new_password = str(password) if password is not None else old_password
    obj[url_key] = join_credentials(clean, new_user, new_password)
    verb = "move" if user is not None and password is not None else "moves"
    out.change(at, f"{fields} {verb} into {url_key} as user:password@ (held in secrets by the "
                   "imported definition)", True, kind="credentials into the URL")
