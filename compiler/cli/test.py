"""``swmlc test``: run the agents' test files; coverage and JUnit XML for CI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from compiler.cli._common import (
    Exit,
    emit_diagnostics,
    error_format_option,
    error_handler,
    live_request_options,
    recorded_options,
    variable_options,
)

if TYPE_CHECKING:
    from compiler.features.testing.live import Live
    from compiler.project.options import Options


def _live(opts: Options, live: bool, allow_private: bool, timeout: float | None
          ) -> Live | None:
    if not live:
        return None
    from compiler.features.testing.live import Live

    return Live(opts.env, allow_private or opts.env.get("SWML_ALLOW_PRIVATE_URLS") == "1",
                timeout)


@click.command(epilog="Example: swmlc test --coverage --min-coverage 100 --junit "
                      "reports/agents.xml")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-k", "select", metavar="TEXT", help="Run only the cases whose name contains TEXT.")
@click.option("--coverage", "show_coverage", is_flag=True,
              help="Print each agent's coverage: branches and steps reached, and each one not.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="Fail when a tested agent's coverage is below PERCENT.")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "junit", "github"]),
              default="human", show_default=True,
              help="How the run is printed on stdout. github: an annotation per failure at "
                   "the line of its expectation, then the cases.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the run as JUnit XML to FILE, for CI's test reports.")
@click.option("--pass-with-no-tests", is_flag=True, help="Exit 0 when there is no test file.")
@click.option("--live", is_flag=True, help="Send the cases' HTTP requests for real instead of "
              "answering them from fixtures (secrets read from the environment).")
@live_request_options
@variable_options
@error_format_option
def test(*, paths: tuple[str, ...], select: str | None, show_coverage: bool,
         min_coverage: float | None, fmt: str, junit_path: str | None,
         pass_with_no_tests: bool, live: bool, allow_private: bool, timeout: float | None,
         profile: str | None, cli_vars: tuple[str, ...],
         vars_files: tuple[str, ...], error_format: str) -> None:
    """Run the test files (*.test.yaml) in PATHs, or in the project's tests folder
    (tests/agents/ unless swmlc.yaml says otherwise). HTTP comes from fixtures, unless
    --live."""
    with error_handler():
        from compiler.core.fs import write_atomic
        from compiler.features.testing import run_tests
        from compiler.features.testing.gate import coverage_gate, no_tests
        from compiler.features.testing.report import (
            render_cases,
            render_coverage,
            render_github_run,
            render_json,
            render_junit,
            summary_line,
        )

        opts = recorded_options(profile=profile, cli_vars=cli_vars, vars_files=vars_files)
        if (allow_private or timeout is not None) and not live:
            raise click.UsageError("--allow-private-urls and --timeout go with --live")
        run = run_tests(opts, paths, select, _live(opts, live, allow_private, timeout))
        if min_coverage is not None:
            run.diagnostics += coverage_gate(run, min_coverage)
        if not run.files and not run.diagnostics and not pass_with_no_tests:
            run.diagnostics.append(no_tests(opts.root))
        failures = sorted(run.diagnostics + [d for r in run.results for d in r.diagnostics],
                          key=lambda d: d.sort_key())
        if fmt == "github":
            click.echo(render_github_run(failures), nl=False)
        else:
            emit_diagnostics(failures, run.texts, error_format)
        if junit_path is not None:
            target = Path(junit_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, render_junit(run).encode("utf-8"))
        if fmt == "json":
            click.echo(render_json(run), nl=False)
        elif fmt == "junit":
            click.echo(render_junit(run), nl=False)
        else:
            click.echo(render_cases(run, plain=fmt == "github"), nl=False)
            if show_coverage or min_coverage is not None:
                click.echo(render_coverage(run), nl=False)
            click.echo(summary_line(run))
        raise Exit(0 if run.ok else 1)
