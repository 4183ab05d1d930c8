"""What every web route shares: the ledger, opened read-only per request, and
a time limit on each query (docs/web.md).

The server opens the DuckDB file read-only for each request and closes it at
the end, so between requests the file is free for `newsledger ingest` and the
CLI's query commands (docs/web.md, "Working alongside ingest").
"""

from __future__ import annotations

import threading
from typing import Iterator

from fastapi import Request

from newsledger.store.ledger import Ledger, open_ledger

# A query running longer than this is interrupted and the request fails with
# 503: one slow filter must not hold the ledger (and the file lock) for long.
QUERY_SECONDS = 5.0


def ledger(request: Request) -> Iterator[Ledger]:
    """FastAPI dependency: a read-only Ledger for this request, interrupted
    after QUERY_SECONDS."""
    led = open_ledger(request.app.state.db_path, read_only=True)
    timer = threading.Timer(QUERY_SECONDS, led.con.interrupt)
    timer.start()
    try:
        yield led
    finally:
        timer.cancel()
        led.close()
