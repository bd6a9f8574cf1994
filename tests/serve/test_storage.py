"""Issue 15, point 3, the storage on its own: versioned migrations (applied once, in order, a
newer database refused, an old one upgraded with its rows kept) and group commit (every row
acknowledged only once committed; a bad row fails alone). A real SQLite file throughout."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from compiler.features.serve.calls import BadPayload, record_from_payload
from compiler.features.serve.storage import StoreError, open_store
from compiler.features.serve.storage.migrations import MIGRATIONS, Migration


def record(call_id: str, agent: str = "alpha", **extra: object):
    body = json.dumps({"call_id": call_id, "caller_id_number": "+15035550100",
                       "post_prompt_data": {"raw": "ok", "parsed": [{"ok": True}]},
                       **extra}).encode()
    return record_from_payload(agent, json.loads(body), body)


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    open_store("calls.db", tmp_path).close()
    open_store("calls.db", tmp_path).close()
    db = sqlite3.connect(tmp_path / "calls.db")
    assert db.execute("SELECT version, about FROM swmlc_migrations").fetchall() == [
        (1, "the calls table: one row per call and agent")]
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_old_database_is_upgraded_with_its_rows_kept(tmp_path: Path) -> None:
    store = open_store("calls.db", tmp_path)
    asyncio.run(store.save(record("c-1")))
    store.close()
    later = (*MIGRATIONS, Migration(2, "a column for the call's outcome",
                                    sqlite=("ALTER TABLE calls ADD COLUMN outcome TEXT",),
                                    postgresql=("ALTER TABLE calls ADD COLUMN outcome TEXT",)))
    open_store("calls.db", tmp_path, later).close()
    db = sqlite3.connect(tmp_path / "calls.db")
    assert [v for (v,) in db.execute("SELECT version FROM swmlc_migrations")] == [1, 2]
    assert db.execute("SELECT call_id, outcome FROM calls").fetchall() == [("c-1", None)]
    with pytest.raises(StoreError, match="schema version 2, newer than this swmlc knows"):
        open_store("calls.db", tmp_path)  # the old swmlc must not write to it


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    open_store("calls.db", tmp_path).close()
    broken = (*MIGRATIONS, Migration(2, "broken", sqlite=(
        "ALTER TABLE calls ADD COLUMN a TEXT", "THIS IS NOT SQL"), postgresql=()))
    with pytest.raises(StoreError, match="cannot open the calls database"):
        open_store("calls.db", tmp_path, broken)
    db = sqlite3.connect(tmp_path / "calls.db")
    assert [v for (v,) in db.execute("SELECT version FROM swmlc_migrations")] == [1]
    assert "a" not in [c[1] for c in db.execute("PRAGMA table_info(calls)")]


def test_rows_saved_together_are_each_committed(tmp_path: Path) -> None:
    store = open_store("calls.db", tmp_path)

    async def save_many() -> None:
        await asyncio.gather(*(store.save(record(f"c-{i}", "alpha" if i % 2 else "beta"))
                               for i in range(300)))

    asyncio.run(save_many())
    # acknowledged means committed: another connection sees every row before close()
    db = sqlite3.connect(tmp_path / "calls.db")
    assert db.execute("SELECT COUNT(*) FROM calls").fetchone() == (300,)
    listed = store.recent(2)
    assert [(r["agent"], r["call_id"]) for r in listed][:1][0][0] == "alpha"
    assert len(listed) == 4
    store.close()


def test_a_row_that_cannot_be_written_fails_alone(tmp_path: Path) -> None:
    store = open_store("calls.db", tmp_path)
    bad = dataclasses.replace(record("c-bad"), payload=None)  # NOT NULL: refused by SQLite

    async def save_both() -> list[object]:
        return await asyncio.gather(store.save(bad), store.save(record("c-good")),
                                    return_exceptions=True)

    failed, ok = asyncio.run(save_both())
    assert isinstance(failed, sqlite3.IntegrityError) and ok is None
    assert [r["call_id"] for r in store.calls("c-good")] == ["c-good"]
    assert store.calls("c-bad") == []
    store.close()


@pytest.mark.parametrize("body, message", [
    ({"action": "post_conversation"}, "the payload has no call_id"),
    ({"call_id": ""}, "the payload has no call_id"),
    ({"call_id": ["x"]}, "the payload has no call_id"),
])
def test_a_payload_without_a_call_id_is_refused(body: dict, message: str) -> None:
    with pytest.raises(BadPayload, match=message):
        record_from_payload("alpha", body, json.dumps(body).encode())


def test_fields_of_the_wrong_type_are_kept_as_nothing() -> None:
    body = {"call_id": "c", "caller_id_name": {"x": 1}, "call_start_date": "yesterday",
            "call_end_date": 10 ** 30, "post_prompt_data": "not an object"}
    row = record_from_payload("alpha", body, json.dumps(body).encode())
    assert (row.caller_id_name, row.call_start, row.call_end, row.post_prompt_raw) == \
        (None, None, None, None)
    assert json.loads(row.payload) == body
