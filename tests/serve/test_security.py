"""Issue 15, point 2: basic auth compared in constant time, SignalWire's signatures, refusals
that help no attacker, a body limit, and no stack trace in any response."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serve.conftest import (
    AUTH,
    PROJECT,
    USER,
    Server,
    basic,
    payload,
    server_env,
    write_project,
)

pytestmark = pytest.mark.slow

KEY = "PSK_test_signing_key_4c1d"


def sign(url: str, body: bytes, digest=hashlib.sha1) -> str:
    """SignalWire's algorithm, from its webhook-security guide: hex HMAC of the URL followed by
    the raw body, keyed with the signing key (written here from the documentation, not from
    swmlc's code)."""
    return hmac.new(KEY.encode(), url.encode() + body, digest).hexdigest()


@pytest.fixture
def signed(start) -> Server:
    return start(env=server_env(SIGNALWIRE_SIGNING_KEY=KEY))


@pytest.mark.parametrize("auth, status", [
    (None, 401),
    ((USER, "wrong-password"), 401),
    (("someone", AUTH[1]), 401),
    ((USER, AUTH[1][:-1]), 401),
    (AUTH, 200),
])
def test_basic_auth(start, auth, status) -> None:
    server = start()
    with server.client(auth=auth) as http:
        responses = [http.get("/swml/alpha"), http.post("/post_prompt/alpha",
                                                          json=payload("c1")),
                     http.get("/calls"), http.get("/calls/c1")]
    assert [r.status_code for r in responses] == [status] * 4
    if status == 401:
        for r in responses:
            assert r.json() == {"error": "unauthorized"}
            assert r.headers["www-authenticate"] == 'Basic realm="swmlc"'


def test_malformed_authorization_headers_are_401_not_500(start) -> None:
    server = start()
    with server.client() as http:
        codes = [http.get("/swml/alpha", headers={"Authorization": value}).status_code
                 for value in ("Basic", "Basic !!!notbase64", "Bearer abc",
                               basic(USER, "").replace("Basic", "basic"),
                               "Basic " + "QQ==" * 5000, "Basic w7/Dvw==")]
    assert codes == [401] * 6


def test_a_valid_signature_is_accepted(signed: Server) -> None:
    body = b'{"call":{"call_id":"c-1","from":"+15035550100"},"vars":{},"envs":{},"params":{}}'
    url = f"{signed.url}/swml/alpha"
    with signed.client(auth=AUTH) as http:
        sha1 = http.post("/swml/alpha", content=body,
                         headers={"X-Signalwire-Signature": sign(url, body)})
        sha256 = http.post("/swml/alpha", content=body, headers={
            "X-Signalwire-SHA256-Signature": sign(url, body, hashlib.sha256)})
        get = http.get("/swml/alpha?x=1",
                       headers={"X-Signalwire-Signature": sign(f"{url}?x=1", b"")})
    assert [sha1.status_code, sha256.status_code, get.status_code] == [200, 200, 200]
    assert sha1.json()["version"] == "1.0.0"


def test_a_signature_is_over_the_url_without_its_credentials(signed: Server) -> None:
    body = b'{"call":{}}'
    host = signed.url.removeprefix("http://")
    with httpx.Client(timeout=30) as http:
        # the client sends the credentials in a header; the URL signed has none
        r = http.post(f"http://{AUTH[0]}:{AUTH[1]}@{host}/swml/alpha", content=body,
                      headers={"X-Signalwire-Signature": sign(f"http://{host}/swml/alpha",
                                                              body)})
    assert r.status_code == 200


def _flip_first(signature: str) -> str:
    """The signature with its first hex digit changed (to "0" unless it is one already: the
    random port makes the signature start with "0" one time in sixteen)."""
    return ("1" if signature[0] == "0" else "0") + signature[1:]


@pytest.mark.parametrize("change", ["body", "signature", "url", "missing", "other key"])
def test_a_tampered_or_missing_signature_is_403(signed: Server, change: str) -> None:
    body = b'{"call":{"call_id":"c-1"}}'
    url = f"{signed.url}/swml/alpha"
    signature = {
        "body": sign(url, body),
        "signature": _flip_first(sign(url, body)),
        "url": sign(f"{signed.url}/swml/beta", body),
        "missing": None,
        "other key": hmac.new(b"another key", url.encode() + body, "sha1").hexdigest(),
    }[change]
    sent = body.replace(b"c-1", b"c-2") if change == "body" else body
    headers = {"X-Signalwire-Signature": signature} if signature else {}
    with signed.client(auth=AUTH) as http:
        r = http.post("/swml/alpha", content=sent, headers=headers)
        bad_sha256 = http.post("/swml/alpha", content=sent, headers={
            "X-Signalwire-SHA256-Signature": "f" * 64})
    assert r.status_code == 403 and r.json() == {"error": "forbidden"}
    assert bad_sha256.status_code == 403 and bad_sha256.content == r.content


def test_post_prompt_checks_a_signature_only_when_one_is_sent(signed: Server) -> None:
    body = httpx.Request("POST", "/", json=payload("c-5")).read()
    url = f"{signed.url}/post_prompt/alpha"
    with signed.client(auth=AUTH) as http:
        unsigned = http.post("/post_prompt/alpha", content=body)
        good = http.post("/post_prompt/alpha", content=body,
                         headers={"X-Signalwire-Signature": sign(url, body)})
        bad = http.post("/post_prompt/alpha", content=body,
                        headers={"X-Signalwire-Signature": sign(url, body + b" ")})
    assert [unsigned.status_code, good.status_code, bad.status_code] == [200, 200, 403]


def test_behind_a_proxy_the_signature_is_over_the_public_url(start) -> None:
    public = "https://agents.example.com"
    server = start("--public-url", public, env=server_env(SIGNALWIRE_SIGNING_KEY=KEY))
    body = b'{"call":{}}'
    with server.client(auth=AUTH) as http:
        public_signed = http.post("/swml/alpha", content=body, headers={
            "X-Signalwire-Signature": sign(f"{public}/swml/alpha", body)})
        local_signed = http.post("/swml/alpha", content=body, headers={
            "X-Signalwire-Signature": sign(f"{server.url}/swml/alpha", body)})
    assert [public_signed.status_code, local_signed.status_code] == [200, 403]


def test_auth_is_checked_before_the_signature(signed: Server) -> None:
    with signed.client() as http:
        r = http.post("/swml/alpha", content=b"{}")
    assert r.status_code == 401  # a missing signature is not even looked at


@pytest.fixture
def small_limit(tmp_path: Path) -> Path:
    files = dict(PROJECT)
    files["swmlc.yaml"] += "  max_body_bytes: 2048\n"
    return write_project(tmp_path / "limited", files)


def test_a_body_over_the_limit_is_413(start, small_limit: Path) -> None:
    server = start(root=small_limit)
    big = b'{"call_id": "c-1", "pad": "' + b"x" * 4096 + b'"}'

    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it by
        for i in range(0, len(big), 512):
            yield big[i:i + 512]

    with server.client(auth=AUTH) as http:
        declared = http.post("/post_prompt/alpha", content=big)
        streamed = http.post("/post_prompt/alpha", content=chunks())
        swml = http.post("/swml/alpha", content=big)
        fits = http.post("/post_prompt/alpha", json=payload("c-ok"))
    for r in (declared, streamed, swml):
        assert r.status_code == 413 and r.json() == {"error": "request body too large"}
    assert fits.status_code == 200
    with server.client() as http:
        assert http.post("/post_prompt/alpha", content=big).status_code == 401


def test_no_response_carries_a_stack_trace_or_server_detail(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        responses = [
            http.get("/nowhere"), http.delete("/swml/alpha"), http.get("/swml/../etc/passwd"),
            http.post("/post_prompt/alpha", content=b"\xff\xfe"),
            http.post("/post_prompt/alpha", content=b"[1, 2]"),
            http.get("/calls?limit=-1&agent=%00"), http.get("/calls/%00"),
            http.post("/post_prompt/alpha", json={"call_id": {"nested": True}}),
            http.post("/post_prompt/alpha", json=payload("x" * 5000, call_start_date=1e300)),
        ]
    for r in responses:
        assert r.status_code < 500, (r.request.url, r.status_code, r.text)
        assert "Traceback" not in r.text and "File \"" not in r.text
        assert "server" not in r.headers  # no "uvicorn" banner
        assert r.headers["x-content-type-options"] == "nosniff"
    assert [r.status_code for r in responses[:2]] == [404, 405]
    assert responses[0].json() == {"error": "not found"}
