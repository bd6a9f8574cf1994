"""swmlc.yaml: the optional project file, found by walking up from the working directory, checked
against its schema (schemas/project.schema.json) and turned into a typed, frozen config."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.limits import Limits
from compiler.core.secrets import PLACEHOLDER
from compiler.core.tree import Map, Seq, Span
from compiler.source.schema import SchemaSet

CONFIG_NAME = "swmlc.yaml"
#: URL schemes of a PostgreSQL database (``serve.database``, ``--database``).
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
PROJECT_CODES = {k: codes.PROJECT_CONFIG for k in ("unknown", "type", "missing", "value")}


@dataclass(frozen=True)
class SwaigConfig:
    base_url: str | None = None
    auth_user: str | None = None
    auth_password: str | None = None


@dataclass(frozen=True)
class ServeConfig:
    """swmlc.yaml's ``serve:``, after templating: secrets are still ``<<secret:NAME>>`` here and
    are bound only when the server starts (:mod:`compiler.features.serve.settings`)."""

    auth_user: str | None = None
    auth_password: str | None = None
    signing_key: str | None = None
    database: str | None = None
    public_url: str | None = None
    max_body_bytes: int | None = None


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
    format: str | None = None
    vars_files: tuple[str, ...] = ()
    #: Every profile swmlc.yaml declares, and the one in use (None: the top-level settings).
    profiles: tuple[str, ...] = ()
    profile: str | None = None
    serve: ServeConfig = ServeConfig()
    limits: Limits = field(default_factory=Limits)
    file: str | None = None
    tree: Map | None = None


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding swmlc.yaml, else ``start`` itself."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return here


def config_from_tree(tree: Map | None, file: str | None, *, profiles: tuple[str, ...] = (),
                     profile: str | None = None) -> tuple[ProjectConfig, list[Diagnostic]]:
    """Build the config from its (already checked, profiled and templated) tree."""
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
        format=tree.get("format"),
        vars_files=tuple(tree.get("vars_files") or ()),
        profiles=profiles,
        profile=profile,
        serve=_serve_config(tree.get("serve")),
        limits=Limits.from_config(tree.get("limits")),
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
    files = tree.get("vars_files")
    for i, value in enumerate(cfg.vars_files):
        if Path(value).is_absolute() or ".." in Path(value).parts:
            diags.append(codes.PROJECT_CONFIG.at(
                files.item_span(i) if isinstance(files, Seq) else tree.span,
                f"vars_files must name files inside the project, got '{value}'"))
    if isinstance(tree.get("serve"), Map):
        diags += _check_serve(tree["serve"])
    return cfg, diags


def _serve_config(serve: object) -> ServeConfig:
    if not isinstance(serve, Map):
        return ServeConfig()
    auth = serve.get("auth") or {}
    return ServeConfig(auth.get("user"), auth.get("password"), serve.get("signing_key"),
                       serve.get("database"), serve.get("public_url"),
                       serve.get("max_body_bytes"))


def _check_serve(serve: Map) -> list[Diagnostic]:
    """What the schema cannot say: a password or signing key written in the file (committed to
    git for anyone to read) instead of named as a secret, and a database file outside the
    project (a cloned repository must not make swmlc write elsewhere)."""
    diags: list[Diagnostic] = []
    auth = serve.get("auth")
    checks = [(serve, "signing_key", "SIGNALWIRE_SIGNING_KEY")]
    if isinstance(auth, Map):
        checks.append((auth, "password", "SERVE_PASSWORD"))
    for where, key, example in checks:
        value = where.get(key)
        if isinstance(value, str) and value and not PLACEHOLDER.fullmatch(value):
            diags.append(codes.PROJECT_CONFIG.at(
                where.value_span(key), f"serve: {key} must name a secret, not hold its value",
                help=f"write {key}: \"{{{{ secret('{example}') }}}}\" and list {example} "
                     "under secrets"))
    database = serve.get("database")
    if isinstance(database, str) and not database.startswith(POSTGRES_SCHEMES):
        path = database.removeprefix("sqlite:///")
        if Path(path).is_absolute() or ".." in Path(path).parts:
            diags.append(codes.PROJECT_CONFIG.at(
                serve.value_span("database"),
                f"serve: database must be a file inside the project, got '{database}'",
                help="give a relative path such as .swmlc/calls.db; a file elsewhere is "
                     "chosen with --database or SWMLC_DATABASE_URL"))
    return diags


def check_project_tree(tree: Map, schemas: SchemaSet) -> list[Diagnostic]:
    """swmlc.yaml against its schema."""
    return schemas.bundled("project.schema.json").problems(tree, PROJECT_CODES, "swmlc.yaml")


# -- profiles ---------------------------------------------------------------------------------

#: Profile keys merged key by key over the top level; every other key replaces it.
MERGED_IN_PROFILES = ("vars", "swaig", "serve")


def profile_folder(config_tree: Map, name: str) -> str:
    """The build folder of profile ``name``: its own ``build``, else ``<build>-<name>``."""
    profile = config_tree["profiles"][name]
    build = config_tree.get("build", "build")
    return str(profile.get("build") or f"{str(build).rstrip('/')}-{name}")


def choose_profile(tree: Map, wanted: str | None) -> tuple[str | None, list[Diagnostic]]:
    """The profile to use: ``wanted`` (--profile, SWMLC_PROFILE), else ``default_profile``,
    else none; an unknown name is an error at the profiles swmlc.yaml declares."""
    profiles = tree.get("profiles")
    names = list(profiles) if isinstance(profiles, Map) else []
    name = wanted or tree.get("default_profile")
    if name is None:
        return None, []
    if name in names:
        return str(name), []
    from compiler.core.suggest import did_you_mean

    guess = did_you_mean(str(name), names)
    span = tree.value_span("default_profile") if not wanted and "default_profile" in tree \
        else (tree.key_span("profiles") if isinstance(profiles, Map) else tree.span)
    return None, [codes.PROJECT_CONFIG.at(
        span, f"no profile named '{name}' in swmlc.yaml",
        help=f"did you mean '{guess}'?" if guess else
        (f"the profiles are: {', '.join(names)}" if names else "add it under profiles:"))]


def apply_profile(tree: Map, name: str | None) -> Map:
    """swmlc.yaml as profile ``name`` sees it: the profile's keys over the top-level ones (vars
    and swaig merged key by key), spans kept, ``profiles`` removed."""
    out = tree.without(("profiles", "default_profile"))
    if name is None:
        return out
    profile: Map = tree["profiles"][name]
    for key in profile:
        value = profile[key]
        if key in MERGED_IN_PROFILES and isinstance(out.get(key), Map) and isinstance(value, Map):
            merged = out[key].without(())
            for inner in value:
                merged.copy_entry(value, inner)
            value = merged
        if key == "build" or key not in out:
            out.put(key, value, profile.value_spans[key], profile.key_spans[key])
        else:
            out = out.replaced(key, value, profile.value_spans[key])
    if "build" not in profile:
        out.put("build", profile_folder(tree, name), tree.value_span("profiles"))
    return out


def check_profile_folders(tree: Map) -> list[Diagnostic]:
    """Each profile builds into a folder of its own, none inside another's."""
    profiles = tree.get("profiles")
    if not isinstance(profiles, Map):
        return []
    folders: list[tuple[str, str, Span]] = [
        ("the top level", str(tree.get("build", "build")), tree.span)]
    folders += [(f"profile '{name}'", profile_folder(tree, name), profiles.value_span(name))
                for name in profiles]
    diags: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for who, folder, span in folders:
        clean = Path(folder).as_posix().rstrip("/")
        for other_folder, other in seen.items():
            if clean == other_folder or clean.startswith(other_folder + "/") \
                    or other_folder.startswith(clean + "/"):
                diags.append(codes.PROJECT_CONFIG.at(
                    span, f"{who} builds into {clean}/, which overlaps {other}'s folder "
                    f"({other_folder}/)", help="give each profile a build folder of its own"))
        seen[clean] = who
    return diags
