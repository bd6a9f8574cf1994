"""``swmlc serve``: the compiled agents on an HTTP server, for a phone number to point at.

The library side of the command, in two steps the CLI calls: :func:`prepare` does everything
that can fail because of the project or the machine (compile, bind every secret, open and
migrate the database, bind the port) and returns diagnostics or a ready server; :func:`serve`
runs it until SIGTERM. Neither prints: the server's output is its JSON-lines log (:mod:`.logs`).

| module | |
|---|---|
| :mod:`.settings` | the command line, environment and swmlc.yaml's ``serve:``, resolved |
| :mod:`.documents` | each agent's SWML, compiled in memory or read from build/, secrets bound |
| :mod:`.auth` | basic auth and SignalWire's request signatures |
| :mod:`.app`, :mod:`.routes` | the ASGI app and its endpoints |
| :mod:`.calls`, :mod:`.storage` | the post-prompt payload as a row; SQLite and PostgreSQL |
| :mod:`.pages` | the /calls pages |
| :mod:`.reload` | ``--watch``: whole builds swapped in |
| :mod:`.logs`, :mod:`.server` | the JSON-lines log; uvicorn, bound and stopped gracefully |
"""

from __future__ import annotations

import gc
import socket
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.errors import SwmlcError
from compiler.features.serve.settings import ServeRequest, database_location

if TYPE_CHECKING:  # pragma: no cover - starlette loads only when a server runs
    from compiler.features.serve.reload import Reloader
    from compiler.features.serve.settings import ServeSettings
    from compiler.features.serve.state import ServeState
    from compiler.features.serve.storage import CallStore
    from compiler.features.serve.stubs import Stubs
    from compiler.project.load import Project

__all__ = ["Prepared", "ServeRequest", "prepare", "serve"]


