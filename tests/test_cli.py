"""The command line's contract: version, exit codes, and what ``swmlc build`` writes.

It proves that ``swmlc --version`` prints ``swmlc 0.1.0``; that usage errors exit 2 and internal
errors exit 3 (with the report-this message); that YAML 1.1 look-alikes (`no`, `on`, `y`, `0o17`,
`1_000`) written unquoted in a definition reach the compiled document as strings; that
``--format yaml`` writes ``.swml.yaml`` files whose content loads (with PyYAML's YAML 1.1 reader,
and with a reader of the full YAML 1.1 spec) to exactly the data of the JSON build; that output
keys follow source order; and that builds are deterministic: the same sources give the same bytes
twice, in another folder, and a no-op rebuild rewrites nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from compiler.core.version import __version__

AGENT = """\
languages: [{name: English, code: en-US, voice: rime.spore}]
native_functions: [check_time]
post_prompt_url: https://hooks.example.com/summary
hints: [no, on, yes, off, y, n, Y, N, "0o17", "1_000", "012", "~", "null", "true", "1e3", "0x1F",
        "2001-12-14", "1:20", "=", "<<", "-0o17", ".inf"]
prompt:
  temperature: 0.5
  text: hi
functions:
  - description: Look up an order
    function: lookup
    parameters: {type: object, properties: {id: {type: string}}}
    web_hook_url: https://tools.example.com/lookup
