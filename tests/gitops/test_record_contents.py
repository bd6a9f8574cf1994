"""What the record of a build holds, and how it is written.

The files come in the order the next check should meet them: it stops at the first that moved,
so a build after one edit among a thousand sources finds the edited file first (the newest
source) instead of after half of them, and files it must read (written in the record's clock
tick, as a build's outputs are) come after those a stat can judge. Only those are hashed for it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from compiler.core import records


def _write(path: Path, text: str, age_s: float) -> str:
    path.write_text(text, encoding="utf-8")
    then = time.time_ns() - int(age_s * 1e9)
    os.utime(path, ns=(then, then))
    return str(path)


def test_the_newest_source_comes_first_and_files_within_the_racy_window_last(
        tmp_path: Path) -> None:
    old = _write(tmp_path / "a.yaml", "a", 600)
    edited = _write(tmp_path / "z.yaml", "z", 30)  # edited half a minute ago
    middle = _write(tmp_path / "m.yaml", "m", 300)
    output = _write(tmp_path / "out.json", "{}", 0)  # just written by the build
    record = records.make_record(
        argv=["build"], cwd=str(tmp_path), env={}, env_names=[],
        inputs={old: None, edited: None, middle: None}, outputs={output: ""},
        dirs=[str(tmp_path)], started_ns=time.time_ns(), stderr="")
    assert record is not None
    assert [f[0] for f in record["files"]] == [edited, middle, old, output]


def test_the_order_changes_nothing_the_check_decides(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.yaml", "a", 600)
    second = _write(tmp_path / "b.yaml", "b", 60)
    record = records.make_record(
        argv=["build"], cwd=str(tmp_path), env={}, env_names=[],
        inputs={first: None, second: None}, outputs={}, dirs=[str(tmp_path)],
        started_ns=time.time_ns(), stderr="")
    assert record is not None
    assert records.still_true(record, ["build"], str(tmp_path), {})
    _write(tmp_path / "a.yaml", "A", 600)  # the oldest file, listed last: still seen
    assert not records.still_true(record, ["build"], str(tmp_path), {})


def test_only_a_file_of_the_racy_window_is_hashed_for_the_record(tmp_path: Path) -> None:
    """A digest is only ever compared for a file modified within the record's racy window; one
    modified before it is judged by its stat alone and not read for the record."""
    old = _write(tmp_path / "old.json", "{}", 60)
    new = _write(tmp_path / "new.json", "[]", 0)

    def make(inputs: dict[str, str | None], outputs: dict[str, str]) -> dict | None:
        return records.make_record(argv=["build"], cwd=str(tmp_path), env={}, env_names=(),
                                   inputs=inputs, outputs=outputs, dirs=[str(tmp_path)],
                                   started_ns=time.time_ns(), stderr="")

    made = make({old: None}, {new: ""})  # new: an output, as build/manifest.json
    assert made is not None
    assert {f[0]: f[5] for f in made["files"]} == {old: "", new: records._sha(b"[]")}
    # An input of the racy window the run did not hash may have changed while it read it.
    assert make({new: None}, {}) is None


def test_a_record_is_written_by_orjson_when_loaded_and_by_json_otherwise() -> None:
    """Same JSON either way, which the no-op answer reads with json; a path that is not valid
    UTF-8 (kept by surrogateescape) is one orjson refuses, and json writes it."""
    import orjson

    record = {"v": 2, "files": [["/p/agents/a.yaml", 3, 4, 5, 6, "ab" * 32]], "stderr": "ok\n"}
    assert "orjson" in sys.modules
    assert records._dumps(record) == orjson.dumps(record)
    assert json.loads(records._dumps(record)) == record
    odd = {**record, "files": [["/p/agents/\udcff.yaml", 3, 4, 5, 6, ""]]}
    assert json.loads(records._dumps(odd).decode("utf-8", "surrogateescape")) == odd
