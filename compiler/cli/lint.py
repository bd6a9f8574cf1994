"""``swmlc lint``: every check of a build, writing nothing; ``--fix`` applies the safe fixes."""

from __future__ import annotations

import click

from compiler.cli._common import (
    ERROR_FORMATS,
    Exit,
    compile_options,
    emit_diagnostics,
    error_handler,
    exit_code,
    plural,
    recorded_options,
)


@click.command(epilog="Example: swmlc lint --fix")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply the safe fixes to your files.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Show what --fix would change, as a unified diff; write nothing.")
@click.option("--format", "--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human",
              show_default=True, help="How diagnostics are printed.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@compile_options
def lint(*, paths: tuple[str, ...], fix: bool, show_diff: bool, error_format: str,
         strict: bool, profile: str | None, cli_vars: tuple[str, ...],
         vars_files: tuple[str, ...], targets: tuple[str, ...]) -> None:
    """Every check of a build, writing nothing (with --fix, apply the safe fixes)."""
    with error_handler():
        from compiler.build.compile import compile_project
        from compiler.features.fix import plan_fixes, write_fixes

        opts = recorded_options(paths, profile=profile, cli_vars=cli_vars,
                                vars_files=vars_files, targets=targets)
        result = compile_project(opts, write=False, reuse=False)
        if fix or show_diff:
            plan = plan_fixes(result.diagnostics, opts.root)
            if show_diff:
                click.echo(plan.diff(), nl=False)
                raise Exit(1 if plan.new_texts else 0)
            write_fixes(plan, opts.root)
            click.echo(f"fixed {plural(len(plan.applied), 'problem')} in "
                       f"{plural(len(plan.new_texts), 'file')}", err=True)
            result = compile_project(opts, write=False, reuse=False)
        diags = result.sorted_diagnostics()
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict)
        if error_format == "human":
            fixable = sum(1 for d in diags if d.fix is not None and d.fix.safe)
            from compiler.source.render import summary

            said = summary(diags)
            click.echo(f"{said or 'no problems'} in {plural(len(result.agents), 'agent')}"
                       + (f" ({fixable} fixable with --fix)" if fixable else ""), err=True)
        raise Exit(code)