@dataclass
class Prepared:
    """A server ready to run, or the reasons it cannot (``diagnostics`` with an error)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    state: ServeState | None = None
    sock: socket.socket | None = None
    url: str = ""
    summary: dict[str, object] = field(default_factory=dict)
    reloader: Reloader | None = None

    @property
    def ok(self) -> bool:
        return self.state is not None


def prepare(request: ServeRequest, stream: TextIO | None = None) -> Prepared:
    """Compile (or read build/), bind secrets, open the database, bind the port."""
    from compiler.features.serve.documents import (
        bind_documents,
        build_documents,
        compile_documents,
        serve_options,
    )
    from compiler.features.serve.logs import Log
    from compiler.features.serve.settings import resolve_settings
    from compiler.features.serve.state import ServeState
    from compiler.project.load import load_project

    project, diags = load_project(serve_options(request.options))
    out = Prepared(diagnostics=list(diags), texts=project.files.texts)
    if _failed(out.diagnostics):
        return out
    config = project.config
    loaded = build_documents(request.options.root, config.build) if request.from_build \
        else compile_documents(request.options)
    out.diagnostics, out.texts = loaded.diagnostics, {**out.texts, **loaded.texts}
    if _failed(out.diagnostics):
        return out
    if not loaded.docs:
        raise SwmlcError(f"no agents to serve in {config.agents}/")
    settings, missing, problems = resolve_settings(request, config.serve, config.secrets)
    stubs, said = _stubs(request, settings)
    out.diagnostics += said
    out.texts.update(project.files.texts)
    documents, doc_missing = bind_documents(loaded.docs, request.options.env, config.secrets,
                                            rewrite=stubs.rewrite if stubs else None)
    for name, agents in doc_missing.items():
        missing.setdefault(name, []).extend(f"agent {a}" for a in agents)
    out.diagnostics += _unset(project, missing) + problems
    if _failed(out.diagnostics):
        return out
    log = Log(stream, settings.secrets)
    sock = _bind(request)
    try:
        store = _open_store(settings.database, request)
    except BaseException:
        sock.close()
        raise
    state = ServeState(documents, settings, store, log, stubs)
    out.state, out.sock = state, sock
    _describe(out, request, settings.database)
    if request.watch:
        from compiler.features.serve.reload import Reloader

        reloader = Reloader(request, state, agents_dir=config.agents, build_dir=config.build,
                            inputs=loaded.inputs, declared=config.secrets)
        state.on_shutdown.append(reloader.stop)
        out.reloader = reloader
    return out


def serve(prepared: Prepared, *, shutdown_timeout: int = 30,
          forwarded_allow_ips: str | None = None) -> None:
    """Run a prepared server until SIGTERM or SIGINT; return once it has stopped cleanly."""
    from compiler.features.serve.app import create_app
    from compiler.features.serve.server import run

    state, sock = prepared.state, prepared.sock
    assert state is not None and sock is not None
    state.log.event("listening", url=prepared.url, **prepared.summary)
    if prepared.reloader is not None:
        prepared.reloader.start()
    # What start-up left alive (the compiled documents, settings, templates) lives as long as
    # the server: out of the collector's way, a full collection does not walk it mid-request.
    gc.collect()
    gc.freeze()
    run(create_app(state), sock, state.log, shutdown_timeout=shutdown_timeout,
        forwarded_allow_ips=forwarded_allow_ips)


def _failed(diags: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diags)


def _unset(project: Project, missing: dict[str, list[str]]) -> list[Diagnostic]:
    from compiler.build.deploy import secret_span

    out: list[Diagnostic] = []
    for name in sorted(missing):
        users = missing[name]
        shown = ", ".join(users[:8]) + (f" and {len(users) - 8} more" if len(users) > 8 else "")
        if name not in project.config.secrets:
            out.append(codes.SECRET_UNSET.at(
                secret_span(project, name),
                f"secret {name} is not declared under secrets: in swmlc.yaml",
                notes=(f"needed by {shown}",),
                help="only declared secrets are bound: declare it, or rebuild build/ from the "
                     "sources (swmlc build) if it was not written there by secret()"))
            continue
        out.append(codes.SECRET_UNSET.at(
            secret_span(project, name), f"secret {name} is not set in the environment",
            notes=(f"needed by {shown}",),
            help=f"export {name}=... before swmlc serve"))
    return out


def _stubs(request: ServeRequest, settings: ServeSettings
           ) -> tuple[Stubs | None, list[Diagnostic]]:
    """The fixture file of ``--stub-functions``, through the loader of exec and test."""
    if request.stub_functions is None:
        return None, []
    from pathlib import Path

    from compiler.features.fixtures import load_fixtures
    from compiler.features.serve.stubs import Stubs
    from compiler.source.files import SourceFiles, display_path

    root = request.options.root
    rel = display_path(Path(request.stub_functions), root)
    if Path(rel).is_absolute():
        raise SwmlcError(f"--stub-functions: {request.stub_functions} is outside the project; "
                         "keep fixture files in it (e.g. tests/agents/fixtures/)")
    files = SourceFiles(root)
    if not files.exists(rel):
        raise SwmlcError(f"--stub-functions: no file {rel}")
    fixtures, said = load_fixtures(root, rel, files=files)
    return Stubs(fixtures, settings.credentials, settings.public_url), said


def _bind(request: ServeRequest) -> socket.socket:
    from compiler.features.serve.server import bind_socket

    return bind_socket(request.host, request.port)


def _open_store(database: str, request: ServeRequest) -> CallStore:
    from compiler.features.serve.storage import StoreError, open_store

    try:
        return open_store(database, request.options.root)
    except StoreError as exc:
        raise SwmlcError(str(exc)) from None


def _describe(out: Prepared, request: ServeRequest, database: str) -> None:
    from compiler.features.serve.server import listening_url

    assert out.state is not None and out.sock is not None
    settings = out.state.settings
    out.url = listening_url(out.sock)
    out.summary = {
        "agents": len(out.state.documents.agents),
        "source": f"{request.options.root.name}: build/" if request.from_build else "compiled",
        "database": database_location(database, request.options.root),
        "auth": "basic" if settings.credentials else "none",
        "signatures": bool(settings.signing_key), "watch": request.watch,
    }
