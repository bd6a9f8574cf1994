"""Group commit: every post-prompt payload is acknowledged only after the transaction holding it
is committed, and payloads that arrive together share one commit.

One thread owns the write connection. A request hands its row over and waits; the thread takes
every row that is waiting, writes them in one transaction, commits (with SQLite's
``synchronous=FULL``, an fsync), then wakes each request. Under load a commit carries many rows,
so the fsync is paid once per batch rather than once per call, and no row is acknowledged
before it is on disk. A batch that fails is retried row by row, so one bad row fails alone.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

#: The most rows one transaction carries.
MAX_BATCH = 256

Write = Callable[[Any, list[Any]], None]


class GroupWriter:
    """A thread writing batches through ``write(connection, rows)`` on its own connection."""

    def __init__(self, connect: Callable[[], Any], write: Write) -> None:
        self._connect = connect
        self._write = write
        self._queue: queue.SimpleQueue[tuple[Any, Future[None]] | None] = queue.SimpleQueue()
        self._conn: Any = None
        self._thread = threading.Thread(target=self._run, name="swmlc-calls-writer",
                                        daemon=True)
        self._closed = False

    def start(self) -> None:
        self._conn = self._connect()
        self._thread.start()

    def submit(self, row: Any) -> Future[None]:
        done: Future[None] = Future()
        if self._closed:
            done.set_exception(RuntimeError("the calls database is closed"))
        else:
            self._queue.put((row, done))
        return done

    def close(self) -> None:
        """Write what is queued, then stop: nothing handed over is dropped."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join()
        if self._conn is not None:
            self._conn.close()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is None:
                break
            batch = [item]
            while len(batch) < MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            self._commit(batch)

    def _commit(self, batch: list[tuple[Any, Future[None]]]) -> None:
        try:
            self._attempt([row for row, _ in batch])
        except Exception:
            for row, done in batch:  # one by one: a bad row must not fail the others
                try:
                    self._attempt([row])
                except Exception as exc:
                    done.set_exception(exc)
                else:
                    done.set_result(None)
            return
        for _, done in batch:
            done.set_result(None)

    def _attempt(self, rows: list[Any]) -> None:
        """One transaction; a connection that broke (a database restarted) is opened again once."""
        try:
            self._write(self._conn, rows)
        except Exception:
            if not _broken(self._conn):
                raise
            self._reconnect()
            self._write(self._conn, rows)

    def _reconnect(self) -> None:
        with contextlib.suppress(Exception):  # being replaced: a failure to close says nothing
            self._conn.close()
        self._conn = self._connect()


def _broken(conn: Any) -> bool:
    return bool(getattr(conn, "closed", False)) or bool(getattr(conn, "broken", False))
