"""``swmlc import FILE... [-o DIR]``: SWML documents in, clean agent definitions out, each one
checked by compiling it back to the document it came from."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.core.tree import to_plain
from compiler.features.importer import import_text
from compiler.features.importer.yamlout import dump_yaml
from compiler.source.yaml_reader import read_yaml

DOC = {
    "version": "1.0.0",
    "sections": {
        "main": [
            {"answer": {}},
            {"record_call": {"format": "wav", "stereo": True}},
            {"ai": {
                "prompt": {"top_p": 0.5, "temperature": 0.3,
                           "text": "You are Sam.\nBe brief.\n"},
                "post_prompt": {"text": "Summarize."},
                "post_prompt_url": "https://hooks.example.com/summary",
                "post_prompt_auth_user": "me",
                "post_prompt_auth_password": "s3cret",
                "params": {"verbose_logs": "true", "end_of_speech_timeout": 600},
                "hints": ["no", "Acme"],
                "SWAIG": {
                    "defaults": {"web_hook_url": "https://tools.example.com/swaig"},
                    "functions": [{"function": "lookup", "purpose": "Find an order",
                                   "argument": {"type": "object", "properties": {
                                       "id": {"type": "string", "description": "The id"}}}}],
                },
                "languages": [{"name": "English", "code": "en-US", "voice": "rime.spore"}],
            }},
            {"hangup": {}},
        ],
        "voicemail": [{"play": {"url": "say:Leave a message"}}, {"hangup": {}}],
    },
}


def ai_of(doc: Any) -> Any:
    return next(v["ai"] for v in doc["sections"]["main"] if "ai" in v)


def write(folder: Path, name: str, doc: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def test_import_writes_a_clean_definition(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"legacy/support.json": json.dumps(DOC, indent=2)})
    result = swmlc("import", "legacy/support.json")
    assert result.exit_code == 0, result.output
    text = (root / "agents" / "support.yaml").read_text(encoding="utf-8")
    assert text == """\
# Imported from legacy/support.json by swmlc import.
prompt:
  top_p: 0.5
  temperature: 0.3
  text: |
    You are Sam.
    Be brief.
post_prompt:
  text: Summarize.
post_prompt_url: https://{{ secret('POST_PROMPT_USER') }}:\
{{ secret('POST_PROMPT_PASSWORD') }}@hooks.example.com/summary
params:
  verbose_logs: true
  end_of_speech_timeout: 600
hints:
  - 'no'
  - Acme
swaig_defaults:
  web_hook_url: https://tools.example.com/swaig
functions:
  - function: lookup
    description: Find an order
    parameters:
      type: object
      properties:
        id:
          type: string
          description: The id
languages:
  - name: English
    code: en-US
    voice: rime.spore
swml:
  before:
    - answer: {}
    - record_call:
        format: wav
        stereo: true
  after:
    - hangup: {}
  sections:
    voicemail:
      - play:
          url: say:Leave a message
      - hangup: {}
