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
- :func:`record` ``(exchanges, existing=None, secrets=None) -> str``: the YAML of a fixture
  file holding the given exchanges (``swmlc exec --live --record``); secret values go back to
  their placeholders, passwords, headers and credential query values are left out, so no
  secret reaches a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Span
from compiler.signalwire.datamap.http import CURL_ERRORS, HttpRequest, HttpResponse
from compiler.signalwire.datamap.values import MISSING, cjson_parse
from compiler.signalwire.pcre import compile_pattern, search
from compiler.source.files import SourceFiles
from compiler.source.schema import SchemaSet

__all__ = ["Fixture", "FixtureTransport", "Fixtures", "fixtures_from", "load_fixtures", "record",
           "request_problem", "status_help"]

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
    #: The response's ``json`` as written, with its positions: a webhook reply a test declares,
    #: whose actions ``swmlc test`` checks against the agent (SWC423) and places in the file.
    body: Any = None

    def matches(self, request: HttpRequest) -> bool:
        return request_problem(self.request, request) is None


def request_problem(want: Mapping[str, Any], request: HttpRequest) -> str | None:
    """None when ``request`` is what ``want`` (a fixture's ``request``, or a test's expected
    request) describes; else what differs first. Every key given must match; a key left out
    matches anything."""
    if "method" in want and str(want["method"]).upper() != request.method:
        return f"method is {request.method}, not {str(want['method']).upper()}"
    if "url" in want and not _url_matches(str(want["url"]), request.url):
        return f"url is {request.url}, not {want['url']}"
    if "url_pattern" in want and not search(f"/\\A(?:{want['url_pattern']})\\z/",
                                            request.url):
        return f"url {request.url} does not match {want['url_pattern']}"
    for name, value in want.get("headers", {}).items():
        if request.header(name) != value:
            return f"header {name} is {request.header(name)!r}, not {value!r}"
    return _body_problem(want, request) or _auth_problem(want, request)


def _url_matches(want: str, url: str) -> bool:
    """``want`` is the URL exactly (query parameters in any order), or a glob when it holds a
    ``*`` (any run of characters, ``/`` and ``?`` included)."""
    if "*" in want:
        return _glob(want).fullmatch(url) is not None
    return _url_key(want) == _url_key(url)


def _glob(pattern: str) -> re.Pattern[str]:
    """The glob as a regular expression (``re`` keeps its own cache of compiled ones)."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


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
        from compiler.features.matching import subset

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
    request, response = item.get("request"), item["response"]
    if request is None:
        pass  # a fixture without a request answers any request
    elif "url" not in request and "url_pattern" not in request:
        out.append(codes.HTTP_FIXTURE.at(item.value_span("request"),
                                         "a request needs a url or a url_pattern",
                                         help="copy the URL the function sends (swmlc exec "
                                         "--trace prints it), or leave request out to answer "
                                         "any request"))
    if request is not None and "url_pattern" in request:
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
        return Fixtures(), status_help(said, tree)
    items = tree["fixtures"]
    return fixtures_from([(item, items.item_span(i)) for i, item in enumerate(items)], rel)


_STATUSES = ("200", "201", "202", "204", "301", "302", "304", "400", "401", "403", "404",
             "405", "409", "410", "422", "429", "500", "501", "502", "503", "504")


def status_help(said: list[Diagnostic], tree: Any) -> list[Diagnostic]:
    """Schema problems with a way out added for a bad ``status``: the status meant, when one
    is close (``2000``, ``"404"``), else what a status is."""
    from dataclasses import replace

    from compiler.core.suggest import did_you_mean

    out: list[Diagnostic] = []
    for d in said:
        if d.pointer is not None and d.pointer.endswith("/response/status"):
            value: Any = tree
            for part in d.pointer.strip("/").split("/"):
                value = value[int(part)] if isinstance(value, list) else value.get(part)
            text = str(value).strip()
            guess = text if text in _STATUSES else did_you_mean(text, _STATUSES)
            d = replace(d, help=(f"did you mean {guess}? " if guess else "")
                        + "a status is a number from 100 to 599 (200, 404, 503...)")
        out.append(d)
    return out


def fixtures_from(items: Sequence[tuple[Map, Span]], rel: str
                  ) -> tuple[Fixtures, list[Diagnostic]]:
    """Fixtures from mappings that passed the schema (a fixture file's, or written inline in a
    test file), each with its span; with any problem, none."""
    said: list[Diagnostic] = []
    out: list[Fixture] = []
    for item, span in items:
        said += _problems(item, rel)
        out.append(Fixture(str(item.get("name", f"{span.file}:{span.line}")),
                           dict(item.get("request", {})), _response(item["response"]),
                           item.get("times"), span, item["response"].get("json")))
    return (Fixtures(), said) if said else (Fixtures(tuple(out)), [])


def _recorded(request: HttpRequest, response: HttpResponse, secrets: Mapping[str, str]
              ) -> dict[str, Any]:
    from compiler.features.scrub import scrub_query, scrub_text, scrub_value

    want: dict[str, Any] = {"method": request.method,
                            "url": scrub_query(scrub_text(request.url, secrets))}
    if request.auth is not None:
        want["auth"] = {"user": scrub_text(request.auth[0], secrets)}  # never the password
    if request.body:
        parsed = cjson_parse(request.body)
        if isinstance(parsed, dict | list):
            want["json"] = scrub_value(parsed, secrets)
        else:
            want["body_contains" if "<<secret:" in scrub_text(request.body, secrets)
                 else "body"] = scrub_text(request.body, secrets)
    answer: dict[str, Any] = {}
    if response.error is not None:
        code = next((k for k, v in CURL_ERRORS.items() if v == response.error_code), "connect")
        answer["error"] = code if code in _ERRORS else "connect"
    else:
        answer["status"] = response.status
        parsed = cjson_parse(response.body) if response.body else MISSING
        if parsed is not MISSING and parsed is not None:
            answer["json"] = scrub_value(parsed, secrets)
        else:
            answer["body"] = scrub_text(response.body, secrets)
    return {"request": want, "response": answer}


def _as_replayed(request: HttpRequest, secrets: Mapping[str, str]) -> HttpRequest:
    """The request as a fixture run sends it: secrets as their placeholders."""
    from compiler.features.scrub import scrub_query, scrub_text

    auth = request.auth
    return HttpRequest(request.method, scrub_query(scrub_text(request.url, secrets)),
                       request.headers,
                       None if request.body is None else scrub_text(request.body, secrets),
                       None if auth is None else (scrub_text(auth[0], secrets),
                                                  scrub_text(auth[1], secrets)))


def record(exchanges: Sequence[tuple[HttpRequest, HttpResponse]], *,
           existing: Fixtures | None = None, existing_text: str = "",
           schema_ref: str = "", secrets: Mapping[str, str] | None = None) -> str:
    """A fixture file holding ``exchanges``. Given an existing file, its text (comments and
    layout kept, through ruamel.yaml) with only the exchanges it does not answer yet appended,
    so recording twice adds nothing twice. ``secrets`` (name: value) are the values bound for
    the run: they are written back as placeholders (:mod:`compiler.features.scrub`)."""
    from io import StringIO

    from ruamel.yaml import YAML

    new = [_recorded(rq, rs, secrets or {}) for rq, rs in exchanges
           if existing is None or existing.match(_as_replayed(rq, secrets or {})) is None]
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
