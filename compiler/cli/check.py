"""``swmlc check``: fail when build/ is stale, missing or orphaned."""

from __future__ import annotations

import click

from compiler.cli._common import (
    ERROR_FORMATS,
    Exit,
    emit_diagnostics,
    error_handler,
    exit_code,
    options,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human",
              show_default=True, help="How problems are printed (github: PR annotations).")
def check(*, paths: tuple[str, ...], error_format: str) -> None:
    """Fail when build/ is stale, missing or orphaned (compiles in memory; writes nothing)."""
    with error_handler():
        from compiler.features.check import check_build

        result = check_build(options(paths))
        diags = [*result.compile.sorted_diagnostics(), *result.diagnostics]
        emit_diagnostics(diags, result.compile.texts, error_format)
        code = exit_code(diags, strict=False)
        if error_format == "human":
            n = result.checked
            folder = result.compile.build_dir.name if result.compile.build_dir else "build"
            click.echo(f"{folder}/ is up to date ({n} agent{'s' if n != 1 else ''})" if code == 0
                       else f"{folder}/ does not match the sources: run `swmlc build`", err=True)
        raise Exit(code)
