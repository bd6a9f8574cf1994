"""The one credentials recogniser (compiler/core/credentials.py): where credentials sit in URLs,
headers and meta_data, which are written out, and which look like real tokens."""

from __future__ import annotations

import pytest

from compiler.core.credentials import find, in_field, in_header, in_text, looks_secret


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(c.kind, c.name, c.value) for c in in_text(text)]


def test_user_info_and_query_tokens_in_a_url() -> None:
    url = "https://signalwire:i1vZCuUvzGWoB@h.example.com/swaig/?__token=YmQw%3D&q=paris#top"
    assert _found(url) == [("user", "user", "signalwire"),
                           ("password", "password", "i1vZCuUvzGWoB"),
                           ("query", "__token", "YmQw%3D")]
    for cred in in_text(url):
        assert url[cred.start:cred.end] == cred.value
        assert cred.url == url


@pytest.mark.parametrize("name", ["key", "apikey", "api_key", "token", "access_token", "KEY"])
def test_credential_query_parameters(name: str) -> None:
    text = f"https://api.example.com/v1?q=x&{name}=abc123"
    assert _found(text) == [("query", name, "abc123")]


def test_urls_inside_text_and_several_urls() -> None:
    text = "Post to https://a:b@one.example.com/x then https://two.example.com/y?token=t1 now"
    assert _found(text) == [("user", "user", "a"), ("password", "password", "b"),
                            ("query", "token", "t1")]


def test_a_stand_in_is_not_cut_at_its_colon_and_is_not_literal() -> None:
    url = "https://<<secret:U>>:<<secret:P>>@h.example.com/s?key=${global_data.key}"
    creds = in_text(url)
    assert [(c.kind, c.value) for c in creds] == [
        ("user", "<<secret:U>>"), ("password", "<<secret:P>>"), ("query", "${global_data.key}")]
    assert not any(c.literal for c in creds)


def test_no_credentials_where_there_are_none() -> None:
    assert _found("https://h.example.com/a@b?city=paris") == []
    assert _found("mail me at a@b.example.com") == []
    assert _found("https://h.example.com/x?key=") == [("query", "key", "")]
    assert not in_text("https://h.example.com/x?key=")[0].literal


def test_headers() -> None:
    bearer = in_header("Authorization", "Bearer sk_live_abc")
    assert bearer is not None and (bearer.value, bearer.start) == ("sk_live_abc", 7)
    rapid = in_header("X-RapidAPI-Key", "<RAPID_API_KEY>")
    assert rapid is not None and rapid.literal and not rapid.looks_secret
    assert in_header("X-Auth-Token", "t") is not None
    assert in_header("Accept", "application/json") is None
    assert in_header("X-RapidAPI-Host", "real-time.p.rapidapi.com") is None


def test_meta_data_keys() -> None:
    assert in_field("api_key", "sk-abc") is not None
    assert in_field("stripeSecret", "x") is not None
    assert in_field("Access-Token", "x") is not None
    assert in_field("target_table", "x") is None and in_field("tenant", "acme") is None


def test_find_walks_a_document() -> None:
    doc = {"sections": {"main": [{"ai": {
        "post_prompt_url": "https://u:p@hooks.example.com/pp",
        "SWAIG": {"functions": [{
            "function": "f", "meta_data": {"creds": {"api_key": "k1"}, "team": "wx"},
            "data_map": {"webhooks": [{"url": "https://api.example.com/v?apikey=k2",
                                       "headers": {"Authorization": "Basic k3",
                                                   "Accept": "application/json"}}]}}]}}}]}}
    found = [(path[-1], c.kind, c.value) for path, c in find(doc)]
    assert found == [("post_prompt_url", "user", "u"), ("post_prompt_url", "password", "p"),
                     ("api_key", "field", "k1"), ("url", "query", "k2"),
                     ("Authorization", "header", "k3")]


@pytest.mark.parametrize(("value", "secret"), [
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", True),
    ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", True),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", True),
    ("AKIAIOSFODNN7EXAMPLE", True),
    ("i1vZCuUvzGWoBHYZIzJmogLvp2PRhuw1KRhjaZoN9FU", True),
    ("KEY", False), ("X", False), ("password", False), ("replace-me", False),
    ("<RAPID_API_KEY>", False), ("this-is-optional-password", False),
    ("supercalifragilisticexpialidocious", False), ("hunter2", False),
])
def test_token_shapes_without_flagging_words(value: str, secret: bool) -> None:
    assert looks_secret(value) is secret
