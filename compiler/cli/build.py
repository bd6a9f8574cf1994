"""``swmlc build``: compile the agents into build/."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import click

from compiler.cli._common import (
    TARGET_NAMES,
    Exit,
    build_summary,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    options,
    parse_vars,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Output folder (default: build/, or 'build' in swmlc.yaml).")
@click.option("--format", "output_format", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True, help="Format of the written documents.")
@click.option("--target", "targets", multiple=True, type=click.Choice(TARGET_NAMES),
              help="Output to build (repeatable; default: 'targets' in swmlc.yaml, else swml).")
@click.option("--var", "cli_vars", multiple=True, metavar="KEY=VALUE",
              help="Set a variable (VALUE read as YAML); highest precedence.")
@click.option("--vars-file", "vars_files", multiple=True, type=click.Path(dir_okay=False),
              help="A YAML mapping of variables.")
@click.option("--bind-secrets", is_flag=True,
              help="Write deploy copies with secret values from the environment (needs -o DIR "
                   "outside build/).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: the number of cores).")
@click.option("--fail-on-change", is_flag=True,
              help="Exit 1 when build/ changed (pre-commit: stage the new build, commit again).")
@click.option("--source-map", is_flag=True,
              help="Also write <agent>.swml.map.json: JSON pointer -> file:line:col.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@error_format_option
def build(*, paths: tuple[str, ...], out_dir: str | None, output_format: str,
          targets: tuple[str, ...], cli_vars: tuple[str, ...], vars_files: tuple[str, ...],
          bind_secrets: bool, jobs: int | None, fail_on_change: bool, source_map: bool,
          strict: bool, error_format: str) -> None:
    """Compile agent definitions (default: the agents folder) into build/."""
    with error_handler():
        from compiler.build.compile import compile_project, tuned_gc
        from compiler.project.config import find_root
        from compiler.source.files import display_path

        root = find_root(Path.cwd())
        opts = options(
            paths, out_dir=out_dir,
            output_format=output_format,
            targets=tuple(targets) or None,
            cli_vars=parse_vars(cli_vars),
            vars_files=tuple(display_path(Path(v), root) for v in vars_files),
            strict=strict, bind_secrets=bind_secrets, source_map=source_map,
        )
        if jobs:
            opts = replace(opts, jobs=jobs)
        with tuned_gc():
            result = compile_project(opts, keep_units=False)
        diags = result.sorted_diagnostics()
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict)
        if error_format == "human":
            build_summary(result, code)
        changed = [*result.written, *result.removed]
        if fail_on_change and code == 0 and changed:
            shown = os.path.relpath(result.build_dir) if result.build_dir else "build"
            click.echo(f"{shown}/ changed ({', '.join(sorted(changed))}): "
                       f"review and stage it (git add {shown}/), then commit again", err=True)
            code = 1
        raise Exit(code)
