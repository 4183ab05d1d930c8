"""The ledger file: opening it, locking, migrations and transactions.

DuckDB lets one process hold a database file read-write, and while it does
no other process may open it, not even read-only. ``open_ledger`` turns that
refusal into ``DatabaseBusy`` so the CLI can print one line naming the file.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import duckdb

from newsledger.errors import DatabaseBusy, NewsledgerError
from newsledger.store import snapshot
from newsledger.store.migrations import apply_migrations, pending_migrations

log = logging.getLogger(__name__)

DEFAULT_DB = "newsledger.duckdb"


class LedgerNotFound(NewsledgerError):
    """A read command named a database file that does not exist."""

    exit_code = 2

    def __init__(self, path: str):
        super().__init__(f"database {path} does not exist: run `newsledger ingest PATH --db {path}` first")
        self.path = path


class LedgerUnusable(NewsledgerError):
    """The file exists but is not a newsledger database we can use."""

    exit_code = 2


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _connect(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        if _is_lock_error(exc):
            raise DatabaseBusy(path) from None
        raise LedgerUnusable(f"cannot open database {path}: {exc}") from None


class Ledger:
    """An open ledger. Use as a context manager; writes go through ``transaction``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool):
        self.con = con
        self.path = path
        self.read_only = read_only

    def execute(self, sql: str, params: Optional[Sequence[Any]] = None):
        return self.con.execute(sql, params or [])

    def rows(self, sql: str, params: Optional[Sequence[Any]] = None) -> list[dict]:
        """Run a query and return its rows as dicts keyed by column name."""
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    @contextmanager
    def transaction(self) -> Iterator["Ledger"]:
        """All writes inside commit together or not at all (also on Ctrl-C)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        """Close; a writer first publishes a snapshot if a server is watching
        (store/snapshot.py). A failed snapshot is logged, never raised: the
        ledger itself is already committed."""
        if not self.read_only and snapshot.watched(self.path):
            try:
                snapshot.publish(self.con, self.path)
            except Exception:
                log.warning("could not publish a snapshot of %s for the web server", self.path, exc_info=True)
        self.con.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# Files (path, size, modification time) already checked to need no migration:
# a read-only open (the web server opens one per request) skips the check
# until the file changes.
_UP_TO_DATE: set[tuple] = set()


def _file_version(path: str) -> tuple:
    st = os.stat(path)
    return (os.path.realpath(path), st.st_size, st.st_mtime_ns)


def open_ledger(path: str | Path, read_only: bool = False) -> Ledger:
    """Open (and for writing, create and migrate) the ledger at ``path``.

    Read-only opening needs an existing, up-to-date file and lets several
    readers share it; it still fails with DatabaseBusy while a writer runs.
    """
    path = str(path)
    if read_only:
        if not Path(path).exists():
            raise LedgerNotFound(path)
        con = _connect(path, read_only=True)
        version = _file_version(path)
        pending = [] if version in _UP_TO_DATE else pending_migrations(con)
        if not pending:
            _UP_TO_DATE.add(version)
        if pending:
            con.close()
            raise LedgerUnusable(
                f"database {path} needs migrations {', '.join(pending)}: "
                "run any `newsledger ingest` on it to upgrade"
            )
        return Ledger(con, path, read_only=True)
    if Path(path).parent and not Path(path).parent.exists():
        raise LedgerUnusable(f"cannot create database {path}: folder {Path(path).parent} does not exist")
    con = _connect(path, read_only=False)
    try:
        applied = apply_migrations(con)
    except BaseException:
        con.close()
        raise
    if applied:
        log.info("database %s: applied %s", path, ", ".join(applied))
    return Ledger(con, path, read_only=False)
