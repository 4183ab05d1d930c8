"""The `events` command: folded PLOVER events, who did what to whom, where, with evidence.

It reads the event_groups table that ingest's folding pass writes (one row per
event, however many articles reported it) and shows each event's first
mention as evidence: the article and the sentence it was coded from, and the
event's location (store.queries.EVENT_LOCATION_SQL) with its evidence.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer
from rich.markup import escape

from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors, print_rows
from newsledger.events import plover
from newsledger.events.export import date_source, event_loc
from newsledger.store import queries
from newsledger.store.ledger import DEFAULT_DB, open_ledger

ID_WIDTH = 10  # characters of an article id shown in the table
EVENT_COLUMNS = [("date", "date"), ("event", "event (modes)"), ("actor", "actor"), ("recipient", "recipient"),
                 ("where", "where"), ("mentions", "mentions"), ("evidence", "first evidence"),
                 ("article", "article")]
# Keys of a json/csv row, in order: the folded event, its location, then its first evidence.
ROW_KEYS = ("id", "date", "date_stated", "date_source", "type", "modes", "contexts", "quad", "score", "status",
            "actor", "recipient", "actor_codes", "recipient_codes", "location", "n_mentions", "n_articles",
            "n_sources", "n_in_quotes", "confidence", "evidence")
# Shown after the date in the table: where it came from (Event.date_source).
DATE_SOURCE_MARK = {"text": "text", "publication": "publ."}


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


def _where(row: dict) -> str:
    """"Kharkiv, UKR", with the source when it is the weak one (a place named elsewhere in the article)."""
    if row.get("loc_event") is None:
        return ""
    name = row["loc_name"] or f"{row['loc_text']}?"  # unresolved: the text as written, marked
    where = ", ".join(x for x in (name, row["loc_country"]) if x)
    return where + (" (article)" if row["loc_source"] == "article" else "")


def _event_json(row: dict, near: bool = False) -> dict:
    """The folded event with its location and the first mention's sides and evidence."""
    out = {
        **{k: row[k] for k in ROW_KEYS if k in row},
        "date_source": date_source(row),
        "location": event_loc(row),
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
    keyed = {k: out[k] for k in ROW_KEYS}
    if near:
        keyed["distance_km"] = None if row["distance_km"] is None else round(row["distance_km"], 1)
    return keyed


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
    source = DATE_SOURCE_MARK.get(date_source(row) or "", "")
    return {
        "date": f"{row['date']} ({source})" if row["date"] else "",
        "event": row["type"] + (f" ({modes})" if modes else "")
        + (f" {status.upper()}" if mark and status != "fact" else ""),
        "actor": escape(_names(row["first_actor"])),
        "recipient": escape(_names(row["first_recipient"])),
        "where": escape(_where(row)),
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
    country: Annotated[Optional[str], typer.Option(
        "--country", "-c", help="Events that happened in this country: ISO alpha-3 (UKR) of the event's location."
        " Actors' countries do not count: --actor matches those.")] = None,
    near: Annotated[Optional[str], typer.Option(
        "--near", metavar="LAT,LON,KM",
        help="Events located within KM kilometres (great-circle) of LAT,LON in decimal degrees, e.g."
        " 50.45,30.52,100. Events without coordinates are left out; json and csv add distance_km.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json (one object per line) or csv.")] = "table",
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most N events.")] = None,
) -> None:
    """List events (who did what to whom), one row per event however many articles reported it.

    Each row gives the PLOVER type and modes, the actors and recipients with
    their codes, the date (marked "text" when the text states it, "publ." when
    it is the first article's publication date), where it happened (marked
    "article" when the place is only named elsewhere in the article), how many
    mentions and articles reported it, and the first mention as evidence: its
    article and sentence. --country and --near filter on where the event
    happened, never on who took part. Events stated
    inside a quote are shown as that speaker's claim. Hypothetical events
    ("troops will be sent in case of war") and negated ones are left out
    unless --include-hypothetical. Example, every event with Russia as actor
    or recipient since 2022, as JSON lines:

        newsledger events --actor RUS --since 2022-01-01 -f json

    Every event within 100 km of Kyiv, wherever its actors come from:

        newsledger events --near 50.45,30.52,100
    """
    fmt = common.check_format(format)
    point = queries.parse_near(near) if near is not None else None
    country = queries.check_country(country) if country is not None else None
    with open_ledger(db, read_only=True) as ledger:
        rows = queries.events(ledger, actor=actor, type=_check_type(type), since=common.iso_date(since),
                              include_hypothetical=include_hypothetical, limit=limit, country=country, near=point)
        waiting = queries.unfolded_events(ledger)
    if waiting:
        common.stderr().print(f"note: {waiting} event mention(s) are not folded yet; "
                              "any `newsledger ingest` on this ledger folds them", markup=False)
    if fmt == "table":
        print_rows([_display(r, include_hypothetical) for r in rows], "table", EVENT_COLUMNS, title="events")
    elif fmt == "csv":
        print_rows([_flat(_event_json(r, point is not None)) for r in rows], "csv", EVENT_COLUMNS)
    else:
        print_rows([_event_json(r, point is not None) for r in rows], "json", EVENT_COLUMNS)


EXAMPLE = "newsledger events --actor RUS --type ASSAULT --since 2022-01-01"


def register(app: typer.Typer) -> None:
    """Add `events` to the main app."""
    app.command(name="events", epilog=f"Example: {EXAMPLE}")(handle_errors(events))
