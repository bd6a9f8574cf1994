"""Compiling in worker processes.

Each worker loads the project itself (its own file cache, templates and schemas, kept for all
its tasks) and takes small contiguous chunks of definition files from a queue: small enough
that results stream back (a worker never holds more than one chunk's outputs), large enough that
neighbouring files, which share bases, are compiled by the same worker and its caches. The state
lives in the worker function's own frame: nothing is kept in module globals.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable
from typing import Any

from compiler.build.units import Compiled, compile_files
from compiler.pipeline.context import Session
from compiler.project.load import load_project
from compiler.project.options import Options

#: Definition files per task sent to a worker.
CHUNK = 32
_DONE = "done"


def _work(options: Options, tasks: Any, results: Any, rows: dict[str, tuple[int, int]],
          cache: bool) -> None:
    """A worker's whole life: load the project once, compile chunks until told to stop."""
    try:
        project, _ = load_project(options)
        session = Session(project)
        for chunk in iter(tasks.get, None):
            compiled = compile_files(session, chunk, rows=rows, cache=cache)
            compiled.files = len(chunk)
            results.put(("ok", compiled))
        results.put((_DONE, None))
    except BaseException:  # a bug: hand it to the parent, which reports it as one
        results.put(("error", traceback.format_exc()))


def compile_in_workers(options: Options, files: list[str], jobs: int,
                       rows: dict[str, tuple[int, int]] | None = None, cache: bool = False,
                       done: Callable[[int], None] | None = None) -> Compiled:
    """Compile ``files`` in ``jobs`` processes; the results, merged (in no particular order:
    the build sorts what it writes). ``done`` is told how many files each chunk finished."""
    ctx: Any = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    tasks, results = ctx.Queue(), ctx.Queue()
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    for chunk in chunks:
        tasks.put(chunk)
    workers = [ctx.Process(target=_work, args=(options, tasks, results, rows or {}, cache),
                           daemon=True) for _ in range(min(jobs, len(chunks)))]
    for _ in workers:
        tasks.put(None)
    for worker in workers:
        worker.start()
    merged = Compiled()
    running = len(workers)
    try:
        while running:
            try:
                kind, value = results.get(timeout=1.0)
            except queue.Empty:
                if any(w.exitcode not in (None, 0) for w in workers):
                    raise RuntimeError("a build worker died") from None
                continue
            if kind == "error":
                raise RuntimeError(f"a build worker failed:\n{value}")
            if kind == _DONE:
                running -= 1
                continue
            if done is not None:
                done(value.files)
            merged.outputs += value.outputs
            merged.diagnostics += value.diagnostics
            merged.notes += value.notes
            merged.texts.update(value.texts)
            merged.cache_hits += value.cache_hits
            merged.cache_misses += value.cache_misses
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
    return merged
