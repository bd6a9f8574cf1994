"""Issue 15, point 1: with --watch, sources are recompiled on change, and no request sees an
error or a half-built document while files change: the old documents are served until a new
build is whole, and a failing build is logged with its diagnostics while the old one stays."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import assert_official
from tests.serve.conftest import AUTH

pytestmark = pytest.mark.slow

CLIENTS = 4


def agent_text(version: int) -> str:
    # The version sits in two places of one document: a half-built document would disagree.
    return (f'prompt: {{text: "Version {version}."}}\n'
            f"global_data: {{version: {version}}}\n"
            f"hints: [{', '.join(f'h{version}x{i}' for i in range(20))}]\n")


def replace_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_hot_reload_under_concurrent_requests(start, serve_project: Path, judge) -> None:
    alpha = serve_project / "agents/alpha.yaml"
    replace_atomically(alpha, agent_text(0))
    server = start("--watch")
    seen: list[tuple[int, str, object, object]] = []
    stop = threading.Event()

    def hammer() -> None:
        with server.client(auth=AUTH) as http:
            while not stop.is_set():
                for agent in ("alpha", "beta"):
                    r = http.get(f"/swml/{agent}")
                    if r.status_code != 200:
                        seen.append((r.status_code, agent, r.text, None))
                        continue
                    ai = r.json()["sections"]["main"][1]["ai"]
                    seen.append((200, agent, ai["prompt"]["text"],
                                 ai.get("global_data", {}).get("version")))

    def served(more: int) -> None:
        """Wait until ``more`` new responses came in, so that every step of the edit below
        happens under load however slow the machine (a count, not a sleep)."""
        goal = len(seen) + more
        deadline = time.monotonic() + 60
        while len(seen) < goal and time.monotonic() < deadline:
            time.sleep(0.01)

    threads = [threading.Thread(target=hammer) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    try:
        for version in (1, 2, 3):
            served(20)
            replace_atomically(alpha, agent_text(version))
            assert server.wait_for("reloaded", 60)["generation"] == version + 1
        served(20)
        alpha.write_text("prompt: {text: [unclosed\n")  # a bad edit: the build fails
        failed = server.wait_for("reload_failed", 60)
        (serve_project / "agents/beta.yaml").write_text("prompt: {txt: typo}\n")
        failed_again = server.wait_for("reload_failed", 60)
        served(20)
        replace_atomically(alpha, agent_text(4))
        (serve_project / "agents/beta.yaml").write_text('prompt: {text: "You are Beta."}\n')
        assert server.wait_for("reloaded", 60)["generation"] == 5
        served(20)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    errors = [s for s in seen if s[0] != 200]
    assert errors == []
    alpha_seen = [(text, version) for _, agent, text, version in seen if agent == "alpha"]
    assert all(text == f"Version {v}." for text, v in alpha_seen), "a half-built document"
    assert {v for _, v in alpha_seen} <= {0, 1, 2, 3, 4}
    assert len(alpha_seen) > 50
    assert {text for _, agent, text, _ in seen if agent == "beta"} == {"You are Beta."}
    assert failed["reason"] == "the build failed"
    assert failed["diagnostics"][0]["file"] == "agents/alpha.yaml"
    assert failed["diagnostics"][0]["code"] == "SWC001"
    assert {(d["file"], d["code"]) for d in failed_again["diagnostics"]} >= {
        ("agents/alpha.yaml", "SWC001"), ("agents/beta.yaml", "SWC101")}  # prompt.txt: a typo
    with server.client(auth=AUTH) as http:
        final = http.get("/swml/alpha").json()
        ready = http.get("/readyz").json()
    assert final["sections"]["main"][1]["ai"]["prompt"]["text"] == "Version 4."
    assert_official(judge, final, "reloaded alpha")
    assert ready["generation"] == 5


def test_a_new_agent_is_served_after_it_is_added(start, serve_project: Path) -> None:
    server = start("--watch")
    (serve_project / "agents/gamma.yaml").write_text("prompt: {text: Gamma.}\n")
    assert server.wait_for("reloaded", 60)["agents"] == 3
    with server.client(auth=AUTH) as http:
        assert http.get("/swml/gamma").json()["sections"]["main"][1]["ai"]["prompt"] == {
            "text": "Gamma."}


def test_from_build_with_watch_serves_each_new_build(start, serve_project: Path, swmlc) -> None:
    os.chdir(serve_project)
    assert swmlc("build").exit_code == 0
    server = start("--from-build", "--watch")
    (serve_project / "agents/beta.yaml").write_text('prompt: {text: "Beta, rebuilt."}\n')
    with server.client(auth=AUTH) as http:
        before = http.get("/swml/beta").json()  # the source changed, build/ did not
        assert swmlc("build").exit_code == 0
        assert server.wait_for("reloaded", 60)["generation"] == 2
        after = http.get("/swml/beta").json()
    assert before["sections"]["main"][1]["ai"]["prompt"]["text"] == "You are Beta."
    assert after["sections"]["main"][1]["ai"]["prompt"]["text"] == "Beta, rebuilt."
