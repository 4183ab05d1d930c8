"""Export the ledger: every table to one file per table (Parquet, JSON lines
or CSV), or the folded events in the field's formats (GDELT 2.0 TSV,
POLECAT-style PLOVER JSONL; see newsledger/events/export.py).

DuckDB's ``COPY ... TO`` writes the table formats natively (no pyarrow needed).
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
# Event formats: gdelt writes events.tsv + mentions.tsv, plover plover_events.jsonl.
EVENT_FORMATS = ("gdelt", "plover")
ALL_FORMATS = (*FORMATS, *EVENT_FORMATS)


class ExportError(NewsledgerError):
    exit_code = 2


def make_folder(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create export folder {out}: {exc.strerror}") from None
    return out


def export_tables(ledger: Ledger, out_dir: str | Path, fmt: str) -> list[Path]:
    """Write each table to ``out_dir/<table>.<ext>``; return the paths written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    ext, options = FORMATS[fmt]
    out = make_folder(out_dir)
    written = []
    for table in TABLES:
        target = out / f"{table}.{ext}"
        # The table name comes from the fixed TABLES tuple; the path is a parameter.
        ledger.execute(f"COPY (SELECT * FROM {table}) TO ? {options}", [str(target)])
        log.info("exported %s to %s", table, target)
        written.append(target)
    return written


def export(ledger: Ledger, out_dir: str | Path, fmt: str, header: bool = False) -> list[Path]:
    """Any export format: the table formats, ``gdelt`` (``header`` adds a
    column-name row to both TSV files) or ``plover``; returns the paths written."""
    if fmt not in ALL_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(ALL_FORMATS)}")
    if fmt in FORMATS:
        return export_tables(ledger, out_dir, fmt)
    from newsledger.events import export as event_export  # events import store, not the other way round

    if fmt == "gdelt":
        return event_export.export_gdelt(ledger, out_dir, header=header)
    return event_export.export_plover(ledger, out_dir)
