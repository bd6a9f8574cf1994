"""What a build remembers between runs, and what it may therefore skip.

The manifest (``build/manifest.json``, committed with the outputs) records per agent the sha256
of each output and of every input it read (its include graph), plus a build key for everything
else that decides the outputs (compiler version, targets, format, variables). A later build
reuses an agent whose inputs and outputs still hash as recorded, and ``swmlc check`` can name the
agent that changed without compiling.

The stat cache (:mod:`compiler.core.stat_cache`) remembers hashes by (size, mtime, inode), so
a no-op rebuild hashes only files whose stat changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.core.stat_cache import StatCache, sha256
from compiler.core.version import __version__
from compiler.project.load import Project
from compiler.project.options import Options
from compiler.targets import parse_output_name

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    """One agent's line of the manifest: its definition, the hash of every input it read and of
    every output it wrote, and where secret placeholders sit in its outputs."""

    source: str
    inputs: Mapping[str, str]
    outputs: Mapping[str, str]
    secrets: Mapping[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "inputs": dict(self.inputs),
                               "outputs": dict(self.outputs)}
        if self.secrets:
            out["secrets"] = dict(self.secrets)
        return out

    @staticmethod
    def from_json(data: object) -> ManifestEntry | None:
        """The entry a manifest on disk holds, or None for anything malformed."""
        if not isinstance(data, dict):
            return None
        source, inputs, outputs = data.get("source", ""), data.get("inputs", {}), \
            data.get("outputs", {})
        secrets = data.get("secrets", {})
        if not (isinstance(source, str) and _str_map(inputs) and _str_map(outputs)
                and isinstance(secrets, dict)):
            return None
        return ManifestEntry(source, inputs, outputs, secrets)


def _str_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                           for k, v in value.items())


@dataclass(frozen=True)
class Recorded:
    """How a build was made, as far as its command line and profile said: what ``check``,
    ``diff``, ``lint``, ``explain`` and ``watch`` replay to compile the same way. Only what was
    given is recorded (None: swmlc.yaml decided), so a later edit of swmlc.yaml still shows."""

    profile: str | None = None
    targets: tuple[str, ...] | None = None
    format: str | None = None
    source_map: bool = False
    vars: tuple[tuple[str, Any], ...] = ()
    #: --vars-file files given, with their sha256 when the build read them.
    vars_files: tuple[tuple[str, str | None], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"profile": self.profile, "targets": list(self.targets) if self.targets else None,
                "format": self.format, "source_map": self.source_map,
                "vars": dict(self.vars), "vars_files": dict(self.vars_files)}

    @staticmethod
    def from_json(data: object) -> Recorded:
        if not isinstance(data, dict):
            return Recorded()
        targets, variables, files = data.get("targets"), data.get("vars"), data.get("vars_files")
        profile, fmt = data.get("profile"), data.get("format")
        return Recorded(
            profile if isinstance(profile, str) else None,
            tuple(str(t) for t in targets) if isinstance(targets, list) and targets else None,
            fmt if fmt in ("json", "yaml") else None,
            data.get("source_map") is True,
            tuple(variables.items()) if isinstance(variables, dict) else (),
            tuple((str(k), v if isinstance(v, str) else None) for k, v in files.items())
            if isinstance(files, dict) else ())

    def replayed(self, options: Options) -> Options:
        """``options`` with what the command line left unsaid taken from this record."""
        return replace(
            options, profile=options.profile or self.profile,
            targets=options.targets or self.targets,  # type: ignore[arg-type]
            output_format=options.output_format or self.format,  # type: ignore[arg-type]
            source_map=options.source_map or self.source_map,
            cli_vars=options.cli_vars or self.vars,
            vars_files=options.vars_files or tuple(name for name, _ in self.vars_files))


def recorded(project: Project, hashes: FileHashes) -> Recorded:
    """The record of a build made with ``project``'s options."""
    opts = project.options
    return Recorded(project.config.profile, tuple(opts.targets) if opts.targets else None,
                    opts.output_format, opts.source_map, tuple(opts.cli_vars),
                    tuple((f, hashes.of(f)) for f in opts.vars_files))


@dataclass
class Manifest:
    """build/manifest.json."""

    build_key: str = ""
    agents: dict[str, ManifestEntry] = field(default_factory=dict)
    compiler: str = f"swmlc {__version__}"
    options: Recorded = field(default_factory=Recorded)
    #: "K/N" in a shard's folder (``swmlc build --shard``); absent from a whole build's.
    shard: str | None = None
    #: (size, mtime, inode) of the file this was read from, taken before reading it.
    stamp: tuple[int, int, int] | None = field(default=None, compare=False, repr=False)

    def still_on_disk(self, build_dir: Path) -> bool:
        """Whether ``build_dir``'s manifest is still the file this was read from, so need not be
        parsed again (a build swapped in meanwhile wrote a new file, or linked the same bytes)."""
        return self.stamp is not None and self.stamp == _stamp(build_dir / MANIFEST)

    def to_bytes(self) -> bytes:
        """Sorted keys, 2-space indent: the bytes ``json.dumps(indent=2, sort_keys=True)`` gives
        (the manifest holds only strings and mappings), written by orjson, which is faster."""
        import orjson

        data = {"compiler": self.compiler, "build_key": self.build_key,
                "options": self.options.to_json(),
                "agents": {name: e.to_json() for name, e in sorted(self.agents.items())}}
        if self.shard is not None:
            data["shard"] = self.shard
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
                            | orjson.OPT_APPEND_NEWLINE)

    def outputs_of(self) -> dict[str, str]:
        """Output name -> the agent that wrote it."""
        return {out: agent for agent, entry in self.agents.items() for out in entry.outputs}


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def read_manifest(build_dir: Path) -> Manifest:
    """The manifest of the build on disk (an empty one when it is missing or unreadable)."""
    try:
        with open(build_dir / MANIFEST, "rb") as fh:
            st = os.fstat(fh.fileno())
            data = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict):
        return Manifest()
    agents: dict[str, ManifestEntry] = {}
    raw = data.get("agents")
    for name, value in raw.items() if isinstance(raw, dict) else ():
        entry = ManifestEntry.from_json(value)
        if entry is not None:
            agents[str(name)] = entry
    key = data.get("build_key")
    compiler = data.get("compiler")
    shard = data.get("shard")
    return Manifest(key if isinstance(key, str) else "", agents,
                    compiler if isinstance(compiler, str) else "",
                    Recorded.from_json(data.get("options")),
                    shard if isinstance(shard, str) else None,
                    stamp=(st.st_size, st.st_mtime_ns, st.st_ino))


