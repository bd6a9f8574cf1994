"""``--watch``: rebuild on change, and swap the served documents only when the new build is
whole.

The watcher thread compiles in memory (or re-reads build/ with ``--from-build``), binds the
secrets, and only then replaces ``state.documents`` in one assignment. Until that moment every
request is answered from the old documents; a build that fails (diagnostics, an unset secret,
no agents) is logged with its reasons and the old documents stay. Settings (credentials, the
database) are read once at start: a change to swmlc.yaml's ``serve:`` needs a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compiler.features.serve.documents import (
    Loaded,
    bind_documents,
    build_documents,
    compile_documents,
)
from compiler.features.serve.settings import ServeRequest
from compiler.features.serve.state import ServeState
from compiler.features.watch import relevant


class Reloader:
    """A daemon thread that watches the project and swaps in each good build."""

    def __init__(self, request: ServeRequest, state: ServeState, *, agents_dir: str,
                 build_dir: str, inputs: set[str], declared: tuple[str, ...]) -> None:
        self.request = request
        #: swmlc.yaml's secrets: at start; a reload never binds a name declared since (restart).
        self.declared = declared
        self.state = state
        self.agents_dir = agents_dir
        self.build_dir = build_dir
        self.inputs = set(inputs)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="swmlc-reload", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        import watchfiles

        root = self.request.options.root
        first = True
        try:
            for changes in watchfiles.watch(root, watch_filter=self._watched(root),
                                            stop_event=self.stop_event, debounce=200, step=50,
                                            rust_timeout=500, yield_on_timeout=True):
                if first:  # an edit saved before the watcher started raised no event
                    first = False
                    self.reload(only_if_changed=True)
                elif changes and self._relevant(root, {p for _, p in changes}):
                    self.reload()
        except Exception as exc:  # the old documents keep being served; say why it stopped
            self.state.log.event("watch_stopped", error=type(exc).__name__, detail=str(exc))

    def _watched(self, root: Path) -> Callable[[Any, str], bool]:
        real = root.resolve()
        build = (real / self.build_dir).resolve()
        ignored = (real / ".swmlc", real / ".git")

        def keep(_change: Any, path: str) -> bool:
            p = Path(path).resolve()
            if any(p == d or d in p.parents for d in ignored) or p.name.startswith(".swmlc-"):
                return False
            in_build = p == build or build in p.parents
            return in_build == self.request.from_build

        return keep

    def _relevant(self, root: Path, changed: set[str]) -> bool:
        if self.request.from_build:  # the filter let through only build/ itself and its files:
            return bool(changed)    # `swmlc build` swaps the whole folder in at once
        return relevant(root, self.agents_dir, self.inputs, changed)

    def reload(self, *, only_if_changed: bool = False) -> bool:
        """Build, and swap the documents if the build is whole; say what happened."""
        log = self.state.log
        started = time.perf_counter()
        try:
            loaded = build_documents(self.request.options.root, self.build_dir) \
                if self.request.from_build else compile_documents(self.request.options)
        except Exception as exc:  # SwmlcError (a bad build/), or a bug: keep serving
            log.event("reload_failed", reason=str(exc))
            return False
        problem = _problem(loaded)
        if problem is not None:
            log.event("reload_failed", reason=problem,
                      diagnostics=_diagnostics(loaded) if not loaded.ok else [])
            return False
        self.inputs |= loaded.inputs
        current = self.state.documents
        stubs = self.state.stubs
        documents, missing = bind_documents(loaded.docs, self.request.options.env,
                                            self.declared, current.generation + 1,
                                            stubs.rewrite if stubs is not None else None)
        if missing:
            log.event("reload_failed", reason="secrets not set in the environment: "
                      + ", ".join(f"{name} (needed by {', '.join(agents)})"
                                  for name, agents in missing.items()))
            return False
        if only_if_changed and _same(current.agents, documents.agents):
            return False
        self.state.documents = documents  # one assignment: old set or new set, never a mix
        log.event("reloaded", generation=documents.generation, agents=len(documents.agents),
                  ms=round((time.perf_counter() - started) * 1000, 1))
        return True


def _problem(loaded: Loaded) -> str | None:
    if not loaded.ok:
        return "the build failed"
    if not loaded.docs:
        return "the build has no agents"
    return None


def _diagnostics(loaded: Loaded) -> Any:
    """The diagnostics as swmlc's JSON format renders them (file, line, column, code...)."""
    import json

    from compiler.source.render import render_json

    return json.loads(render_json(loaded.diagnostics))


def _same(old: Any, new: Any) -> bool:
    return old.keys() == new.keys() and all(old[k].body == new[k].body for k in old)
