"""compiler/core/urls.py, the one owner of URL credentials: what goes into a URL reads back the
same with the standard library, whatever the password holds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from compiler.core.urls import has_userinfo, join_credentials, split_credentials, with_credentials

NASTY = ["p@ss:w/rd", "a&b=c d/@:", "100%", "é?#x", "<<not a placeholder", ":", "@"]


@pytest.mark.parametrize("password", NASTY)
def test_a_password_reads_back_exactly_with_urllib(password: str) -> None:
    url = with_credentials("https://t.example.com/swaig/f", "bob", password)
    parts = urlsplit(url)
    assert parts.hostname == "t.example.com" and parts.path == "/swaig/f"
    assert unquote(parts.username or "") == "bob"
    assert unquote(parts.password or "") == password
    assert split_credentials(url) == ("https://t.example.com/swaig/f", "bob", password)


def test_placeholders_and_runtime_templates_are_kept_as_written() -> None:
    url = join_credentials("https://h.example/p", "<<secret:U>>", "${global_data.pw}")
    assert url == "https://<<secret:U>>:${global_data.pw}@h.example/p"
    assert split_credentials(url) == ("https://h.example/p", "<<secret:U>>",
                                      "${global_data.pw}")


def test_existing_credentials_are_replaced_not_kept() -> None:
    assert with_credentials("https://old:x@h.example/p", "new", None) == "https://new@h.example/p"
    assert with_credentials("https://h.example/p", None, "x") == "https://h.example/p"


def test_has_userinfo() -> None:
    assert has_userinfo("https://u:p@h.example/x")
    assert not has_userinfo("https://h.example/a@b")
    assert not has_userinfo("https://u:p@h.example/x y")


def test_a_password_from_env_builds_a_url_that_reads_back(
        project, swmlc, monkeypatch: pytest.MonkeyPatch) -> None:
    """swaig.auth_password from env() holding '/' and '@' used to write a URL whose password
    read back as everything before the first '@'. (A password from env() is written into build/,
    which SWC422 refuses; it is switched off here to look at the URL itself.)"""
    import json

    root: Path = project({
        "swmlc.yaml": "rules: {SWC422: off}\nenv: [SWAIG_PASSWORD]\nswaig:\n  base_url: https://tools.example.com/swaig\n"
                      "  auth_user: bot\n  auth_password: \"{{ env('SWAIG_PASSWORD') }}\"\n",
        "agents/a.yaml": "prompt: {text: hi}\nfunctions:\n  - function: f\n"
                         "    description: d\n    webhook: /f\n",
    })
    monkeypatch.setenv("SWAIG_PASSWORD", "p@ss:w/rd")
    assert swmlc("build").exit_code == 0
    doc = json.loads((root / "build/a.swml.json").read_text())
    url = doc["sections"]["main"][1]["ai"]["SWAIG"]["functions"][0]["web_hook_url"]
    parts = urlsplit(url)
    assert (parts.hostname, parts.path) == ("tools.example.com", "/swaig/f")
    assert (unquote(parts.username or ""), unquote(parts.password or "")) == ("bot", "p@ss:w/rd")
