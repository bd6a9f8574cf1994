from __future__ import annotations

BAD = """\
prompt:
  sections:
    - title: Role
      body: You serve ${global_data.clinic_nmae} callers.
  contexts:
    default:
      steps:
        - name: greet
          text: "Greet them on behalf of %{global_data.clinic}."
post_prompt: {text: "Summarize for ${global_data.clinic_name}."}
global_data: {clinic_name: Harborview}
functions:
  - function: lookup
    description: Look up a pet at ${global_data.clinic_nam}.
    data_map:
      output: {response: "Found it at ${global_data.branch}."}
"""


def test_unknown_keys_everywhere(full, where) -> None:
    diags = full(BAD, "SWC401")
    assert where(diags) == [(4, 23, "SWC401"), (9, 42, "SWC401"), (14, 35, "SWC401"),
                            (16, 39, "SWC401")]
    first = diags[0]
    assert first.message == ("'${global_data.clinic_nmae}' names no global_data key: "
                             "it expands to an empty string")
    assert first.help == "did you mean 'clinic_name'?"
    assert first.labels[0].message == "global_data is defined here"
    branch = next(d for d in diags if "branch" in d.message)
    assert branch.help == ("add 'branch' under global_data, or set it with a set_global_data "
                           "action")


GOOD = """\
prompt:
  text: You serve ${global_data.clinic_name} callers at ${global_data.BRANCH}.
global_data: {clinic_name: Harborview}
functions:
  - function: pick_branch
    description: Choose the branch.
    data_map:
      webhooks:
        - url: https://x.example/branches
          output:
            response: "Using ${input.global_data.clinic_name} ${global_data.branch}"
            action: [{set_global_data: {branch: "${name}"}}]
"""


def test_known_and_set_keys_pass(full) -> None:
    # `branch` is set by an action; names match without regard to case, as on the platform.
    assert full(GOOD, "SWC401") == []


def test_input_global_data_in_a_webhook_is_checked(full, where) -> None:
    text = GOOD.replace("${input.global_data.clinic_name}", "${input.global_data.clinc}")
    assert where(full(text, "SWC401")) == [(11, 30, "SWC401")]


def test_with_an_external_webhook_only_typos_are_reported(full, where) -> None:
    text = """\
prompt:
  text: Hello ${global_data.patient_name}, you are at ${global_data.clinic_nam}.
global_data: {clinic_name: Harborview}
functions:
  - function: lookup_patient
    description: Find the patient; the server sets patient_name.
    web_hook_url: https://x.example/swaig
"""
    assert where(full(text, "SWC401")) == [(2, 55, "SWC401")]
