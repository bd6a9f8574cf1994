"""Issue 12, points 8 to 15, 18 and 19: every input, template and output is bounded, and a
hostile file gets a located error, never a traceback, a hang or a silent wrong value."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

BOMBS = [
    "{{ 'a'.ljust(1000000000) }}",
    "{{ 'a'.rjust(1000000000) }}",
    "{{ 'a'.center(1000000000) }}",
    "{{ '{:>1000000000}'.format('a') }}",
    "{{ '%01000000000d' % 1 }}",
    "{{ 'a'|center(1000000000) }}",
    "{{ 'a\\nb'|indent(1000000000) }}",
    "{{ '%1000000000s'|format('a') }}",
    "{{ lipsum(100000000) }}",
    "{{ [[0]*999999]*999999 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% include '_p.txt' %}{% endfor %}",
    "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "{% include 'a.yaml' %}",
    "{{ 'x' * 999999 + 'y' * 999999 }}",
]


def _errors(result: Any) -> list[dict[str, Any]]:
    return [d for d in json.loads(result.stdout) if d["severity"] == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("bomb", BOMBS)
def test_a_template_bomb_is_refused_at_its_template(
        project: Callable[..., Path], swmlc: Callable[..., Any], bomb: str) -> None:
    root = project({"agents/a.yaml": f"prompt:\n  text: \"{bomb}\"\n",
                    "agents/_p.txt": "some text\n"})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1, result.stderr
    (error,) = _errors(result)
    assert (error["code"], error["file"], error["line"]) == ("SWC304", "agents/a.yaml", 2), error
    assert error["message"].startswith("not allowed in a template: ")
    assert not (root / "build").exists()


@pytest.mark.parametrize(("text", "words"), [
    ("{{ 10**5000 }}", "beyond 64 bits"),
    ("{{ 1e308 * 10 }}", "is not a number a document can hold"),
    ("{{ '%s' | format(lipsum) }}", "cannot be formatted"),
    ("{{ '%s' % cycler }}", "cannot be formatted"),
    ("{{ '{}'.format(range) }}", "cannot be formatted"),
    ("{{ lipsum.__globals__ }}", "access to attribute '__globals__'"),
])
def test_values_a_document_cannot_hold_are_refused(project: Callable[..., Path],
                                                   swmlc: Callable[..., Any], text: str,
                                                   words: str) -> None:
    project({"agents/a.yaml": f"global_data:\n  x: \"{text}\"\nprompt: {{text: hi}}\n"})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert (error["code"], error["line"]) == ("SWC304", 2)
    assert words in error["message"]


@pytest.mark.parametrize(("name", "text", "line"), [
    ("a.yaml", "prompt: {text: hi}\nglobal_data: {n: " + "9" * 5000 + "}\n", 2),
    ("a.yaml", "prompt: {text: hi}\nglobal_data: {n: 9223372036854775808}\n", 2),
])
def test_integers_beyond_64_bits_are_refused_where_written(
        project: Callable[..., Path], swmlc: Callable[..., Any], name: str, text: str,
        line: int) -> None:
    project({f"agents/{name}": text})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert (error["code"], error["line"]) == ("SWC102", line)
    assert "does not fit in 64 bits" in error["message"]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
def test_an_invisible_line_break_cannot_hide_a_key(project: Callable[..., Path],
                                                   swmlc: Callable[..., Any], char: str) -> None:
    """An editor shows U+2028/U+2029/U+0085 as a line break, YAML 1.1 readers do not agree on
    it: the key after it would be seen by one and hidden from another. Refused at the char."""
    project({"agents/a.yaml": f"prompt: {{text: hi}}\n# only a comment{char}global_data: "
                              "{injected: true}\n"})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert (error["code"], error["line"], error["column"]) == ("SWC001", 2, 17)
    assert f"U+{ord(char):04X}" in error["message"]


def test_files_over_the_limit_are_refused_before_they_are_read(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    text = "prompt: {text: hi}\nhints: [" + "x, " * 40 + "y]\n"
    root = project({"agents/a.yaml": text, "swmlc.yaml": "limits: {file_bytes: 100}\n"})
    result = swmlc("build")
    assert result.exit_code == 1
    assert f"agents/a.yaml holds {len(text)} bytes, more than the limit of 100" in result.stderr
    assert "raise limits.file_bytes in swmlc.yaml" in result.stderr
    (root / "swmlc.yaml").write_text("limits: {file_bytes: 1000}\n")
    assert swmlc("build").exit_code == 0


def test_validate_and_import_are_bounded_too(tmp_path: Path, swmlc: Callable[..., Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"version": "1.0.0", "sections": {"main": [' + '{"answer": {}},' * 50
                   + '{"hangup": {}}]}}')
    monkeypatch.chdir(tmp_path)
    env = {"SWMLC_MAX_FILE_BYTES": "500"}
    result = swmlc("validate", "big.json", env=env)
    assert result.exit_code == 1 and "more than the limit of 500" in result.stderr
    result = swmlc("import", "big.json", "-o", "out", env=env)
    assert result.exit_code == 1 and "more than the limit of 500" in result.stderr


def test_documents_over_the_output_limit_are_not_written(project: Callable[..., Path],
                                                         swmlc: Callable[..., Any]) -> None:
    root = project({"agents/a.yaml": "prompt: {text: \"{{ 'x' * 5000 }}\"}\n",
                    "swmlc.yaml": "limits: {output_bytes: 4000}\n"})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert error["code"] == "SWC913" and error["file"] == "agents/a.yaml"
    assert not (root / "build").exists()


def test_a_long_extends_chain_is_refused_not_a_recursion_error(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    files = {f"agents/_c{i}.yaml": f"extends: _c{i + 1}.yaml\n" for i in range(1000)}
    files["agents/_c1000.yaml"] = "prompt: {text: hi}\n"
    files["agents/a.yaml"] = "extends: _c0.yaml\n"
    project(files)
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert error["code"] == "SWC201"
    assert error["message"] == "extends/include go more than 64 files deep"


@pytest.mark.parametrize("text", ["extends: " + "x" * 300 + ".yaml\nprompt: {text: hi}\n",
                                  "prompt: {text: \"{{ file('" + "x" * 300 + "') }}\"}\n"])
def test_a_name_too_long_for_the_file_system_is_an_error(
        project: Callable[..., Path], swmlc: Callable[..., Any], text: str) -> None:
    project({"agents/a.yaml": text})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert error["code"] in ("SWC007", "SWC204") and error["line"] == 1
    assert "File name too long" in error["message"] or "not found" in error["message"]


@pytest.mark.parametrize(("config", "line", "words"), [
    ("vars: !delete\n", 1, "the merge tag !delete has no meaning in swmlc.yaml"),
    ("swaig:\n  base_url: \"{{ [1, 2] }}\"\n", 2, "expected a string, got a list"),
])
def test_swmlc_yaml_that_templates_or_tags_into_nonsense(project: Callable[..., Path],
                                                         swmlc: Callable[..., Any], config: str,
                                                         line: int, words: str) -> None:
    project({"swmlc.yaml": config, "agents/a.yaml": "prompt: {text: hi}\n"})
    result = swmlc("build", "--error-format", "json")
    assert result.exit_code == 1
    (error,) = _errors(result)
    assert (error["code"], error["file"], error["line"], error["message"]) == (
        "SWC902", "swmlc.yaml", line, words)


def test_a_huge_one_line_document_prints_a_short_snippet(tmp_path: Path,
                                                         swmlc: Callable[..., Any],
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.chdir(tmp_path)
    doc = '{"version": "1.0.0", "sections": {"main": [' + '{"answer": {}}, ' * 20_000 + \
        '{"ai": {"prompt": {"text": "hi"}, "nope": 1}}]}}'
    (tmp_path / "big.json").write_text(doc)
    result = swmlc("validate", "big.json")
    assert result.exit_code == 1
    assert "unknown key 'nope'" in result.stderr
    assert len(result.stderr) < 2000


@pytest.mark.parametrize(("text", "where"), [
    ("hints: [a, b\n", (1, 13)),
    ("global_data: {a: 1\n", (1, 19)),
    ("hints:\n  - [1,\n", (2, 8)),
])
def test_an_unclosed_collection_is_said_inside_the_file(text: str,
                                                        where: tuple[int, int]) -> None:
    from compiler.source.yaml_reader import read_yaml

    (error,) = read_yaml(text, "a.yaml").diagnostics
    assert (error.span.line, error.span.col) == where
    lines = text.splitlines()
    assert error.span.line <= len(lines) and error.span.col <= len(lines[-1]) + 1


def test_a_bad_agents_folder_is_said_at_its_line_of_swmlc_yaml(project: Callable[..., Path],
                                                               swmlc: Callable[..., Any]) -> None:
    project({"swmlc.yaml": "build: build\nagents: agentz\n"})
    result = swmlc("build", "--error-format", "json")
    (error,) = _errors(result)
    assert (error["code"], error["file"], error["line"], error["column"]) == (
        "SWC903", "swmlc.yaml", 2, 9)


def test_a_large_document_is_explained_as_a_small_one_would_be(monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """Past FOCUS_ABOVE values only the failing parts are explained (the reference library costs
    about half a millisecond per array item); the words and places must not change."""
    import json

    from compiler.signalwire.official_schema import OFFICIAL_CODES, official_schema
    from compiler.source import schema as schema_module
    from compiler.source.schema import SchemaSet

    checker = official_schema(SchemaSet())
    if checker is None:
        pytest.skip("signalwire-sdk (the official schema) is not installed")
    doc = json.loads('{"version": "1.0.0", "sections": {"main": ['
                     + '{"answer": {}}, ' * 3_000
                     + '{"ai": {"prompt": {"txt": "hi"}, "nope": 1, "hints": "a"}}, '
                     + '{"play": {"urls": 3}}]}}')

    def said(focus_above: int) -> list[tuple[str, str | None, str]]:
        monkeypatch.setattr(schema_module, "FOCUS_ABOVE", focus_above)
        diags = checker.problems(doc, OFFICIAL_CODES)
        return sorted((d.message, d.pointer, str(d.code)) for d in diags)

    whole, focused = said(10**9), said(100)
    assert len(whole) >= 3
    assert focused == whole


@pytest.mark.slow
@pytest.mark.parametrize("reader", ["yaml", "json"])
def test_memory_grows_linearly_with_the_input_below_the_limit(reader: str) -> None:
    """Issue 12, point 11: below the size limit, what a file costs grows with its length, not
    faster (traced allocations, which do not depend on the machine's load): 4x the items,
    at most 4.6x the peak; and a bound per byte read, so the default 10 MB limit holds."""
    import json
    import tracemalloc

    from compiler.source.json_reader import read_json
    from compiler.source.yaml_reader import read_yaml

    def text(n: int) -> str:
        if reader == "yaml":
            return "prompt: {text: hi}\nhints:\n" + "".join(f"  - word{i}\n" for i in range(n))
        return json.dumps({"version": "1.0.0", "sections": {"main": [
            {"ai": {"hints": [f"word{i}" for i in range(n)]}}]}})

    def peak(source: str) -> int:
        read = read_yaml if reader == "yaml" else read_json
        tracemalloc.start()
        try:
            assert not read(source, "a").diagnostics
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = text(5_000), text(20_000)
    small_peak, large_peak = peak(small), peak(large)
    assert large_peak / small_peak < 4.6
    assert large_peak / len(large) < 60  # about 37 bytes per byte of YAML, 18 of JSON
