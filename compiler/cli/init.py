"""``swmlc init``: a new agent repository that builds, checks and runs its hook out of the box."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli._common import Exit, error_handler


@click.command(epilog="Example: swmlc init my-agents && cd my-agents && swmlc build")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
@click.option("--name", "agent", default="support", show_default=True,
              help="The first agent's name.")
@click.option("--repo-url", metavar="URL",
              help="Where CI and pre-commit install swmlc from (default: where this swmlc was "
                   "installed from, when pip recorded it).")
@click.option("--rev", metavar="REV", help="The tag or commit of that repository to pin.")
def init(*, folder: str, force: bool, agent: str, repo_url: str | None, rev: str | None) -> None:
    """Create an agent repository in FOLDER: swmlc.yaml, a base agent and an agent that extends
    it, a function library, .gitignore, a pre-commit hook, a GitHub Actions workflow and the
    editor schemas."""
    with error_handler():
        from compiler.features.scaffold import PLACEHOLDER_URL, init_project

        target = Path(folder)
        result = init_project(target, force=force, repo_url=repo_url, rev=rev, agent=agent)
        for rel in result.written:
            click.echo(f"wrote {target / rel}", err=True)
        if result.repo_url == PLACEHOLDER_URL:
            click.echo(f"note: set the repository swmlc is installed from in "
                       f"{target / '.pre-commit-config.yaml'} and "
                       f"{target / '.github/workflows/agents.yml'} (or pass --repo-url)",
                       err=True)
        click.echo(f"next: cd {target} && swmlc build && git init && git add . && "
                   "git commit -m 'agents'", err=True)
        raise Exit(0)
