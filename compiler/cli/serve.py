"""``swmlc serve``: the compiled agents over HTTP, for a phone number to point at."""

from __future__ import annotations

import click

from compiler.cli._common import (
    Exit,
    emit_diagnostics,
    error_format_option,
    error_handler,
    exit_code,
    options,
    rooted,
    variable_options,
)

EXTRA = "swmlc serve needs the serve extra: pip install 'swmlc[serve]'"


@click.command(epilog="Example: swmlc serve --profile staging --watch (docs/serve.md)")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface, e.g. in a container).")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, shown at start).")
@click.option("--from-build", "from_build", is_flag=True,
              help="Serve the documents in build/ (checked against its manifest) instead of "
                   "compiling the sources.")
@click.option("--watch", is_flag=True,
              help="Recompile on change (with --from-build: re-read build/ when it changes); "
                   "the old documents are served until a new build succeeds.")
@click.option("--database", envvar="SWMLC_DATABASE_URL", metavar="URL",
              help="Where call summaries go: a SQLite file, sqlite:///PATH or postgresql://... "
                   "[env: SWMLC_DATABASE_URL; default: serve.database, else .swmlc/calls.db]")
@click.option("--public-url", "public_url", envvar="SWMLC_PUBLIC_URL", metavar="URL",
              help="The base URL SignalWire reaches this server at (behind a proxy or tunnel); "
                   "signatures are checked over it. [env: SWMLC_PUBLIC_URL]")
@click.option("--stub-functions", "stub_functions", type=click.Path(dir_okay=False),
              metavar="FILE", help="Answer the agents' web_hook_url functions from this "
                                   "fixture file (the format of swmlc test).")
@click.option("--no-auth", "no_auth", is_flag=True,
              help="Serve without basic auth when none is configured (behind a proxy that "
                   "authenticates). Anyone who reaches the port reads your bound secrets.")
@click.option("--shutdown-timeout", "shutdown_timeout", default=30, show_default=True,
              type=click.IntRange(1), help="Seconds SIGTERM waits for requests in flight.")
@click.option("--forwarded-allow-ips", "forwarded_allow_ips", default=None,
              metavar="IPS", help="Proxies whose X-Forwarded-For/-Proto are trusted "
                                  "[default: 127.0.0.1].")
@variable_options
@error_format_option
def serve(*, host: str, port: int, from_build: bool, watch: bool, database: str | None,
          public_url: str | None, stub_functions: str | None, no_auth: bool,
          shutdown_timeout: int, forwarded_allow_ips: str | None, profile: str | None,
          cli_vars: tuple[str, ...], vars_files: tuple[str, ...], error_format: str) -> None:
    """Serve the agents' SWML over HTTP, keep their call summaries, show them at /calls."""
    with error_handler():
        from compiler.core.errors import SwmlcError

        try:
            from compiler.features.serve import ServeRequest, prepare
            from compiler.features.serve import serve as run
        except ImportError as exc:  # starlette or uvicorn missing
            raise SwmlcError(f"{EXTRA} ({exc.name} is not installed)") from None
        request = ServeRequest(options(profile=profile, cli_vars=cli_vars,
                                       vars_files=vars_files),
                               host=host, port=port, from_build=from_build,
                               watch=watch, database=_database(database), public_url=public_url,
                               stub_functions=stub_functions, no_auth=no_auth,
                               shutdown_timeout=shutdown_timeout)
        prepared = prepare(request)
        diags = prepared.diagnostics
        emit_diagnostics(diags, prepared.texts, error_format)
        if not prepared.ok:
            raise Exit(exit_code(diags, strict=False) or 1)
        summary = prepared.summary
        click.echo(f"swmlc serve: {summary['agents']} agents on {prepared.url} "
                   f"(calls in {summary['database']}; Ctrl-C to stop)", err=True)
        run(prepared, shutdown_timeout=shutdown_timeout, forwarded_allow_ips=forwarded_allow_ips)


def _database(value: str | None) -> str | None:
    """A SQLite path given on the command line is relative to the working folder, as every
    path there is; a URL is kept as it is."""
    if value is None or "://" in value:
        return value
    return rooted(value)
