"""Read commands over the ledger: quotes, entities, show, stats, export.

Each opens the ledger read-only (several can run at once; all fail with
exit 3 while an ingest holds the file) and prints what store.queries returns.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors, print_rows
from newsledger.store import queries
from newsledger.store.export import ALL_FORMATS as EXPORT_FORMATS, export as export_ledger
from newsledger.store.ledger import DEFAULT_DB, open_ledger

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json (one object per line) or csv.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most N rows.")]

QUOTE_COLUMNS = [("date", "date"), ("speaker", "speaker"), ("kind", "kind"),
                 ("quote", "quote"), ("article", "article")]
ENTITY_COLUMNS = [("name", "name"), ("type", "type"), ("code", "code"), ("role", "role"),
                  ("mentions", "mentions"), ("articles", "articles")]


def quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker name contains this (any case).")] = None,
    contains: Annotated[Optional[str], typer.Option(help="Quote text contains this (any case).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Articles dated on or after this ISO date.")] = None,
    format: FormatOption = "table",
    limit: LimitOption = None,
) -> None:
    """List quotes with their speakers, newest articles first."""
    common.check_format(format)
    with open_ledger(db, read_only=True) as ledger:
        rows = queries.quotes(ledger, speaker=speaker, contains=contains, since=common.iso_date(since), limit=limit)
    for row in rows:
        row["segments"] = json.loads(row["segments"]) if row.get("segments") else []
    if format == "table":
        rows = [_quote_display(row) for row in rows]
    print_rows(rows, format, QUOTE_COLUMNS, title="quotes")


def _quote_display(row: dict) -> dict:
    return {
        "date": row["date"],
        "speaker": row["speaker_name"] or row["speaker_text"] or "(unknown)",
        "kind": row["kind"],
        "quote": common.short(row["content_text"]),
        "article": row["article_id"][:10],
    }


def entities(
    db: DbOption = DEFAULT_DB,
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="PERSON, ORG, GPE or NORP.")] = None,
    format: FormatOption = "table",
    limit: LimitOption = None,
) -> None:
    """List canonical entities with how often and in how many articles they appear."""
    common.check_format(format)
    with open_ledger(db, read_only=True) as ledger:
        rows = queries.entities(ledger, type=type, limit=limit)
    print_rows(rows, format, ENTITY_COLUMNS, title="entities")


# -- show ---------------------------------------------------------------------

QUOTE_STYLE, SPEAKER_STYLE, MARK_STYLE = "yellow", "bold cyan", "bold magenta"


def marked_text(text: str, quote_rows: list[dict]) -> Text:
    """The article text with each quote wrapped in [Qn ...] and its speaker
    mention in {...}n, styled; offsets are read from the original text."""
    marks: list[tuple[int, int, str]] = []  # (position, order, marker)
    speakers: dict[tuple[int, int], list[str]] = {}  # one mention may speak several quotes
    styled = Text(text)
    for n, q in enumerate(quote_rows, start=1):
        styled.stylize(QUOTE_STYLE, q["content_start"], q["content_end"])
        marks += [(q["content_start"], 1, f"[Q{n} "), (q["content_end"], 0, "]")]
        if q["speaker_start"] is not None:
            speakers.setdefault((q["speaker_start"], q["speaker_end"]), []).append(str(n))
    for (start, end), numbers in speakers.items():
        styled.stylize(SPEAKER_STYLE, start, end)
        marks += [(start, 1, "{"), (end, 0, "}" + ",".join(numbers))]
    marks.sort()
    out, pos = Text(), 0
    for at, _, marker in marks:
        out.append_text(styled[pos:at])
        out.append(marker, style=MARK_STYLE)
        pos = at
    out.append_text(styled[pos:])
    return out


def _quote_legend(quote_rows: list[dict]) -> Table:
    table = Table(title="quotes", show_header=True)
    for header in ("#", "kind", "speaker", "cue"):
        table.add_column(header)
    for n, q in enumerate(quote_rows, start=1):
        speaker = q["speaker_name"] or q["speaker_text"] or "(unknown)"
        table.add_row(f"Q{n}", q["kind"], speaker, q["cue_text"] or "")
    return table


def show(
    article: Annotated[str, typer.Argument(help="An article id, or enough of its start to be unique.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Print an article with its quotes marked [Qn ...] and speakers {...}n."""
    with open_ledger(db, read_only=True) as ledger:
        row = queries.find_article(ledger, article)
        quote_rows = sorted(queries.quotes(ledger, article_id=row["id"]), key=lambda q: q["idx"])
        sources = queries.article_sources(ledger, row["id"])
        ents = queries.article_entities(ledger, row["id"])
    out = common.stdout()
    out.print(Text(row["title"] or "(untitled)", style="bold"))
    out.print(f"id {row['id']}  date {row['date'] or '-'}  language {row['language'] or '-'}", markup=False)
    for s in sources:
        out.print(f"source: {s['url'] or s['origin']}" + (f" ({s['outlet']})" if s["outlet"] else ""), markup=False)
    if row["skipped"]:
        out.print(f"not analysed: {row['skipped']}", markup=False)
    out.print()
    out.print(marked_text(row["text"], quote_rows))
    out.print()
    if quote_rows:
        out.print(_quote_legend(quote_rows))
    if ents:
        out.print("entities: " + "; ".join(f"{e['name']} ({e['type']}, {e['mentions']})" for e in ents),
                  markup=False)


