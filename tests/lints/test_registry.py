"""Every rule: registered in code order, documented, its examples honest, the bundled agents
clean."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from compiler.core.diagnostics import Code
from compiler.lints import rules
from compiler.lints._doc import examples

REPO = Path(__file__).resolve().parents[2]
SECTIONS = ("## What it does", "## Why", "## Example (fails)", "## Use instead (passes)")
RULES = rules()


def test_rules_are_in_code_order_with_unique_codes_and_names() -> None:
    codes = [r.CODE.code for r in RULES]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert len({r.CODE.name for r in RULES}) == len(RULES)
    assert all(re.fullmatch(r"SWC4\d\d", c) for c in codes)


def test_codes_registry_lists_every_rule() -> None:
    from compiler.features.catalogue import registry

    reg = registry()
    for rule in RULES:
        assert reg[rule.CODE.code] is rule.CODE
    assert list(reg) == sorted(reg)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE.code)
def test_rule_is_documented(rule: ModuleType) -> None:
    code: Code = rule.CODE
    doc = rule.__doc__ or ""
    positions = [doc.find(s) for s in SECTIONS]
    assert all(p >= 0 for p in positions), f"{code.code} docstring lacks a section"
    assert positions == sorted(positions)
    assert code.summary and code.bad and code.good
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.name)
    assert callable(rule.check)
    lines = len(Path(rule.__file__ or "").read_text().splitlines())
    assert 35 <= lines <= 200, f"{code.code}: {lines} lines"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE.code)
def test_bad_example_fails_and_good_example_passes(rule: ModuleType, lint_only) -> None:
    code = rule.CODE.code
    assert [d.code for d in lint_only(rule.CODE.bad, code)] != [], f"{code}: bad passes"
    assert lint_only(rule.CODE.good, code) == [], f"{code}: good fails"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE.code)
def test_docstring_has_both_examples(rule: ModuleType) -> None:
    """Both example sections hold a yaml block, and CODE (so docs/diagnostics.md) takes its
    examples from them rather than from a copy."""
    bad, good = examples(rule.__doc__ or "")
    assert bad.strip() and good.strip(), f"{rule.CODE.code}: an empty example"
    assert (rule.CODE.bad, rule.CODE.good) == (bad, good), f"{rule.CODE.code}: not rule_code"


def test_examples_needs_both_sections() -> None:
    bad = "## Example (fails)\n```yaml\na: 1\n```\n"
    good = "## Use instead (passes)\n```yaml\na: 2\n```\n"
    assert examples(bad + good) == ("a: 1\n", "a: 2\n")
    for doc in (bad, good, bad + "## Use instead (passes)\nno block\n"):
        with pytest.raises(ValueError, match="no ```yaml block"):
            examples(doc)


def test_bundled_agents_lint_clean() -> None:
    from compiler.build.units import compile_files
    from compiler.pipeline.check import check
    from compiler.pipeline.context import Session
    from compiler.pipeline.run import PIPELINE
    from compiler.project.load import load_project
    from compiler.project.options import Options

    upto = PIPELINE[: PIPELINE.index(check) + 1]
    project, problems = load_project(Options(root=REPO))
    assert problems == []
    files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "agents").glob("*.yaml"))
    assert len(files) >= 5
    done = compile_files(Session(project), files, passes=upto, keep_units=True)
    units, diags = done.units, done.diagnostics
    assert [f"{d.span} {d.code} {d.message}" for d in diags] == []
    assert all(u.tree is not None for u in units)
