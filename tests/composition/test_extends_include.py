"""Issue 3, point 1: extends and include.

Layers, lowest first: the extends chain (deepest base first), the includes in order, the file
itself. Paths are relative to the file that names them and must stay inside the project root.
A cycle is an error that prints the whole chain; a file reached twice (a diamond) is applied once.
"""

from __future__ import annotations

import os

import pytest

from tests.composition.conftest import Build, related, snapshot, where

PROMPT = "prompt: {text: You answer the phone.}\n"


def test_layer_order_is_extends_chain_then_includes_then_the_file(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": "extends: _base/b.yaml\ninclude: [_inc/i1.yaml, _inc/i2.yaml]\n"
                         + PROMPT + "hints: !append [a]\nglobal_data: {who: a}\n",
        # b extends c (same folder) and has an include of its own
        "agents/_base/b.yaml": "extends: c.yaml\ninclude: [../_inc/bi.yaml]\n"
                               "hints: !append [b]\nglobal_data: {who: b, b: 1}\n",
        "agents/_base/c.yaml": "hints: [c]\nglobal_data: {who: c, c: 1}\n",
        "agents/_inc/bi.yaml": "hints: !append [bi]\nglobal_data: {who: bi, bi: 1}\n",
        "agents/_inc/i1.yaml": "hints: !append [i1]\nglobal_data: {who: i1, i1: 1}\n",
        "agents/_inc/i2.yaml": "hints: !append [i2]\nglobal_data: {who: i2, i2: 1}\n",
    })
    built = build(root)
    ai = built.ai("a")
    assert ai["hints"] == ["c", "bi", "b", "i1", "i2", "a"]
    # a scalar in a later layer wins; the file itself is the last layer
    assert ai["global_data"] == {"who": "a", "c": 1, "bi": 1, "b": 1, "i1": 1, "i2": 1}
    assert ai["prompt"] == {"text": "You answer the phone."}
    inputs = built.manifest()["agents"]["a"]["inputs"]
    assert set(inputs) >= {"agents/a.yaml", "agents/_base/b.yaml", "agents/_base/c.yaml",
                           "agents/_inc/bi.yaml", "agents/_inc/i1.yaml", "agents/_inc/i2.yaml"}


def test_the_file_itself_wins_over_its_includes_and_base(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": "extends: _b.yaml\ninclude: [_i.yaml]\n" + PROMPT
                         + "params: {end_of_speech_timeout: 700}\n",
        "agents/_b.yaml": "params: {end_of_speech_timeout: 500, attention_timeout: 12000}\n",
        "agents/_i.yaml": "params: {end_of_speech_timeout: 600, inactivity_timeout: 130000}\n",
    })
    assert build(root).ai("a")["params"] == {
        "end_of_speech_timeout": 700, "attention_timeout": 12000, "inactivity_timeout": 130000}


def test_paths_are_relative_to_the_file_that_names_them(project, build: Build) -> None:
    root = project({
        "agents/team/a.yaml": "extends: ../_base/voice.yaml\n" + PROMPT,
        # relative to agents/_base/, not to agents/team/ nor the project root
        "agents/_base/voice.yaml": "include: [../_shared/hints.yaml, local.yaml]\n",
        "agents/_base/local.yaml": "languages: [{name: English, code: en-US, voice: rime.spore}]\n",
        "agents/_shared/hints.yaml": "hints: [Harborview]\n",
        # same names at the root and next to the agent: must not be picked
        "_shared/hints.yaml": "hints: [WRONG]\n",
        "agents/team/local.yaml": "hints: [WRONG]\n",
    })
    # agents/team/local.yaml is itself a definition (not a partial): build only a.yaml
    ai = build(root, "agents/team/a.yaml").ai("a")
    assert ai["hints"] == ["Harborview"]
    assert ai["languages"] == [{"name": "English", "code": "en-US", "voice": "rime.spore"}]


def test_a_missing_file_names_the_path_with_did_you_mean(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": PROMPT + "include: [_shared/vet-hint.yaml]\n",
        "agents/_shared/vet-hints.yaml": "hints: [spay]\n",
    })
    err = build(root, ok=False).error("SWC204")
    assert where(err) == "agents/a.yaml:2:11"
    assert err["message"] == "file not found: agents/_shared/vet-hint.yaml"
    assert err["help"] == "did you mean 'vet-hints.yaml'?"


