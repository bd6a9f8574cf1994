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
from collections.abc import Callable, Iterator
from typing import Any

from compiler.core.diagnostics import Code, Diagnostic
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Span, pointer
from compiler.source.schema.words import (
    NAMES,
    article,
    bound_message,
    describe,
    dotted,
    drop_typo_echoes,
    got,
    is_runtime_pattern,
    name_list,
    parses_as,
)

SpanOf = Callable[[tuple[str | int, ...], bool], Span]

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
                m = NAMES.search(errs[0].message)
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

            def rank(errs: list[Any]) -> tuple[int, int, int, int, int]:
                # Prefer the branch whose shape matched (no type error at the value itself),
                # then the one whose discriminator matched (`type: array` picks the array
                # branch of a JSON-Schema property), then the one missing the fewest required
                # keys, then the one that knows the most keys (`function_fillers: "hold"` is
                # a list written as a string in the branch that has it, not an unknown key in
                # the one that has not), then the one with fewest errors.
                base = len(err.absolute_path)
                type_miss = any(e.validator in ("type", "const", "enum")
                                and len(e.absolute_path) == base for e in errs)
                disc_miss = any(e.validator in ("const", "enum")
                                and len(e.absolute_path) == base + 1 for e in errs)
                required_miss = sum(e.validator == "required" for e in errs)
                unknown = sum(e.validator in ("unevaluatedProperties", "additionalProperties")
                              and len(e.absolute_path) == base for e in errs)
                return (int(type_miss), int(disc_miss), required_miss, unknown, len(errs))

            if len(branches) > 1:
                # anyOf [a typed value, a ${...} runtime template]: a string that is not a
                # template meant the typed value ("8" for 8); say that, not "no pattern match".
                kept = {k: v for k, v in branches.items()
                        if not all(e.validator == "pattern" and is_runtime_pattern(
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
        return self.explain_parts([((), instance, self.validator)], span_of, codes,
                                  context=context)

    def explain_at(self, parts: list[tuple[tuple[str | int, ...], Any, str]], span_of: SpanOf,
                   codes: dict[str, Code], *, context: str = "") -> list[Diagnostic]:
        """The problems of a few failing subtrees of a large document, each checked against
        the schema location the fast validator named for it (``$defs/...``), so that a 5 MB
        document with one bad value is explained in milliseconds, not minutes (the reference
        library walks every value it is given, at about half a millisecond per array item)."""
        return self.explain_parts(
            [(where, value, self.validator.evolve(schema={"$ref": "#/" + location}))
             for where, value, location in parts], span_of, codes, context=context)

    def explain_parts(self, parts: list[tuple[tuple[str | int, ...], Any, Any]],
                      span_of: SpanOf, codes: dict[str, Code], *, context: str
                      ) -> list[Diagnostic]:
        out: dict[tuple[str, str], Diagnostic] = {}
        for prefix, value, validator in parts:
            for top in validator.iter_errors(value):
                for leaf in self._leaves(top):
                    for diag in self._one(leaf, prefix, span_of, codes, context):
                        out.setdefault((diag.pointer or "", diag.message), diag)
        return drop_typo_echoes(list(out.values()), codes)

    def _one(
        self, err: Any, prefix: tuple[str | int, ...], span_of: SpanOf, codes: dict[str, Code],
        context: str,
    ) -> Iterator[Diagnostic]:
        path = (*prefix, *err.absolute_path)
        here = f" in {dotted(path)}" if path else (f" in {context}" if context else "")
        if err.validator in ("additionalProperties", "unevaluatedProperties"):
            yield from self._extra_keys(err, path, here, span_of, codes, context)
            return
        alternatives = self.alternatives(err)
        if alternatives is not None:
            yield from self._choice(err, alternatives, path, here, span_of, codes)
            return
        yield self._single(err, path, here, span_of, codes)

    def _extra_keys(
        self, err: Any, path: tuple[str | int, ...], here: str, span_of: SpanOf,
        codes: dict[str, Code], context: str,
    ) -> Iterator[Diagnostic]:
        """Keys the schema does not have here; or, where extra keys are validated against a
        schema of their own (named contexts), their problems."""
        value = err.instance
        sub = err.validator_value
        if isinstance(sub, dict) and sub and sub != {"not": {}}:
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
                         (f"expected one of: {', '.join(known)}" if known else "remove it"))
            yield codes["unknown"].at(
                span_of(kpath, True), f"unknown key '{name}'{here}",
                help=help_text, pointer=pointer(kpath))

    def _choice(
        self, err: Any, alternatives: tuple[str, list[Any]], path: tuple[str | int, ...],
        here: str, span_of: SpanOf, codes: dict[str, Code],
    ) -> Iterator[Diagnostic]:
        """An anyOf/oneOf said as one problem (see :meth:`alternatives`)."""
        kind, names = alternatives
        value = err.instance
        where = pointer(path) or "/"
        if kind == "required":
            yield codes["missing"].at(
                span_of(path, True), f"missing required key {name_list(names)}{here}",
                help=f"add {name_list(names)}", pointer=where)
        elif kind == "values":
            yield self._not_allowed(value, names, span_of(path, False), codes, where)
        elif kind == "several":
            yield codes["value"].at(
                span_of(path, False), f"takes at most 1 key{got(dict.fromkeys(names))}",
                help=f"keep one of {name_list(names)}", pointer=where)
        else:
            for name in value:
                kpath = (*path, name)
                suggestion = did_you_mean(str(name), names)
                listing = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
                yield codes["unknown"].at(
                    span_of(kpath, True), f"unknown key '{name}'{here}",
                    help=f"did you mean '{suggestion}'?" if suggestion
                    else f"expected one of: {listing}", pointer=pointer(kpath))

    def _single(self, err: Any, path: tuple[str | int, ...], here: str, span_of: SpanOf,
                codes: dict[str, Code]) -> Diagnostic:
        """One failed keyword (required, type, enum, a bound...) in words."""
        v, value = err.validator, err.instance
        where = pointer(path) or "/"
        if v == "required":
            m = NAMES.search(err.message)
            name = m.group(1) if m else str(err.validator_value)
            return codes["missing"].at(
                span_of(path, True), f"missing required key '{name}'{here}",
                help=f"add '{name}'", pointer=where)
        if v == "type":
            wants = [err.validator_value] if isinstance(err.validator_value, str) \
                else list(err.validator_value)
            type_help: str | None = None
            if isinstance(value, str) and parses_as(value, wants):
                type_help = "write the value without quotes"
            elif any(w == "array" for w in wants) and not isinstance(value, list):
                type_help = "make it a list: [ ... ] or one '- ' item per line"
            return codes["type"].at(
                span_of(path, False),
                f"expected {' or '.join(article(w) for w in wants)}, got {describe(value)}",
                help=type_help, pointer=where)
        if v in ("enum", "const"):
            allowed = err.validator_value if v == "enum" else [err.validator_value]
            return self._not_allowed(value, allowed, span_of(path, False), codes, where)
        if v == "pattern" and "(?!next$)" in str(err.validator_value):
            return codes["value"].at(span_of(path, False), "a step may not be named 'next'",
                                     help="'next' is reserved by the platform; rename the step",
                                     pointer=where)
        return codes["value"].at(span_of(path, False), bound_message(err), pointer=where)

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
        names = NAMES.findall(err.message.split("(", 1)[-1]) if "(" in err.message else []
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
