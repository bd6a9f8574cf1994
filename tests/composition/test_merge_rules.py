"""Issue 3, point 2: the merge rules (docs/merging.md), one test per rule.

Each test lays an agent (``agents/a.yaml``) over a base (``agents/_base.yaml``) and checks the
compiled ``ai`` object.
"""

from __future__ import annotations

import pytest

from tests.composition.conftest import Build, where

PROMPT = "prompt: {text: You answer the phone.}\n"
URL = "https://tools.example.com/swaig"


def layered(project, base: str, top: str, *, prompt: bool = True):
    return project({"agents/_base.yaml": base,
                    "agents/a.yaml": "extends: _base.yaml\n" + (PROMPT if prompt else "") + top})


# --- mappings and scalars ---------------------------------------------------------------------

def test_mappings_merge_deeply(project, build: Build) -> None:
    root = layered(project,
                   "global_data: {clinic: {name: Harbor, phone: '1', hours: {mon: 9-5}}, a: 1}\n",
                   "global_data: {clinic: {phone: '2', hours: {sat: 9-1}}, b: 2}\n")
    assert build(root).ai("a")["global_data"] == {
        "clinic": {"name": "Harbor", "phone": "2", "hours": {"mon": "9-5", "sat": "9-1"}},
        "a": 1, "b": 2}


def test_a_scalar_in_a_later_layer_wins(project, build: Build) -> None:
    root = layered(project,
                   "params: {end_of_speech_timeout: 500, attention_timeout: 12000}\n"
                   "global_data: {x: {deep: 1}, y: plain}\n",
                   "params: {end_of_speech_timeout: 700}\nglobal_data: {x: 5, y: {now: map}}\n")
    ai = build(root).ai("a")
    assert ai["params"] == {"end_of_speech_timeout": 700, "attention_timeout": 12000}
    # a value of another kind replaces the lower one whole
    assert ai["global_data"] == {"x": 5, "y": {"now": "map"}}


def test_keys_keep_the_order_of_the_lowest_layer_new_ones_appended(project, build) -> None:
    root = layered(project, "global_data: {a: 1, b: 2, c: 3}\n", "global_data: {d: 4, b: 20}\n")
    assert list(build(root).ai("a")["global_data"].items()) == [
        ("a", 1), ("b", 20), ("c", 3), ("d", 4)]


# --- plain lists ------------------------------------------------------------------------------

def test_plain_lists_are_replaced(project, build: Build) -> None:
    root = layered(
        project,
        "native_functions: [check_time, wait_for_user]\n"
        "prompt:\n  sections: [{title: Base, body: base}, {title: Two, body: two}]\n"
        "swml:\n  before: [{answer: {}}, {record_call: {format: wav}}]\n",
        "native_functions: [wait_for_user]\n"
        "prompt:\n  sections: [{title: Top, body: top}]\n"
        "swml:\n  before: [{answer: {}}]\n", prompt=False)
    built = build(root)
    ai = built.ai("a")
    assert ai["SWAIG"]["native_functions"] == ["wait_for_user"]
    assert ai["prompt"] == {"pom": [{"title": "Top", "body": "top"}]}
    assert built.doc("a")["sections"]["main"][0] == {"answer": {}}
    assert len(built.doc("a")["sections"]["main"]) == 2  # answer, ai


def test_a_list_nested_in_a_keyed_entry_is_replaced(project, build: Build) -> None:
    fn = ("functions:\n  - function: f\n    description: d\n    web_hook_url: " + URL + "\n"
          "    parameters:\n      type: object\n      properties:\n"
          "        a: {type: string, description: A}\n        b: {type: string, description: B}\n"
          "      required: [REQ]\n")
    root = layered(project, fn.replace("REQ", "a, b"), fn.replace("REQ", "b"))
    assert build(root).ai("a")["SWAIG"]["functions"][0]["parameters"]["required"] == ["b"]


# --- keyed lists ------------------------------------------------------------------------------

FUNCTIONS = f"""functions:
  - function: lookup
    description: Look up an order
    parameters:
      type: object
      properties:
        id: {{type: string, description: The order id}}
    web_hook_url: {URL}/lookup
  - function: cancel
    description: Cancel an order
    web_hook_url: {URL}/cancel
"""


