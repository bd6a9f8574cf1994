"""What a build or a check that just answered leaves for the next identical command
(:mod:`compiler.fastpath`, :mod:`compiler.core.records`): the files and folders its answer
depended on, and what it said."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from compiler.core import records
from compiler.core.stat_cache import stat_cache_path

if TYPE_CHECKING:  # pragma: no cover
    from compiler.build.compile import CompileResult
    from compiler.project.options import Options

SCHEMA_FOLDER = ".swmlc/schemas"


def _walked(root: Path, searched: Sequence[str]) -> list[str]:
    """The folders discovery walks (compiler/project/discover.py): a new or removed definition
    changes one of their listings. A file named on the command line: its folder."""
    out: list[str] = []
    for rel in searched:
        start = os.path.join(root, rel)
        if not os.path.isdir(start):
            out.append(os.path.dirname(start))
            continue
        for folder, dirs, _ in os.walk(start):
            out.append(folder)
            dirs[:] = [d for d in dirs if not d.startswith(".")
                       and not os.path.islink(os.path.join(folder, d))]
    return out


def _project_files(root: Path, options: Options) -> tuple[list[str], list[str]]:
    """swmlc.yaml, the vars files, the editor schemas and the official schema: read by every
    run, named in no manifest entry."""
    files = [os.path.join(root, records.CONFIG_NAME)]
    files += [os.path.join(root, v) for v in options.vars_files]
    dirs = [str(root)]
    schemas = root / SCHEMA_FOLDER
    if schemas.is_dir():
        dirs.append(str(schemas))
        files += [str(p) for p in sorted(schemas.iterdir()) if p.is_file()]
    from compiler.signalwire.official_schema import locate_official_schema

    official = locate_official_schema()
    if official is not None:
        files.append(str(official))
    return [f for f in files if os.path.isfile(f)], dirs


def remember(command: str, options: Options, results: Sequence[CompileResult],
             started_ns: int, stderr: str) -> None:
    """Leave the record of a run that said ``stderr`` and exit 0, when it ran as a process of
    its own (:func:`command_line`)."""
    argv = command_line()
    if argv is None or not results:
        return
    cwd = os.path.realpath(os.getcwd())
    root = options.root
    path = records.record_path(os.path.realpath(root), options.env, command, argv, cwd)
    if path is None:
        return
    inputs: dict[str, str | None] = {}
    outputs: dict[str, str] = {}
    files, dirs = _project_files(root, options)
    top = f"{root}{os.sep}"  # manifest paths are relative and checked (os.path.join: 10x)
    for result in results:
        build_dir = result.build_dir
        if build_dir is None or not result.agents:
            return
        dirs += _walked(root, result.searched)
        dirs.append(str(build_dir))
        out = f"{build_dir}{os.sep}"
        for entry in result.manifest.agents.values():
            for rel, digest in entry.inputs.items():
                inputs[top + rel] = digest
            for name, digest in entry.outputs.items():
                outputs[out + name] = digest
        outputs[out + "manifest.json"] = ""  # hashed as it is on disk
    for file in files:
        inputs.setdefault(file, None)
    env_names = {name for r in results for name in r.env_names}
    caches = [str(stat_cache_path(r.build_dir)) for r in results
              if command == "build" and r.build_dir is not None]
    records.save(path, records.make_record(
        argv=argv, cwd=cwd, env=options.env, env_names=env_names, inputs=inputs,
        outputs=outputs, dirs=dirs, started_ns=started_ns, stderr=stderr, stat_caches=caches))


def command_line() -> list[str] | None:
    """The command line as the launcher received it (None in-process, e.g. under CliRunner,
    where there is no next process to answer)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    found = obj.get("argv") if isinstance(obj, dict) else None
    return list(found) if isinstance(found, list) else None
