"""Running the cases of test files against compiled agents: each case from a fresh call, its
turns in order, its HTTP answered by fixtures (or sent for real with ``--live``), its clock
fixed; what the runs reached is
added to each agent's coverage."""

from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass, field, replace
from typing import Any

from compiler.analysis.actions import reply_problems, symbols_of_ai
from compiler.analysis.flow import Flow, ai_flow
from compiler.analysis.symbols import Symbols
from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import NO_SPAN, Seq, Span, span_at
from compiler.features.agents import AgentDoc, Agents, check_arguments, find_function
from compiler.features.exec import global_data_of
from compiler.features.fixtures import FixtureTransport
from compiler.features.matching import match_string
from compiler.features.testing.conversation import Call, Moved
from compiler.features.testing.coverage import AgentCoverage, branch_key, coverage_of, step_key
from compiler.features.testing.expect import Seen, check
from compiler.features.testing.live import Live
from compiler.features.testing.model import Case, TestFile, Turn
from compiler.features.testing.prompt import step_prompt
from compiler.lints.unknown_action_target import CODE as UNKNOWN_ACTION_TARGET
from compiler.signalwire.datamap import (
    DEFAULT_CALL,
    FIXED_NOW,
    Execution,
    FunctionContext,
    NotRunnable,
    Runtime,
    execute,
)
from compiler.signalwire.datamap import (
    Call as CallData,
)
from compiler.signalwire.pcre import Patterns

__all__ = ["CaseResult", "run_file"]


@dataclass
class CaseResult:
    """One case run against one agent. ``status`` is passed, failed or skipped."""

    file: str
    name: str
    agent: str
    status: str
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped_because: str | None = None

    @property
    def title(self) -> str:
        return f"{self.name} [{self.agent}]"


@dataclass
class TestedAgent:
    """An agent of a run: its graph, its coverage so far, and its compiled patterns (its
    expressions are matched again in case after case)."""

    doc: AgentDoc
    flow: Flow
    coverage: AgentCoverage
    symbols: Symbols
    patterns: Patterns = field(default_factory=dict)


def tested_agent(doc: AgentDoc) -> TestedAgent:
    """An agent ready for cases: its conversation graph, its names, and nothing covered yet."""
    flow = ai_flow(doc.ai)
    return TestedAgent(doc, flow, coverage_of(doc, flow), symbols_of_ai(doc.ai))


def _declared_reply(run: Execution, transport: object, agent: TestedAgent
                    ) -> list[Diagnostic]:
    """A web_hook_url function's reply comes from the fixture a test declares: its actions are
    checked as a DataMap's are (SWC423), at their place in the fixture, since the platform
    would ignore a step, a context or a function the agent does not have. (A live server's
    reply, under --live, is the server's to get right.)"""
    if run.via != "webhook" or not isinstance(transport, FixtureTransport) \
            or not transport.answered:
        return []
    fixture = transport.answered[-1]
    return [UNKNOWN_ACTION_TARGET.at(
        span_at(fixture.body, p.path) or fixture.span,
        f"the fixture's reply: {p.message}", help=p.help)
        for p in reply_problems(run.reply, agent.symbols, run.function)]


def agents_of(test: TestFile, agents: Agents) -> tuple[list[str], list[Diagnostic]]:
    """The agents a test file names (each name may be a glob), or why one names none."""
    out: list[str] = []
    said: list[Diagnostic] = []
    raw = test.node.get("agent")
    for index, name in enumerate(test.agents):
        site = raw.item_span(index) if isinstance(raw, Seq) else test.node.value_span("agent")
        if any(c in name for c in "*?["):
            found = sorted(n for n in agents.by_name if fnmatch.fnmatchcase(n, name))
            if not found:
                said.append(codes.UNKNOWN_AGENT.at(site, f"no agent matches '{name}'",
                                                   help="the project builds: "
                                                   + ", ".join(sorted(agents.by_name))))
            out += found
            continue
        got = agents.get(name, site)
        if isinstance(got, Diagnostic):
            said.append(got)
        else:
            out.append(name)
    return list(dict.fromkeys(out)), said


@dataclass
class _Turned:
    """What a turn did: the run (a function call), the refusal of the move or call (with the
    place it was asked), and anything else that went wrong."""

    run: Execution | None = None
    refusal: Moved | None = None
    refused_at: Span = NO_SPAN
    said: list[Diagnostic] = field(default_factory=list)