def test_functions_merge_by_function_name(project, build: Build) -> None:
    root = layered(project, FUNCTIONS, f"""functions:
  - function: cancel
    description: Cancel an order, after confirming
    meta_data: {{team: orders}}
  - function: refund
    description: Refund an order
    web_hook_url: {URL}/refund
  - function: lookup
    parameters:
      properties:
        email: {{type: string, description: The buyer's email}}
""")
    fns = build(root).ai("a")["SWAIG"]["functions"]
    # existing entries merge in place (deeply), new ones are appended
    assert [f["function"] for f in fns] == ["lookup", "cancel", "refund"]
    assert fns[0]["parameters"]["properties"] == {
        "id": {"type": "string", "description": "The order id"},
        "email": {"type": "string", "description": "The buyer's email"}}
    assert fns[0]["description"] == "Look up an order"
    assert fns[1] == {"function": "cancel", "description": "Cancel an order, after confirming",
                      "web_hook_url": f"{URL}/cancel", "meta_data": {"team": "orders"}}


CONTEXTS = """prompt:
  text: Book visits.
  contexts:
    default:
      steps:
        - name: greet
          text: Greet the caller.
          valid_steps: [ask]
        - name: ask
          text: Ask for the pet's name.
          valid_contexts: [booking]
    booking:
      text: Booking.
      steps:
        - name: book
          text: Book it.
          end: true
"""


def test_contexts_merge_by_name_and_steps_by_name(project, build: Build) -> None:
    root = layered(project, CONTEXTS, """prompt:
  contexts:
    default:
      steps:
        - name: ask
          text: Ask for the pet's name and species.
          valid_steps: [confirm]
        - name: confirm
          text: Confirm.
          valid_contexts: [booking]
    booking:
      isolated: true
    billing:
      steps:
        - name: pay
          text: Take the payment.
          end: true
""", prompt=False)
    contexts = build(root).ai("a")["prompt"]["contexts"]
    assert list(contexts) == ["default", "booking", "billing"]
    steps = contexts["default"]["steps"]
    assert [s["name"] for s in steps] == ["greet", "ask", "confirm"]
    assert steps[1] == {"name": "ask", "text": "Ask for the pet's name and species.",
                        "valid_contexts": ["booking"], "valid_steps": ["confirm"]}
    assert contexts["booking"] == {"text": "Booking.", "isolated": True,
                                   "steps": [{"name": "book", "text": "Book it.", "end": True}]}


LANGUAGES = """languages:
  - {name: English, code: en-US, voice: rime.spore}
  - {name: French, code: fr-FR, voice: rime.spore}
"""


def test_languages_merge_by_code(project, build: Build) -> None:
    root = layered(project, LANGUAGES, """languages:
  - {code: fr-FR, voice: elevenlabs.charlotte, speech_fillers: [Voyons.]}
  - {name: Spanish, code: es-ES, voice: gcloud.es-ES-Neural2-A}
""")
    assert build(root).ai("a")["languages"] == [
        {"name": "English", "code": "en-US", "voice": "rime.spore"},
        {"name": "French", "code": "fr-FR", "voice": "elevenlabs.charlotte",
         "speech_fillers": ["Voyons."]},
        {"name": "Spanish", "code": "es-ES", "voice": "gcloud.es-ES-Neural2-A"}]


def test_pronounce_merges_by_replace(project, build: Build) -> None:
    root = layered(project, "pronounce:\n  - {replace: GIF, with: jif}\n"
                            "  - {replace: SQL, with: sequel}\n",
                   "pronounce:\n  - {replace: SQL, with: S Q L, ignore_case: true}\n"
                   "  - {replace: AI, with: A I}\n")
    assert build(root).ai("a")["pronounce"] == [
        {"replace": "GIF", "with": "jif"},
        {"replace": "SQL", "with": "S Q L", "ignore_case": True},
        {"replace": "AI", "with": "A I"}]


def test_hints_merge_by_value(project, build: Build) -> None:
    root = layered(project,
                   "hints: [Harborview, {hint: swimmel, pattern: swimmel, replace: SWML}]\n",
                   "hints: [Harborview, Bordetella, {hint: swimmel, ignore_case: true}]\n")
    assert build(root).ai("a")["hints"] == [
        "Harborview",
        {"hint": "swimmel", "pattern": "swimmel", "replace": "SWML", "ignore_case": True},
        "Bordetella"]


# --- tags -------------------------------------------------------------------------------------

