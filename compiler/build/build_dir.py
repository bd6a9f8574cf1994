"""Writing build/ safely: one lock, all or nothing, and nothing rewritten that did not change.

A new build/ is assembled beside the old one (unchanged files hard-linked, changed ones written)
and swapped into place with one ``renameat2(RENAME_EXCHANGE)``, so a reader (or a killed build)
only ever sees the old folder or the new one. Where the kernel lacks the exchange, two renames are
used and an interrupted swap is repaired by the next build.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from compiler.core.errors import SwmlcError

_NEW, _OLD = ".swmlc-new-", ".swmlc-old-"


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<parent>/.swmlc-<name>.lock`` for the whole write."""
    path = build_dir.parent / f".swmlc-{build_dir.name}.lock"
    try:
        build_dir.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise SwmlcError(f"cannot create the build lock {path}: {exc.strerror or exc} "
                         f"(swmlc writes its lock and the new build beside {build_dir.name}/; "
                         "the folder must be writable)") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # blocks while another build writes
        _recover(build_dir)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def check_output_folder(root: Path, folder: Path, *, agents: str) -> None:
    """The one place that decides where a build may write; raise when ``folder`` is not a
    folder swmlc may own.

    Never the project root or a folder above it, never one holding the sources (the agents
    folder, swmlc.yaml, .git) or inside the agents folder, never a folder inside the project
    that resolves through a symlink to somewhere else (a committed ``build -> ~/.ssh`` would
    otherwise fill build/ with hard links to private files), and never a folder someone made
    read-only. An explicit ``-o DIR`` outside the project is the user's to choose.
    """
    real_root = os.path.realpath(root)
    lexical = os.path.normpath(os.path.join(root, folder))
    real = os.path.realpath(lexical)

    def within(path: str, parent: str) -> bool:
        return path == parent or path.startswith(parent + os.sep)

    shown = os.path.relpath(lexical, root) if within(lexical, os.path.normpath(root)) \
        else lexical
    if within(real_root, real):
        raise SwmlcError(f"the output folder {shown} is the project itself (or holds it): a "
                         "build replaces its folder whole; give a folder of its own (build/)")
    sources = [os.path.realpath(os.path.join(root, name))
               for name in (agents, "swmlc.yaml", ".git")]
    if any(within(source, real) or within(real, source) for source in sources):
        raise SwmlcError(f"the output folder {shown} holds or sits inside the project's "
                         "sources: give a folder of its own (build/)")
    if within(lexical, os.path.normpath(root)) and not within(real, real_root):
        raise SwmlcError(f"the output folder {shown} leads outside the project through a "
                         "symlink: swmlc does not write through links (remove the link)")
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return
    if not mode & stat.S_IWUSR:
        raise SwmlcError(f"{shown} is read-only: swmlc does not replace a folder someone "
                         "protected (make it writable, or build elsewhere with -o)")


def needs_recovery(build_dir: Path) -> bool:
    """A killed fallback swap left build/ missing beside its saved copy."""
    return not build_dir.exists() and any(
        build_dir.parent.glob(f"{_OLD}{build_dir.name}-*"))


