"""Issue 5, point 6: `swmlc watch` rebuilds when any file in any agent's include graph changes
(watchfiles), prints diagnostics, and keeps running after a bad edit."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gitops_helpers import SAMPLE_AGENTS

from compiler.build.compile import CompileResult
from compiler.features.watch import watch_project
from compiler.project.options import Options
from tests.conftest import interruptible

# Real file watchers and a real `swmlc watch` process: each test waits on file events.
pytestmark = pytest.mark.slow

N = len(SAMPLE_AGENTS)
WAIT = 20.0  # seconds a rebuild may take to show up (file events are debounced)


class Watcher:
    """watch_project in a thread; each result lands in a queue."""

    def __init__(self, options: Options) -> None:
        self.results: queue.Queue[CompileResult] = queue.Queue()
        self.stop = threading.Event()
        self.started = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(options,), daemon=True)
        self.thread.start()

    def _run(self, options: Options) -> None:
        try:
            for result in watch_project(options, stop=self.stop, on_start=self.started.set):
                self.results.put(result)
        except BaseException as exc:  # pragma: no cover - reported by the test
            self.error = exc

    def next(self, timeout: float = WAIT) -> CompileResult:
        try:
            return self.results.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no rebuild within {timeout}s (error: {self.error!r})") from None

    def until(self, predicate: Callable[[CompileResult], bool],
              timeout: float = WAIT) -> tuple[CompileResult, list[CompileResult]]:
        """The first result that passes ``predicate``, and the ones passed over before it."""
        end = time.monotonic() + timeout
        before: list[CompileResult] = []
        while True:
            result = self.next(max(0.01, end - time.monotonic()))
            if predicate(result):
                return result, before
            before.append(result)

    def nothing(self, seconds: float = 1.5) -> None:
        try:
            extra = self.results.get(timeout=seconds)
        except queue.Empty:
            return
        raise AssertionError(f"unexpected rebuild: {[a.name for a in extra.agents]}")


@pytest.fixture
def watcher(sample: Path) -> Iterator[Watcher]:
    w = Watcher(Options(root=sample, env=dict(os.environ)))
    first = w.next()
    assert first.ok and len(first.agents) == N
    assert w.started.wait(WAIT)  # the watcher is armed: every edit from now on raises an event
    yield w
    w.stop.set()
    w.thread.join(10)
    assert not w.thread.is_alive(), "the watcher did not stop"
    assert w.error is None


def _timeout(root: Path, agent: str) -> int:
    doc = json.loads((root / f"build/{agent}.swml.json").read_text())
    return doc["sections"]["main"][1]["ai"]["params"]["end_of_speech_timeout"]


def _save(path: Path, text: str) -> None:
    """Save as most editors do: write a whole new file, then rename it over the old one.

    A plain ``write_text`` opens (truncating) and then writes; on a busy machine the watcher may
    see the empty file first and build it, so which result comes first would be up to chance.
    The temporary file is made outside the watched project (its parent folder), so its own
    events are never seen. test_a_save_seen_half_written covers the in-place save.
    """
    root = Path.cwd()  # the project fixtures make the project the working directory
    assert root in path.resolve().parents
    fd, tmp = tempfile.mkstemp(dir=root.parent)  # same file system, outside the watched tree
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    _save(path, text.replace(old, new))


def test_edit_bad_edit_fix(sample: Path, watcher: Watcher) -> None:
    base = sample / "agents/_base/voice.yaml"

    _replace(base, "600", "777")
    result = watcher.next()
    assert result.ok
    assert sorted(a.name for a in result.agents if not a.reused) == ["sales", "support"]
    assert _timeout(sample, "sales") == 777 and _timeout(sample, "support") == 777

    good = (sample / "build/sales.swml.json").read_bytes()
    _save(base, "params: [end_of_speech_timeout\n")  # not YAML
    result = watcher.next()
    assert not result.ok
    assert {d.span.file for d in result.diagnostics if d.severity.label == "error"} == {
        "agents/_base/voice.yaml"}
    assert watcher.thread.is_alive()
    assert (sample / "build/sales.swml.json").read_bytes() == good  # a failed build wrote nothing

    _save(base, "languages:\n  - {name: English, code: en-US, voice: rime.spore}\n"
                    "params:\n  end_of_speech_timeout: 888\n")
    result = watcher.next()
    assert result.ok
    assert _timeout(sample, "sales") == 888


@pytest.mark.parametrize(("path", "old", "new", "agent", "check"), [
    ("agents/_shared/hints.yaml", "Acme", "Acmeco", "support",
     lambda ai: ai["hints"] == ["Acmeco"]),
    ("agents/_functions/lib.yaml", "Look up an order", "Find an order", "support",
     lambda ai: ai["SWAIG"]["functions"][0]["description"] == "Find an order"),
    ("agents/_prompts/facts.md", "9 to 5", "8 to 6", "support",
     lambda ai: ai["prompt"]["pom"][1]["body"] == "Acme is open 8 to 6."),
    ("agents/_fleet/rows.csv", "Southport", "South Port", "clinic-south",
     lambda ai: ai["prompt"]["text"] == "You book visits in South Port."),
    ("swmlc.yaml", "company: Acme", "company: Acmeco", "sales",
     lambda ai: ai["prompt"]["text"] == "You sell Acmeco products."),
])
def test_every_kind_of_input_is_watched(sample: Path, watcher: Watcher, path: str, old: str,
                                        new: str, agent: str, check) -> None:
    _replace(sample / path, old, new)
    result = watcher.next()
    assert result.ok
    doc = json.loads((sample / f"build/{agent}.swml.json").read_text())
    assert check(doc["sections"]["main"][1]["ai"])


def test_new_and_deleted_agents(sample: Path, watcher: Watcher) -> None:
    _save(sample / "agents/billing.yaml", "prompt:\n  text: You handle billing.\n")
    result = watcher.next()
    assert result.ok and "billing" in {a.name for a in result.agents}
    assert (sample / "build/billing.swml.json").exists()
    (sample / "agents/sales.yaml").unlink()
    result = watcher.next()
    assert result.ok and result.removed == ["sales.swml.json"]


def test_a_save_seen_half_written(sample: Path, watcher: Watcher) -> None:
    """An editor that saves in place truncates the file, then writes it. The watcher may build
    the empty file in between (SWC005, nothing written); the watch must go on and build the
    finished save, and build/ must never hold the half-written state."""
    path = sample / "agents/sales.yaml"
    text = path.read_text()
    assert "You sell" in text
    good = (sample / "build/sales.swml.json").read_bytes()
    with path.open("w", encoding="utf-8") as f:  # truncated now
        f.flush()
        time.sleep(0.5)  # longer than the watcher's 50 ms quiet step: it sees the empty file
        f.write(text.replace("You sell", "You gladly sell"))
    result, before = watcher.until(lambda r: r.ok)
    assert all(not r.ok and {d.code for d in r.diagnostics if d.severity.label == "error"}
               == {"SWC005"} for r in before)  # only the empty file ever failed
    assert [a.name for a in result.agents if not a.reused] == ["sales"]
    doc = json.loads((sample / "build/sales.swml.json").read_text())
    assert doc["sections"]["main"][1]["ai"]["prompt"]["text"].startswith("You gladly sell")
    assert (sample / "build/sales.swml.json").read_bytes() != good
    assert watcher.thread.is_alive()


def test_files_no_agent_reads_are_ignored(sample: Path, watcher: Watcher) -> None:
    (sample / "README.md").write_text("notes\n")
    (sample / "notes").mkdir()
    (sample / "notes/todo.yaml").write_text("a: 1\n")
    watcher.nothing()


def test_input_outside_the_agents_folder(project) -> None:
    root = project({"vars.yaml": "who: Acme\n",
                    "agents/a.yaml": "prompt:\n  text: You are {{ who }}.\n"})
    w = Watcher(Options(root=root, env=dict(os.environ), vars_files=("vars.yaml",)))
    try:
        assert w.next().ok
        assert w.started.wait(WAIT)
        _save(root / "vars.yaml", "who: Acmeco\n")
        assert w.next().ok
        doc = json.loads((root / "build/a.swml.json").read_text())
        assert doc["sections"]["main"][1]["ai"]["prompt"]["text"] == "You are Acmeco."
    finally:
        w.stop.set()
        w.thread.join(10)
    assert w.error is None


def test_broken_project_file_at_start(project) -> None:
    root = project({"swmlc.yaml": "vars: [\n", "agents/a.yaml": "prompt:\n  text: Hi.\n"})
    w = Watcher(Options(root=root, env=dict(os.environ)))
    try:
        first = w.next()
        assert not first.ok
        assert {d.span.file for d in first.diagnostics} == {"swmlc.yaml"}
        assert w.started.wait(WAIT)
        _save(root / "swmlc.yaml", "vars: {}\n")
        assert w.next().ok
        assert (root / "build/a.swml.json").exists()
    finally:
        w.stop.set()
        w.thread.join(10)
    assert w.error is None and not w.thread.is_alive()


def test_edit_while_the_first_build_runs_is_not_lost(sample: Path) -> None:
    """An edit saved after the first build read its files but before the file watcher started
    (here: while the first result is being handled) must still be built."""
    results: queue.Queue[CompileResult] = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        for n, result in enumerate(watch_project(Options(root=sample, env=dict(os.environ)),
                                                 stop=stop)):
            if n == 0:
                _replace(sample / "agents/_base/voice.yaml", "600", "777")
            results.put(result)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert results.get(timeout=WAIT).ok
        assert results.get(timeout=WAIT).ok
        assert _timeout(sample, "sales") == 777
    finally:
        stop.set()
        thread.join(10)


# -- the command -----------------------------------------------------------------------------

class Lines:
    """A process's stderr, line by line, read in a thread."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.q: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stderr is not None
        threading.Thread(target=self._read, args=(proc.stderr,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.q.put(line.rstrip("\n"))

    def until(self, predicate, timeout: float = WAIT) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.q.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if predicate(line):
                return line
        raise AssertionError("not seen; output so far:\n" + "\n".join(self.seen))


def test_swmlc_watch_command(sample: Path) -> None:
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "watch"], cwd=sample, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=interruptible)
    lines = Lines(proc)
    try:
        lines.until(lambda s: s == f"{N} agents in build/: {N} compiled, 0 up to date "
                                   f"({N + 1} written, 0 unchanged)")
        lines.until(lambda s: s == "watching for changes (Ctrl-C to stop)")  # armed
        base = sample / "agents/_base/voice.yaml"
        _replace(base, "600", "777")
        lines.until(lambda s: s == f"{N} agents in build/: 2 compiled, {N - 2} up to date "
                                   f"(3 written, {N - 2} unchanged)")
        assert _timeout(sample, "sales") == 777

        _save(base, "params:\n  end_of_speech_timeout: 1\n  end_of_speech_timeout: 2\n")
        lines.until(lambda s: s.startswith("error[") )
        lines.until(lambda s: s.startswith("  --> agents/_base/voice.yaml:"))
        lines.until(lambda s: s.startswith("build failed:") and "nothing was written" in s)
        assert proc.poll() is None, "swmlc watch stopped after a bad edit"
        assert _timeout(sample, "sales") == 777

        _save(base, "languages:\n  - {name: English, code: en-US, voice: rime.spore}\n"
                        "params:\n  end_of_speech_timeout: 888\n")
        lines.until(lambda s: s.startswith(f"{N} agents in build/: 2 compiled"))
        assert _timeout(sample, "sales") == 888
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
