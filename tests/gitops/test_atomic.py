"""Issue 5, point 4: atomic builds. A new build/ appears whole or not at all; a build killed at
any moment leaves the previous build intact; a lock keeps two builds from writing at once;
outputs of deleted agents are removed.

The kill tests run `swmlc build` in a subprocess through a small driver that announces each step
of the write (each file written, each file hard-linked, the swap, the clean-up), seen through
Python's audit events, and SIGKILLs itself just before the step the test chose: every moment of
the write is covered, deterministically. A second test kills plain `swmlc build` processes from
outside after a spread of delays."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from gitops_helpers import SAMPLE, leftovers, run_swmlc, snapshot, stats, swmlc_here, write_files

from compiler.build.build_dir import build_lock

#: The second state of the sample: the shared base changed (two outputs rewritten), `sales`
#: deleted (one output removed), `billing` added (one output created), the rest unchanged
#: (hard-linked into the new build).
CHANGES = {
    "agents/_base/voice.yaml": SAMPLE["agents/_base/voice.yaml"].replace("600", "900"),
    "agents/billing.yaml": "prompt:\n  text: You handle billing.\n",
}

DRIVER = textwrap.dedent('''
    """Run `swmlc build`, announcing each step of the write just before it happens (from
    Python's audit events, so no internals are patched); SIGKILL itself before step KILL_AT.
    SWAP=fallback makes the exchange unavailable, as on a kernel without renameat2."""
    import fcntl, os, signal, sys

    kill_at = int(os.environ.get("KILL_AT", "-1"))
    steps = 0

    def short(path):
        name = os.fsdecode(os.fspath(path)).rstrip("/").rsplit("/", 1)[-1]
        return name.split("-")[1] if name.startswith(".swmlc-") else name

    def staged(path):
        return "/.swmlc-new-" in os.fsdecode(os.fspath(path))

    def step(what):
        global steps
        if steps == kill_at:
            print("killed before " + what, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        print(what, flush=True)
        steps += 1

    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            mode, flags = args[1] or "", args[2] or 0
            if staged(args[0]) and ("w" in mode or flags & (os.O_WRONLY | os.O_RDWR)):
                step("write " + short(args[0]))
        elif event == "os.link" and staged(args[1]):
            step("link " + short(args[1]))
        elif event == "os.rename" and ".swmlc-" in os.fsdecode(os.fspath(args[0])) + \\
                os.fsdecode(os.fspath(args[1])) and ".stat" not in os.fsdecode(
                    os.fspath(args[1])):  # the stat cache is saved after the write, apart
            step("rename " + short(args[0]) + " -> " + short(args[1]))
        elif event == "ctypes.dlsym" and args[1] == "renameat2":  # looked up, then called
            step("swap")
        elif event == "shutil.rmtree" and ".swmlc-" in os.fsdecode(os.fspath(args[0])):
            step("rmtree " + short(args[0]))
        elif event == "fcntl.flock" and args[1] == fcntl.LOCK_EX:
            print("locking", flush=True)

    if os.environ.get("SWAP") == "fallback":
        import compiler.build.build_dir as bd
        bd._exchange = lambda a, b: False
    sys.addaudithook(hook)

    from compiler.cli import main
    sys.exit(main(["build"]))
''')


def _driver(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "driver.py"
    path.write_text(DRIVER)
    return path


def _run_driver(driver: Path, root: Path, kill_at: int = -1, swap: str = "exchange"
                ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KILL_AT=str(kill_at), SWAP=swap)
    return subprocess.run([sys.executable, str(driver)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def states(tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The complete build/ of the first and of the second state, built from scratch."""
    a = write_files(tmp_path / "state-a", SAMPLE)
    b = write_files(tmp_path / "state-b", SAMPLE)
    write_files(b, CHANGES)
    (b / "agents/sales.yaml").unlink()
    for root in (a, b):
        assert swmlc_here("build", cwd=root).returncode == 0
    old, new = snapshot(a / "build"), snapshot(b / "build")
    assert old != new and "sales.swml.json" in old and "billing.swml.json" in new
    return old, new


def _second_state(root: Path) -> None:
    write_files(root, CHANGES)
    (root / "agents/sales.yaml").unlink(missing_ok=True)


def _steps(driver: Path, root: Path, swap: str = "exchange") -> list[str]:
    """The steps of one complete write, from a run that is not killed."""
    run = _run_driver(driver, root, swap=swap)
    assert run.returncode == 0, run.stderr
    return [s for s in run.stdout.splitlines() if s != "locking"]


@pytest.mark.slow
@pytest.mark.parametrize("swap", ["exchange", "fallback"])
def test_killed_at_every_step_of_the_write(tmp_path: Path, states, swap: str) -> None:
    old, new = states
    driver = _driver(tmp_path)
    probe = write_files(tmp_path / "probe", SAMPLE)
    assert swmlc_here("build", cwd=probe).returncode == 0
    _second_state(probe)
    steps = _steps(driver, probe, swap)
    assert snapshot(probe / "build") == new
    # written: what changed or is new; hard-linked: what did not; sales: neither
    assert {"write billing.swml.json", "write support.swml.json", "write manifest.json",
            "link minimal.swml.json", "link clinic-north.swml.json"} <= set(steps)
    assert not any("sales" in s for s in steps)
    if swap == "fallback":
        assert steps[-3:] == ["rename build -> old", "rename new -> build", "rmtree old"]
    else:
        assert steps[-2:] == ["swap", "rmtree new"]
    swapped = {"exchange": {"rmtree new"}, "fallback": {"rmtree old"}}[swap]

    for kill_at, where in enumerate(steps):
        root = write_files(tmp_path / f"{swap}-{kill_at}", SAMPLE)
        assert swmlc_here("build", cwd=root).returncode == 0
        assert snapshot(root / "build") == old
        _second_state(root)
        killed = _run_driver(driver, root, kill_at, swap)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stdout, killed.stderr)
        assert killed.stdout.splitlines()[-1] == f"killed before {where}"
        build = root / "build"
        if build.exists():
            state = snapshot(build)
            assert state in (old, new), f"mixed build/ when killed before '{where}'"
            assert state == (new if where in swapped else old), where
        else:
            # only between the two renames of the fallback: the old build waits aside, whole
            assert (swap, where) == ("fallback", "rename new -> build")
            (aside,) = [p for p in root.iterdir() if p.name.startswith(".swmlc-old-build-")]
            assert snapshot(aside) == old
            with build_lock(build):  # what the next build does first: put it back
                pass
            assert snapshot(build) == old
            # (that the next build then also removes sales.swml.json is
            # test_build_after_an_interrupted_swap_sees_the_restored_build)
        # the next build repairs what was left and finishes the job
        after = swmlc_here("build", cwd=root)
        assert after.returncode == 0, after.stderr
        assert snapshot(build) == new, where
        assert leftovers(root) == [], where
        assert swmlc_here("check", cwd=root).returncode == 0


