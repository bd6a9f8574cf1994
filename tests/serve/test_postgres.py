"""Issue 15, point 3: --database postgresql://... against a real PostgreSQL server that this test
starts in a temporary folder (initdb, pg_ctl) on a free loopback port. Two replicas share it:
each stores what it receives and lists what the other stored; a restart keeps everything.
Skipped, with the reason, when no PostgreSQL server binary is installed."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import AUTH, SECRETS, payload, server_env

pytestmark = pytest.mark.slow

SEARCH = ["/usr/local/bin", "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
          "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/14/bin"]


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in SEARCH:
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def postgres() -> Iterator[str]:
    """A PostgreSQL cluster of this test's own; its URL, with a password (as a team's has)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL server binary (initdb, pg_ctl) found on PATH or in "
                    + ", ".join(SEARCH))
    # not under pytest's own temporary folder, which only its owner may enter
    folder = Path(tempfile.mkdtemp(prefix="swmlc-pg-"))
    try:
        yield from _cluster(folder, initdb, pg_ctl)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cluster(folder: Path, initdb: str, pg_ctl: str) -> Iterator[str]:
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as an unprivileged user
        user = next((u for u in ("postgres", "nobody") if _has_user(u)), None)
        if user is None:
            pytest.skip("running as root and no 'postgres' or 'nobody' user to run PostgreSQL")
        os.chown(folder, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    data, port = folder / "data", _free_port()
    pwfile = folder / "pw"
    pwfile.write_text("db-Secret-31415\n")
    if user:
        os.chown(pwfile, pwd.getpwnam(user).pw_uid, -1)
    run = {"user": user, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([initdb, "-D", str(data), "-U", "calls", "-A", "scram-sha-256",
                    f"--pwfile={pwfile}", "--no-sync"], **run)
    subprocess.run([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], **run)
    def stop() -> None:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], user=user,
                       capture_output=True, timeout=60)

    STOP[port] = stop
    try:
        yield f"postgresql://calls:{{{{ secret('DB_PASSWORD') }}}}@127.0.0.1:{port}/postgres"
    finally:
        stop()
        STOP.pop(port, None)


#: The running clusters' stop functions, by port (a test stops its database under a server).
STOP: dict[int, Callable[[], None]] = {}


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture
def pg_project(serve_project: Path, postgres: str) -> Path:
    config = serve_project / "swmlc.yaml"
    text = config.read_text().replace("secrets: [", "secrets: [DB_PASSWORD, ")
    config.write_text(text + f'  database: "{postgres}"\n')
    return serve_project


def test_two_replicas_share_one_postgresql(start, pg_project: Path) -> None:
    env = server_env(DB_PASSWORD="db-Secret-31415")
    one, two = start(env=env), start(env=env)  # they migrate together: once
    with one.client(auth=AUTH) as a, two.client(auth=AUTH) as b:
        assert a.post("/post_prompt/alpha", json=payload("pg-1")).status_code == 200
        assert b.post("/post_prompt/beta", json=payload("pg-2")).status_code == 200
        # the platform may send a payload twice, to either replica: one row
        assert b.post("/post_prompt/alpha", json=payload("pg-1", caller_id_name="Ana L.")
                      ).status_code == 200
        listed_by_one = a.get("/calls", headers={"Accept": "application/json"}).json()
        record = b.get("/calls/pg-1", headers={"Accept": "application/json"}).json()
        conversation = a.post("/post_prompt/alpha", json={
            "action": "fetch_conversation", "conversation_id": "conv-1"})
        ready = b.get("/readyz").json()
    calls = {g["agent"]: [c["call_id"] for c in g["calls"]] for g in listed_by_one["agents"]}
    assert calls == {"alpha": ["pg-1"], "beta": ["pg-2"]}
    (row,) = record["records"]
    assert row["caller_id_name"] == "Ana L." and row["payload"]["call_id"] == "pg-1"
    assert row["call_start"] == "2024-05-01T12:00:00.000000Z"  # timestamptz, read back as UTC
    assert row["post_prompt_parsed"] == [{"reason": "vaccines"}]
    assert conversation.json() == {"conversation_summary": ""}
    assert ready["database"] is True
    logs = "".join(one.lines + two.lines + one.stderr + two.stderr)
    assert "db-Secret-31415" not in logs and SECRETS["SERVE_PASSWORD"] not in logs
    listening = one.events("listening")[0]
    assert listening["database"].startswith("postgresql://127.0.0.1:")  # no credentials


def test_the_schema_is_migrated_once_and_versioned(start, pg_project: Path, postgres: str
                                                  ) -> None:
    import psycopg

    env = server_env(DB_PASSWORD="db-Secret-31415")
    for _ in range(2):
        server = start(env=env)
        server.stop()
    url = postgres.replace("{{ secret('DB_PASSWORD') }}", "db-Secret-31415")
    with psycopg.connect(url) as conn:
        versions = conn.execute("SELECT version FROM swmlc_migrations").fetchall()
        types = dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns"
                                  " WHERE table_name = 'calls'").fetchall())
    assert versions == [(1,)]
    assert types["payload"] == "jsonb" and types["call_start"] == "timestamp with time zone"


def test_a_database_that_cannot_be_reached_stops_the_start(pg_project: Path) -> None:
    import subprocess
    import sys

    env = server_env(DB_PASSWORD="wrong-password-2718")
    result = subprocess.run([sys.executable, "-m", "compiler", "serve", "--port", "0"],
                            cwd=pg_project, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the calls database "
                                    "postgresql://127.0.0.1:")
    assert "password authentication failed" in result.stderr
    assert "wrong-password-2718" not in result.stderr and "Traceback" not in result.stderr


def test_readyz_says_not_ready_when_the_database_goes_away(start, serve_project: Path,
                                                           postgres: str) -> None:
    """The database given with --database (a URL, the password in it from the environment
    as a deploy has it); /readyz is 503 once PostgreSQL stops, so a load balancer stops
    sending calls, and 200 before."""
    from urllib.parse import urlsplit

    url = postgres.replace("{{ secret('DB_PASSWORD') }}", "db-Secret-31415")
    server = start("--database", url)
    with server.client(auth=AUTH) as http:
        before = http.get("/readyz")
        STOP[urlsplit(url).port or 0]()
        after = http.get("/readyz")
        summary = http.post("/post_prompt/alpha", json=payload("pg-down"))
    assert before.status_code == 200 and before.json()["database"] is True
    assert after.status_code == 503
    assert after.json() == {"status": "not ready", "agents": 2, "generation": 1,
                            "database": False}
    assert summary.status_code == 503
    assert "db-Secret-31415" not in "".join(server.lines + server.stderr)
