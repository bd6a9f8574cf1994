"""A turn's expectations checked against what the run gave. Each one not met is a diagnostic
(SWC706) at the line of YAML that states it, with what the run gave instead in its notes, so a
failure reads like a compiler error: file:line:col, a caret, the fix in plain sight."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Seq
from compiler.features.fixtures import request_problem
from compiler.features.matching import match_string, subset
from compiler.features.testing.conversation import Call
from compiler.signalwire.datamap import Execution

__all__ = ["Seen", "check"]


@dataclass
class Seen:
    """What a turn left to check: the run (None for a move), the call, the prompt now."""

    execution: Execution | None
    call: Call
    prompt: Callable[[], str]


def _show(value: Any, limit: int = 400) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _actions(reply: Any) -> list[Any]:
    action = reply.get("action") if isinstance(reply, dict) else None
    return action if isinstance(action, list) else [action] if action else []


def _in_order(expected: list[Any], actual: list[Any]) -> str | None:
    """Each expected action is a subset of an actual one, in the order listed."""
    if not expected:
        return None if not actual else f"expected no actions, got {len(actual)}"
    position = 0
    for want in expected:
        while position < len(actual) and subset(want, actual[position]) is not None:
            position += 1
        if position == len(actual):
            return f"no action matches {_show(want, 160)} (in this order)"
        position += 1
    return None


def _requests(expected: Seq, run: Execution) -> tuple[int | None, str | None]:
    """(which expected request fails, why)."""
    sent = run.requests
    if len(expected) != len(sent):
        return None, f"expected {len(expected)} request(s), {len(sent)} sent"
    for index, (want, request) in enumerate(zip(expected, sent, strict=True)):
        problem = request_problem(want, request)
        if problem is not None:
            return index, problem
    return None, None


def _reply_checks(key: str, want: Any, run: Execution | None) -> tuple[str | None, Any]:
    """(what is wrong, what the run gave) for an expectation about the reply."""
    if run is None:
        return f"'{key}' is checked after a function call; this turn calls none", None
    reply = run.reply
    if key == "response":
        text = reply.get("response") if isinstance(reply, dict) else None
        given = text if isinstance(text, str) else None
        problem = match_string(want, given)
        return (f"the response {problem}" if problem else None), text
    if key == "reply":
        return subset(want, reply), reply
    if key == "via":
        return (None if run.via == want else f"the reply came from {run.via}, not {want}"), \
            run.via
    if key == "actions":
        return _in_order(list(want), _actions(reply)), _actions(reply)
    return None, None


def _step_names(call: Call) -> list[str]:
    """Every step, named as a test names it from where the call is (CONTEXT.STEP elsewhere)."""
    here = call.context
    return [step.name if at[0] == here else f"{at[0]}.{step.name}"
            for at, step in call.flow.steps()]


def _unknown(names: list[Any], known: list[str], what: str) -> str:
    """``; the agent has no step 'x' (did you mean 'y'?)`` for the first name that names
    nothing, so a typo in an expectation reads as one."""
    from compiler.core.suggest import did_you_mean

    for name in names:
        if str(name) not in known:
            guess = did_you_mean(str(name), known)
            return f"; the agent has no {what} '{name}'" + \
                (f" (did you mean '{guess}'?)" if guess else "")
    return ""


def _reachable(want: Any, call: Call) -> tuple[str | None, Any]:
    """The steps reachable from where the call is, named as the test names them."""
    if call.at is None:
        return "the agent has no contexts and steps", None
    here = call.at[0]
    names = sorted(call.flow.step(at).name if at[0] == here
                   else f"{at[0]}.{call.flow.step(at).name}"
                   for at in call.flow.reachable_from(call.at))
    if isinstance(want, list):
        extra = sorted(set(names) - {str(w) for w in want})
        lacking = sorted({str(w) for w in want} - set(names))
        if not extra and not lacking:
            return None, names
        return "the steps reachable from '" + str(call.step_name) + "' differ: " + "; ".join(
            p for p in (f"also reaches {', '.join(extra)}" if extra else "",
                        f"cannot reach {', '.join(lacking)}" if lacking else "") if p) \
            + _unknown(lacking, _step_names(call), "step"), names
    lacking = [str(w) for w in want.get("includes", []) if str(w) not in names]
    reached = [str(w) for w in want.get("excludes", []) if str(w) in names]
    problems = ([f"cannot reach {', '.join(lacking)}"] if lacking else []) + \
        ([f"reaches {', '.join(reached)}"] if reached else [])
    return (f"from '{call.step_name}' the call {'; '.join(problems)}"
            + _unknown(lacking, _step_names(call), "step") if problems else None), names


def _call_checks(key: str, want: Any, seen: Seen) -> tuple[str | None, Any]:
    call = seen.call
    if key == "global_data":
        return subset(want, call.global_data), call.global_data
    if key == "context":
        return (None if call.context == want else f"the call is in context {call.context}, "
                f"not {want}" + _unknown([want], list(call.flow.contexts), "context")), \
            call.context
    if key == "step":
        return (None if call.step_name == want else f"the call is in step {call.step_name}, "
                f"not {want}" + _unknown([want], _step_names(call), "step")), call.step_name
    if key == "functions":
        now = call.functions()
        known = [str(f.get("function")) for f in call.agent.functions if isinstance(f, dict)]
        return (None if sorted(now) == sorted(want) else "the functions the model can call "
                "differ" + _unknown(list(want), known, "function")), now
    if key == "ended":
        ended = call.ended is not None
        return (None if ended == want else f"the call has {'' if ended else 'not '}ended"), \
            call.ended
    if key == "reachable":
        return _reachable(want, call)
    if key == "prompt":
        text = seen.prompt()
        problem = match_string(want, text)
        return (f"the prompt {problem}" if problem else None), text
    return None, None


def check(expect: Map | None, seen: Seen) -> list[Diagnostic]:
    """Every expectation of ``expect`` that ``seen`` does not meet, at its place."""
    out: list[Diagnostic] = []
    for key, want in (expect or {}).items():
        if key == "refused":
            continue  # the runner checks it: it decides whether the turn ran at all
        span = expect.value_span(key) if expect is not None else None
        problem: str | None
        given: Any
        if key == "requests":
            if seen.execution is None:
                problem, given = "'requests' is checked after a function call", None
            else:
                index, problem = _requests(want, seen.execution)
                given = [f"{r.method} {r.url}" for r in seen.execution.requests]
                if index is not None:
                    span = want.item_span(index)
        elif key in ("response", "reply", "via", "actions"):
            problem, given = _reply_checks(key, want, seen.execution)
        else:
            problem, given = _call_checks(key, want, seen)
        if problem is not None and span is not None:
            notes: tuple[str, ...] = (f"got: {given}" if isinstance(given, str)
                                      else f"got: {_show(given)}",)
            if seen.execution is not None and seen.execution.notes:
                notes += tuple(f"run note: {n}" for n in seen.execution.notes[:3])
            out.append(codes.TEST_FAILED.at(span, f"expect.{key}: {problem}", notes=notes))
    return out
