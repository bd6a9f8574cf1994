"""``swmlc explain``: every layer a value came from, named for what it is (issue 13, points 6
and 10): swmlc's default answer verb, swmlc.yaml's ``swaig:``, a list merged from a base, an
include and the agent, a fleet row; and, for a pointer that does not exist, the one meant."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

PROJECT = {
    "swmlc.yaml": (
        "secrets: [SWAIG_PASSWORD]\n"
        "swaig:\n"
        "  base_url: https://tools.example.com/swaig\n"
        "  auth_user: bot\n"
        "  auth_password: \"{{ secret('SWAIG_PASSWORD') }}\"\n"
        "vars:\n"
        "  company: Acme\n"),
    "agents/_base/v.yaml": (
        "hints: [Acme]\n"
        "swml:\n"
        "  after: [{hangup: {}}]\n"),
    "agents/_shared/h.yaml": "hints: !append [Zeta]\n",
    "agents/_fleet/rows.csv": "slug,city\nnorth,Northville\n",
    "agents/support.yaml": (
        "extends: _base/v.yaml\n"
        "include: [_shared/h.yaml]\n"
        "prompt:\n"
        "  text: You help {{ company }} callers.\n"
        "hints: !append [swimmel]\n"
        "functions:\n"
        "  - function: transfer\n"
        "    description: Transfer\n"
        "    webhook: /transfer\n"),
    "agents/branch.yaml": (
        "agent: \"branch-{{ slug }}\"\n"
        "instances: _fleet/rows.csv\n"
        "prompt:\n"
        "  text: You answer for {{ company }} in {{ city }}.\n"),
}


@pytest.fixture
def explain(project: Callable[..., Path], swmlc: Callable[..., Result]
            ) -> Callable[[str, str], Result]:
    project(PROJECT)
    assert swmlc("build").exit_code == 0
    return lambda agent, pointer: swmlc("explain", agent, pointer)


def test_the_implicit_answer_verb_is_swmlc_s_default(explain: Callable[..., Result]) -> None:
    result = explain("support", "/sections/main/0")
    assert result.exit_code == 0
    assert result.stdout == (
        'support /sections/main/0 = {"answer": {}}\n'
        "  from swmlc's default: no layer sets swml.before, which defaults to "
        '[{"answer": {}}] (docs/source-format.md)\n')
    after = explain("support", "/sections/main/2")
    assert after.stdout.splitlines()[1:] == [
        "  from agents/_base/v.yaml:3:11, 3:20 (base)",
        "    agents/_base/v.yaml is extended at agents/support.yaml:1:10"]


def test_swaig_defaults_come_from_the_project_config(explain: Callable[..., Result]) -> None:
    result = explain("support", "/sections/main/1/ai/SWAIG/defaults")
    assert result.stdout.splitlines()[1:] == [
        "  from swmlc.yaml:3:13, 4:14, 5:18 (project config)"]
    url = explain("support", "/sections/main/1/ai/SWAIG/functions/0/web_hook_url")
    assert url.stdout.splitlines()[1:] == [
        "  from 2 layers:",
        "    project config: swmlc.yaml:3:13, 4:14, 5:18",
        "    agent: agents/support.yaml:9:14"]


def test_a_merged_list_names_every_layer_that_added_to_it(
        explain: Callable[..., Result]) -> None:
    result = explain("support", "/sections/main/1/ai/hints")
    assert result.stdout.splitlines() == [
        'support /sections/main/1/ai/hints = ["Acme", "Zeta", "swimmel"]',
        "  from 3 layers:",
        "    base: agents/_base/v.yaml:1:9",
        "      agents/_base/v.yaml is extended at agents/support.yaml:1:10",
        "    include: agents/_shared/h.yaml:1:17",
        "      agents/_shared/h.yaml is included at agents/support.yaml:2:11",
        "    agent: agents/support.yaml:5:8, 5:17"]


def test_a_templated_value_names_the_layers_of_its_variables(
        explain: Callable[..., Result]) -> None:
    result = explain("branch-north", "/sections/main/1/ai/prompt/text")
    assert result.stdout.splitlines() == [
        'branch-north /sections/main/1/ai/prompt/text = "You answer for Acme in Northville."',
        "  from 3 layers:",
        "    project config: swmlc.yaml:7:12",
        "    agent: agents/branch.yaml:4:9",
        "    fleet row: agents/_fleet/rows.csv:2:1",
        '  template: "You answer for {{ company }} in {{ city }}."',
        '    city = "Northville" (set at agents/_fleet/rows.csv:2:1: fleet row)',
        '    company = "Acme" (set at swmlc.yaml:7:12: project config)']


@pytest.mark.parametrize(("pointer", "meant"), [
    ("/ai/hints", "/sections/main/1/ai/hints"),
    ("/sections/main/1/ai/hint", "/sections/main/1/ai/hints"),
    ("/sections/main/1/ai/promt/text", "/sections/main/1/ai/prompt/text"),
])
def test_a_pointer_that_does_not_exist_gets_the_one_that_does(
        explain: Callable[..., Result], pointer: str, meant: str) -> None:
    result = explain("support", pointer)
    assert result.exit_code == 1
    assert result.stdout == f"support: nothing at {pointer}; did you mean {meant}?\n"


def test_explain_help_shows_the_pointer_syntax_and_an_example(
        swmlc: Callable[..., Result]) -> None:
    text = " ".join(swmlc("explain", "--help").stdout.split())
    assert "POINTER is a JSON pointer (RFC 6901) into the compiled document" in text
    assert "'~1' stands for a '/' inside a key" in text
    assert "(/ai/hints -> /sections/main/1/ai/hints)" in text
    assert "Example: swmlc explain support /sections/main/1/ai/params/barge_confidence" in text
