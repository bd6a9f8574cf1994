"""The embedded backend: one SQLite file in WAL mode.

WAL lets the pages read while the writer commits. ``synchronous=FULL`` makes each commit
durable before the payloads in it are acknowledged (group commit pays that fsync once per
batch). ``busy_timeout`` lets a second process on the same file (another server, an ad-hoc
``sqlite3`` shell) wait for the lock instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from compiler.features.serve.storage.migrations import Dialect


class SqliteBackend:
    dialect: Dialect = "sqlite"
    param = "?"

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                               timeout=10.0)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def begin(self, conn: sqlite3.Connection, *, migrating: bool = False) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def describe(self) -> str:
        return str(self.path)
