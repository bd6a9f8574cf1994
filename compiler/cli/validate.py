"""``swmlc validate``: any SWML document against SignalWire's official schema."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compiler.cli._common import (
    Exit,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    plural,
)


@click.command(epilog="Example: swmlc validate SWML.json other/*.yaml")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@error_format_option
def validate(*, files: tuple[str, ...], error_format: str) -> None:
    """Check SWML documents (JSON or YAML) against SignalWire's official schema.

    FILE '-' reads one document from standard input (JSON when it starts with '{' or '[',
    YAML otherwise): curl -s https://host/agent | swmlc validate -. A RELAY file
    (<agent>.relay.json) is checked as the ai verb call.ai() sends; the build manifest and
    source maps are skipped.
    """
    with error_handler():
        from compiler.core.errors import SwmlcError
        from compiler.core.limits import Limits
        from compiler.features.validate import validate_documents

        stdin = None
        if "-" in files:
            limit = Limits.from_config(None).file_bytes
            data = sys.stdin.buffer.read(limit + 1)
            if len(data) > limit:
                raise SwmlcError(f"standard input holds more than the limit of {limit:,} bytes")
            try:
                stdin = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SwmlcError(f"standard input is not UTF-8 text (byte {exc.start})") \
                    from None
        result = validate_documents(list(files), Path.cwd(), stdin)
        diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict=False)
        if error_format == "human" and result.schema_found:
            bad = len({d.span.file for d in diags if d.severity.label == "error"})
            click.echo(f"{result.checked - bad} of {plural(result.checked, 'document')} valid",
                       err=True)
        raise Exit(code if result.schema_found else 1)
