"""``swmlc validate FILE...``: issue 2's "Done when" for checking any SWML document.

It proves that on the documents of tests/data/swml (and, in the slow run, every real and
SDK-rendered document of ../shared/corpus) the verdict (exit code
and diagnostics) agrees with the reference verdict (jsonschema's Draft202012Validator over the
SDK's schema; a .json file that ``json.loads`` refuses is invalid), that each diagnostic lands on
the file:line:col of the value its JSON pointer names, that JSON and YAML spellings of one document
get the same diagnostics, that a crafted failing document reports exact locations, messages and
pointers in every output format, and that valid documents exit 0 with nothing printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from compiler.core.tree import parse_pointer
from tests.conftest import REPO, corpus_files

CORPUS = [*corpus_files("real"), *corpus_files("sdk-rendered")]
#: Documents written for these tests (tests/data/swml/README.md): the quick loop and a bare clone
#: check the verdict on them; the whole corpus is the slow run.
SAMPLES = sorted(p for p in (REPO / "tests" / "data" / "swml").iterdir()
                 if p.suffix in (".json", ".yaml"))
DOCUMENTS = [pytest.param(p, id=f"sample/{p.name}") for p in SAMPLES] + [
    pytest.param(p, id=f"{p.parent.name}/{p.name}", marks=pytest.mark.slow) for p in CORPUS]


def reference_verdict(judge: Any, path: Path) -> tuple[bool, Any]:
    """(valid, data) by tools independent of swmlc: json for .json, ruamel.yaml (YAML 1.2,
    duplicate keys refused) for YAML."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            return False, None
    else:
        from ruamel.yaml import YAML

        data = YAML(typ="safe", pure=True).load(text)
    return bool(judge.is_valid(data)), data


def diagnostics(result: Result) -> list[dict[str, Any]]:
    return json.loads(result.stdout) if result.stdout.strip() else []


def resolve(data: Any, pointer: str) -> Any:
    """The value at ``pointer`` (which must exist)."""
    node = data
    for part in parse_pointer(pointer):
        node = node[int(part)] if isinstance(node, list) else node[str(part)]
    return node


@pytest.mark.parametrize("path", DOCUMENTS)
def test_verdict_agrees_with_the_reference(
        path: Path, swmlc: Callable[..., Result], judge: Any) -> None:
    valid, data = reference_verdict(judge, path)
    result = swmlc("validate", "--error-format", "json", str(path))
    found = diagnostics(result)
    assert result.exit_code == (0 if valid else 1), found
    if valid:
        assert found == []
        return
    errors = [d for d in found if d["severity"] == "error"]
    assert errors, "exit 1 with no error diagnostic"
    lines = path.read_text(encoding="utf-8").split("\n")
    for d in found:
        assert d["file"] == path.as_posix()
        assert 1 <= d["line"] <= len(lines) and d["column"] >= 1, d
        if data is None:  # not JSON: the parse error, where json.loads stops too
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                assert (d["code"], d["line"], d["column"]) == ("SWC008", exc.lineno, exc.colno)
            continue
        assert d["code"] == "SWC501", d
        # the pointer names a place in the document, and line:col is where that place is written
        value = resolve(data, d["pointer"])
        at = lines[d["line"] - 1][d["column"] - 1:]
        key = d["pointer"].rsplit("/", 1)[1]
        if d["message"].startswith("unknown key '") or any(  # at the key
                words in d["message"] for words in ("' is deprecated in ",
                                                    "' is an action the platform runs")):
            assert at.startswith((f'"{key}"', key)), (d, at)
        elif d["message"].startswith("missing required key"):  # at the mapping, or its key
            assert at.startswith((f'"{key}"', key, "{")) or key.isdigit(), (d, at)
        elif path.suffix == ".json":  # at the value
            assert at[:1] == json.dumps(value)[:1], (d, at)


PAIRS = sorted({p.with_suffix("") for p in corpus_files("real") if p.suffix == ".json"}
               & {p.with_suffix("") for p in corpus_files("real") if p.suffix in (".yaml", ".yml")})