def test_append_on_a_plain_list(project, build: Build) -> None:
    root = layered(project, "native_functions: [check_time]\n",
                   "native_functions: !append [wait_for_user]\n")
    assert build(root).ai("a")["SWAIG"]["native_functions"] == ["check_time", "wait_for_user"]


def test_append_on_a_keyed_list_keeps_duplicates_out_of_the_merge(project, build: Build) -> None:
    root = layered(project, "hints: [a, b]\n", "hints: !append [c]\n")
    assert build(root).ai("a")["hints"] == ["a", "b", "c"]


def test_prepend(project, build: Build) -> None:
    root = layered(project, "native_functions: [check_time]\nhints: [b]\n",
                   "native_functions: !prepend [wait_for_user]\nhints: !prepend [a]\n")
    ai = build(root).ai("a")
    assert ai["SWAIG"]["native_functions"] == ["wait_for_user", "check_time"]
    assert ai["hints"] == ["a", "b"]


def test_replace_on_a_keyed_list(project, build: Build) -> None:
    root = layered(project, FUNCTIONS, f"""functions: !replace
  - function: cancel
    description: Only this one
    web_hook_url: {URL}/v2/cancel
""")
    assert build(root).ai("a")["SWAIG"]["functions"] == [
        {"function": "cancel", "description": "Only this one",
         "web_hook_url": f"{URL}/v2/cancel"}]


def test_replace_on_a_mapping(project, build: Build) -> None:
    root = layered(project, "global_data: {a: 1, b: {c: 2}}\n",
                   "global_data: !replace {b: {d: 3}}\n")
    assert build(root).ai("a")["global_data"] == {"b": {"d": 3}}


def test_replace_on_steps(project, build: Build) -> None:
    root = layered(project, CONTEXTS, """prompt:
  contexts:
    default:
      steps: !replace
        - name: only
          text: The one step.
          valid_contexts: [booking]
""", prompt=False)
    steps = build(root).ai("a")["prompt"]["contexts"]["default"]["steps"]
    assert steps == [{"name": "only", "text": "The one step.", "valid_contexts": ["booking"]}]


def test_delete_a_key(project, build: Build) -> None:
    root = layered(project,
                   "params: {end_of_speech_timeout: 500, attention_timeout: 12000}\n"
                   "global_data: {a: 1, b: 2}\npronounce: [{replace: GIF, with: jif}]\n",
                   "params:\n  attention_timeout: !delete\nglobal_data: {a: !delete ~}\n"
                   "pronounce: !delete\n")
    ai = build(root).ai("a")
    assert ai["params"] == {"end_of_speech_timeout": 500}
    assert ai["global_data"] == {"b": 2}
    assert "pronounce" not in ai


def test_delete_a_context_by_name(project, build: Build) -> None:
    root = layered(project, CONTEXTS.replace("valid_contexts: [booking]", "end: true"),
                   "prompt:\n  contexts:\n    booking: !delete\n", prompt=False)
    assert list(build(root).ai("a")["prompt"]["contexts"]) == ["default"]


def test_delete_a_function_by_name(project, build: Build) -> None:
    root = layered(project, FUNCTIONS, "functions:\n  - !delete lookup\n")
    assert [f["function"] for f in build(root).ai("a")["SWAIG"]["functions"]] == ["cancel"]


def test_delete_a_hint_by_value(project, build: Build) -> None:
    root = layered(project, "hints: [Harborview, spay, {hint: swimmel, pattern: s, replace: S}]\n",
                   "hints: [!delete spay, !delete swimmel, neuter]\n")
    assert build(root).ai("a")["hints"] == ["Harborview", "neuter"]


def test_delete_a_language_and_a_step(project, build: Build) -> None:
    root = layered(project, LANGUAGES + CONTEXTS,
                   "languages: [!delete fr-FR]\n"
                   "prompt:\n  contexts:\n    default:\n      steps:\n"
                   "        - !delete greet\n", prompt=False)
    ai = build(root).ai("a")
    assert [lang["code"] for lang in ai["languages"]] == ["en-US"]
    assert [s["name"] for s in ai["prompt"]["contexts"]["default"]["steps"]] == ["ask"]


def test_tags_never_reach_the_output(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "hints: !append [a]\n"
                    "native_functions: !prepend [check_time]\n"
                    "global_data: !replace {a: 1}\nparams: {x: !delete ~}\n"})
    built = build(root)
    ai = built.ai("a")
    assert ai["hints"] == ["a"] and ai["global_data"] == {"a": 1} and ai["params"] == {}
    assert "!" not in built.text("a")


