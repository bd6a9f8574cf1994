"""The content-addressed cache of compiled units (``SWMLC_CACHE_DIR``).

A CI job that restores the folder from its previous run compiles only the definitions whose
inputs changed. It works in two steps, as ccache's manifests do, because which files a
definition reads (its bases, includes, libraries, fleet file) is only known once it is compiled:

1. the *definition key*: everything known before compiling (the context below, the
   definition's path, its bytes' sha256, and the fleet rows a shard builds) names a small
   record of the files the definition read last time;
2. the *unit key*: the definition key plus the path and sha256 of each of those files names the
   compiled result: each agent's documents and manifest entry.

The context covers everything else that decides an output: swmlc's version and a fingerprint of
its code, the versions of the libraries that read, render and write (PyYAML, Jinja2, orjson,
jsonschema-rs) and the official schema's bytes, and the build key (targets, profile, format,
source maps, --var, the values of the environment variables swmlc.yaml declares). So an entry
is found only by inputs that compile to it, whichever repository wrote it: a hostile repository
can fill the cache with its own agents, not change another project's. Only definitions that
compiled without a single diagnostic are stored (a hit has nothing to say), never deploy copies.

The cache is a folder swmlc writes, so it follows the write rules of docs/security.md: folders
made 0700, every entry written to a ``mkstemp`` file and renamed into place (never through a
link), read without following links, bounded in size and checked against the sha256 it carries;
an entry that fails any check is a miss. Losing the folder costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from compiler.core.sealed import read_sealed, write_sealed
from compiler.core.version import __version__

#: The variable naming the folder; unset, there is no cache.
CACHE_ENV = "SWMLC_CACHE_DIR"
_LAYOUT = "v1"
_LIBRARIES = ("PyYAML", "Jinja2", "orjson", "jsonschema-rs")


def _sha(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def code_fingerprint() -> str:
    """swmlc's own code as it is on disk (path, size, mtime of every module and data file): a
    changed compiler, released or not, never reads an older one's entries."""
    root = Path(__file__).resolve().parent.parent
    seen: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                st = os.stat(os.path.join(folder, name))
                seen.append(f"{os.path.relpath(os.path.join(folder, name), root)}:"
                            f"{st.st_size}:{st.st_mtime_ns}")
    return _sha(*seen)


def _context(build_key: str) -> str:
    from importlib import metadata

    from compiler.signalwire.official_schema import locate_official_schema

    versions = []
    for dist in _LIBRARIES:
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=none")
    schema = locate_official_schema()
    schema_sha = hashlib.sha256(schema.read_bytes()).hexdigest() if schema else "none"
    return _sha(_LAYOUT, __version__, code_fingerprint(), *versions, schema_sha, build_key)


class UnitCache:
    """One process's view of the cache folder, for one build context."""

    def __init__(self, folder: Path, context: str, max_bytes: int) -> None:
        self.folder = folder
        self.context = context
        self.max_bytes = max_bytes

    @staticmethod
    def open(env: dict[str, str], build_key: str, max_bytes: int) -> UnitCache | None:
        """The cache the environment names (None when it names none, or it cannot be used)."""
        where = env.get(CACHE_ENV)
        if not where:
            return None
        folder = Path(where) / _LAYOUT
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return None
        except OSError:
            return None
        return UnitCache(folder, _context(build_key), max_bytes)

    def definition_key(self, file: str, digest: str, rows: tuple[int, int] | None) -> str:
        return _sha(self.context, file, digest, repr(rows))

    @staticmethod
    def unit_key(definition_key: str, inputs: dict[str, str]) -> str:
        return _sha(definition_key, *(f"{f}\0{h}" for f, h in sorted(inputs.items())))

    # -- entries --------------------------------------------------------------------------

    def _path(self, key: str, kind: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.{kind}"

    def read(self, key: str, kind: str) -> Any:
        """The JSON value stored under ``key``, or None (missing, altered, or not ours)."""
        body = read_sealed(self._path(key, kind), self.max_bytes)
        if body is None:
            return None
        try:
            value = json.loads(body)
        except ValueError:
            return None
        return value.get("value") if isinstance(value, dict) and value.get("key") == key \
            else None

    def write(self, key: str, kind: str, value: Any) -> None:
        """Store ``value`` under ``key``: a new file renamed into place, never through a link.
        A cache that cannot be written is no error: the build goes on without it."""
        import orjson

        body = orjson.dumps({"key": key, "value": value})
        if len(body) > self.max_bytes:
            return
        with contextlib.suppress(OSError):
            write_sealed(self._path(key, kind), body, ".entry-")
