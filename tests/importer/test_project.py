"""``swmlc import FOLDER -o DIR`` over tests/data/swml/project (documents written for these tests):
a project a team would keep, proven by building it back to every document."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from compiler.core.bind import bind
from compiler.core.tree import to_plain
from compiler.features.importer import ImportRequest, import_project, round_trip_difference
from compiler.source.files import read_source
from tests.conftest import REPO

SAMPLES = REPO / "tests" / "data" / "swml" / "project"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample documents in ``legacy/``, the working directory its parent."""
    shutil.copytree(SAMPLES, tmp_path / "legacy")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_folder_becomes_a_project_and_the_report_says_what_became_of_each_document(
        folder: Path, swmlc: Callable[..., Any]) -> None:
    result = swmlc("import", "legacy", "-o", "proj")
    assert result.exit_code == 1  # three documents are refused
    assert _files(folder / "proj") == [
        "agents/_base/legacy.yaml", "agents/_functions/legacy.yaml", "agents/after_hours.yaml",
        "agents/billing.yaml", "agents/front_desk.yaml", "swmlc.yaml"]
    report = result.stderr[result.stderr.index("swmlc import: "):].splitlines()
    assert report[0] == ("swmlc import: 6 documents: 3 imported (50%), building to "
                         "schema-valid SWML (1 migrated, 1 with TODOs), 3 refused")
    assert report[report.index("refused (why):") + 1:report.index("refused (why):") + 4] == [
        "  legacy/broken.json:3:63: SWC008 a raw line break inside a string: JSON needs it "
        "escaped",
        "  legacy/ivr.yaml:3:3: SWC611 no ai verb in sections.main: nothing to import as an "
        "agent",
        '  legacy/music_on_hold.json:5:16: SWC614 expected a mapping, got a string '
        '("ring:5.0:us")']
    assert "skipped (not SWML documents): legacy/notes.yaml" in report
    assert "  family 'legacy': 3 agents, base _base/legacy.yaml, 1 shared functions" in report


def _import(folder: Path, **options: Any) -> Any:
    return import_project(ImportRequest(["legacy"], folder / "proj", folder, **options))


