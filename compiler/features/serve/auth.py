"""Who may ask: HTTP basic auth, and SignalWire's request signatures.

Both compare in constant time (``hmac.compare_digest``), and both are decided before anything
else about a request is looked at, so a refusal says nothing about what exists behind it.

Signatures follow SignalWire's webhook security guide (``guides/basics/webhook-security``) and
signalwire-sdk's ``core/security/webhook_validator.py``: hex HMAC-SHA1 (``X-Signalwire-Signature``)
or hex HMAC-SHA256 (``X-Signalwire-SHA256-Signature``) of the URL the platform requested, without
its user:password@, followed by the raw body, keyed with the project's signing key. The
stronger one is checked when present.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

SHA1_HEADER = "x-signalwire-signature"
SHA256_HEADER = "x-signalwire-sha256-signature"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # a stray print or traceback must not show the password
        return f"Credentials(user={self.user!r}, password=***)"

    def accepts(self, authorization: str | None) -> bool:
        """Does an ``Authorization`` header carry these credentials?

        Example:
            >>> c = Credentials("ops", "s3cret")
            >>> c.accepts("Basic " + base64.b64encode(b"ops:s3cret").decode())
            True
            >>> c.accepts("Basic " + base64.b64encode(b"ops:guess").decode()), c.accepts(None)
            (False, False)
        """
        if not authorization or authorization[:6].lower() != "basic ":
            return False
        try:
            raw = base64.b64decode(authorization[6:].strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        user, sep, password = raw.partition(b":")
        # Both halves are compared every time, so the time taken does not say which was wrong.
        user_ok = hmac.compare_digest(user, self.user.encode())
        password_ok = hmac.compare_digest(password, self.password.encode())
        return bool(sep) and user_ok & password_ok


def signed_url(url: str) -> str:
    """The URL a signature covers: the one requested, without credentials.

    Example:
        >>> signed_url("https://u:p@agents.example.com:8443/swml/a?x=1")
        'https://agents.example.com:8443/swml/a?x=1'
    """
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def signature_valid(key: str, url: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Is the request signed with ``key``? The SHA-256 header is preferred when present."""
    message = signed_url(url).encode() + body
    for header, digest in ((SHA256_HEADER, hashlib.sha256), (SHA1_HEADER, hashlib.sha1)):
        given = headers.get(header)
        if not given:
            continue
        expected = hmac.new(key.encode(), message, digest).hexdigest().encode()
        # header values arrive as latin-1 text: anything can be compared as bytes
        if hmac.compare_digest(expected, given.strip().lower().encode("latin-1", "replace")):
            return True
    return False


def has_signature(headers: Mapping[str, str]) -> bool:
    return bool(headers.get(SHA1_HEADER) or headers.get(SHA256_HEADER))
