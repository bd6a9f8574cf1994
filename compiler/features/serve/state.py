"""What the handlers share: the documents (swapped whole by a reload), the settings, the
calls database, the log and the page templates, held for one server run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.responses import Response

from compiler.features.serve.documents import Documents
from compiler.features.serve.logs import Log
from compiler.features.serve.pages import Pages
from compiler.features.serve.settings import ServeSettings
from compiler.features.serve.storage import CallStore


@dataclass
class ServeState:
    """What the handlers share. ``documents`` is swapped whole by a reload."""

    documents: Documents
    settings: ServeSettings
    store: CallStore
    log: Log
    stubs: Any = None
    on_shutdown: list[Callable[[], None]] = field(default_factory=list)
    pages: Pages = field(default_factory=Pages)


def json_response(status: int, data: Any, headers: Mapping[str, str] | None = None
                  ) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json",
                    headers=headers)
