"""A call as swmlc keeps it: the fields a team looks at, read out of the platform's end-of-call
payload (the post_prompt_url POST, ../shared/PLATFORM.md), plus the payload itself, whole.

The payload is untrusted input: every field is checked for its type and bounded, and a field
that is missing or of the wrong type is kept as None rather than refused, because the platform's
payload is an open shape that grows (signalwire-sdk ``core/post_prompt_generated.py``). Only
``call_id`` is required: without it a call cannot be found again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

#: A string field longer than this is cut: it is shown on a page, the payload keeps it whole.
MAX_FIELD = 4096
#: The platform's timestamps are microseconds since the epoch; beyond year 9999 is nonsense.
MAX_MICROSECONDS = 253_402_300_799_000_000


class BadPayload(ValueError):
    """The body is not a payload swmlc can keep (its message is safe to send back)."""


@dataclass(frozen=True)
class CallRecord:
    """One row of the ``calls`` table. Times are ISO 8601 in UTC; JSON columns hold text."""

    call_id: str
    agent: str
    conversation_id: str | None
    caller_id_name: str | None
    caller_id_number: str | None
    call_start: str | None
    call_end: str | None
    post_prompt_raw: str | None
    post_prompt_parsed: str | None
    conversation_summary: str | None
    payload: str
    received_at: str


def parse_payload(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body, or :class:`BadPayload`."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadPayload("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadPayload("the body is not a JSON object")
    return data


def record_from_payload(agent: str, data: dict[str, Any], body: bytes,
                        now: dt.datetime | None = None) -> CallRecord:
    """The row to store for a ``post_conversation`` payload."""
    call_id = _text(data.get("call_id"))
    if not call_id:
        raise BadPayload("the payload has no call_id")
    pp = data.get("post_prompt_data")
    pp = pp if isinstance(pp, dict) else {}
    raw = _text(pp.get("raw")) or _text(pp.get("substituted"))
    parsed = pp.get("parsed")
    received = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return CallRecord(
        call_id=call_id[:256],
        agent=agent,
        conversation_id=_text(data.get("conversation_id")),
        caller_id_name=_text(data.get("caller_id_name")),
        caller_id_number=_text(data.get("caller_id_number") or data.get("caller_id_num")),
        call_start=iso_from_micros(data.get("call_start_date")),
        call_end=iso_from_micros(data.get("call_end_date")),
        post_prompt_raw=raw,
        post_prompt_parsed=json.dumps(parsed, ensure_ascii=False) if parsed else None,
        conversation_summary=summary_of(data),
        payload=body.decode("utf-8"),
        received_at=iso(received),
    )


def summary_of(data: dict[str, Any]) -> str | None:
    """What a later call of the same conversation is told about this one: the platform's own
    ``conversation_summary`` when it sent one (``save_conversation``), else the post-prompt
    result."""
    own = _text(data.get("conversation_summary"))
    if own:
        return own
    pp = data.get("post_prompt_data")
    if isinstance(pp, dict):
        return _text(pp.get("substituted")) or _text(pp.get("raw"))
    return None


def iso(moment: dt.datetime) -> str:
    """``2024-05-01T12:00:00.000000Z``: fixed width, so the text sorts as time does."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_from_micros(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 0 < value < MAX_MICROSECONDS:
        return None
    return iso(dt.datetime.fromtimestamp(value / 1_000_000, dt.UTC))


def _text(value: object) -> str | None:
    if isinstance(value, str) and value:
        return value[:MAX_FIELD]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