def _recover(build_dir: Path) -> None:
    """Repair what a build killed mid-swap (non-exchange fallback) or mid-staging left behind."""
    parent, name = build_dir.parent, build_dir.name
    olds = sorted(parent.glob(f"{_OLD}{name}-*"))
    if not build_dir.exists() and olds:
        os.rename(olds[-1], build_dir)
        olds = olds[:-1]
    for leftover in [*olds, *parent.glob(f"{_NEW}{name}-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False when the system cannot."""
    import ctypes  # only a build that writes pays for it
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _link_or_copy(src: str | Path, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def current_files(build_dir: Path) -> dict[str, Path]:
    """Every file under build/, by its build-relative POSIX path."""
    if not build_dir.is_dir():
        return {}
    out: dict[str, Path] = {}
    top = os.path.join(build_dir, "")
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        rel = folder[len(top):].replace(os.sep, "/")
        prefix = f"{rel}/" if rel else ""
        for f in sorted(files):  # strings, one Path each: Path(folder, f).relative_to() per
            out[prefix + f] = Path(os.path.join(folder, f))  # file was most of a no-op's walk
    return out


def commit_build(build_dir: Path, files: dict[str, bytes], remove: set[str], *,
                 existing: dict[str, Path] | None = None, known_same: set[str] | frozenset[str]
                 = frozenset(), private: bool = False) -> tuple[list[str], list[str], list[str]]:
    """Make build/ hold ``files`` (plus any other file it had, minus ``remove``).

    ``private`` (deploy copies, which hold secret values) makes the folder 0700 and every file
    0600, whatever the umask; kept files are copied, not linked, so that no other name shares
    them.

    Returns (written, unchanged, removed). Writes nothing at all when nothing differs.
    ``known_same`` names files the caller has just read back and found identical (reused
    agents' outputs), which are not read a second time.
    """
    if existing is None:
        existing = current_files(build_dir)
    written: list[str] = []
    unchanged: list[str] = []
    for name, data in sorted(files.items()):
        path = existing.get(name)
        same = path is not None and (name in known_same or (
            path.stat().st_size == len(data) and path.read_bytes() == data))
        (unchanged if same else written).append(name)
    removed = sorted(r for r in remove if r in existing and r not in files)
    if not written and not removed and build_dir.is_dir():
        return written, unchanged, removed
    parent = build_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{_NEW}{build_dir.name}-", dir=parent))
    except OSError as exc:
        raise SwmlcError(f"cannot create the new build beside {build_dir}: "
                         f"{exc.strerror or exc}") from None
    try:
        _stage(stage, existing, files, written, removed, private=private)
        _swap(stage, build_dir)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise SwmlcError(f"cannot write {build_dir}: {exc.strerror or exc}") from None
    return written, unchanged, removed


def _stage(stage: Path, existing: dict[str, Path], files: dict[str, bytes], written: list[str],
           removed: list[str], *, private: bool) -> None:
    """Fill ``stage`` with the new build: unchanged files linked (copied when private), changed
    ones written. Plain strings, and each folder made once: a Path and a mkdir per file were
    most of restaging a thousand unchanged outputs."""
    top = str(stage)
    made = {""}
    skip = {*removed, *written}

    def target(name: str) -> str:
        folder = name.rpartition("/")[0]
        if folder not in made:
            os.makedirs(os.path.join(top, folder), exist_ok=True)
            made.add(folder)
        return os.path.join(top, name)

    for name, path in existing.items():
        if name in skip:
            continue
        if private:
            shutil.copyfile(path, target(name))
        else:
            _link_or_copy(path, target(name))
    for name in written:
        # No fsync per file: atomicity comes from the swap, and an fsync per output cost
        # 3 s of a 1,000-agent build (measured); durability across power loss is the
        # file system's ordinary job, as for any other tool that writes files.
        Path(target(name)).write_bytes(files[name])
    if private:
        for folder, _dirs, names in os.walk(stage):
            os.chmod(folder, 0o700)
            for file in names:
                os.chmod(os.path.join(folder, file), 0o600)
    else:
        os.chmod(stage, 0o755)


def _swap(stage: Path, build_dir: Path) -> None:
    """Put ``stage`` where ``build_dir`` is, in one step when the kernel can."""
    if not build_dir.exists():
        os.rename(stage, build_dir)
    elif _exchange(stage, build_dir):
        shutil.rmtree(stage, ignore_errors=True)  # stage now holds the old build
    else:
        old = Path(tempfile.mkdtemp(prefix=f"{_OLD}{build_dir.name}-", dir=build_dir.parent))
        os.rmdir(old)
        os.rename(build_dir, old)
        os.rename(stage, build_dir)
        shutil.rmtree(old, ignore_errors=True)