def build_key(project: Project) -> str:
    """What, besides the input files, decides the outputs: if it changes, nothing is reused."""
    opts, cfg = project.options, project.config
    key = {
        "compiler": __version__, "targets": list(project.targets), "profile": cfg.profile,
        "format": project.output_format, "source_map": opts.source_map,
        "vars": [[k, repr(v)] for k, v in opts.cli_vars],
        "env": {name: opts.env.get(name) for name in cfg.env},
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def learn_inputs(stats: StatCache, root: Path, entries: list[ManifestEntry],
                 read_after_ns: int) -> None:
    """Teach the stat cache the hashes this build's agents were made from (:meth:`StatCache.learn`),
    by the same paths :class:`FileHashes` asks it for."""
    inputs: dict[str, str] = {}
    for entry in entries:  # agents share bases and swmlc.yaml: each file is learned once
        inputs.update(entry.inputs)
    top = str(root)
    for rel, digest in inputs.items():
        stats.learn(os.path.join(top, rel), digest, read_after_ns)


class FileHashes:
    """sha256 of project files as on disk (a BOM included), each computed once per build: from
    the bytes the build read when it read some, else through the stat cache, else from disk.

    One instance serves a whole build (its reuse checks and the record of how it was made), and
    the bytes read win over an earlier hash from disk: a file saved while the build ran must be
    recorded as the build saw it, never with the newer hash (watch saw a reused agent recorded
    with a ``--vars-file`` hash the build never read)."""

    def __init__(self, project: Project, stats: StatCache | None = None) -> None:
        self.project = project
        self.stats = stats
        self._known: dict[str, str | None] = {}
        self._read: dict[str, str] = {}

    def of(self, rel: str) -> str | None:
        """None when the file cannot be read, or is not one a build may read: the paths come
        from records (the manifest, which the repository holds; the cache), and hashing a file
        outside the project root would be reading it."""
        data = self.project.files.raw.get(rel)
        if data is not None:
            digest = self._read.get(rel)
            if digest is None:
                digest = self._read[rel] = sha256(data)
            return digest
        if rel not in self._known:
            if not self.project.files.inside(rel):
                self._known[rel] = None
            elif self.stats is not None:
                self._known[rel] = self.stats.sha256(os.path.join(self.project.options.root,
                                                                  rel))  # no Path: hot
            else:
                try:
                    self._known[rel] = sha256(self.project.files.abspath(rel).read_bytes())
                except OSError:
                    self._known[rel] = None
        return self._known[rel]

    def of_all(self, files: tuple[str, ...]) -> dict[str, str]:
        return {f: digest for f in files if (digest := self.of(f)) is not None}


def reusable(entries: list[tuple[str, ManifestEntry]], hashes: FileHashes, stats: StatCache,
             build_dir: Path) -> list[tuple[str, ManifestEntry, dict[str, bytes]]] | None:
    """The outputs of one definition's agents as they are on disk, when every input and output
    still hashes as the manifest recorded; None if anything changed."""
    reused: list[tuple[str, ManifestEntry, dict[str, bytes]]] = []
    build = str(build_dir)
    for name, entry in entries:
        for f, digest in entry.inputs.items():
            if hashes.of(f) != digest:
                return None
        data: dict[str, bytes] = {}
        for out, digest in entry.outputs.items():
            found = stats.read(os.path.join(build, out))
            if found is None or found[1] != digest:
                return None
            data[out] = found[0]
        reused.append((name, entry, data))
    return reused


def as_recorded(options: Options) -> Options:
    """``options`` completed with what the build in their folder recorded (:class:`Recorded`):
    ``swmlc check`` after ``swmlc build --var region=eu`` compiles with ``region=eu`` too."""
    from compiler.project.load import load_project

    project, problems = load_project(options)
    if problems:
        return options  # the command will say what is wrong with swmlc.yaml
    manifest = read_manifest(options.root / project.build_folder)
    replayed = manifest.options.replayed(options)
    if replayed.output_format is None and any(
            (parse_output_name(name) or ("", "", ""))[2] == "yaml"
            for e in manifest.agents.values() for name in e.outputs):
        replayed = replace(replayed, output_format="yaml")  # a build recorded before 0.2.0
    return replayed
