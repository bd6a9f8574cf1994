"""Run the swmlc benchmark (issue 7) and print its figures beside its targets.

    python benchmarks/run.py --agents 1000              # the figures in docs/performance.md
    python benchmarks/run.py --agents 1000 --plain      # same agents, nothing composed
    python benchmarks/run.py --scaling 100,1000,2000    # time per agent as N grows
    python benchmarks/run.py --agents 20 --smoke        # CI: proves it runs, asserts no timing
    python benchmarks/run.py --running --agents 100     # exec, test and graph (running.py)

Why whole processes: users meet swmlc as a process (a terminal, a pre-commit hook, a CI step),
so start-up, imports and writing build/ are part of what they wait for. Every figure is the wall
time of one ``python -m compiler ...`` subprocess. Peak RSS comes from ``os.wait4`` for that
child alone (``RUSAGE_CHILDREN`` would keep the maximum over all children so far), which is its
largest single process; a build with worker processes is also sampled as a whole (TreeRss).

Why a floor: the build cannot be faster than reading its sources, so "full build" is reported
as a multiple of PyYAML's C loader plus ``json.dumps`` over the same files, run the same way (a
fresh process). That ratio, unlike seconds, carries over between machines.

Each figure is the median of ``--runs`` runs (default 5); ``--smoke`` makes one run of each and
skips the warm-up. The runner exits 0 whether targets pass or miss (targets are for people to
read, not for CI to enforce), and 1 if a build fails or writes the wrong documents.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata, util
from pathlib import Path
from typing import Any, Literal

import generate  # benchmarks/ is sys.path[0] when this file runs as a script

PROJECT = Path(__file__).resolve().parent.parent
SWMLC = (sys.executable, "-m", "compiler")
BUILD_DIR = "build"
MB = 1024 * 1024

# Row labels: tests/test_benchmark_smoke.py checks each one is printed.
FLOOR = "floor (CSafeLoader load + json.dumps)"
FULL = "full build"
NOOP = "no-op rebuild"
ONE_FILE = "one-file change rebuild"
SHARED = "shared include change rebuild"
CHECK = "no-op check"
CACHED = "full build from a restored cache"
COLD = "cold single-agent build"
VERSION = "swmlc --version"
SDK = "signalwire-sdk cold agent"
RSS = "peak RSS (full build)"
TREE_RSS = "peak RSS, all processes (full build)"

# The floor, run as a fresh process like the builds it is compared with.
FLOOR_SCRIPT = r"""
import csv, json, os, sys
import yaml
size = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(folder, name)
        if name.endswith((".yaml", ".yml")):
            with open(path, encoding="utf-8") as fh:
                data = yaml.load(fh.read(), Loader=yaml.CSafeLoader)
        elif name.endswith(".csv"):
            with open(path, encoding="utf-8", newline="") as fh:
                data = list(csv.DictReader(fh))
        else:
            continue
        size += len(json.dumps(data))
