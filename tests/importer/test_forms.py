"""The migrations of forms whose platform reading is known without them (docs/import.md,
"Migrations"): each one's warning, at its line and column in the original, in its words, the
migrated document, and the import that builds from it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from compiler.features.importer import import_text, migrate
from compiler.features.importer.forms import negated


def imported(text: str) -> tuple[Any, list[tuple[int, int, str]]]:
    """Import ``text`` (YAML, as x.yaml): the document, and its SWC613 warnings."""
    result = import_text(text, "x.yaml")
    [doc] = result.documents
    said = [(d.span.line, d.span.col, d.message) for d in doc.diagnostics if d.code == "SWC613"]
    return doc, said


def ai(doc: Any) -> dict[str, Any]:
    return next(v["ai"] for v in doc["sections"]["main"] if "ai" in v)


AGENT = "version: 1.0.0\nsections:\n  main:\n    - ai:\n        prompt: {text: Hi}\n"


def test_a_boolean_level_is_the_integer_the_platform_reads() -> None:
    doc, said = imported(AGENT + "        params:\n"
                                 "          debug_webhook_url: https://hooks.example/debug\n"
                                 "          debug_webhook_level: 'true'\n")
    assert doc.status == "imported"
    assert said == [(8, 32, 'the string "true" is written as the number 1 (a level written as '
                            "a boolean: true is level 1, false is 0)")]
    assert ai(doc.expected)["params"]["debug_webhook_level"] == 1


def test_ai_fields_written_inside_swaig_are_removed_as_unread() -> None:
    doc, said = imported(AGENT + "        SWAIG:\n"
                                 "          functions: []\n"
                                 "          post_prompt: {text: Summarize}\n"
                                 "          languages: [{name: English, code: en-US}]\n")
    assert doc.status == "imported"
    assert said == [
        (8, 11, "'post_prompt' inside SWAIG is not read by the platform (it reads "
                "ai.post_prompt): removed, the agent does what it did; move it to ai.post_prompt "
                "if it was meant for the agent"),
        (9, 11, "'languages' inside SWAIG is not read by the platform (it reads ai.languages): "
                "removed, the agent does what it did; move it to ai.languages if it was meant "
                "for the agent")]
    assert ai(doc.expected) == {"prompt": {"text": "Hi"}, "SWAIG": {"functions": []}}


def test_a_post_prompt_of_knobs_only_is_removed() -> None:
    doc, said = imported(AGENT + "        post_prompt_url: https://hooks.example/summary\n"
                                 "        post_prompt: {top_p: 0.6, temperature: 0.6}\n")
    assert doc.status == "imported"
    assert said == [(7, 9, "a post_prompt with only top_p, temperature and no text or pom asks "
                           "for no summary (the knobs tune nothing): removed")]
    assert ai(doc.expected) == {"prompt": {"text": "Hi"},
                                "post_prompt_url": "https://hooks.example/summary"}


def test_a_post_prompt_with_an_unknown_key_is_not_taken_for_knobs() -> None:
    m = migrate({"version": "1.0.0", "sections": {"main": [{"ai": {
        "prompt": {"text": "Hi"}, "post_prompt": {"top_p": 0.6, "txt": "Sum up"}}}]}})
    assert ai(m.doc)["post_prompt"] == {"top_p": 0.6, "txt": "Sum up"}


LANGUAGE = (AGENT + "        languages:\n"
                    "          - name: Spanish\n            code: es\n            voice: josh\n"
                    "            engine: elevenlabs\n"
                    "            params: {stability: 0.5, similarity_boost: %s}\n")


def test_similarity_boost_at_the_default_is_similarity() -> None:
    doc, said = imported(LANGUAGE % "0.75")
    assert doc.status == "imported"
    assert said == [(11, 38, "'similarity_boost: 0.75' (ElevenLabs' name) is written "
                             "'similarity: 0.75', the platform's name; 0.75 is its default, so "
                             "the voice is the same")]
    assert ai(doc.expected)["languages"][0]["params"] == {"stability": 0.5, "similarity": 0.75}


def test_similarity_boost_at_another_value_stays_refused() -> None:
    doc, _ = imported(LANGUAGE % "0.9")
    assert doc.status == "refused"
    [error] = [d for d in doc.diagnostics if d.severity.label == "error"]
    assert (error.code, error.span.line, error.span.col) == ("SWC614", 11, 38)
    assert "similarity_boost" in error.message


def test_a_webhook_body_is_removed_as_unsent() -> None:
    doc, said = imported(AGENT + "        SWAIG:\n          functions:\n"
                                 "            - function: search\n"
                                 "              description: Search\n"
                                 "              data_map:\n                webhooks:\n"
                                 "                  - url: https://kb.example/search\n"
                                 "                    method: POST\n"
                                 "                    body: {q: '${args.q}'}\n"
                                 "                    output: {response: Found}\n")
    assert doc.status == "imported"
    assert said == [(14, 21, "a webhook's 'body' is not sent by the platform (it sends 'params' "
                             "as the request body): removed, the request is what it was; rename "
                             "it 'params' if it was meant to be sent")]
    hook = ai(doc.expected)["SWAIG"]["functions"][0]["data_map"]["webhooks"][0]
    assert hook == {"url": "https://kb.example/search", "method": "POST",
                    "output": {"response": "Found"}}


def test_global_data_beside_sections_is_removed_as_unread() -> None:
    doc, said = imported(AGENT + "_global_data: {name: Bob}\n")
    assert doc.status == "imported"
    assert said == [(6, 1, "'_global_data' beside sections is not read by the platform (it "
                           "reads ai.global_data): removed, the agent does what it did; move it "
                           "into ai.global_data if it was meant for the agent")]
    assert list(doc.expected) == ["version", "sections"]


NOMATCH = (AGENT + "        SWAIG:\n          functions:\n"
                   "            - function: route\n              description: Route\n"
                   "              data_map:\n                expressions:\n"
                   "                  - string: '${args.dept}'\n"
                   "                    pattern: %s\n"
                   "                    output: {response: Sales}\n"
                   "                    nomatch-output: {response: Unknown}\n"
                   "                  - string: '${args.dept}'\n"
                   "                    pattern: never\n"
                   "                    output: {response: Never}\n")


def test_nomatch_output_is_the_next_expression_with_the_negated_pattern() -> None:
    doc, said = imported(NOMATCH % "sales")
    assert doc.status == "imported"
    assert said == [(15, 21, "'nomatch-output' is written as the next expression: the same "
                             "string, the pattern '^(?![\\s\\S]*?(?:sales))' (true exactly "
                             "when 'sales' finds no match), that output")]
    expressions = ai(doc.expected)["SWAIG"]["functions"][0]["data_map"]["expressions"]
    assert expressions == [
        {"string": "${args.dept}", "pattern": "sales", "output": {"response": "Sales"}},
        {"string": "${args.dept}", "pattern": r"^(?![\s\S]*?(?:sales))",
         "output": {"response": "Unknown"}},
        {"string": "${args.dept}", "pattern": "never", "output": {"response": "Never"}}]


def test_nomatch_output_keeps_the_pattern_s_flags() -> None:
    m = migrate({"version": "1.0.0", "sections": {"main": [{"ai": {"prompt": {"text": "Hi"},
        "SWAIG": {"functions": [{"function": "f", "description": "d", "data_map": {
            "expressions": [{"string": "${args.x}", "pattern": "/^A.b/s",
                             "output": {"response": "yes"},
                             "nomatch-output": {"response": "no"}}]}}]}}}]}})
    [_, added] = ai(m.doc)["SWAIG"]["functions"][0]["data_map"]["expressions"]
    assert added == {"string": "${args.x}", "pattern": r"/^(?![\s\S]*?(?:^A.b))/s",
                     "output": {"response": "no"}}


@pytest.mark.parametrize(("pattern", "subject"), [
    ("sales", "I want SALES"), ("sales", "support"), ("^a", "ab"), ("^a", "ba"),
    ("x|y", "zzy"), ("x|y", "zz"), ("(a)\\1", "xaa"), ("(a)\\1", "xa"), ("b$", "ab"),
    ("b$", "ba"), ("", ""), ("(?<=a)b", "ab"), ("(?<=a)b", "cb"), ("a.b", "a\nb")])
def test_the_negated_pattern_matches_exactly_when_the_pattern_does_not(pattern: str,
                                                                       subject: str) -> None:
    def platform_match(p: str, s: str) -> bool:  # as datamap_exec's _regex_match searches
        body, flags = (p[1:p.rfind("/")], p[p.rfind("/") + 1:]) if p.startswith("/") \
            else (p, "i")
        return re.search(body, s, (re.I if "i" in flags else 0)
                         | (re.S if "s" in flags else 0)) is not None

    opposite = negated(pattern)
    assert opposite is not None
    assert platform_match(opposite, subject) is not platform_match(pattern, subject)
    slashed = negated(f"/{pattern}/s")
    assert slashed is not None
    assert platform_match(slashed, subject) is not platform_match(f"/{pattern}/s", subject)


def test_a_pattern_the_platform_never_matches_is_not_negated() -> None:
    assert negated("/unclosed") is None


def test_a_removal_says_the_platform_does_the_same_without_it() -> None:
    [doc] = import_text(AGENT + "        post_prompt: {top_p: 0.6}\n"
                                "        params: {verbose_logs: 'true'}\n", "x.yaml").documents
    helps = [(d.span.line, d.help) for d in doc.diagnostics if d.code == "SWC613"]
    assert helps == [(6, "see docs/import.md: the platform does the same without it"),
                     (7, "see docs/import.md: the platform reads both forms the same way")]


def test_a_list_written_as_a_string_is_said_so_not_an_unknown_key() -> None:
    doc, _ = imported(AGENT + "        languages:\n"
                              "          - {name: English, code: en-US, voice: rime.spore, "
                              "function_fillers: hold}\n")
    assert doc.status == "refused"
    errors = [(d.code, d.span.line, d.span.col, d.message) for d in doc.diagnostics
              if d.code == "SWC614"]
    assert errors == [("SWC614", 7, 79, 'expected a list, got a string ("hold")')]
