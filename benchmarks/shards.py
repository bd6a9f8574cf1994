"""Where a repository past one machine lands with shards (issue 17, point 4): measured shard
builds and a merge, and the projection to a bigger repo.

    python benchmarks/shards.py --agents 10000 --shards 8,32 --project 100000

For each N in ``--agents``, on the generated composed repo: every shard of the first split
(``swmlc build --shard K/N -o shards/sK``, one after another: on CI they run side by side on
their own machines, so a shard's time is what a runner waits for), shard 1 of each other split,
and ``swmlc merge`` over the first split's folders. Peak RSS per process (``os.wait4``).

The projection: a shard's time is ``fixed + per_repo * N + per_doc * N / shards`` (the start,
discovery and the cost split, which every shard does over the whole repository, and the shard's
own documents); the two splits measured at the same N give ``per_doc`` and ``fixed + per_repo *
N``; two values of N separate ``fixed`` from ``per_repo``. The merge is taken as linear in the
documents (it reads, checks and writes each once).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import generate  # benchmarks/ is sys.path[0] when this file runs as a script
import run

MB = 1024 * 1024


def measure(workdir: Path, agents: int, splits: Sequence[int]) -> dict[str, float]:
    repo = generate.generate_repo(workdir / f"repo-{agents}", agents)
    root, first = repo.root, splits[0]
    run.build(root)  # warm-up: page cache and bytecode
    run.clean(root)
    out: dict[str, float] = {"agents": agents, "documents": repo.outputs}
    times, rss = [], []
    for k in range(1, first + 1):
        s = run.run_process([*run.SWMLC, "build", "--shard", f"{k}/{first}", "-o",
                             f"shards/s{k}"], root)
        times.append(s.seconds)
        rss.append(s.max_rss_bytes / MB)
    out[f"shard_max_{first}"], out[f"shard_median_{first}"] = max(times), statistics.median(times)
    out[f"shard_rss_{first}"] = max(rss)
    for n in splits[1:]:
        s = run.run_process([*run.SWMLC, "build", "--shard", f"1/{n}", "-o", "shards/one"], root)
        out[f"shard_median_{n}"] = s.seconds
        out[f"shard_rss_{n}"] = s.max_rss_bytes / MB
    s = run.run_process([*run.SWMLC, "merge", *(f"shards/s{k}" for k in range(1, first + 1))],
                        root)
    out["merge"], out["merge_rss"] = s.seconds, s.max_rss_bytes / MB
    run.check_outputs(repo)
    shutil.rmtree(root, ignore_errors=True)
    return out


def project(points: Sequence[dict[str, float]], splits: Sequence[int], target: int
            ) -> list[str]:
    a, b = splits[0], splits[-1]
    fits = []
    for p in points:  # t = c + d / shards, with c = fixed + per_repo * N, d = per_doc * N
        ta, tb = p[f"shard_median_{a}"], p[f"shard_median_{b}"]
        d = (ta - tb) / (1 / a - 1 / b)
        fits.append((p["documents"], ta - d / a, d / p["documents"]))
    (n1, c1, _), (n2, c2, _) = fits[0], fits[-1]
    per_repo = (c2 - c1) / (n2 - n1) if n2 != n1 else 0.0
    fixed = c1 - per_repo * n1
    per_doc = fits[-1][2]
    docs = target * fits[-1][0] / points[-1]["agents"]
    merge_per_doc = points[-1]["merge"] / points[-1]["documents"]
    lines = [f"fit: fixed {fixed:.2f} s, per repo document {1000 * per_repo:.3f} ms, "
             f"per shard document {1000 * per_doc:.3f} ms, merge {1000 * merge_per_doc:.3f} "
             "ms per document"]
    for n in splits:
        shard = fixed + per_repo * docs + per_doc * docs / n
        lines.append(f"{target:,} agents ({docs:,.0f} documents), {n} shards: each shard "
                     f"~{shard:.0f} s, merge ~{merge_per_doc * docs:.0f} s, wall "
                     f"~{shard + merge_per_doc * docs:.0f} s plus the runners' set-up")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--agents", default="1000,10000", help="comma-separated repo sizes")
    p.add_argument("--shards", default="8,32", help="comma-separated splits (the first built "
                   "whole and merged)")
    p.add_argument("--project", type=int, default=100_000, help="agents to project to")
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.agents.split(",")]
    splits = [int(x) for x in args.shards.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="swmlc-shards-"))
    run.use_bytecode_cache(workdir / "pycache")
    print(f"load average at start: {run._load()}")
    try:
        points = [measure(workdir, n, splits) for n in sizes]
    except run.BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for pt in points:
        print(", ".join(f"{k} {v:,.3f}" if isinstance(v, float) else f"{k} {v:,}"
                        for k, v in pt.items()))
    print("\n".join(project(points, splits, args.project)))
    print(f"load average at end: {run._load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
