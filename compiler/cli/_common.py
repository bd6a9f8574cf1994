"""What every command shares: the one error path and its exit codes, how diagnostics are
printed, and how options become the library's :class:`~compiler.project.options.Options`.

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
from typing import TYPE_CHECKING, Any, get_args

import click

from compiler.core.words import plural
from compiler.project.options import Target

__all__ = ["plural"]  # commands import it from here with the rest

if TYPE_CHECKING:  # pragma: no cover
    from compiler.build.compile import CompileResult
    from compiler.core.diagnostics import Diagnostic
    from compiler.project.options import Options

ERROR_FORMATS = ("human", "json", "github")
TARGET_NAMES: tuple[str, ...] = get_args(Target)


class Exit(Exception):
    """Leave the command with this exit code (raised inside :func:`error_handler`)."""

    def __init__(self, code: int) -> None:
        self.code = code


@contextlib.contextmanager
def error_handler() -> Iterator[None]:
    """Map every way out of a command to its exit code; no traceback for expected failures."""
    from compiler.core.errors import SwmlcError

    try:
        yield
    except SwmlcError as exc:
        click.echo(f"error: {exc}", err=True)
        raise Exit(1) from None
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        raise Exit(130) from None
    except (click.exceptions.Exit, click.ClickException, Exit):
        raise
    except Exception:  # a bug: say so plainly, keep the traceback for the report
        click.echo("swmlc: internal error (a bug in swmlc; please report it with this output)",
                   err=True)
        click.echo(traceback.format_exc(), err=True)
        raise Exit(3) from None


def colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def in_hook() -> bool:
    """Run by pre-commit (which sets PRE_COMMIT=1 for every hook): notes (info diagnostics)
    are left out there, since a hook's output is read only when it fails; a rule raised to
    warning in swmlc.yaml (``rules:``) is shown."""
    return os.environ.get("PRE_COMMIT") == "1"


def emit_diagnostics(diags: list[Diagnostic], texts: dict[str, str], fmt: str) -> None:
    from compiler.core.diagnostics import Severity

    if in_hook():
        diags = [d for d in diags if d.severity is not Severity.INFO]
    if not diags and fmt != "json":  # json always prints a list, [] included
        return
    from compiler.source.render import render  # only when there is something to print

    text = render(diags, fmt, texts, colour=colour())  # type: ignore[arg-type]
    click.echo(text, nl=False, err=fmt == "human")


def exit_code(diags: list[Diagnostic], strict: bool) -> int:
    from compiler.core.diagnostics import Severity

    worst = max((d.severity for d in diags), default=None)
    if worst is Severity.ERROR or (strict and worst is Severity.WARNING):
        return 1
    return 0


def parse_vars(values: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    """``--var KEY=VALUE`` options, each VALUE read as YAML."""
    from compiler.source.yaml_reader import read_yaml

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


def error_format_option(f: Any) -> Any:
    return click.option("--error-format", "error_format", type=click.Choice(ERROR_FORMATS),
                        default="human", show_default=True,
                        help="How diagnostics are printed.")(f)


def live_request_options(f: Any) -> Any:
    """--allow-private-urls and --timeout, for the commands that send requests with --live
    (exec and test): one wording and one bound for both."""
    f = click.option("--timeout", type=click.FloatRange(0.01, 120), metavar="SECONDS",
                     help="With --live, give up on a request after SECONDS (default: the "
                          "platform's 30 s to connect, 120 s in all).")(f)
    return click.option("--allow-private-urls", "allow_private", is_flag=True,
                        help="With --live, allow requests to private and loopback "
                             "addresses.")(f)


def rooted(path: str) -> str:
    """A path given on the command line, absolute (relative ones are from the working folder)."""
    return str((Path.cwd() / path).resolve())


def options(paths: tuple[str, ...] = (), *, profile: str | None = None,
            cli_vars: tuple[str, ...] = (), vars_files: tuple[str, ...] = (),
            targets: tuple[str, ...] = (), **kw: Any) -> Options:
    """The options of a command run in the project around the working folder (what
    :func:`compile_options` parsed included)."""
    from compiler.project.config import find_root
    from compiler.project.options import Options
    from compiler.source.files import display_path

    root = find_root(Path.cwd())
    return Options(root=root, paths=tuple(rooted(p) for p in paths),
                   env=dict(os.environ), jobs=os.cpu_count() or 1, profile=profile or None,
                   cli_vars=parse_vars(cli_vars),
                   vars_files=tuple(display_path(Path(v), root) for v in vars_files),
                   targets=tuple(targets) or None,  # type: ignore[arg-type]
                   **kw)


def _complete_profiles(ctx: click.Context, param: click.Parameter, incomplete: str
                       ) -> list[str]:
    """Shell completion of --profile: the profiles of the swmlc.yaml around the working folder."""
    import yaml

    from compiler.project.config import CONFIG_NAME, find_root

    try:
        data = yaml.safe_load((find_root(Path.cwd()) / CONFIG_NAME).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    profiles = data.get("profiles") if isinstance(data, dict) else None
    return [str(n) for n in profiles if str(n).startswith(incomplete)] \
        if isinstance(profiles, dict) else []


def variable_options(f: Any) -> Any:
    """--profile, --var and --vars-file (see :func:`compile_options`)."""
    for option in reversed((
        click.option("--profile", metavar="NAME", envvar="SWMLC_PROFILE",
                     shell_complete=_complete_profiles,
                     help="A profile of swmlc.yaml (default: $SWMLC_PROFILE, then "
                          "default_profile)."),
        click.option("--var", "cli_vars", multiple=True, metavar="KEY=VALUE",
                     help="Set a variable (VALUE read as YAML); highest precedence."),
        click.option("--vars-file", "vars_files", multiple=True,
                     type=click.Path(dir_okay=False), help="A YAML mapping of variables."),
    )):
        f = option(f)
    return f


def compile_options(f: Any) -> Any:
    """--profile, --var, --vars-file and --target: what changes what the agents compile to, on
    every command whose result depends on it. Left out, ``check``, ``diff``, ``lint``,
    ``explain`` and ``watch`` replay what the build in the folder recorded."""
    f = click.option("--target", "targets", multiple=True, type=click.Choice(TARGET_NAMES),
                     help="Output to build (repeatable; default: the profile's or "
                          "swmlc.yaml's targets, else swml).")(f)
    return variable_options(f)


def recorded_options(paths: tuple[str, ...] = (), **kw: Any) -> Options:
    """:func:`options`, completed with what the build in the folder recorded."""
    from compiler.build.incremental import as_recorded

    return as_recorded(options(paths, **kw))


def build_summary(result: CompileResult, code: int) -> None:
    """The last line of a build: what was compiled, reused, written and removed."""
    said = ""
    if result.diagnostics:  # the renderers are not imported by a build that said nothing
        from compiler.source.render import summary

        said = summary(result.diagnostics)
    if code:
        click.echo(f"build failed: {said}; nothing was written", err=True)
        return
    n = len(result.agents)
    click.echo(_summary_line(result, n - result.reused, result.reused, len(result.written),
                             len(result.unchanged), len(result.removed), said), err=True)


def noop_summary(result: CompileResult) -> str:
    """The line the next build prints when nothing changes after ``result`` (a build that
    said nothing else): every agent up to date, every file it has now unchanged."""
    n = len(result.agents)
    return _summary_line(result, 0, n, 0, len(result.written) + len(result.unchanged), 0, "")


def _summary_line(result: CompileResult, compiled: int, reused: int, written: int,
                  unchanged: int, removed: int, said: str) -> str:
    out = result.build_dir
    shown = os.path.relpath(out) if out is not None else "build"
    detail = [f"{written} written", f"{unchanged} unchanged"]
    if removed:
        detail.append(f"{removed} removed")
    return (f"{plural(len(result.agents), 'agent')} in {shown}/: {compiled} compiled, "
            f"{reused} up to date ({', '.join(detail)})"
            f"{f'; {said}' if said else ''}")


def cache_summary(result: CompileResult) -> str:
    """``-v``: how the compiled-unit cache served the build (its hit rate)."""
    if not result.cache_on:
        return "cache: off (set SWMLC_CACHE_DIR to a folder to keep compiled agents between " \
               "builds)"
    looked = result.cache_hits + result.cache_misses
    if not looked:
        return "cache: nothing to compile"
    return (f"cache: {result.cache_hits} of {plural(looked, 'compiled agent')} from the cache "
            f"({100 * result.cache_hits / looked:.1f}% hit rate)")