def _run_function(turn: Turn, call: Call, case: Case, agent: TestedAgent,
                  live: Live | None) -> _Turned:
    site = turn.node.value_span("function")
    name = str(turn.function)
    function = find_function(agent.doc, name, site)
    if isinstance(function, Diagnostic):  # a name the agent lacks, before what a step allows
        return _Turned(said=[function])
    if case.conversation:
        moved = call.may_call(name)
        if moved.problem is not None:
            return _Turned(refusal=moved, refused_at=site)
    args = turn.args if isinstance(turn.args, dict) else {}
    args_site = turn.node.value_span("args") if "args" in turn.node else site
    undeclared = [d.with_severity(Severity.ERROR) for d in check_arguments(function, args,
                                                                            args_site)
                  if "declares no parameter" in d.message]
    if undeclared:
        return _Turned(said=undeclared)
    swaig = agent.doc.ai.get("SWAIG")
    defaults = swaig.get("defaults") if isinstance(swaig, dict) else None
    secrets: dict[str, str] = {}
    if live is not None:
        function, defaults, secrets, unset = live.bind(function, defaults, site)
        if unset:
            return _Turned(said=unset)
    transport = live.transport() if live is not None else FixtureTransport(case.fixtures)
    now = case.now or FIXED_NOW
    runtime = Runtime(transport, FunctionContext(clock=lambda: now), patterns=agent.patterns)
    data = CallData({**DEFAULT_CALL, **case.call}, call.global_data, dict(case.prompt_vars))
    try:
        run = execute(function, dict(args), data, runtime, defaults=defaults)
    except NotRunnable as exc:
        return _Turned(said=[codes.UNKNOWN_FUNCTION.at(site, str(exc))])
    agent.coverage.hit.update(branch_key(name, p) for p in run.covered)
    misses = [codes.NO_FIXTURE.at(site, f"no fixture answers {m.method} {m.url}",
                                  help="add it to the case's fixtures (swmlc exec --live "
                                  "--record FILE records one)")
              for m in getattr(transport, "misses", [])]
    misses += live.failures(run, site, secrets) if live is not None else []
    if not misses:
        misses = _declared_reply(run, transport, agent)
    if not misses:
        call.apply(run.reply)
    return _Turned(run=run, said=misses)


def _move(turn: Turn, call: Call) -> _Turned:
    if turn.step is not None:
        moved, key = call.move_step(turn.step), "step"
    elif turn.context is not None:
        moved, key = call.move_context(turn.context), "context"
    else:
        return _Turned()
    if moved.problem is None:
        return _Turned()
    return _Turned(refusal=moved, refused_at=turn.node.value_span(key))


def _refusal(turn: Turn, done: _Turned) -> list[Diagnostic]:
    """A refused move fails the case, unless the turn expects it (``expect: refused``)."""
    expect = turn.expect
    if done.refusal is not None and done.refusal.unknown and done.refusal.problem is not None:
        return [codes.TEST_FILE.at(done.refused_at, done.refusal.problem,
                                   help=done.refusal.help)]
    wanted = expect.get("refused") if expect is not None else None
    if wanted is None or expect is None:
        if done.refusal is None or done.refusal.problem is None:
            return []
        return [codes.TEST_FAILED.at(done.refused_at, done.refusal.problem,
                                     help=done.refusal.help)]
    if done.refusal is None or done.refusal.problem is None:
        return [codes.TEST_FAILED.at(expect.value_span("refused"),
                                     "expect.refused: the move was allowed")]
    problem = match_string(wanted, done.refusal.problem)
    if problem is None:
        return []
    return [codes.TEST_FAILED.at(expect.value_span("refused"),
                                 f"expect.refused: it was refused, but the reason {problem}",
                                 notes=(f"got: {done.refusal.problem}",))]


def _prompt(call: Call, case: Case) -> str:
    now = case.now or FIXED_NOW
    data: dict[str, Any] = {**DEFAULT_CALL, **case.call, **case.prompt_vars,
                            "global_data": call.global_data}
    return step_prompt(call.agent.ai, call.context, call.step, data,
                       FunctionContext(clock=lambda: now))


def _run_case(case: Case, agent: TestedAgent, file: str, live: Live | None) -> CaseResult:
    result = CaseResult(file, case.name, agent.doc.name, "passed")
    call = Call(agent.doc, agent.flow, global_data_of(agent.doc, case.global_data))
    if case.conversation:
        start = case.start
        moved = call.start(start.get("context") if start else None,
                           start.get("step") if start else None)
        if moved.problem is not None and start is not None:
            code = codes.TEST_FILE if moved.unknown else codes.TEST_FAILED
            key = "step" if "has no step" in moved.problem else "context"
            site = start.value_span(key) if key in start else start.span
            result.diagnostics.append(code.at(site, moved.problem, help=moved.help))
    for turn in case.turns:
        if result.diagnostics:
            break
        done = _run_function(turn, call, case, agent, live) if turn.function is not None \
            else _move(turn, call)
        result.diagnostics += done.said + _refusal(turn, done)
        if not result.diagnostics:
            result.diagnostics += check(turn.expect, Seen(done.run, call,
                                                          lambda: _prompt(call, case)))
    if case.conversation:
        agent.coverage.hit.update(step_key(c, agent.flow.step((c, i)).name)
                                  for c, i in call.visited)
    result.status = "failed" if result.diagnostics else "passed"
    return result


def run_file(test: TestFile, agents: Agents, known: dict[str, TestedAgent],
             select: str | None, live: Live | None = None
             ) -> tuple[list[CaseResult], list[Diagnostic]]:
    """Every case of ``test`` against each agent it names (``live``: HTTP sent for real)."""
    names, said = agents_of(test, agents)
    results: list[CaseResult] = []
    for name in names:
        if name not in known:
            known[name] = tested_agent(agents.by_name[name])
        for case in test.cases:
            if select is not None and select.lower() not in case.name.lower():
                continue
            if case.skip is not None:
                results.append(CaseResult(test.path, case.name, name, "skipped",
                                          skipped_because=case.skip))
                continue
            started = time.perf_counter()
            outcome = _run_case(case, known[name], test.path, live)
            outcome.seconds = time.perf_counter() - started
            if len(names) > 1:  # one file, several agents: say which one failed
                outcome.diagnostics = [replace(d, notes=(*d.notes, f"agent: {name}"))
                                       for d in outcome.diagnostics]
            results.append(outcome)
    return results, said
