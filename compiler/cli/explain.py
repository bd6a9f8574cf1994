"""``swmlc explain``: a compiled value and where it came from."""

from __future__ import annotations

import click

from compiler.cli._common import (
    TARGET_NAMES,
    Exit,
    emit_diagnostics,
    error_handler,
    recorded_options,
    variable_options,
)


@click.command(epilog="Example: swmlc explain support /sections/main/1/ai/params/barge_confidence")
@click.argument("agent")
@click.argument("pointer")
@click.option("--target", type=click.Choice(TARGET_NAMES), default="swml",
              show_default=True, help="Which document of the agent POINTER is in.")
@variable_options
def explain(*, agent: str, pointer: str, target: str, profile: str | None,
            cli_vars: tuple[str, ...], vars_files: tuple[str, ...]) -> None:
    """Show the value at POINTER in AGENT's compiled document, and where it came from.

    POINTER is a JSON pointer into the compiled document: /sections/main/1/ai/prompt/text.
    """
    with error_handler():
        from dataclasses import replace as _replace

        from compiler.build.compile import compile_project
        from compiler.core.errors import SwmlcError
        from compiler.features.explain import explain as explain_value

        opts = _replace(recorded_options(profile=profile, cli_vars=cli_vars,
                                         vars_files=vars_files),
                        targets=(target,))  # type: ignore[arg-type]
        result = compile_project(opts, write=False, reuse=False)
        diags = result.sorted_diagnostics()
        unit = next((u for u in result.units if u.name == agent), None)
        if unit is None:
            emit_diagnostics(diags, result.texts, "human")
            names = sorted(u.name for u in result.units)
            from compiler.core.suggest import did_you_mean

            near = did_you_mean(agent, names)
            raise SwmlcError(f"no agent named '{agent}'" +
                             (f"; did you mean '{near}'?" if near else
                              f" (agents: {', '.join(names)})"))
        if not unit.documents:  # it did not compile: say why, rather than "nothing at ..."
            mine = [d for d in diags if d.span.file in (unit.file, *unit.inputs)]
            emit_diagnostics(mine or diags, result.texts, "human")
            raise Exit(1)
        found = explain_value(unit, target, pointer)
        click.echo(found.render(), nl=False)
        raise Exit(0 if found.found else 1)
