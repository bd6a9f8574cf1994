"""``swmlc exec``: run one SWAIG function of an agent now, as the platform would during a call.

A data_map function is evaluated as SignalWire evaluates it (``compiler/signalwire/datamap``);
a web_hook_url function gets the POST the platform sends. HTTP is answered by recorded fixtures
(the default: a run never reaches the network unless asked), or sent for real with ``live``,
optionally recorded into a fixture file. Never prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.errors import SwmlcError
from compiler.core.tree import Span
from compiler.features.agents import (
    AgentDoc,
    Agents,
    check_arguments,
    coerce_arguments,
    find_function,
    is_document_path,
    load_agents,
)
from compiler.features.fixtures import Fixtures, FixtureTransport, load_fixtures, record
from compiler.project.options import Options
from compiler.signalwire.datamap import (
    FIXED_NOW,
    Call,
    Execution,
    FunctionContext,
    NotRunnable,
    Runtime,
    Transport,
    execute,
)
from compiler.signalwire.datamap.run import DEFAULT_CALL
from compiler.source.files import SourceFiles, display_path

__all__ = ["ExecRequest", "ExecResult", "exec_function", "global_data_of", "split_call_data"]

COMMAND_LINE = Span("<command line>", 0, 0, 0, 0)


@dataclass(frozen=True)
class ExecRequest:
    """What to run: the agent (a name, or a SWML document's path), the function and its
    arguments, the call it runs in, and where HTTP goes."""

    agent: str
    function: str
    args: Mapping[str, Any] = field(default_factory=dict)
    #: Arguments typed on the command line, read by each parameter's declared type.
    typed_args: Sequence[tuple[str, str]] = ()
    call: Mapping[str, Any] = field(default_factory=dict)
    global_data: Mapping[str, Any] = field(default_factory=dict)
    prompt_vars: Mapping[str, Any] = field(default_factory=dict)
    #: The function's meta_data as the call holds it now, over the function's own.
    meta_data: Mapping[str, Any] | None = None
    fixtures: Sequence[str] = ()
    live: bool = False
    allow_private: bool = False
    record: str | None = None
    now: datetime | None = None
    #: Log each template expanded and what it read, besides the branches and requests.
    trace: bool = False
    #: With ``live``: seconds to connect and in all (None: the platform's 30 and 120).
    timeout: float | None = None


#: Keys of ``--call-data`` read by the options of their own, not as call data.
_NOT_CALL_DATA = {"args": "--args", "global_data": "--global-data",
                  "meta_data": "--meta-data", "input": "nothing: it is empty until a webhook "
                  "responds"}


def split_call_data(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """``--call-data`` read as the platform lays the call data out: the call details it knows
    (``call_id``, ``caller_id_num``...) and, at the same root, prompt variables (any other
    key); the third value says why a key cannot be given this way."""
    details: dict[str, Any] = {}
    prompt_vars: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NOT_CALL_DATA:
            return {}, {}, f"'{key}' is not call data: give it with {_NOT_CALL_DATA[key]}"
        (details if key in DEFAULT_CALL else prompt_vars)[key] = value
    return details, prompt_vars, None


@dataclass
class ExecResult:
    execution: Execution | None = None
    agent: AgentDoc | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    recorded: str | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def global_data_of(agent: AgentDoc, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The agent's global_data as a call starts, with ``overrides`` merged over it."""
    base = agent.ai.get("global_data")
    data = dict(base) if isinstance(base, dict) else {}
    data.update(overrides)
    return data


def _load(options: Options, ref: str) -> tuple[Agents, str]:
    """The agents, and the name ``ref`` has among them (a document's agent is its stem)."""
    if is_document_path(options, ref):
        agents = load_agents(options, document=ref)
        return agents, next(iter(agents.by_name), ref)
    return load_agents(options, name=ref), ref


def _transport(options: Options, request: ExecRequest, files: SourceFiles,
               result: ExecResult) -> Transport:
    if request.live:
        from compiler.features.testing.live import Live

        allowed = request.allow_private or options.env.get("SWML_ALLOW_PRIVATE_URLS") == "1"
        return Live(options.env, allowed, request.timeout).transport()
    fixtures = Fixtures()
    for path in request.fixtures:
        rel = display_path(Path(path) if Path(path).is_absolute() else Path.cwd() / path,
                           options.root)
        found, said = load_fixtures(options.root, rel, COMMAND_LINE, files)
        fixtures += found
        result.diagnostics += said
    return FixtureTransport(fixtures)


def _bound(function: Any, agent: AgentDoc, options: Options, live: bool
           ) -> tuple[Any, Any, list[Diagnostic], dict[str, str]]:
    """The function and SWAIG defaults with secret placeholders bound from the environment
    when the request goes out for real (fixtures match the placeholders as written), the
    problems, and the secrets bound (name: value, so a recording can leave them out)."""
    swaig = agent.ai.get("SWAIG")
    defaults = swaig.get("defaults") if isinstance(swaig, dict) else None
    if not live:
        return function, defaults, [], {}
    from compiler.core.bind import bind
    from compiler.core.secrets import PLACEHOLDER

    missing: set[str] = set()
    bound = bind(function, options.env, missing), bind(defaults, options.env, missing)
    said = [codes.SECRET_UNSET.at(COMMAND_LINE, f"secret {name} is not set in the environment",
                                  help=f"export {name}=... to send the request with it")
            for name in sorted(missing)]
    used = {m.group(1) for m in PLACEHOLDER.finditer(repr((function, defaults)))}
    return bound[0], bound[1], said, {n: options.env[n] for n in used if n in options.env}


def exec_function(options: Options, request: ExecRequest) -> ExecResult:
    """Run one function; every problem is a diagnostic, nothing is printed."""
    agents, name = _load(options, request.agent)
    result = ExecResult(diagnostics=list(agents.diagnostics), texts=agents.texts)
    if not agents.ok:
        return result
    agent = agents.get(name, COMMAND_LINE)
    if isinstance(agent, Diagnostic):
        result.diagnostics.append(agent)
        return result
    result.agent = agent
    function = find_function(agent, request.function, COMMAND_LINE)
    if isinstance(function, Diagnostic):
        result.diagnostics.append(function)
        return result
    args = {**request.args, **coerce_arguments(function, list(request.typed_args))}
    result.diagnostics += check_arguments(function, args, COMMAND_LINE)
    files = SourceFiles(options.root, jail=False)  # the fixture files a user names are theirs
    transport = _transport(options, request, files, result)
    function, defaults, said, secrets = _bound(function, agent, options, request.live)
    result.diagnostics += said
    result.texts.update(files.texts)
    if not result.ok:
        return result
    call = Call(details={**DEFAULT_CALL, **request.call},
                global_data=global_data_of(agent, request.global_data),
                prompt_vars=dict(request.prompt_vars),
                meta_data=dict(request.meta_data) if request.meta_data is not None else None)
    now = request.now
    clock = (lambda: now) if now is not None else _now if request.live else (lambda: FIXED_NOW)
    runtime = Runtime(transport, FunctionContext(clock=clock), trace=request.trace)
    try:
        result.execution = execute(function, args, call, runtime,
                                   defaults=defaults)
    except NotRunnable as exc:
        result.diagnostics.append(codes.UNKNOWN_FUNCTION.at(COMMAND_LINE, str(exc)))
        return result
    result.diagnostics += _transport_problems(transport)
    if request.live:
        from compiler.features.scrub import scrub_text

        result.execution.notes += [
            scrub_text(f"{rq.method} {rq.url} got no answer: {rs.error}", secrets)
            for rq, rs in result.execution.exchanges if rs.error is not None]
    result.diagnostics += [codes.SWAIG_REPLY.at(COMMAND_LINE, f"the web_hook_url's reply: {p}",
                                                help="answer {\"response\": TEXT, \"action\": "
                                                "[...]} (docs/testing.md)")
                           for p in result.execution.reply_problems]
    if request.record is not None and result.ok:
        result.recorded = _record(options, request.record, result.execution, files, secrets)
    return result


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _transport_problems(transport: Transport) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for miss in getattr(transport, "misses", []):
        out.append(codes.NO_FIXTURE.at(
            COMMAND_LINE, f"no fixture answers {miss.method} {miss.url}",
            help="add one to a fixture file (--http FILE), or record it: "
            "swmlc exec ... --live --record FILE"))
    for sent, why in getattr(transport, "refused", []):
        out.append(codes.NO_FIXTURE.at(COMMAND_LINE, f"{sent.method} {sent.url} refused: {why}"))
    return out


def _record(options: Options, target: str, execution: Execution, files: SourceFiles,
            secrets: Mapping[str, str]) -> str:
    """Write the run's exchanges into the fixture file ``target`` (inside the project)."""
    from compiler.core.fs import write_atomic

    path = (Path.cwd() / target).resolve()
    root = options.root.resolve()
    if root not in path.parents:
        raise SwmlcError(f"--record writes inside the project: {target} is outside {root}")
    rel = path.relative_to(root).as_posix()
    existing, existing_text = Fixtures(), ""
    if path.is_file():
        existing, said = load_fixtures(options.root, rel, COMMAND_LINE, files)
        if said:
            raise SwmlcError(f"{rel} is not a valid fixture file; fix it or record elsewhere")
        existing_text = files.texts.get(rel, "")
    schema = Path(*[".."] * (len(Path(rel).parts) - 1), "schemas", "http-fixtures.schema.json")
    text = record(execution.exchanges, existing=existing, existing_text=existing_text,
                  schema_ref=schema.as_posix(), secrets=secrets)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return rel
