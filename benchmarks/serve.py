"""Load benchmark of `swmlc serve` (issue 15), against signalwire-sdk's AgentBase serving the
same agent under the same load, in the same run.

    python benchmarks/serve.py                      # the figures in docs/performance.md
    python benchmarks/serve.py --seconds 5 --rounds 1
    python benchmarks/serve.py --smoke              # CI: proves it runs, asserts no timing

What is measured: requests per second and p50/p99 latency of ``POST /swml/<agent>`` (the
platform's SWML fetch, with its ``{call, vars, envs, params}`` body and basic auth) from 50
concurrent keep-alive clients, for swmlc and for the SDK; and of ``POST /post_prompt/<agent>``
(an end-of-call payload of ~8 KB, each a new call, written to SQLite and committed before the
answer) for swmlc. The agent is agent 0 of the benchmark's generated repo
(benchmarks/generate.py), and the SDK builds the same agent the way its users write one
(``generate.sdk_script``), then ``agent.serve()``.

Loopback only, bounded in time (``--seconds`` per measurement) and in count (``--max-requests``).
Both servers run one process each, their stdout (one log line per request for both) sent to
/dev/null, and the two are measured in turn, round after round (``--rounds``), so that the
machine's state weighs on both alike; medians over rounds are printed. The load generator is
this process: asyncio over raw sockets (uvloop when installed), HTTP/1.1 keep-alive, which
costs less per request than either server. Exits 0 whether targets pass or miss, 1 if a server
fails to start or answers wrongly.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata, util
from pathlib import Path

import generate  # benchmarks/ is sys.path[0] when this file runs as a script

USER, PASSWORD = "bench", "bench-password-42"
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
SWML_BODY = json.dumps({"call": {"call_id": "c0ffee", "node_id": "n1", "segment_id": "s1",
                                 "call_state": "created", "direction": "inbound",
                                 "type": "phone", "from": "+15035550100",
                                 "to": "+15035550199", "headers": []},
                        "vars": {}, "envs": {}, "params": {}}).encode()


@dataclass
class Run:
    """One measurement: every latency in seconds, and the wall time it took."""

    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    latencies: list[float] = field(default_factory=list, repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


# -- the load ----------------------------------------------------------------------------------

async def _client(port: int, make: callable, until: float, budget: list[int], run: Run
                  ) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until and budget[0] > 0:
            budget[0] -= 1
            request = make()
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lower = head.lower()
            at = lower.find(b"content-length:")
            length = int(lower[at + 15:lower.index(b"\r\n", at)]) if at >= 0 else 0
            await reader.readexactly(length)
            run.latencies.append(time.perf_counter() - started)
            run.requests += 1
            if not head.startswith(b"HTTP/1.1 200"):
                run.errors += 1
    finally:
        writer.close()


def load(port: int, make: callable, clients: int, seconds: float, max_requests: int) -> Run:
    run = Run()

    async def main() -> None:
        started = time.perf_counter()
        budget = [max_requests]
        await asyncio.gather(*(_client(port, make, started + seconds, budget, run)
                               for _ in range(clients)))
        run.seconds = time.perf_counter() - started

    if util.find_spec("uvloop") is not None:
        import uvloop

        uvloop.run(main())
    else:
        asyncio.run(main())
    return run


def post(path: str, body: bytes) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {AUTH}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body


def post_prompt_body(n: int) -> bytes:
    log = [{"role": "user" if i % 2 else "assistant",
            "content": f"Turn {i}: the caller asks about an appointment for their dog.",
            "timestamp": 1714564800000000 + i * 1000} for i in range(40)]
    return json.dumps({
        "action": "post_conversation", "call_id": f"bench-{os.getpid()}-{n}",
        "caller_id_name": "Bench Caller", "caller_id_number": "+15035550100",
        "call_start_date": 1714564800000000, "call_end_date": 1714564925000000,
        "post_prompt_data": {"raw": '{"reason": "appointment"}',
                             "parsed": [{"reason": "appointment"}]},
        "call_log": log}).encode()


# -- the servers -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode} before answering")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"no server on port {port} after {timeout}s")


def start_swmlc(repo: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SWML_BASIC_AUTH_USER": USER, "SWML_BASIC_AUTH_PASSWORD": PASSWORD}
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "serve", "--port", str(port)],
                            cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_ready(port, proc)
    return proc


def start_sdk(repo: Path, port: int) -> subprocess.Popen[bytes]:
    script = generate.sdk_script(0).replace(
        "print(agent._render_swml())  # what `swaig-test --dump-swml` calls",
        f"agent.serve(host='127.0.0.1', port={port})")
    (repo / "sdk_serve.py").write_text(script, encoding="utf-8")
    env = {**os.environ, "SWML_BASIC_AUTH_USER": USER, "SWML_BASIC_AUTH_PASSWORD": PASSWORD}
    proc = subprocess.Popen([sys.executable, "sdk_serve.py"], cwd=repo, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, proc)
    return proc


def check_answer(port: int, path: str) -> int:
    """One request by hand: a 200 holding a SWML document with its ai verb, or exit 1."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(post(path, SWML_BODY).replace(b"HTTP/1.1\r\n", b"HTTP/1.0\r\n", 1))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    doc = json.loads(body) if head.startswith(b"HTTP/1") and b" 200 " in head[:20] else None
    if not doc or not any("ai" in verb for verb in doc["sections"]["main"]):
        raise SystemExit(f"{path} on port {port} did not answer a SWML document: {head[:80]!r}")
    return len(body)


