"""The command line: thin click commands over the library API, one module per command.

Commands parse options, call the library, render what came back and return an exit code
(:mod:`compiler.cli._common` has the one error path and the exit codes). Each command is
registered below, by name: there is no discovery.
"""

from __future__ import annotations

from typing import Any

import click

from compiler.cli import (
    build,
    check,
    diff,
    explain,
    graph,
    import_,
    init,
    lint,
    merge,
    serve,
    test,
    validate,
    watch,
)
from compiler.cli import exec as exec_
from compiler.cli._common import Exit
from compiler.core.version import __version__


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exit as e:
            ctx.exit(e.code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Example: swmlc init my-agents && cd my-agents && swmlc build && swmlc test"
                    "\n\nEach command's own --help shows its options and an example.")
@click.version_option(__version__, "--version", prog_name="swmlc",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Compile SignalWire agent definitions (YAML) into SWML documents."""


for _command in (init.init, build.build, validate.validate, check.check, lint.lint,
                 explain.explain, diff.diff, watch.watch, import_.import_cmd, merge.merge,
                 exec_.exec_cmd, test.test, graph.graph, serve.serve):
    cli.add_command(_command)


def main(argv: list[str] | None = None, *, record: bool = False) -> int:
    """Run the command line. ``record``: this is a process of its own, whose build or check may
    leave a record for the next identical command (:mod:`compiler.fastpath`)."""
    obj = {"argv": list(argv)} if record and argv is not None else None
    try:
        rv = cli.main(args=argv, prog_name="swmlc", standalone_mode=False, obj=obj)
    except click.exceptions.Exit as e:
        return int(e.exit_code or 0)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except Exit as e:
        return e.code
    return rv if isinstance(rv, int) else 0