@pytest.mark.slow
def test_the_project_builds_and_each_agent_is_its_document(
        folder: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    result = _import(folder)
    monkeypatch.chdir(folder / "proj")
    built = swmlc("build")
    assert built.exit_code == 0, built.stderr
    imported = [d for d in result.documents if d.status == "imported"]
    assert sorted(str(d.name) for d in imported) == ["after_hours", "billing", "front_desk"]
    for doc in imported:
        out = json.loads((folder / "proj" / "build" / f"{doc.name}.swml.json").read_text())
        # each extends the family's base: every value, list and nested key order is the
        # document's; only the order of the ai verb's own fields follows the layers
        assert round_trip_difference(out, doc.expected, fields_in_any_order=True) is None
        assert round_trip_difference(out, doc.expected) is not None  # the base's fields first
        # the placeholders bound with this document's own values give the migrated document
        assert round_trip_difference(bind(out, doc.secret_values, set()), doc.migrated.doc,
                                     fields_in_any_order=True) is None


def test_credentials_are_declared_secrets_named_for_what_they_are(folder: Path) -> None:
    result = _import(folder)
    assert [(s.name, len(s.values)) for s in result.secrets] == [
        ("CALENDAR_API_KEY", 1), ("CALENDAR_TOKEN", 1), ("GET_BALANCE_API_KEY", 1),
        ("GET_BALANCE_TOKEN", 1), ("LOOKUP_PATIENT_TOKEN", 2), ("MESSAGES_SWAIG_PASSWORD", 1),
        ("MESSAGES_SWAIG_USER", 1), ("POST_PROMPT_PASSWORD", 1), ("POST_PROMPT_USER", 1),
        ("SWAIG_PASSWORD", 1), ("SWAIG_USER", 1)]
    config = (folder / "proj" / "swmlc.yaml").read_text()
    assert config.endswith(
        "swaig:\n  base_url: https://tools.harbor.example/swaig/\n"
        "  auth_user: \"{{ secret('SWAIG_USER') }}\"\n"
        "  auth_password: \"{{ secret('SWAIG_PASSWORD') }}\"\n")
    written = "\n".join((folder / "proj" / f).read_text() for f in _files(folder / "proj"))
    for secret in result.secrets:
        assert f"- {secret.name}\n" in config
        for value in secret.values:  # a short user name may be part of a host name
            places = [value] if len(value) >= 12 else [f"//{value}:", f":{value}@"]
            assert not any(p in written for p in places), (secret.name, value)
    billing = next(d for d in result.documents if d.name == "billing")
    [said] = [d for d in billing.diagnostics if d.code == "SWC615"]
    assert (said.span.line, said.severity.label) == (20, "warning")  # the SWAIG defaults
    assert said.message == ("credentials are written as secrets: SWAIG_USER, SWAIG_PASSWORD, "
                            "LOOKUP_PATIENT_TOKEN, GET_BALANCE_API_KEY, GET_BALANCE_TOKEN "
                            "(9 credentials in 4 places)")


def test_shared_settings_go_to_a_base_and_shared_functions_to_a_library(folder: Path) -> None:
    _import(folder)
    agents = folder / "proj" / "agents"
    base = (agents / "_base" / "legacy.yaml").read_text()
    assert base.split("\n", 2)[2] == (
        "languages:\n  - name: English\n    code: en-US\n    voice: rime.spore\n"
        "params:\n  end_of_speech_timeout: 600\n  attention_timeout: 15000\n"
        "hints:\n  - Harbor\n  - dental\nswml:\n  after:\n    - hangup: {}\n")
    library = (agents / "_functions" / "legacy.yaml").read_text()
    assert "  - function: lookup_patient\n" in library
    assert "    webhook: /?__token={{ secret('LOOKUP_PATIENT_TOKEN') }}\n" in library
    for name in ("billing", "front_desk"):
        text = (agents / f"{name}.yaml").read_text()
        assert "extends: _base/legacy.yaml\n" in text
        assert "  - use: _functions/legacy.yaml#lookup_patient\n" in text
        assert "hangup" not in text and "rime.spore" not in text
    front = (agents / "front_desk.yaml").read_text()
    # the SWAIG defaults are what the build writes for swaig.base_url: left out
    assert "swaig_defaults" not in front and "tools.harbor.example" not in front
    assert "apikey={{ secret('CALENDAR_API_KEY') }}&day=${enc:args.day}" in front
    assert "Authorization: Bearer {{ secret('CALENDAR_TOKEN') }}" in front
    # an agent with no SWAIG defaults keeps its URLs: a webhook: path would add some
    after = (agents / "after_hours.yaml").read_text()
    assert "web_hook_url: https://{{ secret('SWAIG_USER') }}:{{ secret('SWAIG_PASSWORD') }}" \
           "@tools.harbor.example/swaig/page\n" in after


def test_a_finding_in_the_original_agent_is_a_todo_silenced_where_it_is(
        folder: Path, swmlc: Callable[..., Any]) -> None:
    result = swmlc("import", "legacy", "-o", "proj")
    text = (folder / "proj" / "agents" / "billing.yaml").read_text()
    assert ("            - get_balance\n"
            "            # swmlc: TODO step 'balance' uses 'send_receipt', which is not a "
            "function of this agent (SWC410, found in the original agent)\n"
            "            # swmlc: ignore[SWC410]\n"
            "            - send_receipt\n") in text
    assert "warning[SWC617]: TODO left: step 'balance' uses 'send_receipt'" in result.stderr
    assert "--> proj/agents/billing.yaml:18:1" in result.stderr


def test_keep_going_keeps_a_fault_outside_the_ai_verb_with_a_todo(
        folder: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    result = _import(folder, keep_going=True)
    [kept] = [d for d in result.documents if d.status == "kept"]
    assert kept.name == "music_on_hold"
    text = (folder / "proj" / "agents" / "music_on_hold.yaml").read_text()
    assert text.endswith(
        "swml:\n  before:\n    # swmlc: TODO expected a mapping, got a string "
        "(\"ring:5.0:us\") (the official schema refuses it; kept as written)\n"
        "    - play: ring:5.0:us\n")
    monkeypatch.chdir(folder / "proj")
    built = swmlc("build", "--error-format", "json")
    assert built.exit_code == 1
    assert [(d["code"], d["file"], d["line"]) for d in json.loads(built.stdout)
            if d["severity"] == "error"] == [("SWC501", "agents/music_on_hold.yaml", 11)]


def test_each_migration_is_said_at_its_line(folder: Path) -> None:
    result = _import(folder)
    [doc] = [d for d in result.documents if d.name == "after_hours"]
    assert sorted((d.span.line, d.message) for d in doc.diagnostics if d.code == "SWC613") == [
        (2, "no version: the build writes version: 1.0.0, the only version SWML has"),
        (4, "the verb 'answer' written as a bare string is written answer: {}"),
        (19, "legacy 'language' repeats 'name': removed"),
        (24, "user and pass move into url as user:password@ (held in secrets by the "
             "imported definition)"),
        (28, "deprecated 'purpose' is written as 'description'"),
        (29, "deprecated 'argument' is written as 'parameters'"),
        (29, "parameters without properties: an empty 'properties' is added (the schema "
             "requires one; the function still takes no arguments)"),
        (32, "the verb 'hangup' written as a bare string is written hangup: {}")]
    # a documented param the schema lacks is known; one close to no known name is a warning
    warned = [(d.code, d.message.split(":")[0]) for d in result.diagnostics
              if d.code == "SWC419"]
    assert warned == [("SWC419", "unknown param 'frobnicate_level'")]
    assert all(d.severity.label == "warning" for d in result.diagnostics if d.code == "SWC419")


def test_importing_into_a_project_updates_its_swmlc_yaml(folder: Path) -> None:
    (folder / "proj").mkdir()
    (folder / "proj" / "swmlc.yaml").write_text(
        "# Harbor Dental's agents\nagents: agents\nsecrets:\n  - PAGER_KEY  # the pager\n")
    result = _import(folder)
    config = (folder / "proj" / "swmlc.yaml").read_text()
    assert config.startswith("# Harbor Dental's agents\nagents: agents\nsecrets:\n"
                             "  - PAGER_KEY  # the pager\n  - CALENDAR_API_KEY\n")
    assert "swaig:\n  base_url: https://tools.harbor.example/swaig/\n" in config
    assert result.ok is False  # the refused documents
    loaded = read_source(config, "swmlc.yaml")
    assert to_plain(loaded.value)["secrets"][0] == "PAGER_KEY"


def test_nothing_is_written_while_a_file_would_be_replaced(folder: Path) -> None:
    (folder / "proj" / "agents").mkdir(parents=True)
    (folder / "proj" / "agents" / "billing.yaml").write_text("prompt: {text: mine}\n")
    result = _import(folder)
    conflicts = [d for d in result.notes if d.code == "SWC616"]
    assert [d.message for d in conflicts] == [
        "proj/agents/billing.yaml exists already: nothing was written"]
    assert _files(folder / "proj") == ["agents/billing.yaml"]
    assert (folder / "proj" / "agents" / "billing.yaml").read_text() == "prompt: {text: mine}\n"


def test_a_project_whose_swaig_server_is_a_template_keeps_it_and_the_full_urls(
        folder: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """An existing swmlc.yaml is the project's: the proof builds in a scratch folder with a
    swmlc.yaml of its own, and function URLs stay whole when the server is a template."""
    (folder / "proj").mkdir()
    (folder / "proj" / "swmlc.yaml").write_text(
        "env: [TOOLS_URL]\nswaig:\n  base_url: \"{{ env('TOOLS_URL', 'https://t.example') }}\"\n")
    result = _import(folder)
    assert result.swaig is None
    config = (folder / "proj" / "swmlc.yaml").read_text()
    assert config.startswith("env: [TOOLS_URL]\nswaig:\n  base_url: \"{{ env('TOOLS_URL', ")
    written = "\n".join((folder / "proj" / f).read_text() for f in _files(folder / "proj"))
    assert "webhook:" not in written
    assert "@tools.harbor.example/swaig/?__token={{ secret('LOOKUP_PATIENT_TOKEN') }}" in written
    monkeypatch.chdir(folder / "proj")
    assert swmlc("build").exit_code == 0