@pytest.mark.parametrize(("text", "line", "col"), [
    ("extends: _base/v.yaml\n", 1, 10), ("include: [_base/v.yaml]\n", 1, 11),
])
def test_a_path_naming_a_directory_says_so(project, build: Build, text: str, line: int,
                                           col: int) -> None:
    """Issue 13, point 11: "is a directory", not "file not found ... did you mean"."""
    root = project({"agents/a.yaml": text + PROMPT,
                    "agents/_base/v.yaml/voice.yaml": "hints: [x]\n",
                    "agents/_base/v.yaml/notes.txt": "not a layer\n"})
    err = build(root, ok=False).error("SWC204")
    assert where(err) == f"agents/a.yaml:{line}:{col}"
    assert err["message"] == "agents/_base/v.yaml is a directory, not a file"
    assert err["help"] == "name a file inside it: agents/_base/v.yaml/voice.yaml"


def test_dotdot_out_of_the_root_is_an_error(project, build: Build) -> None:
    root = project({"agents/a.yaml": "extends: ../../outside.yaml\n" + PROMPT})
    (root.parent / "outside.yaml").write_text("hints: [x]\n")
    err = build(root, ok=False).error("SWC202")
    assert where(err) == "agents/a.yaml:1:10"
    assert err["message"] == "'../../outside.yaml' resolves outside the project root"
    assert "inside the repository" in err["help"]


def test_dotdot_that_comes_back_inside_the_root_is_fine(project, build: Build) -> None:
    root = project({"agents/a.yaml": "extends: ../agents/_b.yaml\n" + PROMPT,
                    "agents/_b.yaml": "hints: [inside]\n"})
    assert build(root).ai("a")["hints"] == ["inside"]


def test_a_symlinked_file_escaping_the_root_is_an_error(
        project, build: Build, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "base.yaml"
    outside.write_text("hints: [from-outside]\n")
    root = project({"agents/a.yaml": PROMPT + "extends: _base/link.yaml\n"})
    (root / "agents/_base").mkdir()
    os.symlink(outside, root / "agents/_base/link.yaml")
    err = build(root, ok=False).error("SWC202")
    assert where(err) == "agents/a.yaml:2:10"
    assert err["message"] == "'_base/link.yaml' resolves outside the project root"


def test_a_symlinked_folder_escaping_the_root_is_an_error(
        project, build: Build, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "hints.yaml").write_text("hints: [from-outside]\n")
    root = project({"agents/a.yaml": PROMPT + "include: [_shared/hints.yaml]\n"})
    os.symlink(outside, root / "agents/_shared", target_is_directory=True)
    err = build(root, ok=False).error("SWC202")
    assert where(err) == "agents/a.yaml:2:11"
    assert "resolves outside the project root" in err["message"]


def test_a_symlink_inside_the_root_is_allowed(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "include: [_shared/link.yaml]\n",
                    "shared/hints.yaml": "hints: [linked]\n"})
    (root / "agents/_shared").mkdir()
    os.symlink(root / "shared/hints.yaml", root / "agents/_shared/link.yaml")
    assert build(root).ai("a")["hints"] == ["linked"]


CYCLE = {
    "agents/a.yaml": PROMPT + "extends: _b.yaml\n",
    "agents/_b.yaml": "hints: [b]\ninclude: [_c.yaml]\n",
    "agents/_c.yaml": "# closes the loop\nextends: a.yaml\n",
}


def test_a_three_file_cycle_names_every_link(project, build: Build) -> None:
    root = project(CYCLE)
    err = build(root, ok=False).error("SWC201")
    assert err["message"] == ("composition cycle: agents/a.yaml -> agents/_b.yaml -> "
                              "agents/_c.yaml -> agents/a.yaml")
    assert where(err) == "agents/_c.yaml:2:10"
    assert related(err) == [("agents/a.yaml:2:10", "names agents/_b.yaml"),
                            ("agents/_b.yaml:2:11", "names agents/_c.yaml")]
    assert err["notes"] == ["agents/_c.yaml names agents/a.yaml here, closing the cycle"]
    assert "cannot extend or include itself" in err["help"]


