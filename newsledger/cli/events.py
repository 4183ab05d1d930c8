"""The `events` command: folded PLOVER events, who did what to whom, with evidence.

It reads the event_groups table that ingest's folding pass writes (one row per
event, however many articles reported it) and shows each event's first
mention as evidence: the article and the sentence it was coded from.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.markup import escape

from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors, print_rows
from newsledger.events import plover
from newsledger.store import queries
from newsledger.store.ledger import DEFAULT_DB, open_ledger

ID_WIDTH = 10  # characters of an article id shown in the table
EVENT_COLUMNS = [("date", "date"), ("event", "event (modes)"), ("actor", "actor"), ("recipient", "recipient"),
                 ("mentions", "mentions"), ("evidence", "first evidence"), ("article", "article")]
# Keys of a json/csv row, in order: the folded event, then its first evidence.
ROW_KEYS = ("id", "date", "date_stated", "type", "modes", "contexts", "quad", "score", "status",
            "actor", "recipient", "actor_codes", "recipient_codes", "n_mentions", "n_articles", "n_sources",
            "n_in_quotes", "confidence", "evidence")


def _status(row: dict) -> str:
    """'fact', or what keeps it from being one: hypothetical, negated, future,
    or a claim (only ever stated inside quotes)."""
    marks = [name for name, on in (("hypothetical", row["hypothetical"]), ("negated", row["negated"]),
                                   ("future", "future" in (row.get("modes") or [])),
                                   ("claim", row.get("n_in_quotes") and row.get("n_in_quotes") == row.get("n_mentions")))
             if on]
    return ", ".join(marks) or "fact"


def _side(actors: Optional[list[dict]]) -> list[dict]:
    return [{"name": a["name"], "code": a["code"], "sector": a["sector"],
             "mention": {"start": a["start"], "end": a["end"]}} for a in actors or []]


def _event_json(row: dict) -> dict:
    """The folded event with the first mention's sides and evidence."""
    out = {
        **{k: row[k] for k in ROW_KEYS if k in row},
        "status": _status(row),
        "actor": _side(row["first_actor"]),
        "recipient": _side(row["first_recipient"]),
        "evidence": {
            "article_id": row["first_article"], "title": row["title"], "url": row["url"],
            "outlet": row["outlet"], "date": row["article_date"],
            "sentence": {"start": row["sentence_start"], "end": row["sentence_end"], "text": row["sentence_text"]},
            "trigger": {"start": row["trigger_start"], "end": row["trigger_end"], "text": row["trigger_text"]},
            "quote_id": row["quote_id"], "claimed_by": row["claimed_by"],
        },
    }
    return {k: out[k] for k in ROW_KEYS}


def _names(actors: Optional[list[dict]]) -> str:
    return "; ".join(a["name"] + (f" ({'/'.join(x for x in (a['code'], a['sector']) if x)})"
                                  if a["code"] or a["sector"] else "") for a in actors or [])


def _display(row: dict, mark: bool) -> dict:
    """A table row; text is escaped so that brackets in it are not read as rich markup."""
    modes = ", ".join(row["modes"] or [])
    status = _status(row)
    evidence = common.short(row["sentence_text"])
    if row["quote_id"]:
        evidence = f"claim of {row['claimed_by'] or 'an unnamed speaker'}: {evidence}"
    return {
        "date": row["date"] or "",
        "event": row["type"] + (f" ({modes})" if modes else "")
        + (f" {status.upper()}" if mark and status != "fact" else ""),
        "actor": escape(_names(row["first_actor"])),
        "recipient": escape(_names(row["first_recipient"])),
        "mentions": f"{row['n_mentions']} in {row['n_articles']} art.",
        "evidence": escape(evidence),
        "article": row["first_article"][:ID_WIDTH],
    }


def _flat(row: dict) -> dict:
    """csv cells are strings: lists and objects become JSON."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}


def _check_type(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    if value.upper() not in plover.TYPES:
        raise typer.BadParameter(f"{value!r} is not a PLOVER type: use one of {', '.join(plover.TYPES)}",
                                 param_hint="--type")
    return value.upper()


def events(
    db: DbOption = DEFAULT_DB,
    actor: Annotated[Optional[str], typer.Option(
        "--actor", "-a", help="Actor or recipient code (ISO alpha-3 such as RUS, or IGO, NGO, ...).")] = None,
    type: Annotated[Optional[str], typer.Option(
        "--type", "-t", help="A PLOVER event type: AGREE, CONSULT, ..., ASSAULT.")] = None,
    since: Annotated[Optional[str], typer.Option(
        help="Events dated on or after this ISO date (the event's own date, else its first article's).")] = None,
    include_hypothetical: Annotated[bool, typer.Option(
        "--include-hypothetical", help="Also list hypothetical and negated events, marked as such.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json (one object per line) or csv.")] = "table",
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most N events.")] = None,
) -> None:
    """List events (who did what to whom), one row per event however many articles reported it.

    Each row gives the PLOVER type and modes, the actors and recipients with
    their codes, the date, how many mentions and articles reported it, and
    the first mention as evidence: its article and sentence. Events stated
    inside a quote are shown as that speaker's claim. Hypothetical events
    ("troops will be sent in case of war") and negated ones are left out
    unless --include-hypothetical. Example, every event with Russia as actor
    or recipient since 2022, as JSON lines:

        newsledger events --actor RUS --since 2022-01-01 -f json
    """
    fmt = common.check_format(format)
    with open_ledger(db, read_only=True) as ledger:
        rows = queries.events(ledger, actor=actor, type=_check_type(type), since=common.iso_date(since),
                              include_hypothetical=include_hypothetical, limit=limit)
        waiting = queries.unfolded_events(ledger)
    if waiting:
        common.stderr().print(f"note: {waiting} event mention(s) are not folded yet; "
                              "any `newsledger ingest` on this ledger folds them", markup=False)
    if fmt == "table":
        print_rows([_display(r, include_hypothetical) for r in rows], "table", EVENT_COLUMNS, title="events")
    elif fmt == "csv":
        print_rows([_flat(_event_json(r)) for r in rows], "csv", EVENT_COLUMNS)
    else:
        print_rows([_event_json(r) for r in rows], "json", EVENT_COLUMNS)


EXAMPLE = "newsledger events --actor RUS --type ASSAULT --since 2022-01-01"


def register(app: typer.Typer) -> None:
    """Add `events` to the main app."""
    app.command(name="events", epilog=f"Example: {EXAMPLE}")(handle_errors(events))
