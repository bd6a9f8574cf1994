"""``swmlc validate``: any SWML document against SignalWire's official schema."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli._common import (
    Exit,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
)


@click.command(epilog="Example: swmlc validate SWML.json other/*.yaml")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@error_format_option
def validate(*, files: tuple[str, ...], error_format: str) -> None:
    """Check SWML documents (JSON or YAML) against SignalWire's official schema."""
    with error_handler():
        from compiler.features.validate import validate_documents

        result = validate_documents(list(files), Path.cwd())
        diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict=False)
        if error_format == "human" and result.schema_found:
            bad = len({d.span.file for d in diags if d.severity.label == "error"})
            click.echo(f"{result.checked - bad} of {result.checked} document"
                       f"{'s' if result.checked != 1 else ''} valid", err=True)
        raise Exit(code if result.schema_found else 1)
