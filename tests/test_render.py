"""The three diagnostic renderers (compiler/source/render.py), each against one shared list.

It proves the exact text of each format for the same diagnostics: ``human`` against a reviewed
snapshot (tests/snapshots/render_human*.txt; rewrite them with ``SWMLC_UPDATE_SNAPSHOTS=1`` and
review the diff), covering source excerpts, carets under tabs, multi-line spans, labels in the
same and in another file, file-level diagnostics, lines past the end of a file, notes, pointers and
help; ``json`` as exact objects; ``github`` as exact workflow-command lines, with ``%``, ``\\r``
and newlines escaped in messages and ``,`` and ``:`` also escaped in properties. Also the
summary line's counts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Fix, Label, Severity
from compiler.core.tree import Span
from compiler.source.render import render, render_github, render_human, render_json, summary

SNAPSHOTS = Path(__file__).parent / "snapshots"
AGENT = "agents/support.yaml"
BASE = "agents/_base.yaml"
ODD = "odd,name:x.yaml"

TEXTS = {
    AGENT: (
        "prompt:\n"                                  # 1
        "  txt: Hello\n"                             # 2
        "hints: [a]\n"                               # 3
        "hints: [b]\n"                               # 4
        "global_data:\n"                             # 5
        "\tplan: basic\n"                            # 6
        "languages:\n"                               # 7
        "  - name: English\n"                        # 8
        "    code: en-US\n"                          # 9
        "    voice: rime.spore\n"                    # 10
        'post_prompt: {text: "100%, done: yes"}\n'   # 11
        "params: {x: 1}\r\n"                         # 12, a CRLF line
        "evil\x1b[2J: 1\n"                           # 13, a raw ESC
    ),
    BASE: "# base\nparams:\n  barge_confidence: 0.1\n",
    ODD: "a: 1\n",
}


def S(file: str, line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(file, line, col, end_line, end_col)


DIAGNOSTICS = [
    codes.UNKNOWN_KEY.at(
        S(AGENT, 2, 3, 2, 6), "unknown key 'txt' in prompt", help="did you mean 'text'?",
        pointer="/prompt/txt",
        fix=Fix("rename 'txt' to 'text'", AGENT, ("prompt", "txt"), "rename", "text")),
    codes.DUPLICATE_KEY.at(
        S(AGENT, 4, 1, 4, 6), "duplicate key 'hints'",
        labels=(Label(S(AGENT, 3, 1, 3, 6), "first defined here"),),
        help="remove one of them; YAML tools disagree on which one would win"),
    codes.YAML_SYNTAX.at(
        S(AGENT, 6, 2, 6, 6), "a key after a tab",
        help="YAML indentation uses spaces; replace the tab"),
    codes.BAD_VALUE.at(
        S(AGENT, 8, 5, 11, 1), "a language spread over lines", pointer="/languages/0",
        notes=("the caret runs to the end of the first line",)),
    Diagnostic("SWC401", "runtime-ref", Severity.WARNING, "100%, done: yes\nsecond line",
               S(AGENT, 11, 21, 11, 38), help="keep it short, please: 50% less\r\n"),
    codes.WRONG_TYPE.at(
        S(AGENT, 12, 9, 12, 15), "a mapping on a CRLF line",
        fix=Fix("unsafe", AGENT, ("params",), "set", {}, safe=False)),
    codes.UNKNOWN_KEY.at(
        S(AGENT, 13, 1, 13, 9), "unknown key 'evil\x1b[2J'", pointer="/evil\x1b[2J",
        labels=(Label(S(AGENT, 13, 5, 13, 6), "an escape\nin two lines"),)),
    codes.SCHEMA_UNAVAILABLE.at(
        S(AGENT, 99, 1, 99, 2), "a line past the end of the file",
        labels=(Label(S(BASE, 3, 3, 3, 19), "included from here"),), help="ünïcödé help"),
    codes.NO_AGENTS.at(S("agents", 0, 0, 0, 0), "no agent definitions found in agents"),
    codes.OFFICIAL_SCHEMA.at(S(ODD, 1, 4, 1, 5), "a file whose name has , and :"),
]


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SWMLC_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    assert path.is_file(), f"{path} is missing: run with SWMLC_UPDATE_SNAPSHOTS=1 and review it"
    with open(path, encoding="utf-8", newline="") as fh:
        assert text == fh.read(), f"{name} differs: SWMLC_UPDATE_SNAPSHOTS=1 rewrites it"


def test_human_snapshot() -> None:
    check_snapshot("render_human.txt", render_human(DIAGNOSTICS, TEXTS))


def test_human_colour_snapshot() -> None:
    check_snapshot("render_human_colour.txt", render_human(DIAGNOSTICS, TEXTS, colour=True))


def test_human_excerpt_and_caret_details() -> None:
    """What the snapshot shows, said as rules, so a careless snapshot update cannot lose them."""
    out = render_human(DIAGNOSTICS, TEXTS)
    blocks = out.rstrip("\n").split("\n\n")
    assert len(blocks) == len(DIAGNOSTICS)
    # the caret sits under the span, and a tab is shown as four spaces with the caret moved too
    assert "2 |   txt: Hello\n  |   ^^^\n" in blocks[0]
    assert "6 |     plan: basic\n  |     ^^^^\n" in blocks[2]
    # a label in the same file, with its own excerpt
    assert blocks[1].splitlines()[5:9] == [
        "  ::: agents/support.yaml:3:1", "  |", "3 | hints: [a]", "  | ----- first defined here"]
    # a span over several lines is underlined to the end of its first line
    assert "8 |   - name: English\n  |     ^^^^^^^^^^^^^\n" in blocks[3]
    # two-digit line numbers widen the gutter; CR of a CRLF line is not shown
    assert "   |\n11 | post_prompt:" in blocks[4]
    assert blocks[5].endswith("12 | params: {x: 1}\n   |         ^^^^^^")
    # control characters are shown as their pictures, never sent to the terminal; a multi-line
    # message or label continues under its first line
    assert "\x1b" not in out and "\r" not in out
    assert blocks[6].splitlines() == [
        "error[SWC101]: unknown key 'evil\u241b[2J'", "  --> agents/support.yaml:13:1",
        "   |", "13 | evil\u241b[2J: 1", "   | ^^^^^^^^", "  ::: agents/support.yaml:13:5",
        "   |", "13 | evil\u241b[2J: 1", "   |     - an escape", "           in two lines",
        "   = at: /evil\u241b[2J"]
    assert blocks[4].splitlines()[:2] == ["warning[SWC401]: 100%, done: yes",
                                          "                 second line"]
    assert blocks[4].endswith("   = help: keep it short, please: 50% less")
    # a line the file does not have: the location, no excerpt; a label in another file
    assert blocks[7].splitlines()[:5] == [
        "info[SWC502]: a line past the end of the file", "  --> agents/support.yaml:99:1",
        "  ::: agents/_base.yaml:3:3", "  |", "3 |   barge_confidence: 0.1"]
    # a file-level diagnostic: the path only
    assert blocks[8] == ("warning[SWC901]: no agent definitions found in agents\n"
                         "  --> agents")


def test_human_nothing_to_say() -> None:
    assert render_human([], TEXTS) == ""


def test_json_exact_objects() -> None:
    assert json.loads(render_json(DIAGNOSTICS)) == [
        {"code": "SWC101", "name": "unknown-key", "severity": "error",
         "message": "unknown key 'txt' in prompt", "file": AGENT, "line": 2, "column": 3,
         "end_line": 2, "end_column": 6, "pointer": "/prompt/txt",
         "help": "did you mean 'text'?",
         "fix": {"message": "rename 'txt' to 'text'", "safe": True}},
        {"code": "SWC002", "name": "duplicate-key", "severity": "error",
         "message": "duplicate key 'hints'", "file": AGENT, "line": 4, "column": 1,
         "end_line": 4, "end_column": 6,
         "help": "remove one of them; YAML tools disagree on which one would win",
         "related": [{"message": "first defined here", "file": AGENT, "line": 3, "column": 1,
                      "end_line": 3, "end_column": 6}]},
        {"code": "SWC001", "name": "yaml-syntax", "severity": "error",
         "message": "a key after a tab", "file": AGENT, "line": 6, "column": 2,
         "end_line": 6, "end_column": 6, "help": "YAML indentation uses spaces; replace the tab"},
        {"code": "SWC104", "name": "bad-value", "severity": "error",
         "message": "a language spread over lines", "file": AGENT, "line": 8, "column": 5,
         "end_line": 11, "end_column": 1, "pointer": "/languages/0",
         "notes": ["the caret runs to the end of the first line"]},
        {"code": "SWC401", "name": "runtime-ref", "severity": "warning",
         "message": "100%, done: yes\nsecond line", "file": AGENT, "line": 11, "column": 21,
         "end_line": 11, "end_column": 38, "help": "keep it short, please: 50% less\r\n"},
        {"code": "SWC102", "name": "wrong-type", "severity": "error",
         "message": "a mapping on a CRLF line", "file": AGENT, "line": 12, "column": 9,
         "end_line": 12, "end_column": 15, "fix": {"message": "unsafe", "safe": False}},
        {"code": "SWC101", "name": "unknown-key", "severity": "error",
         "message": "unknown key 'evil\x1b[2J'", "file": AGENT, "line": 13, "column": 1,
         "end_line": 13, "end_column": 9, "pointer": "/evil\x1b[2J",
         "related": [{"message": "an escape\nin two lines", "file": AGENT, "line": 13,
                      "column": 5, "end_line": 13, "end_column": 6}]},
        {"code": "SWC502", "name": "official-schema-unavailable", "severity": "info",
         "message": "a line past the end of the file", "file": AGENT, "line": 99, "column": 1,
         "end_line": 99, "end_column": 2, "help": "ünïcödé help",
         "related": [{"message": "included from here", "file": BASE, "line": 3, "column": 3,
                      "end_line": 3, "end_column": 19}]},
        {"code": "SWC901", "name": "no-agents", "severity": "warning",
         "message": "no agent definitions found in agents", "file": "agents", "line": 0,
         "column": 0, "end_line": 0, "end_column": 0},
        {"code": "SWC501", "name": "official-schema", "severity": "error",
         "message": "a file whose name has , and :", "file": ODD, "line": 1, "column": 4,
         "end_line": 1, "end_column": 5},
    ]


def test_json_is_utf8_text_not_ascii_escapes() -> None:
    out = render_json(DIAGNOSTICS)
    assert "ünïcödé help" in out
    assert out.endswith("]\n")
    assert render_json([]) == "[]\n"


def test_github_exact_lines() -> None:
    assert render_github(DIAGNOSTICS).split("\n") == [
        "::error file=agents/support.yaml,line=2,col=3,endLine=2,title=SWC101 unknown-key::"
        "unknown key 'txt' in prompt (help: did you mean 'text'?)",
        "::error file=agents/support.yaml,line=4,col=1,endLine=4,title=SWC002 duplicate-key::"
        "duplicate key 'hints' (help: remove one of them; YAML tools disagree on which one would "
        "win)",
        "::error file=agents/support.yaml,line=6,col=2,endLine=6,title=SWC001 yaml-syntax::"
        "a key after a tab (help: YAML indentation uses spaces; replace the tab)",
        "::error file=agents/support.yaml,line=8,col=5,endLine=11,title=SWC104 bad-value::"
        "a language spread over lines",
        # message data: % -> %25, newline -> %0A, CR -> %0D; ',' and ':' stay as they are
        "::warning file=agents/support.yaml,line=11,col=21,endLine=11,title=SWC401 runtime-ref::"
        "100%25, done: yes%0Asecond line (help: keep it short, please: 50%25 less%0D%0A)",
        "::error file=agents/support.yaml,line=12,col=9,endLine=12,title=SWC102 wrong-type::"
        "a mapping on a CRLF line",
        "::error file=agents/support.yaml,line=13,col=1,endLine=13,title=SWC101 unknown-key::"
        "unknown key 'evil\x1b[2J'",
        "::notice file=agents/support.yaml,line=99,col=1,endLine=99,"
        "title=SWC502 official-schema-unavailable::a line past the end of the file "
        "(help: ünïcödé help)",
        # no line: a file-level annotation
        "::warning file=agents,title=SWC901 no-agents::no agent definitions found in agents",
        # properties: ',' -> %2C and ':' -> %3A as well
        "::error file=odd%2Cname%3Ax.yaml,line=1,col=4,endLine=1,title=SWC501 official-schema::"
        "a file whose name has , and :",
        "",
    ]
    assert render_github([]) == ""


def test_every_github_line_is_one_workflow_command() -> None:
    for line in render_github(DIAGNOSTICS).splitlines():
        assert line.startswith(("::error ", "::warning ", "::notice "))
        _, _, message = line[2:].partition("::")
        assert "\r" not in line
        assert message and "%" not in message.replace("%25", "").replace("%0A", "").replace(
            "%0D", "")


@pytest.mark.parametrize("fmt", ["human", "json", "github"])
def test_render_dispatches_to_the_named_format(fmt: str) -> None:
    expected = {"human": render_human(DIAGNOSTICS, TEXTS), "json": render_json(DIAGNOSTICS),
                "github": render_github(DIAGNOSTICS)}[fmt]
    assert render(DIAGNOSTICS, fmt, TEXTS) == expected  # type: ignore[arg-type]


def test_summary_counts() -> None:
    assert summary(DIAGNOSTICS) == "7 errors, 2 warnings"
    assert summary(DIAGNOSTICS[:1]) == "1 error"
    assert summary([DIAGNOSTICS[4]]) == "1 warning"
    assert summary([DIAGNOSTICS[7]]) == ""
