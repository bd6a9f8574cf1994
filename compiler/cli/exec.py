"""``swmlc exec``: run one SWAIG function of an agent now, as the platform would."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from compiler.cli._common import (
    Exit,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    live_request_options,
    recorded_options,
    variable_options,
)


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in values:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got '{item}'", param_hint=option)
        out.append((key, value))
    return out


def _extra(tokens: tuple[str, ...]) -> list[tuple[str, str]]:
    """``--city Austin --days=3`` after the function name, as swaig-test takes them."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith("--") or len(token) < 3:
            raise click.UsageError(f"unexpected '{token}': give arguments as --NAME VALUE or "
                                   "--arg NAME=VALUE")
        name, eq, value = token[2:].partition("=")
        if not eq:
            if i + 1 >= len(tokens):
                raise click.UsageError(f"--{name} needs a value")
            value, i = tokens[i + 1], i + 1
        out.append((name, value))
        i += 1
    return out


def _json_object(text: str | None, option: str) -> dict[str, Any]:
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg} (column {exc.colno})",
                                 param_hint=option) from None
    if not isinstance(value, dict):
        raise click.BadParameter("expected a JSON object", param_hint=option)
    return value


@click.command("exec", context_settings={"ignore_unknown_options": True},
               epilog="Example: swmlc exec weather get_weather --city Austin "
                      "--http tests/agents/fixtures/wttr.yaml")
@click.argument("agent")
@click.argument("function")
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
@click.option("-a", "--arg", "arg", multiple=True, metavar="NAME=VALUE",
              help="An argument (read by the type its parameter declares); repeatable.")
@click.option("--args", "args_json", metavar="JSON", help="All arguments as a JSON object.")
@click.option("--global-data", "global_json", metavar="JSON",
              help="global_data merged over the agent's own, as the call has it now.")
@click.option("--meta-data", "meta_json", metavar="JSON",
              help="The function's meta_data as the call holds it now (${meta_data.x}), "
                   "over the function's own.")
@click.option("--call-data", "call_json", metavar="JSON",
              help="The call data at its root: call details (call_id, caller_id_num...) and "
                   "prompt variables (any other key).")
@click.option("--call", "call", multiple=True, metavar="KEY=VALUE",
              help="One call detail (caller_id_num=+1555...); repeatable.")
@click.option("--prompt-var", "prompt_var", multiple=True, metavar="KEY=VALUE",
              help="One prompt variable (at the root of the call data); repeatable.")
@click.option("--http", "--fixtures", "fixtures", multiple=True,
              type=click.Path(dir_okay=False), metavar="FILE",
              help="HTTP fixtures (recorded responses) answering the function's requests; "
                   "repeatable. --fixtures is the same.")
@click.option("--live", is_flag=True, help="Send HTTP requests for real instead; secrets are "
              "read from the environment only then.")
@live_request_options
@click.option("--record", metavar="FILE", help="With --live, write the exchanges to FILE "
              "(a fixture file, secrets and credentials left out; existing exchanges kept).")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"]),
              help="The clock for @{strftime_tz} (default: a fixed instant; --live: now).")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "text"]),
              default="human", show_choices=False, metavar="[human|json]",
              help="json: stdout holds exactly the reply the platform hands the model. "
                   "[default: human]")
@click.option("--trace", "-v", "--verbose", "trace", is_flag=True,
              help="On stderr: which expression or webhook matched, each request sent, each "
                   "template expanded and what it read.")
@variable_options
@error_format_option
def exec_cmd(*, agent: str, function: str, extra: tuple[str, ...], arg: tuple[str, ...],
             args_json: str | None, global_json: str | None, meta_json: str | None,
             call_json: str | None, call: tuple[str, ...], prompt_var: tuple[str, ...],
             fixtures: tuple[str, ...], live: bool, allow_private: bool,
             timeout: float | None, record: str | None,
             now: datetime | None, fmt: str, trace: bool, profile: str | None,
             cli_vars: tuple[str, ...], vars_files: tuple[str, ...], error_format: str) -> None:
    """Run FUNCTION of AGENT (an agent's name, or a SWML document's path) as the platform would:
    a data_map evaluated, a web_hook_url called. HTTP comes from --http FILE unless --live
    (--record FILE writes what came back as fixtures). Arguments: --NAME VALUE after FUNCTION,
    --arg NAME=VALUE, or --args JSON."""
    with error_handler():
        from compiler.cli.exec_output import render_execution
        from compiler.features.exec import ExecRequest, exec_function, split_call_data

        if record is not None and not live:
            raise click.UsageError("--record needs --live (it records real exchanges)")
        details, variables, refused = split_call_data(_json_object(call_json, "--call-data"))
        if refused is not None:
            raise click.BadParameter(refused, param_hint="--call-data")
        request = ExecRequest(
            agent=agent, function=function, args=_json_object(args_json, "--args"),
            typed_args=[*_pairs(arg, "--arg"), *_extra(extra)],
            call={**details, **dict(_pairs(call, "--call"))},
            global_data=_json_object(global_json, "--global-data"),
            meta_data=_json_object(meta_json, "--meta-data") if meta_json is not None else None,
            prompt_vars={**variables, **dict(_pairs(prompt_var, "--prompt-var"))},
            fixtures=fixtures, live=live, allow_private=allow_private, record=record, now=now,
            trace=trace, timeout=timeout)
        result = exec_function(recorded_options(profile=profile, cli_vars=cli_vars,
                                                vars_files=vars_files), request)
        emit_diagnostics(sorted(result.diagnostics, key=lambda d: d.sort_key()), result.texts,
                         error_format)
        if result.execution is not None and result.ok:
            out, err = render_execution(result, "json" if fmt == "json" else "human", trace)
            click.echo(err, nl=False, err=True)
            click.echo(out, nl=False)
        if result.recorded:
            click.echo(f"recorded {len(result.execution.exchanges) if result.execution else 0} "
                       f"exchange(s) in {result.recorded}", err=True)
        raise Exit(exit_code(result.diagnostics, strict=False))
