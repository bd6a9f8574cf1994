"""Property-based robustness: random YAML, and random mutations of the bundled agents, never make
the compiler raise or hang, and every error it reports points at a place in a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.build.compile import compile_project
from compiler.core.diagnostics import Severity
from compiler.pipeline.testing import run_passes
from compiler.project.options import Options
from tests.conftest import REPO

AGENT_FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "agents").rglob("*.yaml"))
TOKENS = [":", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!append ", "!delete", "'", '"',
          "{{ ", " }}", "{{ x }}", "${args.x}", "\t", "  ", "\n", "#", "---\n", "<<: *a\n",
          "0o17", "no", "~", "!!binary ", "%YAML 1.2\n", "? ", "|\n", ">-\n"]


def _located(diags: list) -> None:
    for d in diags:
        if d.severity is Severity.ERROR:
            assert d.span.file, d
            assert d.span.line >= 1 or d.span.file.startswith(("build/", "--var")), d


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab:- []{}'\"#&*!|>\n\t%${}0.~") + TOKENS), max_size=60)
       .map("".join))
def test_random_yaml_never_raises(text: str) -> None:
    _, diags = run_passes(text)
    _located(diags)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str]:
    rel = draw(st.sampled_from(AGENT_FILES))
    lines = (REPO / rel).read_text().split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "indent", "swap"]))
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "insert":
        col = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:col] + draw(st.sampled_from(TOKENS)) + lines[i][col:]
    elif kind == "replace" and lines[i]:
        col = draw(st.integers(0, len(lines[i]) - 1))
        lines[i] = lines[i][:col] + draw(st.sampled_from(TOKENS)) + lines[i][col + 1:]
    elif kind == "indent":
        lines[i] = draw(st.sampled_from(["", " ", "    ", "\t"])) + lines[i].lstrip()
    elif kind == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return rel, "\n".join(lines)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("robust")
    shutil.copytree(REPO / "agents", root / "agents")
    shutil.copy(REPO / "swmlc.yaml", root / "swmlc.yaml")
    return root


def _mutated_agent_never_raises(workdir: Path, change: tuple[str, str]) -> None:
    rel, text = change
    original = (REPO / rel).read_text()
    (workdir / rel).write_text(text)
    try:
        # a mutated definition is compiled alone; a partial, with the agents that read it
        only = () if "/_" in rel else (rel,)
        result = compile_project(Options(root=workdir, paths=only), write=False, reuse=False)
    finally:
        (workdir / rel).write_text(original)
    _located(result.diagnostics)


_HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
test_mutated_agents_never_raise = settings(max_examples=20, suppress_health_check=_HEALTH)(
    given(change=mutation())(_mutated_agent_never_raises))
test_many_mutated_agents_never_raise = pytest.mark.slow(
    settings(max_examples=150, suppress_health_check=_HEALTH)(
        given(change=mutation())(_mutated_agent_never_raises)))
