"""Reading the project's files once: text and parsed tree, cached by project-relative path.

One cache serves a whole build, so a base definition shared by a thousand agents is read and
parsed once. Paths are kept as POSIX strings relative to the project root: that is what
diagnostics print, what the manifest records, and it is the same on every machine.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.limits import Limits
from compiler.core.tree import Span
from compiler.source.text import LineIndex
from compiler.source.yaml_reader import YamlResult, read_yaml


def read_source(text: str, file: str, memo: dict[tuple[str, Any], str] | None = None,
                max_items: int | None = Limits().list_items) -> YamlResult:
    """Parse a text by its file's kind: a ``.json`` file as strict JSON (RFC 8259), anything
    else as YAML. JSON is nearly a subset of YAML, but not quite, and a YAML parser takes text
    no JSON parser does (a raw line break inside a string, comments, ``NaN``): reading a JSON
    file as JSON is what gives ``validate`` and ``import`` one verdict for it."""
    if file.lower().endswith(".json"):
        from compiler.source.json_reader import read_json

        return read_json(text, file, max_items)
    return read_yaml(text, file, memo, max_items)


def display_path(path: Path, root: Path) -> str:
    """Root-relative POSIX path when inside the root, else the absolute path."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


@dataclass
class SourceFiles:
    """Every file a run reads, through one door: :meth:`read_text`.

    That door is the one place that decides what swmlc may read: a path that resolves outside
    the project root (``..``, or a symlink anywhere on the way) is refused before a byte is read,
    so that no diagnostic snippet can ever show a file outside the repository (a committed link
    to /proc/self/environ, say); so is a file over the size limit, or anything but a regular
    file (a FIFO would hang the build). ``jail=False`` is for files a user names on the command
    line (``swmlc validate FILE``), which are theirs to choose.
    """

    root: Path
    texts: dict[str, str] = field(default_factory=dict)
    parsed: dict[str, YamlResult] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)
    #: Plain-scalar resolutions, shared by every file this cache reads (see yaml_reader).
    memo: dict[tuple[str, Any], str] = field(default_factory=dict, repr=False)
    max_bytes: int = Limits().file_bytes
    #: Items of one list or mapping (None: bounded by bytes only, for validate's documents).
    max_items: int | None = Limits().list_items
    jail: bool = True
    #: Paths named by definitions that resolved, by (folder, target): see ``resolve_path``.
    resolved: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _indexes: dict[str, LineIndex] = field(default_factory=dict, repr=False)
    _real_root: str | None = field(default=None, repr=False)
    _folders: dict[str, str] = field(default_factory=dict, repr=False)

    def abspath(self, rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else self.root / p

    def read_text(self, rel: str, site: Span | None = None) -> str | Diagnostic:
        if rel in self.texts:
            return self.texts[rel]
        span = site or Span(rel, 1, 1, 1, 1)
        data = self._read(rel, span)
        if isinstance(data, Diagnostic):
            return data
        self.raw[rel] = data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
            return codes.UNREADABLE.at(
                site or Span(rel, line, col, line, col + 1),
                f"{rel} is not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x})",
                help="save the file as UTF-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        self.texts[rel] = text
        return text

    def _read(self, rel: str, span: Span) -> bytes | Diagnostic:
        path = os.path.realpath(self.abspath(rel))
        if self.jail:
            if self._real_root is None:
                self._real_root = os.path.realpath(self.root)
            if path != self._real_root and not path.startswith(self._real_root + os.sep):
                return codes.PATH_ESCAPE.at(
                    span, f"{rel} resolves outside the project root: not read",
                    help="keep the files a build reads inside the repository (a symlink "
                         "must point inside it too)")
        try:
            with open(path, "rb") as fh:
                info = os.fstat(fh.fileno())
                if stat.S_ISDIR(info.st_mode):
                    return codes.UNREADABLE.at(span, f"{rel} is a directory, not a file")
                if not stat.S_ISREG(info.st_mode):
                    return codes.UNREADABLE.at(span, f"{rel} is not a regular file: not read")
                if info.st_size > self.max_bytes:
                    return codes.UNREADABLE.at(
                        span, f"{rel} holds {info.st_size:,} bytes, more than the limit of "
                        f"{self.max_bytes:,}", help="raise limits.file_bytes in swmlc.yaml (or "
                        "SWMLC_MAX_FILE_BYTES) if the file is meant to be this large")
                return fh.read(self.max_bytes + 1)
        except FileNotFoundError:
            return codes.UNREADABLE.at(span, f"file not found: {rel}")
        except IsADirectoryError:
            return codes.UNREADABLE.at(span, f"{rel} is a directory, not a file")
        except OSError as exc:
            return codes.UNREADABLE.at(span, f"cannot read {rel}: {exc.strerror or exc}")

    def load(self, rel: str, site: Span | None = None) -> YamlResult:
        """The parsed tree of a YAML or JSON file (cached). Never raises."""
        if rel in self.parsed:
            return self.parsed[rel]
        text = self.read_text(rel, site)
        result = YamlResult(None, [text]) if isinstance(text, Diagnostic) \
            else read_source(text, rel, self.memo, self.max_items)
        self.parsed[rel] = result
        return result

    def index(self, rel: str) -> LineIndex | None:
        """The line index of a file already read (None for one that was not)."""
        text = self.texts.get(rel)
        if text is None:
            return None
        found = self._indexes.get(rel)
        if found is None or found.text is not text:
            found = self._indexes[rel] = LineIndex(text)
        return found

    def forget(self, rel: str) -> None:
        """Drop a file nothing else will read (an agent's own definition, once compiled)."""
        self.texts.pop(rel, None)
        self.parsed.pop(rel, None)
        self.raw.pop(rel, None)
        self._indexes.pop(rel, None)

    def inside(self, rel: str) -> bool:
        """Is ``rel`` a path inside the project root, through any link on the way? For paths
        that come from a record (a manifest, the cache) rather than from a definition: they are
        hashed to see whether anything changed, and reading one would be reading it. Each
        folder is resolved once per run; the file itself is looked at with one ``lstat``."""
        if not rel or rel.startswith("/") or "\\" in rel or ".." in rel.split("/"):
            return False
        if self._real_root is None:
            self._real_root = os.path.realpath(self.root)
        folder, _, name = rel.rpartition("/")
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(os.path.join(self.root, folder))
        if real != self._real_root and not real.startswith(self._real_root + os.sep):
            return False
        try:
            if stat.S_ISLNK(os.lstat(os.path.join(real, name)).st_mode):
                target = os.path.realpath(os.path.join(real, name))
                return target.startswith(self._real_root + os.sep)
        except OSError:
            return True  # missing: nothing to read, and the caller says it changed
        return True

    def exists(self, rel: str) -> bool:
        return os.path.isfile(self.abspath(rel))
