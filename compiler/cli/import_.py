"""``swmlc import``: the thin command over ``compiler.features.importer.import_files``.

"""

from __future__ import annotations

import os
from pathlib import Path

import click

from compiler.cli._common import (
    ERROR_FORMATS,
    Exit,
    emit_diagnostics,
    error_handler,
    exit_code,
)


@click.command("import", epilog="Example: swmlc import legacy/SWML.json -o agents/")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Folder for the definitions (default: agents/, or 'agents' in swmlc.yaml).")
@click.option("--force", is_flag=True, help="Overwrite definitions that exist already.")
@click.option("--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human", show_default=True, help="How diagnostics are printed.")
def import_cmd(*, files: tuple[str, ...], out_dir: str | None, force: bool,
               error_format: str) -> None:
    """Turn SWML documents (JSON or YAML, one ai verb) into agent definitions."""
    with error_handler():
        from compiler.features.importer import import_files
        from compiler.project.config import find_root
        from compiler.project.load import load_project
        from compiler.project.options import Options

        cwd = Path.cwd()
        root = find_root(cwd)
        project, _ = load_project(Options(root=root))
        out = Path(out_dir) if out_dir else root / project.config.agents
        result = import_files(files, out_dir=out if out.is_absolute() else cwd / out, root=root,
                              cwd=cwd, force=force)
        diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
        emit_diagnostics(diags, result.texts, error_format)
        if error_format == "human":
            written = [d for d in result.documents if d.written]
            shown = os.path.relpath(out, cwd) if out.is_absolute() else str(out)
            click.echo(f"imported {len(written)} of {len(result.documents)} document"
                       f"{'s' if len(result.documents) != 1 else ''} into {shown}/", err=True)
            if result.secret_names:
                click.echo("declare these secrets in swmlc.yaml (secrets: [...]) and set them "
                           f"where you deploy: {', '.join(result.secret_names)}", err=True)
        raise Exit(exit_code(diags, strict=False))
