"""The benchmark (benchmarks/, issue 7) keeps working: it runs end to end, its generator is
deterministic and makes the agents it claims to, and the composed and plain repos are the same
agents. No timing is asserted here: the figures live in docs/performance.md, from a quiet machine.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

# Whole benchmark runs in subprocesses.
pytestmark = pytest.mark.slow

BENCH = REPO / "benchmarks"
ROW_LABELS = (
    "floor (CSafeLoader load + json.dumps)",
    "full build",
    "no-op rebuild",
    "one-file change rebuild",
    "shared include change rebuild",
    "no-op check",
    "full build from a restored cache",
    "cold single-agent build",
    "swmlc --version",
    "signalwire-sdk cold agent",
    "peak RSS (full build)",
    "peak RSS, all processes (full build)",
)
N = 50  # issue 7: CI runs the benchmark at N=50 as a smoke test, no timing assertions


def _load_generate() -> ModuleType:
    """benchmarks/ is a folder of scripts, not a package: load the generator from its file."""
    name = "swmlc_benchmarks_generate"
    spec = importlib.util.spec_from_file_location(name, BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gen = _load_generate()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _ai(doc: dict[str, Any]) -> dict[str, Any]:
    (ai,) = [verb["ai"] for verb in doc["sections"]["main"] if "ai" in verb]
    return ai  # type: ignore[no-any-return]


def _build(root: Path) -> dict[str, bytes]:
    proc = subprocess.run([sys.executable, "-m", "compiler", "build"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {p.name: p.read_bytes() for p in sorted((root / "build").glob("*.swml.json"))}


@pytest.mark.parametrize("extra", [(), ("--plain",)], ids=["composed", "plain"])
def test_the_runner_prints_every_figure_and_exits_0(extra: tuple[str, ...]) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--agents", str(N), "--runs", "1", "--smoke",
         *extra],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    shared = "shared include change rebuild"  # the plain repo has no include to change
    for label in ROW_LABELS:
        present = any(line.startswith(label) for line in lines)
        assert present is not (extra and label == shared), f"row for {label!r}: {present}"
    assert "targets:" in lines
    assert any(line.startswith("machine: ") for line in lines)


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    for plain in (False, True):
        a = gen.generate_repo(tmp_path / f"a-{plain}", N, seed=3, plain=plain)
        b = gen.generate_repo(tmp_path / f"b-{plain}", N, seed=3, plain=plain)
        c = gen.generate_repo(tmp_path / f"c-{plain}", N, seed=4, plain=plain)
        assert _files(a.root) == _files(b.root)
        assert _files(a.root) != _files(c.root)
    assert gen.sdk_script(0, 3) == gen.sdk_script(0, 3)


def _plain_agents(root: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((root / "agents").rglob("*.yaml")):
        # libyaml's loader: the same values, in a tenth of the time on these long files
        yield path.name, yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def test_every_plain_agent_has_the_stated_shape(tmp_path: Path) -> None:
    repo = gen.generate_repo(tmp_path, N, plain=True)
    agents = list(_plain_agents(repo.root))
    assert len(agents) == N + N // 10 == repo.outputs
    for name, agent in agents:
        functions = agent["functions"]
        assert len(agent["prompt"]["sections"]) == 10, name
        assert len(agent["hints"]) == 20, name
        assert len(functions) == 8, name
        assert sum("data_map" in f for f in functions) == 4, name
        assert not {"extends", "include", "vars", "instances"} & set(agent), name
        assert "{{" not in json.dumps(agent), name


def test_the_composed_repo_uses_every_composition_feature(tmp_path: Path) -> None:
    repo = gen.generate_repo(tmp_path, N)
    agents = repo.root / "agents"

    def load(rel: str) -> Any:
        return yaml.safe_load((agents / rel).read_text(encoding="utf-8"))

    leaf = yaml.safe_load((repo.root / repo.leaf_files[0]).read_text(encoding="utf-8"))
    # an extends chain four files deep: team -> line -> region -> voice
    assert leaf["extends"] == "../_base/team-000.yaml"
    assert load("_base/team-000.yaml")["extends"] == "line-0.yaml"
    assert load("_base/line-0.yaml")["extends"] == "region-0.yaml"
    assert load("_base/region-0.yaml")["extends"] == "voice.yaml"
    assert load("_base/voice.yaml")["vars"]["open_days"][0] == "Monday"
    assert leaf["include"] == ["../_shared/hints-0.yaml", "../_shared/desk-0000.yaml"]
    assert set(leaf["vars"]) == {"company", "dept", "city", "agent_no"}
    text = json.dumps(leaf)
    assert "{{ company }}" in text and "{% if dept in" in text and "{% for day in" in text
    # each desk include is shared by exactly 10 agents
    assert repo.desk_files[0] == "agents/_shared/desk-0000.yaml"
    users = [f for f in repo.leaf_files if "desk-0000.yaml" in (repo.root / f).read_text()]
    assert len(users) == 10
    assert "{% for day in open_days %}" in json.dumps(load("_shared/desk-0000.yaml"))
    fleet = load("clinics.yaml")
    assert fleet["instances"] == "_fleet/clinics.csv" and fleet["agent"] == "clinic-{{ slug }}"
    stores = load("stores.yaml")
    assert stores["instances"] == "_fleet/stores.yaml" and stores["agent"] == "store-{{ slug }}"
    rows = (agents / "_fleet" / "clinics.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) - 1 + len(load("_fleet/stores.yaml")) == N // 10 == repo.fleet_rows
    body = json.dumps(leaf["functions"])
    assert body.count('"foreach"') == 2


def test_composed_and_plain_repos_build_to_the_same_documents(tmp_path: Path) -> None:
    """Both layouts are the same agents, so either one's figures describe the same work; and
    plain is what composition must resolve to, byte for byte."""
    composed = _build(gen.generate_repo(tmp_path / "composed", N).root)
    plain = _build(gen.generate_repo(tmp_path / "plain", N, plain=True).root)
    assert len(plain) == N + N // 10
    assert composed == plain


def test_the_sdk_builds_the_same_mid_size_agent(tmp_path: Path) -> None:
    pytest.importorskip("signalwire")
    proc = subprocess.run([sys.executable, "-c", gen.sdk_script(0)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ai = _ai(json.loads(proc.stdout))
    functions = ai["SWAIG"]["functions"]
    assert len(ai["prompt"]["pom"]) == 10
    assert len(ai["hints"]) == 20
    assert len(functions) == 8 and sum("data_map" in f for f in functions) == 4
    ours = _ai(json.loads(_build(gen.generate_repo(tmp_path / "one", 1, fleet=False).root)
                          ["agent-00000.swml.json"]))
    assert ai["prompt"]["pom"] == ours["prompt"]["pom"]


def test_the_running_figures_run_end_to_end(tmp_path: Path) -> None:
    """``run.py --running`` (benchmarks/running.py): exec beside swaig-test, the evaluators
    side by side on the same loopback server (it stops if they disagree), swmlc test over
    generated agents (it stops if a case fails); every row printed, no timing asserted."""
    from tests.conftest import env_without

    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--running", "--agents", "2", "--smoke",
         "--json", str(tmp_path / "running.json"), "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600, cwd=REPO,
        env=env_without("PYTHONPATH"))
    assert result.returncode == 0, result.stdout + result.stderr
    for label in ("swmlc exec, cold (expressions)", "swaig-test --exec, cold (same function)",
                  "evaluator per call: expressions (swmlc)",
                  "evaluator per call: webhook + foreach (SDK)",
                  "swmlc test (agents x 8 cases)", "compile alone (swmlc build --target swml -j 1)",
                  "swmlc graph, cold (bundled intake)"):
        assert label in result.stdout, label
    saved = json.loads((tmp_path / "running.json").read_text())
    assert all(fig["samples"] for fig in saved["figures"].values())
