"""Sealed files: a body behind the sha256 of it, written and read as swmlc's own caches must be.

The unit cache (``SWMLC_CACHE_DIR``) and the no-op records both keep files a hostile repository
or a shared CI cache could have planted or altered, so both follow one rule: a sealed file is
written to a ``mkstemp`` file in a 0700 folder and renamed into place (never through a link),
and read without following links, only when it is a regular file within its size bound whose
first line is the sha256 of the rest. Anything else reads as nothing: a miss, never an error.

Standard library only, and ``tempfile`` imported only to write: :mod:`compiler.core.records`
reads through here before every command.
"""

from __future__ import annotations

import hashlib
import os
import stat


def read_sealed(path: str | os.PathLike[str], max_bytes: int) -> bytes | None:
    """The body of the sealed file at ``path``, or None (missing, a link, too large, altered)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        data = fh.read(max_bytes + 1)
    digest, _, body = data.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    return body


def write_sealed(path: str | os.PathLike[str], body: bytes, prefix: str) -> None:
    """Seal ``body`` into ``path``: a new file (named ``prefix...`` while written) renamed into
    place, its folder made 0700 if missing. Raises OSError; callers decide that a cache which
    cannot be written is no error."""
    import tempfile

    folder = os.path.dirname(os.fspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(tmp, path)
    except OSError:
        os.unlink(tmp)
        raise
