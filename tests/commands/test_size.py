"""Size (issue 13, point 4): a list far beyond any real agent is refused as it is read, a list
of hints or a prompt implausibly large is a warning (SignalWire documents no limit on either),
and a build that runs for seconds says how far it is, on a terminal or when asked."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from compiler.cli import _progress
from compiler.cli._progress import Progress, mode


def _hints(n: int, *, flow: bool = False) -> str:
    if flow:
        return "prompt: {text: Hi}\nhints: [" + ", ".join(f"w{i}" for i in range(n)) + "]\n"
    return "prompt: {text: Hi}\nhints:\n" + "".join(f"  - w{i}\n" for i in range(n))


@pytest.mark.parametrize(("flow", "col"), [(False, 3), (True, 8)])
def test_a_list_beyond_limits_list_items_is_refused_as_it_is_read(
        project: Callable[..., Path], swmlc: Callable[..., Result], flow: bool, col: int
        ) -> None:
    root = project({"swmlc.yaml": "limits: {list_items: 5000}\n",
                    "agents/a.yaml": _hints(5001, flow=flow)})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    [d] = json.loads(result.stdout)
    line = 2 if flow else 3
    assert (d["code"], d["line"], d["column"], d["message"], d["help"]) == (
        "SWC011", line, col, "this list holds more than 5,000 items",
        "no real agent needs this many (a long list of hints is a few hundred); if one does, "
        "raise limits.list_items in swmlc.yaml")
    assert not (root / "build").exists()


def test_the_json_reader_is_bounded_alike_for_a_project() -> None:
    """A project's JSON files (data a template reads) get limits.list_items; a document given
    to validate has no bound but its bytes (tests/security/test_bounded.py)."""
    from compiler.source.files import read_source
    from compiler.source.json_reader import read_json

    text = '{"sections": {"main": [{"ai": {\n  "hints": ["a", "b", "c", "d"]}}]}}\n'
    assert read_json(text, "d.json", max_items=4).diagnostics == []
    assert read_json(text, "d.json").diagnostics == []
    [d] = read_source(text, "d.json", max_items=3).diagnostics
    assert (d.code, str(d.span), d.message) == (
        "SWC011", "d.json:2:12", "this list holds more than 3 items")


@pytest.mark.slow  # reads 100,001 items: about two seconds
def test_the_default_bound_is_100_000_items(project: Callable[..., Path],
                                            swmlc: Callable[..., Result]) -> None:
    project({"agents/a.yaml": "prompt: {text: Hi}\nglobal_data:\n"
             + "".join(f"  k{i}: {i}\n" for i in range(100_001))})
    result = swmlc("lint", "--error-format", "json")
    assert [(d["code"], d["line"], d["message"]) for d in json.loads(result.stdout)] == [
        ("SWC011", 3, "this mapping holds more than 100,000 items")]


def test_implausibly_many_hints_and_a_long_prompt_are_warnings(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    project({"swmlc.yaml": "limits: {hints: 3, prompt_chars: 40}\n",
             "agents/a.yaml": "prompt:\n  sections:\n"
                              "    - {title: Role, body: You answer the phone for Acme.}\n"
                              "    - {title: Rules, bullets: [Be kind, Be brief]}\n"
                              "hints: [Acme, swimmel, Zeta, Yotta]\n"})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 0
    assert [(d["code"], d["severity"], d["line"], d["column"], d["message"])
            for d in json.loads(result.stdout)] == [
        ("SWC914", "warning", 1, 1, "the prompt holds 54 characters (about 13 tokens), more "
                                    "than limits.prompt_chars (40)"),
        ("SWC914", "warning", 5, 1, "hints holds 4 entries, more than limits.hints (3)"),
    ]
    assert swmlc("build", "--strict").exit_code == 1


def test_the_defaults_leave_the_bundled_agents_alone(swmlc: Callable[..., Result],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import REPO

    monkeypatch.chdir(REPO)
    result = swmlc("lint", "--error-format", "json")
    assert [d["code"] for d in json.loads(result.stdout)] == []


# -- the progress line ---------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_on_a_terminal_and_in_logs_only_when_asked() -> None:
    assert mode({}, True) == "terminal"
    assert mode({}, False) is None  # a CI log, a pipe
    assert mode({"CI": "true"}, True) is None
    assert mode({"SWMLC_PROGRESS": "1"}, False) == "log"
    assert mode({"SWMLC_PROGRESS": "0"}, True) is None


def test_the_terminal_line_appears_after_the_delay_and_is_erased_at_the_end() -> None:
    now = [100.0]
    out = _Tty()
    with Progress(stream=out, environ={}, clock=lambda: now[0]) as progress:
        progress(0, 3, "agents/a.yaml")
        assert out.getvalue() == ""  # a short build says nothing
        now[0] += _progress.DELAY + 1
        progress(1, 3, "agents/b.yaml")
        now[0] += 1
        progress(2, 3, None)
    assert out.getvalue() == (
        "\r\x1b[Kswmlc: compiling 1 of 3 definition files (agents/b.yaml), 3 s"
        "\r\x1b[Kswmlc: compiling 2 of 3 definition files (agents/b.yaml), 4 s"
        "\r\x1b[K")


def test_a_log_gets_a_plain_line_every_few_seconds() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = Progress(stream=out, environ={"SWMLC_PROGRESS": "1"}, clock=lambda: now[0])
    for done in range(10):
        now[0] = _progress.DELAY + done
        progress(done, 10, f"agents/{done}.yaml")
    assert out.getvalue().splitlines() == [
        "swmlc: compiling 0 of 10 definition files (agents/0.yaml), 2 s",
        "swmlc: compiling 5 of 10 definition files (agents/5.yaml), 7 s"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_reports_its_progress_in_one_process_and_in_workers(
        project: Callable[..., Path], swmlc: Callable[..., Result],
        monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    project({f"agents/a{i:02d}.yaml": "prompt: {text: Hi}\n" for i in range(30)})
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    monkeypatch.setattr(_progress, "LOG_EVERY", 0.0)
    result = swmlc("build", "-j", jobs, env={"SWMLC_PROGRESS": "1"})
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("swmlc: ")]
    assert lines and all(re.fullmatch(r"swmlc: compiling \d+ of 30 definition files"
                                       r"( \(agents/a\d\d\.yaml\))?, \d+ s", x) for x in lines)
    done = [int(x.split()[2]) for x in lines]
    assert done == sorted(done) and done[-1] in (29, 30)
    assert result.stderr.endswith("30 agents in build/: 30 compiled, 0 up to date "
                                  "(31 written, 0 unchanged)\n")
