"""Hashes of files remembered by (size, mtime, inode), as git's index and ninja's log do.

A no-op rebuild must tell that nothing changed; hashing every input and every output of a
thousand agents (about 20 MB) was most of its time. The cache lives beside the build lock
(``.swmlc-<build>.stat``, never committed) and only saves work: an entry whose stat differs is
hashed again, and so is one modified within two seconds of the cache being written (a file
changed twice in the same clock tick would otherwise look unchanged: git's "racy" case).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

RACY_NS = 2_000_000_000


class StatCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, list[int | str]] = {}
        self.written_ns = 0
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries = data["files"]
            self.written_ns = int(data["written_ns"])
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def sha256(self, path: str) -> str | None:
        """The file's sha256, from the cache when its stat is unchanged; None if unreadable.
        Takes a plain string: building a Path per file cost more than the stat itself."""
        key = path
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp: list[int | str] = [st.st_size, st.st_mtime_ns, st.st_ino]
        hit = self.entries.get(key)
        if hit is not None and hit[:3] == stamp and st.st_mtime_ns < self.written_ns - RACY_NS:
            return str(hit[3])
        try:
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            return None
        self.entries[key] = [*stamp, digest]
        self.dirty = True
        return digest

    def save(self) -> None:
        if not self.dirty:
            return
        data = {"written_ns": time.time_ns(), "files": self.entries}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache: losing it costs time, never correctness
