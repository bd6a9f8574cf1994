"""Issue 3, point 9: swmlc.yaml, the optional project file, its schema and its documentation."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.composition.conftest import Build, where
from tests.conftest import REPO

AGENT = "prompt: {text: You answer the phone.}\n"
WEBHOOK_AGENT = AGENT + "functions:\n  - {function: f, description: Do f, webhook: /f}\n"


def project_schema() -> dict:
    return json.loads((REPO / "compiler/data/project.schema.json").read_text())


def schema_keys(schema: dict, prefix: str = "") -> list[str]:
    """Every key the schema names, nested ones as ``parent.key``."""
    out: list[str] = []
    for key, sub in schema.get("properties", {}).items():
        out.append(prefix + key)
        out += schema_keys(sub, f"{prefix}{key}.")
    return out


# --- schema files -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["project.schema.json", "agent.schema.json",
                                  "agent-test.schema.json", "http-fixtures.schema.json"])
def test_the_published_schema_is_the_one_the_compiler_uses(name: str) -> None:
    assert (REPO / "schemas" / name).read_bytes() == (REPO / "compiler/data" / name).read_bytes()


def test_every_key_of_the_project_schema_is_documented() -> None:
    doc = (REPO / "docs/project-config.md").read_text()
    keys = schema_keys(project_schema())
    assert {"agents", "build", "vars", "env", "secrets", "swaig", "swaig.base_url",
            "swaig.auth_user", "swaig.auth_password", "targets", "rules"} <= set(keys)
    for key in keys:
        leaf = key.rsplit(".", 1)[-1]
        assert f"`{leaf}`" in doc or f"`{key}`" in doc, f"{key} is not in docs/project-config.md"


def test_the_documented_example_is_a_valid_project_file() -> None:
    from compiler.project.config import check_project_tree
    from compiler.source.schema import SchemaSet
    from compiler.source.yaml_reader import read_yaml

    doc = (REPO / "docs/project-config.md").read_text()
    examples = re.findall(r"```yaml\n(# swmlc\.yaml\n.*?)```", doc, re.S)
    assert examples, "docs/project-config.md shows a whole swmlc.yaml"
    for example in examples:
        tree = read_yaml(example, "swmlc.yaml")
        assert not tree.diagnostics
        assert check_project_tree(tree.value, SchemaSet()) == []


def test_the_bundled_project_file_is_valid() -> None:
    from compiler.project.config import check_project_tree
    from compiler.source.schema import SchemaSet
    from compiler.source.yaml_reader import read_yaml

    tree = read_yaml((REPO / "swmlc.yaml").read_text(), "swmlc.yaml")
    assert not tree.diagnostics and check_project_tree(tree.value, SchemaSet()) == []


# --- the keys at work -------------------------------------------------------------------------

def test_without_a_project_file_agents_build_into_build(project, build: Build) -> None:
    root = project({"agents/a.yaml": AGENT})
    assert build(root).agents() == ["a"]


def test_agents_and_build_folders(project, build: Build) -> None:
    root = project({"swmlc.yaml": "$schema: schemas/project.schema.json\nagents: bots\n"
                                  "build: out/swml\n",
                    "bots/a.yaml": AGENT, "agents/ignored.yaml": "not: an agent\n"})
    built = build(root, out="out/swml")
    assert built.agents() == ["a"]
    assert not (root / "build").exists()


def test_the_project_file_is_found_from_a_subfolder(project, build: Build,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = project({"swmlc.yaml": "build: out\n", "agents/a.yaml": AGENT})
    monkeypatch.chdir(root / "agents")
    assert build(root, out="out").agents() == ["a"]


def test_targets(project, build: Build) -> None:
    root = project({"swmlc.yaml": "targets: [swml, relay]\n", "agents/a.yaml": AGENT})
    built = build(root)
    assert (root / "build/a.relay.json").is_file()
    assert set(built.manifest()["agents"]["a"]["outputs"]) == {"a.swml.json", "a.relay.json"}


def test_rules_change_a_severity(project, build: Build) -> None:
    agent = "prompt: {text: 'Plan ${global_data.plan}'}\n"
    root = project({"agents/a.yaml": agent})
    assert build(root, ok=False).error("SWC401")
    (root / "swmlc.yaml").write_text("rules: {SWC401: off}\n")
    assert build(root).ai("a")["prompt"]["text"] == "Plan ${global_data.plan}"


# --- templated strings in swmlc.yaml ----------------------------------------------------------

ENV_BASE = "env: [TOOLS_URL]\nswaig:\n  base_url: \"{{ env('TOOLS_URL') }}\"\n"


def test_env_in_the_base_url(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_BASE, "agents/a.yaml": WEBHOOK_AGENT})
    built = build(root, env={"TOOLS_URL": "https://staging.example.com/swaig"})
    assert built.ai("a")["SWAIG"]["functions"][0]["web_hook_url"] == \
        "https://staging.example.com/swaig/f"


def test_env_in_the_base_url_unset(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_BASE, "agents/a.yaml": WEBHOOK_AGENT})
    err = build(root, env={"TOOLS_URL": None}, ok=False).error("SWC305")
    assert where(err) == "swmlc.yaml:3:13"
    assert err["message"] == "environment variable TOOLS_URL is not set"


def test_env_in_the_project_file_must_be_listed(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_BASE.replace("env: [TOOLS_URL]\n", ""),
                    "agents/a.yaml": WEBHOOK_AGENT})
    err = build(root, env={"TOOLS_URL": "https://x.example.com"}, ok=False).error("SWC305")
    assert where(err) == "swmlc.yaml:2:13"
    assert err["message"] == "env('TOOLS_URL') is not allowed"


def test_env_in_the_build_folder(project, build: Build) -> None:
    root = project({"swmlc.yaml": "env: [OUT]\nbuild: \"{{ env('OUT', 'dist') }}\"\n",
                    "agents/a.yaml": AGENT})
    assert build(root, env={"OUT": None}, out="dist").agents() == ["a"]


def test_project_vars_in_project_strings(project, build: Build) -> None:
    root = project({"swmlc.yaml": "vars: {host: tools.example.com}\n"
                                  "swaig: {base_url: 'https://{{ host }}/swaig'}\n",
                    "agents/a.yaml": WEBHOOK_AGENT})
    assert build(root).ai("a")["SWAIG"]["functions"][0]["web_hook_url"] == \
        "https://tools.example.com/swaig/f"


def test_a_project_var_holding_a_template_in_project_strings(project, build: Build) -> None:
    root = project({"swmlc.yaml": "vars: {host: tools.example.com, url: 'https://{{ host }}/s'}\n"
                                  "swaig: {base_url: '{{ url }}'}\n",
                    "agents/a.yaml": WEBHOOK_AGENT})
    assert build(root).ai("a")["SWAIG"]["functions"][0]["web_hook_url"] == \
        "https://tools.example.com/s/f"


def test_an_undefined_name_in_the_project_file(project, build: Build) -> None:
    root = project({"swmlc.yaml": "vars: {host: tools.example.com}\n"
                                  "swaig: {base_url: 'https://{{ hots }}/swaig'}\n",
                    "agents/a.yaml": WEBHOOK_AGENT})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "swmlc.yaml:2:19"
    assert err["help"] == "did you mean 'host'?"


def test_a_secret_in_the_project_file_must_be_declared(project, build: Build) -> None:
    root = project({"swmlc.yaml": "swaig:\n  base_url: https://t.example.com\n"
                                  "  auth_password: \"{{ secret('SWAIG_PASSWORD') }}\"\n",
                    "agents/a.yaml": WEBHOOK_AGENT})
    err = build(root, ok=False).error("SWC306")
    assert where(err) == "swmlc.yaml:3:18"


# --- bad project files ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "at", "message", "help"), [
    ("agent: bots\n", "swmlc.yaml:1:1", "unknown key 'agent' in swmlc.yaml",
     "did you mean 'agents'?"),
    ("swaig:\n  base_ur: https://t.example.com\n", "swmlc.yaml:2:3",
     "unknown key 'base_ur' in swaig", "did you mean 'base_url'?"),
    ("secret: [A]\n", "swmlc.yaml:1:1", "unknown key 'secret' in swmlc.yaml",
     "did you mean 'secrets'?"),
])
def test_a_bad_key_with_did_you_mean(project, build: Build, text: str, at: str, message: str,
                                     help: str) -> None:
    root = project({"swmlc.yaml": text, "agents/a.yaml": AGENT})
    err = build(root, ok=False).error("SWC902")
    assert (where(err), err["message"], err["help"]) == (at, message, help)


@pytest.mark.parametrize(("text", "at", "words"), [
    ("env: [1]\n", "swmlc.yaml:1:7", "expected a string"),
    ("env: [lower-case]\n", "swmlc.yaml:1:7", "lower-case"),
    ("vars: [a]\n", "swmlc.yaml:1:7", "expected a mapping"),
    ("targets: [swml, pdf]\n", "swmlc.yaml:1:17", '"pdf" is not allowed here'),
    ("rules: {SWC401: loud}\n", "swmlc.yaml:1:17", '"loud" is not allowed here'),
    ("secrets: [A, A]\n", "swmlc.yaml:1:10", "unique"),
    ("build: ../out\n", "swmlc.yaml:1:8", "'build' must be a folder inside the project"),
    ("agents: /etc\n", "swmlc.yaml:1:9", "'agents' must be a folder inside the project"),
    ("tests: ../../etc\n", "swmlc.yaml:1:8", "'tests' must be a folder inside the project"),
    ("tests: [a]\n", "swmlc.yaml:1:8", "expected a string"),
    ("- agents\n", "swmlc.yaml:1:1", "swmlc.yaml must be a mapping"),
])
def test_a_bad_value(project, build: Build, text: str, at: str, words: str) -> None:
    root = project({"swmlc.yaml": text, "agents/a.yaml": AGENT})
    err = build(root, ok=False).error("SWC902")
    assert where(err) == at
    assert words in err["message"]


def test_a_bad_project_file_leaves_build_untouched(project, build: Build) -> None:
    root = project({"swmlc.yaml": "build: build\n", "agents/a.yaml": AGENT})
    build(root)
    (root / "swmlc.yaml").write_text("buidl: build\n")
    build(root, ok=False).error("SWC902")


def test_the_bundled_example_project_file_keys() -> None:
    """The bundled project shows vars, secrets and swaig at work."""
    cfg = yaml.safe_load((REPO / "swmlc.yaml").read_text())
    assert {"vars", "secrets", "swaig"} <= set(cfg)


def test_the_bundled_agents_use_every_composition_feature() -> None:
    """Issue 3's "done when": agents/ shows extends, include, vars, templating, a function
    library with use:, a secret and a fleet (tests/test_build_examples.py builds it)."""
    texts = "\n".join(p.read_text() for p in sorted((REPO / "agents").rglob("*"))
                      if p.is_file())
    for marker in ("extends:", "include:", "vars:", "{{ ", "{% include", "use: _functions/",
                   "secret('", "instances:", "!append"):
        assert marker in texts, marker
