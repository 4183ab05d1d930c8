"""Speaker commands: `speakers` (who is quoted most) and `speaker NAME` (what
one person said over time). Both read the tables newsledger.identity builds."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.text import Text

from newsledger import identity
from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors, print_rows
from newsledger.store.ledger import DEFAULT_DB, open_ledger

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json (one object per line; also jsonl) or csv.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most N rows.")]

SPEAKER_COLUMNS = [("name", "name"), ("type", "type"), ("n_statements", "statements"), ("n_articles", "articles"),
                   ("aliases", "aliases"), ("roles", "roles"), ("id", "id")]
STATEMENT_COLUMNS = [("date", "date"), ("outlet", "outlet"), ("kind", "kind"), ("quote", "quote"),
                     ("article", "article"), ("offsets", "offsets")]
# Aliases and roles shown per speaker in the table; json and csv give them all.
SHOWN_NAMES = 4
# Characters of a quote shown in the table; --format json gives it whole.
ID_WIDTH = 10


def _format(fmt: str) -> str:
    return "json" if fmt == "jsonl" else common.check_format(fmt)


def _named(items: Optional[list[dict]], field: str) -> str:
    items = items or []
    shown = ", ".join(f"{i[field]} ({i['n_articles']})" for i in items[:SHOWN_NAMES])
    return shown + (f", +{len(items) - SHOWN_NAMES}" if len(items) > SHOWN_NAMES else "")


def _speaker_display(row: dict) -> dict:
    return {**row, "aliases": _named(row["aliases"], "alias"), "roles": _named(row["roles"], "role"),
            "id": row["id"][:ID_WIDTH]}


def _flat(row: dict) -> dict:
    """csv cells are strings: lists become JSON."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}


def speakers(
    db: DbOption = DEFAULT_DB,
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="PERSON, ORG, GPE or NORP.")] = None,
    format: FormatOption = "table",
    limit: LimitOption = None,
) -> None:
    """List speakers across articles, most statements first, with aliases and roles."""
    fmt = _format(format)
    with open_ledger(db, read_only=True) as ledger:
        rows = identity.list_speakers(ledger, limit=limit, type=type)
    if fmt == "table":
        rows = [_speaker_display(r) for r in rows]
    elif fmt == "csv":
        rows = [_flat(r) for r in rows]
    print_rows(rows, fmt, SPEAKER_COLUMNS, title="speakers")


def _statement_display(row: dict) -> dict:
    return {
        "date": row["date"],
        "outlet": row["outlet"],
        "kind": row["kind"],
        "quote": common.short(row["content_text"]),
        "article": row["url"] or row["article_id"][:ID_WIDTH],
        "offsets": f"{row['article_id'][:ID_WIDTH]}:{row['content_start']}-{row['content_end']}",
    }


def _header(speaker: dict) -> None:
    out = common.stdout()
    out.print(Text(speaker["name"], style="bold"), Text(f" ({speaker['type']}, id {speaker['id']})"))
    facts = [f"{speaker['n_statements']} statements in {speaker['n_articles']} articles"]
    if speaker["countries"]:
        facts.append("countries: " + ", ".join(speaker["countries"]))
    out.print("; ".join(facts), markup=False)
    out.print("aliases: " + (_named(speaker["aliases"], "alias") or "-"), markup=False)
    out.print("roles: " + (_named(speaker["roles"], "role") or "-"), markup=False)


def speaker(
    name: Annotated[str, typer.Argument(help="A name as written in any article (any case, any spelling variant), or an id.")],
    db: DbOption = DEFAULT_DB,
    since: Annotated[Optional[str], typer.Option(help="Articles dated on or after this ISO date.")] = None,
    format: FormatOption = "table",
    limit: LimitOption = None,
) -> None:
    """Show one speaker's statements over time, with article links and character offsets."""
    fmt = _format(format)
    with open_ledger(db, read_only=True) as ledger:
        who, rows = identity.speaker_statements(ledger, name, limit=limit, since=common.iso_date(since))
    for row in rows:
        row["segments"] = json.loads(row["segments"]) if row.get("segments") else []
        row["speaker_id"], row["speaker"] = who["id"], who["name"]
    if fmt == "table":
        _header(who)
        print_rows([_statement_display(r) for r in rows], "table", STATEMENT_COLUMNS, title="statements")
    else:
        print_rows([_flat(r) for r in rows] if fmt == "csv" else rows, fmt, STATEMENT_COLUMNS)


EXAMPLES = {
    "speakers": (speakers, "newsledger speakers --type PERSON --limit 20"),
    "speaker": (speaker, "newsledger speaker lukashenko --since 2022-01-01"),
}


def register(app: typer.Typer) -> None:
    """Add `speakers` and `speaker` to the main app."""
    for name, (fn, example) in EXAMPLES.items():
        app.command(name=name, epilog=f"Example: {example}")(handle_errors(fn))
