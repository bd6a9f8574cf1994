"""Issue 5, point 8: docs/ci.md gives a GitHub Actions workflow and a GitLab CI job that run
`swmlc check`, (GitHub) with `--format github`. The snippets are parsed, and their swmlc
commands are run as the CI would run them, in a temporary repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from gitops_helpers import REPO, SAMPLE, commit_all, git, git_init, write_files

DOC = REPO / "docs/ci.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", DOC.read_text(encoding="utf-8"),
                      flags=re.S | re.M)


def _yaml_blocks() -> list[dict]:
    return [yaml.safe_load(b) for b in _blocks("yaml")]


def _github() -> dict:
    (wf,) = [b for b in _yaml_blocks() if isinstance(b, dict) and "check" in b.get("jobs", {})]
    return wf


def _sharded() -> dict:
    (wf,) = [b for b in _yaml_blocks() if isinstance(b, dict) and "merge" in b.get("jobs", {})]
    return wf


def _gitlab() -> dict:
    (ci,) = [b for b in _yaml_blocks() if isinstance(b, dict) and "swmlc-check" in b]
    return ci


def _bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert shutil.which("swmlc"), "the swmlc command must be on PATH (pip install -e .)"
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, **env}, timeout=300)


def _stale_repo(tmp_path: Path) -> tuple[Path, str]:
    """A clone whose `origin/main` holds the sample with its build, and whose work tree (a
    pull request) changes the agent `support` without rebuilding."""
    origin = git_init(tmp_path / "origin")
    write_files(origin, SAMPLE)
    assert subprocess.run(["swmlc", "build"], cwd=origin, capture_output=True).returncode == 0
    commit_all(origin, "agents")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    support = clone / "agents/support.yaml"
    support.write_text(support.read_text().replace("You are {{ company }} support.",
                                                   "You are {{ company }} support, be kind.")
                       + "  - use: _functions/lib.yaml#transfer\n")
    commit_all(clone, "pull request")
    base = git(clone, "merge-base", "HEAD", "origin/main").stdout.strip()
    return clone, base


def test_github_workflow_runs_swmlc_check_with_github_format() -> None:
    wf = _github()
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 readers take the key `on` for true
    assert "pull_request" in triggers and "push" in triggers
    steps = wf["jobs"]["check"]["steps"]
    assert [s.get("uses") for s in steps[:2]] == ["actions/checkout@v4", "actions/setup-python@v5"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0].startswith("pip install \"swmlc @ git+")
    assert runs[-1] == "swmlc check --format github"


@pytest.mark.slow
def test_github_check_step_output_is_annotations(tmp_path: Path) -> None:
    clone, _base = _stale_repo(tmp_path)
    run = _github()["jobs"]["check"]["steps"][-1]["run"]
    proc = _bash(run, clone)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "::error file=agents/support.yaml,title=SWC910 stale-build::support: "
        "build/support.swml.json is stale: prompt section 'Role' changed; function transfer "
        "added (help: run `swmlc build` and commit build/)"]


@pytest.mark.slow
def test_github_diff_step_writes_the_comment_and_the_summary(tmp_path: Path) -> None:
    job = _github()["jobs"]["diff"]
    assert job["permissions"]["pull-requests"] == "write"
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    (step,) = [s for s in job["steps"] if s.get("name") == "swmlc diff"]
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    (comment,) = [s for s in job["steps"] if s.get("name") == "Comment on the pull request"]
    assert "--body-file swmlc-diff.md" in comment["run"]

    clone, _base = _stale_repo(tmp_path)
    summary = tmp_path / "summary.md"
    proc = _bash(step["run"], clone, BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary))
    assert proc.returncode == 0, proc.stderr
    expected = (
        "### swmlc: 1 agent changed against `origin/main`\n\n"
        "- **`support`**\n"
        "  - *prompt*\n"
        "    - prompt section 'Role' changed\n"
        "      ```diff\n"  # the changed words (issue 13, point 15)
        "      - Role You are Acme support.\n"
        "      + Role You are Acme support, be kind.\n"
        "      ```\n"
        "  - *functions*\n"
        "    - function transfer added\n")
    assert (clone / "swmlc-diff.md").read_text() == expected
    assert summary.read_text() == expected


@pytest.mark.slow
def test_the_example_comment_is_real_output(tmp_path: Path) -> None:
    (example,) = re.findall(r"^  ```markdown\n(.*?)^  ```", DOC.read_text(encoding="utf-8"),
                            flags=re.S | re.M)
    example = "".join(line[2:] + "\n" for line in example.splitlines())
    clone, _base = _stale_repo(tmp_path)
    write_files(clone, {"agents/billing.yaml": "prompt:\n  text: You handle billing.\n"})
    proc = subprocess.run(["swmlc", "diff", "--against", "origin/main", "--format", "markdown"],
                          cwd=clone, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == example


@pytest.mark.slow
def test_gitlab_job_runs_swmlc_check_in_a_format_for_the_log(tmp_path: Path) -> None:
    ci = _gitlab()
    script = ci["swmlc-check"]["script"]
    assert script[0].startswith("pip install \"swmlc @ git+")
    assert script[-1] == "swmlc check --format human"
    assert not any("--format github" in line for line in script)

    clone, _base = _stale_repo(tmp_path)
    proc = _bash(script[-1], clone)
    assert proc.returncode == 1
    assert ("error[SWC910]: support: build/support.swml.json is stale: prompt section 'Role' "
            "changed; function transfer added") in proc.stderr


@pytest.mark.slow
def test_gitlab_diff_job(tmp_path: Path) -> None:
    job = _gitlab()["swmlc-diff"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    clone, base = _stale_repo(tmp_path)
    env = {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "SWMLC_NOTE_TOKEN": ""}
    for line in job["script"][1:]:  # all but pip install
        proc = _bash(line, clone, **env)
        assert proc.returncode == 0, (line, proc.stderr)
    assert (clone / "swmlc-diff.md").read_text().startswith(
        f"### swmlc: 1 agent changed against `{base}`\n")
    assert job["artifacts"]["paths"] == ["swmlc-diff.md"]


def test_pre_commit_snippet_names_the_shipped_hooks() -> None:
    (config,) = [b for b in _yaml_blocks() if isinstance(b, dict) and "repos" in b]
    hook_ids = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    used = [h["id"] for r in config["repos"] for h in r["hooks"]]
    assert used and set(used) <= hook_ids
    text = DOC.read_text(encoding="utf-8")
    for hook in sorted(hook_ids):
        assert f"`{hook}`" in text


def test_gitignore_snippet_covers_what_a_build_leaves_beside_build(sample: Path) -> None:
    (ignore,) = _blocks("gitignore")
    pattern = ignore.strip()
    git_init(sample)
    (sample / ".gitignore").write_text(pattern + "\n")
    assert subprocess.run(["swmlc", "build"], cwd=sample, capture_output=True).returncode == 0
    untracked = git(sample, "status", "--porcelain", "--untracked-files=all").stdout
    assert ".swmlc-" not in untracked
    assert "?? build/manifest.json" in untracked


@pytest.mark.parametrize("lang", ["yaml"])
def test_every_yaml_block_parses(lang: str) -> None:
    assert len(_blocks(lang)) >= 3
    for block in _blocks(lang):
        yaml.safe_load(block)


@pytest.mark.slow  # nine checkouts, eight builds and a merge, as processes
def test_the_sharded_workflow_builds_8_shards_whose_merge_is_the_single_build(
        tmp_path: Path) -> None:
    """Issue 17, point 4: the matrix's build step, run for shards 1 to 8 as the runners would
    (each in a checkout of its own), and the merge job's step over the 8 folders, give the
    build/ one machine writes, byte for byte (git diff --exit-code passes)."""
    jobs = _sharded()["jobs"]
    assert jobs["shards"]["strategy"]["matrix"]["shard"] == list(range(1, 9))
    assert jobs["merge"]["needs"] == "shards"
    (step,) = [s for s in jobs["shards"]["steps"] if s.get("name") == "build one shard"]
    (merge,) = [s for s in jobs["merge"]["steps"] if s.get("name") == "merge the shards"]
    rows = "slug,city\n" + "".join(f"c{i},City{i}\n" for i in range(9))
    origin = git_init(tmp_path / "origin")
    write_files(origin, {**SAMPLE, "agents/_fleet/rows.csv": rows})
    assert subprocess.run(["swmlc", "build"], cwd=origin, capture_output=True).returncode == 0
    commit_all(origin, "agents")
    merger = tmp_path / "merger"
    git(tmp_path, "clone", "-q", str(origin), str(merger))
    cache = tmp_path / "cache"
    for k in range(1, 9):
        runner = tmp_path / f"runner-{k}"
        git(tmp_path, "clone", "-q", str(origin), str(runner))
        proc = _bash(step["run"], runner, SHARD=str(k), SWMLC_CACHE_DIR=str(cache))
        assert proc.returncode == 0, proc.stderr
        assert "cache:" in proc.stderr  # -v: the hit rate
        shutil.copytree(runner / f"shards/shard-{k}", merger / f"shards/shard-{k}")
    proc = _bash(merge["run"], merger)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.startswith("12 agents from 8 shards in build/")


@pytest.mark.slow
def test_the_test_jobs_run_swmlc_test_and_keep_the_junit_report(tmp_path: Path) -> None:
    """Issue 14: both CI snippets run the agents' tests, the GitHub one as annotations, the
    GitLab one into the merge request's test report; run here as the CI would run them."""
    github = _github()["jobs"]["test"]["steps"][-1]["run"]
    gitlab = _gitlab()["swmlc-test"]
    assert github == "swmlc test --coverage --format github --junit reports/agents.xml"
    assert gitlab["script"][-1] == "swmlc test --coverage --junit reports/agents.xml"
    assert gitlab["artifacts"]["reports"]["junit"] == "reports/agents.xml"
    clone, _base = _stale_repo(tmp_path)
    write_files(clone, {"tests/agents/support.test.yaml": (
        "agent: support\ncases:\n  - name: the role\n"
        "    turns: [{expect: {prompt: {contains: nobody says this}}}]\n")})
    proc = _bash(github, clone)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith(
        "::error file=tests/agents/support.test.yaml,line=4,")
    assert (clone / "reports/agents.xml").read_text().count("<failure ") == 1
    assert _bash(gitlab["script"][-1], clone).returncode == 1
