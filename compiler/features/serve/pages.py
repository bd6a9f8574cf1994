"""The /calls pages: server-rendered HTML with its style inline, no script, nothing fetched
from anywhere, so a page works offline and under a strict Content-Security-Policy.

Everything shown comes from callers and models (names, summaries, transcripts): Jinja's
autoescaping escapes every value, and the policy forbids scripts outright.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import jinja2

#: Sent with every page: no script runs, nothing loads from elsewhere, no framing.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;
background:#f6f7f9}header{background:#14213d;color:#fff;padding:12px 24px}header a{color:#fff;
text-decoration:none;font-weight:600}main{max-width:1100px;margin:0 auto;padding:16px 24px}
h2{margin:28px 0 8px;font-size:18px}table{border-collapse:collapse;width:100%;background:#fff;
border:1px solid #dde1e7}th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #eceef2;
vertical-align:top}th{background:#f0f2f5;font-weight:600;font-size:13px}td.time{white-space:
nowrap;color:#4a5568;font-size:13px}.empty{color:#718096;font-style:italic}pre{white-space:
pre-wrap;word-break:break-word;background:#fff;border:1px solid #dde1e7;padding:10px;margin:0}
.log{list-style:none;padding:0}.log li{margin:8px 0;padding:8px 12px;border-radius:8px;
background:#fff;border:1px solid #dde1e7}.log .assistant{background:#eef5ff}.log .user{
background:#f3fbf1}.role{font-size:12px;font-weight:600;text-transform:uppercase;color:#4a5568}
.kv th{width:28%}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;
background:#fff;border:1px solid #dde1e7;padding:12px}dt{font-weight:600}dd{margin:0}
"""

LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · swmlc</title><style>{{ style }}</style></head>
<body><header><a href="/calls">swmlc · calls</a></header><main>{% block main %}{% endblock %}
</main></body></html>
"""

LIST = """{% extends "layout" %}{% block main %}
<h1>Recent calls</h1>
{% for group in groups %}
<h2 id="agent-{{ group.agent }}">{{ group.agent }}</h2>
{% if group.calls %}
<table><thead><tr><th>Ended</th><th>Caller</th><th>Summary</th></tr></thead><tbody>
{% for call in group.calls %}<tr>
<td class="time"><a href="/calls/{{ call.call_id | urlquote }}">{{
 (call.call_end or call.received_at) | when }}</a></td>
<td>{{ call.caller_id_name or "" }} {{ call.caller_id_number or "" }}</td>
<td>{{ call | summary }}</td></tr>
{% endfor %}</tbody></table>
{% else %}<p class="empty">No calls yet.</p>{% endif %}
{% else %}<p class="empty">No agents.</p>{% endfor %}
{% endblock %}"""

DETAIL = """{% extends "layout" %}{% block main %}
<h1>Call {{ call_id }}</h1>
{% for call in records %}
<h2>{{ call.agent }}</h2>
<dl>
<dt>Caller</dt><dd>{{ call.caller_id_name or "" }} {{ call.caller_id_number or "" }}</dd>
<dt>Started</dt><dd>{{ call.call_start | when }}</dd>
<dt>Ended</dt><dd>{{ call.call_end | when }}</dd>
{% if call.conversation_id %}<dt>Conversation</dt><dd>{{ call.conversation_id }}</dd>{% endif %}
<dt>Received</dt><dd>{{ call.received_at | when }}</dd>
</dl>
<h3>Post-prompt result</h3>
{% if call.parsed %}<table class="kv"><tbody>{% for key, value in call.parsed %}
<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}</tbody></table>{% endif %}
{% if call.post_prompt_raw %}<pre>{{ call.post_prompt_raw }}</pre>
{% elif not call.parsed %}<p class="empty">No post-prompt result.</p>{% endif %}
<h3>Conversation</h3>
{% if call.log %}<ol class="log">{% for entry in call.log %}
<li class="{{ entry.role }}"><div class="role">{{ entry.role }}</div>{{ entry.content }}</li>
{% endfor %}</ol>{% else %}<p class="empty">No conversation log in the payload.</p>{% endif %}
{% endfor %}
{% endblock %}"""


class Pages:
    """The templates, compiled once per server (held by its state, not by the module)."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.DictLoader({"layout": LAYOUT, "list": LIST, "detail": DETAIL}),
            autoescape=True, undefined=jinja2.StrictUndefined)
        self.env.filters["urlquote"] = lambda v: quote(str(v), safe="")
        self.env.filters["when"] = when
        self.env.filters["summary"] = summary_text

    def calls(self, groups: Sequence[Mapping[str, Any]]) -> str:
        return self.env.get_template("list").render(title="Calls", style=STYLE, groups=groups)

    def call(self, call_id: str, records: Sequence[Mapping[str, Any]]) -> str:
        shown = [{**r, "parsed": parsed_pairs(r.get("post_prompt_parsed")),
                  "log": conversation(r.get("payload"))} for r in records]
        return self.env.get_template("detail").render(title=f"Call {call_id}", style=STYLE,
                                                      call_id=call_id, records=shown)


def when(value: str | None) -> str:
    """``2024-05-01T12:00:03.250000Z`` -> ``2024-05-01 12:00:03 UTC``."""
    if not value:
        return ""
    return value[:19].replace("T", " ") + " UTC"


def summary_text(call: Mapping[str, Any], limit: int = 280) -> str:
    """One line for the list: the parsed result's fields, else the raw text."""
    pairs = parsed_pairs(call.get("post_prompt_parsed"))
    text = "; ".join(f"{k}: {v}" for k, v in pairs) if pairs else \
        str(call.get("post_prompt_raw") or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parsed_pairs(parsed: Any) -> list[tuple[str, str]]:
    """The parsed post-prompt result as (field, value) rows: the platform sends a list holding
    one object when the post-prompt asked for JSON."""
    value = _json(parsed)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict):
        return [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                for k, v in value.items()]
    if value in (None, [], ""):
        return []
    return [("result", json.dumps(value, ensure_ascii=False))]


def conversation(payload: Any) -> list[dict[str, str]]:
    """The payload's call_log as (role, content) entries, without empty ones."""
    data = _json(payload)
    log = data.get("call_log") if isinstance(data, dict) else None
    out: list[dict[str, str]] = []
    for entry in log if isinstance(log, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("content"), str) \
                and entry["content"].strip():
            out.append({"role": str(entry.get("role") or "note"), "content": entry["content"]})
    return out


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