global_data: {plan: no, count: 0o17, big: 1_000, flag: on, none: ~, octal: "0o17"}
params: {barge_confidence: 0.02}
post_prompt: {text: Summarize.}
"""

HINTS = ["no", "on", "yes", "off", "y", "n", "Y", "N", "0o17", "1_000", "012", "~", "null",
         "true", "1e3", "0x1F", "2001-12-14", "1:20", "=", "<<", "-0o17", ".inf"]


def ai_of(doc: dict[str, Any]) -> dict[str, Any]:
    [wrapper] = [verb for verb in doc["sections"]["main"] if "ai" in verb]
    ai: dict[str, Any] = wrapper["ai"]
    return ai


@pytest.fixture
def built(project: Callable[..., Path], swmlc: Callable[..., Result]) -> Path:
    root = project({"agents/order.yaml": AGENT})
    result = swmlc("build")
    assert result.exit_code == 0, result.output
    result = swmlc("build", "--format", "yaml", "-o", "build-yaml")
    assert result.exit_code == 0, result.output
    return root


# -- version and exit codes ------------------------------------------------------------------

def test_version(swmlc: Callable[..., Result]) -> None:
    result = swmlc("--version")
    assert (result.exit_code, result.stdout) == (0, f"swmlc {__version__}\n")


def test_version_through_the_console_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    from compiler.cli import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"swmlc {__version__}\n"


def test_version_from_the_launcher_says_what_click_says_without_importing_click(
        capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess
    import sys

    from compiler.fastpath import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"swmlc {__version__}\n"
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from compiler.fastpath import main; main(['--version'])"
         "; print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'yaml')))"],
        capture_output=True, text=True, timeout=60, check=True)
    assert loaded.stdout == f"swmlc {__version__}\n[]\n"


@pytest.mark.parametrize("args", [
    ("build", "--format", "xml"), ("build", "--error-format", "sarif"), ("frobnicate",),
    ("validate",),
])
def test_usage_errors_exit_2(swmlc: Callable[..., Result], args: tuple[str, ...]) -> None:
    result = swmlc(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "Error:" in result.stderr


def test_an_internal_error_exits_3_and_asks_for_a_report(
        project: Callable[..., Path], swmlc: Callable[..., Result],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import compiler.build.compile

    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("boom")

    project({"agents/a.yaml": "prompt: {text: hi}\n"})
    monkeypatch.setattr(compiler.build.compile, "compile_project", broken)
    result = swmlc("build")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "swmlc: internal error (a bug in swmlc; please report it with this output)\n")
    assert "RuntimeError: boom" in result.stderr


# -- YAML 1.2 in, the same strings out --------------------------------------------------------

def test_yaml_1_1_look_alikes_reach_the_document_as_strings(built: Path) -> None:
    ai = ai_of(json.loads((built / "build" / "order.swml.json").read_text()))
    assert ai["hints"] == HINTS
    assert ai["global_data"] == {"plan": "no", "count": 15, "big": "1_000", "flag": "on",
                                 "none": None, "octal": "0o17"}


def test_format_yaml_writes_swml_yaml_holding_the_data_of_the_json_build(built: Path) -> None:
    names = sorted(p.name for p in (built / "build-yaml").iterdir())
    assert "order.swml.yaml" in names
    assert "order.swml.json" not in names
    from_json = json.loads((built / "build" / "order.swml.json").read_text())
    text = (built / "build-yaml" / "order.swml.yaml").read_text()
    assert yaml.safe_load(text) == from_json  # PyYAML: YAML 1.1, where `no` would be false
    assert ai_of(yaml.safe_load(text))["hints"] == HINTS


class Yaml11SpecLoader(yaml.SafeLoader):
    """PyYAML's YAML 1.1 resolver leaves out the spec's y|Y|n|N booleans; some YAML 1.1
    readers (go-yaml v2, for one) follow the spec. Written output must survive those too."""


Yaml11SpecLoader.yaml_implicit_resolvers = {
    k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml11SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN"))


def _spec_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    if node.value in ("y", "Y", "n", "N"):
        return node.value in ("y", "Y")
    return yaml.SafeLoader.construct_yaml_bool(loader, node)


Yaml11SpecLoader.add_constructor("tag:yaml.org,2002:bool", _spec_bool)


def test_yaml_output_survives_a_reader_of_the_full_yaml_1_1_spec(built: Path) -> None:
    from_json = json.loads((built / "build" / "order.swml.json").read_text())
    text = (built / "build-yaml" / "order.swml.yaml").read_text()
    assert ai_of(yaml.load(text, Loader=Yaml11SpecLoader))["hints"] == HINTS
    assert yaml.load(text, Loader=Yaml11SpecLoader) == from_json


# -- source order -----------------------------------------------------------------------------

AI_ORDER = ["languages", "SWAIG", "post_prompt_url", "hints", "prompt", "global_data", "params",
            "post_prompt"]


@pytest.mark.parametrize("output", ["build/order.swml.json", "build-yaml/order.swml.yaml"])
def test_output_keys_follow_source_order(built: Path, output: str) -> None:
    text = (built / output).read_text()
    doc = json.loads(text) if output.endswith(".json") else yaml.safe_load(text)
    assert list(doc) == ["version", "sections"]
    ai = ai_of(doc)
    assert list(ai) == AI_ORDER  # SWAIG where its first key (native_functions) stands
    assert list(ai["SWAIG"]) == ["native_functions", "functions"]
    assert list(ai["prompt"]) == ["temperature", "text"]
    assert list(ai["SWAIG"]["functions"][0]) == ["description", "function", "parameters",
                                                 "web_hook_url"]
    assert list(ai["global_data"]) == ["plan", "count", "big", "flag", "none", "octal"]


# -- determinism ------------------------------------------------------------------------------

def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_same_sources_same_bytes_in_another_folder(
        tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
        swmlc: Callable[..., Result], fmt: str) -> None:
    outputs = []
    for name in ("first", "second-elsewhere"):
        root = tmp_path_factory.mktemp(name)
        (root / "agents").mkdir()
        (root / "agents" / "order.yaml").write_text(AGENT, encoding="utf-8")
        (root / "agents" / "mini.yaml").write_text("prompt: {text: hi}\n", encoding="utf-8")
        monkeypatch.chdir(root)
        assert swmlc("build", "--format", fmt).exit_code == 0
        outputs.append(files_of(root / "build"))
    assert outputs[0] == outputs[1]
    assert {f"order.swml.{fmt}", f"mini.swml.{fmt}"} <= set(outputs[0])


def test_a_no_op_rebuild_rewrites_nothing(built: Path, swmlc: Callable[..., Result]) -> None:
    build = built / "build"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in build.iterdir()}
    assert swmlc("build").exit_code == 0
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in build.iterdir()}
    assert after == before


def test_every_command_says_what_it_does_and_shows_an_example(
        swmlc: Callable[..., Result]) -> None:
    from compiler.cli import cli

    assert len(cli.commands) >= 9
    for name in sorted(cli.commands):
        result = swmlc(name, "--help")
        assert result.exit_code == 0, name
        examples = [line.strip() for line in result.stdout.splitlines()
                    if line.strip().startswith("Example: ")]
        assert len(examples) == 1 and examples[0].startswith(f"Example: swmlc {name}"), name
    top = swmlc("--help")
    assert top.exit_code == 0
    assert [line.strip() for line in top.stdout.splitlines() if "Example: " in line] == [
        "Example: swmlc init my-agents && cd my-agents && swmlc build && swmlc test"]
    commands = top.stdout.split("Commands:")[1].split("\n\n")[0]
    listed = [line.split()[0] for line in commands.splitlines() if line.startswith("  ")]
    assert listed == sorted(cli.commands)


def test_shell_completion_is_click_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README's completion lines work: the bash script, and completion of a command and of a
    profile name from the swmlc.yaml around the working folder."""
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    (tmp_path / "swmlc.yaml").write_text("profiles:\n  staging: {}\n  production: {}\n")

    def complete(words: str, **extra: str) -> str:
        env = {**os.environ, "_SWMLC_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1), **extra}
        return subprocess.run([sys.executable, "-m", "compiler"], env=env, capture_output=True,
                              text=True, cwd=tmp_path).stdout

    script = subprocess.run([sys.executable, "-m", "compiler"], capture_output=True, text=True,
                            env={**os.environ, "_SWMLC_COMPLETE": "bash_source"}).stdout
    assert "_swmlc_completion()" in script and "complete -o nosort -F" in script
    assert complete("swmlc bu").split() == ["plain,build"]
    assert complete("swmlc build --profile st").split() == ["plain,staging"]
