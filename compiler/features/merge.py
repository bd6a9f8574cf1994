"""``swmlc merge SHARD_DIR...``: the folders of ``swmlc build --shard K/N`` joined into one build.

The result is byte for byte the build one machine would have made: the same documents (each
shard compiled its agents exactly as a whole build does) and the same manifest (the union of the
shards' entries, with the build key, compiler and options they all share). So merge refuses
shards that were not made to be joined: built by another swmlc, with other options (profile,
targets, format, variables, environment), from a different split (another N, a K missing or
twice), or claiming the same agent or file twice. Every document is checked against the hash its
shard's manifest recorded before it is written, and only names a build could have written are
accepted: a shard folder is an artifact handed between CI jobs, not trusted to name paths.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from compiler.build.incremental import MANIFEST, Manifest, ManifestEntry, read_manifest
from compiler.build.outputs import OUTPUT_SUFFIXES
from compiler.core.errors import SwmlcError
from compiler.core.stat_cache import sha256
from compiler.project.load import load_project
from compiler.project.options import Options

#: An output's name as a build writes it: the agent's name (check_shape's AGENT_NAME) and a
#: known suffix, no folder.
_OUTPUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class MergeResult:
    folder: Path
    agents: int = 0
    shards: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _shard_of(folder: Path) -> tuple[Manifest, int, int]:
    manifest = read_manifest(folder)
    if not (folder / MANIFEST).is_file() or not manifest.build_key:
        raise SwmlcError(f"{folder} holds no shard's manifest.json: give the folders that "
                         "`swmlc build --shard K/N -o DIR` wrote")
    k, slash, n = (manifest.shard or "").partition("/")
    if not (slash and k.isdigit() and n.isdigit()):
        raise SwmlcError(f"{folder} is a whole build, not a shard (its manifest names no "
                         "shard): merge joins the folders of `swmlc build --shard K/N`")
    return manifest, int(k), int(n)


def _agree(shards: list[tuple[Path, Manifest, int, int]]) -> None:
    """Refuse shards that were not made to be joined into one build."""
    first, m0, _, n0 = shards[0]
    for folder, m, _, n in shards[1:]:
        for what, mine, theirs in (("swmlc version", m.compiler, m0.compiler),
                                   ("options", m.options, m0.options),
                                   ("build key (targets, format, variables, environment)",
                                    m.build_key, m0.build_key),
                                   ("number of shards", n, n0)):
            if mine != theirs:
                raise SwmlcError(
                    f"{folder} and {first} were built with a different {what}: rebuild every "
                    "shard the same way (same swmlc, same options) before merging")
    seen = sorted(k for _, _, k, _ in shards)
    if seen != list(range(1, n0 + 1)):
        missing = sorted(set(range(1, n0 + 1)) - set(seen))
        twice = sorted({k for k in seen if seen.count(k) > 1})
        raise SwmlcError(f"the shards do not make one build of {n0}: " + "; ".join(
            [f"missing {', '.join(f'{k}/{n0}' for k in missing)}"] * bool(missing)
            + [f"given twice: {', '.join(f'{k}/{n0}' for k in twice)}"] * bool(twice)))


def _documents(folder: Path, name: str, entry: ManifestEntry, limit: int) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for output, digest in entry.outputs.items():
        if not _OUTPUT_NAME.match(output) or not output.endswith(OUTPUT_SUFFIXES):
            raise SwmlcError(f"{folder}/{MANIFEST} names '{output}' for agent {name}: not a "
                             "file a build writes")
        path = folder / output
        try:  # not through a link, only a regular file, bounded like any document
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as fh:
                info = os.fstat(fh.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                    raise SwmlcError(f"{path} is not a document a build writes")
                data = fh.read(limit + 1)
        except OSError as exc:
            raise SwmlcError(f"cannot read {path}: {exc.strerror or exc}") from None
        if sha256(data) != digest:
            raise SwmlcError(f"{path} is not what its shard built (its hash differs from "
                             f"{MANIFEST}): rebuild that shard")
        out[output] = data
    return out


def merge_shards(options: Options, folders: list[Path]) -> MergeResult:
    """Join shard folders into the project's build folder (or ``options.out_dir``)."""
    from compiler.build.build_dir import (
        build_lock,
        check_output_folder,
        commit_build,
        current_files,
    )

    if not folders:
        raise SwmlcError("give the shard folders to merge")
    shards = [(f, *_shard_of(f)) for f in folders]
    _agree(shards)
    recorded = shards[0][1].options
    project, problems = load_project(replace(options, profile=options.profile
                                             or recorded.profile))
    if problems:
        raise SwmlcError("swmlc.yaml has problems: run `swmlc build` to see them")
    limit = project.config.limits.output_bytes
    agents: dict[str, ManifestEntry] = {}
    files: dict[str, bytes] = {}
    for folder, manifest, _, _ in shards:
        for name, entry in manifest.agents.items():
            if name in agents:
                raise SwmlcError(f"agent {name} is in more than one shard ({folder} too): "
                                 "were the shards built from the same commit?")
            agents[name] = entry
            docs = _documents(folder, name, entry, limit)
            if set(docs) & set(files):
                raise SwmlcError(f"{folder}: {', '.join(sorted(set(docs) & set(files)))} "
                                 "written by more than one shard")
            files.update(docs)
    m0 = shards[0][1]
    merged = Manifest(m0.build_key, dict(sorted(agents.items())), m0.compiler, m0.options)
    build_dir = options.root / project.build_folder
    check_output_folder(options.root, Path(project.build_folder), agents=project.config.agents)
    result = MergeResult(build_dir, len(agents), len(shards))
    with build_lock(build_dir):
        old = read_manifest(build_dir)
        keep = set(files)
        stale = {out for e in old.agents.values() for out in e.outputs if out not in keep}
        files[MANIFEST] = merged.to_bytes()
        result.written, result.unchanged, result.removed = commit_build(
            build_dir, files, stale, existing=current_files(build_dir))
    return result
