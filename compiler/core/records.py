"""Records of answered commands, read before the compiler is imported (:mod:`compiler.fastpath`).

``swmlc build`` in a project where nothing changed since the last build, and ``swmlc check``
in a project checked (or built from scratch) since, print what they printed then. Python itself
starts in about 20 ms, and importing click, PyYAML, Jinja and the compiler took most of the rest
of a no-op (measured): so the last successful run leaves a *record* of everything its answer
depended on, and the next run with the same command line compares that record with the file
system, using the standard library only, and answers from it when nothing moved.

The record holds: the command line, the working folder and the values of the environment
variables that decide the result; swmlc's version, a fingerprint of its code and the files of
the libraries that read and write (their size and mtime); each input every agent read, each
output, and the folders discovery walked (size, mtime, inode, ctime, sha256; a folder's
listing: ctime moves on chmod too, so a file made unreadable is not vouched for). A
file whose mtime is within two seconds of the record (git's "racy" case: a change in the same
clock tick keeps the mtime) is compared by content instead. Anything that differs, or a
record that is missing, damaged or from another swmlc, sends the command down the ordinary
path, which compiles and writes a new record. Only runs that said nothing but their summary
(no diagnostic, exit 0) leave one; a build leaves the summary the next, no-op, build prints.

Where records live: a build's beside its project (``.swmlc-noop.json`` at the root, git-ignored
with ``.swmlc-*``), since a build trusts the repository's own build/ anyway; a check's only in
``SWMLC_CACHE_DIR``, never in the repository: ``swmlc check`` is the gate CI relies on, and a
record the repository could hold would let it vouch for itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time

from compiler.core.sealed import read_sealed, write_sealed

#: typing and collections.abc are not imported at run time: this module runs before every
#: command, and typing alone was ~4 ms of a no-op's ~25 ms of imports (python -X importtime).
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

RECORD_NAME = ".swmlc-noop.json"
CONFIG_NAME = "swmlc.yaml"
RACY_NS = 2_000_000_000
MAX_RECORD_BYTES = 64 * 1024 * 1024
#: Environment variables that change what any command does.
ALWAYS_ENV = ("SWMLC_PROFILE", "SWMLC_MAX_FILE_BYTES", "SWMLC_CACHE_DIR", "NO_COLOR")
_VERSION = 2


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_root(start: str) -> str:
    """As compiler.project.config.find_root, without pathlib."""
    here = os.path.realpath(start)
    folder = here
    while True:
        if os.path.isfile(os.path.join(folder, CONFIG_NAME)):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return here
        folder = parent


def code_files() -> list[str]:
    """swmlc's modules and data files: a changed compiler never trusts an older one's record."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        out += [os.path.join(folder, f) for f in sorted(files) if f.endswith((".py", ".json"))]
    return out


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def _listing(path: str) -> str | None:
    """A folder's names, less swmlc's own (the lock, stat cache and record come and go beside
    the project without changing any answer)."""
    try:
        names = sorted(n for n in os.listdir(path) if not n.startswith(".swmlc-"))
    except OSError:
        return None
    return _sha("\0".join(names).encode("utf-8", "surrogateescape"))


