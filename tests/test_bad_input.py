"""Bad input through ``swmlc build``: issue 2's "Done when" for definitions that must be refused.

For each kind of bad input (malformed YAML, duplicate keys, unknown keys at every level, wrong
types, missing keys, values the source and the official schema refuse, agent-name problems, empty,
list, non-UTF-8 and multi-document files, alias bombs, deep nesting, numbers JSON cannot hold) it
proves the exact diagnostics: code, file:line:col, message, help (did-you-mean), JSON pointer and
related labels. Then, for the same inputs, that no traceback reaches the user: exit code 1, no
"Traceback", and no build folder. Finally that a failing rebuild writes nothing: every byte (and
mtime) of a previous build/ is unchanged, including the outputs of agents that did not fail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from compiler.core.tree import to_plain
from compiler.pipeline.run import PIPELINE, run_unit
from compiler.pipeline.testing import unit_for

P = "prompt:\n  text: hi\n"
A = "agents/a.yaml"


def D(line: int, col: int, code: str, message: str, help: str | None = None, *,
      file: str = A, pointer: str | None = None,
      related: tuple[tuple[str, int, int, str], ...] = ()) -> dict[str, Any]:
    """One expected diagnostic, in the fields ``--error-format json`` reports."""
    return {"code": code, "file": file, "line": line, "column": col, "message": message,
            "help": help, "pointer": pointer, "related": list(related)}


def seen(item: dict[str, Any]) -> dict[str, Any]:
    return {"code": item["code"], "file": item["file"], "line": item["line"],
            "column": item["column"], "message": item["message"], "help": item.get("help"),
            "pointer": item.get("pointer"),
            "related": [(r["file"], r["line"], r["column"], r["message"])
                        for r in item.get("related", [])]}


def billion_laughs() -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\nprompt: {text: *a8}\n"


COLON_HELP = "a key needs a ':' after it; a value with ': ' or '#' in it needs quotes"
JSON_NUMBER_HELP = ("JSON has no infinity or NaN: write a number, or quote the value to keep it "
                    "as text")

CASES = [
    # -- malformed YAML ----------------------------------------------------------------------
    pytest.param({A: 'prompt:\n  text: "unterminated\nhints: [a]\n'}, [
        D(2, 9, "SWC001", "this quoted string is never closed",
          'add the closing " (or quote the value with the other kind of quote)')],
        id="unterminated-quote"),
    pytest.param({A: "prompt:\n\ttext: hi\n"}, [
        D(2, 1, "SWC001", "a tab character where YAML expects spaces",
          "YAML indentation uses spaces; replace the tab")], id="tab-indentation"),
    pytest.param({A: P + "hints\n"}, [
        D(3, 1, "SWC001", "expected ':' after this key", COLON_HELP)], id="missing-colon"),
    pytest.param({A: P + "hints: [a]\nhints: [b]\n"}, [
        D(4, 1, "SWC002", "duplicate key 'hints'",
          "remove one of them; YAML tools disagree on which one would win",
          related=((A, 3, 1, "first defined here"),))], id="duplicate-key"),
    pytest.param({A: "prompt:\n  text: a\n  temperature: 0.5\n  text: b\n"}, [
        D(4, 3, "SWC002", "duplicate key 'text'",
          "remove one of them; YAML tools disagree on which one would win",
          related=((A, 2, 3, "first defined here"),))], id="duplicate-nested-key"),
    # -- unknown keys, did-you-mean at every level --------------------------------------------
    pytest.param({A: "promt:\n  text: hi\n"}, [
        D(1, 1, "SWC101", "unknown key 'promt' in the definition", "did you mean 'prompt'?",
          pointer="/promt")], id="unknown-top-level"),
    pytest.param({A: "prompt:\n  txt: hi\n"}, [
        D(2, 3, "SWC101", "unknown key 'txt' in prompt", "did you mean 'text'?",
          pointer="/prompt/txt")], id="unknown-in-prompt"),
    pytest.param({A: P + "functions:\n  - function: f\n    descripton: d\n"}, [
        D(5, 5, "SWC101", "unknown key 'descripton' in functions[0]",
          "did you mean 'description'?", pointer="/functions/0/descripton")],
        id="unknown-in-function"),
    pytest.param({A: "prompt:\n  text: hi\n  contexts:\n    default:\n      steps:\n"
                     "        - name: a\n          text: t\n          step_critera: c\n"}, [
        D(8, 11, "SWC101", "unknown key 'step_critera' in prompt.contexts.default.steps[0]",
          "did you mean 'step_criteria'?",
          pointer="/prompt/contexts/default/steps/0/step_critera")], id="unknown-in-step"),
    pytest.param({A: "prompt:\n  sections:\n    - title: A\n      bulets: [x]\n"}, [
        D(4, 7, "SWC101", "unknown key 'bulets' in prompt.sections[0]", "did you mean 'bullets'?",
          pointer="/prompt/sections/0/bulets")], id="unknown-in-pom-section-no-missing-echo"),
    # -- wrong types and ranges ----------------------------------------------------------------
    pytest.param({A: P + "hints: Acme\n"}, [
        D(3, 8, "SWC102", 'expected a list, got a string ("Acme")',
          "make it a list: [ ... ] or one '- ' item per line", pointer="/hints")],
        id="hints-not-a-list"),
    pytest.param({A: 'prompt:\n  text: hi\n  temperature: "hot"\n'}, [
        D(3, 16, "SWC102", 'expected a number, got a string ("hot")',
          pointer="/prompt/temperature")], id="temperature-a-word"),
    pytest.param({A: 'prompt:\n  text: hi\n  temperature: "0.5"\n'}, [
        D(3, 16, "SWC102", 'expected a number, got a string ("0.5")',
          "write the value without quotes", pointer="/prompt/temperature")],
        id="temperature-quoted-number"),
    pytest.param({A: "prompt:\n  text: hi\n  max_tokens: 5000\n"}, [
        D(3, 15, "SWC104", "must be at most 4096, got 5000", pointer="/prompt/max_tokens")],
        id="max-tokens-out-of-range"),
    # -- missing keys, and values both schemas refuse ----------------------------------------
    pytest.param({A: P + "functions:\n  - function: f\n"
                         "    parameters: {type: object, properties: {}}\n"}, [
        D(4, 5, "SWC103", "missing required key 'description' in functions[0]",
          "add 'description'", pointer="/functions/0")], id="function-without-description"),
    pytest.param({A: "prompt:\n  sections:\n    - title: A\n      subsections:\n"
                     "        - title: B\n          body: b\n"}, [
        D(3, 7, "SWC103", "missing required key 'body' or 'bullets' in prompt.sections[0]",
          "add 'body' or 'bullets'", pointer="/prompt/sections/0")], id="pom-only-subsections"),
    pytest.param({A: P + "functions:\n  - function: f\n    description: d\n    fillers:\n"
                         "      en-US: [one moment]\n      es: [un momento]\n"}, [
        # the lint (SWC417) says it better than the schema's SWC104 and replaces it
        D(8, 7, "SWC417", "function 'f' fillers hold 2 languages ('en-US', 'es'); "
          "a fillers object holds one",
          "keep one language here; per-language phrases belong in languages[].function_fillers"
          )], id="fillers-two-languages"),
    # -- values only the official schema refuses: reported at the source line -----------------
    pytest.param({A: P + "swml:\n  after:\n    - hangup: {reason: nope}\n"}, [
        D(5, 24, "SWC501", '"nope" is not allowed here', 'use one of: "hangup", "busy", "decline"',
          pointer="/sections/main/2/hangup/reason")], id="official-hangup-reason"),
    pytest.param({A: P + "swml:\n  before:\n    - hangupp: {}\n"}, [
        D(5, 7, "SWC501", "unknown key 'hangupp' in sections.main[0]", "did you mean 'hangup'?",
          pointer="/sections/main/0/hangupp")], id="official-unknown-verb"),
    # -- rules the schema cannot say -----------------------------------------------------------
    pytest.param({A: "prompt:\n  text: hi\n  sections:\n    - title: A\n      body: b\n"}, [
        D(3, 3, "SWC107", "prompt has both 'text' and 'sections'",
          "keep one: 'text' is one string, 'sections' is a list of POM sections")],
        id="text-and-sections"),
    pytest.param({A: P + "swml:\n  sections:\n    main:\n      - hangup: {}\n"}, [
        D(5, 5, "SWC108", "swml.sections may not define 'main'",
          "the ai verb lives in main; put verbs around it in swml.before / swml.after")],
        id="swml-sections-main"),
    pytest.param({A: "agent: acme support\n" + P}, [
        D(1, 8, "SWC105", "agent name 'acme support' cannot be used as a file name",
          "use letters, digits, '.', '_' and '-' (and start with a letter or digit)")],
        id="agent-name-with-space"),
    pytest.param({A: "agent: support\n" + P, "agents/b.yaml": "agent: support\n" + P}, [
        D(1, 8, "SWC106", "agent 'support' is also defined by agents/a.yaml",
          "give one of them another 'agent:' name", file="agents/b.yaml",
          related=((A, 1, 8, "first defined here"),))], id="two-files-one-agent-name"),
    # -- files that are not one mapping ---------------------------------------------------------
    pytest.param({A: ""}, [
        D(1, 1, "SWC005", "the definition is empty",
          "an agent needs at least a prompt, e.g. 'prompt: {text: You are ...}'")],
        id="empty-file"),
    pytest.param({A: "- prompt: hi\n"}, [
        D(1, 1, "SWC005", "an agent definition must be a mapping of keys to values",
          "start with keys such as 'prompt:'; see docs/source-format.md")], id="file-is-a-list"),
    pytest.param({A: b"prompt:\n  text: caf\xe9\n"}, [
        D(2, 12, "SWC007", "agents/a.yaml is not UTF-8 text (byte 19 is 0xe9)",
          "save the file as UTF-8")], id="not-utf8"),
    pytest.param({A: P + "---\n" + P}, [
        D(3, 1, "SWC001", "the file holds more than one YAML document",
          "keep one document per file (remove the extra '---')")], id="two-documents"),
    # -- hostile YAML ----------------------------------------------------------------------------
    pytest.param({A: billion_laughs()}, [
        D(6, 5, "SWC003", "aliases here expand to more than 1,000,000 values",
          "this looks like a 'billion laughs' document; write the values out, or share them "
          "with extends/include instead of nested aliases")], id="billion-laughs"),
    pytest.param({A: P + "hints: &a [*a]\n"}, [
        D(3, 8, "SWC003", "an alias refers to a node that contains it",
          "a recursive alias cannot be written as JSON; copy the value instead")],
        id="recursive-alias"),
    pytest.param({A: P + "global_data: {x: " + "[" * 5000 + "]" * 5000 + "}\n"}, [
        D(3, 217, "SWC004", "values are nested more than 200 levels deep")],
        id="nested-5000-deep"),
    pytest.param({A: P + "global_data: {x: !!int abc}\n"}, [
        D(3, 18, "SWC102", "'abc' is not an integer, as its tag !!int says",
          "remove the !!int tag, or write the value as an integer")], id="bad-explicit-tag"),
    pytest.param({A: P + "global_data: {x: .inf}\n"}, [
        D(3, 18, "SWC102", "'.inf' is not a number JSON can hold", JSON_NUMBER_HELP)],
        id="infinity"),
    pytest.param({A: P + "global_data: {x: 1e400}\n"}, [
        D(3, 18, "SWC102", "'1e400' is not a number JSON can hold", JSON_NUMBER_HELP)],
        id="float-overflow"),
]


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def root(project: Callable[..., Path]) -> Path:
    return project({})


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_diagnostics_are_exact(root: Path, swmlc: Callable[..., Result],
                               files: dict[str, str | bytes], expected: list[dict[str, Any]]
                               ) -> None:
    write(root, files)
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1, result.output
    got = [seen(item) for item in json.loads(result.stdout)]
    expected = [{**e, "related": list(e["related"])} for e in expected]
    assert got == expected


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_no_traceback_and_no_build_folder(root: Path, swmlc: Callable[..., Result],
                                          files: dict[str, str | bytes],
                                          expected: list[dict[str, Any]]) -> None:
    write(root, files)
    result = swmlc("build")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert result.stderr.rstrip("\n").endswith("nothing was written")
    first = expected[0]
    assert f"error[{first['code']}]: {first['message']}" in result.stderr
    assert f"--> {first['file']}:{first['line']}:{first['column']}" in result.stderr
    assert not (root / "build").exists()


def test_params_is_open_so_an_unlisted_name_is_not_an_unknown_key(
        root: Path, swmlc: Callable[..., Result]) -> None:
    """The source schema leaves ``params`` open (the platform's list is checked by a lint, with
    its own code), so no SWC101 unknown-key there, unlike every other level above."""
    write(root, {A: P + "params:\n  made_up_thing: 1\n"})
    result = swmlc("build", "--error-format", "json")
    assert "Traceback" not in result.stderr
    codes = [d["code"] for d in json.loads(result.stdout or "[]")]
    assert "SWC101" not in codes


# -- what the official schema says about the values the source schema refuses first ----------

#: The pipeline without the source schema (check_shape) and the lints (check), which would
#: refuse these definitions before the official schema sees them.
WITHOUT_SOURCE_CHECKS = tuple(p for p in PIPELINE if p.__name__ not in ("check_shape", "check"))


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("prompt:\n  sections:\n    - title: A\n      subsections:\n"
                 "        - title: B\n          body: b\n",
                 (3, 7, "missing required key 'body' or 'bullets' in "
                  "sections.main[1].ai.prompt.pom[0]", "add 'body' or 'bullets'",
                  "/sections/main/1/ai/prompt/pom/0"), id="pom-only-subsections"),
    pytest.param(P + "functions:\n  - function: f\n    description: d\n    fillers:\n"
                 "      en-US: [one moment]\n      es: [un momento]\n",
                 (7, 7, "takes at most 1 key, got 2 (en-US, es)", "keep one of 'en-US' or 'es'",
                  "/sections/main/1/ai/SWAIG/functions/0/fillers"), id="fillers-two-languages"),
])
def test_the_official_schema_refuses_them_too_at_the_source_line(
        judge: Any, text: str, expected: tuple[Any, ...]) -> None:
    """The source schema catches these first (above); without it, the official schema still
    refuses the compiled document (the judge agrees), and its error lands on the YAML line."""
    unit, ctx = unit_for(text, "a")
    unit = run_unit(unit, ctx, WITHOUT_SOURCE_CHECKS)
    assert not judge.is_valid(to_plain(unit.documents["swml"]))
    assert [(d.code, d.span.file, d.span.line, d.span.col, d.message, d.help, d.pointer)
            for d in ctx.diagnostics] == [("SWC501", A, *expected)]


# -- a failing build writes nothing --------------------------------------------------------

GOOD = {
    A: "prompt:\n  text: You are agent A.\nhints: [Acme]\n",
    "agents/b.yaml": "prompt:\n  text: You are agent B.\n",
}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("broken", [
    pytest.param({"agents/b.yaml": "prompt:\n  text: 'unterminated\n"}, id="syntax"),
    pytest.param({"agents/b.yaml": "prompt:\n  txt: hi\n"}, id="unknown-key"),
    pytest.param({"agents/b.yaml": P + "swml:\n  after: [{hangup: {reason: nope}}]\n"},
                 id="official-schema"),
    pytest.param({"agents/c.yaml": "agent: a\n" + P}, id="duplicate-agent"),
    pytest.param({"agents/b.yaml": b"prompt:\n  text: \xff\n"}, id="not-utf8"),
    pytest.param({"agents/b.yaml": billion_laughs()}, id="alias-bomb"),
])
def test_a_failing_rebuild_leaves_build_unchanged_byte_for_byte(
        root: Path, swmlc: Callable[..., Result], broken: dict[str, str | bytes]) -> None:
    write(root, GOOD)
    assert swmlc("build").exit_code == 0
    before = snapshot(root / "build")
    assert {"a.swml.json", "b.swml.json"} <= set(before)
    # agent a changes validly, so a partial write would show in its output
    write(root, {A: "prompt:\n  text: You are agent A, changed.\nhints: [Acme]\n", **broken})
    result = swmlc("build")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert snapshot(root / "build") == before


def test_a_failing_build_does_not_create_the_output_folder(
        root: Path, swmlc: Callable[..., Result]) -> None:
    write(root, {A: "promt: {text: hi}\n"})
    for args in (("build",), ("build", "-o", "elsewhere"), ("build", "--format", "yaml")):
        assert swmlc(*args).exit_code == 1
    assert sorted(p.name for p in root.iterdir()) == ["agents"]
