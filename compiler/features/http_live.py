"""The real network, for ``swmlc exec --live``: a :class:`~compiler.signalwire.datamap.Transport`
that sends each request the way the platform does (no proxy, no .netrc, no cookies; 30 s to
connect and 120 s in all; up to 15 redirects, a POST sent again with its body; credentials only
to the origin they were given for).

A definition comes from a repository that may not be the user's own, and its URLs are
expanded from data: so, like the SDK's ``swaig-test``, requests to private, loopback and
link-local addresses are refused unless the user allows them (``--allow-private-urls``, or
``SWML_ALLOW_PRIVATE_URLS=1`` as for the SDK). The address is checked once resolved and the
connection made to that very address, so a DNS answer cannot change between the check and the
connection.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from base64 import b64encode
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from compiler.signalwire.datamap.http import CURL_ERRORS, HttpRequest, HttpResponse

__all__ = ["MAX_BODY", "LiveTransport"]

CONNECT_TIMEOUT = 30.0
TOTAL_TIMEOUT = 120.0
MAX_REDIRECTS = 15
#: A response body larger than this is cut (and said): a hostile server cannot fill memory.
MAX_BODY = 16 * 1024 * 1024
_PORTS = {"http": 80, "https": 443}


class _Refused(Exception):
    pass


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _PORTS.get(scheme)


@dataclass
class LiveTransport:
    """Sends requests for real. ``refused`` keeps each request refused by the address rule,
    so the command can say how to allow it."""

    allow_private: bool = False
    connect_timeout: float = CONNECT_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    refused: list[tuple[HttpRequest, str]] = field(default_factory=list)

    def send(self, request: HttpRequest) -> HttpResponse:
        deadline = time.monotonic() + self.total_timeout
        url, origin, last = request.url, _origin(request.url), 0
        for _ in range(MAX_REDIRECTS + 1):
            same = _origin(url) == origin
            try:
                status, headers, body = self._once(request, url, same, deadline)
            except _Refused as exc:
                self.refused.append((request, str(exc)))
                return HttpResponse(last, "", error=str(exc), error_code=CURL_ERRORS["connect"])
            except TimeoutError:
                return HttpResponse(last, "", error="the request timed out",
                                    error_code=CURL_ERRORS["timeout"])
            except ssl.SSLError as exc:
                return HttpResponse(last, "", error=f"TLS failed: {exc.reason}",
                                    error_code=CURL_ERRORS["tls"])
            except (OSError, http.client.HTTPException) as exc:
                return HttpResponse(last, "", error=f"the request failed: {exc}",
                                    error_code=CURL_ERRORS["connect"])
            last = status
            location = dict((k.lower(), v) for k, v in headers).get("location")
            if not 300 <= status <= 399 or not location:
                return HttpResponse(status, body, headers)
            url = urljoin(url, location)
        return HttpResponse(last, "", error=f"more than {MAX_REDIRECTS} redirects",
                            error_code=CURL_ERRORS["redirects"])

    def _address(self, host: str, port: int) -> str:
        """The address to connect to, refused when private and not allowed."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise OSError(f"cannot resolve {host}: {exc.strerror}") from None
        address = str(infos[0][4][0])
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not self.allow_private and not ip.is_global:
            raise _Refused(f"{host} is a private or local address ({address}); pass "
                           "--allow-private-urls (or set SWML_ALLOW_PRIVATE_URLS=1) to send "
                           "requests there")
        return address

    def _once(self, request: HttpRequest, url: str, same_origin: bool, deadline: float
              ) -> tuple[int, tuple[tuple[str, str], ...], str]:
        scheme, host, port = _origin(url)
        if scheme not in _PORTS or not host or port is None:
            raise OSError(f"cannot send to '{url}': only http and https URLs are fetched")
        address = self._address(host, port)
        parts = urlsplit(url)
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=self.connect_timeout,
                                               context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
        conn._create_connection = (  # type: ignore[attr-defined]
            lambda _addr, timeout, source: socket.create_connection(
                (address, port), timeout, source))
        headers = {k: v for k, v in request.headers
                   if same_origin or k.lower() not in ("authorization", "cookie")}
        if request.auth is not None and same_origin:
            token = b64encode(f"{request.auth[0]}:{request.auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # curl sends bytes outside ASCII as they are; http.client takes ASCII only, so they
        # go percent-encoded, which a server reads as the same URL
        path = "".join(c if ord(c) < 128 else quote(c, safe="") for c in path)
        try:
            conn.request(request.method, path, body=(request.body or "").encode("utf-8")
                         if request.method == "POST" else None, headers=headers)
            conn.sock.settimeout(max(0.1, deadline - time.monotonic()))
            response = conn.getresponse()
            data = response.read(MAX_BODY)
            return response.status, tuple(response.getheaders()), \
                data.decode("utf-8", "replace")
        finally:
            conn.close()