"""
    assert "s3cret" not in text
    config = (root / "swmlc.yaml").read_text(encoding="utf-8")
    assert "secrets:\n  - POST_PROMPT_PASSWORD\n  - POST_PROMPT_USER\n" in config
    assert "s3cret" not in config
    assert "swmlc import: 1 document: 1 imported (100%)" in result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("warning[")]
    codes = [line.split("]")[0] + "]" for line in said]
    assert codes == ["warning[SWC615]"] + ["warning[SWC613]"] * 4
    assert said[0].endswith("credentials are written as secrets: POST_PROMPT_USER, "
                            "POST_PROMPT_PASSWORD (2 credentials in 1 place)")


def test_the_written_project_builds_back_to_the_document(
        project: Callable[..., Path], swmlc: Any) -> None:
    from compiler.core.bind import bind
    from compiler.features.importer import migrate

    root = project({"legacy/support.json": json.dumps(DOC)})
    assert swmlc("import", "legacy/support.json").exit_code == 0
    assert swmlc("build").exit_code == 0  # swmlc.yaml declares the secrets
    built = json.loads((root / "build" / "support.swml.json").read_text(encoding="utf-8"))
    missing: set[str] = set()
    bound = bind(built, {"POST_PROMPT_USER": "me", "POST_PROMPT_PASSWORD": "s3cret"}, missing)
    want = migrate(DOC).doc
    assert not missing
    assert ai_of(bound) == ai_of(want)
    assert list(ai_of(bound)) == list(ai_of(want))  # key order too
    assert bound["sections"] == want["sections"]


def test_out_dir_writes_a_project_and_force_overwrites(project: Callable[..., Path],
                                                       swmlc: Any) -> None:
    root = project({"a.json": json.dumps(DOC)})
    assert swmlc("import", "a.json", "-o", "proj").exit_code == 0
    assert sorted(p.relative_to(root / "proj").as_posix()
                  for p in (root / "proj").rglob("*") if p.is_file()) == [
        "agents/a.yaml", "swmlc.yaml"]
    first = (root / "proj" / "agents" / "a.yaml").read_bytes()
    again = swmlc("import", "a.json", "-o", "proj")
    assert again.exit_code == 1 and "SWC616" in again.stderr
    assert "proj/agents/a.yaml exists already: nothing was written" in again.stderr
    assert swmlc("import", "a.json", "-o", "proj", "--force").exit_code == 0
    assert (root / "proj" / "agents" / "a.yaml").read_bytes() == first  # deterministic


def test_a_json_and_yaml_pair_get_two_names(project: Callable[..., Path], swmlc: Any) -> None:
    import yaml

    root = project({"SWML.json": json.dumps(DOC), "SWML.yaml": yaml.safe_dump(DOC)})
    result = swmlc("import", "SWML.json", "SWML.yaml", "-o", "p")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (root / "p" / "agents").glob("*.yaml")) == [
        "SWML-yaml.yaml", "SWML.yaml"]


def test_name_names_the_agent_of_one_document(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"a.json": json.dumps(DOC), "b.json": json.dumps(DOC)})
    assert swmlc("import", "a.json", "--name", "front-desk", "-o", "p").exit_code == 0
    assert (root / "p" / "agents" / "front-desk.yaml").is_file()
    two = swmlc("import", "a.json", "b.json", "--name", "x", "-o", "q")
    assert two.exit_code == 2 and "--name names the agent of one document" in two.stderr
    bad = swmlc("import", "a.json", "--name", "_partial", "-o", "q")
    assert bad.exit_code == 2 and "Invalid value for --name" in bad.stderr
    assert not (root / "q").exists()


def test_json_and_yaml_give_the_same_definition() -> None:
    import yaml

    a = import_text(json.dumps(DOC, indent=2), "x.json")
    b = import_text(yaml.safe_dump(DOC, sort_keys=False), "x.yaml")
    assert [d.status for d in (*a.documents, *b.documents)] == ["imported", "imported"]
    assert a.files["agents/x.yaml"].replace("x.json", "x.yaml") == b.files["agents/x.yaml"]


def test_a_document_without_ai_is_explained(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"ivr.yaml": "version: 1.0.0\nsections:\n  main:\n"
                                "    - play: {url: 'say:hi'}\n"})
    result = swmlc("import", "ivr.yaml", "--error-format", "json")
    assert result.exit_code == 1
    diags = json.loads(result.stdout)
    assert [(d["code"], d["line"]) for d in diags] == [("SWC611", 3)]
    assert not (root / "agents").exists() and not (root / "swmlc.yaml").exists()


def _errors(text: str, source: str) -> list[tuple[str, int]]:
    [doc] = import_text(text, source).documents
    return sorted((d.code, d.span.line) for d in doc.diagnostics if d.severity.label == "error")


def test_what_the_source_format_cannot_hold_is_an_error_at_its_line() -> None:
    said = _errors(
        '{"version": "1.0.0", "sections": {"main": [{"ai": {\n'
        '  "prompt": {"text": "Hi"},\n'
        '  "SWAIG": {"functions": [], "mcp_servers": [{"url": "https://m"}]},\n'
        '  "multilingual": {"languages": [{"language": "en"}]}}}]}}\n', "x.json")
    assert ("SWC612", 4) in said
    assert any(code in ("SWC612", "SWC614") and line == 3 for code, line in said)


def test_what_the_official_schema_still_refuses_is_an_error_at_its_line() -> None:
    [doc] = import_text("sections:\n  main:\n    - ai:\n        prompt: {text: Hi}\n"
                        "        params:\n          debug_webhook_level: 'loud'\n",
                        "x.yaml").documents
    assert doc.status == "refused"
    assert [(d.code, d.span.line) for d in doc.diagnostics] == [("SWC613", 1), ("SWC614", 6)]


def test_several_ai_verbs_are_refused() -> None:
    assert _errors("sections:\n  main:\n    - ai: {prompt: {text: A}}\n"
                   "    - ai: {prompt: {text: B}}\n", "x.yaml") == [("SWC611", 4)]


def test_ai_first_keeps_an_empty_before() -> None:
    result = import_text("version: 1.0.0\nsections:\n  main:\n    - ai: {prompt: {text: A}}\n",
                         "x.yaml")
    assert result.documents[0].status == "imported"
    assert "swml:\n  before: []\n" in result.files["agents/x.yaml"]


def test_text_that_looks_like_jinja_survives() -> None:
    result = import_text(json.dumps({"version": "1.0.0", "sections": {"main": [{"ai": {
        "prompt": {"text": "Say {{ literally }} and {% this %}. Then ${global_data.x}."},
        "global_data": {"x": 1}}}]}}), "x.json")
    [doc] = result.documents
    assert doc.status == "imported", [d.message for d in doc.diagnostics]
    assert "{% raw %}" in result.files["agents/x.yaml"]
    assert doc.compiled == doc.expected


@pytest.mark.parametrize("text", [
    "a {% endraw %} then {{ b }}", "{%", "{%%}", "x{{", "}}{%", "{% raw %}", "{{{ a }}}",
    "{#c#} {%- endraw -%} %}"])
def test_text_holding_jinja_s_own_end_tags_survives(text: str) -> None:
    """A raw block cannot hold its own end tag: the text comes back whatever it holds."""
    result = import_text(json.dumps({"version": "1.0.0", "sections": {"main": [{"ai": {
        "prompt": {"text": text}}}]}}), "x.json")
    [doc] = result.documents
    assert doc.status == "imported", [d.message for d in doc.diagnostics]
    assert doc.compiled["sections"]["main"][0]["ai"]["prompt"]["text"] == text


def test_inline_url_credentials_become_secrets_and_are_shared() -> None:
    fn = {"function": "f", "description": "d",
          "web_hook_url": "https://agent:pw@tools.example.com/f"}
    result = import_text(json.dumps({"version": "1.0.0", "sections": {"main": [{"ai": {
        "prompt": {"text": "Hi"},
        "SWAIG": {"defaults": {"web_hook_url": "https://agent:pw@tools.example.com/d"},
                  "functions": [fn]}}}]}}), "my agent.json")
    [doc] = result.documents
    assert doc.status == "imported"
    assert [(s.name, s.values) for s in result.secrets] == [
        ("SWAIG_PASSWORD", ["pw"]), ("SWAIG_USER", ["agent"])]
    text = result.files["agents/my-agent.yaml"]
    assert "pw@" not in text and "{{ secret('SWAIG_PASSWORD') }}" in text
    [said] = [d for d in doc.diagnostics if d.code == "SWC615"]
    assert said.message == ("credentials are written as secrets: SWAIG_USER, SWAIG_PASSWORD "
                            "(4 credentials in 2 places)")


def test_runtime_credentials_stay_in_the_url() -> None:
    url = "https://${global_data.user}:${global_data.pass}@tools.example.com/f"
    result = import_text(json.dumps({"version": "1.0.0", "sections": {"main": [{"ai": {
        "prompt": {"text": "Hi"}, "global_data": {"user": "u", "pass": "p"},
        "SWAIG": {"defaults": {"web_hook_url": url}}}}]}}), "x.json")
    assert result.documents[0].status == "imported" and result.secrets == []
    assert url in result.files["agents/x.yaml"]


@pytest.mark.slow
def test_import_of_swmlc_builds_gives_back_the_same_documents(tmp_path: Path) -> None:
    """import(build(agent)) builds to build(agent), for every bundled agent: secret
    placeholders come back as secret() templates under their own names."""
    import shutil

    from compiler.build.compile import compile_project
    from compiler.project.options import Options
    from tests.conftest import REPO

    shutil.copytree(REPO / "agents", tmp_path / "agents")
    if (REPO / "swmlc.yaml").is_file():
        shutil.copy(REPO / "swmlc.yaml", tmp_path / "swmlc.yaml")
    built = compile_project(Options(root=tmp_path), write=False)
    assert built.ok and built.units
    for unit in built.units:
        original = to_plain(unit.documents["swml"])
        result = import_text(json.dumps(original, indent=2), f"{unit.name}.swml.json")
        [doc] = result.documents
        assert doc.status == "imported", (unit.name, [d.message for d in doc.diagnostics])
        assert doc.compiled == original, unit.name
        assert "<<secret:" not in result.files[f"agents/{unit.name}.yaml"]


# -- the YAML writer -----------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["no", "on", "Yes", "1:20", "0o17", "012", "1_000", "~", "null", "- x",
                     "a: b", "#c", "x\n", "a\nb", "a  \nb\n", " lead\nx", "x\n\n", "\tt\n",
                     "${global_data.x}", "%{args.y}", "'q'", '"d"', "", " ", "é\u2028x"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=20)


def _reads_back_exactly(data: dict[str, Any]) -> None:
    from compiler.features.importer import first_difference

    text = dump_yaml(data, ["header"])
    back = read_yaml(text, "x.yaml")
    assert not back.diagnostics, (text, back.diagnostics)
    assert first_difference(to_plain(back.value) if data else {}, data) is None, text


_DOCUMENTS = st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=5)
test_dump_yaml_reads_back_exactly = settings(max_examples=50)(
    given(data=_DOCUMENTS)(_reads_back_exactly))
test_dump_yaml_reads_back_exactly_at_length = pytest.mark.slow(
    settings(max_examples=300)(given(data=_DOCUMENTS)(_reads_back_exactly)))


@pytest.mark.parametrize("value", ["no", "off", "Y", "1:20", "012"])
def test_yaml_1_1_lookalikes_are_quoted(value: str) -> None:
    import yaml

    text = dump_yaml({"hints": [value]}, [])
    assert yaml.safe_load(text) == {"hints": [value]}  # a YAML 1.1 reader agrees


@pytest.mark.parametrize("text", [
    '{"version": "1.0.0", "sections": {"main": [{"ai": {\n'
    '  "prompt": {"text": "Line one\nline two"}}}]}}\n',
    '{"version": "1.0.0", "sections": {"main": [{"ai": {\n'
    '  "prompt": {"text": "Hi", "temperature": NaN}}}]}}\n',
], ids=["raw-newline", "nan"])
def test_validate_and_import_give_one_verdict(project: Callable[..., Path], swmlc: Any,
                                              text: str) -> None:
    """One strict JSON reader: what validate refuses, import refuses, at the same place."""
    project({"doc.json": text})
    checked = swmlc("validate", "--error-format", "json", "doc.json")
    imported = swmlc("import", "--error-format", "json", "doc.json")
    assert checked.exit_code == imported.exit_code == 1

    def where(result: Any) -> list[tuple[str, int, int, str]]:
        return [(d["code"], d["line"], d["column"], d["message"])
                for d in json.loads(result.stdout) if d["severity"] == "error"]

    assert where(checked) == where(imported)
    [(code, line, _, _)] = where(checked)
    assert (code, line) == ("SWC008", 2)
