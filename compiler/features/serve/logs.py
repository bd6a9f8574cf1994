"""The server's log: one JSON object per line on stdout, for a log shipper to read.

Every line goes through :class:`Log`, which replaces any secret value it holds by ``***``
before writing: an access log names the method, path (no query string, which can carry
tokens), status, sizes and time, never a header or a body; and should an error message ever
quote a value (a database's, a library's), the value still does not reach the log.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import threading
import time
from collections.abc import Iterable
from typing import Any, TextIO
from urllib.parse import quote

import orjson

MIN_SECRET = 4


class Log:
    """Thread-safe JSON-lines writer with secret redaction."""

    def __init__(self, stream: TextIO | None = None, secrets: Iterable[str] = ()) -> None:
        self._stream = stream or sys.stdout
        self._lock = threading.Lock()
        self._clock = _Clock()
        self._secrets: tuple[str, ...] = ()
        self.set_secrets(secrets)

    def set_secrets(self, secrets: Iterable[str]) -> None:
        """The values to hide (as they are, URL-encoded and JSON-escaped), longest first. A value
        shorter than :data:`MIN_SECRET` is not a secret worth the name, and hiding every "p" of
        the log would make it unreadable."""
        values = {v for s in secrets if len(s) >= MIN_SECRET
                  for v in (s, quote(s, safe=""), orjson.dumps(s).decode()[1:-1])}
        self._secrets = tuple(sorted(values, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for value in self._secrets:
            if value in text:
                text = text.replace(value, "***")
        return text

    def event(self, event: str, **fields: Any) -> None:
        record = {"time": self._clock.now(), "event": event, **fields}
        line = orjson.dumps(record, default=str).decode()
        line = self.redact(line) + "\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()


class LogHandler(logging.Handler):
    """Routes the web server's own messages (uvicorn's) into the same JSON lines."""

    def __init__(self, log: Log) -> None:
        super().__init__()
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            fields: dict[str, Any] = {"level": record.levelname.lower(), "message": message}
            if record.exc_info and record.exc_info[0] is not None:
                fields["error"] = record.exc_info[0].__name__
                fields["traceback"] = self.formatException(record.exc_info)  # log, not response
            self.log.event("server", **fields)
        except Exception:  # pragma: no cover - logging must never take the server down
            self.handleError(record)

    def formatException(self, ei: Any) -> str:
        return logging.Formatter().formatException(ei)


class _Clock:
    """ISO 8601 UTC timestamps with microseconds; the part up to the second is formatted once
    per second (strftime was a quarter of a log line's cost)."""

    def __init__(self) -> None:
        self.second = -1
        self.prefix = ""

    def now(self) -> str:
        moment = time.time()
        second = int(moment)
        if second != self.second:
            self.second = second
            self.prefix = dt.datetime.fromtimestamp(second, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self.prefix}.{int((moment - second) * 1_000_000):06d}Z"
