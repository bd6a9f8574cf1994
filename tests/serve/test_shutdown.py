"""Issue 15, point 6: SIGTERM while 50 post-prompt payloads are in flight loses none of them.

Each of the 50 clients has sent its headers and half its body when the signal arrives, so every
request is in flight (not merely queued) at that moment; then the clients send the rest. A
graceful stop finishes each request, commits each row, and only then exits."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.serve.conftest import AUTH, basic, payload

pytestmark = pytest.mark.slow

CLIENTS = 50


def _request(port: int, call_id: str) -> tuple[bytes, bytes]:
    body = json.dumps(payload(call_id)).encode()
    head = (f"POST /post_prompt/alpha HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: {basic(*AUTH)}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    half = len(body) // 2
    return head + body[:half], body[half:]


def _status(sock: socket.socket) -> int:
    data = b""
    sock.settimeout(60)
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return -1
        data += chunk
    return int(data.split(b" ", 2)[1])


def _unread(port: int) -> list[int] | None:
    """The bytes still waiting to be read in each of the server's established connections
    (the kernel's receive queue, /proc/net/tcp); None where the kernel does not say."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        return None
    queues = []
    for row in table.read_text().splitlines()[1:]:
        fields = row.split()
        if fields[1] == f"0100007F:{port:04X}" and fields[3] == "01":  # ESTABLISHED, ours
            queues.append(int(fields[4].split(":")[1], 16))
    return queues


def _wait_until_read(port: int, clients: int) -> None:
    """Until the server has accepted every connection and read all that was sent on it: then
    each request is in flight. Where the kernel does not show its queues (not Linux), a second
    stands in for that."""
    deadline = time.monotonic() + 60
    while (queues := _unread(port)) is not None:
        if len(queues) == clients and not any(queues):
            return
        assert time.monotonic() < deadline, f"the server has not read its requests: {queues}"
        time.sleep(0.01)
    time.sleep(1.0)


def test_sigterm_during_50_posts_loses_none(start, serve_project: Path) -> None:
    server = start()
    port = int(server.url.rsplit(":", 1)[1])
    with server.client(auth=AUTH) as http:  # the writer and the page are warm
        assert http.post("/post_prompt/beta", json=payload("warm-up")).status_code == 200
    socks, rests = [], []
    for i in range(CLIENTS):
        first, rest = _request(port, f"inflight-{i:02d}")
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(first)
        socks.append(sock)
        rests.append(rest)
    _wait_until_read(port, CLIENTS)  # the server read every head, and waits for the bodies
    server.proc.send_signal(signal.SIGTERM)
    server.wait_for("server", timeout=30)  # uvicorn says it is shutting down
    statuses: list[int] = [0] * CLIENTS

    def finish(i: int) -> None:
        socks[i].sendall(rests[i])
        statuses[i] = _status(socks[i])
        socks[i].close()

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert statuses == [200] * CLIENTS
    assert server.stop() == 0
    with socket.socket() as probe:  # it is gone: a new request is refused, not half-served
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    rows = sqlite3.connect(serve_project / ".swmlc" / "calls.db").execute(
        "SELECT call_id FROM calls WHERE call_id LIKE 'inflight-%' ORDER BY call_id").fetchall()
    assert [r[0] for r in rows] == [f"inflight-{i:02d}" for i in range(CLIENTS)]
    assert any(e.get("message") == "Shutting down" for e in server.events("server"))
