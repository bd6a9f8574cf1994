"""``swmlc diff``: what changed in the compiled agents since a git ref."""

from __future__ import annotations

import click

from compiler.cli._common import (
    Exit,
    compile_options,
    emit_diagnostics,
    error_handler,
    recorded_options,
)


@click.command(epilog="Example: swmlc diff --against origin/main --format markdown")
@click.option("--against", default="HEAD", show_default=True, metavar="GIT_REF",
              help="The state to compare the work tree with.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="markdown: for a pull-request comment.")
@compile_options
def diff(*, against: str, fmt: str, profile: str | None, cli_vars: tuple[str, ...],
         vars_files: tuple[str, ...], targets: tuple[str, ...]) -> None:
    """What changed in the compiled agents since GIT_REF, grouped by agent."""
    with error_handler():
        from compiler.features.diff import diff_states
        from compiler.features.diff.render import render_diff

        diffs, diags = diff_states(recorded_options(
            profile=profile, cli_vars=cli_vars, vars_files=vars_files, targets=targets), against)
        if any(d.severity.label == "error" for d in diags):
            emit_diagnostics(diags, {}, "human")
            raise Exit(1)
        click.echo(render_diff(diffs, fmt, against), nl=False)
        raise Exit(0)
