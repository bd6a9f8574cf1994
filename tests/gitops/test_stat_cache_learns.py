"""A build teaches the stat cache the hashes of what it read, so that the build after a no-op
answered from its record (which never opens the stat cache) does not hash every input again;
and it never vouches for a file that may have changed while it was read."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from compiler.build.compile import compile_project
from compiler.build.incremental import read_manifest
from compiler.core.stat_cache import RACY_NS, StatCache
from compiler.project.options import Options


def _age(root: Path, seconds: int) -> None:
    """Every file of the project last modified ``seconds`` ago."""
    then = time.time_ns() - seconds * 1_000_000_000
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), ns=(then, then))


def _stat_entries(root: Path) -> dict[str, list[int | str]]:
    entries: dict[str, list[int | str]] = json.loads(
        (root / ".swmlc-build.stat").read_text(encoding="utf-8"))["files"]
    return entries


def test_a_full_build_leaves_every_input_of_every_agent_in_the_stat_cache(sample: Path) -> None:
    _age(sample, 10)
    assert compile_project(Options(root=sample, env=dict(os.environ))).ok
    entries = _stat_entries(sample)
    inputs = {rel: digest for entry in read_manifest(sample / "build").agents.values()
              for rel, digest in entry.inputs.items()}
    assert inputs  # the sample's agents read their definitions, bases and swmlc.yaml
    for rel, digest in inputs.items():
        path = os.path.join(str(sample), rel)
        st = os.stat(path)
        assert entries[path] == [st.st_size, st.st_mtime_ns, st.st_ino, digest], rel
        assert digest == hashlib.sha256(Path(path).read_bytes()).hexdigest(), rel


def test_a_file_modified_within_the_racy_window_of_the_build_is_not_learned(
        sample: Path) -> None:
    _age(sample, 10)
    fresh = sample / "agents" / "support.yaml"
    fresh.write_text(fresh.read_text(encoding="utf-8"), encoding="utf-8")  # mtime: now
    assert compile_project(Options(root=sample, env=dict(os.environ))).ok
    entries = _stat_entries(sample)
    assert str(fresh) not in entries
    assert str(sample / "agents" / "sales.yaml") in entries


def test_learn_refuses_a_file_newer_than_the_racy_window_before_the_read(tmp_path: Path
                                                                         ) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"one")
    cache = StatCache(tmp_path / "c.stat")
    started = time.time_ns()
    cache.learn(str(f), "made-up", started)  # modified now: it may have changed mid-read
    assert str(f) not in cache.entries
    old = started - 10 * RACY_NS
    os.utime(f, ns=(old, old))
    cache.learn(str(f), hashlib.sha256(b"one").hexdigest(), started)
    cache.save()
    again = StatCache(tmp_path / "c.stat")
    again.entries[str(f)][3] = "sentinel"  # proves the next answer comes from the cache
    assert again.sha256(str(f)) == "sentinel"


def test_learn_leaves_alone_what_this_run_already_hashed(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"one")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(f, ns=(old, old))
    cache = StatCache(tmp_path / "c.stat")
    assert cache.sha256(str(f)) == hashlib.sha256(b"one").hexdigest()
    cache.learn(str(f), "stale digest from a record", time.time_ns())
    assert cache.entries[str(f)][3] == hashlib.sha256(b"one").hexdigest()


def test_read_gives_the_bytes_and_their_hash_and_trusts_an_old_unchanged_entry(
        tmp_path: Path) -> None:
    f = tmp_path / "out.json"
    f.write_bytes(b"{}")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(f, ns=(old, old))
    cache = StatCache(tmp_path / "c.stat")
    assert cache.read(str(f)) == (b"{}", hashlib.sha256(b"{}").hexdigest())
    cache.save()
    again = StatCache(tmp_path / "c.stat")
    again.entries[str(f)][3] = "sentinel"
    assert again.read(str(f)) == (b"{}", "sentinel")
    f.write_bytes(b"[1]")  # changed: size and mtime move, so it is hashed again
    assert again.read(str(f)) == (b"[1]", hashlib.sha256(b"[1]").hexdigest())
    assert again.read(str(tmp_path / "gone")) is None


def test_a_manifest_read_knows_whether_it_is_still_the_file_on_disk(sample: Path) -> None:
    assert compile_project(Options(root=sample, env=dict(os.environ))).ok
    build = sample / "build"
    manifest = read_manifest(build)
    assert manifest.agents and manifest.still_on_disk(build)
    # Same bytes, same size, written anew (as a build that changed it would): read it again.
    (build / "manifest.json.new").write_bytes((build / "manifest.json").read_bytes())
    os.replace(build / "manifest.json.new", build / "manifest.json")
    assert not manifest.still_on_disk(build)
    assert read_manifest(build).still_on_disk(build)


def test_refresh_takes_verified_facts_older_than_the_racy_window_and_saves(tmp_path: Path
                                                                           ) -> None:
    now = time.time_ns()
    cache = StatCache(tmp_path / "c.stat")
    cache.refresh([("/p/old.json", 2, now - 10 * RACY_NS, 7, "digest-old"),
                   ("/p/new.json", 2, now, 8, "digest-new")], now)
    saved = StatCache(tmp_path / "c.stat").entries
    assert saved == {"/p/old.json": [2, now - 10 * RACY_NS, 7, "digest-old"]}


def test_saving_drops_an_entry_that_was_racy_and_was_not_checked_again(tmp_path: Path
                                                                       ) -> None:
    """Written at T with an mtime inside T's racy window, an entry was never vouched for; saved
    again later without being checked, it would be trusted (git smudges such entries)."""
    f = tmp_path / "a.yaml"
    f.write_bytes(b"one")
    first = StatCache(tmp_path / "c.stat")
    first.sha256(str(f))  # mtime: now, so racy for the cache written now
    first.save()
    other = tmp_path / "b.yaml"
    other.write_bytes(b"two")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(other, ns=(old, old))
    second = StatCache(tmp_path / "c.stat")
    second.sha256(str(other))  # this run checks b, not a
    second.save()
    assert sorted(StatCache(tmp_path / "c.stat").entries) == [str(other)]
