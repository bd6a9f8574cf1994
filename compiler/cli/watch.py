"""``swmlc watch``: rebuild whenever a file an agent reads changes."""

from __future__ import annotations

import click

from compiler.cli._common import (
    build_summary,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    options,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@error_format_option
def watch(*, paths: tuple[str, ...], error_format: str) -> None:
    """Rebuild whenever a file an agent reads changes (Ctrl-C to stop)."""
    with error_handler():
        from compiler.features.watch import watch_project

        def armed() -> None:  # said once the file watcher runs: an edit from now on is seen
            click.echo("watching for changes (Ctrl-C to stop)", err=True)

        for result in watch_project(options(paths), on_start=armed):
            diags = result.sorted_diagnostics()
            emit_diagnostics(diags, result.texts, error_format)
            build_summary(result, exit_code(diags, strict=False))
