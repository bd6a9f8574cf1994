"""What a server runs with, resolved once at start: the command line, then the environment,
then swmlc.yaml's ``serve:``, then defaults; secrets bound from the environment, and every
secret that is not set reported at once, with what needs it.

Bound values (the password, the signing key, a database password) exist only in the
:class:`ServeSettings` in memory; they are also handed to the log as values to hide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from compiler.core import codes
from compiler.core.bind import bind_text
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.core.urls import split_credentials
from compiler.features.serve.auth import Credentials
from compiler.project.config import CONFIG_NAME, POSTGRES_SCHEMES, ServeConfig
from compiler.project.options import Options

DEFAULT_DATABASE = ".swmlc/calls.db"
DEFAULT_MAX_BODY = 4 * 1024 * 1024
#: The environment variables signalwire-sdk's AgentBase reads, kept so a team moving its agents
#: from the SDK keeps its deployment's settings.
ENV_USER, ENV_PASSWORD = "SWML_BASIC_AUTH_USER", "SWML_BASIC_AUTH_PASSWORD"
ENV_SIGNING_KEY = "SIGNALWIRE_SIGNING_KEY"

Binder = Callable[[str | None, str], str | None]


@dataclass(frozen=True)
class ServeRequest:
    """What the command line asked for."""

    options: Options
    host: str = "127.0.0.1"
    port: int = 3000
    from_build: bool = False
    watch: bool = False
    database: str | None = None
    public_url: str | None = None
    stub_functions: str | None = None
    no_auth: bool = False
    shutdown_timeout: int = 30


@dataclass(frozen=True)
class ServeSettings:
    """The resolved settings, secrets bound."""

    credentials: Credentials | None
    signing_key: str | None = field(default=None, repr=False)
    database: str = field(default=DEFAULT_DATABASE, repr=False)
    public_url: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY
    secrets: frozenset[str] = field(default=frozenset(), repr=False)

    def describe_database(self) -> str:
        """The database as logs may show it: without credentials."""
        return split_credentials(self.database)[0]


def resolve_settings(request: ServeRequest, config: ServeConfig, declared: tuple[str, ...]
                     ) -> tuple[ServeSettings, dict[str, list[str]], list[Diagnostic]]:
    """The settings, each unset secret with the settings that need it, and what else is
    wrong (no credentials)."""
    env = request.options.env
    missing: dict[str, list[str]] = {}

    def bound(value: str | None, what: str) -> str | None:
        if value is None:
            return None
        unset: set[str] = set()
        out = bind_text(value, env, unset)
        for name in unset:
            missing.setdefault(name, []).append(what)
        return out

    credentials = _credentials(request, config, bound)
    problems = [credentials] if isinstance(credentials, Diagnostic) else []
    if isinstance(credentials, Diagnostic):
        credentials = None
    signing_key = bound(config.signing_key, "serve.signing_key") or env.get(ENV_SIGNING_KEY) \
        or None
    database = request.database or bound(config.database, "serve.database") \
        or DEFAULT_DATABASE
    secrets = {env[n] for n in declared if env.get(n)}
    secrets |= {v for v in (credentials.password if credentials else None, signing_key,
                            split_credentials(database)[2]) if v}
    settings = ServeSettings(credentials, signing_key, database,
                             request.public_url or config.public_url,
                             config.max_body_bytes or DEFAULT_MAX_BODY, frozenset(secrets))
    return settings, missing, problems


def _credentials(request: ServeRequest, config: ServeConfig, bound: Binder
                 ) -> Credentials | Diagnostic | None:
    """The credentials, None for --no-auth, or why there are none."""
    env = request.options.env
    if config.auth_user is not None and config.auth_password is not None:
        user = bound(config.auth_user, "serve.auth.user") or ""
        password = bound(config.auth_password, "serve.auth.password") or ""
        return Credentials(user, password)
    env_user, env_password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if env_user and env_password:
        return Credentials(env_user, env_password)
    if request.no_auth and not (env_user or env_password):
        return None
    where = Span(CONFIG_NAME, 0, 0, 0, 0)
    if env_user or env_password:
        return codes.SERVE_NO_CREDENTIALS.at(
            where, f"only one of {ENV_USER} and {ENV_PASSWORD} is set",
            help="set both, or neither (and serve.auth in swmlc.yaml)")
    return codes.SERVE_NO_CREDENTIALS.at(
        where, "swmlc serve needs basic-auth credentials: the documents it serves hold your "
        "agents' secrets",
        help="add serve: {auth: {user: ops, password: \"{{ secret('SERVE_PASSWORD') }}\"}} to "
             f"swmlc.yaml, or export {ENV_USER} and {ENV_PASSWORD}; --no-auth serves without "
             "(behind a proxy that authenticates)")


def database_location(database: str, root: Path) -> str:
    """Where the calls go, for the start-up line: a PostgreSQL URL without credentials, or the
    SQLite file's path."""
    if database.startswith(POSTGRES_SCHEMES):
        return split_credentials(database)[0]
    path = Path(database.removeprefix("sqlite:///"))
    return str(path if path.is_absolute() else root / path)
