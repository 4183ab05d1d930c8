"""The `serve` command: the ledger's web pages and JSON API on a local port (docs/web.md).

The server reads snapshots of the ledger that writers publish beside it
(store/snapshot.py), never the file itself, so `newsledger ingest` and the
CLI's query commands keep working while it runs. It listens on 127.0.0.1
unless told otherwise.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Optional

import typer

from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors
from newsledger.store import snapshot
from newsledger.store.ledger import DEFAULT_DB

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: reachable from this machine only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to a public address


def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but loopback exposes the ledger.")]
    = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    write_token: Annotated[Optional[str], typer.Option(
        "--write-token", envvar="NEWSLEDGER_WRITE_TOKEN",
        help="Enable the write endpoints for requests carrying this token (off by default: read-only).")] = None,
) -> None:
    """Serve the ledger's pages and JSON API (read-only) at http://HOST:PORT/ (API under /api, docs at /docs)."""
    import uvicorn

    from newsledger.web.app import create_app

    web_app = create_app(db, write_token=write_token)  # a missing ledger fails here, in one line
    if snapshot.current(db) is None:
        common.stderr().print(f"note: {db} is being written by another process; "
                              "requests get 503 until it finishes", markup=False)
    if not is_loopback(host):
        common.stderr().print(f"warning: listening on {host}: anyone who can reach this machine on port {port} "
                              "can read the ledger", markup=False)
    common.stdout().print(f"serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", markup=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


EXAMPLE = "newsledger serve --db news.duckdb --port 8000"


def register(app: typer.Typer) -> None:
    """Add `serve` to the main app."""
    app.command(name="serve", epilog=f"Example: {EXAMPLE}")(handle_errors(serve))
