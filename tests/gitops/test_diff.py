"""Issue 5, point 2: `swmlc diff [--against GIT_REF]`, the semantic difference of the compiled
agents between two states of a git repository, grouped by agent, then prompt sections,
functions, languages, params; `--format markdown` for a pull-request comment."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from gitops_helpers import SAMPLE, commit_all, git, git_init, run_swmlc, write_files

from compiler.features.diff.semantic import describe, diff_documents

SUPPORT_V2 = (
    "extends: _base/voice.yaml\n"
    "include: [_shared/hints.yaml]\n"
    "prompt:\n"
    "  sections:\n"
    "    - title: Role\n"
    "      body: You are {{ company }} support. Be brief.\n"
    "    - title: Escalation\n"
    "      body: Transfer angry callers.\n"
    "functions:\n"
    "  - use: _functions/lib.yaml#lookup\n"
    "    description: Look up an order by its number\n"
    "  - use: _functions/lib.yaml#transfer\n"
    "languages:\n"
    "  - {name: English, code: en-US, voice: rime.spore}\n"
    "  - {name: Spanish, code: es-ES, voice: rime.spore}\n"
    "params:\n"
    "  end_of_speech_timeout: 800\n"
    "  barge_confidence: 0.5\n"
)

TEXT = """\
billing: added
minimal: removed
support:
  prompt:
    prompt section 'Escalation' added
    prompt section 'Facts' removed
    prompt section 'Role' changed
      …You are Acme support. {+Be brief.+}
  functions:
    function transfer added
    function lookup changed (description)
  languages:
    language es-ES added
  params:
    param end_of_speech_timeout: 600 -> 800
    param barge_confidence added: 0.5
"""

MARKDOWN = """\
### swmlc: 3 agents changed against `{ref}`