def test_a_cycle_prints_each_link_with_file_line_col(project, swmlc) -> None:
    root = project(CYCLE)
    before = snapshot(root)
    result = swmlc("build")
    assert result.exit_code == 1
    err = result.stderr
    assert "error[SWC201]: composition cycle: agents/a.yaml -> agents/_b.yaml" in err
    for site in ("agents/_c.yaml:2:10", "agents/a.yaml:2:10", "agents/_b.yaml:2:11"):
        assert site in err
    assert "extends: a.yaml" in err and "include: [_c.yaml]" in err  # the source lines
    assert "nothing was written" in err
    assert snapshot(root) == before


def test_a_file_extending_itself_is_a_cycle(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "extends: a.yaml\n"})
    err = build(root, ok=False).error("SWC201")
    assert err["message"] == "composition cycle: agents/a.yaml -> agents/a.yaml"
    assert where(err) == "agents/a.yaml:2:10"


def test_a_diamond_applies_the_shared_fragment_once(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": "include: [_left.yaml, _right.yaml]\n" + PROMPT + "hints: !append [a]\n",
        "agents/_left.yaml": "include: [_shared.yaml]\nhints: !append [left]\n",
        "agents/_right.yaml": "include: [_shared.yaml]\nhints: !append [right]\n",
        "agents/_shared.yaml": "hints: !append [x]\n",
    })
    assert build(root).ai("a")["hints"] == ["x", "left", "right", "a"]


def test_a_diamond_through_extends_and_include(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": "extends: _base.yaml\ninclude: [_shared.yaml]\n" + PROMPT,
        "agents/_base.yaml": "include: [_shared.yaml]\nhints: [base]\n",
        "agents/_shared.yaml": "hints: !append [x]\n",
    })
    # _shared is applied once, where it is first reached (under the base)
    assert build(root).ai("a")["hints"] == ["x", "base"]


def test_extends_takes_one_path(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "extends: [_a.yaml, _b.yaml]\n",
                    "agents/_a.yaml": "hints: [a]\n", "agents/_b.yaml": "hints: [b]\n"})
    err = build(root, ok=False).error("SWC102")
    assert where(err) == "agents/a.yaml:2:10"
    assert err["message"] == "extends takes one path"
    assert err["help"] == "to merge several files, use include: [...]"


def test_include_takes_a_list_of_paths(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "include: _a.yaml\n",
                    "agents/_a.yaml": "hints: [a]\n"})
    err = build(root, ok=False).error("SWC102")
    assert where(err) == "agents/a.yaml:2:10"
    assert err["message"] == "include takes a list of paths"


def test_an_included_file_must_be_a_mapping(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "include: [_a.yaml]\n",
                    "agents/_a.yaml": "- hints\n"})
    err = build(root, ok=False).error("SWC005")
    assert err["file"] == "agents/_a.yaml"
    assert err["message"] == "an extended or included file must be a mapping"
    assert ("agents/a.yaml:2:11", "used here") in related(err)


def test_an_error_in_a_base_points_into_the_base(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "extends: _base/b.yaml\n",
                    "agents/_base/b.yaml": "params:\n  a: 1\n  a: 2\n"})
    err = build(root, ok=False).error("SWC002")
    assert where(err) == "agents/_base/b.yaml:3:3"
    assert ("agents/a.yaml:2:10", "included from here") in related(err)


def test_a_failing_build_leaves_the_previous_build_untouched(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "extends: _b.yaml\n",
                    "agents/_b.yaml": "hints: [one]\n"})
    build(root)
    before = snapshot(root / "build")
    assert before
    (root / "agents/_b.yaml").write_text("extends: a.yaml\n")
    build(root, ok=False).error("SWC201")
    assert snapshot(root / "build") == before


def test_partials_are_not_built(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "include: [_shared/h.yaml]\n",
                    "agents/_shared/h.yaml": PROMPT + "hints: [h]\n",
                    "agents/_base.yaml": PROMPT})
    assert build(root).agents() == ["a"]
