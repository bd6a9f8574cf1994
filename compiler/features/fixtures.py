"""HTTP fixtures: recorded exchanges that answer the requests SWAIG functions send, so ``swmlc
exec`` and ``swmlc test`` run offline and the same on every machine.

The file format (``schemas/http-fixtures.schema.json``, docs/testing.md)::

    fixtures:
      - name: wttr.in, Austin
        request: {method: GET, url: "https://wttr.in/Austin?format=j1"}
        response: {status: 200, json: {current_condition: [{temp_F: "62"}]}}

The public API, which ``swmlc serve --stub-functions`` (issue 15) shares with exec and test:

- :func:`load_fixtures` ``(root, rel, site=None) -> (Fixtures, diagnostics)``: read and check a
  fixture file; every problem is a diagnostic at its file:line:col (SWC702), and a file with
  problems gives no fixtures.
- :meth:`Fixtures.match` ``(request) -> Fixture | None``: the first fixture whose request
  matches (counts of ``times`` aside).
- :class:`FixtureTransport` ``(fixtures)``: a :class:`~compiler.signalwire.datamap.Transport`
  answering from fixtures, honouring ``times``; a request no fixture answers gets a connection
  error and is kept in ``misses``, for a clear "no fixture" diagnostic.
- :func:`record` ``(exchanges, existing=None) -> str``: the YAML of a fixture file holding the
  given exchanges (``swmlc exec --live --record``); passwords and Authorization headers are left
  out, so no secret reaches a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Span
from compiler.features.matching import subset
from compiler.signalwire.datamap.http import CURL_ERRORS, HttpRequest, HttpResponse
from compiler.signalwire.datamap.values import MISSING, cjson_parse
from compiler.signalwire.pcre import compile_pattern, search
from compiler.source.files import SourceFiles
from compiler.source.schema import SchemaSet

__all__ = ["Fixture", "FixtureTransport", "Fixtures", "fixtures_from", "load_fixtures", "record",
           "request_problem"]

SCHEMA = "http-fixtures.schema.json"
_KINDS = {k: codes.HTTP_FIXTURE for k in ("unknown", "type", "missing", "value")}
_ERRORS = {"connect": "connection refused", "timeout": "the request timed out",
           "tls": "the TLS handshake failed", "redirects": "too many redirects"}


@dataclass(frozen=True)
class Fixture:
    """One exchange: what a request must be (``request``, as written) and the answer."""

    name: str
    request: dict[str, Any]
    response: HttpResponse
    times: int | None
    span: Span

    def matches(self, request: HttpRequest) -> bool:
        return request_problem(self.request, request) is None


def request_problem(want: Mapping[str, Any], request: HttpRequest) -> str | None:
    """None when ``request`` is what ``want`` (a fixture's ``request``, or a test's expected
    request) describes; else what differs first. Every key given must match; a key left out
    matches anything."""
    if "method" in want and str(want["method"]).upper() != request.method:
        return f"method is {request.method}, not {str(want['method']).upper()}"
    if "url" in want and _url_key(str(want["url"])) != _url_key(request.url):
        return f"url is {request.url}, not {want['url']}"
    if "url_pattern" in want and not search(f"/\\A(?:{want['url_pattern']})\\z/",
                                            request.url):
        return f"url {request.url} does not match {want['url_pattern']}"
    for name, value in want.get("headers", {}).items():
        if request.header(name) != value:
            return f"header {name} is {request.header(name)!r}, not {value!r}"
    return _body_problem(want, request) or _auth_problem(want, request)


def _url_key(url: str) -> tuple[str, str, str, list[tuple[str, str]], str]:
    """A URL compared as the same request: scheme and host in any case, query parameters in
    any order."""
    parts = urlsplit(url)
    return (parts.scheme.lower(), parts.netloc.lower(), parts.path,
            sorted(parse_qsl(parts.query, keep_blank_values=True)), parts.fragment)


def _body_problem(want: Mapping[str, Any], request: HttpRequest) -> str | None:
    body = request.body or ""
    if "body" in want and body != want["body"]:
        return f"body is {body!r}, not {want['body']!r}"
    if "body_contains" in want and want["body_contains"] not in body:
        return f"body does not contain {want['body_contains']!r}"
    if "json" in want:
        parsed = cjson_parse(body) if body else MISSING
        if parsed is MISSING:
            return f"body is not JSON: {body[:80]!r}"
        differs = subset(want["json"], parsed)
        return None if differs is None else f"json body differs {differs}"
    return None


def _auth_problem(want: Mapping[str, Any], request: HttpRequest) -> str | None:
    auth = want.get("auth")
    if auth is None:
        return None
    if request.auth is None:
        return "the request has no basic authentication"
    if request.auth[0] != auth["user"]:
        return f"basic-auth user is {request.auth[0]!r}, not {auth['user']!r}"
    if "password" in auth and request.auth[1] != auth["password"]:
        return "the basic-auth password differs"
    return None


@dataclass(frozen=True)
class Fixtures:
    """The fixtures of one or more files, in order: the first that matches answers."""

    items: tuple[Fixture, ...] = ()

    def __add__(self, other: Fixtures) -> Fixtures:
        return Fixtures(self.items + other.items)

    def match(self, request: HttpRequest) -> Fixture | None:
        return next((f for f in self.items if f.matches(request)), None)


@dataclass
class FixtureTransport:
    """A transport that answers from fixtures; ``times`` are counted per transport (one per
    test case, so cases do not use each other's answers up)."""

    fixtures: Fixtures
    used: dict[int, int] = field(default_factory=dict)
    misses: list[HttpRequest] = field(default_factory=list)
    answered: list[Fixture] = field(default_factory=list)

    def send(self, request: HttpRequest) -> HttpResponse:
        for index, fixture in enumerate(self.fixtures.items):
            if fixture.times is not None and self.used.get(index, 0) >= fixture.times:
                continue
            if fixture.matches(request):
                self.used[index] = self.used.get(index, 0) + 1
                self.answered.append(fixture)
                return fixture.response
        self.misses.append(request)
        return HttpResponse(0, "", error="no fixture answers this request",
                            error_code=CURL_ERRORS["connect"])


def _response(raw: Map) -> HttpResponse:
    if "error" in raw:
        return HttpResponse(0, "", error=_ERRORS[raw["error"]],
                            error_code=CURL_ERRORS[raw["error"]])
    body = json.dumps(raw["json"], ensure_ascii=False) if "json" in raw else raw.get("body", "")
    headers = tuple((str(k), str(v)) for k, v in raw.get("headers", {}).items())
    return HttpResponse(int(raw.get("status", 200)), body, headers)


def _problems(item: Map, rel: str) -> list[Diagnostic]:
    """What the schema cannot say about one fixture."""
    out: list[Diagnostic] = []
    request, response = item["request"], item["response"]
    if "url" not in request and "url_pattern" not in request:
        out.append(codes.HTTP_FIXTURE.at(item.value_span("request"),
                                         "a request needs a url or a url_pattern",
                                         help="copy the URL the function sends (swmlc exec "
                                         "-v prints it)"))
    if "url_pattern" in request:
        error = compile_pattern(f"/{request['url_pattern']}/", False).error
        if error is not None:
            out.append(codes.HTTP_FIXTURE.at(request.value_span("url_pattern"),
                                             f"url_pattern does not compile: {error}"))
    given = [k for k in ("json", "body", "error") if k in response]
    if len(given) > 1 or ("error" in response and "status" in response):
        out.append(codes.HTTP_FIXTURE.at(
            response.span, f"a response has one of json, body or error, got {', '.join(given)}"
            + (" and a status" if "error" in response and "status" in response else ""),
            help="a transport error (error:) has no status or body"))
    return out


def load_fixtures(root: Any, rel: str, site: Span | None = None,
                  files: SourceFiles | None = None) -> tuple[Fixtures, list[Diagnostic]]:
    """Read the fixture file ``rel`` (root-relative) and check it; a file with any problem
    gives no fixtures, and each problem is a diagnostic at its place."""
    files = files or SourceFiles(root)
    loaded = files.load(rel, site)
    if loaded.diagnostics:
        return Fixtures(), list(loaded.diagnostics)
    tree = loaded.value
    if not isinstance(tree, Map):
        return Fixtures(), [codes.HTTP_FIXTURE.at(site or Span(rel, 1, 1, 1, 1),
                                                  f"{rel} is not a fixture file",
                                                  help="write `fixtures:` and a list")]
    said = SchemaSet().bundled(SCHEMA).problems(tree, _KINDS, "a fixture file")
    if said:
        return Fixtures(), said
    items = tree["fixtures"]
    return fixtures_from([(item, items.item_span(i)) for i, item in enumerate(items)], rel)


def fixtures_from(items: Sequence[tuple[Map, Span]], rel: str
                  ) -> tuple[Fixtures, list[Diagnostic]]:
    """Fixtures from mappings that passed the schema (a fixture file's, or written inline in a
    test file), each with its span; with any problem, none."""
    said: list[Diagnostic] = []
    out: list[Fixture] = []
    for item, span in items:
        said += _problems(item, rel)
        out.append(Fixture(str(item.get("name", f"{span.file}:{span.line}")),
                           dict(item["request"]), _response(item["response"]),
                           item.get("times"), span))
    return (Fixtures(), said) if said else (Fixtures(tuple(out)), [])


def _recorded(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    want: dict[str, Any] = {"method": request.method, "url": request.url}
    if request.auth is not None:
        want["auth"] = {"user": request.auth[0]}  # never the password
    if request.body:
        parsed = cjson_parse(request.body)
        if isinstance(parsed, dict | list):
            want["json"] = parsed
        else:
            want["body"] = request.body
    answer: dict[str, Any] = {}
    if response.error is not None:
        code = next((k for k, v in CURL_ERRORS.items() if v == response.error_code), "connect")
        answer["error"] = code if code in _ERRORS else "connect"
    else:
        answer["status"] = response.status
        parsed = cjson_parse(response.body) if response.body else MISSING
        if parsed is not MISSING and parsed is not None:
            answer["json"] = parsed
        else:
            answer["body"] = response.body
    return {"request": want, "response": answer}


def record(exchanges: Sequence[tuple[HttpRequest, HttpResponse]], *,
           existing: Fixtures | None = None, existing_text: str = "",
           schema_ref: str = "") -> str:
    """A fixture file holding ``exchanges``. Given an existing file, its text (comments and
    layout kept, through ruamel.yaml) with only the exchanges it does not answer yet appended,
    so recording twice adds nothing twice."""
    from io import StringIO

    from ruamel.yaml import YAML

    new = [_recorded(rq, rs) for rq, rs in exchanges
           if existing is None or existing.match(rq) is None]
    unique = list({json.dumps(item, sort_keys=True): item for item in new}.values())
    yaml = YAML()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    if existing_text.strip():
        if not unique:
            return existing_text
        doc = yaml.load(existing_text)
        doc["fixtures"].extend(unique)
    else:
        doc = {"fixtures": unique}
    stream = StringIO()
    yaml.dump(doc, stream)
    if existing_text.strip():
        return stream.getvalue()
    header = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return header + stream.getvalue()
