"""``swmlc graph``: the contexts and steps of agents as Mermaid or DOT."""

from __future__ import annotations

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


@click.command(epilog="Example: swmlc graph intake --format dot | dot -Tsvg > intake.svg")
@click.argument("agents", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid",
              show_default=True, help="mermaid (GitHub renders it) or dot (Graphviz).")
@variable_options
@error_format_option
def graph(*, agents: tuple[str, ...], fmt: str, profile: str | None, cli_vars: tuple[str, ...],
          vars_files: tuple[str, ...], error_format: str) -> None:
    """Draw the conversation flow of AGENTS (names, or SWML documents' paths; default: every
    agent with contexts): steps, valid_steps and valid_contexts, function actions, the start,
    unreachable steps and dead ends."""
    with error_handler():
        from compiler.features.graph import graph_agents

        result = graph_agents(recorded_options(profile=profile, cli_vars=cli_vars,
                                               vars_files=vars_files), agents, fmt)
        emit_diagnostics(result.diagnostics, result.texts, error_format)
        if result.diagnostics:
            raise Exit(exit_code(result.diagnostics, strict=False))
        several = len(result.graphs) > 1
        for name, text in result.graphs.items():
            if several:
                click.echo(f"%% {name}" if fmt == "mermaid" else f"// {name}")
            click.echo(text, nl=False)
        for name in result.skipped if agents else ():
            click.echo(f"{name}: no contexts, so no steps to draw", err=True)
        raise Exit(0)
