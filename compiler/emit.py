"""The last step: output bytes for every document, the manifest, and the writes.

Writing happens only when the whole build is free of errors, so a failing build leaves the
previous build/ exactly as it was. Each file is written aside and renamed into place, and a file
whose bytes have not changed is not touched, so a no-op rebuild rewrites nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from compiler import __version__
from compiler.context import Unit
from compiler.secrets import secret_paths
from compiler.serialize import to_json, to_yaml

MANIFEST = "manifest.json"
SUFFIX = {"swml": ".swml", "relay": ".relay", "bedrock": ".bedrock.swml"}


def output_name(agent: str, target: str, fmt: str) -> str:
    ext = "json" if target == "relay" else fmt
    return f"{agent}{SUFFIX[target]}.{ext}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class BuildOutput:
    files: dict[str, bytes] = field(default_factory=dict)
    manifest: dict[str, object] = field(default_factory=dict)


def render_outputs(units: Iterable[Unit], fmt: str, input_bytes: dict[str, bytes]) -> BuildOutput:
    out = BuildOutput()
    agents: dict[str, object] = {}
    for unit in sorted(units, key=lambda u: u.name):
        outputs: dict[str, str] = {}
        for target, doc in unit.documents.items():
            name = output_name(unit.name, target, fmt)
            data = to_json(doc) if target == "relay" or fmt == "json" else to_yaml(doc)
            out.files[name] = data
            outputs[name] = sha256(data)
        entry: dict[str, object] = {
            "source": unit.file,
            "inputs": {f: sha256(input_bytes[f]) for f in sorted(set(unit.inputs))
                       if f in input_bytes},
            "outputs": dict(sorted(outputs.items())),
        }
        secrets = {f"{name}#{ptr}": names for name, doc in _named_docs(unit, fmt)
                   for ptr, names in secret_paths(doc).items()}
        if secrets:
            entry["secrets"] = dict(sorted(secrets.items()))
        agents[unit.name] = entry
    out.manifest = {"compiler": f"swmlc {__version__}", "agents": agents}
    return out


def _named_docs(unit: Unit, fmt: str) -> list[tuple[str, object]]:
    return [(output_name(unit.name, t, fmt), d) for t, d in unit.documents.items()]


def read_manifest(build_dir: Path) -> dict[str, object]:
    try:
        data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_file(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly these bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def manifest_bytes(manifest: dict[str, object]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
