"""``swmlc test --format github`` (an annotation at the failing expectation's line), the
``reachable`` expectation (the steps a conversation can reach from a step), and the editor's
schema line of test and fixture files pointing at a schema that is there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

HEAD = "agent: shop\nfixtures: fixtures/crm.yaml\ncases:\n"


def test_github_format_annotates_the_failing_expectation(shop, swmlc) -> None:
    shop(HEAD + """\
  - name: a known customer
    function: lookup
    args: {name: Ann}
    expect:
      response: {contains: Sunny}
  - name: passes
    function: lookup
    args: {name: Ann}
""")
    result = swmlc("test", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=tests/agents/shop.test.yaml,line=8,col=17,endLine=8,"
        "title=SWC706 test-failed::expect.response: the response does not contain "
        "\"Sunny\"%0Agot: Found Ann Lee.")
    assert lines[1:] == ["tests/agents/shop.test.yaml", "  FAIL a known customer [shop]",
                         "  ok passes [shop]", lines[-1]]
    assert lines[-1].startswith("1 passed, 1 failed in ")
    assert result.stderr == ""


def test_github_format_annotates_a_bad_test_file_too(shop, swmlc) -> None:
    shop(HEAD + "  - name: x\n    function: lokup\n")
    result = swmlc("test", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=tests/agents/shop.test.yaml,line=5,col=15,endLine=5,"
        "title=SWC704 unknown-function::agent 'shop' has no function 'lokup' "
        "(help: did you mean 'lookup'?)")


REACHABLE = HEAD + """\
  - name: from the start
    turns:
      - expect: {reachable: [order, never, billing.pay]}   # order's next step is never
      - step: order
        expect: {reachable: {includes: [billing.pay, never], excludes: [greet]}}
  - name: from a step set by start
    start: {context: billing, step: pay}
    turns:
      - expect: {reachable: []}
"""


def test_reachable_lists_the_steps_a_conversation_can_get_to(shop, swmlc) -> None:
    shop(REACHABLE)
    result = swmlc("test")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("2 passed in ")


def test_reachable_says_what_differs(shop, swmlc) -> None:
    shop(HEAD + """\
  - name: wrong
    turns:
      - expect: {reachable: [order, nevr]}
""")
    result = swmlc("test", "--format", "json")
    assert result.exit_code == 1
    (case,) = json.loads(result.stdout)["cases"]
    assert [(f["at"], f["message"], f["notes"]) for f in case["failures"]] == [
        ("tests/agents/shop.test.yaml:6:29",
         "expect.reachable: the steps reachable from 'greet' differ: also reaches "
         "billing.pay, never; cannot reach nevr; the agent has no step 'nevr' (did you mean "
         "'never'?)",
         ['got: ["billing.pay", "never", "order"]'])]
    shop(HEAD + """\
  - name: wrong
    turns:
      - expect: {reachable: {includes: [greet], excludes: [order]}}
""")
    (case,) = json.loads(swmlc("test", "--format", "json").stdout)["cases"]
    assert case["failures"][0]["message"] == \
        "expect.reachable: from 'greet' the call cannot reach greet; reaches order"


def _schema_lines(root: Path) -> list[tuple[Path, str]]:
    out = []
    for path in sorted(root.rglob("*.yaml")):
        first = path.read_text().splitlines()[0] if path.read_text() else ""
        found = re.match(r"# yaml-language-server: \$schema=(\S+)$", first)
        if found:
            out.append((path, found.group(1)))
    return out


@pytest.mark.parametrize("where", ["repository", "init"])
def test_test_and_fixture_files_name_a_schema_that_is_there(where, tmp_path, swmlc,
                                                             monkeypatch) -> None:
    if where == "init":
        monkeypatch.chdir(tmp_path)
        assert swmlc("init", "repo").exit_code == 0
        root = tmp_path / "repo" / "tests" / "agents"
    else:
        root = REPO / "tests" / "agents"
    lines = _schema_lines(root)
    kinds = {p.name.endswith(".test.yaml") for p, _ in lines}
    assert kinds == {True, False}  # test files and fixture files alike
    for path, ref in lines:
        target = (path.parent / ref).resolve()
        assert target.is_file(), (path, ref)
        want = "agent-test.schema.json" if path.name.endswith(".test.yaml") \
            else "http-fixtures.schema.json"
        assert target.name == want, (path, ref)
        assert json.loads(target.read_text())["$id"].endswith(want)


def test_a_step_context_or_function_expected_that_does_not_exist_says_the_name_meant(
        shop, swmlc) -> None:
    shop(HEAD + """\
  - name: step
    turns: [{expect: {step: gret}}]
  - name: context
    turns: [{expect: {context: defualt}}]
  - name: functions
    turns: [{expect: {functions: [lookpu]}}]
""")
    result = swmlc("test", "--format", "json")
    messages = [f["message"] for case in json.loads(result.stdout)["cases"]
                for f in case["failures"]]
    assert messages == [
        "expect.step: the call is in step greet, not gret; the agent has no step 'gret' (did "
        "you mean 'greet'?)",
        "expect.context: the call is in context default, not defualt; the agent has no "
        "context 'defualt' (did you mean 'default'?)",
        "expect.functions: the functions the model can call differ; the agent has no function "
        "'lookpu' (did you mean 'lookup'?)"]
