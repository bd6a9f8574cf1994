"""``swmlc import``: the thin command over ``compiler.features.importer.import_project``."""

from __future__ import annotations

import re
from pathlib import Path

import click

from compiler.cli._common import (
    ERROR_FORMATS,
    Exit,
    emit_diagnostics,
    error_handler,
    exit_code,
)

_AGENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@click.command("import", epilog="Example: swmlc import legacy/ -o voice-agents/")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="The project to write (swmlc.yaml, agents/...); default: the current "
                   "project.")
@click.option("--name", help="The agent's name, for one document (default: from its file).")
@click.option("--keep-going", is_flag=True,
              help="Keep a document whose faults lie outside the ai verb, those sections as "
                   "written with a '# swmlc: TODO' at each fault.")
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
@click.option("--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human", show_default=True, help="How diagnostics are printed.")
def import_cmd(*, paths: tuple[str, ...], out_dir: str | None, name: str | None,
               keep_going: bool, force: bool, error_format: str) -> None:
    """Turn SWML documents (JSON or YAML files, or folders of them) into a project."""
    if name is not None and not _AGENT_NAME.match(name):
        raise click.BadParameter("letters, digits, '.', '_' and '-', not starting with '_' "
                                 "or '.'", param_hint="--name")
    with error_handler():
        from compiler.features.importer import ImportRequest, import_project
        from compiler.features.importer.report import report_lines
        from compiler.project.config import find_root

        cwd = Path.cwd()
        out = (cwd / out_dir) if out_dir else find_root(cwd)
        if name is not None and (len(paths) != 1 or (cwd / paths[0]).is_dir()):
            raise click.UsageError("--name names the agent of one document: give one file")
        result = import_project(ImportRequest(paths, out, cwd, force=force,
                                              keep_going=keep_going, name=name))
        diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
        emit_diagnostics(diags, result.texts, error_format)
        if error_format == "human":
            for line in report_lines(result, cwd):
                click.echo(line, err=True)
        raise Exit(exit_code(diags, strict=False))