- **`billing`** added
- **`minimal`** removed
- **`support`**
  - *prompt*
    - prompt section 'Escalation' added
    - prompt section 'Facts' removed
    - prompt section 'Role' changed
      ```diff
      - …You are Acme support.
      + …You are Acme support. Be brief.
      ```
  - *functions*
    - function transfer added
    - function lookup changed (description)
  - *languages*
    - language es-ES added
  - *params*
    - param end_of_speech_timeout: 600 -> 800
    - param barge_confidence added: 0.5
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with two commits: the sample project, then a change to `support`, a
    deleted `minimal` and a new `billing`."""
    root = git_init(tmp_path / "repo")
    write_files(root, SAMPLE)
    commit_all(root, "first")
    write_files(root, {"agents/support.yaml": SUPPORT_V2,
                       "agents/billing.yaml": "prompt:\n  text: You handle billing.\n"})
    (root / "agents/minimal.yaml").unlink()
    commit_all(root, "second")
    monkeypatch.chdir(root)
    return root


def test_text_between_two_commits(repo: Path, swmlc) -> None:
    result = swmlc("diff", "--against", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert result.output == TEXT


def test_markdown_between_two_commits(repo: Path, swmlc) -> None:
    first = git(repo, "rev-parse", "HEAD~1").stdout.strip()
    result = swmlc("diff", "--against", first, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output == MARKDOWN.format(ref=first)


def test_against_head_sees_the_work_tree(repo: Path, swmlc) -> None:
    assert swmlc("diff").output == "no agent changes against HEAD\n"
    assert swmlc("diff", "--format", "markdown").output == \
        "**swmlc**: no agent changes against `HEAD`.\n"
    base = repo / "agents/_base/voice.yaml"
    base.write_text(base.read_text().replace("600", "700"))  # support overrides it: no change
    result = swmlc("diff")
    assert result.exit_code == 0
    assert result.output == "sales:\n  params:\n    param end_of_speech_timeout: 600 -> 700\n"


def test_against_a_branch(repo: Path, swmlc) -> None:
    git(repo, "branch", "base", "HEAD~1")
    assert swmlc("diff", "--against", "base").output == TEXT


def test_as_a_subprocess_from_a_subfolder(repo: Path) -> None:
    """swmlc.yaml marks the project root: diff works from any folder inside it."""
    proc = run_swmlc("diff", "--against", "HEAD~1", cwd=repo / "agents/_base")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == TEXT


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path, monkeypatch) -> None:
    root = git_init(tmp_path / "mono")
    write_files(root / "voice", SAMPLE)
    write_files(root, {"README.md": "a monorepo\n"})
    commit_all(root, "first")
    write_files(root / "voice", {"agents/support.yaml": SUPPORT_V2,
                                 "agents/billing.yaml": "prompt:\n  text: Billing.\n"})
    (root / "voice/agents/minimal.yaml").unlink()
    proc = run_swmlc("diff", "--against", "HEAD", cwd=root / "voice")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == TEXT


def test_fleet_rows(repo: Path, swmlc) -> None:
    (repo / "agents/_fleet/rows.csv").write_text(
        "slug,city\nnorth,North Harbor\nwest,Westfield\n")
    assert swmlc("diff").output == (
        "clinic-north:\n"
        "  prompt:\n"
        "    prompt text changed\n"
        "      You book visits in [-Northville.-]{+North Harbor.+}\n"
        "clinic-south: removed\n"
        "clinic-west: added\n")


def test_diff_leaves_the_repository_alone(repo: Path, swmlc) -> None:
    (repo / "agents/sales.yaml").write_text("prompt:\n  text: Changed.\n")
    before = git(repo, "status", "--porcelain").stdout
    stash = git(repo, "stash", "list").stdout
    assert swmlc("diff", "--against", "HEAD~1").exit_code == 0
    assert git(repo, "status", "--porcelain").stdout == before
    assert git(repo, "stash", "list").stdout == stash
    assert not (repo / "build").exists()


def test_unknown_ref(repo: Path, swmlc) -> None:
    result = swmlc("diff", "--against", "no-such-ref")
    assert result.exit_code == 1
    assert "error: git cannot read 'no-such-ref'" in result.output


def test_work_tree_does_not_compile(repo: Path, swmlc) -> None:
    (repo / "agents/sales.yaml").write_text("prompt:\n  txt: typo\n")
    result = swmlc("diff")
    assert result.exit_code == 1
    assert "agents/sales.yaml" in result.output


def test_ref_before_the_project_existed(tmp_path: Path, monkeypatch) -> None:
    root = git_init(tmp_path / "repo")
    write_files(root, {"README.md": "empty\n"})
    commit_all(root, "empty")
    write_files(root, {"agents/a.yaml": "prompt:\n  text: A.\n"})
    proc = run_swmlc("diff", "--against", "HEAD", "--format", "markdown", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "### swmlc: 1 agent changed against `HEAD`\n\n- **`a`** added\n"


def test_outside_a_git_repository(sample: Path, swmlc) -> None:
    result = swmlc("diff")
    assert result.exit_code == 1
    assert result.output.startswith("error: git cannot read 'HEAD'")


# -- the words: semantic_diff on documents -------------------------------------------------------

def _doc(ai: dict) -> dict:
    return {"version": "1.0.0", "sections": {"main": [{"answer": {}}, {"ai": ai}]}}


def test_groups_come_in_order_prompt_functions_languages_params() -> None:
    old = _doc({"params": {"a": 1}, "languages": [{"code": "en-US"}],
                "SWAIG": {"functions": [{"function": "f", "description": "x"}]},
                "prompt": {"pom": [{"title": "Role", "body": "x"}]}})
    new = _doc({"params": {"a": 2}, "languages": [{"code": "fr-FR"}],
                "SWAIG": {"functions": [{"function": "g", "description": "x"}]},
                "prompt": {"pom": [{"title": "Role", "body": "y"}]}})
    assert [(c.group, c.text) for c in diff_documents(old, new)] == [
        ("prompt", "prompt section 'Role' changed"),
        ("functions", "function g added"),
        ("functions", "function f removed"),
        ("languages", "language fr-FR added"),
        ("languages", "language en-US removed"),
        ("params", "param a: 1 -> 2"),
    ]


def test_contexts_steps_and_post_prompt() -> None:
    steps = [{"name": "greet", "text": "Hi"}, {"name": "ask", "text": "Ask"}]
    old = _doc({"prompt": {"text": "t", "contexts": {"default": {"steps": steps}}},
                "post_prompt": {"text": "sum", "temperature": 0.2}})
    new = _doc({"prompt": {"text": "t", "contexts": {
                    "default": {"steps": [steps[0], {"name": "ask", "text": "Ask twice"}]},
                    "billing": {"steps": [{"name": "pay", "text": "Pay"}]}}},
                "post_prompt": {"text": "sum", "temperature": 0.5}})
    assert describe(diff_documents(old, new)) == (
        "context 'default' step ask changed (text); context 'billing' added; "
        "post_prompt temperature: 0.2 -> 0.5")


def test_reordered_sections_hints_and_verbs() -> None:
    a, b = {"title": "A", "body": "a"}, {"title": "B", "body": "b"}
    old = _doc({"prompt": {"pom": [a, b]}, "hints": ["x"]})
    new = _doc({"prompt": {"pom": [b, a]}, "hints": ["x", "y"]})
    new["sections"]["main"].append({"hangup": {}})
    assert describe(diff_documents(old, new)) == (
        "prompt sections reordered; hint \"y\" added; verbs after the ai verb changed")


def test_relay_documents_are_their_own_ai_object() -> None:
    old = {"prompt": {"text": "a"}, "params": {"x": 1}}
    new = {"prompt": {"text": "b"}, "params": {"x": 1}}
    assert describe(diff_documents(old, new)) == "prompt text changed"


def test_identical_documents_have_no_changes() -> None:
    doc = json.loads(json.dumps(_doc({"prompt": {"text": "a"}})))
    assert diff_documents(doc, doc) == []


def test_git_is_needed(repo: Path, swmlc, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = swmlc("diff")
    assert result.exit_code == 1
    assert "error: swmlc diff needs git on PATH" in result.output


def test_subprocess_markdown_is_a_pr_comment(repo: Path) -> None:
    proc = run_swmlc("diff", "--against", "HEAD~1", "--format", "markdown", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == MARKDOWN.format(ref="HEAD~1")
    assert subprocess.run(["git", "diff", "--quiet"], cwd=repo).returncode == 0


# -- issue 13, point 15: the changed words of prompt text ----------------------------------------

LONG = ("You answer the phone for Acme Veterinary. Callers are often worried about their pets, "
        "so speak calmly and kindly. Offer the emergency line for anything urgent. Book routine "
        "visits on weekdays between nine and five. Never give medical advice over the phone.")


def test_a_changed_prompt_text_shows_its_changed_words_with_a_little_context() -> None:
    new = LONG.replace("calmly and kindly", "calmly, kindly and briefly").replace(
        "Never give", "Do not give")
    [change] = diff_documents(_doc({"prompt": {"text": LONG}}), _doc({"prompt": {"text": new}}))
    assert change.text == "prompt text changed"
    assert [h.marked for h in change.hunks] == [
        "…their pets, so speak [-calmly-]{+calmly, kindly+} and [-kindly.-]{+briefly.+} "
        "Offer the emergency line…",
        "…between nine and five. [-Never-]{+Do not+} give medical advice over…",
    ]
    assert [(h.old, h.new) for h in change.hunks][1] == (
        "…between nine and five. Never give medical advice over…",
        "…between nine and five. Do not give medical advice over…")


def test_many_changes_are_cut_to_a_few_and_counted() -> None:
    words = [f"w{i}" for i in range(200)]
    new = [w.upper() if i % 20 == 0 else w for i, w in enumerate(words)]
    [change] = diff_documents(_doc({"prompt": {"text": " ".join(words)}}),
                              _doc({"prompt": {"text": " ".join(new)}}))
    assert len(change.hunks) == 3 and change.more == 7
    assert change.hunks[0].marked == "[-w0-]{+W0+} w1 w2 w3 w4…"
    from compiler.features.diff.render import render_diff
    from compiler.features.diff.semantic import AgentDiff

    text = render_diff([AgentDiff("a", "changed", [change])], "text", "HEAD")
    assert text.splitlines()[-1] == "      (and 7 other changes)"
    markdown = render_diff([AgentDiff("a", "changed", [change])], "markdown", "HEAD")
    assert markdown.splitlines()[5:10] == [
        "      ```diff", "      - w0 w1 w2 w3 w4…", "      + W0 w1 w2 w3 w4…",
        "      - …w16 w17 w18 w19 w20 w21 w22 w23 w24…",
        "      + …w16 w17 w18 w19 W20 w21 w22 w23 w24…"]
    assert markdown.splitlines()[-2:] == ["        (and 7 other changes)", "      ```"]


def test_a_step_s_text_and_a_section_s_bullets_show_their_words() -> None:
    old = _doc({"prompt": {"pom": [{"title": "Rules", "bullets": ["Be kind", "Be brief"]}],
                           "contexts": {"default": {"steps": [{"name": "ask",
                                                               "text": "Ask the name"}]}}}})
    new = _doc({"prompt": {"pom": [{"title": "Rules", "bullets": ["Be kind", "Be short"]}],
                           "contexts": {"default": {"steps": [{"name": "ask",
                                                               "text": "Ask the full name"}]}}}})
    assert [(c.text, [h.marked for h in c.hunks]) for c in diff_documents(old, new)] == [
        ("prompt section 'Rules' changed", ["…Be kind - Be [-brief-]{+short+}"]),
        ("context 'default' step ask changed (text)", ["Ask the {+full+} name"]),
    ]


def test_backticks_in_the_text_get_a_longer_fence() -> None:
    from compiler.features.diff.render import render_diff
    from compiler.features.diff.semantic import AgentDiff

    changes = diff_documents(_doc({"prompt": {"text": "Say ```code``` once"}}),
                             _doc({"prompt": {"text": "Say ```code``` twice"}}))
    lines = render_diff([AgentDiff("a", "changed", changes)], "markdown", "HEAD").splitlines()
    assert lines[5:] == ["      ````diff", "      - Say ```code``` once",
                         "      + Say ```code``` twice", "      ````"]
