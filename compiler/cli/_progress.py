"""The progress line of a long build: on a terminal, after a few seconds; not in CI logs.

A build of a few agents takes under a second and says nothing until its summary; one that runs
longer (a thousand agents, one agent with a generated list of hints) says how far it is, on one
line of stderr redrawn in place, erased when the build ends. Where stderr is not a terminal (a
CI log, a pipe) it stays silent, unless ``SWMLC_PROGRESS=1`` asks for it: then a plain line
every few seconds, which a log keeps readably. ``SWMLC_PROGRESS=0`` silences it on a terminal.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TextIO

#: Seconds a build runs before the line appears.
DELAY = 2.0
#: Seconds between two lines in a log (SWMLC_PROGRESS=1 without a terminal).
LOG_EVERY = 5.0
#: Seconds between two redraws on a terminal.
REDRAW = 0.25


def mode(environ: Mapping[str, str], isatty: bool) -> str | None:
    """``"terminal"`` (one line redrawn), ``"log"`` (a line every few seconds) or None.

    Example:
        >>> mode({}, True), mode({}, False), mode({"SWMLC_PROGRESS": "1"}, False)
        ('terminal', None, 'log')
        >>> mode({"SWMLC_PROGRESS": "0"}, True), mode({"CI": "true"}, True)
        (None, None)
    """
    asked = environ.get("SWMLC_PROGRESS", "")
    if asked == "0":
        return None
    if asked == "1":
        return "terminal" if isatty and "CI" not in environ else "log"
    return "terminal" if isatty and "CI" not in environ else None


class Progress:
    """A ``Progress`` callback for :func:`compiler.build.compile.compile_project`, drawing the
    line; use it as a context manager around the build."""

    def __init__(self, what: str = "compiling", *, stream: TextIO | None = None,
                 environ: Mapping[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.mode = mode(os.environ if environ is None else environ, self.stream.isatty())
        self.what, self.clock = what, clock
        self.start = clock()
        self.state: tuple[int, int, str | None] = (0, 0, None)
        self.shown = False
        self.last = float("-inf")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, done: int, total: int, current: str | None) -> None:
        with self._lock:
            self.state = (done, total, current or self.state[2])
        self.tick(self.clock())

    def line(self, now: float) -> str:
        done, total, current = self.state
        here = f" ({current})" if current else ""
        return f"swmlc: {self.what} {done} of {total} definition file" \
               f"{'s' if total != 1 else ''}{here}, {now - self.start:.0f} s"

    def tick(self, now: float) -> None:
        """Draw the line if it is time to."""
        if self.mode is None or now - self.start < DELAY or self.state[1] == 0:
            return  # silent: not asked, a short build so far, or nothing counted yet
        with self._lock:
            if self.mode == "log":
                if now - self.last < LOG_EVERY:
                    return
                self.stream.write(self.line(now) + "\n")
            else:
                self.stream.write("\r\x1b[K" + self.line(now))
            self.last, self.shown = now, True
            self.stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(REDRAW):
            self.tick(self.clock())

    def __enter__(self) -> Progress:
        if self.mode is not None:
            self._thread = threading.Thread(target=self._run, name="swmlc-progress",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown and self.mode == "terminal":
            self.stream.write("\r\x1b[K")  # the summary takes the line's place
            self.stream.flush()
