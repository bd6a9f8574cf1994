"""The command line: thin click commands over the library API.

Commands parse options, call the library, render what came back and return an exit code.
Exit codes are a contract: 0 ok; 1 errors in the input (or warnings with --strict); 2 usage
(click's own); 3 an internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from compiler import __version__

if TYPE_CHECKING:  # pragma: no cover
    from compiler.diagnostics import Diagnostic

ERROR_FORMATS = ("human", "json", "github")


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@contextlib.contextmanager
def _error_handler() -> Iterator[None]:
    """Map every way out of a command to its exit code; no traceback for expected failures."""
    from compiler.errors import SwmlcError

    try:
        yield
    except SwmlcError as exc:
        click.echo(f"error: {exc}", err=True)
        raise _Exit(1) from None
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        raise _Exit(130) from None
    except (click.exceptions.Exit, click.ClickException, _Exit):
        raise
    except Exception:  # a bug: say so plainly, keep the traceback for the report
        click.echo("swmlc: internal error (a bug in swmlc; please report it with this output)",
                   err=True)
        click.echo(traceback.format_exc(), err=True)
        raise _Exit(3) from None


def _colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def emit_diagnostics(diags: list[Diagnostic], texts: dict[str, str], fmt: str) -> None:
    from compiler.render import render

    if not diags and fmt != "json":  # json always prints a list, [] included
        return
    text = render(diags, fmt, texts, colour=_colour())  # type: ignore[arg-type]
    click.echo(text, nl=False, err=fmt == "human")


def exit_code(diags: list[Diagnostic], strict: bool) -> int:
    from compiler.diagnostics import Severity

    worst = max((d.severity for d in diags), default=None)
    if worst is Severity.ERROR or (strict and worst is Severity.WARNING):
        return 1
    return 0


def _parse_var(values: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    from compiler.yaml_reader import read_yaml

    out: list[tuple[str, Any]] = []
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"expected KEY=VALUE, got '{item}'", param_hint="--var")
        key, raw = item.split("=", 1)
        if not key.isidentifier():
            raise click.BadParameter(f"'{key}' is not a valid variable name", param_hint="--var")
        parsed = read_yaml(raw, "--var")
        out.append((key, raw if parsed.diagnostics else parsed.value))
    return tuple(out)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _Exit as e:
            ctx.exit(e.code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="swmlc",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Compile SignalWire agent definitions (YAML) into SWML documents."""


def error_format_option(f: Any) -> Any:
    return click.option("--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
                        default="human", show_default=True,
                        help="How diagnostics are printed.")(f)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Output folder (default: build/, or 'build' in swmlc.yaml).")
@click.option("--format", "output_format", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True, help="Format of the written documents.")
@click.option("--target", "targets", multiple=True, type=click.Choice(["swml", "relay", "bedrock"]),
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
    with _error_handler():
        from compiler.api import compile_project
        from compiler.options import Options
        from compiler.project import find_root
        from compiler.sources import display_path

        root = find_root(Path.cwd())
        options = Options(
            root=root, paths=tuple(_rooted(p, root) for p in paths), out_dir=out_dir,
            output_format=output_format,  # type: ignore[arg-type]
            targets=tuple(targets) or None,  # type: ignore[arg-type]
            cli_vars=_parse_var(cli_vars),
            vars_files=tuple(display_path(Path(v), root) for v in vars_files),
            strict=strict, bind_secrets=bind_secrets, jobs=jobs or os.cpu_count() or 1,
            source_map=source_map,
            env=dict(os.environ),
        )
        _tune_gc()
        result = compile_project(options, keep_units=False)
        diags = result.sorted_diagnostics()
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict)
        if error_format == "human":
            _build_summary(result, code)
        changed = [*result.written, *result.removed]
        if fail_on_change and code == 0 and changed:
            shown = os.path.relpath(result.build_dir) if result.build_dir else "build"
            click.echo(f"{shown}/ changed ({', '.join(sorted(changed))}): "
                       f"review and stage it (git add {shown}/), then commit again", err=True)
            code = 1
        raise _Exit(code)


def _options(paths: tuple[str, ...], **kw: Any) -> Any:
    from compiler.options import Options
    from compiler.project import find_root

    root = find_root(Path.cwd())
    return Options(root=root, paths=tuple(_rooted(p, root) for p in paths),
                   env=dict(os.environ), jobs=os.cpu_count() or 1, **kw)


def _tune_gc() -> None:
    """A build allocates millions of small acyclic objects (spans, trees) that live until the
    agent is written; the cyclic garbage collector rescans them over and over and took about
    40% of a 1,000-agent build (measured). Freeze what is loaded and collect far less often."""
    import gc

    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _rooted(path: str, root: Path) -> str:
    return str((Path.cwd() / path).resolve())


def _build_summary(result: Any, code: int) -> None:
    from compiler.render import summary

    said = summary(result.diagnostics)
    if code:
        click.echo(f"build failed: {said}; nothing was written", err=True)
        return
    out = result.build_dir
    shown = os.path.relpath(out) if out is not None else "build"
    n = len(result.agents)
    compiled = n - result.reused
    detail = [f"{len(result.written)} written", f"{len(result.unchanged)} unchanged"]
    if result.removed:
        detail.append(f"{len(result.removed)} removed")
    click.echo(
        f"{n} agent{'s' if n != 1 else ''} in {shown}/: {compiled} compiled, "
        f"{result.reused} up to date ({', '.join(detail)})"
        f"{f'; {said}' if said else ''}", err=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@error_format_option
def validate(*, files: tuple[str, ...], error_format: str) -> None:
    """Check SWML documents (JSON or YAML) against SignalWire's official schema."""
    with _error_handler():
        from compiler.validate_docs import validate_documents

        result = validate_documents(list(files), Path.cwd())
        diags = sorted(result.diagnostics, key=lambda d: d.sort_key())
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict=False)
        if error_format == "human" and result.schema_found:
            bad = len({d.span.file for d in diags if d.severity.label == "error"})
            click.echo(f"{result.checked - bad} of {result.checked} document"
                       f"{'s' if result.checked != 1 else ''} valid", err=True)
        raise _Exit(code if result.schema_found else 1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human",
              show_default=True, help="How problems are printed (github: PR annotations).")
