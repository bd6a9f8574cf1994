"""The shared backend: PostgreSQL through psycopg 3, for replicas behind a load balancer.

Each replica keeps its own two connections (the writer's and the reader's) and nothing else:
rows are keyed by (call_id, agent) and written with an upsert, so a payload the platform sends
twice, or to two replicas, is one row. Migrations take a transaction-scoped advisory lock, so
replicas that start together migrate once.
"""

from __future__ import annotations

from typing import Any

from compiler.core.urls import split_credentials
from compiler.features.serve.storage.migrations import Dialect

#: An arbitrary key for pg_advisory_xact_lock: swmlc's migrations, in any database.
MIGRATION_LOCK = 0x5357_4D4C  # "SWML"


class PostgresBackend:
    dialect: Dialect = "postgresql"
    param = "%s"

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> Any:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - the serve extra installs it
            raise RuntimeError("PostgreSQL needs psycopg: pip install 'swmlc[serve]'") from None
        return psycopg.connect(self.url, connect_timeout=10, application_name="swmlc serve")

    def begin(self, conn: Any, *, migrating: bool = False) -> None:
        if migrating:  # psycopg opens the transaction itself; this holds until it ends
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))

    def describe(self) -> str:
        """The URL without its credentials: it is shown in errors and logs."""
        return split_credentials(self.url)[0]
