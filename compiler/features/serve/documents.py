"""The documents a server answers with: each agent's SWML, compiled in memory (or read from an
existing build/), its secrets bound from the environment, serialised once.

A :class:`Documents` is immutable and complete: the server holds one and replaces it whole when
a new build succeeds (:mod:`.reload`), so a request sees the old set or the new one, never a
mix. Bound values live only here, in memory: nothing in this module writes a file or a log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from compiler.core.bind import bind
from compiler.core.diagnostics import Diagnostic
from compiler.core.errors import SwmlcError
from compiler.project.options import Options

#: A build/ file larger than this is not read (a hostile repository could commit anything).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: A swap of build/ by a concurrent `swmlc build` can be seen half-way: read again this often.
BUILD_READ_TRIES = 5


@dataclass(frozen=True)
class AgentDocument:
    """One agent as served: its bound SWML document, as JSON bytes, and where its SWAIG
    functions send their webhooks (for ``--stub-functions``)."""

    name: str
    body: bytes
    webhooks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Documents:
    """Every agent the server answers for, from one build."""

    agents: Mapping[str, AgentDocument]
    generation: int = 1


@dataclass
class Loaded:
    """Documents before binding: parsed SWML holding ``<<secret:NAME>>`` placeholders."""

    docs: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        from compiler.core.diagnostics import Severity

        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def serve_options(options: Options) -> Options:
    """The options of a server's build: the SWML target, as JSON, whatever swmlc.yaml builds."""
    from dataclasses import replace

    return replace(options, targets=("swml",), output_format="json", out_dir=None,
                   bind_secrets=False, source_map=False)


def compile_documents(options: Options) -> Loaded:
    """Compile the project in memory (build/ is not touched) and keep each SWML document."""
    from compiler.build.compile import compile_project
    from compiler.features.watch import watched_inputs
    from compiler.targets import output_name

    result = compile_project(serve_options(options), write=False, keep_units=False)
    loaded = Loaded(diagnostics=result.sorted_diagnostics(), texts=result.texts,
                    inputs=watched_inputs(result))
    if result.ok:
        for agent in result.agents:
            data = agent.files.get(output_name(agent.name, "swml", "json"))
            if data is not None:
                loaded.docs[agent.name] = json.loads(data)
    return loaded


def build_documents(root: Path, build: str) -> Loaded:
    """Each agent's SWML document from an existing build/, checked against its manifest."""
    from compiler.build.incremental import read_manifest

    build_dir = root / build
    for _ in range(BUILD_READ_TRIES):
        manifest = read_manifest(build_dir)
        if not manifest.agents:
            raise SwmlcError(f"no build in {build}/ (it has no manifest.json): run swmlc build "
                             "first, or serve without --from-build to compile in memory")
        docs = _read_build(root, build_dir, manifest.agents)
        if docs is not None:
            if not docs:
                raise SwmlcError(f"{build}/ holds no SWML document: build the swml target "
                                 "(targets: [swml] in swmlc.yaml, or --target swml)")
            return Loaded(docs=docs)
    raise SwmlcError(f"{build}/ does not match its manifest.json (changed while it was read, "
                     "or edited by hand): run swmlc build")


def _read_build(root: Path, build_dir: Path, agents: Mapping[str, Any]) -> dict[str, Any] | None:
    """The documents, or None when a file's hash is not the manifest's (a swap in progress)."""
    from compiler.build.outputs import load_document
    from compiler.targets import output_name

    real_root = root.resolve()
    docs: dict[str, Any] = {}
    for name, entry in sorted(agents.items()):
        for fmt in ("json", "yaml"):
            out = output_name(name, "swml", fmt)
            if out in entry.outputs:
                break
        else:
            continue
        path = build_dir / out
        try:
            if not path.resolve().is_relative_to(real_root):
                raise SwmlcError(f"{path.relative_to(root)} leads outside the project")
            if path.stat().st_size > MAX_DOCUMENT_BYTES:
                raise SwmlcError(f"{path.relative_to(root)} is larger than "
                                 f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB")
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SwmlcError(f"cannot read {path.relative_to(root)}: {exc.strerror}") from None
        if hashlib.sha256(data).hexdigest() != entry.outputs[out]:
            return None
        docs[name] = load_document(out, data)
    return docs


def bind_documents(docs: Mapping[str, Any], env: Mapping[str, str], declared: Collection[str],
                   generation: int = 1, rewrite: Callable[[str, Any], Any] | None = None
                   ) -> tuple[Documents, dict[str, list[str]]]:
    """Bind every agent's secrets; return the documents and, per unset secret, the agents that
    need it (every one of them, so a user fixes all at once). ``rewrite`` changes a bound
    document before it is serialised (``--stub-functions``); each agent's webhooks are kept as
    compiled, placeholders and all, as the fixtures of ``swmlc test`` name them.

    Only the ``declared`` names (swmlc.yaml's ``secrets:``) are read from ``env``: a build/
    read with ``--from-build`` is a file of the repository, and a placeholder written there by
    hand for ``AWS_SECRET_ACCESS_KEY`` must stay unset (and be said), not be bound."""
    env = {name: env[name] for name in declared if name in env}
    agents: dict[str, AgentDocument] = {}
    missing: dict[str, list[str]] = {}
    for name in sorted(docs):
        unset: set[str] = set()
        doc = bind(docs[name], env, unset)
        for secret in unset:
            missing.setdefault(secret, []).append(name)
        if rewrite is not None:
            doc = rewrite(name, doc)
        agents[name] = AgentDocument(name, orjson.dumps(doc), _webhooks(docs[name]))
    return Documents(agents, generation), dict(sorted(missing.items()))


def _webhooks(doc: Any) -> dict[str, str]:
    """Function name -> the web_hook_url it calls (its own, else SWAIG.defaults')."""
    out: dict[str, str] = {}
    for verb in (doc.get("sections", {}).get("main", []) if isinstance(doc, dict) else []):
        ai = verb.get("ai") if isinstance(verb, dict) else None
        swaig = ai.get("SWAIG") if isinstance(ai, dict) else None
        if not isinstance(swaig, dict):
            continue
        defaults = swaig.get("defaults")
        defaults = defaults if isinstance(defaults, dict) else {}
        for fn in swaig.get("functions") or ():
            if not isinstance(fn, dict) or "data_map" in fn:
                continue
            url = fn.get("web_hook_url") or defaults.get("web_hook_url")
            if isinstance(fn.get("function"), str) and isinstance(url, str):
                out[fn["function"]] = url
    return out


def secret_values(env: Mapping[str, str], names: tuple[str, ...]) -> set[str]:
    """The values of the declared secrets that are set: what a log line must never hold."""
    return {env[n] for n in names if env.get(n)}
