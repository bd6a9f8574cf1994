"""Issue 3, point 7: a secret's value never reaches build/.

``secret('NAME')`` renders a placeholder naming the secret; build/manifest.json records which
JSON pointer of which document holds which secrets; ``swmlc build --bind-secrets -o DIR`` writes
deploy copies with the values from the environment, refusing when one is unset or when DIR is
build/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.composition.conftest import Build, snapshot, where
from tests.conftest import REPO

CONFIG = """secrets: [SWAIG_USER, SWAIG_PASSWORD, PP_PASS, API_TOKEN]
swaig:
  base_url: https://tools.example.com/swaig
  auth_user: "{{ secret('SWAIG_USER') }}"
  auth_password: "{{ secret('SWAIG_PASSWORD') }}"
"""
AGENT = """prompt: {text: You book visits.}
post_prompt: {text: Summarize.}
post_prompt_url: "https://summary:{{ secret('PP_PASS') }}@hooks.example.com/summary"
functions:
  - function: book
    description: Book a visit
    webhook: /book
    meta_data: {token: "{{ secret('API_TOKEN') }}"}
"""
VALUES = {"SWAIG_USER": "ops@clinic", "SWAIG_PASSWORD": "p:a/ss@w#rd?%",
          "PP_PASS": "summary-pass", "API_TOKEN": "tok en/+="}


def secret_project(project) -> Path:
    return project({"swmlc.yaml": CONFIG, "agents/a.yaml": AGENT})


def test_the_document_holds_placeholders_naming_the_secrets(project, build: Build) -> None:
    built = build(secret_project(project), env=VALUES)
    ai = built.ai("a")
    auth = "https://<<secret:SWAIG_USER>>:<<secret:SWAIG_PASSWORD>>@tools.example.com/swaig"
    assert ai["post_prompt_url"] == "https://summary:<<secret:PP_PASS>>@hooks.example.com/summary"
    assert ai["SWAIG"]["defaults"] == {"web_hook_url": auth}
    assert ai["SWAIG"]["functions"][0]["web_hook_url"] == f"{auth}/book"
    assert ai["SWAIG"]["functions"][0]["meta_data"] == {"token": "<<secret:API_TOKEN>>"}
    for value in VALUES.values():
        for path, data in snapshot(built.out_dir).items():
            assert value.encode() not in data, path


def test_the_manifest_records_which_pointer_holds_which_secret(project, build: Build) -> None:
    built = build(secret_project(project), env=VALUES)
    secrets = built.manifest()["agents"]["a"]["secrets"]
    base = "a.swml.json#/sections/main/1/ai"
    assert secrets == {
        f"{base}/SWAIG/defaults/web_hook_url": ["SWAIG_USER", "SWAIG_PASSWORD"],
        f"{base}/SWAIG/functions/0/meta_data/token": ["API_TOKEN"],
        f"{base}/SWAIG/functions/0/web_hook_url": ["SWAIG_USER", "SWAIG_PASSWORD"],
        f"{base}/post_prompt_url": ["PP_PASS"],
    }
    doc = built.doc("a")
    for key, names in secrets.items():  # each pointer resolves to a string naming its secrets
        node = doc
        for part in key.split("#", 1)[1].strip("/").split("/"):
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert [n for n in names if f"<<secret:{n}>>" in node] == names


def test_an_agent_without_secrets_has_no_secrets_entry(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\n"})
    assert "secrets" not in build(root).manifest()["agents"]["a"]


def test_bind_secrets_writes_deploy_copies_with_the_values(project, build: Build) -> None:
    root = secret_project(project)
    built = build(root, "--bind-secrets", "-o", "deploy", env=VALUES, out="deploy")
    ai = built.ai("a")
    user, password = "ops%40clinic", "p%3Aa%2Fss%40w%23rd%3F%25"  # percent-encoded in a URL
    auth = f"https://{user}:{password}@tools.example.com/swaig"
    assert ai["SWAIG"]["defaults"] == {"web_hook_url": auth}
    assert ai["SWAIG"]["functions"][0]["web_hook_url"] == f"{auth}/book"
    assert ai["post_prompt_url"] == "https://summary:summary-pass@hooks.example.com/summary"
    assert ai["SWAIG"]["functions"][0]["meta_data"] == {"token": "tok en/+="}  # not in a URL
    assert "<<secret:" not in built.text("a")
    assert not (root / "build").exists()  # build/ is not touched


def test_bind_secrets_in_yaml_format(project, build: Build) -> None:
    import yaml

    root = secret_project(project)
    build(root, "--bind-secrets", "-o", "deploy", "--format", "yaml", env=VALUES, out="deploy")
    doc = yaml.safe_load((root / "deploy/a.swml.yaml").read_text())
    assert doc["sections"]["main"][1]["ai"]["post_prompt_url"] == \
        "https://summary:summary-pass@hooks.example.com/summary"


def test_bind_secrets_refuses_when_a_secret_is_unset(project, build: Build) -> None:
    root = secret_project(project)
    env = {**VALUES, "SWAIG_PASSWORD": None}
    built = build(root, "--bind-secrets", "-o", "deploy", env=env, ok=False)
    err = built.error("SWC307")
    assert err["message"] == "secret SWAIG_PASSWORD is not set in the environment"
    assert where(err) == "swmlc.yaml:1:23"   # where it is declared
    assert err["help"] == "export SWAIG_PASSWORD=... before swmlc build --bind-secrets"
    assert not (root / "deploy").exists()


def test_bind_secrets_names_every_unset_secret(project, build: Build) -> None:
    root = secret_project(project)
    built = build(root, "--bind-secrets", "-o", "deploy",
                  env={**dict.fromkeys(VALUES), "PP_PASS": "x"}, ok=False)
    assert sorted(e["message"].split()[1] for e in built.errors) == [
        "API_TOKEN", "SWAIG_PASSWORD", "SWAIG_USER"]


@pytest.mark.parametrize("out", [None, "build", "build/", "./build"])
def test_bind_secrets_refuses_to_write_into_build(project, swmlc, out: str | None) -> None:
    root = secret_project(project)
    before = snapshot(root)
    result = swmlc("build", "--bind-secrets", *(["-o", out] if out else []), env=VALUES)
    assert result.exit_code == (2 if out is None else 1)  # no -o at all: a usage error
    assert "--bind-secrets writes deploy copies: give -o DIR outside build/" in result.stderr
    assert snapshot(root) == before


def test_bind_secrets_refuses_a_folder_inside_build(project, swmlc) -> None:
    root = secret_project(project)
    result = swmlc("build", "--bind-secrets", "-o", "build/deploy", env=VALUES)
    assert result.exit_code == 1
    assert not (root / "build").exists()


@pytest.mark.slow
def test_bundled_project_build_holds_no_secret_value(build: Build, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Set fake values for every secret the bundled project declares, build it, and grep."""
    import yaml

    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(REPO / "agents", root / "agents")
    shutil.copy(REPO / "swmlc.yaml", root / "swmlc.yaml")
    declared = yaml.safe_load((root / "swmlc.yaml").read_text())["secrets"]
    assert declared
    fake = {name: f"fake-{name.lower()}-Zq7" for name in declared}
    monkeypatch.chdir(root)
    built = build(root, env=fake)
    files = snapshot(root / "build")
    assert any(name.endswith(".swml.json") for name in files)
    for name, data in files.items():
        for value in fake.values():
            assert value.encode() not in data, f"{value} in build/{name}"
    placeholders = {f"<<secret:{n}>>" for n in declared}
    assert any(p.encode() in data for p in placeholders for data in files.values())
    recorded = {n for entry in built.manifest()["agents"].values()
                for names in entry.get("secrets", {}).values() for n in names}
    assert recorded == set(declared)
    # and the deploy copies do hold them
    build(root, "--bind-secrets", "-o", "deploy", env=fake, out="deploy")
    deploy = b"".join(snapshot(root / "deploy").values())
    assert all(v.encode() in deploy for v in fake.values())
    assert b"<<secret:" not in deploy
    assert json.loads((root / "deploy/receptionist.swml.json").read_text())