def _file_sha(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return _sha(fh.read())
    except OSError:
        return None


_code_stamps: list[str] = []


def _code_fingerprint() -> list[str]:
    """Each of swmlc's own files with its stat, walked once per process: a build that found no
    record to answer from checked the key, and then writes a new record with the same key."""
    if not _code_stamps:
        _code_stamps.extend(f"{p}:{_stamp(p)}" for p in code_files())
    return _code_stamps


def _key(argv: Sequence[str], cwd: str, env: Mapping[str, str], names: Iterable[str],
         libraries: Sequence[str]) -> str:
    from compiler.core.version import __version__

    parts = [str(_VERSION), __version__, sys.prefix, sys.version, cwd, json.dumps(list(argv))]
    parts += [f"{n}={env.get(n)}" for n in sorted({*ALWAYS_ENV, *names})]
    parts += _code_fingerprint()
    parts += [f"{p}:{_stamp(p)}" for p in libraries]
    return _sha("\0".join(parts).encode("utf-8", "surrogateescape"))


def record_path(root: str, env: Mapping[str, str], command: str, argv: Sequence[str],
                cwd: str) -> str | None:
    """Where the record of ``command`` run with ``argv`` in ``cwd`` lives (None: nowhere)."""
    if command == "build":
        return os.path.join(root, RECORD_NAME)
    cache = env.get("SWMLC_CACHE_DIR")
    if not cache:
        return None
    name = _sha("\0".join([root, cwd, *argv]).encode("utf-8", "surrogateescape"))
    return os.path.join(cache, "v1", "checks", f"{name}.json")


# -- writing ----------------------------------------------------------------------------------


def make_record(*, argv: Sequence[str], cwd: str, env: Mapping[str, str],
                env_names: Iterable[str], inputs: Mapping[str, str | None],
                outputs: Mapping[str, str], dirs: Iterable[str], started_ns: int, stderr: str,
                stdout: str = "", code: int = 0, stat_caches: Sequence[str] = ()
                ) -> dict[str, Any] | None:
    """The record of a run that just answered, or None when it cannot be trusted.

    ``inputs`` maps each file the answer read to the sha256 the run used (None: hash it now);
    one modified since the run started must still hold those bytes, or the record would vouch
    for content the run never saw. ``outputs`` maps what the run wrote to its sha256 (empty:
    hash it now). ``stat_caches``: the build's stat caches, which :func:`_settle` refreshes."""
    names = sorted(set(env_names))
    libraries = sorted({m.__file__ for name in ("yaml", "jinja2", "orjson", "jsonschema_rs")
                        if (m := sys.modules.get(name)) is not None and m.__file__})
    files: list[list[Any]] = []
    written_ns = time.time_ns()  # before the stats: a file changed after it is racy to it
    for path, known in sorted({**inputs, **outputs}.items()):
        stamp = _stamp(path)
        if stamp is None:
            return None
        if path in inputs and stamp[1] >= started_ns - RACY_NS \
                and (not known or _file_sha(path) != known):
            return None  # may have changed while the run read it
        # A digest is only ever compared for a file modified within the racy window of the
        # record (still_true); one modified before it is judged by its stat alone, so a file
        # nobody hashed yet (swmlc.yaml, the official schema, ~1.4 MB) is not read for it.
        digest = known or (_file_sha(path) if stamp[1] >= written_ns - RACY_NS else "")
        if digest is None:
            return None
        files.append([path, *stamp, digest])
    folders: list[list[Any]] = []
    for path in sorted(set(dirs)):
        listing = _listing(path)
        if listing is None:
            return None
        folders.append([path, listing])
    return {"v": _VERSION, "key": _key(argv, cwd, env, names, libraries), "env": names,
            "libraries": libraries, "written_ns": written_ns,
            "files": _checking_order(files, written_ns), "dirs": folders, "stderr": stderr,
            "stdout": stdout, "code": code, "stat_caches": sorted(set(stat_caches))}


def _checking_order(files: list[list[Any]], written_ns: int) -> list[list[Any]]:
    """The order :func:`still_true` meets the files in, which stops at the first that moved:
    those a stat can judge before those it must read (modified within the racy window of the
    record, as a build's outputs are), and within each the most recently modified first: a
    source someone just edited is the likeliest to be edited again, and a build after one
    edit among a thousand files then finds it first instead of after half of them."""
    return sorted(files, key=lambda f: (f[2] >= written_ns - RACY_NS, -f[2], f[0]))


def save(path: str, record: dict[str, Any] | None) -> None:
    """Write (or, for None, remove) a record, sealed (:mod:`compiler.core.sealed`). A record
    that cannot be written costs the next run time, never correctness."""
    import contextlib

    with contextlib.suppress(OSError):
        if record is None:
            os.unlink(path)
            return
        write_sealed(path, _dumps(record), ".swmlc-record-")


def _dumps(record: dict[str, Any]) -> bytes:
    """Compact JSON; through orjson when the process already loaded it (a build did: ~8x
    faster on a thousand agents' record), never importing it here (the no-op answer does not
    load it: importing it costs more than it saves). json reads either."""
    fast = sys.modules.get("orjson")
    if fast is not None:
        try:
            return bytes(fast.dumps(record))
        except TypeError:  # a path that is not valid UTF-8 (surrogateescape): json writes it
            pass
    return json.dumps(record, separators=(",", ":")).encode("utf-8", "surrogateescape")


# -- answering --------------------------------------------------------------------------------


def _load(path: str) -> dict[str, Any] | None:
    body = read_sealed(path, MAX_RECORD_BYTES)
    if body is None:
        return None
    try:
        record = json.loads(body)
    except ValueError:
        return None
    return record if isinstance(record, dict) and record.get("v") == _VERSION else None


def still_true(record: dict[str, Any], argv: Sequence[str], cwd: str,
               env: Mapping[str, str]) -> bool:
    """Does everything the record's answer depended on still stand?"""
    try:
        if record["key"] != _key(argv, cwd, env, record["env"], record["libraries"]):
            return False
        racy = int(record["written_ns"]) - RACY_NS
        for path, size, mtime, ino, ctime, digest in record["files"]:
            if _stamp(path) != [size, mtime, ino, ctime]:
                return False
            if mtime >= racy and _file_sha(path) != digest:
                return False
        # A folder's mtime also moves when swmlc's own files beside the project come and go,
        # so its listing is compared every time (a few hundred names: well under a millisecond).
        for path, listing in record["dirs"]:
            if _listing(path) != listing:
                return False
    except (KeyError, TypeError, ValueError):
        return False
    return True


def _settle(path: str, record: dict[str, Any], checked_ns: int, root: str) -> None:
    """Once the files compared by content (written in the record's clock tick) are older than
    the racy window, save the record as of this check, so the next one only stats them, as git
    refreshes its index (a build's outputs are all racy to the record written right after)."""
    written = int(record["written_ns"])
    newest = max((f[2] for f in record["files"]), default=0)
    if newest >= written - RACY_NS and newest < checked_ns - RACY_NS:
        save(path, {**record, "written_ns": checked_ns})
        caches = record.get("stat_caches")
        if isinstance(caches, list) and caches:  # the build's stat cache learns them too
            from compiler.core.stat_cache import StatCache

            facts = [(f[0], f[1], f[2], f[3], f[5]) for f in record["files"] if f[5]]
            for cache in caches:
                if _own_stat_cache(cache, root):
                    StatCache(cache).refresh(facts, checked_ns)


def _own_stat_cache(path: object, root: str) -> bool:
    """A path a record may name as a stat cache: one of swmlc's ``.swmlc-<build>.stat`` files,
    in a folder inside the project (a record sits in the repository, which may be hostile)."""
    if not isinstance(path, str):
        return False
    name, folder = os.path.basename(path), os.path.realpath(os.path.dirname(path))
    return name.startswith(".swmlc-") and name.endswith(".stat") \
        and (folder == root or folder.startswith(root + os.sep))


def answer(argv: Sequence[str]) -> int | None:
    """The exit code of ``swmlc ARGV`` answered from its record, having printed what the run
    printed; None when the ordinary path must run."""
    if not argv or argv[0] not in ("build", "check"):
        return None
    env = os.environ
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    cwd = os.path.realpath(cwd)
    root = find_root(cwd)
    path = record_path(root, env, argv[0], argv, cwd)
    record = _load(path) if path else None
    checked_ns = time.time_ns()
    if path is None or record is None or not still_true(record, argv, cwd, env):
        return None
    _settle(path, record, checked_ns, root)
    if record["stdout"]:
        sys.stdout.write(record["stdout"])
        sys.stdout.flush()
    if record["stderr"]:
        sys.stderr.write(record["stderr"])
        sys.stderr.flush()
    return int(record["code"])
