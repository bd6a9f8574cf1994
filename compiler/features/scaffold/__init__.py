"""``swmlc init``: a new agent repository that builds, checks and runs its hook out of the box.

The files are :mod:`.files`; this module decides where swmlc comes from (so that CI and the
pre-commit hook install the very swmlc that wrote them), refuses to overwrite anything unless
told, writes each file atomically, and keeps the editor schemas under ``.swmlc/schemas/`` in step
with the swmlc that builds (``swmlc build`` refreshes them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from compiler.core.errors import SwmlcError
from compiler.core.fs import write_if_changed
from compiler.core.version import __version__
from compiler.features.scaffold.files import EDITOR_SCHEMAS, SCHEMA_FOLDER, scaffold

#: Where swmlc comes from when nothing says: the docs' placeholder, to be replaced.
PLACEHOLDER_URL = "https://github.com/<org>/swmlc"


@dataclass
class InitResult:
    folder: Path
    written: list[str] = field(default_factory=list)
    repo_url: str = PLACEHOLDER_URL
    rev: str = f"v{__version__}"


def installed_from() -> tuple[str, str] | None:
    """(repository URL, revision) this swmlc was installed from, when pip recorded it (PEP 610
    ``direct_url.json``): ``pip install "swmlc @ git+URL@REV"`` records both, an editable
    install from a local clone records its folder."""
    from importlib import metadata  # here: every successful build imports this package, and
    # importlib.metadata was 48 ms of a cold build on a loaded machine (python -X importtime)

    try:
        text = metadata.distribution("swmlc").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    data = json.loads(text) if text else {}
    url = data.get("url")
    if not isinstance(url, str):
        return None
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        return url, str(vcs.get("requested_revision") or vcs.get("commit_id"))
    if url.startswith("file://") and (Path(url[7:]) / ".git").exists():
        return url[7:], f"v{__version__}"
    return None


def init_project(folder: Path, *, force: bool = False, repo_url: str | None = None,
                 rev: str | None = None, agent: str = "support") -> InitResult:
    """Write the scaffold into ``folder``. Nothing is written when a file exists already, unless
    ``force``: every file that would be overwritten is named."""
    found = installed_from()
    url = repo_url or (found[0] if found else PLACEHOLDER_URL)
    revision = rev or (found[1] if found and not repo_url else f"v{__version__}")
    files = scaffold(agent, url, revision)
    taken = sorted(rel for rel in files if (folder / rel).exists())
    if taken and not force:
        raise SwmlcError(f"{folder} already holds {', '.join(taken)}: nothing was written "
                         "(pass --force to overwrite them)")
    result = InitResult(folder, repo_url=url, rev=revision)
    for rel, text in files.items():
        if write_if_changed(folder / rel, text.encode("utf-8")):
            result.written.append(rel)
    return result


def refresh_editor_schemas(root: Path) -> list[str]:
    """Rewrite the editor schemas under ``.swmlc/schemas/`` when they differ from this swmlc's
    (a new swmlc may know new keys); only in a project that has the folder. Returns what was
    rewritten."""
    from compiler.source.schema import BUNDLED

    folder = root / SCHEMA_FOLDER
    if not folder.is_dir():
        return []
    done = []
    for name in EDITOR_SCHEMAS:
        if write_if_changed(folder / name, (BUNDLED / name).read_bytes()):
            done.append(f"{SCHEMA_FOLDER}/{name}")
    return done
