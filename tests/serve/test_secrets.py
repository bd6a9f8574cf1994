"""Issue 15, point 1: secrets are bound at serve time only. A secret's value reaches the one
agent document that uses it and nowhere else: not another agent's response, not an error, not
the log, not a file under the project (the calls database included)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.serve.conftest import AUTH, SECRETS, payload, server_env

pytestmark = pytest.mark.slow


def forms(value: str) -> list[bytes]:
    """A value as it could appear: as is, percent-encoded (inside URL credentials), and
    JSON-escaped."""
    import json

    return sorted({value.encode(), quote(value, safe="").encode(),
                   json.dumps(value)[1:-1].encode()})


def leaks(data: bytes, values: list[str]) -> list[str]:
    return [v for v in values if any(f in data for f in forms(v))]


def test_a_secret_value_appears_only_in_the_document_that_uses_it(start, serve_project: Path
                                                                  ) -> None:
    server = start("--watch")
    agent_secrets = [SECRETS["ALPHA_TOKEN"], SECRETS["SWAIG_PASSWORD"]]
    with server.client(auth=AUTH) as http:
        alpha = http.get("/swml/alpha")
        others = [
            http.get("/swml/beta"), http.post("/swml/beta", json={"call": {}}),
            http.post("/post_prompt/alpha", json=payload("c-1")),
            http.post("/post_prompt/beta", json=payload("c-2")),
            http.get("/calls"), http.get("/calls", headers={"Accept": "application/json"}),
            http.get("/calls/c-1"), http.get("/calls/c-1", headers={"Accept": "application/json"}),
            http.get("/swml/missing"), http.get("/nowhere"), http.get("/readyz"),
            http.post("/post_prompt/alpha", content=b"{bad json"),
        ]
    with server.client(auth=("ops", "wrong")) as http:
        others.append(http.get("/swml/alpha"))
    # a reload: a new agent using both secrets, bound in memory only
    (serve_project / "agents/gamma.yaml").write_text(
        "prompt: {text: \"{{ secret('ALPHA_TOKEN') }} and {{ secret('SWAIG_PASSWORD') }}\"}\n")
    server.wait_for("reloaded")
    server.stop()
    assert leaks(alpha.content, agent_secrets) == agent_secrets  # the one place they belong
    for r in others:
        assert leaks(r.content, list(SECRETS.values())) == [], r.request.url
    log = "".join(server.lines + server.stderr).encode()
    assert leaks(log, list(SECRETS.values())) == []
    on_disk = [p for p in serve_project.rglob("*") if p.is_file()]
    assert any(p.name == "calls.db" for p in on_disk)
    for path in on_disk:
        assert leaks(path.read_bytes(), list(SECRETS.values())) == [], path
    assert not (serve_project / "build").exists()  # serving compiles in memory


def test_an_agent_needing_an_unset_secret_is_refused_with_every_missing_name(
        serve_project: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in server_env().items() if k not in ("ALPHA_TOKEN", "SWAIG_PASSWORD")}
    result = subprocess.run([sys.executable, "-m", "compiler", "serve", "--port", "0"],
                            cwd=serve_project, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stdout == ""  # nothing served, nothing logged
    assert "error[SWC307]: secret ALPHA_TOKEN is not set in the environment" in result.stderr
    assert "error[SWC307]: secret SWAIG_PASSWORD is not set in the environment" in result.stderr
    assert "  --> swmlc.yaml:1:27\n" in result.stderr  # ALPHA_TOKEN in the secrets list
    assert "= note: needed by agent alpha\n" in result.stderr
    assert "export ALPHA_TOKEN=... before swmlc serve" in result.stderr
    assert not (serve_project / ".swmlc").exists()  # nothing was opened or written


def test_secrets_of_serve_settings_are_refused_at_start_too(serve_project: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in server_env().items() if k != "SERVE_PASSWORD"}
    result = subprocess.run([sys.executable, "-m", "compiler", "serve", "--port", "0"],
                            cwd=serve_project, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "error[SWC307]: secret SERVE_PASSWORD is not set in the environment" in result.stderr
    assert "= note: needed by serve.auth.password\n" in result.stderr
    assert os.environ.get("SERVE_PASSWORD") is None
