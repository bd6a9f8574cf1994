"""``swmlc test``: test files of cases run against the compiled agents, with coverage.

A test file (``*.test.yaml`` under the project's ``tests`` folder, ``tests/agents/`` by default;
``schemas/agent-test.schema.json``; docs/testing.md) names an agent and lists cases. A case
calls one function and checks its reply, actions and requests; or it plays a conversation,
turn by turn, through the contexts and steps, checking where the call is and what the model
reads. HTTP is answered by fixtures only (:mod:`compiler.features.fixtures`), the clock is
fixed, so a run is the same everywhere. Coverage counts the branches of every function and the
steps the cases reached (:mod:`.coverage`). Never prints: :mod:`.report` renders a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Span
from compiler.features.agents import load_agents
from compiler.features.testing.coverage import AgentCoverage
from compiler.features.testing.live import Live
from compiler.features.testing.model import SUFFIX, load_test_file
from compiler.features.testing.run import CaseResult, TestedAgent, run_file, tested_agent
from compiler.project.options import Options
from compiler.source.files import SourceFiles, display_path

__all__ = ["CaseResult", "TestRun", "find_test_files", "run_tests"]


@dataclass
class TestRun:
    """A whole run: each case's result, what was said outside any case (a test file that is
    not valid, an agent that does not compile), and each tested agent's coverage."""

    results: list[CaseResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    coverage: dict[str, AgentCoverage] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0 and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)


def find_test_files(options: Options, tests_dir: str, paths: tuple[str, ...]
                    ) -> tuple[list[str], list[Diagnostic]]:
    """The test files to run: under ``paths`` (files or folders), else the tests folder."""
    root = options.root
    wanted = [Path(p) if Path(p).is_absolute() else Path.cwd() / p for p in paths] \
        or [root / tests_dir]
    found: list[str] = []
    said: list[Diagnostic] = []
    for path in wanted:
        if path.is_file():
            found.append(display_path(path, root))
        elif path.is_dir():
            found += sorted(display_path(p, root) for p in path.rglob(f"*{SUFFIX}")
                            if p.is_file() and not any(part.startswith(".")
                                                       for part in p.relative_to(path).parts))
        elif paths:
            said.append(codes.PATH_NOT_FOUND.at(Span(str(path), 0, 0, 0, 0),
                                                f"no such file or folder: {path}"))
    return list(dict.fromkeys(found)), said


def run_tests(options: Options, paths: tuple[str, ...] = (), select: str | None = None,
              live: Live | None = None) -> TestRun:
    """Run the test files (all of the project's, or those under ``paths``); ``select`` keeps
    the cases whose name contains it (any case); ``live`` sends HTTP for real."""
    import time

    from compiler.project.load import load_project

    started = time.perf_counter()
    project, said = load_project(options)
    run = TestRun(diagnostics=list(said))
    if any(d.severity is Severity.ERROR for d in said):
        return run
    run.files, said = find_test_files(options, project.config.tests, paths)
    run.diagnostics += said
    if not run.files:
        return run
    agents = load_agents(options)
    run.texts.update(agents.texts)
    run.diagnostics += agents.diagnostics
    if not agents.ok:
        return run
    files = SourceFiles(options.root)
    known: dict[str, TestedAgent] = {}
    for rel in run.files:
        test, problems = load_test_file(rel, files)
        run.diagnostics += problems
        if test is None:
            continue
        results, problems = run_file(test, agents, known, select, live)
        run.results += results
        run.diagnostics += problems
    run.texts.update(files.texts)
    if not paths and select is None:  # the whole suite: an agent no file tests counts too
        for name, doc in agents.by_name.items():
            if name not in known:
                known[name] = tested_agent(doc)
    run.coverage = {name: agent.coverage for name, agent in sorted(known.items())
                    if agent.coverage.items}
    run.seconds = time.perf_counter() - started
    return run
