"""The repository's own agents are tested: ``swmlc test`` passes in the repository root and
reaches every branch of every function (DataMap and webhook) and every step, and the test and
fixture files follow the schemas editors are given for them."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import REPO


def test_swmlc_test_passes_at_full_coverage_in_the_repository(swmlc, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = swmlc("test", "--coverage", "--min-coverage", "100", "--format", "json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["summary"]["failed"] == 0 and run["summary"]["passed"] >= 23
    assert run["errors"] == []
    assert {name: (c["covered"], c["total"]) for name, c in run["coverage"].items()} == {
        "clinic-beaverton": (2, 2), "clinic-pearl": (2, 2), "clinic-sellwood": (2, 2),
        "intake": (9, 9), "receptionist": (1, 1), "weather": (11, 11)}


def _validator(name: str):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = {p.name: json.loads(p.read_text()) for p in (REPO / "schemas").glob("*.json")}
    registry = Registry().with_resources(
        (f"https://swmlc.dev/schemas/{n}", Resource.from_contents(s)) for n, s in schemas.items())
    return Draft202012Validator(schemas[name], registry=registry)


@pytest.mark.parametrize(("pattern", "schema"), [
    ("*.test.yaml", "agent-test.schema.json"), ("fixtures/*.yaml", "http-fixtures.schema.json")])
def test_the_bundled_files_follow_their_published_schema(pattern: str, schema: str) -> None:
    """The schemas as editors read them (the test schema refers to the fixture schema by a
    relative reference), judged by the reference jsonschema library, not swmlc's code."""
    validator = _validator(schema)
    files = sorted((REPO / "tests/agents").glob(pattern))
    assert files
    for path in files:
        text = path.read_text()
        assert text.startswith("# yaml-language-server: $schema="), path
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
        assert errors == [], (path.name, errors)


@pytest.mark.parametrize(("marker", "schema"), [
    ("agent-test.schema.json", "agent-test.schema.json"),
    ("http-fixtures.schema.json", "http-fixtures.schema.json")])
def test_the_documented_examples_follow_the_schemas(marker: str, schema: str) -> None:
    import re

    text = (REPO / "docs/testing.md").read_text()
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if marker in b]
    assert blocks, f"docs/testing.md shows a whole file for {schema}"
    validator = _validator(schema)
    for block in blocks:
        assert [e.message for e in validator.iter_errors(yaml.safe_load(block))] == []
