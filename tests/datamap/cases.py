"""The functions and inputs of the differential test: every DataMap function of the corpus, and
functions written here to exercise each rule of the evaluator one at a time.

Each case is (label, function, args, answer): the function's webhooks are pointed at the
loopback server, which gives ``answer`` (a status and a body). Arguments for a corpus function
come from its parameters, plus strings chosen to match (and to miss) its expression patterns;
a corpus webhook's answer is made from the paths its outputs read, so the outputs expand
something rather than nothing.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.signalwire.runtime_refs import find_refs, walk_refs
from tests.conftest import CORPUS


@dataclass
class Case:
    label: str
    function: dict[str, Any]
    args: dict[str, Any]
    status: int = 200
    body: Any = field(default_factory=dict)
    raw: bytes | None = None
    global_data: dict[str, Any] = field(default_factory=lambda: {"plan": "gold", "n": 2})
    prompt_vars: dict[str, Any] = field(default_factory=dict)
    #: Why swmlc and the SDK must differ here (swmlc is right), or None when they must agree.
    differs: str | None = None

    @property
    def answer_body(self) -> bytes:
        return self.raw if self.raw is not None else json.dumps(self.body).encode()


# -- the corpus --------------------------------------------------------------------------------

def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("data_map"), dict) and isinstance(node.get("function"), str):
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def corpus_functions() -> list[tuple[str, dict[str, Any]]]:
    """Every DataMap function of the corpus, once (JSON/YAML pairs hold the same ones)."""
    seen: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            doc = json.loads(text, strict=False) if path.suffix == ".json" \
                else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError):
            continue
        for fn in _walk(doc):
            key = json.dumps(fn, sort_keys=True)
            seen.setdefault(key, (f"{path.stem}#{fn['function']}", fn))
    return list(seen.values())


def _value(schema: Any, name: str) -> Any:
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(schema, dict) and schema.get("enum"):
        return schema["enum"][0]
    return {"integer": 3, "number": 72.5, "boolean": True, "array": ["Tuesday"],
            "object": {"k": "v"}}.get(kind, {"city": "São Paulo", "zip": "02134"}.get(
                name, f"{name} value"))


def _candidates(pattern: str) -> list[str]:
    """Strings a pattern's alternatives spell out literally (``yes|no`` gives yes and no)."""
    body = pattern.strip("/").split("/")[0] if pattern.startswith("/") else pattern
    words = []
    for part in body.split("|"):
        word = re.sub(r"\\[bBdDsSwW]|[\^$()?*+\[\]{}]|\\", "", part).strip()
        if word and len(word) < 60:
            words.append(word)
    return words[:2]


def inputs_for(fn: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameters' plain values, then one input per expression pattern it can match."""
    params = fn.get("parameters") or fn.get("argument") or {}
    props = params.get("properties", {}) if isinstance(params, dict) else {}
    base = {name: _value(schema, name) for name, schema in props.items()}
    out = [base]
    exprs = fn["data_map"].get("expressions") or []
    for expr in exprs if isinstance(exprs, list) else [exprs]:
        refs = find_refs(str(expr.get("string", ""))) if isinstance(expr, dict) else []
        if len(refs) == 1 and refs[0].path[:1] == ("args",) and len(refs[0].path) == 2:
            for word in _candidates(str(expr.get("pattern", ""))):
                out.append({**base, str(refs[0].path[1]): word})
    return out[:4]


def _put(tree: dict[str, Any], path: tuple[Any, ...], leaf: Any) -> None:
    node: Any = tree
    for i, part in enumerate(path):
        last = i == len(path) - 1
        nxt: Any = leaf if last else ([] if isinstance(path[i + 1], int) else {})
        if isinstance(part, int):
            if not isinstance(node, list):
                return
            while len(node) <= part:
                node.append(copy.deepcopy(nxt))
            node = node[part]
        elif isinstance(node, dict):
            node = node.setdefault(str(part), nxt)
        else:
            return


def synthesize(hook: dict[str, Any]) -> dict[str, Any]:
    """A response holding every path the webhook's foreach, expressions and output read."""
    out: dict[str, Any] = {}
    foreach = hook.get("foreach") if isinstance(hook.get("foreach"), dict) else {}
    if isinstance(foreach.get("input_key"), str):
        item: dict[str, Any] = {}
        for ref in walk_refs(find_refs(str(foreach.get("append", "")))):
            if ref.root == "this" and len(ref.static_path) > 1:
                _put(item, tuple(p for p in ref.static_path[1:] if not isinstance(p, int)),
                     "v")
        _put(out, tuple(foreach["input_key"].split(".")), [item, item, item])
    text = json.dumps([hook.get("expressions"), hook.get("output")])
    for ref in walk_refs(find_refs(text)):
        path = ref.static_path
        if not path or ref.root in ("input", "this", "global_data", "prompt_vars") \
                or any(isinstance(p, int) and p < 0 for p in path):
            continue
        _put(out, path, f"{'.'.join(map(str, path))} value")
    return out


def localize(fn: dict[str, Any], base: str) -> dict[str, Any]:
    """The function with each webhook's scheme and host replaced by the loopback server (the
    host kept as the first path segment); credentials, paths and templates kept."""
    fn = copy.deepcopy(fn)
    hooks = fn["data_map"].get("webhooks")
    for hook in hooks if isinstance(hooks, list) else [hooks] if hooks else []:
        url = hook.get("url")
        if isinstance(url, str):
            m = re.match(r"^(?:([A-Za-z][A-Za-z0-9+.-]*)://)?(?:([^/?#@]*)@)?([^/?#]*)(.*)$",
                         url, re.S)
            if m:
                creds = f"{m.group(2)}@" if m.group(2) else ""
                host = m.group(3).replace("$", "_").replace("{", "_").replace("}", "_")
                hook["url"] = f"http://{creds}{base.removeprefix('http://')}/{host}{m.group(4)}"
    return fn


def corpus_cases() -> list[Case]:
    cases = []
    for label, fn in corpus_functions():
        hooks = fn["data_map"].get("webhooks")
        first = hooks[0] if isinstance(hooks, list) and hooks else hooks \
            if isinstance(hooks, dict) else {}
        body = synthesize(first) if isinstance(first, dict) else {}
        for i, args in enumerate(inputs_for(fn)):
            cases.append(Case(f"corpus {label} #{i + 1}", fn, args, body=body))
    return cases


def generated_cases() -> list[Case]:
    from tests.datamap.rules import RULES

    return list(RULES)


def all_cases() -> list[Case]:
    return corpus_cases() + generated_cases()


def as_document(fn: dict[str, Any], global_data: dict[str, Any]) -> dict[str, Any]:
    return {"version": "1.0.0", "sections": {"main": [{"ai": {
        "prompt": {"text": "Differential test."}, "global_data": global_data,
        "SWAIG": {"functions": [fn]}}}]}}


def write_document(folder: Path, name: str, fn: dict[str, Any],
                   global_data: dict[str, Any]) -> Path:
    path = folder / f"{name}.swml.json"
    path.write_text(json.dumps(as_document(fn, global_data)), encoding="utf-8")
    return path
