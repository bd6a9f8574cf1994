"""File hashes remembered by (size, mtime, inode), as git's index and ninja's log do.

The stat cache (``.swmlc-<build>.stat`` beside the build lock, never committed) lets a build hash
only files whose stat changed. It only saves work: an entry whose stat differs is hashed again,
and so is one modified within two seconds of the cache being written (a file changed twice in
the same clock tick would otherwise look unchanged: git's "racy" case).

Standard library only, and light to import: besides the build, the no-op answer
(:mod:`compiler.core.records`) refreshes it, before the compiler is imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable
    from pathlib import Path

RACY_NS = 2_000_000_000


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StatCache:
    """File hashes remembered by (size, mtime, inode)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.dirty = False
        self._entries: dict[str, list[int | str]] | None = None
        self._written_ns = 0
        #: Paths whose entry this run has checked against the file or hashed afresh.
        self._checked: set[str] = set()

    @property
    def entries(self) -> dict[str, list[int | str]]:
        """Read on first use: a build that reuses nothing never reads the file."""
        if self._entries is None:
            self._entries = {}
            try:
                with open(self.path, encoding="utf-8") as fh:
                    data = json.load(fh)
                self._entries = dict(data["files"])
                self._written_ns = int(data["written_ns"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
        return self._entries

    def sha256(self, path: str) -> str | None:
        """The file's sha256, from the cache when its stat is unchanged; None if unreadable.
        Takes a plain string: building a Path per file cost more than the stat itself."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        found = self._cached(path, st)
        if found is not None:
            return found
        try:
            with open(path, "rb") as fh:
                return self._hashed(path, st, fh.read())
        except OSError:
            return None

    def read(self, path: str) -> tuple[bytes, str] | None:
        """The file's bytes and sha256 (hashed only when the cache cannot vouch for them); None
        if unreadable. One open and one read, where :meth:`sha256` and then reading the bytes
        opened and read a file the cache did not know twice."""
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())  # before reading: a later change moves the mtime
                data = fh.read()
        except OSError:
            return None
        return data, self._cached(path, st) or self._hashed(path, st, data)

    def _cached(self, path: str, st: os.stat_result) -> str | None:
        hit = self.entries.get(path)
        if hit is not None and hit[:3] == [st.st_size, st.st_mtime_ns, st.st_ino] \
                and st.st_mtime_ns < self._written_ns - RACY_NS:
            self._checked.add(path)
            return str(hit[3])
        return None

    def _hashed(self, path: str, st: os.stat_result, data: bytes) -> str:
        digest = sha256(data)
        self.entries[path] = [st.st_size, st.st_mtime_ns, st.st_ino, digest]
        self._checked.add(path)
        self.dirty = True
        return digest

    def learn(self, path: str, digest: str, read_after_ns: int) -> None:
        """Remember ``digest``, hashed from the bytes of ``path`` read after ``read_after_ns``
        (the build's start), when the file's stat vouches for them: a file last modified before
        the racy window ahead of that time cannot have changed between the read and this stat.

        Why: a build hashes what it reads from the bytes it read, and a no-op build answered
        from its record (compiler/fastpath.py) never reaches this cache; without this, the next
        build that compiles anything hashed every input of every agent again. Paths this run
        has already checked or hashed cost nothing (no stat)."""
        if path in self._checked:
            return
        try:
            st = os.stat(path)
        except OSError:
            return
        if st.st_mtime_ns >= read_after_ns - RACY_NS:
            return
        stamp: list[int | str] = [st.st_size, st.st_mtime_ns, st.st_ino, digest]
        if self.entries.get(path) != stamp:
            self.entries[path] = stamp
            self.dirty = True
        self._checked.add(path)

    def refresh(self, facts: Iterable[tuple[str, int, int, int, str]], before_ns: int) -> None:
        """Take ``(path, size, mtime, inode, sha256)`` facts another check has just verified
        against the files (the no-op answer, :mod:`compiler.core.records`), for each file last
        modified before the racy window ahead of ``before_ns``, and save.

        Why: a no-op answered from its record never compiles, so without this the build after
        it found the outputs the last build wrote still "racy" here, and read and hashed them
        all again, where a no-op that reached the build had refreshed them."""
        for path, size, mtime, ino, digest in facts:
            if mtime >= before_ns - RACY_NS:
                continue
            entry: list[int | str] = [size, mtime, ino, digest]
            if self.entries.get(path) != entry:
                self.entries[path] = entry
                self.dirty = True
            self._checked.add(path)
        self.save()

    def save(self) -> None:
        if not self.dirty:
            return
        racy = self._written_ns - RACY_NS
        for path in [p for p, e in self.entries.items()  # racily clean, never vouched for
                     if p not in self._checked and int(e[1]) >= racy]:
            del self.entries[path]  # as git smudges them: written now they would be trusted
        from pathlib import Path

        from compiler.core.fs import write_atomic

        data = {"written_ns": time.time_ns(), "files": self.entries}
        with contextlib.suppress(OSError):  # a cache: losing it costs time, never correctness
            write_atomic(Path(self.path), json.dumps(data).encode("utf-8"))


def stat_cache_path(build_dir: Path) -> Path:
    return build_dir.parent / f".swmlc-{build_dir.name}.stat"
