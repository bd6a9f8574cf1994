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


def swmlc_own(root: Path, build_dir: Path, path: str) -> bool:
    """Is ``path`` one of the writes a build makes itself, which must not wake the watcher: the
    build folder, git's folder, and swmlc's files beside the project (the lock, the stat cache,
    the no-op record, the staging folder a build is assembled in, and the ``.<name>.*.tmp`` file
    each of them is written through)?

    Example:
        >>> root, build = Path("/p"), Path("/p/build")
        >>> [swmlc_own(root, build, f"/p/{rel}") for rel in (
        ...     "build/a.swml.json", ".swmlc-new-build-x1/a.swml.json", "..swmlc-build.stat.x.tmp",
        ...     ".git/index", "agents/a.yaml", "swmlc.yaml")]
        [True, True, True, True, False, False]
    """
    p = Path(path).resolve()
    if p == build_dir or build_dir in p.parents:
        return True
    try:
        parts = p.relative_to(root).parts
    except ValueError:
        return False
    return any(part == ".git" or part.startswith((".swmlc-", "..swmlc-")) for part in parts)


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

    root = options.root.resolve()

    def keep(_change: watchfiles.Change, path: str) -> bool:
        return not swmlc_own(root, build_dir, path)

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
