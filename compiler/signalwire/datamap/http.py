"""The HTTP the platform does for a function, as values: a request, a response, and the
:class:`Transport` protocol that turns one into the other.

The evaluator builds requests and reads responses but never opens a socket: ``swmlc exec
--live`` passes a transport that does (``compiler.features.http_live``), ``swmlc test`` one that
answers from recorded fixtures (``compiler.features.fixtures``), and the tests their own. So the
platform's rules (what is sent, what counts as a failure) are written once, here and in
:mod:`.evaluate`, whoever answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from compiler.core.urls import split_credentials as core_split

__all__ = ["CURL_ERRORS", "HttpRequest", "HttpResponse", "Transport", "malformed",
           "split_credentials"]

#: curl's result codes for the transport failures the platform reports as ``http_req_result``.
CURL_ERRORS = {"malformed": 3, "connect": 7, "timeout": 28, "tls": 35, "redirects": 47,
               "other": 1}


@dataclass(frozen=True)
class HttpRequest:
    """One request as the platform sends it. ``url`` holds no credentials: ``user:password@``
    in a webhook URL is sent as basic authentication (``auth``)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    auth: tuple[str, str] | None = None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass(frozen=True)
class HttpResponse:
    """A response, or a transport failure: ``error`` says what went wrong (connection refused,
    a timeout) and ``error_code`` is curl's code for it; then ``status`` is the last status
    received, 0 when none was."""

    status: int = 200
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    error_code: int | None = None


class Transport(Protocol):
    """Sends a request and returns what came back; never raises for a network failure (that
    is an :class:`HttpResponse` with ``error`` set, as the platform sees it)."""

    def send(self, request: HttpRequest) -> HttpResponse: ...


def malformed(url: str) -> str | None:
    """Why curl refuses ``url`` before sending anything (CURLE_URL_MALFORMAT), or None: a
    space or a control character, which an unencoded ``${args.x}`` puts there.

    Example:
        >>> print(malformed("https://api.example/w?q=São Paulo"))
        the URL holds a space, which curl refuses: encode the value (${enc:...})
    """
    for char in url:
        if char == " ":
            return "the URL holds a space, which curl refuses: encode the value (${enc:...})"
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return (f"the URL holds the control character {ord(char):#04x}, which curl "
                    "refuses: encode the value (${enc:...})")
    return None


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without ``user:password@``, and those credentials (percent-decoded), which the
    platform sends as basic authentication. Read by :mod:`compiler.core.urls`, the one owner of
    URL credentials, so a secret placeholder (``<<secret:U>>``, bound at deploy time) stands
    for its value whole, colon and all.

    Example:
        >>> split_credentials("https://u%40x:p@hooks.example/swaig")
        ('https://hooks.example/swaig', ('u@x', 'p'))
        >>> split_credentials("https://<<secret:U>>:<<secret:P>>@hooks.example/swaig")[1]
        ('<<secret:U>>', '<<secret:P>>')
    """
    bare, user, password = core_split(url)
    return bare, (None if user is None else (user, password or ""))
