"""The stat cache only saves work: a changed file is always hashed again, including a change
that keeps size and mtime when it happens within the racy window after the cache was written."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from compiler.core.stat_cache import RACY_NS, StatCache


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_unchanged_old_files_come_from_the_cache(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"one")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(f, ns=(old, old))
    cache = StatCache(tmp_path / "c.stat")
    assert cache.sha256(str(f)) == _sha(b"one")
    cache.save()
    again = StatCache(tmp_path / "c.stat")
    again.entries[str(f)][3] = "sentinel"  # proves the next answer is the cached one
    assert again.sha256(str(f)) == "sentinel"


def test_a_changed_file_is_hashed_again(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"one")
    cache = StatCache(tmp_path / "c.stat")
    assert cache.sha256(str(f)) == _sha(b"one")
    f.write_bytes(b"two, longer")
    assert cache.sha256(str(f)) == _sha(b"two, longer")


def test_same_size_same_mtime_change_in_the_racy_window_is_seen(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"600")
    stamp = os.stat(f).st_mtime_ns
    cache = StatCache(tmp_path / "c.stat")
    cache.sha256(str(f))
    cache.save()  # written now: f's mtime is inside the racy window
    f.write_bytes(b"900")
    os.utime(f, ns=(stamp, stamp))  # same size, same mtime, different bytes
    assert StatCache(tmp_path / "c.stat").sha256(str(f)) == _sha(b"900")


def test_a_missing_or_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "c.stat").write_text("{not json")
    f = tmp_path / "a.yaml"
    f.write_bytes(b"x")
    assert StatCache(tmp_path / "c.stat").sha256(str(f)) == _sha(b"x")
    assert StatCache(tmp_path / "c.stat").sha256(str(tmp_path / "gone")) is None

