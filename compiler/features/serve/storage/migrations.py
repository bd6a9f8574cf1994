"""The calls database's schema, as numbered migrations applied in order, once each.

The database records the version it is at (table ``swmlc_migrations``). Opening it applies the
migrations it lacks, inside one transaction that holds the database's write lock (SQLite's
``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so that several replicas starting together
against one PostgreSQL apply each migration exactly once. A database at a version newer than
this swmlc knows is refused rather than written to: an older replica must not write rows a newer
schema reads differently.

To change the schema, append a migration; never edit one that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class Migration:
    version: int
    about: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]

    def statements(self, dialect: Dialect) -> tuple[str, ...]:
        return self.sqlite if dialect == "sqlite" else self.postgresql


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1, "the calls table: one row per call and agent",
        sqlite=(
            """CREATE TABLE calls (
                call_id TEXT NOT NULL,
                agent TEXT NOT NULL,
                conversation_id TEXT,
                caller_id_name TEXT,
                caller_id_number TEXT,
                call_start TEXT,
                call_end TEXT,
                post_prompt_raw TEXT,
                post_prompt_parsed TEXT,
                conversation_summary TEXT,
                payload TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (call_id, agent)
            )""",
            "CREATE INDEX calls_by_agent ON calls (agent, received_at)",
            "CREATE INDEX calls_by_conversation ON calls (conversation_id, received_at)",
        ),
        postgresql=(
            """CREATE TABLE calls (
                call_id TEXT NOT NULL,
                agent TEXT NOT NULL,
                conversation_id TEXT,
                caller_id_name TEXT,
                caller_id_number TEXT,
                call_start TIMESTAMPTZ,
                call_end TIMESTAMPTZ,
                post_prompt_raw TEXT,
                post_prompt_parsed JSONB,
                conversation_summary TEXT,
                payload JSONB NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (call_id, agent)
            )""",
            "CREATE INDEX calls_by_agent ON calls (agent, received_at)",
            "CREATE INDEX calls_by_conversation ON calls (conversation_id, received_at)",
        ),
    ),
)

LATEST = MIGRATIONS[-1].version

VERSION_TABLE = {
    "sqlite": "CREATE TABLE IF NOT EXISTS swmlc_migrations (version INTEGER PRIMARY KEY, "
              "about TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    "postgresql": "CREATE TABLE IF NOT EXISTS swmlc_migrations (version INTEGER PRIMARY KEY, "
                  "about TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
}


class SchemaTooNew(Exception):
    """The database was migrated by a newer swmlc."""


def pending(current: int, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[Migration]:
    """The migrations a database at ``current`` still needs, in order.

    Example:
        >>> [m.version for m in pending(0)]
        [1]
        >>> pending(LATEST)
        []
    """
    known = migrations[-1].version if migrations else 0
    if current > known:
        raise SchemaTooNew(f"the calls database is at schema version {current}, newer than "
                           f"this swmlc knows ({known}): upgrade swmlc, or use another database")
    return [m for m in migrations if m.version > current]
