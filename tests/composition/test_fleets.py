"""Issue 3, point 8: fleets. ``instances: FILE.csv`` (or a YAML list of mappings) builds one agent
per row, the row's columns as variables, the name from ``agent:`` as a template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.composition.conftest import Build, ai_of, related, where
from tests.conftest import assert_official

DEFINITION = """agent: "clinic-{{ slug }}"
instances: _fleet/clinics.csv
extends: _base.yaml
vars: {city: Nowhere, assistant: Riley}
prompt:
  text: "You are {{ assistant }} at {{ clinic_name }} in {{ city }}."
hints: !append ["{{ city }}"]
"""
BASE = "vars: {assistant: Base, clinic_name: Harborview}\nhints: [Harborview]\n"
CSV = """slug,city,clinic_name
pearl,Pearl District,"Harborview Pearl, Downtown"

sellwood,Sellwood,Harborview Sellwood
"""


def fleet(project, csv: str = CSV, definition: str = DEFINITION, **more: str) -> Path:
    return project({"agents/clinic.yaml": definition, "agents/_base.yaml": BASE,
                    "agents/_fleet/clinics.csv": csv, **more})


def test_one_agent_per_row_named_from_the_template(project, build: Build) -> None:
    built = build(fleet(project))
    assert built.agents() == ["clinic-pearl", "clinic-sellwood"]   # the blank line is skipped
    pearl = built.ai("clinic-pearl")
    assert pearl["prompt"]["text"] == \
        "You are Riley at Harborview Pearl, Downtown in Pearl District."
    assert pearl["hints"] == ["Harborview", "Pearl District"]
    assert built.ai("clinic-sellwood")["prompt"]["text"] == \
        "You are Riley at Harborview Sellwood in Sellwood."


def test_the_manifest_names_the_definition_and_the_instances_file(project, build) -> None:
    agents = build(fleet(project)).manifest()["agents"]
    for name in ("clinic-pearl", "clinic-sellwood"):
        assert agents[name]["source"] == "agents/clinic.yaml"
        assert {"agents/_fleet/clinics.csv", "agents/clinic.yaml", "agents/_base.yaml"} <= \
            set(agents[name]["inputs"])


def test_row_columns_override_vars_below_the_command_line(project, build: Build) -> None:
    root = fleet(project, **{"swmlc.yaml": "vars: {city: Project, assistant: Project}\n",
                             "vars.yaml": "assistant: FromFile\n"})
    built = build(root, "--vars-file", "vars.yaml", "--var", "clinic_name=Cli")
    # city: the row beats project, base and agent vars; assistant: --vars-file beats the rest;
    # clinic_name: --var beats the row
    assert built.ai("clinic-pearl")["prompt"]["text"] == \
        "You are FromFile at Cli in Pearl District."


def test_a_yaml_list_of_rows_keeps_types(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace("clinics.csv", "clinics.yaml")
                 + "params: {attention_timeout: '{{ timeout }}'}\n",
                 **{"agents/_fleet/clinics.yaml":
                    "- {slug: pearl, city: Pearl, clinic_name: P, timeout: 15000}\n"
                    "- {slug: beaverton, city: Beaverton, clinic_name: B, timeout: 20000}\n"})
    built = build(root)
    assert built.agents() == ["clinic-beaverton", "clinic-pearl"]
    assert built.ai("clinic-beaverton")["params"] == {"attention_timeout": 20000}


def test_csv_values_are_text(project, build: Build) -> None:
    root = fleet(project, csv="slug,city,clinic_name,code\npearl,P,C,0042\n",
                 definition=DEFINITION + "global_data: {code: '{{ code }}'}\n")
    assert build(root).ai("clinic-pearl")["global_data"] == {"code": "0042"}


def test_without_an_agent_name_rows_are_numbered(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace('agent: "clinic-{{ slug }}"\n', ""))
    assert build(root).agents() == ["clinic-1", "clinic-2"]


@pytest.mark.slow
def test_five_hundred_clinics(project, judge) -> None:
    from compiler.build.compile import compile_project
    from compiler.project.options import Options

    rows = "".join(f"c{i:03d},City {i},Clinic {i}\n" for i in range(500))
    root = fleet(project, csv="slug,city,clinic_name\n" + rows)
    result = compile_project(Options(root=root))
    assert result.ok, [d.message for d in result.diagnostics]
    docs = sorted((root / "build").glob("*.swml.json"))
    assert len(docs) == 500
    for doc in (docs[0], docs[250], docs[-1]):
        assert_official(judge, json.loads(doc.read_text()), doc.name)
    assert ai_of(json.loads(docs[-1].read_text()))["prompt"]["text"] == \
        "You are Riley at Clinic 499 in City 499."


# --- bad instances ----------------------------------------------------------------------------

@pytest.mark.parametrize(("csv", "line", "message"), [
    ("slug,city,clinic_name\npearl,Pearl,P\nsellwood,Sellwood,S,extra\n", 3,
     "row has 4 values for 3 columns"),
    ("slug,city,clinic_name\npearl,Pearl\n", 2, "row has 2 values for 3 columns"),
])
def test_a_ragged_row_is_an_error(project, build: Build, csv: str, line: int,
                                  message: str) -> None:
    err = build(fleet(project, csv=csv), ok=False).error("SWC207")
    assert where(err) == f"agents/_fleet/clinics.csv:{line}:1"
    assert err["message"] == message


def test_a_ragged_row_leaves_a_previous_build_untouched(project, build: Build) -> None:
    root = fleet(project)
    build(root)
    with (root / "agents/_fleet/clinics.csv").open("a") as fh:
        fh.write("beaverton,Beaverton\n")
    build(root, ok=False).error("SWC207")


def test_a_column_name_must_be_a_variable_name(project, build: Build) -> None:
    err = build(fleet(project, csv="slug,clinic name\npearl,P\n"), ok=False).error("SWC207")
    assert where(err) == "agents/_fleet/clinics.csv:1:1"
    assert err["message"] == "column name 'clinic name' cannot be a variable name"
    assert err["help"] == "use letters, digits and '_' (not starting with a digit)"


def test_an_empty_csv(project, build: Build) -> None:
    err = build(fleet(project, csv=""), ok=False).error("SWC207")
    assert err["message"] == "the CSV file is empty"
    assert err["help"] == "the first row names the columns"


def test_instances_must_be_csv_or_yaml(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace("clinics.csv", "clinics.txt"),
                 **{"agents/_fleet/clinics.txt": "slug\npearl\n"})
    err = build(root, ok=False).error("SWC207")
    assert where(err) == "agents/clinic.yaml:2:12"
    assert err["message"] == "'_fleet/clinics.txt' is neither .csv nor .yaml"


def test_a_yaml_instances_file_must_be_a_list_of_mappings(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace("clinics.csv", "clinics.yaml"),
                 **{"agents/_fleet/clinics.yaml": "- pearl\n- sellwood\n"})
    err = build(root, ok=False).error("SWC207")
    assert err["file"] == "agents/_fleet/clinics.yaml"
    assert err["message"] == "an instances file in YAML must be a list of mappings"


def test_a_missing_instances_file(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace("clinics.csv", "clinic.csv"))
    err = build(root, ok=False).error("SWC204")
    assert where(err) == "agents/clinic.yaml:2:12"
    assert err["help"] == "did you mean 'clinics.csv'?"


def test_an_instances_file_outside_the_root(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace("_fleet/clinics.csv", "../../c.csv"))
    (root.parent / "c.csv").write_text(CSV)
    err = build(root, ok=False).error("SWC202")
    assert where(err) == "agents/clinic.yaml:2:12"


def test_two_rows_with_the_same_name(project, build: Build) -> None:
    built = build(fleet(project, csv="slug,city,clinic_name\npearl,A,A\npearl,B,B\n"), ok=False)
    err = built.error("SWC106")
    assert err["message"] == "agent 'clinic-pearl' is also defined by agents/clinic.yaml"
    assert related(err) == [("agents/clinic.yaml:1:8", "first defined here")]


def test_an_undefined_name_in_the_agent_template(project, build: Build) -> None:
    root = fleet(project, definition=DEFINITION.replace("clinic-{{ slug }}", "clinic-{{ slgu }}"))
    built = build(root, ok=False)
    undefined = [e for e in built.errors if e["code"] == "SWC301"]
    assert undefined and where(undefined[0]) == "agents/clinic.yaml:1:8"
    assert undefined[0]["help"] == "did you mean 'slug'?"


def test_an_undefined_name_in_the_agent_template_is_the_only_error(project, build) -> None:
    root = fleet(project, definition=DEFINITION.replace("clinic-{{ slug }}", "clinic-{{ slgu }}"))
    build(root, ok=False).error("SWC301")
