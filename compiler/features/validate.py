"""``swmlc validate``: any SWML document, written by hand or by any tool, against the official
schema, with each failure at the file:line:col of the offending value.

A user points it at whatever is at hand (``swmlc validate build/*.json``, an agent definition,
a document piped in), so it first says what each file is: a SWML document is judged by the
official schema; a RELAY file as the ``ai`` verb ``call.ai()`` sends for it (its own schema,
in effect); the build manifest and source maps are skipped, said as a note; an agent definition
is refused with the command that checks one. Nothing else would help: the official schema
reports every key of those files as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.limits import Limits
from compiler.core.tree import Map, Seq, Span, Tagged, walk
from compiler.signalwire.official_schema import official_problems, official_schema
from compiler.signalwire.relay import RELAY_KWARGS
from compiler.source.agent_format import TOP_LEVEL_KEYS
from compiler.source.files import SourceFiles, display_path
from compiler.source.json_reader import read_json
from compiler.source.schema import JsonSchema, SchemaSet
from compiler.source.yaml_reader import YamlResult, read_yaml
from compiler.targets import parse_output_name

#: The name standard input is shown under (``swmlc validate -``).
STDIN = "<stdin>"
_RELAY_ONLY = frozenset(RELAY_KWARGS) - {"prompt", "post_prompt", "post_prompt_url",
                                         "global_data", "pronounce", "hints", "languages"}


@dataclass
class ValidateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    checked: int = 0
    schema_found: bool = True

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def read_stdin_text(text: str) -> YamlResult:
    """A document from standard input, which has no file name to say its format: text that
    starts with ``{`` or ``[`` is read as strict JSON (what ``cat doc.json | swmlc validate -``
    sends), anything else as YAML."""
    if text.lstrip(" \t\r\n\ufeff").startswith(("{", "[")):
        return read_json(text, STDIN)
    return read_yaml(text, STDIN)


def validate_documents(paths: list[str], root: Path, stdin: str | None = None
                       ) -> ValidateResult:
    """Validate each file (``-`` is ``stdin``, the text of standard input); never raises,
    never prints."""
    files = SourceFiles(root, jail=False)  # the files a user names are theirs to choose
    files.max_bytes = Limits.from_config(None).file_bytes
    files.max_items = None  # a real document may hold many verbs: its bytes bound it
    result = ValidateResult(texts=files.texts)
    schema = official_schema(SchemaSet())
    result.schema_found = schema is not None
    for raw in paths:
        if raw == "-":
            rel = STDIN
            files.texts[rel] = stdin or ""
            files.parsed[rel] = read_stdin_text(stdin or "")
        else:
            rel = display_path(Path(raw) if Path(raw).is_absolute() else root / raw, root)
            if Path(rel).is_absolute():  # outside the project: said as the user wrote it, not
                rel = Path(raw).as_posix()  # resolved through the links on its way
        loaded = files.load(rel)
        result.diagnostics += loaded.diagnostics
        if loaded.diagnostics:
            result.checked += 1
            continue
        said, counted = _judge(rel, loaded.value, schema)
        result.diagnostics += said
        result.checked += counted
    if schema is None:
        result.diagnostics.append(codes.SCHEMA_UNAVAILABLE.at(
            Span("", 0, 0, 0, 0), "official SWML schema not found: nothing was validated",
            help="pip install signalwire-sdk"))
    return result


def _judge(rel: str, doc: Any, schema: JsonSchema | None) -> tuple[list[Diagnostic], int]:
    """What is wrong with one parsed file, and whether it counts as a document checked."""
    if not isinstance(doc, Map):
        span = doc.span if isinstance(doc, Seq) else Span(rel, 1, 1, 1, 1)
        return [codes.NOT_A_MAPPING.at(
            span, "a SWML document is a mapping with 'version' and 'sections'")], 1
    kind = file_kind(rel, doc)
    if kind in ("manifest", "source map"):
        what = ("swmlc's build manifest (swmlc check verifies it)" if kind == "manifest" else
                "a source map written by swmlc build --source-map")
        return [codes.NOT_A_DOCUMENT.at(
            _first_key(doc), f"{rel} is {what}, not a SWML document: skipped")], 0
    if kind == "agent":
        return [codes.AGENT_NOT_SWML.at(
            _first_key(doc),
            f"{rel} is an agent definition, not a SWML document",
            help=f"check it with: swmlc lint {rel} (swmlc build compiles it; validate "
                 "build/<agent>.swml.json)")], 1
    # merge tags sit on scalars (Tagged) and on mappings and lists (their .tag)
    tags = [(v.tag, v.span) for _, v in walk(doc)
            if isinstance(v, Tagged) or (isinstance(v, Map | Seq) and v.tag)]
    if tags:
        tag, span = tags[0]
        return [codes.UNKNOWN_TAG.at(span, f"tag '{tag}' belongs in agent definitions, "
                                           "not SWML")], 1
    if schema is None:
        return [], 1
    if kind == "relay":
        from compiler.targets.relay import relay_as_swml

        return [_as_relay(d) for d in official_problems(schema, relay_as_swml(doc))], 1
    return official_problems(schema, doc), 1


def file_kind(rel: str, doc: Map) -> str:
    """``swml``, ``relay`` (the keyword arguments of ``call.ai()``), ``agent`` (a source
    definition), ``manifest`` or ``source map``: told by the keys at the top, and by the name
    swmlc gives the files it writes.

    Example:
        >>> from compiler.core.tree import Map, Span
        >>> def doc(*keys):
        ...     m = Map(Span("x", 1, 1, 1, 1))
        ...     for k in keys:
        ...         m.put(k, "swmlc 1.0" if k == "compiler" else {}, m.span)
        ...     return m
        >>> [file_kind("a.json", doc(*k)) for k in (["version", "sections"], ["ai_params"],
        ...  ["extends", "prompt"], ["agents", "compiler"])]
        ['swml', 'relay', 'agent', 'manifest']
    """
    keys = set(doc)
    if "sections" in keys or "version" in keys or not keys:
        return "swml"
    name = rel.rsplit("/", 1)[-1]
    if {"agents", "compiler"} <= keys and str(doc.get("compiler", "")).startswith("swmlc"):
        return "manifest"
    if name.endswith(".map.json") and all(_is_location(v) for v in doc.values()):
        return "source map"
    output = parse_output_name(name)
    if (output is not None and output[1] == "relay") or (keys <= set(RELAY_KWARGS)
                                                         and keys & _RELAY_ONLY):
        return "relay"
    if keys <= TOP_LEVEL_KEYS:
        return "agent"
    return "swml"


def _first_key(doc: Map) -> Span:
    """Where a file's first key is: what a note about the whole file points at."""
    return doc.key_span(next(iter(doc))) if doc else doc.span


_LOCATION = re.compile(r".+:\d+:\d+$")


def _is_location(value: Any) -> bool:
    return isinstance(value, str) and _LOCATION.match(value) is not None


_PREFIX = re.compile(r"sections\.main\[0\]\.ai(?:\.params\b)?\.?")


def _as_relay(diag: Diagnostic) -> Diagnostic:
    """A problem of the ``ai`` verb a RELAY file stands for, said in the RELAY file's own terms
    (``ai_params``, pointers from its root)."""
    def words(match: re.Match[str]) -> str:
        return "ai_params" + ("." if match.group(0).endswith(".") else "") \
            if ".params" in match.group(0) else ""

    message = _PREFIX.sub(words, diag.message).replace(" in  ", " in ").rstrip()
    if message.endswith(" in"):
        message = message[:-3]
    where = diag.pointer or ""
    where = where.removeprefix("/sections/main/0/ai")
    if where.startswith("/params"):
        where = "/ai_params" + where[len("/params"):]
    return replace(diag, message=message, pointer=where or "/",
                   notes=(*diag.notes, "checked as the ai verb call.ai() sends for this RELAY "
                                       "file"))
