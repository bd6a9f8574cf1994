"""``swmlc import`` over the documents of tests/data/swml, in the quick loop and in a bare clone
(the whole corpus is tests/importer/test_corpus.py, slow): what is imported, migrated, refused,
and that an imported project builds back to the migrated document."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compiler.core.bind import bind
from compiler.features.importer import ImportRequest, import_project, migrate
from compiler.source.yaml_reader import read_yaml
from tests.conftest import REPO

SAMPLES = REPO / "tests" / "data" / "swml"


def _import(tmp_path: Path, *names: str) -> Any:
    for name in names:
        shutil.copy(SAMPLES / name, tmp_path / name)
    return import_project(ImportRequest(names, tmp_path / "proj", tmp_path))


def test_each_sample_is_imported_or_refused_with_its_reason(tmp_path: Path) -> None:
    result = _import(tmp_path, "weather.json", "receptionist.yaml", "no_ai.json",
                     "refused.json")
    by_source = {Path(d.source).name: d for d in result.documents}
    assert [n for n, d in sorted(by_source.items()) if d.status == "imported"] == \
        ["receptionist.yaml", "weather.json"]
    refused = by_source["refused.json"]
    assert [(d.code, d.span.line, d.message) for d in refused.diagnostics] == [
        ("SWC614", 8, "unknown key 'voice' in sections.main[0].ai")]
    no_ai = by_source["no_ai.json"]
    assert [d.code for d in no_ai.diagnostics] == ["SWC611"]
    weather = by_source["weather.json"]
    migrated = sorted((d.span.line, d.message) for d in weather.diagnostics
                      if d.code == "SWC613")
    assert [line for line, _ in migrated] == [17, 17, 38, 39]
    assert weather.secret_names == ["POST_PROMPT_PASSWORD", "POST_PROMPT_USER",
                                    "SWAIG_PASSWORD", "SWAIG_USER"]


def test_imported_definitions_build_back_to_the_migrated_documents(
        tmp_path: Path, swmlc: Callable[..., Any], monkeypatch: Any) -> None:
    result = _import(tmp_path, "weather.json", "receptionist.yaml")
    values = {s.name: s.values[0] for s in result.secrets}
    monkeypatch.chdir(tmp_path / "proj")
    built = swmlc("build")
    assert built.exit_code == 0, built.stderr
    for source, agent in (("weather.json", "weather"), ("receptionist.yaml", "receptionist")):
        text = (SAMPLES / source).read_text()
        original = json.loads(text) if source.endswith(".json") else _plain(text)
        want = migrate(original).doc
        doc = json.loads((tmp_path / "proj" / "build" / f"{agent}.swml.json").read_text())
        assert bind(doc, values, set()) == want, agent


def _plain(text: str) -> Any:
    from compiler.core.tree import to_plain

    return to_plain(read_yaml(text, "x.yaml").value)
