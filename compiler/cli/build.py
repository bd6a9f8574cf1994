"""``swmlc build``: compile the agents into build/ (or each profile's folder)."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from compiler.cli._common import (
    Exit,
    build_summary,
    cache_summary,
    compile_options,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    options,
)

if TYPE_CHECKING:  # pragma: no cover
    from compiler.build.compile import CompileResult
    from compiler.project.options import Options


@click.command(epilog="Example: swmlc build --profile staging -j 4")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Output folder (default: build/, the profile's folder, or 'build' in "
                   "swmlc.yaml).")
@click.option("--format", "output_format", type=click.Choice(["json", "yaml"]), default=None,
              help="Format of the written documents (default: the profile's, swmlc.yaml's, "
                   "else json).")
@compile_options
@click.option("--all-profiles", is_flag=True,
              help="Build every profile of swmlc.yaml, each into its own folder.")
@click.option("--bind-secrets", is_flag=True,
              help="Write deploy copies with secret values from the environment (needs -o DIR "
                   "outside build/).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel workers (default: the number of cores).")
@click.option("--shard", metavar="K/N",
              help="Build only shard K of N (balanced by cost, fleet rows included) into -o "
                   "DIR; join the shards with `swmlc merge` (docs/ci.md).")
@click.option("--fail-on-change", is_flag=True,
              help="Exit 1 when build/ changed (pre-commit: stage the new build, commit again).")
@click.option("--source-map", is_flag=True,
              help="Also write <agent>.swml.map.json: JSON pointer -> file:line:col.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also say how the compiled-unit cache (SWMLC_CACHE_DIR) served the build.")
@error_format_option
def build(*, paths: tuple[str, ...], out_dir: str | None, output_format: str | None,
          profile: str | None, targets: tuple[str, ...], cli_vars: tuple[str, ...],
          vars_files: tuple[str, ...], all_profiles: bool, bind_secrets: bool,
          jobs: int | None, shard: str | None, fail_on_change: bool, source_map: bool,
          strict: bool, verbose: bool, error_format: str) -> None:
    """Compile agent definitions (default: the agents folder) into build/."""
    if bind_secrets and not out_dir:
        raise click.UsageError("--bind-secrets writes deploy copies: give -o DIR outside build/")
    if all_profiles and (profile or out_dir):
        raise click.UsageError("--all-profiles builds every profile into its own folder: "
                               "leave out --profile and -o")
    if shard and (not out_dir or all_profiles or bind_secrets or paths):
        raise click.UsageError("--shard writes one machine's part of the build: give -o DIR "
                               "(its own folder, joined later by swmlc merge), and no paths, "
                               "--all-profiles or --bind-secrets")
    with error_handler():
        opts = options(paths, profile=profile, cli_vars=cli_vars, vars_files=vars_files,
                       targets=targets, out_dir=out_dir,
                       output_format=output_format,
                       strict=strict, bind_secrets=bind_secrets, source_map=source_map)
        if jobs:
            opts = replace(opts, jobs=jobs)
        if shard:
            from compiler.build.shards import parse_shard

            opts = replace(opts, shard=parse_shard(shard))
        started = time.time_ns()
        done = [_build_one(o, error_format, fail_on_change, verbose)
                for o in _each_profile(opts, all_profiles)]
        code = max(c for c, _ in done)
        quiet = [r for c, r in done if r is not None]
        # A record for the next identical command (compiler/fastpath.py): only of a build that
        # said nothing but its summary, and whose next no-op run compiles nothing either.
        if code == 0 and len(quiet) == len(done) and not (verbose or strict or shard
                                                           or bind_secrets):
            from compiler.cli._common import noop_summary
            from compiler.cli._records import remember

            said = "".join(f"{noop_summary(r)}\n" for r in quiet) \
                if error_format == "human" else ""
            remember("build", opts, quiet, started, said)
        raise Exit(code)


def _each_profile(opts: Options, all_profiles: bool) -> list[Options]:
    if not all_profiles:
        return [opts]
    from compiler.core.errors import SwmlcError
    from compiler.project.load import load_project

    project, _ = load_project(opts)
    if not project.config.profiles:
        raise SwmlcError("--all-profiles: swmlc.yaml declares no profiles (see "
                         "docs/project-config.md)")
    return [replace(opts, profile=name) for name in project.config.profiles]


def _build_one(opts: Options, error_format: str, fail_on_change: bool, verbose: bool
               ) -> tuple[int, CompileResult | None]:
    """The exit code, and the result when the build said nothing but its summary."""
    from compiler.build.compile import compile_project, tuned_gc
    from compiler.cli._progress import Progress
    from compiler.cli._records import SCHEMA_FOLDER, command_line

    # A process of its own (not CliRunner, not a library call) ends after the command: the
    # collector is left tuned rather than paid a full collection it has no use for.
    with tuned_gc(restore=command_line() is None), Progress() as progress:
        result = compile_project(opts, keep_units=False, progress=progress)
    diags = result.sorted_diagnostics()
    emit_diagnostics(diags, result.texts, error_format)
    code = exit_code(diags, opts.strict)
    if error_format == "human":
        build_summary(result, code)
    if verbose:
        click.echo(cache_summary(result), err=True)
    refreshed = []
    if code == 0 and (opts.root / SCHEMA_FOLDER).is_dir():  # else scaffold is not imported
        from compiler.features.scaffold import refresh_editor_schemas

        refreshed = refresh_editor_schemas(opts.root)
        for rel in refreshed:
            click.echo(f"refreshed {rel} for swmlc's version", err=True)
    changed = [*result.written, *result.removed]
    if fail_on_change and code == 0 and changed:
        shown = os.path.relpath(result.build_dir) if result.build_dir else "build"
        click.echo(f"{shown}/ changed ({', '.join(sorted(changed))}): "
                   f"review and stage it (git add {shown}/), then commit again", err=True)
        code = 1
    return code, result if not (diags or refreshed) else None
