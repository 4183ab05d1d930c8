"""Export every ledger table to one file per table: Parquet, JSON lines or CSV.

DuckDB's ``COPY ... TO`` writes all three natively (no pyarrow needed).
"""

from __future__ import annotations

import logging
from pathlib import Path

from newsledger.errors import NewsledgerError
from newsledger.store.ledger import Ledger
from newsledger.store.queries import TABLES

log = logging.getLogger(__name__)

FORMATS = {
    "parquet": ("parquet", "(FORMAT parquet)"),
    "jsonl": ("jsonl", "(FORMAT json)"),
    "csv": ("csv", "(FORMAT csv, HEADER true)"),
}


class ExportError(NewsledgerError):
    exit_code = 2


def export_tables(ledger: Ledger, out_dir: str | Path, fmt: str) -> list[Path]:
    """Write each table to ``out_dir/<table>.<ext>``; return the paths written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    ext, options = FORMATS[fmt]
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create export folder {out}: {exc.strerror}") from None
    written = []
    for table in TABLES:
        target = out / f"{table}.{ext}"
        # The table name comes from the fixed TABLES tuple; the path is a parameter.
        ledger.execute(f"COPY (SELECT * FROM {table}) TO ? {options}", [str(target)])
        log.info("exported %s to %s", table, target)
        written.append(target)
    return written