def test_a_library_function_merges_with_a_later_layer_by_name(project, build: Build) -> None:
    root = project({
        "agents/_functions/orders.yaml": "- function: lookup\n  description: Look up\n"
                                         f"  web_hook_url: {URL}/lookup\n",
        "agents/_base.yaml": "functions:\n  - use: _functions/orders.yaml#lookup\n",
        "agents/a.yaml": "extends: _base.yaml\n" + PROMPT
                         + "functions:\n  - {function: lookup, description: Find an order}\n",
    })
    assert build(root).ai("a")["SWAIG"]["functions"] == [
        {"function": "lookup", "description": "Find an order", "web_hook_url": f"{URL}/lookup"}]


# --- bad tags ---------------------------------------------------------------------------------

def test_append_on_a_mapping_is_an_error(project, build: Build) -> None:
    root = layered(project, "global_data: {a: 1}\n", "global_data: !append {b: 2}\n")
    err = build(root, ok=False).error("SWC203")
    assert where(err) == "agents/a.yaml:3:14"
    assert err["message"] == "!append applies to a list, not a mapping"


def test_append_on_a_mapping_is_an_error_with_nothing_below(project, build: Build) -> None:
    root = project({"agents/a.yaml": PROMPT + "global_data: !prepend {b: 2}\n"})
    err = build(root, ok=False).error("SWC203")
    assert where(err) == "agents/a.yaml:2:14"
    assert err["message"] == "!prepend applies to a list, not a mapping"


def test_append_on_a_single_value_is_an_error(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: !append Hello}\n"})
    err = build(root, ok=False).error("SWC203")
    assert where(err) == "agents/a.yaml:1:16"
    assert err["message"] == "!append does not apply to a single value"
    assert err["help"] == ("!append/!prepend apply to lists; !delete to a key or an entry of "
                           "a keyed list")


def test_delete_on_an_entry_of_a_plain_list_is_an_error(project, build: Build) -> None:
    """Plain lists are replaced whole: `[!delete check_time]` would silently give []."""
    root = layered(project, "native_functions: [check_time, wait_for_user]\n",
                   "native_functions: [!delete check_time]\n")
    err = build(root, ok=False).error("SWC203")
    assert where(err) == "agents/a.yaml:3:20"
    assert "!delete" in err["message"] and "keyed" in err["message"]


def test_an_unknown_tag_is_an_error_with_the_known_ones(project, build: Build) -> None:
    root = layered(project, "hints: [a]\n", "hints: !appendd [b]\n")
    err = build(root, ok=False).error("SWC006")
    assert where(err) == "agents/a.yaml:3:8"
    assert err["message"] == "unknown tag '!appendd'"
    assert err["help"] == "swmlc's own tags are !append, !prepend, !replace and !delete"


# --- the examples of docs/merging.md ----------------------------------------------------------

def merging_examples() -> list[tuple[str, str, str]]:
    """Every ``# base`` / ``# top`` / ``# result`` block of docs/merging.md."""
    import re

    from tests.conftest import REPO

    text = (REPO / "docs/merging.md").read_text()
    found = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        parts = re.split(r"^# (base|top|result)\n", block, flags=re.M)
        if len(parts) == 7:
            found.append((parts[2], parts[4], parts[6]))
    return found


def test_docs_merging_has_examples() -> None:
    assert len(merging_examples()) >= 10


@pytest.mark.parametrize(("base", "top", "result"), merging_examples())
def test_docs_merging_example(project, base: str, top: str, result: str) -> None:
    """Compose the example (top extends base) and compare with its documented result."""
    from compiler.core.tree import to_plain
    from compiler.pipeline.compose import compose
    from compiler.pipeline.context import Unit
    from compiler.pipeline.load_definition import load_definition
    from compiler.pipeline.run import run_unit
    from compiler.pipeline.testing import context_for
    from compiler.source.yaml_reader import read_yaml

    root = project({"agents/_base.yaml": base, "agents/a.yaml": "extends: _base.yaml\n" + top})
    ctx = context_for(root)
    unit = run_unit(Unit(file="agents/a.yaml", name="a"), ctx, (load_definition, compose))
    assert ctx.diagnostics == []
    assert to_plain(unit.tree) == to_plain(read_yaml(result, "result").value)
