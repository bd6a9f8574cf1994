"""Two versions of the compiler, measured side by side in one run (``--against DIR``).

Why interleaved: on a shared machine, load changes from minute to minute; measuring version A
for a while and then version B puts that change into their ratio. Here every run measures both,
in alternating order, on the same generated repo, and the ratio of medians is printed.

Children get a bytecode cache, as in run.py (``use_bytecode_cache``): an installed swmlc runs
from .pyc files, so with PYTHONDONTWRITEBYTECODE set (as in some sandboxes) every process would
otherwise compile each module it imports from source, a cost users never pay that grows with the
size of the code, not with what it does. ``--no-pyc`` measures the environment as it is.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

import generate
from run import (
    SWMLC,
    BenchError,
    build,
    check_outputs,
    clean,
    edit_leaf,
    run_process,
    use_bytecode_cache,
)

ROWS = ("full build", "no-op rebuild", "one-file change rebuild", "cold single-agent build",
        "swmlc --version")


def _one(repo: generate.Repo, mini: generate.Repo, compiler: Path, run: int
         ) -> dict[str, float]:
    """Each figure once, with ``compiler``; the repo is left as it was found."""
    out: dict[str, float] = {}
    clean(repo.root)
    out["full build"] = build(repo.root, compiler=compiler).seconds
    check_outputs(repo)
    out["no-op rebuild"] = build(repo.root, compiler=compiler).seconds
    leaf = repo.root / repo.leaf_files[-1]
    original = leaf.read_text(encoding="utf-8")
    edit_leaf(repo, original, run)
    out["one-file change rebuild"] = build(repo.root, compiler=compiler).seconds
    leaf.write_text(original, encoding="utf-8")
    clean(mini.root)
    out["cold single-agent build"] = build(mini.root, compiler=compiler).seconds
    out["swmlc --version"] = run_process([*SWMLC, "--version"], mini.root,
                                         compiler=compiler).seconds
    return out


def compare(workdir: Path, agents: int, runs: int, this: Path, other: Path, *, seed: int = 0,
            plain: bool = False, pyc: bool = True) -> list[str]:
    """The table of medians for ``this`` and ``other`` compiler folders, and their ratio."""
    repo = generate.generate_repo(workdir / "ab-repo", agents, seed=seed, plain=plain)
    mini = generate.generate_repo(workdir / "ab-single", 1, seed=seed, plain=plain, fleet=False)
    samples: dict[Path, dict[str, list[float]]] = {c: {r: [] for r in ROWS} for c in (this, other)}
    for compiler in (this, other):  # warm-up: page cache and .pyc files for both
        _one(repo, mini, compiler, -1)
    for run in range(runs):
        for compiler in ((this, other) if run % 2 == 0 else (other, this)):
            for row, seconds in _one(repo, mini, compiler, run).items():
                samples[compiler][row].append(seconds)
    lines = [f"A/B, {agents:,} agents ({'plain' if plain else 'composed'}), {runs} runs, "
             f"alternating, {'bytecode cached' if pyc else 'no bytecode cache'}; medians in "
             "seconds",
             f"  this:  {this}", f"  other: {other}",
             f"{'figure':<26} {'this':>9} {'other':>9} {'this/other':>11}"]
    for row in ROWS:
        a, b = statistics.median(samples[this][row]), statistics.median(samples[other][row])
        lines.append(f"{row:<26} {a:>9.3f} {b:>9.3f} {a / b:>10.2f}x")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import tempfile

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--against", type=Path, required=True, metavar="DIR",
                   help="folder holding the other compiler package (e.g. a git worktree)")
    p.add_argument("--agents", type=int, default=1000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--plain", action="store_true")
    p.add_argument("--no-pyc", action="store_true",
                   help="don't give children a bytecode cache (measure as the environment is)")
    args = p.parse_args(argv)
    this = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="swmlc-ab-") as tmp:
        use_bytecode_cache(None if args.no_pyc else Path(tmp) / "pycache")
        try:
            print("\n".join(compare(Path(tmp), args.agents, args.runs, this, args.against,
                                    plain=args.plain, pyc=not args.no_pyc)))
        except BenchError as exc:
            print(f"benchmark failed: {exc}")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