print(size)
"""


class BenchError(Exception):
    """A measured command failed: the figures would be meaningless, so the run stops."""


# --------------------------------------------------------------------------------------------
# Measuring one process


@dataclass(frozen=True)
class Sample:
    seconds: float  # wall time: what the user waits for
    cpu_seconds: float  # user + system time of the child: steadier on a busy machine
    max_rss_bytes: int  # the largest single process (the child or a worker it reaped)
    tree_rss_bytes: int | None = None  # the child and its workers together, sampled


def use_compiler(folder: Path) -> None:
    """Make children import ``compiler`` from ``folder`` (default: this checkout).

    Set once in this process's environment, which every child inherits. Pointing it at a copy
    lets a run measure a fixed snapshot while the checkout is being edited, or compare two
    versions of the compiler on the same repo.
    """
    if not (folder / "compiler" / "__init__.py").is_file():
        raise SystemExit(f"no compiler package in {folder}")
    rest = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder.resolve()), rest) if p)


def use_bytecode_cache(folder: Path | None) -> None:
    """Let children cache bytecode under ``folder``; with None, leave the environment as it is.

    Why: an installed tool runs from .pyc files (pip byte-compiles; a first run writes them),
    but a sandbox or CI may set PYTHONDONTWRITEBYTECODE, and then every swmlc process compiles
    its ~100 modules from source, which costs a cold start tens of milliseconds that users never
    pay. PYTHONPYCACHEPREFIX keeps those files out of the checkout and out of site-packages;
    the warm-up run fills it, for the compiler and the SDK alike.
    """
    if folder is None:
        return
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


def _env(compiler: Path | None = None) -> dict[str, str]:
    """The children's environment: ours (see use_compiler), with the SDK's logging off; with
    ``compiler``, children import the compiler package from that folder instead (A/B runs)."""
    env = dict(os.environ)
    env.setdefault("SIGNALWIRE_LOG_MODE", "off")
    if compiler is not None:
        rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p][1:]
        env["PYTHONPATH"] = os.pathsep.join([str(compiler.resolve()), *rest])
    return env


class TreeRss:
    """The peak of the summed RSS of a process and its descendants, sampled every 100 ms.

    Why: a build that forks workers has no single process holding its whole footprint, and
    ``wait4``'s ``ru_maxrss`` is the largest one process. RSS counts pages shared since the fork
    in every process, so the sum is an upper bound (PSS would be exact but costs a page-table
    walk per read). Linux only: elsewhere ``peak`` stays None.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval = pid, interval
        self.peak: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def __enter__(self) -> TreeRss:
        if Path("/proc/self/statm").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += children.get(pid, [])
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
                except (OSError, ValueError, IndexError):
                    continue
            self.peak = max(self.peak or 0, total)
            self._stop.wait(self.interval)


def run_process(cmd: Sequence[str], cwd: Path, *, tree_rss: bool = False,
                compiler: Path | None = None, extra_env: Mapping[str, str] | None = None
                ) -> Sample:
    """Run ``cmd`` to completion; its wall time, CPU time and peak RSS. Raise if it fails."""
    return run_process_err(cmd, cwd, tree_rss=tree_rss, compiler=compiler,
                           extra_env=extra_env)[0]


