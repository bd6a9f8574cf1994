"""``swmlc watch``: rebuild when a file any agent reads changes.

The set of files to watch is the union of every agent's include graph (from the manifest the
last build wrote), plus the agents folder itself so that new agents are seen. A bad edit yields
diagnostics and the watch goes on; the next good edit rebuilds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from compiler.build.compile import CompileResult, compile_project
from compiler.project.load import load_project
from compiler.project.options import Options


def watched_inputs(result: CompileResult) -> set[str]:
    """Project-relative paths of every file some agent read."""
    files: set[str] = set()
    for entry in result.manifest.agents.values():
        files.update(entry.inputs)
    for agent in result.agents:
        if agent.entry is not None:
            files.update(agent.entry.inputs)
    return files


def relevant(root: Path, agents_dir: str, inputs: set[str], changed: set[str]) -> bool:
    for path in changed:
        try:
            rel = Path(path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        if rel in inputs or rel == "swmlc.yaml" or rel.startswith(agents_dir.rstrip("/") + "/"):
            return True
    return False


def watch_project(options: Options, stop: threading.Event | None = None,
                  on_start: Callable[[], None] | None = None) -> Iterator[CompileResult]:
    """Build once, then once per relevant change, until ``stop`` is set."""
    import watchfiles

    result = compile_project(options)
    yield result
    inputs = watched_inputs(result)
    project, _ = load_project(options)
    agents_dir = project.config.agents
    build_dir = (options.root / (options.out_dir or project.config.build)).resolve()

    def keep(_change: watchfiles.Change, path: str) -> bool:
        p = Path(path).resolve()
        return not (p == build_dir or build_dir in p.parents or "/.git/" in path
                    or p.name.startswith(".swmlc-"))

    started = False
    for changes in watchfiles.watch(options.root, watch_filter=keep, stop_event=stop,
                                    debounce=200, step=50, rust_timeout=500,
                                    yield_on_timeout=True):
        if not started:
            # The file watcher runs from its first yield on. An edit saved between the first
            # build's reads and now raised no event: catch up with an incremental build, shown
            # only when it differs from the first.
            started = True
            if on_start is not None:
                on_start()
            caught_up = compile_project(options)
            if caught_up.written or caught_up.removed or _said(caught_up) != _said(result):
                result = caught_up
                inputs |= watched_inputs(result)
                yield result
            continue
        if not relevant(options.root, agents_dir, inputs, {p for _, p in changes}):
            continue
        result = compile_project(options)
        inputs |= watched_inputs(result)
        yield result


def _said(result: CompileResult) -> list[tuple[str, object, str]]:
    return [(d.code, d.span, d.message) for d in result.sorted_diagnostics()]
