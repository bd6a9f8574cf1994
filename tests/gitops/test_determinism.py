"""Issue 5, point 7: the same sources give a byte-identical build/ under different
PYTHONHASHSEED, working directories and file-system listing orders; YAML output quotes every
string that a YAML 1.1 reader would take for a boolean or a number."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from gitops_helpers import SAMPLE, run_swmlc, snapshot, write_files

from compiler.build.serialize import to_yaml

#: The sample, plus enough agents (30 files) for `-j` to use worker processes, plus mappings
#: with many keys, where a set or an unsorted dict would show.
SOURCES = {
    **SAMPLE,
    **{f"agents/many/a{i:02}.yaml": (
        f"agent: many-{i:02}\n"
        "extends: ../_base/voice.yaml\n"
        "global_data:\n" + "".join(f"  k{(i * 7 + j) % 13}: {j}\n" for j in range(13)) +
        f"hints: [zeta, alpha, mu, {i}x]\n"
        f"prompt:\n  text: Agent {i}.\n") for i in range(26)},
}


def _build(root: Path, *args: str, cwd: Path | None = None, **env: str) -> dict[str, bytes]:
    proc = run_swmlc("build", *args, cwd=cwd or root, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    return snapshot(root / "build")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = write_files(tmp_path_factory.mktemp("reference"), SOURCES)
    out = _build(root, "-j", "1", PYTHONHASHSEED="0")
    assert len(out) == 5 + 26 + 1
    return out


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["1", "2", "12345", "random"])
def test_hash_seed(tmp_path: Path, reference, seed: str) -> None:
    root = write_files(tmp_path, SOURCES)
    assert _build(root, "-j", "1", PYTHONHASHSEED=seed) == reference


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["2", "4"])
def test_parallel_workers(tmp_path: Path, reference, jobs: str) -> None:
    root = write_files(tmp_path, SOURCES)
    assert _build(root, "-j", jobs, PYTHONHASHSEED="random") == reference


@pytest.mark.slow
@pytest.mark.parametrize("where", ["agents", "agents/_base", "agents/many"])
def test_working_directory(tmp_path: Path, reference, where: str) -> None:
    """swmlc.yaml marks the project root, wherever the command is typed."""
    root = write_files(tmp_path, SOURCES)
    assert _build(root, cwd=root / where) == reference


def test_reverse_creation_order_and_another_path(tmp_path: Path, reference) -> None:
    """The files created in the opposite order (so directory listings differ), in a folder at
    another depth and with another name."""
    root = tmp_path / "deeper" / "other name"
    for rel in sorted(SOURCES, reverse=True):
        write_files(root, {rel: SOURCES[rel]})
    assert _build(root) == reference


def test_listing_order_reversed_in_process(tmp_path: Path, reference, monkeypatch) -> None:
    """os.scandir and os.listdir yielding entries in reverse order (what another file system
    might do): same bytes."""
    from compiler.build.compile import compile_project
    from compiler.project.options import Options

    root = write_files(tmp_path, SOURCES)
    real_scandir, real_listdir = os.scandir, os.listdir

    class Reversed:
        def __init__(self, path: object = ".") -> None:
            with real_scandir(path) as it:
                self.entries = iter(list(it)[::-1])

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.entries)

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def close(self) -> None:
            return None

    monkeypatch.setattr(os, "scandir", Reversed)
    monkeypatch.setattr(os, "listdir", lambda path=".": real_listdir(path)[::-1])
    result = compile_project(Options(root=root, env=dict(os.environ)))
    assert result.ok
    monkeypatch.undo()
    assert snapshot(root / "build") == reference


@pytest.mark.slow
def test_rebuild_from_scratch_and_incremental_agree(tmp_path: Path, reference) -> None:
    root = write_files(tmp_path, SOURCES)
    _build(root)
    shutil.rmtree(root / "build")
    assert _build(root) == reference
    assert _build(root) == reference  # the no-op build


@pytest.mark.slow
def test_yaml_output_is_deterministic(tmp_path: Path) -> None:
    a = write_files(tmp_path / "a", SOURCES)
    b = write_files(tmp_path / "b", SOURCES)
    first = _build(a, "--format", "yaml", PYTHONHASHSEED="1")
    assert first == _build(b, "--format", "yaml", PYTHONHASHSEED="2")
    assert "support.swml.yaml" in first


# -- YAML quoting ------------------------------------------------------------------------------

#: Strings that a YAML 1.1 reader (the spec's bool, int, float, null types) would read as
#: something else if written plain.
YAML11_LOOKALIKES = ["no", "on", "yes", "off", "y", "n", "Y", "N", "No", "ON", "True", "false",
                     "1.0", "0x10", "1e3", "0o17", "null", "~", "12:30", "Null", "NULL", "",
                     "1_000", "0b101", "+1", "-1.5e-3", "190:20:30", ".inf", "-.inf", ".NaN",
                     "017", "08", "2001-12-14", "=", "<<", "1.", ".5"]

#: The YAML 1.1 type regexps (yaml.org/type/bool.html, int.html, float.html, null.html); for
#: floats, digits after the point as PyYAML and SnakeYAML read them (the spec's `[0-9.]*` would
#: also take a version number such as 1.0.0).
_YAML11 = [
    r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
    r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+"
    r"\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
    r"~|null|Null|NULL|",
]


def _yaml11_reads_as_non_string(text: str) -> bool:
    return any(re.fullmatch(p, text) for p in _YAML11)


def _plain_scalars(data: bytes) -> list[str]:
    """Every scalar written without quotes (keys and values)."""
    out = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            if node.style is None:
                out.append(node.value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(k)
                walk(v)

    walk(yaml.compose(data.decode("utf-8")))
    return out


def test_the_yaml11_patterns_are_right() -> None:
    """The oracle itself: what it calls a lookalike, and what it does not."""
    assert all(_yaml11_reads_as_non_string(s) for s in
               ["y", "N", "off", "0x10", "017", "12:30", "1.0", "1.", ".5", "~", ""])
    assert not any(_yaml11_reads_as_non_string(s) for s in
                   ["yes please", "Acme", "0X1F", "1e3", "0o17", "v1.0", "12:30:xx"])


def test_serializer_quotes_every_yaml11_lookalike() -> None:
    doc = {"values": YAML11_LOOKALIKES, **{k: "key" for k in YAML11_LOOKALIKES if k}}
    data = to_yaml(doc)
    plain = _plain_scalars(data)
    wrongly_plain = [s for s in plain if _yaml11_reads_as_non_string(s)
                     or s in YAML11_LOOKALIKES]
    assert wrongly_plain == [], data.decode()
    loaded = yaml.safe_load(data)  # PyYAML: a YAML 1.1 reader
    assert loaded["values"] == YAML11_LOOKALIKES
    assert all(isinstance(v, str) for v in loaded["values"])


def test_build_format_yaml_quotes_lookalikes(project, swmlc) -> None:
    values = ["no", "on", "yes", "off", "y", "n", "1.0", "0x10", "1e3", "0o17", "null", "~",
              "12:30"]
    global_data = "".join(f"  v{i}: {value!r}\n" for i, value in enumerate(values))
    root = project({"agents/a.yaml": "prompt:\n  text: Hi.\nglobal_data:\n" + global_data +
                    "hints: ['no', 'y', '0x10']\n"})
    result = swmlc("build", "--format", "yaml")
    assert result.exit_code == 0, result.output
    data = (root / "build/a.swml.yaml").read_bytes()
    assert not [s for s in _plain_scalars(data) if _yaml11_reads_as_non_string(s)], data.decode()
    ai = yaml.safe_load(data)["sections"]["main"][1]["ai"]
    assert ai["global_data"] == {f"v{i}": v for i, v in enumerate(values)}
    assert ai["hints"] == ["no", "y", "0x10"]
    assert ai["global_data"]["v4"] == "y"


def test_numbers_and_booleans_stay_plain(project, swmlc) -> None:
    """Quoting is for strings only: real numbers and booleans are written as such."""
    root = project({"agents/a.yaml": "prompt:\n  text: Hi.\n  temperature: 0.5\n"
                                     "params:\n  end_of_speech_timeout: 600\n"
                                     "global_data: {flag: true}\n"})
    assert swmlc("build", "--format", "yaml").exit_code == 0
    text = (root / "build/a.swml.yaml").read_text()
    assert "temperature: 0.5\n" in text and "end_of_speech_timeout: 600\n" in text
    assert "flag: true\n" in text
