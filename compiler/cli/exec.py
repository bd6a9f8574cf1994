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
                      "--fixtures tests/agents/fixtures/wttr.yaml")
@click.argument("agent")
@click.argument("function")
@click.argument("extra", nargs=-1, type=click.UNPROCESSED)
@click.option("-a", "--arg", "arg", multiple=True, metavar="NAME=VALUE",
              help="An argument (read by the type its parameter declares); repeatable.")
@click.option("--args", "args_json", metavar="JSON", help="All arguments as a JSON object.")
@click.option("--global-data", "global_json", metavar="JSON",
              help="global_data merged over the agent's own, as the call has it now.")
@click.option("--call", "call", multiple=True, metavar="KEY=VALUE",
              help="A call detail the function reads (caller_id_num=+1555...); repeatable.")
@click.option("--prompt-var", "prompt_var", multiple=True, metavar="KEY=VALUE",
              help="A prompt variable (at the root of the call data); repeatable.")
@click.option("--fixtures", "fixtures", multiple=True, type=click.Path(dir_okay=False),
              help="A fixture file answering the function's HTTP requests; repeatable.")
@click.option("--live", is_flag=True, help="Send HTTP requests for real instead.")
@click.option("--allow-private-urls", "allow_private", is_flag=True,
              help="With --live, allow requests to private and loopback addresses.")
@click.option("--record", metavar="FILE", help="With --live, write the exchanges to FILE "
              "(a fixture file; existing exchanges are kept).")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"]),
              help="The clock for @{strftime_tz} (default: a fixed instant; --live: now).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: the reply, requests, trace and notes as one object.")
@click.option("-v", "--verbose", is_flag=True, help="Print the trace: each step and request.")
@variable_options
@error_format_option
def exec_cmd(*, agent: str, function: str, extra: tuple[str, ...], arg: tuple[str, ...],
             args_json: str | None, global_json: str | None, call: tuple[str, ...],
             prompt_var: tuple[str, ...],
             fixtures: tuple[str, ...], live: bool, allow_private: bool, record: str | None,
             now: datetime | None, fmt: str, verbose: bool, profile: str | None,
             cli_vars: tuple[str, ...], vars_files: tuple[str, ...], error_format: str) -> None:
    """Run FUNCTION of AGENT (an agent's name, or a SWML document's path) as the platform would:
    a data_map evaluated, a web_hook_url called. HTTP comes from --fixtures unless --live
    (--record FILE writes what came back as fixtures). Arguments: --NAME VALUE after FUNCTION,
    --arg NAME=VALUE, or --args JSON."""
    with error_handler():
        from compiler.cli.exec_output import render_execution
        from compiler.features.exec import ExecRequest, exec_function

        if record is not None and not live:
            raise click.UsageError("--record needs --live (it records real exchanges)")
        request = ExecRequest(
            agent=agent, function=function, args=_json_object(args_json, "--args"),
            typed_args=[*_pairs(arg, "--arg"), *_extra(extra)],
            call=dict(_pairs(call, "--call")),
            global_data=_json_object(global_json, "--global-data"),
            prompt_vars=dict(_pairs(prompt_var, "--prompt-var")),
            fixtures=fixtures, live=live, allow_private=allow_private, record=record, now=now)
        result = exec_function(recorded_options(profile=profile, cli_vars=cli_vars,
                                                vars_files=vars_files), request)
        emit_diagnostics(sorted(result.diagnostics, key=lambda d: d.sort_key()), result.texts,
                         error_format)
        if result.execution is not None and result.ok:
            out, err = render_execution(result, fmt, verbose)
            click.echo(err, nl=False, err=True)
            click.echo(out, nl=False)
        if result.recorded:
            click.echo(f"recorded {len(result.execution.exchanges) if result.execution else 0} "
                       f"exchange(s) in {result.recorded}", err=True)
        raise Exit(exit_code(result.diagnostics, strict=False))