# -- stats / export -------------------------------------------------------------


def stats(db: DbOption = DEFAULT_DB) -> None:
    """Counts per table, rejects by reason and the latest runs."""
    with open_ledger(db, read_only=True) as ledger:
        result = queries.stats(ledger)
    out = common.stdout()
    tables = Table(title="tables")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for name, n in result["tables"].items():
        tables.add_row(name, str(n))
    out.print(tables)
    print_rows(result["rejects"], "table", [("stage", "stage"), ("reason", "reason"), ("n", "count")],
               title="rejects by reason")
    print_rows([_run_display(r) for r in result["runs"]], "table",
               [("id", "run"), ("started", "started"), ("status", "status"), ("code_version", "code"),
                ("model", "model"), ("counts", "counts")], title="runs (latest first)")


def _run_display(run: dict) -> dict:
    counts = json.loads(run["counts"]) if run.get("counts") else {}
    rejected = sum((counts.get("rejected") or {}).values())
    return {
        "id": run["id"],
        "started": str(run["started_at"])[:19],
        "status": run["status"],
        "code_version": run["code_version"],
        "model": f"{run['model_name'] or '-'} {run['model_version'] or ''}".strip(),
        "counts": (f"{counts.get('ingested', 0)} new, {counts.get('duplicates', 0)} dup, "
                   f"{rejected} rejected" if counts else ""),
    }


def export(
    directory: Annotated[Optional[str], typer.Argument(help="Folder to write into (or give --out).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=(
        "parquet, jsonl or csv: one file per table; gdelt: events.tsv and mentions.tsv (GDELT 2.0 Events and"
        " Mentions, tab-separated, no header row); plover: plover_events.jsonl (POLECAT-style PLOVER, one folded event"
        " per line with its mentions)."))] = "parquet",
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="Folder to write into (same as DIRECTORY).")] = None,
    header: Annotated[bool, typer.Option(
        "--header", help="gdelt only: start both TSV files with a column-name row.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write every table to DIR as <table>.parquet, .jsonl or .csv, or the events as GDELT or PLOVER files.

    GDELT files leave out hypothetical and negated events (GDELT cannot mark
    them); the PLOVER file keeps them with their modes. Example for GDELT:

        newsledger export --format gdelt --out gdelt/ --header
    """
    if format not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if directory and out and directory != out:
        raise typer.BadParameter("give the folder once: DIRECTORY or --out", param_hint="--out")
    if not (directory or out):
        raise typer.BadParameter("name the folder to write into: DIRECTORY or --out DIR", param_hint="--out")
    with open_ledger(db, read_only=True) as ledger:
        written = export_ledger(ledger, directory or out, format, header=header)
    for path in written:
        common.stdout().print(str(path), markup=False)


EXAMPLES = {
    quotes: "newsledger quotes --speaker Lukashenko --since 2022-01-01 -f csv",
    entities: "newsledger entities --type PERSON --limit 20",
    show: "newsledger show 3fa9c1",
    stats: "newsledger stats --db news.duckdb",
    export: "newsledger export out/ --format parquet",
}


def register(app: typer.Typer) -> None:
    for fn, example in EXAMPLES.items():
        app.command(epilog=f"Example: {example}")(handle_errors(fn))
