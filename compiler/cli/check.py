"""``swmlc check``: fail when build/ is stale, missing or orphaned."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from compiler.cli._common import (
    ERROR_FORMATS,
    Exit,
    compile_options,
    emit_diagnostics,
    error_handler,
    exit_code,
    options,
    plural,
)

if TYPE_CHECKING:  # pragma: no cover
    from compiler.features.check import CheckResult


@click.command(epilog="Example: swmlc check --format github")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human",
              show_default=True, help="How problems are printed (github: PR annotations).")
@compile_options
def check(*, paths: tuple[str, ...], error_format: str, profile: str | None,
          cli_vars: tuple[str, ...], vars_files: tuple[str, ...],
          targets: tuple[str, ...]) -> None:
    """Fail when build/ is stale, missing or orphaned (compiles in memory; writes nothing).

    Each build folder is compiled as its manifest says it was made (profile, targets, format,
    --var, --vars-file); with profiles, every profile's folder is checked.
    """
    with error_handler():
        from compiler.features.check import check_project

        started = time.time_ns()
        opts = options(paths, profile=profile, cli_vars=cli_vars, vars_files=vars_files,
                       targets=targets)
        results = check_project(opts)
        codes, said = [], []
        for result in results:
            diags = [*result.compile.sorted_diagnostics(), *result.diagnostics]
            emit_diagnostics(diags, result.compile.texts, error_format)
            code = exit_code(diags, strict=False)
            codes.append(code)
            if error_format == "human":
                folder = result.folder
                said.append(f"{folder}/ is up to date ({plural(result.checked, 'agent')})"
                            if code == 0 else f"{folder}/ does not match the sources: run "
                            f"`swmlc build{_profile_flag(result)}`")
                click.echo(said[-1], err=True)
        if results and all(r.ok and not r.compile.diagnostics for r in results):
            from compiler.cli._records import remember

            # Only in SWMLC_CACHE_DIR (compiler/fastpath.py says why): answers the next
            # identical check on unchanged files without importing the compiler.
            remember("check", opts, [r.compile for r in results], started,
                     "".join(f"{line}\n" for line in said))
        raise Exit(max(codes, default=0))


def _profile_flag(result: CheckResult) -> str:
    profile = result.profile
    return f" --profile {profile}" if profile else ""
