"""Import, then build, every SWML document of ../shared/corpus (real and SDK-rendered).

For each document: ``swmlc import`` it into a fresh project, build that project with
``compile_project``, and compare the compiled document with ``migrate(original)``: the ``ai`` verb
key for key, the verbs around it, the other sections. A document either round-trips (and its build
passes the official schema), or the import or the build explains why with an error diagnostic.
Nothing else is allowed. The corpus is test data only: it is read in place, never copied into
the project, and these tests skip when it is absent.

A build that fails only on the static checks (a lint finding in the original agent, such as a
step naming a function that does not exist) is built again with those checks set to warnings
in swmlc.yaml, so the round trip is still measured; such documents are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, corpus_files

DOCS = [*corpus_files("real"), *corpus_files("sdk-rendered")]


@dataclass
class Outcome:
    kind: str  # "round-trip", "explained", "unexplained"
    imported: bool = False
    passes: bool = False
    lint_codes: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)


def _lint_codes() -> set[str]:
    from compiler.lints import rules

    return {rule.CODE.code for rule in rules()}


def run_one(path: Path, root: Path, judge: Any) -> Outcome:
    import yaml

    from compiler.build.compile import compile_project
    from compiler.core.bind import bind
    from compiler.core.tree import to_plain
    from compiler.features.importer import import_files, migrate, round_trip_difference
    from compiler.project.options import Options
    from compiler.source.yaml_reader import read_yaml

    root.mkdir(parents=True, exist_ok=True)
    result = import_files([path], out_dir=root / "agents", root=root, cwd=root)
    (doc,) = result.documents
    errors = [f"{d.code} {d.span.line}:{d.span.col} {d.message}" for d in doc.diagnostics
              if d.severity.label == "error"]
    if not doc.written:
        return Outcome("explained" if errors else "unexplained", why=errors or ["not written"])
    config: dict[str, Any] = {"secrets": doc.secret_names} if doc.secret_names else {}
    (root / "swmlc.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = compile_project(Options(root=root), write=False)
    build_errors = [d for d in built.diagnostics if d.severity.label == "error"]
    lint_codes = sorted({d.code for d in build_errors})
    if build_errors and set(lint_codes) <= _lint_codes():
        config["rules"] = dict.fromkeys(lint_codes, "warning")
        (root / "swmlc.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        built = compile_project(Options(root=root), write=False)
        build_errors = [d for d in built.diagnostics if d.severity.label == "error"]
    else:
        lint_codes = []
    if build_errors:
        return Outcome("explained", imported=True, why=[
            f"{d.code} {d.span}: {d.message}" for d in build_errors])
    (unit,) = built.units
    missing: set[str] = set()
    compiled = bind(to_plain(unit.documents["swml"]), doc.secrets, missing)
    original = to_plain(read_yaml(path.read_text(encoding="utf-8"), path.name).value)
    difference = round_trip_difference(compiled, migrate(original).doc)
    if missing or difference is not None:
        return Outcome("unexplained", imported=True, why=[str(difference), str(missing)])
    passes = not list(judge.iter_errors(compiled))
    return Outcome("round-trip", imported=True, passes=passes, lint_codes=lint_codes)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, judge: Any) -> dict[Path, Outcome]:
    base = tmp_path_factory.mktemp("corpus")
    return {path: run_one(path, base / f"{i:03d}", judge) for i, path in enumerate(DOCS)}


# Imports every corpus document in one fixture (tens of seconds); tests/importer/test_samples.py
# keeps the importer exercised in the quick loop and in a bare clone.
pytestmark = [pytest.mark.skipif(not DOCS, reason=f"no corpus at {CORPUS}"), pytest.mark.slow]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_document_round_trips_or_is_explained(path: Path, outcomes: dict[Path, Outcome]
                                              ) -> None:
    outcome = outcomes[path]
    assert outcome.kind in ("round-trip", "explained"), outcome.why
    if outcome.kind == "round-trip":
        assert outcome.passes, "a round-tripped build must pass the official schema"
    else:
        assert outcome.why, "an explained failure names its diagnostics"


def test_report(outcomes: dict[Path, Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    """The figures docs/import.md quotes, printed with the test run."""
    total = len(outcomes)
    rt = [p for p, o in outcomes.items() if o.kind == "round-trip"]
    passed = [p for p in rt if outcomes[p].passes]
    with_lints = [p for p in rt if outcomes[p].lint_codes]
    explained = [p for p, o in outcomes.items() if o.kind == "explained"]
    by_code: dict[str, int] = {}
    for p in explained:
        for code in {w.split(" ", 1)[0] for w in outcomes[p].why}:
            by_code[code] = by_code.get(code, 0) + 1
    with capsys.disabled():
        print(f"\nswmlc import over the corpus: {total} documents, {len(rt)} round-trip "
              f"({len(with_lints)} of them with lint findings in the original), "
              f"{len(passed)} pass the official schema, {len(explained)} explained by "
              f"diagnostics ({', '.join(f'{c}: {n}' for c, n in sorted(by_code.items()))})")
        for folder in ("real", "sdk-rendered"):
            mine = [p for p in outcomes if p.parent.name == folder]
            print(f"  {folder}: {len(mine)} documents, "
                  f"{sum(outcomes[p].kind == 'round-trip' for p in mine)} round-trip, "
                  f"{sum(outcomes[p].kind == 'explained' for p in mine)} explained")
    assert len(rt) + len(explained) == total
    assert len(passed) == len(rt)
    assert rt, "at least the SDK-rendered documents that pass the schema must round-trip"
