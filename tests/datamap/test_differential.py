"""The evaluator against the SDK's port of the platform (signalwire-sdk's
``execute_datamap_function``): every DataMap function of the corpus, with inputs made from its
parameters and patterns, and functions written for each rule of DataMap execution
(tests/datamap/rules.py), all run by both against the same real HTTP server on 127.0.0.1. The
replies must be equal, and so must the requests the server received (method, path, body, and
the headers the evaluators choose).

Where they differ, swmlc follows the platform and the SDK's simulator does not, and each such
case is named with its reason: PCRE syntax Python's re refuses, ``@{...}`` functions the SDK
leaves as written, and URLs holding a space, which the platform's curl refuses while the SDK's
requests library quotes them. Any other difference fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.datamap.cases import Case, all_cases, corpus_functions
from tests.datamap.differential import Outcome, run_sdk, run_swmlc
from tests.datamap.rules import FUNCTIONS, NAMED_GROUP, PCRE_ONLY, RULES, SPACE
from tests.datamap.server import loopback

pytestmark = pytest.mark.slow


def _space_in_url(sdk: Outcome, swmlc: Outcome) -> bool:
    """The SDK sent a request whose expanded URL had a space (requests quoted it: %20) and
    swmlc, like curl, sent none."""
    return bool(sdk.requests) and not swmlc.requests and "%20" in sdk.requests[0][1]


def _explained(case: Case, sdk: Outcome, swmlc: Outcome) -> str | None:
    """The named reason two results differ, checked against what each gave."""
    if case.differs == FUNCTIONS:
        assert "@{" in str(sdk.reply) and "@{" not in str(swmlc.reply), case.label
        return FUNCTIONS
    if case.differs in (PCRE_ONLY, NAMED_GROUP):  # PCRE matched; re refused, so "no"
        assert sdk.reply == {"response": "no"} and swmlc.reply != sdk.reply, case.label
        return case.differs
    if case.differs == SPACE or _space_in_url(sdk, swmlc):
        assert _space_in_url(sdk, swmlc), case.label
        return SPACE
    return None


def test_swmlc_agrees_with_the_sdk_on_every_function_or_names_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not CORPUS.is_dir():
        pytest.skip("the corpus (../shared/corpus) is absent")
    pytest.importorskip("signalwire.cli.execution.datamap_exec")
    monkeypatch.setenv("SWML_ALLOW_PRIVATE_URLS", "1")  # the SDK refuses 127.0.0.1 otherwise
    cases = all_cases()
    functions = len(corpus_functions()) + len(RULES)
    assert functions >= 100 and len(cases) >= 140, (functions, len(cases))
    agreed, named, unexplained = 0, {}, []
    with loopback() as server:
        for index, case in enumerate(cases):
            sdk = run_sdk(case, server)
            mine = run_swmlc(case, server, tmp_path, index)
            if sdk == mine:
                assert case.differs is None, f"{case.label}: expected to differ ({case.differs})"
                agreed += 1
                continue
            reason = _explained(case, sdk, mine)
            if reason is None:
                unexplained.append(f"{case.label}:\n  sdk:   {sdk}\n  swmlc: {mine}")
            else:
                named.setdefault(reason, []).append(case.label)
    assert not unexplained, "\n".join(unexplained)
    assert agreed >= 125, agreed
    assert set(named) == {FUNCTIONS, SPACE, PCRE_ONLY, NAMED_GROUP}, named
