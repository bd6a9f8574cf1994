"""``swmlc lint --diff`` and ``--fix`` as their docs say (issue 13, points 12 and 14): --diff
exits 1 while errors remain and says which; fixes that touch one value compose in one run; the
summaries count in words that agree with the number."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

TYPO_AND_STRING = """\
prompt: {text: Hi}
params:
  end_of_speach_timeout: "700"
"""

UNFIXABLE = """\
prompt: {text: Hi}
params:
  attention_timeout: "soon"
"""


def test_diff_exits_1_when_errors_remain_that_no_fix_removes(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    root = project({"agents/a.yaml": UNFIXABLE})
    result = swmlc("lint", "--diff")
    assert result.exit_code == 1
    assert result.stdout == ""  # no fix: no diff
    assert result.stderr == (
        "error[SWC420]: 'attention_timeout' must be an integer, got the string 'soon'\n"
        "  --> agents/a.yaml:3:22\n"
        "  |\n"
        '3 |   attention_timeout: "soon"\n'
        "  |                      ^^^^^^\n"
        "1 error in 1 agent\n")
    assert (root / "agents" / "a.yaml").read_text() == UNFIXABLE


def test_diff_exits_0_on_a_clean_project(project: Callable[..., Path],
                                         swmlc: Callable[..., Result]) -> None:
    project({"agents/a.yaml": "prompt: {text: Hi}\n"})
    result = swmlc("lint", "--diff")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no problems in 1 agent\n")


def test_a_rename_and_a_retype_of_one_value_compose_in_one_run(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    root = project({"agents/a.yaml": TYPO_AND_STRING})
    shown = swmlc("lint", "--diff")
    assert shown.exit_code == 1
    assert shown.stdout.splitlines()[-2:] == ['-  end_of_speach_timeout: "700"',
                                              "+  end_of_speech_timeout: 700"]
    assert shown.stderr == "after these fixes: no problems in 1 agent\n"
    fixed = swmlc("lint", "--fix")
    assert fixed.exit_code == 0
    assert (root / "agents" / "a.yaml").read_text() == \
        "prompt: {text: Hi}\nparams:\n  end_of_speech_timeout: 700\n"
    assert fixed.stderr == "fixed 2 problems in 1 file\nno problems in 1 agent\n"
    again = swmlc("lint", "--fix")
    assert again.stderr == "fixed 0 problems in 0 files\nno problems in 1 agent\n"


def test_fix_leaves_what_it_cannot_fix_and_exits_1(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    root = project({"agents/a.yaml": TYPO_AND_STRING + '  attention_timeout: "soon"\n'})
    result = swmlc("lint", "--fix")
    assert result.exit_code == 1
    assert (root / "agents" / "a.yaml").read_text().splitlines()[2:] == [
        "  end_of_speech_timeout: 700", '  attention_timeout: "soon"']
    assert result.stderr.startswith("fixed 2 problems in 1 file\nerror[SWC420]: ")
    assert result.stderr.endswith("1 error in 1 agent\n")
