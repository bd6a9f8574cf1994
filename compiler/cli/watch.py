"""``swmlc watch``: rebuild whenever a file an agent reads changes."""

from __future__ import annotations

import click

from compiler.cli._common import (
    build_summary,
    compile_options,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    recorded_options,
)


@click.command(epilog="Example: swmlc watch --profile staging")
@click.argument("paths", nargs=-1, type=click.Path())
@compile_options
@error_format_option
def watch(*, paths: tuple[str, ...], error_format: str, profile: str | None,
          cli_vars: tuple[str, ...], vars_files: tuple[str, ...],
          targets: tuple[str, ...]) -> None:
    """Rebuild whenever a file an agent reads changes (Ctrl-C to stop)."""
    with error_handler():
        from compiler.features.watch import watch_project

        def armed() -> None:  # said once the file watcher runs: an edit from now on is seen
            click.echo("watching for changes (Ctrl-C to stop)", err=True)

        opts = recorded_options(paths, profile=profile, cli_vars=cli_vars,
                                vars_files=vars_files, targets=targets)
        for result in watch_project(opts, on_start=armed):
            diags = result.sorted_diagnostics()
            emit_diagnostics(diags, result.texts, error_format)
            build_summary(result, exit_code(diags, strict=False))
