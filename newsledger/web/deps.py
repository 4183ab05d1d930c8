"""What every web route shares: the ledger snapshot, read through one
persistent connection, and a time limit on each query (docs/web.md).

The server never opens the ledger file itself (a writer would then be locked
out): it reads the newest snapshot published beside it
(``newsledger.store.snapshot``). ``Snapshots`` keeps one read-only DuckDB
connection to the snapshot CURRENT names, notices when a writer points
CURRENT at a newer one (one ``stat`` per request), and switches to it; each
request gets its own cursor on whichever snapshot was current when it began,
so a request never mixes two snapshots.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Iterator, Optional

import duckdb
from fastapi import Request

from newsledger.errors import DatabaseBusy
from newsledger.store import snapshot
from newsledger.store.ledger import Ledger, LedgerNotFound, open_ledger

log = logging.getLogger(__name__)

# A query running longer than this is interrupted and the request fails with
# 503: one slow filter must not hold a server thread for long.
QUERY_SECONDS = 5.0
# One DuckDB thread per query: the server's queries are small, and many run at
# once; on the 2-core bench machine one thread per query answered the API mix
# faster than DuckDB's default of one per core (bench/web_bench.py).
QUERY_THREADS = 1


class SnapshotPending(DatabaseBusy):
    """No snapshot yet: the server started while an ingest held the ledger.
    The ingest publishes one when it closes; until then requests get 503."""


class Snapshots:
    """The server's view of one ledger: the current snapshot's connection."""

    def __init__(self, db_path: str | Path):
        self.db_path = str(db_path)
        self._lock = threading.Lock()
        self._version: Optional[int] = None
        self._con: Optional[duckdb.DuckDBPyConnection] = None
        self.path: Optional[Path] = None

    def start(self) -> None:
        """Watch the snapshot folder and publish a first snapshot now, unless
        an ingest holds the ledger (it publishes when it closes)."""
        if not Path(self.db_path).exists():
            raise LedgerNotFound(self.db_path)
        snapshot.start_watching(self.db_path)
        try:
            open_ledger(self.db_path).close()  # migrates if needed; close() publishes
        except DatabaseBusy:
            log.warning("%s is being written; serving %s until the writer publishes",
                        self.db_path, snapshot.current(self.db_path) or "nothing")

    def stop(self) -> None:
        snapshot.stop_watching(self.db_path)

    def cursor(self) -> tuple[duckdb.DuckDBPyConnection, Path]:
        """A new cursor on the current snapshot (switching first if a newer one is out)."""
        version = snapshot.current_version(self.db_path)
        if version != self._version or self._con is None:
            self._switch(version)
        with self._lock:
            return self._con.cursor(), self.path

    def _switch(self, version: Optional[int]) -> None:
        with self._lock:
            if version == self._version and self._con is not None:
                return  # another thread switched already
            path = snapshot.current(self.db_path)
            if path is None:
                raise SnapshotPending(self.db_path)
            # The old connection is dropped, not closed: requests still using
            # its cursors finish on the old snapshot.
            self._con = duckdb.connect(str(path), read_only=True, config={"threads": QUERY_THREADS})
            self._version, self.path = version, path
            log.info("serving snapshot %s", path.name)


def ledger(request: Request) -> Iterator[Ledger]:
    """FastAPI dependency: a read-only Ledger on the current snapshot for this
    request, interrupted after QUERY_SECONDS."""
    cur, path = request.app.state.snapshots.cursor()
    timer = threading.Timer(QUERY_SECONDS, cur.interrupt)
    timer.start()
    try:
        yield Ledger(cur, str(path), read_only=True)
    finally:
        timer.cancel()
        cur.close()
