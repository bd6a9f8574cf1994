"""Issue 15: what stops `swmlc serve` from starting is said clearly, at its place, exit 1, with
nothing served and nothing written (these fail before a server runs, so the CLI runs
in-process)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.serve.conftest import PROJECT, SECRETS, write_project


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    for name in ("SWML_BASIC_AUTH_USER", "SWML_BASIC_AUTH_PASSWORD", "SIGNALWIRE_SIGNING_KEY",
                 "SWMLC_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def project_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str) -> Path:
    root = write_project(tmp_path / "p", {**PROJECT, "swmlc.yaml": config})
    monkeypatch.chdir(root)
    return root


def test_a_password_written_in_swmlc_yaml_is_refused(tmp_path, monkeypatch, swmlc, env) -> None:
    root = project_with(tmp_path, monkeypatch, "secrets: [ALPHA_TOKEN, SWAIG_PASSWORD]\n"
                        "serve:\n  auth:\n    user: ops\n    password: hunter2-literal\n")
    result = swmlc("serve", "--port", "0")
    assert result.exit_code == 1
    assert "error[SWC902]: serve: password must name a secret, not hold its value" in \
        result.stderr
    assert "--> swmlc.yaml:5:15" in result.stderr
    assert "help: write password: \"{{ secret('SERVE_PASSWORD') }}\" and list SERVE_PASSWORD " \
           "under secrets" in result.stderr
    assert not (root / ".swmlc").exists()


def test_a_database_outside_the_project_is_refused(tmp_path, monkeypatch, swmlc, env) -> None:
    project_with(tmp_path, monkeypatch, PROJECT["swmlc.yaml"]
                 + "  database: ../elsewhere/calls.db\n")
    result = swmlc("serve", "--port", "0")
    assert result.exit_code == 1
    assert "error[SWC902]: serve: database must be a file inside the project, got " \
           "'../elsewhere/calls.db'" in result.stderr
    assert "--> swmlc.yaml:10:13" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_an_unknown_serve_key_has_a_did_you_mean(tmp_path, monkeypatch, swmlc, env) -> None:
    project_with(tmp_path, monkeypatch, PROJECT["swmlc.yaml"] + "  databse: x.db\n")
    result = swmlc("serve", "--port", "0")
    assert result.exit_code == 1
    assert "unknown key 'databse'" in result.stderr and "did you mean 'database'?" in \
        result.stderr


def test_without_credentials_it_does_not_start(tmp_path, monkeypatch, swmlc, env) -> None:
    project_with(tmp_path, monkeypatch, "secrets: [ALPHA_TOKEN, SWAIG_PASSWORD]\n"
                 "swaig: {base_url: 'https://t.example.com', auth_user: u, "
                 "auth_password: \"{{ secret('SWAIG_PASSWORD') }}\"}\n")
    result = swmlc("serve", "--port", "0")
    assert result.exit_code == 1
    assert result.stderr.startswith("error[SWC920]: swmlc serve needs basic-auth credentials")
    assert "export SWML_BASIC_AUTH_USER and SWML_BASIC_AUTH_PASSWORD" in result.stderr
    monkeypatch.setenv("SWML_BASIC_AUTH_USER", "ops")
    half = swmlc("serve", "--port", "0")
    assert "error[SWC920]: only one of SWML_BASIC_AUTH_USER and SWML_BASIC_AUTH_PASSWORD is " \
           "set" in half.stderr


def test_a_port_in_use_is_a_clear_error(serve_project, monkeypatch, swmlc, env) -> None:
    monkeypatch.chdir(serve_project)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = swmlc("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == (f"error: cannot listen on 127.0.0.1:{port}: Address already in "
                             "use (is another server running? choose another with --port)\n")
    assert not (serve_project / ".swmlc").exists()


def test_a_broken_agent_stops_the_start_with_its_diagnostics(serve_project, monkeypatch, swmlc,
                                                              env) -> None:
    monkeypatch.chdir(serve_project)
    (serve_project / "agents/beta.yaml").write_text("prompt: {txt: hi}\n")
    result = swmlc("serve", "--port", "0")
    assert result.exit_code == 1
    assert "error[SWC101]" in result.stderr and "--> agents/beta.yaml:1:10" in result.stderr


def test_from_build_without_a_build(serve_project, monkeypatch, swmlc, env) -> None:
    monkeypatch.chdir(serve_project)
    result = swmlc("serve", "--port", "0", "--from-build")
    assert result.exit_code == 1
    assert result.stderr == ("error: no build in build/ (it has no manifest.json): run swmlc "
                             "build first, or serve without --from-build to compile in memory\n")


def test_a_database_of_a_newer_swmlc_is_refused(serve_project, monkeypatch, swmlc, env) -> None:
    import sqlite3

    monkeypatch.chdir(serve_project)
    (serve_project / ".swmlc").mkdir()
    db = sqlite3.connect(serve_project / ".swmlc/calls.db")
    db.execute("CREATE TABLE swmlc_migrations (version INTEGER PRIMARY KEY, about TEXT, "
               "applied_at TEXT)")
    db.execute("INSERT INTO swmlc_migrations VALUES (7, 'from the future', '')")
    db.commit()
    result = swmlc("serve", "--port", "0")
    assert result.exit_code == 1
    assert result.stderr == ("error: the calls database is at schema version 7, newer than "
                             "this swmlc knows (1): upgrade swmlc, or use another database\n")


def test_a_placeholder_written_into_build_by_hand_is_never_bound(serve_project, monkeypatch,
                                                                 swmlc, env) -> None:
    """--from-build reads files of the repository: a `<<secret:AWS_SECRET_ACCESS_KEY>>` written
    into a build output (its hash in the manifest updated to match) must not pull that variable
    of the environment into a served document: only swmlc.yaml's declared secrets are bound."""
    import hashlib
    import json

    monkeypatch.chdir(serve_project)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "LEAKED-VALUE")
    assert swmlc("build").exit_code == 0
    out = serve_project / "build/alpha.swml.json"
    doc = out.read_text().replace('"text": "', '"text": "<<secret:AWS_SECRET_ACCESS_KEY>> ', 1)
    assert "<<secret:AWS_SECRET_ACCESS_KEY>>" in doc
    out.write_text(doc)
    manifest_path = serve_project / "build/manifest.json"
    text = manifest_path.read_text()
    manifest = json.loads(text)
    old = next(h for entry in manifest["agents"].values()
               for name, h in entry["outputs"].items() if name == "alpha.swml.json")
    manifest_path.write_text(text.replace(old, hashlib.sha256(out.read_bytes()).hexdigest()))
    result = swmlc("serve", "--port", "0", "--from-build")
    assert result.exit_code == 1
    assert ("error[SWC307]: secret AWS_SECRET_ACCESS_KEY is not declared under secrets: in "
            "swmlc.yaml") in result.stderr
    assert "= note: needed by agent alpha" in result.stderr
    assert "LEAKED-VALUE" not in result.stdout + result.stderr
