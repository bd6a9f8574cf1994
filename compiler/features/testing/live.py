"""``swmlc test --live``: the cases' requests sent for real instead of answered by fixtures (a
smoke test against a staging API, or the team's own SWAIG server). Secrets are read from the
environment then, and only then; a request that is refused or times out fails its case with
the reason, at the line of the turn that sent it, with no secret in the words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.signalwire.datamap import Execution, Transport

__all__ = ["Live"]


@dataclass(frozen=True)
class Live:
    env: Mapping[str, str]
    allow_private: bool = False
    #: Seconds to connect, and for the whole request (the platform's are 30 and 120).
    timeout: float | None = None

    def transport(self) -> Transport:
        from compiler.features.http_live import CONNECT_TIMEOUT, TOTAL_TIMEOUT, LiveTransport

        return LiveTransport(allow_private=self.allow_private,
                             connect_timeout=self.timeout or CONNECT_TIMEOUT,
                             total_timeout=self.timeout or TOTAL_TIMEOUT)

    def bind(self, function: Any, defaults: Any, site: Span
             ) -> tuple[Any, Any, dict[str, str], list[Diagnostic]]:
        """The function and SWAIG defaults with their secrets bound, the secrets (name:
        value), and a diagnostic per secret the environment lacks."""
        from compiler.core.bind import bind
        from compiler.core.secrets import PLACEHOLDER

        missing: set[str] = set()
        bound = bind(function, self.env, missing), bind(defaults, self.env, missing)
        used = {m.group(1) for m in PLACEHOLDER.finditer(repr((function, defaults)))}
        said = [codes.SECRET_UNSET.at(site, f"secret {name} is not set in the environment",
                                      help=f"export {name}=... to run the case --live")
                for name in sorted(missing)]
        return bound[0], bound[1], {n: self.env[n] for n in used if n in self.env}, said

    def failures(self, run: Execution, site: Span, secrets: Mapping[str, str]
                 ) -> list[Diagnostic]:
        """A failed case per request that got no answer (refused, timed out, TLS...)."""
        from compiler.features.scrub import scrub_text

        return [codes.TEST_FAILED.at(
            site, scrub_text(f"{request.method} {request.url} got no answer: "
                             f"{response.error}", secrets),
            help="is the server up and reachable from here? (without --live, the case "
                 "runs from its fixtures)")
            for request, response in run.exchanges if response.error is not None]
