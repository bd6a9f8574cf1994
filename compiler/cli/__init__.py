"""The command line: thin click commands over the library API, one module per command.

Commands parse options, call the library, render what came back and return an exit code
(:mod:`compiler.cli._common` has the one error path and the exit codes). Each command is
registered below (:data:`COMMANDS`), by name: there is no discovery.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import click

from compiler.cli._common import Exit
from compiler.core.version import __version__

#: Each command by name: the module that defines it, and the command's name there.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "init"), "build": ("build", "build"), "validate": ("validate", "validate"),
    "check": ("check", "check"), "lint": ("lint", "lint"), "explain": ("explain", "explain"),
    "diff": ("diff", "diff"), "watch": ("watch", "watch"), "import": ("import_", "import_cmd"),
    "merge": ("merge", "merge"), "exec": ("exec", "exec_cmd"), "test": ("test", "test"),
    "graph": ("graph", "graph"), "serve": ("serve", "serve"),
}


class _Registry(MutableMapping[str, click.Command]):
    """The commands by name, each module imported when its command is first looked up.

    Why: importing all fourteen command modules (and what they import at the top) cost every
    run, ``swmlc build`` included, the modules of thirteen commands it does not run. The names
    are known without importing anything, so ``--help``, completion and "did you mean" still
    see every command.
    """

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._table = dict(table)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        found = self._loaded.get(name)
        if found is None:
            module, attr = self._table[name]  # KeyError: no such command
            command = getattr(importlib.import_module(f"compiler.cli.{module}"), attr)
            assert isinstance(command, click.Command), name
            found = self._loaded[name] = command
        return found

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command
        self._table.setdefault(name, ("", ""))

    def __delitem__(self, name: str) -> None:
        del self._table[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exit as e:
            ctx.exit(e.code)


@click.group(cls=_Group, commands=_Registry(COMMANDS),
             context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Example: swmlc init my-agents && cd my-agents && swmlc build && swmlc test"
                    "\n\nEach command's own --help shows its options and an example.")
@click.version_option(__version__, "--version", prog_name="swmlc",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Compile SignalWire agent definitions (YAML) into SWML documents."""


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