def check(*, paths: tuple[str, ...], error_format: str) -> None:
    """Fail when build/ is stale, missing or orphaned (compiles in memory; writes nothing)."""
    with _error_handler():
        from compiler.gitops import check_build

        result = check_build(_options(paths))
        diags = [*result.compile.sorted_diagnostics(), *result.diagnostics]
        emit_diagnostics(diags, result.compile.texts, error_format)
        code = exit_code(diags, strict=False)
        if error_format == "human":
            n = result.checked
            folder = result.compile.build_dir.name if result.compile.build_dir else "build"
            click.echo(f"{folder}/ is up to date ({n} agent{'s' if n != 1 else ''})" if code == 0
                       else f"{folder}/ does not match the sources: run `swmlc build`", err=True)
        raise _Exit(code)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply the safe fixes to your files.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Show what --fix would change, as a unified diff; write nothing.")
@click.option("--format", "--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
              default="human",
              show_default=True, help="How diagnostics are printed.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def lint(*, paths: tuple[str, ...], fix: bool, show_diff: bool, error_format: str,
         strict: bool) -> None:
    """Every check of a build, writing nothing (with --fix, apply the safe fixes)."""
    with _error_handler():
        from compiler.api import compile_project
        from compiler.fixer import plan_fixes, write_fixes

        options = _options(paths)
        result = compile_project(options, write=False, reuse=False)
        if fix or show_diff:
            plan = plan_fixes(result.diagnostics, options.root)
            if show_diff:
                click.echo(plan.diff(), nl=False)
                raise _Exit(1 if plan.new_texts else 0)
            write_fixes(plan, options.root)
            n = len(plan.applied)
            click.echo(f"fixed {n} problem{'s' if n != 1 else ''} in "
                       f"{len(plan.new_texts)} file{'s' if len(plan.new_texts) != 1 else ''}",
                       err=True)
            result = compile_project(options, write=False, reuse=False)
        diags = result.sorted_diagnostics()
        emit_diagnostics(diags, result.texts, error_format)
        code = exit_code(diags, strict)
        if error_format == "human":
            fixable = sum(1 for d in diags if d.fix is not None and d.fix.safe)
            from compiler.render import summary

            said = summary(diags)
            click.echo(f"{said or 'no problems'} in {len(result.agents)} agents"
                       + (f" ({fixable} fixable with --fix)" if fixable else ""), err=True)
        raise _Exit(code)


@cli.command()
@click.argument("agent")
@click.argument("pointer")
@click.option("--target", type=click.Choice(["swml", "relay", "bedrock"]), default="swml",
              show_default=True)
def explain(*, agent: str, pointer: str, target: str) -> None:
    """Show the value at POINTER in AGENT's compiled document, and where it came from."""
    with _error_handler():
        from dataclasses import replace as _replace

        from compiler.api import compile_project
        from compiler.errors import SwmlcError
        from compiler.explain import explain as explain_value

        options = _replace(_options(()), targets=(target,))
        result = compile_project(options, write=False, reuse=False)
        diags = result.sorted_diagnostics()
        unit = next((u for u in result.units if u.name == agent), None)
        if unit is None:
            emit_diagnostics(diags, result.texts, "human")
            names = sorted(u.name for u in result.units)
            from compiler.suggest import did_you_mean

            near = did_you_mean(agent, names)
            raise SwmlcError(f"no agent named '{agent}'" +
                             (f"; did you mean '{near}'?" if near else
                              f" (agents: {', '.join(names)})"))
        found = explain_value(unit, target, pointer)
        click.echo(found.render(), nl=False)
        raise _Exit(0 if found.found else 1)


@cli.command()
@click.option("--against", default="HEAD", show_default=True, metavar="GIT_REF",
              help="The state to compare the work tree with.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="markdown: for a pull-request comment.")
def diff(*, against: str, fmt: str) -> None:
    """What changed in the compiled agents since GIT_REF, grouped by agent."""
    with _error_handler():
        from compiler.gitops import diff_states, render_diff

        diffs, diags = diff_states(_options(()), against)
        if any(d.severity.label == "error" for d in diags):
            emit_diagnostics(diags, {}, "human")
            raise _Exit(1)
        click.echo(render_diff(diffs, fmt, against), nl=False)
        raise _Exit(0)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@error_format_option
def watch(*, paths: tuple[str, ...], error_format: str) -> None:
    """Rebuild whenever a file an agent reads changes (Ctrl-C to stop)."""
    with _error_handler():
        from compiler.watch import watch_project

        click.echo("watching for changes (Ctrl-C to stop)", err=True)
        for result in watch_project(_options(paths)):
            diags = result.sorted_diagnostics()
            emit_diagnostics(diags, result.texts, error_format)
            _build_summary(result, exit_code(diags, strict=False))


def main(argv: list[str] | None = None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="swmlc", standalone_mode=False)
    except click.exceptions.Exit as e:
        return int(e.exit_code or 0)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except _Exit as e:
        return e.code
    return rv if isinstance(rv, int) else 0


from compiler.cli_import import import_cmd  # noqa: E402  (registered once `cli` exists)

cli.add_command(import_cmd)
