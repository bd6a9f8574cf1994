"""Shared fixtures. Every test runs in its own temporary folder with its own HOME, so no test
reads or writes the developer's files by accident."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

# Property tests are derandomised and have no wall-clock deadline: the same examples on every run
# and every machine (CI included), and a slow shared machine never fails a test by the clock.
# HYPOTHESIS_PROFILE=explore searches anew (random seeds) when hunting for new bugs locally.
settings.register_profile("swmlc", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "swmlc"))

# Some machines (this one, CI's) set PYTHONDONTWRITEBYTECODE. Under it every run of the suite
# would rewrite pytest's assertions and compile every module from source, in each worker, and
# every `python -m compiler` a test starts would compile the compiler again (about 0.15 s a
# process): several seconds a worker and minutes of CPU over the suite. The suite writes its
# bytecode cache (into __pycache__/, which git ignores), as pytest and Python do by default;
# the processes it starts then read that cache, though they still write none of their own.
sys.dont_write_bytecode = False

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first (a stable sort: the order is otherwise the collected one). xdist hands
    tests out in collection order, two at a time (``--maxschedchunk 2``); a half-minute test
    handed out last keeps one core busy while the other has nothing left to run. Started first,
    the quick tests fill in around it: the longest-first rule of packing jobs onto machines.

    The longest go first: those that pip-install the release into a new environment. Of the
    tests that run the real pre-commit, only one is among them, to build the hook's environment
    in the shared store (``pre_commit_home``) while the other worker installs the recipe; the
    rest go after every other slow test, when the environment is there. Two at the start would
    leave one worker waiting on the store's lock for the half minute the other spends
    installing."""
    def uses(item: pytest.Item, fixture: str) -> bool:
        return fixture in getattr(item, "fixturenames", ())

    hooked = [item for item in items if uses(item, "pre_commit_home")]

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow") is None:
            return 3
        if item in hooked:
            return 0 if item is hooked[0] else 2
        return 0 if uses(item, "released_clone") else 1

    items.sort(key=rank)


def once_per_run(factory: pytest.TempPathFactory, name: str,
                 make: Callable[[Path], object]) -> Path:
    """A folder made once for the whole run, by whichever xdist worker asks first (the others
    wait on a lock, then share it): a session fixture is otherwise made once per worker. Under
    xdist the workers' temporary folders share a parent that is new each run; without xdist,
    the session's own folder serves."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = factory.mktemp(name)
        make(folder)
        return folder
    folder = factory.getbasetemp().parent / name
    with open(folder.with_name(name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def released_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository at its release tag (see tests/project/recipes.py), one for
    the run: pre-commit keys its store by the repository's path, so the tests that share
    ``pre_commit_home`` must name the same clone."""
    from tests.project.recipes import release_clone

    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs this repository's git history")
    return once_per_run(tmp_path_factory, "released", release_clone) / "swmlc"


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the run. Every test that runs the real pre-commit points its
    configuration at the same clone and tag (``released_clone``), so pre-commit builds the hook's
    environment (swmlc, signalwire-sdk and their dependencies from the index: half a minute of
    CPU) once instead of once a test. Workers running such tests at the same time are safe:
    pre-commit takes its store's lock before it installs an environment, and looks again for
    one made meanwhile."""
    return once_per_run(tmp_path_factory, "pre-commit-home", lambda folder: None)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write a project from {relative path: text} and make it the working directory."""

    def make(files: dict[str, str]) -> Path:
        for rel, text in files.items():
            p = tmp_path / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        return tmp_path

    return make


@pytest.fixture
def swmlc() -> Callable[..., Result]:
    """Run the CLI in-process, as a user would type it."""
    from compiler.cli import cli

    def run(*args: str, **kw: Any) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), catch_exceptions=False, **kw)

    return run


def official_validator() -> Any:
    """The judge: the reference jsonschema library over the SDK's own schema file, loaded
    independently of swmlc's code so a bug there cannot hide a failure."""
    import importlib.util

    from jsonschema import Draft202012Validator

    spec = importlib.util.find_spec("signalwire")
    assert spec is not None and spec.submodule_search_locations, \
        "signalwire-sdk must be installed: pip install -e '.[test]'"
    path = Path(next(iter(spec.submodule_search_locations))) / "schema.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def judge() -> Any:
    return official_validator()


def assert_official(judge: Any, doc: Any, label: str = "") -> None:
    errors = sorted(judge.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, f"{label}: " + "; ".join(
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors)


def interruptible() -> None:
    """``preexec_fn`` for a process a test stops with SIGINT (Ctrl-C), as a user would.

    A shell starts background jobs with SIGINT ignored, and a child inherits that; Python then
    installs no KeyboardInterrupt handler, and the SIGINT the test sends is lost (a `swmlc watch`
    waited 30 s, then was killed). Restoring the default makes the test mean the same whether
    pytest runs in a terminal, in a background job or under a CI runner.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def corpus_files(*sub: str) -> Iterator[Path]:
    folder = CORPUS.joinpath(*sub)
    if not folder.is_dir():
        return iter(())
    return iter(sorted(p for p in folder.iterdir()
                       if p.suffix in (".json", ".yaml", ".yml")))


def env_without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}
