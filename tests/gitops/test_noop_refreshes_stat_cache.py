"""A no-op build answered from its record (compiler/fastpath.py) never compiles, so it refreshes
the build's stat cache when it settles the record: the build after it finds the outputs the last
build wrote vouched for by their stat, instead of reading and hashing every one of them again.
Whole processes, since the record is only written and read by one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # waits out the two-second racy window

AGENTS = {f"agents/a{i}.yaml": f"prompt:\n  text: Agent {i}.\n" for i in range(3)}


# Through the launcher, saying at exit whether the build was imported (the ordinary path) or not
# (answered from the record).
RUN = ("import sys\nfrom compiler.fastpath import main\ncode = main(sys.argv[1:])\n"
       "sys.stderr.write('<ordinary>' if 'compiler.build.compile' in sys.modules "
       "else '<answered>')\nraise SystemExit(code)\n")


def _swmlc(root: Path, *argv: str) -> str:
    done = subprocess.run([sys.executable, "-c", RUN, *argv], cwd=root,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stderr


def test_a_settling_noop_teaches_the_stat_cache_the_outputs(
        project: Callable[[dict[str, str]], Path]) -> None:
    root = project(AGENTS)
    past = time.time_ns() - 60 * 1_000_000_000
    for rel in AGENTS:
        os.utime(root / rel, ns=(past, past))
    assert _swmlc(root, "build").endswith("<ordinary>")
    stat_file = root / ".swmlc-build.stat"
    outputs = sorted(str(p) for p in (root / "build").iterdir())
    assert not set(outputs) & set(json.loads(stat_file.read_text())["files"])  # all racy then
    time.sleep(2.2)  # the outputs leave the racy window
    said = _swmlc(root, "build")
    assert said == "3 agents in build/: 0 compiled, 3 up to date (0 written, 4 unchanged)\n" \
        "<answered>"
    entries = json.loads(stat_file.read_text())["files"]
    for out in outputs:
        st = os.stat(out)
        assert entries[out][:3] == [st.st_size, st.st_mtime_ns, st.st_ino], out


def test_a_record_cannot_name_a_file_outside_the_project_as_a_stat_cache(
        project: Callable[[dict[str, str]], Path], tmp_path_factory: pytest.TempPathFactory
        ) -> None:
    from compiler.core.records import _own_stat_cache

    root = os.path.realpath(project(AGENTS))
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert _own_stat_cache(os.path.join(root, ".swmlc-build.stat"), root)
    assert not _own_stat_cache(os.path.join(elsewhere, ".swmlc-build.stat"), root)
    assert not _own_stat_cache(os.path.join(root, "agents", "a0.yaml"), root)
    assert not _own_stat_cache(["not", "a", "path"], root)
