"""A command imports what it runs: a cold one-agent build pays mostly for imports (callgrind put
them at about three quarters of its instructions), so modules of other commands, and modules only
a failure needs, stay unloaded. Checked in a fresh process through the launcher, as a user runs
it; asserts which modules were loaded, never how long anything took."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler.cli import COMMANDS

AGENT = "prompt:\n  text: You are a test agent.\n"


def _loaded_by(root: Path, *argv: str) -> tuple[int, set[str]]:
    code = (f"import sys\nfrom compiler.fastpath import main\nrc = main({list(argv)!r})\n"
            "print(rc, sorted(m for m in sys.modules if m.startswith('compiler')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120, check=True)
    rc, _, names = done.stdout.splitlines()[-1].partition(" ")
    return int(rc), set(ast.literal_eval(names))


def test_a_clean_build_imports_no_other_command_and_nothing_only_a_failure_needs(
        project: Callable[[dict[str, str]], Path]) -> None:
    root = project({"agents/a.yaml": AGENT})
    rc, loaded = _loaded_by(root, "build")
    assert rc == 0 and (root / "build" / "a.swml.json").is_file()
    assert {"compiler.cli.build", "compiler.pipeline.run"} <= loaded  # it did compile
    others = {f"compiler.cli.{module}" for module, _ in COMMANDS.values()} - {"compiler.cli.build"}
    assert sorted(loaded & others) == []
    assert sorted(loaded & {"compiler.source.schema.explain", "compiler.source.render",
                            "compiler.features.scaffold"}) == []


LATE = {"compiler.targets.relay", "compiler.signalwire.relay", "compiler.targets.bedrock",
        "compiler.analysis.flow"}


def test_what_only_some_agents_and_targets_need_loads_when_one_needs_it(
        project: Callable[[dict[str, str]], Path]) -> None:
    """A SWML build of an agent without contexts needs neither the relay and bedrock targets nor
    the conversation graph; asked for relay, or given contexts, the build loads each."""
    root = project({"agents/a.yaml": AGENT})
    rc, loaded = _loaded_by(root, "build")
    assert rc == 0 and sorted(loaded & LATE) == []
    rc, loaded = _loaded_by(root, "build", "--target", "relay", "--target", "bedrock")
    assert rc == 0 and (root / "build/a.relay.json").is_file()
    assert {"compiler.targets.relay", "compiler.signalwire.relay",
            "compiler.targets.bedrock"} <= loaded
    (root / "agents/a.yaml").write_text(
        "prompt:\n  text: You are a test agent.\n  contexts:\n    default:\n      steps:\n"
        "        - name: greet\n          text: Say hello.\n")
    rc, loaded = _loaded_by(root, "build")
    assert rc == 0 and "compiler.analysis.flow" in loaded


def test_a_failing_build_still_explains_and_renders_its_errors(
        project: Callable[[dict[str, str]], Path]) -> None:
    root = project({"agents/a.yaml": "prompt:\n  txet: typo\n"})
    rc, loaded = _loaded_by(root, "build")
    assert rc == 1
    assert {"compiler.source.schema.explain", "compiler.source.render"} <= loaded


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_loads_its_own_module_when_looked_up(name: str) -> None:
    import click

    from compiler.cli import cli

    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
