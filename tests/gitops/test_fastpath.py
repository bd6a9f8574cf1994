"""Issue 17, target 1: ``swmlc build`` and ``swmlc check`` on an unchanged project answer from
the record the last run left (compiler/fastpath.py) without importing the compiler, say exactly
what the ordinary path says, and go down the ordinary path as soon as anything their answer
depended on moved: an input, an output, a new definition, a declared environment variable, a
damaged record. Whole processes, since the record is only written and read by one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gitops_helpers import SAMPLE, snapshot, write_files

pytestmark = pytest.mark.slow  # each test runs swmlc as a process a few times

# The answer's origin is read from sys.modules at exit: the ordinary path imports the build.
RUN = ("import sys\n"
       "from compiler.fastpath import main\n"
       "code = main(sys.argv[1:])\n"
       "sys.stderr.write('<ordinary>' if 'compiler.build.compile' in sys.modules "
       "else '<answered>')\n"
       "raise SystemExit(code)\n")
PROJECT = {**SAMPLE, "swmlc.yaml": SAMPLE["swmlc.yaml"] + "env: [REGION]\n",
           "agents/minimal.yaml": SAMPLE["agents/minimal.yaml"]
           + "global_data:\n  region: \"{{ env('REGION') }}\"\n"}


def _age(root: Path) -> None:
    """Sources written seconds ago, as in a real checkout: a file changed in the clock tick of
    the record is compared by content, and the first record is not made of such files."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def _run(root: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """Exit code, stderr, and how the command answered ('answered' or 'ordinary')."""
    full = {**os.environ, "REGION": "eu", **env}
    done = subprocess.run([sys.executable, "-c", RUN, *args], cwd=root, env=full,
                          capture_output=True, text=True, timeout=300)
    said, _, how = done.stderr.rpartition("<")
    return done.returncode, said, how.rstrip(">")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_files(tmp_path / "p", PROJECT)
    _age(root)
    assert _run(root, "build")[0] == 0
    return root


def test_a_no_op_build_is_answered_with_the_words_of_the_ordinary_no_op(repo: Path) -> None:
    code, said, how = _run(repo, "build")  # the first build wrote the record
    assert (code, how) == (0, "answered")
    assert said == "5 agents in build/: 0 compiled, 5 up to date (0 written, 6 unchanged)\n"
    (repo / ".swmlc-noop.json").unlink()
    assert _run(repo, "build") == (0, said, "ordinary")
    assert _run(repo, "build") == (0, said, "answered")
    # another command line has a record of its own
    assert _run(repo, "build", "-j", "1")[2] == "ordinary"


@pytest.mark.parametrize("change", ["base", "output", "new agent", "env", "record"])
def test_anything_the_answer_depended_on_sends_the_build_down_the_ordinary_path(
        repo: Path, change: str) -> None:
    assert _run(repo, "build")[2] == "answered"
    env = {}
    if change == "base":  # same size, a later mtime
        base = repo / "agents/_base/voice.yaml"
        base.write_text(base.read_text().replace("600", "700"))
    elif change == "output":
        (repo / "build/support.swml.json").write_text("{}")
    elif change == "new agent":
        (repo / "agents/extra.yaml").write_text(SAMPLE["agents/minimal.yaml"])
    elif change == "env":
        env = {"REGION": "us"}
    else:  # one byte of the record flipped
        record = repo / ".swmlc-noop.json"
        data = bytearray(record.read_bytes())
        data[-3] ^= 1
        record.write_bytes(bytes(data))
    code, said, how = _run(repo, "build", **env)
    assert (code, how) == (0, "ordinary"), said
    if change == "base":
        doc = json.loads((repo / "build/support.swml.json").read_text())
        assert '"end_of_speech_timeout": 700' in json.dumps(doc)
    if change == "output":
        assert "1 compiled" in said and "1 written" in said
    if change == "new agent":
        assert (repo / "build/extra.swml.json").is_file()
    if change == "env":
        assert '"region": "us"' in (repo / "build/minimal.swml.json").read_text()


def test_a_check_is_answered_only_from_the_cache_folder_and_never_vouches_for_a_stale_build(
        repo: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in repo.iterdir())
    assert _run(repo, "check") == (0, "build/ is up to date (5 agents)\n", "ordinary")
    assert _run(repo, "check")[2] == "ordinary"  # no SWMLC_CACHE_DIR: no record anywhere
    assert sorted(p.name for p in repo.iterdir()) == before
    cache = str(tmp_path / "cache")
    assert _run(repo, "check", SWMLC_CACHE_DIR=cache)[2] == "ordinary"
    assert _run(repo, "check", SWMLC_CACHE_DIR=cache) == (
        0, "build/ is up to date (5 agents)\n", "answered")
    assert len(list((tmp_path / "cache/v1/checks").iterdir())) == 1
    hints = repo / "agents/_shared/hints.yaml"
    hints.write_text("hints: [Acme, Widgets]\n")
    code, said, how = _run(repo, "check", SWMLC_CACHE_DIR=cache)
    assert (code, how) == (1, "ordinary")
    assert "build/ does not match the sources" in said


def test_the_answered_build_leaves_build_byte_identical_and_writes_nothing(repo: Path) -> None:
    before = snapshot(repo / "build")
    stamps = {p: p.stat().st_mtime_ns for p in (repo / "build").iterdir()}
    assert _run(repo, "build")[2] == "answered"
    assert snapshot(repo / "build") == before
    assert {p: p.stat().st_mtime_ns for p in (repo / "build").iterdir()} == stamps


def test_the_record_settles_once_its_files_leave_the_racy_window(repo: Path) -> None:
    """The outputs were written in the record's clock tick, so they are compared by content;
    once they are older than the window, an answer saves the record as of then (stat only)."""
    record = repo / ".swmlc-noop.json"

    def written() -> int:
        return int(json.loads(record.read_bytes().split(b"\n", 1)[1])["written_ns"])

    first = written()
    time.sleep(2.2)
    assert _run(repo, "build")[2] == "answered"
    assert written() > first + 2_000_000_000
    settled = written()
    assert _run(repo, "build")[:3] == (
        0, "5 agents in build/: 0 compiled, 5 up to date (0 written, 6 unchanged)\n", "answered")
    assert written() == settled  # nothing left to settle


def test_the_record_hashes_only_what_a_stat_cannot_judge(repo: Path) -> None:
    """A file modified before the record's racy window is judged by its stat, so its digest is
    never compared: the record does not read a file nobody hashed yet just to hash it (the
    official schema, ~1.4 MB, which every build stats). Every input and output the build
    already hashed keeps its digest."""
    from compiler.signalwire.official_schema import locate_official_schema

    official = locate_official_schema()  # signalwire-sdk is a test dependency
    assert official is not None
    record = repo / ".swmlc-noop.json"

    def files() -> dict[str, list]:
        return {f[0]: f for f in json.loads(record.read_bytes().split(b"\n", 1)[1])["files"]}

    before = files()
    assert before[str(official)][5] == ""
    assert all(len(f[5]) == 64 for p, f in before.items() if p != str(official))
    assert _run(repo, "build")[2] == "answered"  # judged by its stat, as before


def test_swmlc_s_own_files_are_walked_once_per_process(repo: Path) -> None:
    """The key of a record stamps every file of swmlc's code; a build that looked for a record
    and then wrote one used to walk and stat them twice."""
    code = ("import sys\n"
            "from compiler.core import records\n"
            "calls = []\n"
            "walk = records.code_files\n"
            "records.code_files = lambda: calls.append(1) or walk()\n"
            "from compiler.fastpath import main\n"
            "code = main(['build', '-j', '1'])\n"
            "sys.stderr.write(f'<{len(calls)}>')\n"
            "raise SystemExit(code)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "REGION": "eu"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("<1>")  # the check found no record; the build wrote one
    assert _run(repo, "build", "-j", "1")[2] == "answered"
