"""Running the app: uvicorn on a socket bound before it starts, its own log lines turned into
ours, and a graceful stop.

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections, lets every request in flight
finish (a post-prompt payload is acknowledged only once committed), then runs the app's
shutdown, which stops the reloader and lets the writer commit what it holds. A second signal,
or ``shutdown_timeout`` seconds, cuts it short.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import signal
import socket
from types import FrameType

from starlette.types import ASGIApp

from compiler.core.errors import SwmlcError
from compiler.features.serve.logs import Log, LogHandler


def bind_socket(host: str, port: int) -> socket.socket:
    """Listen before the server starts, so a port in use is a clear error (exit 1), and so
    ``--port 0`` can say which port it got."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        way_out = " (is another server running? choose another with --port)" \
            if exc.errno == errno.EADDRINUSE else ""
        raise SwmlcError(f"cannot listen on {host}:{port}: {exc.strerror}{way_out}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def listening_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, but a SIGTERM that stopped it gracefully is a clean exit (0), as
        with gunicorn or nginx: uvicorn would raise the signal again once stopped, and the
        process would end as killed (143). A second SIGTERM cuts the wait short, like a
        second Ctrl-C. Ctrl-C itself still ends as interrupted (130)."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if sig == signal.SIGTERM and self.should_exit:
                self.force_exit = True
            super().handle_exit(sig, frame)
            if sig == signal.SIGTERM:
                with contextlib.suppress(ValueError, AttributeError):
                    self._captured_signals.remove(sig)

    return Server


def run(app: ASGIApp, sock: socket.socket, log: Log, *, shutdown_timeout: int,
        forwarded_allow_ips: str | None = None) -> None:
    """Serve until SIGTERM or SIGINT."""
    import uvicorn

    handler = LogHandler(log)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    config = uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="on", server_header=False,
        proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
        timeout_graceful_shutdown=shutdown_timeout,
        timeout_keep_alive=75)  # longer than a load balancer's usual 60 s idle timeout
    _server_class()(config).run(sockets=[sock])