@pytest.mark.slow
@pytest.mark.skipif(not PAIRS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("stem", PAIRS, ids=lambda p: p.name)
def test_json_and_yaml_spellings_of_one_document_get_the_same_diagnostics(
        stem: Path, swmlc: Callable[..., Result]) -> None:
    found = {}
    for path in sorted(stem.parent.glob(stem.name + ".*")):
        if path.suffix in (".json", ".yaml", ".yml"):
            result = swmlc("validate", "--error-format", "json", str(path))
            found[path.suffix] = (result.exit_code, [
                (d["code"], d.get("pointer"), d["message"], d.get("help"))
                for d in diagnostics(result)])
    assert len(set(map(repr, found.values()))) == 1, found


# -- crafted documents ----------------------------------------------------------------------

BAD_JSON = """\
{
  "version": "1.0.0",
  "sections": {
    "main": [
      {"answer": {}},
      {
        "ai": {
          "prompt": {"text": "hi", "temperature": "hot"},
          "hints": "Acme",
          "SWAIG": {"functions": [{"function": "f", "descripton": "d"}]}
        }
      }
    ]
  }
}
"""

BAD_JSON_DIAGNOSTICS = [
    {"code": "SWC501", "name": "official-schema", "severity": "error",
     "message": 'expected a number, got a string ("hot")',
     "file": "bad.json", "line": 8, "column": 51, "end_line": 8, "end_column": 56,
     "pointer": "/sections/main/1/ai/prompt/temperature"},
    {"code": "SWC501", "name": "official-schema", "severity": "error",
     "message": 'expected a list, got a string ("Acme")',
     "file": "bad.json", "line": 9, "column": 20, "end_line": 9, "end_column": 26,
     "pointer": "/sections/main/1/ai/hints",
     "help": "make it a list: [ ... ] or one '- ' item per line"},
    {"code": "SWC501", "name": "official-schema", "severity": "error",
     "message": "unknown key 'descripton' in sections.main[1].ai.SWAIG.functions[0]",
     "file": "bad.json", "line": 10, "column": 53, "end_line": 10, "end_column": 65,
     "pointer": "/sections/main/1/ai/SWAIG/functions/0/descripton",
     "help": "did you mean 'description'?"},
]

BAD_YAML = """\
version: 1.0.0
sections:
  main:
    - answer: {}
    - ai:
        prompt:
          text: hi
          top_p: 2
        hints: [ok, no, on]
    - hangup: {reason: nope}
"""

GOOD_JSON = '{"version": "1.0.0", "sections": {"main": [{"answer": {}}, {"hangup": {}}]}}\n'
GOOD_YAML = """\
version: 1.0.0
sections:
  main:
    - answer: {}
    - ai:
        prompt: {text: hi}
        hints: [no, yes, off]
"""


@pytest.fixture
def docs(project: Callable[..., Path]) -> Path:
    return project({"bad.json": BAD_JSON, "bad.yaml": BAD_YAML, "good.json": GOOD_JSON,
                    "good.yaml": GOOD_YAML})


def test_crafted_json_document_json_output(docs: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate", "--error-format", "json", "bad.json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == BAD_JSON_DIAGNOSTICS


def test_crafted_json_document_human_output(docs: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate", "bad.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        'error[SWC501]: expected a number, got a string ("hot")\n'
        "  --> bad.json:8:51\n"
        "  |\n"
        '8 |           "prompt": {"text": "hi", "temperature": "hot"},\n'
        "  |                                                   ^^^^^\n"
        "   = at: /sections/main/1/ai/prompt/temperature\n"
        "\n")
    assert ("error[SWC501]: unknown key 'descripton' in sections.main[1].ai.SWAIG.functions[0]\n"
            "  --> bad.json:10:53\n") in result.stderr
    assert "   = at: /sections/main/1/ai/SWAIG/functions/0/descripton\n" \
           "   = help: did you mean 'description'?\n" in result.stderr
    assert "Traceback" not in result.stderr


def test_crafted_json_document_github_output(docs: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate", "--error-format", "github", "bad.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=bad.json,line=8,col=51,endLine=8,title=SWC501 official-schema::"
        'expected a number, got a string ("hot")',
        "::error file=bad.json,line=9,col=20,endLine=9,title=SWC501 official-schema::"
        "expected a list, got a string (\"Acme\") (help: make it a list: [ ... ] or one '- ' "
        "item per line)",
        "::error file=bad.json,line=10,col=53,endLine=10,title=SWC501 official-schema::"
        "unknown key 'descripton' in sections.main[1].ai.SWAIG.functions[0] "
        "(help: did you mean 'description'?)",
    ]


def test_yaml_documents_are_read_as_yaml_1_2_with_positions(
        docs: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate", "--error-format", "json", "bad.yaml")
    assert result.exit_code == 1
    # `no` and `on` stay strings (valid hints); only the two real problems are reported
    assert [(d["code"], d["line"], d["column"], d["message"], d.get("help"), d["pointer"])
            for d in json.loads(result.stdout)] == [
        ("SWC501", 8, 18, "must be at most 1, got 2", None, "/sections/main/1/ai/prompt/top_p"),
        ("SWC501", 10, 24, '"nope" is not allowed here', 'use one of: "hangup", "busy", "decline"',
         "/sections/main/2/hangup/reason"),
    ]


@pytest.mark.parametrize("name", ["good.json", "good.yaml"])
def test_valid_documents_exit_0_and_print_no_diagnostic(
        docs: Path, swmlc: Callable[..., Result], name: str) -> None:
    for fmt in ("human", "json", "github"):
        result = swmlc("validate", "--error-format", fmt, name)
        assert result.exit_code == 0, result.output
        # json always prints a list, so a consumer can parse the output of a clean run too
        assert result.stdout == ("[]\n" if fmt == "json" else "")
        assert "error" not in result.stderr


def test_several_files_only_the_failing_one_is_reported(
        docs: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate", "--error-format", "json", "good.json", "bad.yaml", "good.yaml")
    assert result.exit_code == 1
    assert {d["file"] for d in json.loads(result.stdout)} == {"bad.yaml"}


@pytest.mark.parametrize(("name", "text", "expected"), [
    pytest.param("list.json", "[1, 2]\n",
                 ("SWC005", 1, 1, "a SWML document is a mapping with 'version' and 'sections'"),
                 id="a-list"),
    pytest.param("comma.json", '{"version": "1.0.0",\n "sections": {"main": []},}\n',
                 ("SWC008", 2, 26, "a ',' just before '}': JSON allows no trailing comma"),
                 id="trailing-comma"),
    pytest.param("ctl.json", '{"version": "1.0.0", "sections": {"main": [{"play": '
                             '{"url": "say:\thi"}}]}}\n',
                 ("SWC008", 1, 66, "a raw tab inside a string: JSON needs it escaped"),
                 id="raw-tab-in-string"),
    pytest.param("nl.json", '{"version": "1.0.0", "sections": {"main": [{"play": '
                            '{"url": "say:hi\nthere"}}]}}\n',
                 ("SWC008", 1, 68, "a raw line break inside a string: JSON needs it escaped"),
                 id="raw-newline-in-string"),
    pytest.param("nan.json", '{"version": "1.0.0", "sections": {"main": [\n'
                             '  {"ai": {"prompt": {"text": "Hi", "temperature": NaN}}}]}}\n',
                 ("SWC008", 2, 51, "NaN is not JSON (Python's json module writes it, the RFC "
                                   "has no such value)"), id="nan"),
    pytest.param("inf.json", '{"version": "1.0.0", "sections": {"main": [\n'
                             '  {"ai": {"prompt": {"text": "Hi", "top_p": -Infinity}}}]}}\n',
                 ("SWC008", 2, 45, "Infinity is not JSON (the RFC has no such value)"),
                 id="infinity"),
    pytest.param("open.json", '{"version": "1.0.0",\n "sections": {"main": [\n',
                 ("SWC008", 2, 23, "this '[' is never closed"), id="unclosed-bracket"),
    pytest.param("dup.json", '{"version": "1.0.0",\n "version": "1.0.0", "sections": {}}\n',
                 ("SWC002", 2, 2, "duplicate key 'version'"), id="duplicate-key"),
    pytest.param("tag.yaml", "version: 1.0.0\nsections:\n  main:\n    - hangup: !append {}\n",
                 ("SWC006", 4, 15, "tag '!append' belongs in agent definitions, not SWML"),
                 id="merge-tag-on-a-mapping"),
    pytest.param("tag2.yaml",
                 "version: 1.0.0\nsections:\n  main:\n    - hangup: {reason: !delete x}\n",
                 ("SWC006", 4, 24, "tag '!delete' belongs in agent definitions, not SWML"),
                 id="merge-tag-on-a-scalar"),
    pytest.param("missing.json", None, ("SWC007", 1, 1, "file not found: missing.json"),
                 id="missing-file"),
])
def test_documents_that_cannot_be_checked(
        project: Callable[..., Path], swmlc: Callable[..., Result], name: str,
        text: str | None, expected: tuple[Any, ...]) -> None:
    project({} if text is None else {name: text})
    result = swmlc("validate", "--error-format", "json", name)
    assert result.exit_code == 1
    [d] = json.loads(result.stdout)
    assert (d["code"], d["line"], d["column"], d["message"]) == expected
    assert d["file"] == name


def test_validate_needs_a_file(swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate")
    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.stderr
