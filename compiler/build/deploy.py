"""Deploy copies: the compiled documents with secret values from the environment, written only to
a folder outside build/ (``swmlc build --bind-secrets -o DIR``)."""

from __future__ import annotations

import json
from pathlib import Path

from compiler.build.build_dir import build_lock, commit_build
from compiler.build.serialize import to_json, to_yaml
from compiler.core import codes
from compiler.core.bind import bind
from compiler.core.diagnostics import Diagnostic
from compiler.core.errors import SwmlcError
from compiler.core.tree import Seq, Span
from compiler.project.config import CONFIG_NAME
from compiler.project.load import Project

Written = tuple[list[str], list[str], list[str]]


def bind_secrets(files: dict[str, bytes], project: Project, out_dir: Path, *, write: bool
                 ) -> tuple[list[Diagnostic], Written | None]:
    """Bind every secret of ``files`` and write them to ``out_dir``; every unset secret is said at
    once, at its declaration in swmlc.yaml, and then nothing is written."""
    build = (project.options.root / project.config.build).resolve()
    out = out_dir.resolve()
    if project.options.out_dir is None or out == build or build in out.parents:
        raise SwmlcError("--bind-secrets writes deploy copies: give -o DIR outside "
                         f"{project.config.build}/ (secrets never reach {project.config.build}/)")
    missing: set[str] = set()
    bound: dict[str, bytes] = {}
    # only the secrets swmlc.yaml declares are ever read from the environment
    declared = {k: v for k, v in project.options.env.items() if k in project.config.secrets}
    for name, data in files.items():
        doc = bind(json.loads(data) if name.endswith(".json") else _yaml(data), declared,
                   missing)
        bound[name] = to_json(doc) if name.endswith(".json") else to_yaml(doc)
    said = [codes.SECRET_UNSET.at(
        secret_span(project, secret), f"secret {secret} is not set in the environment",
        help=f"export {secret}=... before swmlc build --bind-secrets")
        for secret in sorted(missing)]
    if missing or not write:
        return said, None
    said += _not_ignored(project, out)
    with build_lock(out_dir):
        return said, commit_build(out_dir, bound, set(), private=True)


def _not_ignored(project: Project, out: Path) -> list[Diagnostic]:
    """A warning when ``out`` is inside the repository and git would commit it."""
    import subprocess

    root = project.options.root.resolve()
    if out != root and root not in out.parents:
        return []
    try:
        found = subprocess.run(["git", "check-ignore", "-q", "--", str(out)], cwd=root,
                               capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []  # no git, or it does not answer: nothing to say
    if found.returncode != 1:  # 0: ignored; 128: not a git work tree
        return []
    shown = out.relative_to(root).as_posix()
    return [codes.DEPLOY_NOT_IGNORED.at(
        Span(shown, 0, 0, 0, 0), f"{shown}/ holds secret values and git does not ignore it",
        help=f"add '{shown}/' to .gitignore, or write the deploy copies outside the repository")]


def secret_span(project: Project, secret: str) -> Span:
    """Where swmlc.yaml declares a secret (what an error about its value points at)."""
    tree = project.config.tree
    items = tree.get("secrets") if tree is not None else None
    if isinstance(items, Seq):
        span: Span = items.item_span(items.index(secret)) if secret in items else items.span
        return span
    return Span(CONFIG_NAME, 1, 1, 1, 1)


def _yaml(data: bytes) -> object:
    import yaml

    return yaml.safe_load(data)
