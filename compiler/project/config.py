"""swmlc.yaml: the optional project file, found by walking up from the working directory, checked
against its schema (schemas/project.schema.json) and turned into a typed, frozen config."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Seq, Span
from compiler.source.schema import SchemaSet

CONFIG_NAME = "swmlc.yaml"
PROJECT_CODES = {k: codes.PROJECT_CONFIG for k in ("unknown", "type", "missing", "value")}


@dataclass(frozen=True)
class SwaigConfig:
    base_url: str | None = None
    auth_user: str | None = None
    auth_password: str | None = None


@dataclass(frozen=True)
class ProjectConfig:
    """The project file, after templating. Defaults describe a project with no swmlc.yaml."""

    agents: str = "agents"
    build: str = "build"
    tests: str = "tests/agents"
    vars: Map = field(default_factory=Map)
    env: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    swaig: SwaigConfig = SwaigConfig()
    targets: tuple[str, ...] = ("swml",)
    rules: dict[str, str] = field(default_factory=dict)
    file: str | None = None
    tree: Map | None = None


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding swmlc.yaml, else ``start`` itself."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return here


def config_from_tree(tree: Map | None, file: str | None) -> tuple[ProjectConfig, list[Diagnostic]]:
    """Build the config from its (already checked and templated) tree."""
    if tree is None:
        return ProjectConfig(file=file), []
    diags: list[Diagnostic] = []
    swaig = tree.get("swaig") or {}
    vars_ = tree.get("vars")
    cfg = ProjectConfig(
        agents=str(tree.get("agents", "agents")),
        build=str(tree.get("build", "build")),
        tests=str(tree.get("tests", "tests/agents")),
        vars=vars_ if isinstance(vars_, Map) else Map(tree.span),
        env=tuple(tree.get("env") or ()),
        secrets=tuple(tree.get("secrets") or ()),
        swaig=SwaigConfig(swaig.get("base_url"), swaig.get("auth_user"),
                          swaig.get("auth_password")),
        targets=tuple(tree.get("targets") or ("swml",)),
        rules=dict(tree.get("rules") or {}),
        file=file,
        tree=tree,
    )
    both = set(cfg.env) & set(cfg.secrets)
    for name in sorted(both):  # env('X') would write the secret's value into build/
        items = tree["env"]
        ctx_span = items.item_span(list(items).index(name)) if isinstance(items, Seq) \
            else tree.value_span("env")
        diags.append(codes.PROJECT_CONFIG.at(
            ctx_span, f"'{name}' is listed under both env and secrets",
            help="keep it under secrets only: env() would write its value into build/"))
    for key in ("agents", "build", "tests"):
        value = getattr(cfg, key)
        if Path(value).is_absolute() or ".." in Path(value).parts:
            diags.append(codes.PROJECT_CONFIG.at(
                tree.value_span(key) if key in tree else Span(file or CONFIG_NAME, 1, 1, 1, 1),
                f"'{key}' must be a folder inside the project, got '{value}'"))
    return cfg, diags




def check_project_tree(tree: Map, schemas: SchemaSet) -> list[Diagnostic]:
    """swmlc.yaml against its schema."""
    return schemas.bundled("project.schema.json").problems(tree, PROJECT_CODES, "swmlc.yaml")
