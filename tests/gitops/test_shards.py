"""Issue 17, point 4: ``swmlc build --shard K/N`` builds a balanced, deterministic part of the
agents (a fleet row costs what an agent costs), and ``swmlc merge`` joins the shards into a
build/ byte-identical to one machine's ``-j 1`` build; merge refuses shards that do not make
one build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from gitops_helpers import SAMPLE, snapshot

ROWS = "slug,city\n" + "".join(f"c{i},City{i}\n" for i in range(6))
PROJECT = {**SAMPLE, "agents/_fleet/rows.csv": ROWS}
# 3 agents + 6 fleet rows = 9 units; 4 shards take 2, 2, 2 and 3 of them, in path order.
UNITS = ["clinic-c0", "clinic-c1", "clinic-c2", "clinic-c3", "clinic-c4", "clinic-c5",
         "minimal", "sales", "support"]


@pytest.fixture
def repo(project: Callable[[dict[str, str]], Path]) -> Path:
    return project(PROJECT)


def _shards(swmlc: Callable[..., Result], n: int, *extra: str) -> list[Path]:
    folders = []
    for k in range(1, n + 1):
        result = swmlc("build", "--shard", f"{k}/{n}", "-o", f"shards/s{k}", "-j", "1", *extra)
        assert result.exit_code == 0, result.output
        folders.append(Path(f"shards/s{k}"))
    return folders


def _agents(folder: Path) -> list[str]:
    return sorted(json.loads((folder / "manifest.json").read_text())["agents"])


def test_four_shards_merge_into_the_single_machine_build_byte_for_byte(
        repo: Path, swmlc: Callable[..., Result], tmp_path_factory: pytest.TempPathFactory
) -> None:
    alone = tmp_path_factory.mktemp("alone")
    shutil.copytree(repo, alone, dirs_exist_ok=True)
    folders = _shards(swmlc, 4)
    # balanced by cost, in path order: the fleet's rows are spread over three shards
    assert [_agents(f) for f in folders] == [
        ["clinic-c0", "clinic-c1"], ["clinic-c2", "clinic-c3"], ["clinic-c4", "clinic-c5"],
        ["minimal", "sales", "support"]]
    assert json.loads((folders[1] / "manifest.json").read_text())["shard"] == "2/4"
    merged = swmlc("merge", *map(str, folders))
    assert merged.exit_code == 0, merged.output
    assert merged.output == "9 agents from 4 shards in build/ (10 written, 0 unchanged)\n"

    import os

    os.chdir(alone)
    single = swmlc("build", "-j", "1")
    assert single.exit_code == 0, single.output
    built = snapshot(alone / "build")
    assert sorted(built) == sorted([*(f"{a}.swml.json" for a in UNITS), "manifest.json"])
    assert snapshot(repo / "build") == built


def test_the_split_is_deterministic_and_every_agent_is_built_once(
        repo: Path, swmlc: Callable[..., Result]) -> None:
    for n in (1, 3, 12):
        folders = _shards(swmlc, n)
        names = [a for f in folders for a in _agents(f)]
        assert sorted(names) == UNITS, n
        sizes = [len(_agents(f)) for f in folders]
        assert max(sizes) - min(sizes) <= 1, (n, sizes)  # by cost, to one unit
        if n == 3:
            first = [_agents(f) for f in folders]
            shutil.rmtree("shards")
            assert [_agents(f) for f in _shards(swmlc, n)] == first
        shutil.rmtree("shards")


def test_merge_refuses_shards_that_do_not_make_one_build(
        repo: Path, swmlc: Callable[..., Result]) -> None:
    folders = _shards(swmlc, 3)
    missing = swmlc("merge", str(folders[0]), str(folders[2]))
    assert missing.exit_code == 1
    assert "the shards do not make one build of 3: missing 2/3" in missing.output
    twice = swmlc("merge", *map(str, folders), str(folders[0]))
    assert twice.exit_code == 1 and "given twice: 1/3" in twice.output
    assert not (repo / "build").exists()  # nothing was written

    other = swmlc("build", "--shard", "2/3", "-o", "other", "--var", "company=Globex")
    assert other.exit_code == 0, other.output
    mixed = swmlc("merge", str(folders[0]), "other", str(folders[2]))
    assert mixed.exit_code == 1
    assert "were built with a different options" in mixed.output

    manifest = folders[1] / "manifest.json"
    data = json.loads(manifest.read_text())
    data["compiler"] = "swmlc 0.0.1"
    manifest.write_text(json.dumps(data))
    version = swmlc("merge", *map(str, folders))
    assert version.exit_code == 1 and "different swmlc version" in version.output
    assert not (repo / "build").exists()


def test_merge_checks_each_document_and_the_names_it_writes(
        repo: Path, swmlc: Callable[..., Result]) -> None:
    folders = _shards(swmlc, 2)
    doc = folders[1] / "sales.swml.json"
    doc.write_text(doc.read_text().replace("You sell", "You steal"))
    tampered = swmlc("merge", *map(str, folders))
    assert tampered.exit_code == 1
    assert "sales.swml.json is not what its shard built" in tampered.output

    folders = _shards(swmlc, 2)
    manifest = folders[0] / "manifest.json"
    data = json.loads(manifest.read_text())
    entry = data["agents"]["clinic-c0"]
    entry["outputs"] = {"../../evil.swml.json": next(iter(entry["outputs"].values()))}
    manifest.write_text(json.dumps(data))
    escaping = swmlc("merge", *map(str, folders))
    assert escaping.exit_code == 1
    assert "names '../../evil.swml.json' for agent clinic-c0: not a file a build writes" \
        in escaping.output
    assert not (repo / "build").exists() and not (repo.parent / "evil.swml.json").exists()

    whole = swmlc("build", "-o", "whole")
    assert whole.exit_code == 0
    not_shard = swmlc("merge", "whole")
    assert not_shard.exit_code == 1 and "is a whole build, not a shard" in not_shard.output


def test_a_shard_needs_its_own_folder(repo: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("build", "--shard", "1/2")
    assert result.exit_code == 2 and "--shard writes one machine's part" in result.output
    bad = swmlc("build", "--shard", "3/2", "-o", "s")
    assert bad.exit_code == 1
    assert "--shard takes K/N with 1 <= K <= N (e.g. --shard 2/8), not '3/2'" in bad.output


@pytest.mark.slow
def test_shards_of_the_benchmark_repo_merge_into_its_single_build(tmp_path: Path) -> None:
    """The composed benchmark repo (extends chains, includes, Jinja, two fleets), shards built
    by worker processes, against one machine's -j 1 build."""
    import subprocess
    import sys

    from tests.test_benchmark_smoke import gen

    def run(root: Path, *args: str) -> None:
        proc = subprocess.run([sys.executable, "-m", "compiler", *args], cwd=root,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]

    sharded = gen.generate_repo(tmp_path / "sharded", 60).root
    single = gen.generate_repo(tmp_path / "single", 60).root
    for k in range(1, 5):
        run(sharded, "build", "--shard", f"{k}/4", "-o", f"s{k}", "-j", "2")
    run(sharded, "merge", "s1", "s2", "s3", "s4")
    run(single, "build", "-j", "1")
    assert snapshot(sharded / "build") == snapshot(single / "build")
    assert len(snapshot(single / "build")) == 60 + 6 + 1
