"""What changed between two compiled documents, in words a reviewer reads.

"support: prompt section 'Role' changed; function transfer added" says more on a pull request
than a JSON diff. Changes are grouped the way people think of an agent: prompt (by POM section
title, by context and step), functions (by name), languages (by code), params (by name), then
everything else by its key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from compiler.signalwire.document import find_ai

GROUPS = ("prompt", "post_prompt", "functions", "languages", "params", "hints", "pronounce",
          "global_data", "swaig", "verbs", "other")


@dataclass(frozen=True)
class Change:
    group: str
    text: str


@dataclass
class AgentDiff:
    agent: str
    status: str  # "changed", "added", "removed"
    changes: list[Change] = field(default_factory=list)
    #: The conversation flow as it is now (Mermaid), when the change touched it.
    flow: str | None = None


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keyed(items: Any, key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(items, list):
        for i, item in enumerate(items):
            name = item.get(key) if isinstance(item, dict) else item
            out[str(name) if name is not None else f"#{i}"] = item
    return out


def _by_name(old: Any, new: Any, key: str, noun: str, group: str) -> list[Change]:
    a, b = _keyed(old, key), _keyed(new, key)
    out = [Change(group, f"{noun} {n} added") for n in b if n not in a]
    out += [Change(group, f"{noun} {n} removed") for n in a if n not in b]
    for n in a:
        if n in b and a[n] != b[n]:
            fields = sorted({*a[n], *b[n]} - {k for k in {*a[n], *b[n]}
                                               if a[n].get(k) == b[n].get(k)}) \
                if isinstance(a[n], dict) and isinstance(b[n], dict) else []
            detail = f" ({', '.join(fields)})" if fields else ""
            out.append(Change(group, f"{noun} {n} changed{detail}"))
    return out


def _pom(old: Any, new: Any, where: str, group: str) -> list[Change]:
    a, b = _keyed(old, "title"), _keyed(new, "title")
    out = [Change(group, f"{where} section '{t}' added") for t in b if t not in a]
    out += [Change(group, f"{where} section '{t}' removed") for t in a if t not in b]
    out += [Change(group, f"{where} section '{t}' changed") for t in a if t in b and a[t] != b[t]]
    if not out and list(a) != list(b):
        out.append(Change(group, f"{where} sections reordered"))
    return out


def _prompt(old: Any, new: Any, group: str) -> list[Change]:
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    out: list[Change] = []
    if old.get("text") != new.get("text"):
        if "text" in old and "text" in new:
            out.append(Change(group, f"{group} text changed"))
        elif "text" in new:
            out.append(Change(group, f"{group} text added"))
        elif "text" in old:
            out.append(Change(group, f"{group} text removed"))
    if old.get("pom") != new.get("pom"):
        out += _pom(old.get("pom"), new.get("pom"), group, group)
    oc, nc = old.get("contexts") or {}, new.get("contexts") or {}
    for name in [*oc, *[n for n in nc if n not in oc]]:
        if name not in nc:
            out.append(Change(group, f"context '{name}' removed"))
        elif name not in oc:
            out.append(Change(group, f"context '{name}' added"))
        elif oc[name] != nc[name]:
            steps = _by_name(oc[name].get("steps"), nc[name].get("steps"), "name",
                             f"context '{name}' step", group)
            out += steps or [Change(group, f"context '{name}' changed")]
    for knob in sorted({*old, *new} - {"text", "pom", "contexts"}):
        if old.get(knob) != new.get(knob):
            out.append(Change(group, f"{group} {knob}: {_short(old.get(knob))} -> "
                                     f"{_short(new.get(knob))}"))
    return out


def _mapping(old: Any, new: Any, noun: str, group: str) -> list[Change]:
    a = old if isinstance(old, dict) else {}
    b = new if isinstance(new, dict) else {}
    out = []
    for k in [*a, *[k for k in b if k not in a]]:
        if k not in b:
            out.append(Change(group, f"{noun} {k} removed"))
        elif k not in a:
            out.append(Change(group, f"{noun} {k} added: {_short(b[k])}"))
        elif a[k] != b[k]:
            out.append(Change(group, f"{noun} {k}: {_short(a[k])} -> {_short(b[k])}"))
    return out


def _hints(old: Any, new: Any) -> list[Change]:
    a = [json.dumps(h, sort_keys=True) for h in old or []]
    b = [json.dumps(h, sort_keys=True) for h in new or []]
    out = [Change("hints", f"hint {_short(json.loads(h))} added") for h in b if h not in a]
    out += [Change("hints", f"hint {_short(json.loads(h))} removed") for h in a if h not in b]
    return out


def diff_documents(old: Any, new: Any) -> list[Change]:
    """The changes from ``old`` to ``new``, grouped and in a stable order."""
    a, before_a, after_a = find_ai(old)
    b, before_b, after_b = find_ai(new)
    out: list[Change] = []
    out += _prompt(a.get("prompt"), b.get("prompt"), "prompt")
    out += _prompt(a.get("post_prompt"), b.get("post_prompt"), "post_prompt")
    sa, sb = a.get("SWAIG") or {}, b.get("SWAIG") or {}
    out += _by_name(sa.get("functions"), sb.get("functions"), "function", "function",
                    "functions")
    out += _by_name(a.get("languages"), b.get("languages"), "code", "language", "languages")
    out += _mapping(a.get("params") or a.get("ai_params"), b.get("params") or b.get("ai_params"),
                    "param", "params")
    out += _hints(a.get("hints"), b.get("hints"))
    out += _by_name(a.get("pronounce"), b.get("pronounce"), "replace", "pronounce", "pronounce")
    out += _mapping(a.get("global_data"), b.get("global_data"), "global_data", "global_data")
    for key in ("native_functions", "includes", "defaults", "internal_fillers"):
        if sa.get(key) != sb.get(key):
            out.append(Change("swaig", f"SWAIG {key} changed"))
    if before_a != before_b:
        out.append(Change("verbs", "verbs before the ai verb changed"))
    if after_a != after_b:
        out.append(Change("verbs", "verbs after the ai verb changed"))
    skip = {"prompt", "post_prompt", "SWAIG", "languages", "params", "ai_params", "hints",
            "pronounce", "global_data"}
    for key in [*a, *[k for k in b if k not in a]]:
        if key not in skip and a.get(key) != b.get(key):
            out.append(Change("other", f"{key} changed"))
    sec_a = old.get("sections") if isinstance(old, dict) else None
    sec_b = new.get("sections") if isinstance(new, dict) else None
    if isinstance(sec_a, dict) and isinstance(sec_b, dict):
        for name in sorted({*sec_a, *sec_b} - {"main"}):
            if sec_a.get(name) != sec_b.get(name):
                out.append(Change("verbs", f"section '{name}' changed"))
    if not out and old != new:
        out.append(Change("other", "document changed"))
    order = {g: i for i, g in enumerate(GROUPS)}
    return sorted(out, key=lambda c: order[c.group])


def describe(changes: list[Change]) -> str:
    return "; ".join(c.text for c in changes)