def run_process_err(cmd: Sequence[str], cwd: Path, *, tree_rss: bool = False,
                    compiler: Path | None = None, extra_env: Mapping[str, str] | None = None
                    ) -> tuple[Sample, str]:
    """As run_process, with what the process wrote to stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=err,
                                env={**_env(compiler), **(extra_env or {})})
        sampler = TreeRss(proc.pid) if tree_rss else None
        if sampler is None:
            _, status, usage = os.wait4(proc.pid, 0)
        else:
            with sampler:
                _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-3000:]
            raise BenchError(f"`{' '.join(cmd[:4])} ...` exited {code} in {cwd}:\n{tail}")
        err.seek(0)
        said = err.read().decode("utf-8", "replace")
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    scale = 1 if sys.platform == "darwin" else 1024
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale,
                  sampler.peak if sampler is not None else None), said


def clean(root: Path) -> None:
    """Remove build/ and any swmlc cache (``.swmlc-*``, per .gitignore): the next build is full."""
    shutil.rmtree(root / BUILD_DIR, ignore_errors=True)
    for entry in root.glob(".swmlc*"):
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink()


def build(root: Path, *, tree_rss: bool = False, compiler: Path | None = None) -> Sample:
    return run_process([*SWMLC, "build"], root, tree_rss=tree_rss, compiler=compiler)


# --------------------------------------------------------------------------------------------
# Figures


@dataclass
class Figure:
    label: str
    unit: Literal["s", "MB"]
    samples: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    def record(self, samples: Sequence[Sample]) -> None:
        self.samples = [s.seconds for s in samples]
        self.cpu = [s.cpu_seconds for s in samples]


def check_outputs(repo: generate.Repo) -> None:
    """A build that 'succeeds' without writing every agent would make the figures lie."""
    got = len(list((repo.root / BUILD_DIR).glob("*.swml.json")))
    if got != repo.outputs:
        raise BenchError(f"expected {repo.outputs} documents in {repo.root / BUILD_DIR}, "
                         f"found {got}")


def edit_leaf(repo: generate.Repo, original: str, run: int) -> str:
    """Change one string in the last leaf agent, differently each run; return the new text."""
    marker = f"{generate.EDIT_ANCHOR} (edit {run})"
    text = original.replace(generate.EDIT_ANCHOR, marker, 1)
    (repo.root / repo.leaf_files[-1]).write_text(text, encoding="utf-8")
    return marker


def measure_repo(repo: generate.Repo, runs: int, warm_up: bool) -> dict[str, Figure]:
    """Floor, full build, no-op rebuild, one-file change and peak RSS on one generated repo.

    The floor and the full build alternate run by run, so that load from other work on the
    machine falls on both sides of their ratio alike.
    """
    root = repo.root
    figs = {"floor": Figure(FLOOR, "s"), "full": Figure(FULL, "s"), "noop": Figure(NOOP, "s"),
            "one_file": Figure(ONE_FILE, "s"), "rss": Figure(RSS, "MB"),
            "tree_rss": Figure(TREE_RSS, "MB")}
    floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, generate.AGENTS_DIR]
    if warm_up:  # the same warm page cache and .pyc files for every timed run
        run_process(floor_cmd, root)
        clean(root)
        build(root)
    floors, fulls = [], []
    for _ in range(runs):
        floors.append(run_process(floor_cmd, root))
        clean(root)
        fulls.append(build(root, tree_rss=True))
        check_outputs(repo)
    figs["floor"].record(floors)
    figs["full"].record(fulls)
    figs["rss"].samples = [s.max_rss_bytes / MB for s in fulls]
    figs["rss"].note = "the largest single process (os.wait4)"
    figs["tree_rss"].samples = [s.tree_rss_bytes / MB for s in fulls if s.tree_rss_bytes]
    figs["tree_rss"].note = "the build and its workers summed, sampled every 0.1 s (upper bound)"
    figs["noop"].record([build(root) for _ in range(runs)])

    leaf = root / repo.leaf_files[-1]
    original = leaf.read_text(encoding="utf-8")
    out_doc = root / BUILD_DIR / f"{leaf.stem}.swml.json"
    edits = []
    for i in range(runs):
        marker = edit_leaf(repo, original, i)
        edits.append(build(root))
        if marker not in out_doc.read_text(encoding="utf-8"):
            raise BenchError(f"the rebuild after editing {leaf} did not update {out_doc}")
    leaf.write_text(original, encoding="utf-8")
    build(root)  # build/ as the sources say again, for the figures that follow
    figs["one_file"].record(edits)
    figs["one_file"].note = f"edits {repo.leaf_files[-1]}"
    if repo.desk_files:
        figs["shared"] = measure_shared(repo, runs)
    figs["check"] = measure_check(repo, runs)
    figs["cached"] = measure_cached(repo, runs)
    return figs


def _compiled(sample_err: str) -> int:
    """How many agents a build compiled, from its summary ("N agents in build/: K compiled")."""
    for line in sample_err.splitlines():
        if " compiled, " in line:
            return int(line.split(": ", 1)[1].split(" compiled", 1)[0])
    raise BenchError(f"no build summary in: {sample_err[-500:]}")


def measure_shared(repo: generate.Repo, runs: int) -> Figure:
    """A desk include that DESK_SIZE agents read changes: only those agents are rebuilt."""
    desk = repo.root / repo.desk_files[-1]
    original = desk.read_text(encoding="utf-8")
    samples = []
    for i in range(runs):
        desk.write_text(f"{original}# edit {i}\n", encoding="utf-8")
        sample, err = run_process_err([*SWMLC, "build"], repo.root)
        if (got := _compiled(err)) != generate.DESK_SIZE:
            raise BenchError(f"editing {desk} rebuilt {got} agents, not {generate.DESK_SIZE}")
        samples.append(sample)
    desk.write_text(original, encoding="utf-8")
    build(repo.root)
    fig = Figure(SHARED, "s", note=f"edits {repo.desk_files[-1]}, read by "
                 f"{generate.DESK_SIZE} agents: {generate.DESK_SIZE} compiled")
    fig.record(samples)
    return fig


def measure_check(repo: generate.Repo, runs: int) -> Figure:
    """``swmlc check`` on the unchanged repo, answered from its record (SWMLC_CACHE_DIR; the
    first check, untimed, leaves it)."""
    cache = repo.root.parent / "check-records"
    env = {"SWMLC_CACHE_DIR": str(cache)}
    run_process([*SWMLC, "check"], repo.root, extra_env=env)
    fig = Figure(CHECK, "s", note="swmlc check, record in SWMLC_CACHE_DIR (its first run "
                 "compiles and leaves it)")
    fig.record([run_process([*SWMLC, "check"], repo.root, extra_env=env) for _ in range(runs)])
    shutil.rmtree(cache, ignore_errors=True)
    return fig


def measure_cached(repo: generate.Repo, runs: int) -> Figure:
    """A CI job restoring SWMLC_CACHE_DIR from the previous run: build/ empty, one agent edited
    since; ``-v`` says the hit rate."""
    cache = repo.root.parent / "unit-cache"
    env = {"SWMLC_CACHE_DIR": str(cache)}
    clean(repo.root)
    run_process([*SWMLC, "build"], repo.root, extra_env=env)  # the previous run fills it
    leaf = repo.root / repo.leaf_files[0]
    original = leaf.read_text(encoding="utf-8")
    samples, said = [], ""
    for i in range(runs):
        edit_leaf_at(leaf, original, i)
        clean(repo.root)
        sample, err = run_process_err([*SWMLC, "build", "-v"], repo.root, extra_env=env)
        samples.append(sample)
        said = next((line for line in err.splitlines() if line.startswith("cache:")), "")
    leaf.write_text(original, encoding="utf-8")
    shutil.rmtree(cache, ignore_errors=True)
    clean(repo.root)
    build(repo.root)
    fig = Figure(CACHED, "s", note=f"build/ empty, one agent edited; -v: {said}")
    fig.record(samples)
    return fig


def edit_leaf_at(leaf: Path, original: str, run: int) -> None:
    leaf.write_text(original.replace(generate.EDIT_ANCHOR,
                                     f"{generate.EDIT_ANCHOR} (cache {run})", 1),
                    encoding="utf-8")


def measure_single(workdir: Path, plain: bool, seed: int, runs: int,
                   warm_up: bool) -> dict[str, Figure]:
    """The cold single-agent build, --version, and the SDK building the same agent.

    The three alternate run by run, for the same reason as in measure_repo.
    """
    mini = generate.generate_repo(workdir / "single", 1, seed=seed, plain=plain, fleet=False)
    figs = {"cold": Figure(COLD, "s", note=f"{mini.leaf_files[0]} alone, build/ removed first"),
            "version": Figure(VERSION, "s", note="python -m compiler --version"),
            "sdk": Figure(SDK, "s")}
    sdk_cmd: list[str] | None = None
    if util.find_spec("signalwire") is None:
        figs["sdk"].note = "n/a: signalwire-sdk is not installed"
    else:
        script = generate.sdk_script(0, seed)
        (mini.root / "sdk_agent.py").write_text(script, encoding="utf-8")
        sdk_cmd = [sys.executable, "-c", script]
        figs["sdk"].note = (f"signalwire-sdk {metadata.version('signalwire-sdk')}: import, "
                            "build, _render_swml() in python -c")
    version_cmd = [*SWMLC, "--version"]
    if warm_up:
        clean(mini.root)
        build(mini.root)
        run_process(version_cmd, mini.root)
        if sdk_cmd is not None:
            run_process(sdk_cmd, mini.root)
    colds, versions, sdks = [], [], []
    for _ in range(runs):
        clean(mini.root)
        colds.append(build(mini.root))
        check_outputs(mini)
        versions.append(run_process(version_cmd, mini.root))
        if sdk_cmd is not None:
            sdks.append(run_process(sdk_cmd, mini.root))
    figs["cold"].record(colds)
    figs["version"].record(versions)
    figs["sdk"].record(sdks)
    return figs


# --------------------------------------------------------------------------------------------
# Scaling


@dataclass(frozen=True)
class ScalePoint:
    agents: int
    documents: int
    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    tree_rss_mb: float | None

    @property
    def ms_per_document(self) -> float:
        return 1000 * self.seconds / self.documents


def measure_scaling(workdir: Path, sizes: Sequence[int], plain: bool, seed: int, runs: int,
                    warm_up: bool) -> list[ScalePoint]:
    points = []
    for n in sizes:
        repo = generate.generate_repo(workdir / f"scale-{n}", n, seed=seed, plain=plain)
        if warm_up:
            build(repo.root)
        samples = []
        for _ in range(runs):
            clean(repo.root)
            samples.append(build(repo.root, tree_rss=True))
            check_outputs(repo)
        trees = [s.tree_rss_bytes for s in samples if s.tree_rss_bytes]
        points.append(ScalePoint(n, repo.outputs, statistics.median(s.seconds for s in samples),
                                 statistics.median(s.cpu_seconds for s in samples),
                                 max(s.max_rss_bytes for s in samples) / MB,
                                 max(trees) / MB if trees else None))
        shutil.rmtree(repo.root, ignore_errors=True)  # 10,000 agents is ~120 MB of YAML
    return points


def marginal_ms(points: Sequence[ScalePoint]) -> list[float]:
    """Milliseconds per extra document between consecutive sizes (start-up cancels out)."""
    return [1000 * (b.seconds - a.seconds) / (b.documents - a.documents)
            for a, b in itertools.pairwise(points)]


# --------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class Target:
    name: str
    status: Literal["PASS", "MISS", "n/a"]
    detail: str


def _at_most(name: str, value: float | None, limit: float, fmt: Callable[[float], str],
             why_na: str = "not measured") -> Target:
    if value is None:
        return Target(name, "n/a", why_na)
    if value <= limit:
        return Target(name, "PASS", f"{fmt(value)} (limit {fmt(limit)})")
    return Target(name, "MISS", f"{fmt(value)}: {value / limit:.2f}x the limit of {fmt(limit)}")


def _secs(v: float) -> str:
    return f"{v:.3f} s"


def _ratio(v: float) -> str:
    return f"{v:.2f}x"


def _ratio_of(a: Figure | None, b: Figure | None) -> float | None:
    if a is None or b is None or a.median is None or not b.median:
        return None
    return a.median / b.median


def evaluate(agents: int | None, figs: Mapping[str, Figure],
             scaling: Sequence[ScalePoint]) -> list[Target]:
    """Issue 17's targets (issue 7's, tightened)."""
    at_n = f" (at N={agents:,}; target is for 1,000)" if agents not in (None, 1000) else ""
    cold, sdk = figs.get("cold"), figs.get("sdk")
    speedup = _ratio_of(sdk, cold)
    if speedup is None:
        targets = [Target("cold single-agent build >= 6x faster than signalwire-sdk", "n/a",
                          sdk.note if sdk else "not measured")]
    else:
        ok = speedup >= 6
        targets = [Target(
            "cold single-agent build >= 6x faster than signalwire-sdk",
            "PASS" if ok else "MISS",
            f"{speedup:.2f}x faster" + ("" if ok else
                                         f": needs {6 / speedup:.2f}x less time to reach 6x"))]
    check = figs.get("check")
    targets += [
        _at_most("no-op swmlc check < 0.1 s", check.median if check else None, 0.1, _secs),
        _at_most("full build <= 2x floor" + at_n, _ratio_of(figs.get("full"), figs.get("floor")),
                 2.0, _ratio),
        _at_most("no-op rebuild <= 3% of full build",
                 _ratio_of(figs.get("noop"), figs.get("full")), 0.03,
                 lambda v: f"{100 * v:.1f}%"),
        _at_most("one-file change rebuilt <= 0.3 s" + at_n,
                 figs["one_file"].median if "one_file" in figs else None, 0.3, _secs),
        _at_most("shared include (10 agents) rebuilt <= 0.3 s" + at_n,
                 figs["shared"].median if "shared" in figs else None, 0.3, _secs),
    ]
    # The whole build's footprint: workers included (sampled) when known, else one process.
    big = [p.tree_rss_mb or p.max_rss_mb for p in scaling if p.agents >= 10_000]
    if agents is not None and agents >= 10_000 and "rss" in figs:
        big += figs["tree_rss"].samples or figs["rss"].samples
    targets.append(_at_most("10,000 agents within 400 MB peak RSS", max(big) if big else None,
                            400, lambda v: f"{v:.0f} MB",
                            "needs --agents 10000 or --scaling ...,10000"))
    marg = marginal_ms(scaling)
    if len(marg) < 2:
        targets.append(Target("build time linear in N", "n/a",
                              "needs --scaling with at least 3 sizes"))
    else:
        growth = marg[-1] / marg[0]
        targets.append(Target(
            "build time linear in N", "PASS" if growth <= 1.25 else "MISS",
            f"marginal ms/document {marg[0]:.2f} -> {marg[-1]:.2f} ({growth:.2f}x; "
            "limit 1.25x)"))
    version = figs.get("version")
    targets.append(_at_most("swmlc --version <= 0.1 s", version.median if version else None,
                            0.1, _secs))
    return targets


# --------------------------------------------------------------------------------------------
# Machine facts and printing


def machine() -> dict[str, Any]:
    """What the figures came from: they mean little without it."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "unknown"
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions: dict[str, str | None] = {}
    for dist in ("swmlc", "PyYAML", "jsonschema-rs", "Jinja2", "signalwire-sdk"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {"cpu": model, "nproc": nproc, "memory_gib": mem, "platform": platform.platform(),
            "python": platform.python_version(), "packages": versions}


def _load() -> str:
    """1, 5 and 15-minute load averages: a busy machine explains a slow or scattered run."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _fmt(fig: Figure) -> str:
    if fig.median is None:
        return "n/a"
    return f"{fig.median:.0f} MB" if fig.unit == "MB" else f"{fig.median:.3f} s"


def table(figs: Mapping[str, Figure]) -> list[str]:
    """One row per figure: wall-time median, min and max, CPU median, and the ratio that matters.

    Ratios are given by wall time and, in brackets, by CPU time: on a machine shared with other
    work the CPU ratio is the steadier of the two.
    """

    def rel(key: str, base: str, how: str) -> str:
        a, b = figs.get(key), figs.get(base)
        r = _ratio_of(a, b)
        if r is None or a is None or b is None:
            return ""
        cpu = a.cpu_median / b.cpu_median if a.cpu_median and b.cpu_median else None
        if how == "%":
            said = f"{100 * r:.1f}% of full build"
            return said + (f" (cpu {100 * cpu:.1f}%)" if cpu is not None else "")
        return f"{r:.2f}x {how}" + (f" (cpu {cpu:.2f}x)" if cpu is not None else "")

    ratios = {"floor": rel("floor", "floor", "floor"), "full": rel("full", "floor", "floor"),
              "noop": rel("noop", "full", "%"), "one_file": rel("one_file", "full", "%"),
              "shared": rel("shared", "full", "%"), "cached": rel("cached", "full", "%"),
              "sdk": rel("sdk", "cold", "the cold single-agent build")}
    rows = [f"{'figure':<38} {'median':>9} {'min':>8} {'max':>8} {'cpu':>8}  ratio / note"]
    for key in ("floor", "full", "noop", "check", "one_file", "shared", "cached", "cold",
                "version", "sdk", "rss", "tree_rss"):
        if key not in figs:
            continue
        fig = figs[key]
        lo = hi = cpu = ""
        if fig.samples:
            unit, digits = (" MB", 0) if fig.unit == "MB" else ("", 3)
            lo = f"{min(fig.samples):.{digits}f}{unit}"
            hi = f"{max(fig.samples):.{digits}f}{unit}"
        if fig.cpu_median is not None:
            cpu = f"{fig.cpu_median:.3f}"
        note = "; ".join(x for x in (ratios.get(key, ""), fig.note) if x)
        rows.append(f"{fig.label:<38} {_fmt(fig):>9} {lo:>8} {hi:>8} {cpu:>8}  {note}")
    return rows


def repo_facts(repo: generate.Repo) -> dict[str, int]:
    files = [p for p in (repo.root / generate.AGENTS_DIR).rglob("*") if p.is_file()]
    return {"source_files": len(files), "source_bytes": sum(p.stat().st_size for p in files),
            "documents": repo.outputs}


# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--agents", type=int, help="N: agents in the generated repo")
    p.add_argument("--runs", type=int, default=5, help="runs per figure; medians are printed")
    p.add_argument("--smoke", action="store_true",
                   help="one run of each, no warm-up: proves the benchmark works end to end")
    p.add_argument("--plain", action="store_true",
                   help="measure the plain repo (no extends/include/vars/fleet)")
    p.add_argument("--scaling", help="comma-separated sizes, e.g. 100,1000,2000")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    p.add_argument("--workdir", type=Path, help="where to generate (default: a temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the generated repos")
    p.add_argument("--compiler-path", type=Path, default=PROJECT, metavar="DIR",
                   help="folder holding the compiler package to measure (default: this checkout)")
    p.add_argument("--running", action="store_true",
                   help="measure running agents instead (benchmarks/running.py): exec beside "
                   "swaig-test, the evaluator beside the SDK's, swmlc test over N agents")
    p.add_argument("--no-pyc", action="store_true",
                   help="don't give children a bytecode cache (measure as the environment is)")
    args = p.parse_args(argv)
    if args.agents is None and not args.scaling:
        p.error("give --agents N, --scaling N1,N2,..., or both")
    if args.smoke:
        args.runs = 1
    if args.runs < 1 or (args.agents is not None and args.agents < 1):
        p.error("--runs and --agents must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    use_compiler(args.compiler_path)
    warm_up = not args.smoke
    kind = "plain" if args.plain else "composed"
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="swmlc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    use_bytecode_cache(None if args.no_pyc else workdir / "pycache")
    sizes = [int(x) for x in args.scaling.split(",")] if args.scaling else []
    mach = machine()
    print(f"machine: {mach['cpu']}, {mach['nproc']} cores, {mach['memory_gib']} GiB, "
          f"{mach['platform']}, Python {mach['python']}")
    print(f"command: {' '.join(['python', 'benchmarks/run.py', *sys.argv[1:]])}")
    where = subprocess.run([sys.executable, "-c", "import compiler; print(compiler.__file__)"],
                           capture_output=True, text=True, env=_env()).stdout.strip()
    if not Path(where).resolve().is_relative_to(args.compiler_path.resolve()):
        # an editable install's import hook comes before PYTHONPATH: measuring it instead would
        # print another compiler's figures under this one's name
        print(f"--compiler-path {args.compiler_path}: children import {where} instead "
              "(an editable install of swmlc wins over PYTHONPATH; run from a venv without it)",
              file=sys.stderr)
        return 2
    said = subprocess.run([*SWMLC, "--version"], capture_output=True, text=True, env=_env())
    mach["compiler"] = f"{said.stdout.strip() or 'unknown'} from {args.compiler_path.resolve()}"
    print(f"compiler: {mach['compiler']}")
    mach["bytecode"] = ("as the environment has it" if args.no_pyc else
                        "cached (PYTHONPYCACHEPREFIX in the work folder, filled by the warm-up)")
    print(f"bytecode: {mach['bytecode']}")
    load_start = _load()
    print(f"load average at start: {load_start} (other work on the machine skews wall times)")
    figs: dict[str, Figure] = {}
    facts: dict[str, int] = {}
    points: list[ScalePoint] = []
    try:
        if args.running:
            return _running(args, workdir, warm_up, mach)
        if args.agents is not None:
            start = time.perf_counter()
            repo = generate.generate_repo(workdir / "repo", args.agents, seed=args.seed,
                                          plain=args.plain)
            facts = repo_facts(repo)
            print(f"repo: {args.agents:,} agents + {repo.fleet_rows:,} fleet rows ({kind}): "
                  f"{facts['source_files']:,} source files, "
                  f"{facts['source_bytes'] / MB:.1f} MB, {repo.outputs:,} documents "
                  f"(generated in {time.perf_counter() - start:.1f} s)")
            print(f"runs: {args.runs} per figure{'' if warm_up else ', no warm-up'}; medians\n")
            figs.update(measure_repo(repo, args.runs, warm_up))
            figs.update(measure_single(workdir, args.plain, args.seed, args.runs, warm_up))
            print("\n".join(table(figs)))
        if sizes:
            points = measure_scaling(workdir, sizes, args.plain, args.seed, args.runs, warm_up)
            print(f"\nscaling ({kind}, full build, median of {args.runs}):")
            print(f"{'agents':>8} {'documents':>10} {'seconds':>9} {'cpu s':>8} {'ms/doc':>8} "
                  f"{'marginal ms/doc':>16} {'RSS 1 proc':>11} {'RSS all':>8}")
            marg = [None, *marginal_ms(points)]
            for p, m in zip(points, marg, strict=True):
                tree = "" if p.tree_rss_mb is None else f"{p.tree_rss_mb:.0f} MB"
                print(f"{p.agents:>8,} {p.documents:>10,} {p.seconds:>9.3f} "
                      f"{p.cpu_seconds:>8.3f} {p.ms_per_document:>8.2f} "
                      f"{'' if m is None else f'{m:.2f}':>16} {p.max_rss_mb:>8.0f} MB "
                      f"{tree:>8}")
    except BenchError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    mach["load_average"] = {"start": load_start, "end": _load()}
    print(f"\nload average at end: {mach['load_average']['end']}")
    targets = evaluate(args.agents, figs, points)
    print("\ntargets:")
    width = max(len(t.name) for t in targets)
    for t in targets:
        print(f"  {t.status:<4}  {t.name:<{width}}  {t.detail}")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": mach, "argv": sys.argv[1:], "kind": kind, "agents": args.agents,
            "runs": args.runs, "repo": facts,
            "figures": {k: {**asdict(f), "median": f.median, "cpu_median": f.cpu_median}
                        for k, f in figs.items()},
            "scaling": [{**asdict(p), "ms_per_document": p.ms_per_document} for p in points],
            "targets": [asdict(t) for t in targets],
        }, indent=2) + "\n", encoding="utf-8")
    return 0


def _running(args: argparse.Namespace, workdir: Path, warm_up: bool,
             mach: dict[str, Any]) -> int:
    """The running-agents figures (benchmarks/running.py), printed and optionally saved."""
    import running

    n = args.agents or 100
    print(f"runs: {args.runs} per figure{'' if warm_up else ', no warm-up'}; medians\n")
    figs, notes = running.measure_running(workdir, n, args.runs, warm_up)
    print("\n".join(running.table(figs, notes)))
    mach["load_average"] = {"end": _load()}
    print(f"\nload average at end: {mach['load_average']['end']}")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": mach, "argv": sys.argv[1:], "agents": n, "runs": args.runs,
            "figures": {k: {**asdict(f), "median": f.median} for k, f in figs.items()},
            "notes": notes}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