def _interrupt_fallback_swap(work: Path, root: Path) -> dict[str, tuple[int, int]]:
    """Build the first state in ``root``, then kill a build of the second state between
    `build -> .swmlc-old-*` and `.swmlc-new-* -> build` (the non-exchange swap). Returns the
    (inode, mtime_ns) of the first build's files."""
    driver = _driver(work)
    probe_root = write_files(work / "probe", SAMPLE)
    assert swmlc_here("build", cwd=probe_root).returncode == 0
    _second_state(probe_root)
    steps = _steps(driver, probe_root, "fallback")
    write_files(root, SAMPLE)
    assert swmlc_here("build", cwd=root).returncode == 0
    before = stats(root / "build")
    _second_state(root)
    killed = _run_driver(driver, root, steps.index("rename new -> build"), "fallback")
    assert killed.returncode == -signal.SIGKILL
    assert not (root / "build").exists()
    assert len([p for p in root.iterdir() if p.name.startswith(".swmlc-old-build-")]) == 1
    return before


def _first_state(root: Path) -> None:
    write_files(root, SAMPLE)
    (root / "agents/billing.yaml").unlink(missing_ok=True)


@pytest.mark.slow
def test_interrupted_fallback_swap_is_restored(tmp_path: Path, states) -> None:
    """The next build puts the old build back (the same files, not rebuilt)."""
    old, _new = states
    root = tmp_path / "p"
    before = _interrupt_fallback_swap(tmp_path, root)
    _first_state(root)  # back to the first state's sources: the old build is what they give
    result = swmlc_here("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert snapshot(root / "build") == old
    after = stats(root / "build")
    assert {k: v for k, v in after.items() if k != "."} == \
        {k: v for k, v in before.items() if k != "."}
    assert leftovers(root) == []
    assert swmlc_here("check", cwd=root).returncode == 0


@pytest.mark.slow
def test_build_after_an_interrupted_swap_sees_the_restored_build(tmp_path: Path) -> None:
    """The build that repairs an interrupted swap must then work from the restored build/:
    remove the outputs of agents deleted since (here `sales`), and reuse what is up to date.
    Reading build/manifest.json before taking the lock (and so before the repair) misses both."""
    root = tmp_path / "p"
    _interrupt_fallback_swap(tmp_path / "w1", root)
    result = swmlc_here("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert not (root / "build/sales.swml.json").exists()
    assert swmlc_here("check", cwd=root).returncode == 0

    root2 = tmp_path / "q"
    _interrupt_fallback_swap(tmp_path / "w2", root2)
    _first_state(root2)
    again = swmlc_here("build", cwd=root2)
    assert again.stderr == \
        "5 agents in build/: 0 compiled, 5 up to date (0 written, 6 unchanged)\n"


@pytest.mark.slow
def test_leftovers_of_a_killed_build_are_cleaned(sample: Path) -> None:
    assert swmlc_here("build", cwd=sample).returncode == 0
    good = snapshot(sample / "build")
    for name in (".swmlc-new-build-abc123", ".swmlc-old-build-def456"):
        (sample / name).mkdir()
        (sample / name / "support.swml.json").write_text("half written")
    (sample / "agents/minimal.yaml").write_text("prompt:\n  text: Changed.\n")
    assert swmlc_here("build", cwd=sample).returncode == 0
    assert leftovers(sample) == []
    assert snapshot(sample / "build")["support.swml.json"] == good["support.swml.json"]


@pytest.mark.slow
def test_first_build_killed(tmp_path: Path) -> None:
    """No build/ yet: a killed first build leaves no build/ (not a partial one)."""
    driver = _driver(tmp_path)
    probe = write_files(tmp_path / "probe", SAMPLE)
    steps = _steps(driver, probe)
    assert steps[-1] == "rename new -> build"
    assert len([s for s in steps if s.startswith("write ")]) == 6
    full = snapshot(probe / "build")
    for kill_at, where in enumerate(steps):
        root = write_files(tmp_path / f"p{kill_at}", SAMPLE)
        assert _run_driver(driver, root, kill_at).returncode == -signal.SIGKILL
        assert not (root / "build").exists(), where
        assert swmlc_here("build", cwd=root).returncode == 0
        assert snapshot(root / "build") == full and leftovers(root) == []


def _many_agents(version: int) -> dict[str, str]:
    files = {"agents/_base.yaml": f"params: {{end_of_speech_timeout: {600 + version}}}\n"}
    for i in range(60):
        files[f"agents/a{i:03}.yaml"] = (
            "extends: _base.yaml\n"
            f"prompt:\n  sections:\n    - title: Role\n      body: Agent {i}, version {version}.\n")
    return files


@pytest.mark.slow
def test_killed_from_outside_at_many_moments(tmp_path: Path) -> None:
    """Plain `swmlc build -j 1` processes killed with SIGKILL after a spread of delays, back and
    forth between two states: build/ is always exactly one of them."""
    states = {}
    for v in (1, 2):
        ref = write_files(tmp_path / f"ref{v}", _many_agents(v))
        t0 = time.monotonic()
        assert run_swmlc("build", "-j", "1", cwd=ref).returncode == 0
        duration = time.monotonic() - t0
        states[v] = snapshot(ref / "build")
    root = write_files(tmp_path / "p", _many_agents(1))
    assert swmlc_here("build", "-j", "1", cwd=root).returncode == 0
    env = dict(os.environ)
    for i in range(16):
        target = 2 if i % 2 == 0 else 1
        before = snapshot(root / "build")
        assert before in (states[1], states[2])
        write_files(root, _many_agents(target))
        proc = subprocess.Popen([sys.executable, "-m", "compiler", "build", "-j", "1"], cwd=root,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (0.3 + 0.9 * i / 15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = snapshot(root / "build")
        assert after in (before, states[target]), f"mixed build/ after kill {i}"
    assert swmlc_here("build", cwd=root).returncode == 0
    assert leftovers(root) == []


@pytest.mark.slow
def test_concurrent_builds(tmp_path: Path, states) -> None:
    """Four builds at once, from nothing and then towards a new state: all succeed, the result
    is the complete build of the sources, nothing is left aside."""
    old, new = states
    root = write_files(tmp_path / "p", SAMPLE)
    for expected in (old, new):
        procs = [subprocess.Popen([sys.executable, "-m", "compiler", "build"], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        for p in procs:
            _out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        assert snapshot(root / "build") == expected
        assert leftovers(root) == []
        _second_state(root)


@pytest.mark.slow
def test_concurrent_builds_in_threads(sample: Path) -> None:
    from compiler.build.compile import compile_project
    from compiler.project.options import Options

    assert swmlc_here("build", cwd=sample).returncode == 0
    expected_root = write_files(sample.parent / "expected", SAMPLE)
    write_files(expected_root, CHANGES)
    assert swmlc_here("build", cwd=expected_root).returncode == 0
    write_files(sample, CHANGES)
    errors: list[BaseException] = []
    results = []

    def build() -> None:
        try:
            results.append(compile_project(Options(root=sample, env=dict(os.environ))))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(results) == 4 and all(r.ok for r in results)
    assert snapshot(sample / "build") == snapshot(expected_root / "build")
    assert leftovers(sample) == []


@pytest.mark.slow
def test_the_lock_makes_a_second_build_wait(tmp_path: Path, states) -> None:
    old, new = states
    driver = _driver(tmp_path)
    root = write_files(tmp_path / "p", SAMPLE)
    assert swmlc_here("build", cwd=root).returncode == 0
    _second_state(root)
    with build_lock(root / "build"):
        proc = subprocess.Popen([sys.executable, str(driver)], cwd=root, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=dict(os.environ, KILL_AT="-1", SWAP="exchange"))
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "the build never reached the lock"
        assert proc.stdout.readline() == "locking\n"  # it compiled, now it waits for the lock
        time.sleep(1.0)
        assert proc.poll() is None
        assert snapshot(root / "build") == old
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "rmtree new"
    assert snapshot(root / "build") == new


@pytest.mark.slow
def test_the_lock_file_lives_beside_build(sample: Path) -> None:
    assert swmlc_here("build", cwd=sample).returncode == 0
    assert (sample / ".swmlc-build.lock").is_file()
    assert sorted(p.name for p in (sample / "build").iterdir()) == sorted(
        ["manifest.json", *(f"{a}.swml.json" for a in
                            ("clinic-north", "clinic-south", "minimal", "sales", "support"))])


@pytest.mark.slow
def test_build_folder_is_replaced_whole(sample: Path) -> None:
    """A build that changes something swaps in a new folder (a new inode), in which the files
    it did not change are the same files (hard links: same inode, same mtime)."""
    assert swmlc_here("build", cwd=sample).returncode == 0
    before = stats(sample / "build")
    write_files(sample, CHANGES)
    assert swmlc_here("build", cwd=sample).returncode == 0
    after = stats(sample / "build")
    assert after["."][0] != before["."][0]
    for same in ("clinic-north.swml.json", "clinic-south.swml.json", "minimal.swml.json"):
        assert after[same] == before[same]
    assert after["support.swml.json"][0] != before["support.swml.json"][0]
