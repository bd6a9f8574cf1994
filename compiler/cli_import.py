"""``swmlc import``: the thin command over ``compiler.importer.import_files``.

Registered by the last lines of ``compiler.cli``. The shared helpers of ``compiler.cli`` are
imported when the command runs, not at module level, so the two modules do not import each
other while loading.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import get_args

import click

from compiler.render import ErrorFormat


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Folder for the definitions (default: agents/, or 'agents' in swmlc.yaml).")
@click.option("--force", is_flag=True, help="Overwrite definitions that exist already.")
@click.option("--error-format", "error_format", type=click.Choice(get_args(ErrorFormat)),
              default="human", show_default=True, help="How diagnostics are printed.")
def import_cmd(*, files: tuple[str, ...], out_dir: str | None, force: bool,
               error_format: str) -> None:
    """Turn SWML documents (JSON or YAML, one ai verb) into agent definitions."""
    from compiler.cli import _error_handler, _Exit, emit_diagnostics, exit_code

    with _error_handler():
        from compiler.api import load_project
        from compiler.importer import import_files
        from compiler.options import Options
        from compiler.project import find_root

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
        raise _Exit(exit_code(diags, strict=False))
