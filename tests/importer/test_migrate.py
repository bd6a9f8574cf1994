"""The documented migrations of ``swmlc import`` (docs/import.md), one by one."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from compiler.features.importer import migrate


def doc_with(ai: dict[str, Any], before: list[Any] | None = None) -> dict[str, Any]:
    return {"version": "1.0.0", "sections": {"main": [*(before or []), {"ai": ai}]}}


def ai_of(doc: dict[str, Any]) -> dict[str, Any]:
    return next(v["ai"] for v in doc["sections"]["main"] if "ai" in v)


def test_bare_string_prompts_become_text() -> None:
    m = migrate(doc_with({"prompt": "Hi", "post_prompt": "Sum up"}))
    assert ai_of(m.doc) == {"prompt": {"text": "Hi"}, "post_prompt": {"text": "Sum up"}}
    assert [c.path for c in m.changes] == [("sections", "main", 0, "ai", "prompt"),
                                           ("sections", "main", 0, "ai", "post_prompt")]


def test_purpose_and_argument_are_renamed_in_place() -> None:
    fn = {"function": "f", "purpose": "Look up", "argument": {"type": "object",
                                                              "properties": {}}, "active": True}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": {"functions": [fn]}}))
    new = ai_of(m.doc)["SWAIG"]["functions"][0]
    assert list(new) == ["function", "description", "parameters", "active"]
    assert {c.path[-1] for c in m.changes} == {"purpose", "argument"}
    assert all(c.key for c in m.changes)


def test_purpose_beside_description_is_left_alone() -> None:
    fn = {"function": "f", "description": "d", "purpose": "p"}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": {"functions": [fn]}}))
    assert ai_of(m.doc)["SWAIG"]["functions"][0] == fn
    assert m.changes == []


def test_argument_none_means_no_parameters() -> None:
    fn = {"function": "f", "purpose": "p", "argument": "none"}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": {"functions": [fn]}}))
    assert ai_of(m.doc)["SWAIG"]["functions"][0] == {"function": "f", "description": "p"}


def test_post_prompt_credentials_move_into_the_url() -> None:
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "post_prompt_url": "https://h.example/s",
                          "post_prompt_auth_user": "me", "post_prompt_auth_password": "p@ss:1"}))
    assert ai_of(m.doc) == {"prompt": {"text": "Hi"},
                            "post_prompt_url": "https://me:p%40ss%3A1@h.example/s"}
    from compiler.core.urls import split_credentials

    assert split_credentials(ai_of(m.doc)["post_prompt_url"])[1:] == ("me", "p@ss:1")


def test_credentials_without_a_url_are_removed_and_said() -> None:
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "post_prompt_auth_user": "me"}))
    assert ai_of(m.doc) == {"prompt": {"text": "Hi"}}
    assert "authenticate nothing" in m.changes[0].message


def test_webhook_credentials_move_into_function_and_default_urls() -> None:
    swaig = {"defaults": {"web_hook_url": "https://h.example/d", "web_hook_auth_user": "u",
                          "web_hook_auth_password": "p"},
             "functions": [{"function": "f", "description": "d",
                            "web_hook_url": "https://h.example/f",
                            "web_hook_auth_user": "u2", "web_hook_auth_password": "p2"}]}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": swaig}))
    new = ai_of(m.doc)["SWAIG"]
    assert new["defaults"] == {"web_hook_url": "https://u:p@h.example/d"}
    assert new["functions"][0]["web_hook_url"] == "https://u2:p2@h.example/f"
    assert "web_hook_auth_user" not in new["functions"][0]


def test_strings_are_retyped_only_where_the_schema_wants_a_type() -> None:
    ai = {"prompt": {"text": "Hi", "temperature": "0.5"},
          "params": {"verbose_logs": "true", "end_of_speech_timeout": "2500",
                     "static_greeting": "true"},
          "global_data": {"flag": "true", "n": "2500"},
          "pronounce": [{"replace": "a", "with": "b", "ignore_case": 0}],
          "SWAIG": {"functions": [{"function": "f", "description": "d",
                                   "meta_data": {"x": "false"}}]}}
    m = migrate(doc_with(ai, before=[{"record_call": {"stereo": "true", "format": "wav"}}]))
    new = ai_of(m.doc)
    assert new["prompt"]["temperature"] == 0.5
    assert new["params"] == {"verbose_logs": True, "end_of_speech_timeout": 2500,
                             "static_greeting": "true"}
    assert new["global_data"] == {"flag": "true", "n": "2500"}
    assert new["pronounce"][0]["ignore_case"] is False
    assert new["SWAIG"]["functions"][0]["meta_data"] == {"x": "false"}
    assert m.doc["sections"]["main"][0] == {"record_call": {"stereo": True, "format": "wav"}}
    assert len(m.changes) == 5


def test_a_string_that_is_not_the_type_stays() -> None:
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "params": {"debug_webhook_level": "loud"}}))
    assert ai_of(m.doc)["params"] == {"debug_webhook_level": "loud"}
    assert m.changes == []


@pytest.mark.parametrize("doc", [
    doc_with({"prompt": "Hi", "params": {"verbose_logs": "true"},
              "post_prompt_url": "https://h/x", "post_prompt_auth_user": "u"}),
    {"version": "1.0.0", "sections": {"main": [{"play": {"url": "say:hi"}}]}},
    ["not", "a", "document"],
])
def test_migrate_never_mutates_its_input(doc: Any) -> None:
    before = copy.deepcopy(doc)
    migrate(doc)
    assert doc == before


def test_a_valid_document_is_unchanged() -> None:
    doc = doc_with({"prompt": {"pom": [{"title": "A", "body": "B"}]},
                    "params": {"verbose_logs": True}})
    m = migrate(doc)
    assert m.doc == doc and m.changes == []


# -- the migrations documents from SignalWire's docs need -----------------------------------------


def test_a_missing_version_is_the_one_the_build_writes() -> None:
    m = migrate({"sections": {"main": [{"ai": {"prompt": {"text": "Hi"}}}]}})
    assert list(m.doc) == ["version", "sections"] and m.doc["version"] == "1.0.0"
    [change] = m.changes
    assert change.path == ("sections",) and change.key
    assert change.message.startswith("no version: the build writes version: 1.0.0")


def test_a_bare_string_verb_takes_its_object_form() -> None:
    m = migrate({"version": "1.0.0", "sections": {
        "main": ["answer", {"ai": {"prompt": {"text": "Hi"}}}, "hangup"],
        "bye": ["hangup"]}})
    assert m.doc["sections"]["main"][0] == {"answer": {}}
    assert m.doc["sections"]["main"][2] == {"hangup": {}}
    assert m.doc["sections"]["bye"] == [{"hangup": {}}]
    assert (m.changes[0].path, m.changes[0].message) == (
        ("sections", "main", 0),
        "the verb 'answer' written as a bare string is written answer: {}")
    assert len(m.changes) == 3


def test_a_string_that_is_no_verb_is_left_for_the_schema_to_refuse() -> None:
    m = migrate({"version": "1.0.0", "sections": {"main": ["ansewr", {"ai": {
        "prompt": {"text": "Hi"}}}]}})
    assert m.doc["sections"]["main"][0] == "ansewr" and m.changes == []


def test_parameters_without_properties_get_an_empty_one() -> None:
    fn = {"function": "f", "description": "d", "parameters": {"type": "object"}}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": {"functions": [fn]}}))
    assert ai_of(m.doc)["SWAIG"]["functions"][0]["parameters"] == {"type": "object",
                                                                   "properties": {}}
    [change] = m.changes
    assert change.path[-1] == "parameters" and "empty 'properties'" in change.message
    # an old 'argument' without properties is renamed and completed, each said
    old = {"function": "f", "purpose": "d", "argument": {"type": "object"}}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": {"functions": [old]}}))
    assert ai_of(m.doc)["SWAIG"]["functions"][0] == {
        "function": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}
    assert len(m.changes) == 3


@pytest.mark.parametrize(("user_key", "password_key"), [("user", "pass"),
                                                        ("username", "password")])
def test_include_credentials_move_into_its_url(user_key: str, password_key: str) -> None:
    include = {"url": "https://tools.example.com/swaig", "functions": ["lookup"],
               user_key: "bot", password_key: "s3cret"}
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "SWAIG": {"includes": [include]}}))
    assert ai_of(m.doc)["SWAIG"]["includes"] == [
        {"url": "https://bot:s3cret@tools.example.com/swaig", "functions": ["lookup"]}]
    [change] = m.changes
    assert change.path[-1] == user_key and "move into url" in change.message


def test_legacy_language_repeating_the_name_is_removed() -> None:
    langs = [{"code": "en-US", "language": "English", "name": "English", "voice": "v"},
             {"code": "fr-FR", "language": "French", "voice": "v"},
             {"code": "es", "language": "Spanish", "name": "Español", "voice": "v"}]
    m = migrate(doc_with({"prompt": {"text": "Hi"}, "languages": langs}))
    assert ai_of(m.doc)["languages"] == [
        {"code": "en-US", "name": "English", "voice": "v"},
        {"code": "fr-FR", "name": "French", "voice": "v"},
        {"code": "es", "language": "Spanish", "name": "Español", "voice": "v"}]  # differs: kept
    assert [c.message for c in m.changes] == ["legacy 'language' repeats 'name': removed",
                                              "legacy 'language' is written as 'name'"]
