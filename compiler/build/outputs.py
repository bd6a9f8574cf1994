"""A compiled unit's output files: their names, their bytes, and the manifest entry recording them
(writing them is :mod:`compiler.build.build_dir`'s job)."""

from __future__ import annotations

import json
from typing import Any

from compiler.build.incremental import ManifestEntry
from compiler.build.serialize import to_json, to_yaml
from compiler.core.secrets import secret_paths
from compiler.core.stat_cache import sha256
from compiler.core.tree import Map, Seq, pointer_segment
from compiler.pipeline.context import Unit
from compiler.targets import TARGETS, output_name

#: The suffix of a source map, written beside its document with ``--source-map``.
MAP_SUFFIX = ".map.json"
#: Every name ending a build writes for an agent; any other file in build/ is left alone.
OUTPUT_SUFFIXES: tuple[str, ...] = (
    *sorted({f"{t.suffix}.{fmt}" for t in TARGETS.values()
             for fmt in (("json",) if t.json_only else ("json", "yaml"))}),
    MAP_SUFFIX,
)


def is_document(name: str) -> bool:
    """Is ``name`` an agent's document (not its source map, not the manifest)?"""
    return name.endswith(OUTPUT_SUFFIXES) and not name.endswith(MAP_SUFFIX)


def load_document(name: str, data: bytes) -> Any:
    """An output file's document (JSON or YAML, by its name)."""
    if name.endswith(".json"):
        return json.loads(data)
    import yaml

    return yaml.safe_load(data)


def map_name(output: str) -> str:
    return output.rsplit(".", 1)[0] + MAP_SUFFIX


def source_map(doc: Any) -> dict[str, str]:
    """JSON pointer -> "file:line:col" of the source behind every value of a document."""
    out: dict[str, str] = {}

    def visit(node: Any, path: str) -> None:
        if isinstance(node, Map):
            for k, v in node.items():
                p = f"{path}/{pointer_segment(k)}"
                out[p] = str(node.value_span(k))
                visit(v, p)
        elif isinstance(node, Seq):
            for i, v in enumerate(node):
                p = f"{path}/{i}"
                out[p] = str(node.item_span(i))
                visit(v, p)

    visit(doc, "")
    return out


def render_outputs(unit: Unit, fmt: str, input_hashes: dict[str, str], *,
                   with_source_map: bool = False) -> tuple[dict[str, bytes], ManifestEntry]:
    """The bytes of each of a unit's documents, and its manifest entry."""
    files: dict[str, bytes] = {}
    named: list[tuple[str, Map]] = []
    for target, doc in unit.documents.items():
        name = output_name(unit.name, target, fmt)
        named.append((name, doc))
        files[name] = to_json(doc) if TARGETS[target].json_only or fmt == "json" \
            else to_yaml(doc)
        if with_source_map:
            files[map_name(name)] = to_json(source_map(doc))
    secrets = {f"{name}#{ptr}": names for name, doc in named
               if b"<<secret:" in files[name] for ptr, names in secret_paths(doc).items()}
    entry = ManifestEntry(
        source=unit.file,
        inputs=dict(sorted(input_hashes.items())),
        outputs={name: sha256(data) for name, data in sorted(files.items())},
        secrets=dict(sorted(secrets.items())),
    )
    return files, entry
