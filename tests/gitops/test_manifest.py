"""Issue 5, point 3: build/manifest.json records, for each agent, its outputs with sha256, the
sha256 of every input it read (its include graph), and the compiler version; sorted and
deterministic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gitops_helpers import REPO, SAMPLE, SAMPLE_AGENTS, sha256_file, write_files

from compiler.core.version import __version__


def _manifest(root: Path) -> dict:
    return json.loads((root / "build/manifest.json").read_text(encoding="utf-8"))


def _hashes(root: Path, *files: str) -> dict[str, str]:
    return {f: sha256_file(root / f) for f in files}


def test_every_input_of_every_agent(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    m = _manifest(sample)
    assert m["compiler"] == f"swmlc {__version__}"
    assert list(m["agents"]) == list(SAMPLE_AGENTS)
    inputs = {name: entry["inputs"] for name, entry in m["agents"].items()}
    fleet = _hashes(sample, "agents/_fleet/rows.csv", "agents/clinic.yaml", "swmlc.yaml")
    assert inputs == {
        "clinic-north": fleet,
        "clinic-south": fleet,
        "minimal": _hashes(sample, "agents/minimal.yaml", "swmlc.yaml"),
        "sales": _hashes(sample, "agents/_base/voice.yaml", "agents/sales.yaml", "swmlc.yaml"),
        "support": _hashes(sample,
                           "agents/_base/voice.yaml",        # extends
                           "agents/_functions/lib.yaml",     # use:
                           "agents/_prompts/facts.md",       # {% include %}
                           "agents/_shared/hints.yaml",      # include
                           "agents/support.yaml", "swmlc.yaml"),
    }
    for name, entry in m["agents"].items():
        assert entry["outputs"] == {f"{name}.swml.json":
                                    sha256_file(sample / f"build/{name}.swml.json")}
    assert {n: e["source"] for n, e in m["agents"].items()} == {
        "clinic-north": "agents/clinic.yaml", "clinic-south": "agents/clinic.yaml",
        "minimal": "agents/minimal.yaml", "sales": "agents/sales.yaml",
        "support": "agents/support.yaml"}


def test_sorted_and_canonical(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    data = (sample / "build/manifest.json").read_bytes()
    m = json.loads(data)
    assert data == (json.dumps(m, indent=2, sort_keys=True) + "\n").encode()

    def check_sorted(value: object) -> None:
        if isinstance(value, dict):
            assert list(value) == sorted(value)
            for v in value.values():
                check_sorted(v)

    check_sorted(m)


@pytest.mark.slow
def test_identical_bytes_across_builds(tmp_path: Path) -> None:
    """Two builds of the same sources in two folders: the same manifest, byte for byte."""
    from gitops_helpers import run_swmlc

    a, b = write_files(tmp_path / "a", SAMPLE), write_files(tmp_path / "b", SAMPLE)
    assert run_swmlc("build", cwd=a).returncode == 0
    assert run_swmlc("build", cwd=b).returncode == 0
    first = (a / "build/manifest.json").read_bytes()
    assert first == (b / "build/manifest.json").read_bytes()
    shutil.rmtree(a / "build")
    assert run_swmlc("build", cwd=a).returncode == 0
    assert (a / "build/manifest.json").read_bytes() == first


def test_nested_extends_and_includes_are_all_listed(project, swmlc) -> None:
    root = project({
        "agents/_base/root.yaml": "params: {end_of_speech_timeout: 600}\n",
        "agents/_base/voice.yaml": "extends: root.yaml\n"
                                   "languages: [{name: English, code: en-US, voice: rime.spore}]\n",
        "agents/_prompts/outer.md": "Outer. {% include 'inner.md' %}",
        "agents/_prompts/inner.md": "Inner.",
        "agents/a.yaml": "extends: _base/voice.yaml\n"
                         "prompt:\n  text: \"{% include '_prompts/outer.md' %}\"\n",
    })
    assert swmlc("build").exit_code == 0
    assert _manifest(root)["agents"]["a"]["inputs"] == _hashes(
        root, "agents/_base/root.yaml", "agents/_base/voice.yaml", "agents/_prompts/inner.md",
        "agents/_prompts/outer.md", "agents/a.yaml")
    doc = json.loads((root / "build/a.swml.json").read_text())
    assert doc["sections"]["main"][1]["ai"]["prompt"]["text"] == "Outer. Inner."


def test_vars_file_is_an_input(project, swmlc) -> None:
    root = project({"vars.yaml": "who: Acme\n",
                    "agents/a.yaml": "prompt:\n  text: You are {{ who }}.\n"})
    assert swmlc("build", "--vars-file", "vars.yaml").exit_code == 0
    assert _manifest(root)["agents"]["a"]["inputs"] == _hashes(root, "agents/a.yaml",
                                                              "vars.yaml")


def test_bundled_agents(tmp_path: Path) -> None:
    """The repository's own agents: the manifest lists each one's full include graph."""
    from gitops_helpers import run_swmlc

    root = tmp_path / "p"
    shutil.copytree(REPO / "agents", root / "agents")
    shutil.copy(REPO / "swmlc.yaml", root / "swmlc.yaml")
    proc = run_swmlc("build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    m = _manifest(root)
    assert m["agents"]["clinic-pearl"]["inputs"] == _hashes(
        root, "agents/_base/clinic-voice.yaml", "agents/_fleet/clinics.csv",
        "agents/_functions/clinic.yaml", "agents/_prompts/clinic-facts.md",
        "agents/_shared/vet-hints.yaml", "agents/clinic.yaml", "swmlc.yaml")
    for name, entry in m["agents"].items():
        for out, digest in entry["outputs"].items():
            assert digest == sha256_file(root / "build" / out), (name, out)
        for f, digest in entry["inputs"].items():
            assert digest == sha256_file(root / f), (name, f)


def test_input_hash_is_the_hash_of_the_file_bytes_even_with_a_bom(project, swmlc) -> None:
    """A fleet CSV saved by a spreadsheet starts with a UTF-8 BOM. The manifest must record the
    sha256 of the file as it is on disk (what `sha256sum` says, and what the next build hashes
    to decide reuse), not of the decoded text without the BOM."""
    root = project({"agents/f.yaml": "agent: \"f-{{ slug }}\"\ninstances: _fleet/rows.csv\n"
                                     "prompt:\n  text: You serve {{ city }}.\n"})
    (root / "agents/_fleet").mkdir()
    (root / "agents/_fleet/rows.csv").write_bytes(
        b"\xef\xbb\xbfslug,city\r\na,Alpha\r\nb,Beta\r\n")
    assert swmlc("build").exit_code == 0
    assert _manifest(root)["agents"]["f-a"]["inputs"]["agents/_fleet/rows.csv"] == \
        sha256_file(root / "agents/_fleet/rows.csv")
    # and so the next build, which hashes the files on disk, reuses both agents
    assert swmlc("build").output == "2 agents in build/: 0 compiled, 2 up to date " \
                                    "(0 written, 3 unchanged)\n"


def test_secrets_are_recorded_by_pointer(project, swmlc) -> None:
    root = project({
        "swmlc.yaml": "secrets: [PP_PASS]\n",
        "agents/a.yaml": "prompt:\n  text: Hi.\n"
                         "post_prompt_url: \"https://u:{{ secret('PP_PASS') }}@h.example/p\"\n",
    })
    assert swmlc("build").exit_code == 0
    entry = _manifest(root)["agents"]["a"]
    assert entry["secrets"] == {"a.swml.json#/sections/main/1/ai/post_prompt_url": ["PP_PASS"]}
    assert "PP_PASS" not in (root / "build/a.swml.json").read_text().replace(
        "<<secret:PP_PASS>>", "")
