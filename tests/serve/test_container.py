"""Issue 15, point 7: the Dockerfile builds an image that serves the agents. Its instructions
are checked here (a parse, as a linter would: exec forms, a non-root user, what it copies
exists and passes .dockerignore, the port it exposes is the one it serves on and checks), and
its command is run against the files it copies; building and running the image itself needs a
container runtime, and that test skips, saying so, where none answers."""

from __future__ import annotations

import fnmatch
import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.serve.conftest import Server, server_env

INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
                "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK",
                "SHELL"}
AUTH_ENV = {"SWML_BASIC_AUTH_USER": "ops", "SWML_BASIC_AUTH_PASSWORD": "container-pass-8128",
            "SWAIG_USER": "swaig", "SWAIG_PASSWORD": "swaig-pass-1", "SUMMARY_PASSWORD": "pp-2"}


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            word, _, rest = pending.partition(" ")
            out.append((word.upper(), rest.strip()))
            pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return out


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


def command() -> list[str]:
    stage = dict(final_stage())
    return exec_form(stage["ENTRYPOINT"]) + exec_form(stage["CMD"])


def test_the_dockerfile_parses_and_keeps_the_rules() -> None:
    steps = instructions()
    assert {word for word, _ in steps} <= INSTRUCTIONS
    stage = final_stage()
    words = [word for word, _ in stage]
    assert words.index("USER") < words.index("ENTRYPOINT")
    assert dict(stage)["USER"] not in ("root", "0")
    cmd = command()  # exec form: swmlc is PID 1 and receives SIGTERM itself
    assert cmd[:2] == ["swmlc", "serve"] and "--from-build" in cmd
    port = cmd[cmd.index("--port") + 1]
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert dict(stage)["EXPOSE"] == port
    health = exec_form(dict(stage)["HEALTHCHECK"].split("CMD", 1)[1].strip())
    assert f"http://127.0.0.1:{port}/healthz" in " ".join(health)
    assert any('"swmlc[serve]"' in args for word, args in stage if word == "RUN")


def test_what_the_dockerfile_copies_exists_and_is_sent_to_the_daemon() -> None:
    ignore = [line for line in (REPO / ".dockerignore").read_text().splitlines()
              if line and not line.startswith("#")]
    for word, args in instructions():
        if word != "COPY" or args.startswith("--from"):
            continue
        for source in shlex.split(args)[:-1]:
            assert (REPO / source).exists(), source
            included = False
            for pattern in ignore:  # the last matching pattern wins, as in Docker
                negate = pattern.startswith("!")
                if fnmatch.fnmatch(source.rstrip("/"), pattern.lstrip("!").rstrip("/")):
                    included = negate
            assert included, f"{source} is excluded by .dockerignore"


@pytest.mark.slow
def test_the_container_command_serves_what_the_image_holds(tmp_path: Path) -> None:
    """The image's /project, laid out as its COPY lines make it, served by its command (on
    loopback here, the port the runtime would map)."""
    project = tmp_path / "project"
    project.mkdir()
    for word, args in final_stage():
        if word == "COPY" and not args.startswith("--from"):
            *sources, _ = shlex.split(args)
            for source in sources:
                src = REPO / source
                (shutil.copytree if src.is_dir() else shutil.copy)(src, project / source)
    args = command()[2:]
    del args[args.index("--port"):args.index("--port") + 2]  # Server asks for --port 0
    args[args.index("--host") + 1] = "127.0.0.1"
    server = Server(project, *args, env=server_env(**AUTH_ENV))
    try:
        with server.client() as http:
            assert http.get("/healthz").status_code == 200
        with server.client(auth=("ops", AUTH_ENV["SWML_BASIC_AUTH_PASSWORD"])) as http:
            served = http.get("/swml/clinic-pearl").text
        expected = (REPO / "build/clinic-pearl.swml.json").read_text()
        for name in ("SWAIG_USER", "SWAIG_PASSWORD", "SUMMARY_PASSWORD"):  # URL-safe values
            expected = expected.replace(f"<<secret:{name}>>", AUTH_ENV[name])
        assert json.loads(served) == json.loads(expected)
    finally:
        assert server.stop() == 0


def _runtime() -> str:
    for tool in ("docker", "podman"):
        if shutil.which(tool) is None:
            continue
        probe = subprocess.run([tool, "info"], capture_output=True, text=True, timeout=60)
        if probe.returncode == 0:
            return tool
    pytest.skip("no container runtime: the docker client is installed but no daemon answers "
                "(`docker info` fails), and there is no podman"
                if shutil.which("docker") else "no container runtime (docker or podman)")


@pytest.mark.slow
def test_the_image_builds_and_serves(tmp_path: Path) -> None:
    tool = _runtime()
    tag = "swmlc-serve-test"
    subprocess.run([tool, "build", "-t", tag, str(REPO)], check=True, timeout=1800)
    run = subprocess.run([tool, "run", "-d", "-p", "127.0.0.1::3000",
                          *[f"-e{k}={v}" for k, v in AUTH_ENV.items()], tag],
                         check=True, capture_output=True, text=True, timeout=120)
    container = run.stdout.strip()
    try:
        port = subprocess.run([tool, "port", container, "3000"], check=True,
                              capture_output=True, text=True).stdout.strip().rsplit(":", 1)[1]
        import httpx

        for _ in range(60):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            import time

            time.sleep(1)
        r = httpx.get(f"http://127.0.0.1:{port}/swml/clinic-pearl",
                      auth=("ops", AUTH_ENV["SWML_BASIC_AUTH_PASSWORD"]))
        assert r.status_code == 200 and r.json()["version"] == "1.0.0"
        stopped = subprocess.run([tool, "stop", container], capture_output=True, timeout=60)
        assert stopped.returncode == 0
        code = subprocess.run([tool, "inspect", "-f", "{{.State.ExitCode}}", container],
                              capture_output=True, text=True).stdout.strip()
        assert code == "0"  # SIGTERM: a graceful stop
    finally:
        subprocess.run([tool, "rm", "-f", container], capture_output=True)
