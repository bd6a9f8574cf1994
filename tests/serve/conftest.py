"""The real server, as a user runs it: ``python -m compiler serve --port 0`` in a subprocess,
spoken to over loopback with a real HTTP client. The port is the one the server says it got in
its first log line, so parallel tests never race for a free port."""

from __future__ import annotations

import base64
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

# Secret values: distinctive, so a leak anywhere is found by a plain search.
SECRETS = {
    "SERVE_PASSWORD": "Ops-Pa55word-7f3a9c",
    "ALPHA_TOKEN": "alpha-TOKEN-9b21e4d7",
    "SWAIG_PASSWORD": "sw@ig:pa/ss-5c8e",
}
USER, PASSWORD = "ops", SECRETS["SERVE_PASSWORD"]
AUTH = ("ops", PASSWORD)
START_TIMEOUT = 60.0

PROJECT = {
    "swmlc.yaml": """\
secrets: [SERVE_PASSWORD, ALPHA_TOKEN, SWAIG_PASSWORD]
swaig:
  base_url: https://tools.example.com/swaig
  auth_user: swaig
  auth_password: "{{ secret('SWAIG_PASSWORD') }}"
serve:
  auth:
    user: ops
    password: "{{ secret('SERVE_PASSWORD') }}"
""",
    # alpha holds two secrets: one in its post-prompt URL, one in its webhook credentials
    "agents/alpha.yaml": """\
prompt: {text: "You are Alpha. Version one."}
post_prompt: {text: Summarize the call as JSON.}
post_prompt_url: "https://pp:{{ secret('ALPHA_TOKEN') }}@hooks.example.com/pp/alpha"
functions:
  - function: lookup_order
    description: Look up an order
    parameters: {type: object, properties: {order: {type: string}}}
    webhook: /orders
""",
    # beta holds no secret at all
    "agents/beta.yaml": 'prompt: {text: "You are Beta."}\n',
}


def write_project(root: Path, files: dict[str, str] | None = None) -> Path:
    for rel, text in (files or PROJECT).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SWML_", "SIGNALWIRE_", "SWMLC_"))}
    return {**env, **SECRETS, "PYTHONUNBUFFERED": "1", **extra}


class Server:
    """``swmlc serve`` in a subprocess; its JSON log lines are collected as they come."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "compiler", "serve", "--port", "0", *args], cwd=root,
            env=env if env is not None else server_env(), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.stderr: list[str] = []
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._threads = [threading.Thread(target=self._read_out, daemon=True),
                         threading.Thread(target=self._read_err, daemon=True)]
        for t in self._threads:
            t.start()
        listening = self.wait_for("listening", START_TIMEOUT)
        self.url: str = listening["url"]

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            try:
                self._events.put(json.loads(line))
            except ValueError:
                self._events.put({"event": "not-json", "line": line})

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def wait_for(self, event: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                item = self._events.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self._events.empty():
                    time.sleep(0.2)  # let the readers drain what is left
                    if self._events.empty():
                        break
                continue
            if item.get("event") == event:
                return item
        raise AssertionError(f"no '{event}' event within {timeout}s; exit "
                             f"{self.proc.poll()}; stderr: {''.join(self.stderr)[-3000:]}; "
                             f"log: {''.join(self.lines)[-3000:]}")

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30.0, **kw)

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        out = []
        for line in list(self.lines):
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if name is None or item.get("event") == name:
                out.append(item)
        return out

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        for t in self._threads:
            t.join(timeout=10)
        return code


@pytest.fixture
def serve_project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture
def start(serve_project: Path) -> Iterator[Callable[..., Server]]:
    """Start servers on the test's project; each is stopped (SIGTERM) at the end."""
    started: list[Server] = []

    def run(*args: str, root: Path | None = None, env: dict[str, str] | None = None) -> Server:
        server = Server(root or serve_project, *args, env=env)
        started.append(server)
        return server

    yield run
    for server in started:
        server.stop()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def payload(call_id: str, **extra: Any) -> dict[str, Any]:
    """An end-of-call payload shaped as the platform sends it (PLATFORM.md)."""
    return {
        "content_type": "text/json", "action": "post_conversation", "call_id": call_id,
        "app_name": "swml app", "ai_session_id": f"s-{call_id}",
        "caller_id_name": "Ana Lima", "caller_id_number": "+15035550199",
        "call_start_date": 1714564800000000, "call_answer_date": 1714564801000000,
        "call_end_date": 1714564925000000,
        "post_prompt_data": {"raw": '{"reason": "vaccines"}',
                             "substituted": '{"reason": "vaccines"}',
                             "parsed": [{"reason": "vaccines"}]},
        "call_log": [{"role": "system", "content": "You are Alpha."},
                     {"role": "assistant", "content": "Thank you for calling."},
                     {"role": "user", "content": "My dog needs his shots."}],
        **extra,
    }
