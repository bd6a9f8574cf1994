"""Where the calls are kept: an embedded SQLite file (the default, ``.swmlc/calls.db``) or a
PostgreSQL database shared by several replicas (``--database postgresql://...``).

Both sit behind one :class:`CallStore`: rows go in through a group-commit writer thread
(:mod:`.writer`), reads run on a connection of their own (from a worker thread, never on the
event loop), and the schema is migrated when the store opens (:mod:`.migrations`). The two
backends differ only in how they connect, lock and spell a parameter (:mod:`.sqlite`,
:mod:`.postgres`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from compiler.features.serve.calls import CallRecord, iso
from compiler.features.serve.storage.migrations import (
    MIGRATIONS,
    VERSION_TABLE,
    Dialect,
    Migration,
    SchemaTooNew,
    pending,
)
from compiler.features.serve.storage.writer import GroupWriter
from compiler.project.config import POSTGRES_SCHEMES

COLUMNS = tuple(f.name for f in dataclasses.fields(CallRecord))
#: What a listing shows: everything but the payload, which can be large.
LISTED = tuple(c for c in COLUMNS if c != "payload")
JSON_COLUMNS = ("post_prompt_parsed", "payload")


class StoreError(Exception):
    """The database cannot be opened or migrated (the message names it, never its password)."""


class Backend(Protocol):
    """What differs between SQLite and PostgreSQL."""

    dialect: Dialect
    param: str

    def connect(self) -> Any: ...

    def begin(self, conn: Any, *, migrating: bool = False) -> None: ...

    def describe(self) -> str: ...


class CallStore:
    """The calls table, for the server: ``save`` from a request, reads from worker threads."""

    def __init__(self, backend: Backend, migrations: tuple[Migration, ...] = MIGRATIONS) -> None:
        self.backend = backend
        self._migrations = migrations
        self._writer = GroupWriter(backend.connect, self._write)
        self._reader: Any = None
        self._read_lock = threading.Lock()
        p, cols = backend.param, ", ".join(COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("call_id",
                                                                                 "agent"))
        self._upsert = (f"INSERT INTO calls ({cols}) VALUES ({', '.join([p] * len(COLUMNS))}) "
                        f"ON CONFLICT (call_id, agent) DO UPDATE SET {updates}")

    def open(self) -> CallStore:
        """Connect, migrate, and start the writer."""
        try:
            conn = self.backend.connect()
            try:
                migrate(conn, self.backend, self._migrations)
            finally:
                conn.close()
            self._reader = self.backend.connect()
            self._writer.start()
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot open the calls database {self.backend.describe()}: "
                             f"{type(exc).__name__}: {_first_line(exc)}") from None
        return self

    async def save(self, record: CallRecord) -> None:
        """Return once the row is committed."""
        await asyncio.wrap_future(self._writer.submit(dataclasses.astuple(record)))

    def close(self) -> None:
        """Commit what is queued, then close."""
        self._writer.close()
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # -- reads (blocking: call them from a worker thread) ---------------------------------------

    def recent(self, per_agent: int, agent: str | None = None) -> list[dict[str, Any]]:
        """The latest ``per_agent`` calls of each agent (or of one), newest first."""
        p = self.backend.param
        where, args = (f"WHERE agent = {p}", [agent]) if agent else ("", [])
        sql = (f"SELECT {', '.join(LISTED)} FROM (SELECT {', '.join(LISTED)}, ROW_NUMBER() "
               f"OVER (PARTITION BY agent ORDER BY received_at DESC, call_id) AS n "
               f"FROM calls {where}) ranked WHERE n <= {p} "
               f"ORDER BY agent, received_at DESC, call_id")
        return self._query(sql, [*args, per_agent], LISTED)

    def calls(self, call_id: str) -> list[dict[str, Any]]:
        """Every row of one call (one per agent that handled it), the payload included."""
        sql = (f"SELECT {', '.join(COLUMNS)} FROM calls WHERE call_id = {self.backend.param} "
               "ORDER BY received_at, agent")
        return self._query(sql, [call_id], COLUMNS)

    def summary(self, agent: str, conversation_id: str) -> str | None:
        """The summary of the latest call of a conversation, for ``fetch_conversation``."""
        p = self.backend.param
        rows = self._query(f"SELECT conversation_summary FROM calls WHERE agent = {p} AND "
                           f"conversation_id = {p} AND conversation_summary IS NOT NULL "
                           "ORDER BY received_at DESC LIMIT 1", [agent, conversation_id],
                           ("conversation_summary",))
        return rows[0]["conversation_summary"] if rows else None

    def ping(self) -> bool:
        try:
            self._query("SELECT 1", [], ("one",))
        except Exception:
            return False
        return True

    def _query(self, sql: str, args: Sequence[Any], names: Sequence[str]
               ) -> list[dict[str, Any]]:
        with self._read_lock:
            if self._reader is None:
                raise StoreError("the calls database is closed")
            try:
                rows = self._reader.execute(sql, args).fetchall()
                _end_read(self._reader)
            except Exception:
                if not getattr(self._reader, "broken", False):
                    _end_read(self._reader, failed=True)
                    raise
                self._reader = self.backend.connect()  # the server restarted: once more
                rows = self._reader.execute(sql, args).fetchall()
                _end_read(self._reader)
        return [dict(zip(names, map(_plain, row), strict=True)) for row in rows]

    def _write(self, conn: Any, rows: list[Any]) -> None:
        self.backend.begin(conn)
        try:
            cursor = conn.cursor()
            cursor.executemany(self._upsert, rows)
            cursor.close()
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def migrate(conn: Any, backend: Backend, migrations: tuple[Migration, ...] = MIGRATIONS
            ) -> list[int]:
    """Bring the schema up to date; return the versions applied."""
    backend.begin(conn, migrating=True)
    try:
        conn.execute(VERSION_TABLE[backend.dialect])
        row = conn.execute("SELECT MAX(version) FROM swmlc_migrations").fetchone()
        todo = pending(row[0] or 0, migrations)
        for m in todo:
            for statement in m.statements(backend.dialect):
                conn.execute(statement)
            conn.execute(f"INSERT INTO swmlc_migrations (version, about) VALUES "
                         f"({backend.param}, {backend.param})", (m.version, m.about))
    except SchemaTooNew as exc:
        conn.rollback()
        raise StoreError(str(exc)) from None
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return [m.version for m in todo]


def open_store(url: str, root: Path, migrations: tuple[Migration, ...] = MIGRATIONS
               ) -> CallStore:
    """The store a ``--database`` value names: a postgresql:// URL, or a SQLite file (a path,
    relative to the project root, or sqlite:///path)."""
    backend: Backend
    if url.startswith(POSTGRES_SCHEMES):
        from compiler.features.serve.storage.postgres import PostgresBackend

        backend = PostgresBackend(url)
    else:
        from compiler.features.serve.storage.sqlite import SqliteBackend

        path = Path(url.removeprefix("sqlite:///"))
        backend = SqliteBackend(path if path.is_absolute() else root / path)
    return CallStore(backend, migrations).open()


def _end_read(conn: Any, *, failed: bool = False) -> None:
    """End the read's transaction (PostgreSQL opens one even for a SELECT)."""
    end: Callable[[], None] | None = getattr(conn, "rollback" if failed else "commit", None)
    if end is not None and getattr(conn, "in_transaction", True):
        end()


def _plain(value: Any) -> Any:
    """A value as the SQLite backend returns it: times as ISO text, JSON as text."""
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]
