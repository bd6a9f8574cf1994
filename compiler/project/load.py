"""Loading a project once: swmlc.yaml read, checked and its strings rendered, with the file cache
and the schemas the run will share. The result is passed down; nothing reads swmlc.yaml again."""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Span, walk
from compiler.project.config import (
    CONFIG_NAME,
    ProjectConfig,
    apply_profile,
    check_profile_folders,
    check_project_tree,
    choose_profile,
    config_from_tree,
)
from compiler.project.options import Options
from compiler.source.files import SourceFiles
from compiler.source.schema import SchemaSet


@dataclass
class Project:
    """What every unit of one run shares: the options, the config, the file cache (a base read by
    a thousand agents is read and parsed once) and the compiled schemas."""

    options: Options
    config: ProjectConfig
    files: SourceFiles
    schemas: SchemaSet = field(default_factory=SchemaSet)

    # What decides the outputs, with the command line over the profile over swmlc.yaml: each
    # said once here, read by the passes, the build key and the manifest alike.

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(self.options.targets or self.config.targets)

    @property
    def output_format(self) -> str:
        return self.options.output_format or self.config.format or "json"

    @property
    def vars_files(self) -> tuple[str, ...]:
        """swmlc.yaml's (or the profile's) vars files, then --vars-file ones."""
        return (*self.config.vars_files, *self.options.vars_files)

    @property
    def build_folder(self) -> str:
        """build/ (or -o, or the profile's folder), relative to the root."""
        return self.options.out_dir or self.config.build


def load_project(options: Options) -> tuple[Project, list[Diagnostic]]:
    """Read swmlc.yaml (if any) and set up the shared state of a run."""
    files = SourceFiles(options.root)
    schemas = SchemaSet()
    diags: list[Diagnostic] = []
    tree: Map | None = None
    file: str | None = None
    if files.exists(CONFIG_NAME):
        file = CONFIG_NAME
        loaded = files.load(CONFIG_NAME)
        diags += loaded.diagnostics
        if isinstance(loaded.value, Map):
            tree = loaded.value
        elif loaded.value is not None:
            diags.append(codes.PROJECT_CONFIG.at(Span(CONFIG_NAME, 1, 1, 1, 1),
                                                 "swmlc.yaml must be a mapping"))
    if tree is not None:
        diags += _merge_tags(tree) or check_project_tree(tree, schemas)
    profiles: tuple[str, ...] = ()
    profile: str | None = None
    if tree is not None and not diags:
        diags += check_profile_folders(tree)
        profiles = tuple(tree["profiles"]) if isinstance(tree.get("profiles"), Map) else ()
        profile, problems = choose_profile(tree, options.profile)
        diags += problems
        tree = apply_profile(tree, profile)
    if tree is not None and not diags:
        tree = _render_config(tree, options, files, diags)
        if not diags:  # a template may have made a value of the wrong type: "{{ [1, 2] }}"
            diags += check_project_tree(tree, schemas)
    config, more = config_from_tree(tree, file, profiles=profiles, profile=profile) \
        if not diags else (ProjectConfig(file=file), [])
    files.max_bytes = config.limits.file_bytes
    return Project(options, config, files, schemas), diags + more


def _merge_tags(tree: Map) -> list[Diagnostic]:
    """Merge tags (``!delete``, ``!append``...) steer the composition of agents; swmlc.yaml is
    not composed, so one there is a mistake (and no JSON Schema can look at it)."""
    from compiler.core.tree import Seq, Tagged

    for _, value in walk(tree):
        tag = value.tag if isinstance(value, Map | Seq | Tagged) else None
        if tag:
            span = value.span if isinstance(value, Map | Seq | Tagged) else tree.span
            return [codes.PROJECT_CONFIG.at(
                span, f"the merge tag {tag} has no meaning in swmlc.yaml",
                help="merge tags steer extends and include in agent definitions; remove it")]
    return []


def _render_config(tree: Map, options: Options, files: SourceFiles,
                   diags: list[Diagnostic]) -> Map:
    """Render swmlc.yaml's strings (not its vars, which each agent renders in its own scope):
    ``base_url: "{{ env('TOOLS_URL') }}"``, ``auth_password: "{{ secret('SWAIG_PASSWORD') }}"``."""
    from compiler.source.templating import (
        RenderScope,
        Templates,
        has_template,
        referenced_names,
        render_value,
        resolve_values,
    )

    env_names = tuple(v for v in tree.get("env") or () if isinstance(v, str))
    secret_names = tuple(v for v in tree.get("secrets") or () if isinstance(v, str))
    scope = RenderScope(options.root, env_names, secret_names, options.env, files.read_text)
    body = tree.without(("vars",))
    templates = Templates()
    project_vars = tree.get("vars")
    raw = {k: (v, project_vars.value_span(k), project_vars.key_span(k))
           for k, v in project_vars.items()} if isinstance(project_vars, Map) else {}
    # Only the variables the config's own strings use (and what they use): a project variable
    # may name one that only agents define, rendered in each agent's scope.
    needed: set[str] = set()
    todo = [v for _, v in walk(body) if isinstance(v, str) and has_template(v)]
    while todo:
        for name in referenced_names(todo.pop(), templates):
            if name in raw and name not in needed:
                needed.add(name)
                todo += [v for _, v in walk(raw[name][0]) if isinstance(v, str)
                         and has_template(v)]
    resolved = resolve_values({k: raw[k] for k in raw if k in needed}, scope, templates,
                              diags.append)
    # the others stay in scope unrendered (no config string uses them) for did-you-mean
    variables = {**{k: v for k, (v, _, _) in raw.items()}, **resolved}
    rendered = render_value(body, tree.span, variables, scope, templates, diags.append)
    assert isinstance(rendered, Map)
    if "vars" in tree:
        rendered.copy_entry(tree, "vars")
    return rendered
