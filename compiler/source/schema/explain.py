"""Turn JSON Schema failures into diagnostics a person can act on.

check-jsonschema stops at "$.path: message"; this goes further. For each failure it finds the one
thing that is wrong, in words (unknown key, wrong type, missing key, out of range), points at the
exact key or value in the YAML it came from, and offers a did-you-mean where one is close. It is
used for the source format (schemas/agent.schema.json) and for the official SWML schema alike.

It only runs when the fast validator (jsonschema-rs) has already said "invalid", so the cost of
the pure-Python ``jsonschema`` library is paid on failures only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from compiler.core.diagnostics import Code, Diagnostic
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Span, pointer

SpanOf = Callable[[tuple[str | int, ...], bool], Span]

_NAMES = re.compile(r"'((?:[^'\\]|\\.)*)'")
_JSON_TYPES = {
    dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
    int: "an integer", float: "a number", type(None): "null",
}


def _describe(value: Any) -> str:
    for kind, name in _JSON_TYPES.items():
        if type(value) is kind or (kind in (dict, list) and isinstance(value, kind)):
            if kind in (str, int, float, bool):
                return f"{name} ({json.dumps(value, ensure_ascii=False)[:60]})"
            return name
    return type(value).__name__


def _article(t: str) -> str:
    return {"object": "a mapping", "array": "a list", "string": "a string",
            "boolean": "a boolean", "integer": "an integer", "number": "a number",
            "null": "null"}.get(t, t)


def _is_runtime_pattern(pattern: Any) -> bool:
    """The pattern of a ``${...}``/``%{...}`` runtime reference, in either schema's spelling
    (the official schema writes ``^[\\$%]\\{``, swmlc's own ``^[$%]\\{``)."""
    return str(pattern).replace("\\$", "$").startswith("^[$%]\\{")


def _parses_as(text: str, wants: list[str]) -> bool:
    """Whether a quoted string would be the wanted type without its quotes ("8" for 8)."""
    t = text.strip()
    if "boolean" in wants and t in ("true", "false"):
        return True
    if "integer" in wants and re.fullmatch(r"[-+]?[0-9]+", t):
        return True
    return "number" in wants and bool(
        re.fullmatch(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", t))


def _count(n: Any, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _names(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return f", got {len(value)} ({', '.join(map(str, value))})"
    if isinstance(value, list):
        return f", got {len(value)}"
    return ""
_MISSING = re.compile(r"^missing required key ((?:'[^']+'(?:, | or )?)+)")
_UNKNOWN = re.compile(r"^unknown key '(.+?)'")


def _drop_typo_echoes(diags: list[Diagnostic], codes: dict[str, Code]) -> list[Diagnostic]:
    """A misspelt required key fails twice: 'unknown key txt' and 'missing key text'. Keep the
    first, which already says "did you mean 'text'?", and drop its echo."""
    unknown_by_parent: dict[str, list[str]] = {}
    for d in diags:
        m = _UNKNOWN.match(d.message)
        if m and d.pointer is not None:
            unknown_by_parent.setdefault(d.pointer.rsplit("/", 1)[0], []).append(m.group(1))
    kept = []
    for d in diags:
        m = _MISSING.match(d.message)
        if m and d.pointer is not None:
            parent = "" if d.pointer == "/" else d.pointer
            typos = unknown_by_parent.get(parent, [])
            if any(did_you_mean(t, _NAMES.findall(m.group(1))) for t in typos):
                continue
        kept.append(d)
    return kept


def dotted(path: tuple[str | int, ...]) -> str:
    """``prompt.sections[0].title``: how a YAML author names a place."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class SchemaExplainer:
    """Explains failures against one schema. Build once per schema, reuse for every document."""

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator  # heavy: only on the failure path

        self.schema = schema
        self.validator = Draft202012Validator(schema)
        self._defs = schema.get("$defs", {})

    # -- known property names at a schema location, for did-you-mean ---------------------------
    def _deref(self, sub: Any) -> Any:
        seen = 0
        while isinstance(sub, dict) and "$ref" in sub and seen < 20:
            ref = sub["$ref"]
            if not ref.startswith("#/$defs/"):
                break
            sub = self._defs.get(ref.split("/")[-1], {})
            seen += 1
        return sub

    def known_properties(self, sub: Any, depth: int = 0) -> list[str]:
        sub = self._deref(sub)
        if not isinstance(sub, dict) or depth > 8:
            return []
        names = list(sub.get("properties", {}))
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in sub.get(key, []):
                names += [n for n in self.known_properties(branch, depth + 1) if n not in names]
        for key in ("then", "else"):
            if key in sub:
                names += [n for n in self.known_properties(sub[key], depth + 1)
                          if n not in names]
        return names

    # -- the walk -------------------------------------------------------------------------------
    def errors(self, instance: Any) -> Iterator[Any]:
        yield from self.validator.iter_errors(instance)

    def alternatives(self, err: Any) -> tuple[str, list[Any]] | None:
        """An anyOf/oneOf that is a choice, said as one problem instead of one branch's:

        * ``("required", names)``: every branch only misses its one required key (a POM section
          needs ``body`` or ``bullets``);
        * ``("values", allowed)``: every branch only refuses the value as not its constant (the
          official schema spells an enum as ``anyOf: [{const: a}, {const: b}]``);
        * ``("several", keys)`` / ``("unknown", known)``: each branch is a closed mapping of one
          required key (one language of fillers, one SWML verb) and the value holds several of
          those keys, or none of them.
        """
        if err.validator not in ("anyOf", "oneOf"):
            return None
        branches: dict[Any, list[Any]] = {}
        for c in err.context or ():
            branches.setdefault(c.schema_path[0], []).append(c)
        base = len(err.absolute_path)
        single = len(branches) > 1 and all(
            len(errs) == 1 and len(errs[0].absolute_path) == base for errs in branches.values())
        if single and all(errs[0].validator == "required" for errs in branches.values()):
            names: list[Any] = []
            for errs in branches.values():
                m = _NAMES.search(errs[0].message)
                if m and m.group(1) not in names:
                    names.append(m.group(1))
            return ("required", names) if len(names) > 1 else None
        if single and all(errs[0].validator in ("const", "enum") for errs in branches.values()):
            allowed: list[Any] = []
            for errs in branches.values():
                e = errs[0]
                for a in (e.validator_value if e.validator == "enum" else [e.validator_value]):
                    if a not in allowed:
                        allowed.append(a)
            return ("values", allowed)
        if not isinstance(err.instance, dict) or not isinstance(err.validator_value, list):
            return None
        keys: list[Any] = []
        for branch in err.validator_value:
            sub = self._deref(branch)
            if not isinstance(sub, dict):
                return None
            required = sub.get("required", [])
            closed = sub.get("unevaluatedProperties", sub.get("additionalProperties")) \
                in (False, {"not": {}})
            if len(required) != 1 or set(sub.get("properties", {})) != set(required) \
                    or not closed:
                return None
            keys.append(required[0])
        held = [k for k in err.instance if k in keys]
        if len(keys) > 1 and len(held) > 1:
            return ("several", held)
        if len(keys) > 1 and not held and err.instance:
            return ("unknown", keys)
        return None

    def _leaves(self, err: Any) -> Iterator[Any]:
        if self.alternatives(err) is not None:
            yield err
        elif err.validator in ("anyOf", "oneOf") and err.context:
            branches: dict[Any, list[Any]] = {}
            for c in err.context:
                branches.setdefault(c.schema_path[0], []).append(c)

            def rank(errs: list[Any]) -> tuple[int, int, int, int]:
                # Prefer the branch whose shape matched (no type error at the value itself),
                # then the one whose discriminator matched (`type: array` picks the array
                # branch of a JSON-Schema property), then the one missing the fewest required
                # keys, then the one with fewest errors.
                base = len(err.absolute_path)
                type_miss = any(e.validator in ("type", "const", "enum")
                                and len(e.absolute_path) == base for e in errs)
                disc_miss = any(e.validator in ("const", "enum")
                                and len(e.absolute_path) == base + 1 for e in errs)
                required_miss = sum(e.validator == "required" for e in errs)
                return (int(type_miss), int(disc_miss), required_miss, len(errs))

            if len(branches) > 1:
                # anyOf [a typed value, a ${...} runtime template]: a string that is not a
                # template meant the typed value ("8" for 8); say that, not "no pattern match".
                kept = {k: v for k, v in branches.items()
                        if not all(e.validator == "pattern" and _is_runtime_pattern(
                            e.validator_value) for e in v)}
                if kept and len(kept) < len(branches):
                    branches = kept
            best = min(branches.values(), key=rank)
            for c in best:
                yield from self._leaves(c)
        else:
            yield err

    def explain(
        self,
        instance: Any,
        span_of: SpanOf,
        codes: dict[str, Code],
        *,
        context: str = "",
    ) -> list[Diagnostic]:
        """All problems of ``instance``, deduplicated, as diagnostics.

        ``codes`` maps a kind (unknown, type, missing, value) to the code to report it under, so the
        source check can say SWC101 and the output check SWC501 with the same wording.
        """
        out: dict[tuple[str, str], Diagnostic] = {}
        for top in self.errors(instance):
            for leaf in self._leaves(top):
                for diag in self._one(leaf, (), span_of, codes, context):
                    out.setdefault((diag.pointer or "", diag.message), diag)
        return _drop_typo_echoes(list(out.values()), codes)

    def _one(
        self, err: Any, prefix: tuple[str | int, ...], span_of: SpanOf, codes: dict[str, Code],
        context: str,
    ) -> Iterator[Diagnostic]:
        path = (*prefix, *err.absolute_path)
        where = pointer(path) or "/"
        v = err.validator
        value = err.instance
        here = f" in {dotted(path)}" if path else (f" in {context}" if context else "")

        if v in ("additionalProperties", "unevaluatedProperties"):
            sub = err.validator_value
            if isinstance(sub, dict) and sub and sub != {"not": {}}:
                # the extra keys are validated against a schema (e.g. named contexts)
                for name in self._extra_names(err, value):
                    if isinstance(value, dict) and name in value:
                        nested = dict(self._deref(sub))
                        yield from self._nested(value[name], nested, (*path, name), span_of,
                                                codes, context)
                return
            known = self.known_properties(err.schema)
            for name in self._extra_names(err, value):
                kpath = (*path, name)
                suggestion = did_you_mean(name, known)
                help_text = (f"did you mean '{suggestion}'?" if suggestion else
                             (f"expected one of: {', '.join(known)}" if known else
                              "remove it"))
                yield codes["unknown"].at(
                    span_of(kpath, True), f"unknown key '{name}'{here}",
                    help=help_text, pointer=pointer(kpath))
            return
        alternatives = self.alternatives(err)
        if alternatives is not None:
            kind, names = alternatives
            if kind == "required":
                yield codes["missing"].at(
                    span_of(path, True), f"missing required key {_names(names)}{here}",
                    help=f"add {_names(names)}", pointer=where)
            elif kind == "values":
                yield self._not_allowed(value, names, span_of(path, False), codes, where)
            elif kind == "several":
                yield codes["value"].at(
                    span_of(path, False), f"takes at most 1 key{_got(dict.fromkeys(names))}",
                    help=f"keep one of {_names(names)}", pointer=where)
            else:
                for name in value:
                    kpath = (*path, name)
                    suggestion = did_you_mean(str(name), names)
                    listing = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
                    yield codes["unknown"].at(
                        span_of(kpath, True), f"unknown key '{name}'{here}",
                        help=f"did you mean '{suggestion}'?" if suggestion
                        else f"expected one of: {listing}", pointer=pointer(kpath))
            return
        if v == "required":
            m = _NAMES.search(err.message)
            name = m.group(1) if m else str(err.validator_value)
            yield codes["missing"].at(
                span_of(path, True), f"missing required key '{name}'{here}",
                help=f"add '{name}'", pointer=where)
            return
        if v == "type":
            want = err.validator_value
            wants = [want] if isinstance(want, str) else list(want)
            expected = " or ".join(_article(w) for w in wants)
            type_help: str | None = None
            if isinstance(value, str) and _parses_as(value, wants):
                type_help = "write the value without quotes"
            elif any(w == "array" for w in wants) and not isinstance(value, list):
                type_help = "make it a list: [ ... ] or one '- ' item per line"
            yield codes["type"].at(
                span_of(path, False), f"expected {expected}, got {_describe(value)}",
                help=type_help, pointer=where)
            return
        if v in ("enum", "const"):
            allowed = err.validator_value if v == "enum" else [err.validator_value]
            yield self._not_allowed(value, allowed, span_of(path, False), codes, where)
            return
        if v == "pattern" and "(?!next$)" in str(err.validator_value):
            yield codes["value"].at(span_of(path, False),
                                    "a step may not be named 'next'",
                                    help="'next' is reserved by the platform; rename the step",
                                    pointer=where)
            return
        messages: dict[str, Callable[[], str]] = {
            "minimum": lambda: f"must be at least {err.validator_value}, got {value}",
            "maximum": lambda: f"must be at most {err.validator_value}, got {value}",
            "exclusiveMinimum": lambda: f"must be more than {err.validator_value}, got {value}",
            "exclusiveMaximum": lambda: f"must be less than {err.validator_value}, got {value}",
            "minItems": lambda: f"needs at least {_count(err.validator_value, 'item')}",
            "maxItems": lambda: f"takes at most {_count(err.validator_value, 'item')}{_got(value)}",
            "minProperties": lambda: f"needs at least {_count(err.validator_value, 'key')}",
            "maxProperties": lambda: f"takes at most {_count(err.validator_value, 'key')}"
                                     f"{_got(value)}",
            "minLength": lambda: "must not be empty" if err.validator_value == 1
            else f"must be at least {err.validator_value} characters",
            "pattern": lambda: f"{json.dumps(value)[:60]} does not match {err.validator_value}",
            "not": lambda: "this value is not allowed here",
            "oneOf": lambda: "matches more than one of the allowed forms",
            "uniqueItems": lambda: "items must be unique",
        }
        text = messages[v]() if v in messages else str(err.message)
        yield codes["value"].at(span_of(path, False), text, pointer=where)

    @staticmethod
    def _not_allowed(value: Any, allowed: list[Any], span: Span, codes: dict[str, Code],
                     where: str) -> Diagnostic:
        strs = [a for a in allowed if isinstance(a, str)]
        suggestion = did_you_mean(value, strs) if isinstance(value, str) else None
        listing = ", ".join(json.dumps(a) for a in allowed[:12])
        return codes["value"].at(
            span, f"{json.dumps(value, ensure_ascii=False)[:60]} is not allowed here",
            help=f"did you mean '{suggestion}'?" if suggestion else f"use one of: {listing}",
            pointer=where)

    def _extra_names(self, err: Any, value: Any) -> list[str]:
        names = _NAMES.findall(err.message.split("(", 1)[-1]) if "(" in err.message else []
        if not names and isinstance(value, dict):
            known = set(self.known_properties(err.schema))
            names = [k for k in value if k not in known]
        return names

    def _nested(
        self, value: Any, sub: dict[str, Any], path: tuple[str | int, ...], span_of: SpanOf,
        codes: dict[str, Code], context: str,
    ) -> Iterator[Diagnostic]:
        """Explain ``value`` against a subschema (the schema of extra keys, e.g. named contexts)."""
        schema = dict(sub)
        schema.setdefault("$defs", self._defs)
        validator = self.validator.evolve(schema=schema)
        for top in validator.iter_errors(value):
            for leaf in self._leaves(top):
                yield from self._one(leaf, path, span_of, codes, context)
