"""The record of a build lists its files in the order the next check should meet them: it stops
at the first that moved, so a build after one edit among a thousand sources finds the edited
file first (the newest source) instead of after half of them, and files it must read (written
in the record's clock tick, as a build's outputs are) come after those a stat can judge."""

from __future__ import annotations

import os
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
