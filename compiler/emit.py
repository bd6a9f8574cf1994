"""The last step: output bytes for every document, and the manifest entry that records them
(writing them is compiler/build_dir.py's job).

The manifest records, per agent, the sha256 of each output and of every input it read (its
include graph), so a later build can tell what is stale without compiling, and ``swmlc check``
can say which agent changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from compiler.build_dir import write_file as write_file  # re-exported for writers
from compiler.context import Unit
from compiler.secrets import secret_paths
from compiler.serialize import to_json, to_yaml
from compiler.tree import Map, Seq

MANIFEST = "manifest.json"
SUFFIX = {"swml": ".swml", "relay": ".relay", "bedrock": ".bedrock.swml"}


def output_name(agent: str, target: str, fmt: str) -> str:
    ext = "json" if target == "relay" else fmt
    return f"{agent}{SUFFIX[target]}.{ext}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_map(doc: Any) -> dict[str, str]:
    """JSON pointer -> "file:line:col" of the source behind every value of a document."""
    out: dict[str, str] = {}

    def visit(node: Any, path: str) -> None:
        if isinstance(node, Map):
            for k, v in node.items():
                p = f"{path}/{k.replace('~', '~0').replace('/', '~1')}"
                out[p] = str(node.value_span(k))
                visit(v, p)
        elif isinstance(node, Seq):
            for i, v in enumerate(node):
                p = f"{path}/{i}"
                out[p] = str(node.item_span(i))
                visit(v, p)

    visit(doc, "")
    return out


def map_name(output: str) -> str:
    return output.rsplit(".", 1)[0] + ".map.json"


def render_outputs(unit: Unit, fmt: str, input_hashes: dict[str, str], *,
                   with_source_map: bool = False) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The bytes of each of a unit's documents, and its manifest entry."""
    files: dict[str, bytes] = {}
    for target, doc in unit.documents.items():
        name = output_name(unit.name, target, fmt)
        files[name] = to_json(doc) if target == "relay" or fmt == "json" else to_yaml(doc)
        if with_source_map:
            files[map_name(name)] = to_json(source_map(doc))
    entry: dict[str, Any] = {
        "source": unit.file,
        "inputs": dict(sorted(input_hashes.items())),
        "outputs": {name: sha256(data) for name, data in sorted(files.items())},
    }
    secrets = {f"{name}#{ptr}": names for name, doc in _named_docs(unit, fmt)
               if b"<<secret:" in files[name] for ptr, names in secret_paths(doc).items()}
    if secrets:
        entry["secrets"] = dict(sorted(secrets.items()))
    return files, entry


def _named_docs(unit: Unit, fmt: str) -> list[tuple[str, object]]:
    return [(output_name(unit.name, t, fmt), d) for t, d in unit.documents.items()]


def read_manifest(build_dir: Path) -> dict[str, object]:
    try:
        data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest_bytes(manifest: dict[str, object]) -> bytes:
    """Sorted keys, 2-space indent: the bytes ``json.dumps(indent=2, sort_keys=True)`` gives
    (the manifest holds only strings and mappings), written by orjson, which is faster."""
    import orjson

    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
                        | orjson.OPT_APPEND_NEWLINE)