# -- the benchmark -----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=500_000, help="per measurement")
    parser.add_argument("--smoke", action="store_true", help="1 round of 1 s, 5 clients")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    if args.smoke:
        args.clients, args.seconds, args.rounds = 5, 1.0, 1
    sdk = util.find_spec("signalwire") is not None
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="swmlc-serve-bench-") as tmp:
        repo = Path(tmp) / "repo"
        generate.generate_repo(repo, 1, plain=True, fleet=False)
        agent = generate.agent_name(0)
        results = measure(repo, agent, args, sdk)
    report(results, args, sdk)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def measure(repo: Path, agent: str, args: argparse.Namespace, sdk: bool) -> dict[str, object]:
    swmlc_port, sdk_port = free_port(), free_port()
    servers = {"swmlc": start_swmlc(repo, swmlc_port)}
    if sdk:
        servers["sdk"] = start_sdk(repo, sdk_port)
    figures: dict[str, list[dict[str, float]]] = {"swml swmlc": [], "swml sdk": [],
                                                  "post_prompt swmlc": []}
    counter = iter(range(10**9))
    try:
        sizes = {"swmlc": check_answer(swmlc_port, f"/swml/{agent}")}
        if sdk:
            sizes["sdk"] = check_answer(sdk_port, f"/{agent}")
        swml = post(f"/swml/{agent}", SWML_BODY)
        sdk_swml = post(f"/{agent}", SWML_BODY)
        jobs = [("swml swmlc", swmlc_port, lambda: swml)]
        if sdk:
            jobs.append(("swml sdk", sdk_port, lambda: sdk_swml))
        jobs.append(("post_prompt swmlc", swmlc_port,
                     lambda: post(f"/post_prompt/{agent}", post_prompt_body(next(counter)))))
        for _name, port, make in jobs:  # warm-up, untimed
            load(port, make, args.clients, min(2.0, args.seconds), args.max_requests)
        for _ in range(args.rounds):
            for name, port, make in jobs:
                run = load(port, make, args.clients, args.seconds, args.max_requests)
                if run.errors:
                    raise SystemExit(f"{name}: {run.errors} of {run.requests} were not 200")
                figures[name].append({"rps": run.rps, "p50_ms": run.quantile(0.50),
                                      "p99_ms": run.quantile(0.99), "requests": run.requests})
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait(timeout=60)
    return {"figures": figures, "bytes": sizes, "agent": agent, "clients": args.clients,
            "seconds": args.seconds, "rounds": args.rounds, "machine": machine()}


def machine() -> dict[str, str]:
    versions = {}
    for dist in ("swmlc", "starlette", "uvicorn", "httptools", "signalwire-sdk", "fastapi"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {"python": platform.python_version(), "cpus": str(os.cpu_count()),
            "system": platform.platform(), **versions,
            "client loop": "uvloop" if util.find_spec("uvloop") else "asyncio",
            # the machine is shared: a busy neighbour shows here, and in the figures
            "load average (1 min)": f"{os.getloadavg()[0]:.2f}"}


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rows) if rows else 0.0


def report(results: dict[str, object], args: argparse.Namespace, sdk: bool) -> None:
    figures = results["figures"]
    assert isinstance(figures, dict)
    print(f"{args.clients} clients, {args.rounds} round(s) of {args.seconds:g} s, medians:")
    print(f"{'':24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, rows in figures.items():
        if rows:
            print(f"{name:24} {median(rows, 'rps'):9.0f} {median(rows, 'p50_ms'):8.1f} "
                  f"{median(rows, 'p99_ms'):8.1f}")
    ours, theirs = median(figures["swml swmlc"], "rps"), median(figures["swml sdk"], "rps")
    ratio = ours / theirs if sdk and theirs else 0.0
    p99 = median(figures["swml swmlc"], "p99_ms")
    print(f"ratio, POST /swml: {ratio:.1f}x the SDK's requests per second" if sdk
          else "ratio: n/a (signalwire-sdk is not installed)")
    print(f"target >= 3x the SDK: {'met' if ratio >= 3 else 'missed'}; "
          f"target p99 < 50 ms: {'met' if p99 < 50 else 'missed'} ({p99:.1f} ms)")
    print("machine: " + ", ".join(f"{k} {v}" for k, v in results["machine"].items()))


if __name__ == "__main__":
    raise SystemExit(main())
