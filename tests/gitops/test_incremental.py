"""Issue 5, point 3 (continued): a build skips agents whose inputs are unchanged; a no-op build
rewrites no file; outputs of deleted agents are removed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from gitops_helpers import SAMPLE_AGENTS, snapshot, stats

from compiler.build.compile import compile_project
from compiler.project.options import Options

N = len(SAMPLE_AGENTS)


def _build(root: Path, **kw) -> object:
    result = compile_project(Options(root=root, env=dict(os.environ), **kw))
    assert result.ok, [d.message for d in result.diagnostics]
    return result


def _recompiled(result) -> list[str]:
    return sorted(a.name for a in result.agents if not a.reused)


def test_noop_build_compiles_nothing_and_touches_nothing(sample: Path) -> None:
    first = _build(sample)
    assert first.reused == 0 and len(first.agents) == N
    before_bytes, before_stats = snapshot(sample / "build"), stats(sample / "build")
    second = _build(sample)
    assert second.reused == N
    assert _recompiled(second) == []
    assert second.written == [] and second.removed == []
    assert second.unchanged == sorted([*(f"{a}.swml.json" for a in SAMPLE_AGENTS),
                                       "manifest.json"])
    assert snapshot(sample / "build") == before_bytes
    assert stats(sample / "build") == before_stats  # same inodes, same mtime_ns, same folder
    # beside build/: the lock and the stat cache (compiler/build/stat_cache.py), nothing else
    assert sorted(p.name for p in sample.iterdir() if p.name.startswith(".swmlc-")) == [
        ".swmlc-build.lock", ".swmlc-build.stat"]


def test_noop_build_summary(sample: Path, swmlc) -> None:
    assert swmlc("build").output == f"{N} agents in build/: {N} compiled, 0 up to date " \
                                    f"({N + 1} written, 0 unchanged)\n"
    assert swmlc("build").output == f"{N} agents in build/: 0 compiled, {N} up to date " \
                                    f"(0 written, {N + 1} unchanged)\n"


def test_changed_base_recompiles_exactly_the_agents_that_extend_it(sample: Path) -> None:
    _build(sample)
    before = stats(sample / "build")
    base = sample / "agents/_base/voice.yaml"
    base.write_text(base.read_text().replace("600", "650"))
    result = _build(sample)
    assert _recompiled(result) == ["sales", "support"]
    assert result.reused == N - 2
    assert result.written == ["manifest.json", "sales.swml.json", "support.swml.json"]
    after = stats(sample / "build")
    for name in ("clinic-north", "clinic-south", "minimal"):  # untouched: same inode and mtime
        assert after[f"{name}.swml.json"] == before[f"{name}.swml.json"]
    doc = json.loads((sample / "build/sales.swml.json").read_text())
    assert doc["sections"]["main"][1]["ai"]["params"] == {"end_of_speech_timeout": 650}


def test_changed_shared_base_summary(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    base = sample / "agents/_base/voice.yaml"
    base.write_text(base.read_text().replace("600", "650"))
    assert swmlc("build").output == (f"{N} agents in build/: 2 compiled, {N - 2} up to date "
                                     f"(3 written, {N - 2} unchanged)\n")


@pytest.mark.parametrize(("path", "old", "new", "expected"), [
    ("agents/_shared/hints.yaml", "Acme", "Acme Corp", ["support"]),
    ("agents/_functions/lib.yaml", "Look up an order", "Find an order", ["support"]),
    ("agents/_functions/lib.yaml", "Transfer the caller", "Transfer", ["support"]),
    ("agents/_prompts/facts.md", "9 to 5", "8 to 6", ["support"]),
    ("agents/_fleet/rows.csv", "Southport", "South Port", ["clinic-north", "clinic-south"]),
    ("agents/minimal.yaml", "minimal agent", "small agent", ["minimal"]),
    ("swmlc.yaml", "Acme", "Acme Corp", list(SAMPLE_AGENTS)),
])
@pytest.mark.slow
def test_each_kind_of_input_triggers_exactly_its_agents(sample: Path, path: str, old: str,
                                                        new: str, expected: list[str]) -> None:
    _build(sample)
    f = sample / path
    f.write_text(f.read_text().replace(old, new))
    assert _recompiled(_build(sample)) == expected


def test_unused_library_function_changes_no_output(sample: Path) -> None:
    """Editing `transfer` in the library recompiles support (it reads the library) but its
    output is the same: only the manifest is rewritten."""
    _build(sample)
    lib = sample / "agents/_functions/lib.yaml"
    lib.write_text(lib.read_text().replace("Transfer the caller", "Transfer"))
    result = _build(sample)
    assert result.written == ["manifest.json"]


def test_deleted_agent_outputs_are_removed(sample: Path) -> None:
    _build(sample)
    (sample / "agents/sales.yaml").unlink()
    result = _build(sample)
    assert result.removed == ["sales.swml.json"]
    assert result.written == ["manifest.json"]
    assert not (sample / "build/sales.swml.json").exists()
    manifest = json.loads((sample / "build/manifest.json").read_text())
    assert "sales" not in manifest["agents"]


def test_deleted_fleet_row_output_is_removed(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    (sample / "agents/_fleet/rows.csv").write_text("slug,city\nnorth,Northville\n")
    result = swmlc("build")
    assert result.output == (f"{N - 1} agents in build/: 1 compiled, {N - 2} up to date "
                             f"(1 written, {N - 1} unchanged, 1 removed)\n")
    assert sorted(snapshot(sample / "build")) == sorted(
        ["manifest.json", *(f"{a}.swml.json" for a in SAMPLE_AGENTS if a != "clinic-south")])


def test_renamed_agent(sample: Path) -> None:
    _build(sample)
    text = (sample / "agents/minimal.yaml").read_text()
    (sample / "agents/minimal.yaml").write_text("agent: tiny\n" + text)
    result = _build(sample)
    assert result.removed == ["minimal.swml.json"]
    assert "tiny.swml.json" in result.written
    assert (sample / "build/tiny.swml.json").exists()


def test_hand_edited_output_is_rebuilt(sample: Path) -> None:
    _build(sample)
    good = (sample / "build/minimal.swml.json").read_bytes()
    (sample / "build/minimal.swml.json").write_text("{}\n")
    result = _build(sample)
    assert _recompiled(result) == ["minimal"]
    assert result.written == ["minimal.swml.json"]
    assert (sample / "build/minimal.swml.json").read_bytes() == good


def test_deleted_manifest_recompiles_all_and_rewrites_only_the_manifest(sample: Path) -> None:
    _build(sample)
    before = stats(sample / "build")
    (sample / "build/manifest.json").unlink()
    result = _build(sample)
    assert result.reused == 0
    assert result.written == ["manifest.json"]
    after = stats(sample / "build")
    assert {k: v for k, v in after.items() if k not in (".", "manifest.json")} == \
        {k: v for k, v in before.items() if k not in (".", "manifest.json")}


def test_other_output_format_recompiles_all_and_removes_the_old_outputs(sample: Path) -> None:
    _build(sample)
    result = _build(sample, output_format="yaml")
    assert result.reused == 0
    assert result.removed == [f"{a}.swml.json" for a in SAMPLE_AGENTS]
    assert sorted(snapshot(sample / "build")) == sorted(
        ["manifest.json", *(f"{a}.swml.yaml" for a in SAMPLE_AGENTS)])


def test_build_of_one_path_keeps_the_other_agents(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    before = (sample / "build/manifest.json").read_bytes()
    (sample / "agents/minimal.yaml").write_text("prompt:\n  text: Changed.\n")
    assert swmlc("build", "agents/minimal.yaml").exit_code == 0
    manifest = json.loads((sample / "build/manifest.json").read_text())
    assert list(manifest["agents"]) == list(SAMPLE_AGENTS)
    assert swmlc("check").exit_code == 0
    assert (sample / "build/manifest.json").read_bytes() != before


def test_failed_build_writes_nothing(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    before_bytes, before_stats = snapshot(sample / "build"), stats(sample / "build")
    (sample / "agents/minimal.yaml").write_text("prompt:\n  txt: typo\n")
    base = sample / "agents/_base/voice.yaml"
    base.write_text(base.read_text().replace("600", "650"))
    result = swmlc("build")
    assert result.exit_code == 1
    assert result.output.endswith("nothing was written\n")
    assert snapshot(sample / "build") == before_bytes
    assert stats(sample / "build") == before_stats


def test_parallel_build_reuses_and_matches_serial(project) -> None:
    """-j with enough definitions for the worker pool: same bytes as one worker; then a no-op."""
    files = {"agents/_base.yaml": "params: {end_of_speech_timeout: 600}\n"}
    for i in range(30):
        files[f"agents/a{i:02}.yaml"] = ("extends: _base.yaml\n" if i % 2 else "") + \
            f"prompt:\n  text: Agent {i}.\n"
    root = project(files)
    serial = _build(root, jobs=1)
    serial_bytes = snapshot(root / "build")
    (root / "build/manifest.json").unlink()
    for p in (root / "build").iterdir():
        p.unlink()
    parallel = _build(root, jobs=4)
    assert parallel.reused == 0 and len(parallel.agents) == len(serial.agents) == 30
    assert snapshot(root / "build") == serial_bytes
    again = _build(root, jobs=4)
    assert again.reused == 30 and again.written == []
    base = root / "agents/_base.yaml"
    base.write_text(base.read_text().replace("600", "700"))
    changed = _build(root, jobs=4)
    assert _recompiled(changed) == [f"a{i:02}" for i in range(1, 30, 2)]


def test_build_removes_only_what_it_wrote(sample: Path, swmlc) -> None:
    """A build removes the outputs its manifest lists (a deleted agent's); a file it did not
    write (a stray, or an output whose manifest was lost) is left alone and said (issue 12,
    point 3: never remove a file the build did not write), and check says to delete it."""
    assert swmlc("build").exit_code == 0
    (sample / "agents/support.yaml").unlink()
    (sample / "build/legacy.swml.json").write_text("{}\n")
    built = swmlc("build")
    assert built.exit_code == 0
    assert not (sample / "build/support.swml.json").exists()
    assert (sample / "build/legacy.swml.json").read_text() == "{}\n"
    assert "warning[SWC912]: build/legacy.swml.json is not in the manifest: left alone" \
        in built.stderr
    result = swmlc("check")
    assert result.exit_code == 1
    assert "legacy: build/legacy.swml.json is orphaned" in result.stderr
    assert "swmlc did not write it (it is not in the manifest): delete it" in result.stderr
    (sample / "build/legacy.swml.json").unlink()
    assert swmlc("check").exit_code == 0


def test_command_line_variables_and_environment_decide_reuse(project, swmlc, monkeypatch) -> None:
    """What is not a file but changes the outputs (--var, the environment variables swmlc.yaml
    declares) is part of the manifest's build key: a change recompiles everything."""
    root = project({"swmlc.yaml": "env: [REGION]\n",
                    "agents/a.yaml": "prompt:\n  text: \"{{ who }} in {{ env('REGION') }}.\"\n",
                    "agents/b.yaml": "prompt:\n  text: Plain.\n"})
    monkeypatch.setenv("REGION", "us")
    assert swmlc("build", "--var", "who=Acme").exit_code == 0
    assert swmlc("build", "--var", "who=Acme").output.startswith(
        "2 agents in build/: 0 compiled, 2 up to date")
    assert swmlc("build", "--var", "who=Acmeco").output.startswith(
        "2 agents in build/: 2 compiled, 0 up to date (2 written")
    monkeypatch.setenv("REGION", "eu")
    assert swmlc("build", "--var", "who=Acmeco").output.startswith(
        "2 agents in build/: 2 compiled, 0 up to date (2 written")
    doc = json.loads((root / "build/a.swml.json").read_text())
    assert doc["sections"]["main"][1]["ai"]["prompt"]["text"] == "Acmeco in eu."


def test_a_vars_file_saved_during_a_build_is_recorded_as_the_build_read_it(
        project, monkeypatch) -> None:
    """`swmlc watch` found this: a --vars-file saved while a build ran (after the reuse check
    hashed it, before the manifest was written) was recorded with its new hash, though the
    reused agent was made from the old one. The manifest was rewritten for nothing, and its
    record of how the build was made named bytes the build never read."""
    import hashlib

    import compiler.build.compile as compile_module

    root = project({"vars.yaml": "who: Acme\n",
                    "agents/a.yaml": "prompt:\n  text: You are {{ who }}.\n"})
    _build(root, vars_files=("vars.yaml",))
    manifest = (root / "build/manifest.json").read_bytes()
    compile_files = compile_module._compile

    def saved_meanwhile(*args, **kwargs) -> None:
        (root / "vars.yaml").write_text("who: Acmeco\n")  # after the reuse check, mid-build
        compile_files(*args, **kwargs)

    monkeypatch.setattr(compile_module, "_compile", saved_meanwhile)
    second = _build(root, vars_files=("vars.yaml",))
    assert second.reused == 1 and second.written == []
    assert (root / "build/manifest.json").read_bytes() == manifest
    recorded = json.loads(manifest)["options"]["vars_files"]
    assert recorded == {"vars.yaml": hashlib.sha256(b"who: Acme\n").hexdigest()}

    monkeypatch.setattr(compile_module, "_compile", compile_files)
    third = _build(root, vars_files=("vars.yaml",))  # the save is seen by the next build
    assert _recompiled(third) == ["a"]
    doc = json.loads((root / "build/a.swml.json").read_text())
    assert doc["sections"]["main"][1]["ai"]["prompt"]["text"] == "You are Acmeco."
