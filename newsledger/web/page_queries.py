"""Read queries the HTML pages need beyond newsledger.store.queries.

Plain dicts out, parameterised SQL only (user input never reaches SQL text).
"""

from __future__ import annotations

import json
from typing import Optional

from newsledger.store.ledger import Ledger

OVERVIEW_COUNTS = ("articles", "quotes", "speakers", "statements", "events", "event_groups", "places")


def overview(ledger: Ledger, latest: int = 20, speakers: int = 15) -> dict:
    # Table names come from the fixed OVERVIEW_COUNTS tuple, never from input.
    counts = {t: ledger.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in OVERVIEW_COUNTS}
    articles = ledger.rows(
        "SELECT a.id, a.title, a.date, a.outlet,"
        " (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS n_quotes,"
        " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events"
        " FROM articles a ORDER BY a.ingested_at DESC, a.date DESC NULLS LAST, a.id LIMIT ?",
        [latest],
    )
    top = ledger.rows(
        "SELECT id, name, type, n_statements, n_articles, first_date, last_date FROM speakers"
        " ORDER BY n_statements DESC, n_articles DESC, name LIMIT ?",
        [speakers],
    )
    return {"counts": counts, "articles": articles, "speakers": top}


def article_quotes(ledger: Ledger, article_id: str) -> list[dict]:
    rows = ledger.rows(
        "SELECT q.id, q.idx, q.kind, q.content_start, q.content_end, q.segments, q.cue_start, q.cue_end,"
        " q.cue_text, q.speaker_name, q.speaker_entity_id, q.speaker_start, q.speaker_end, q.speaker_text,"
        " q.said_date, qs.speaker_id"
        " FROM quotes q LEFT JOIN quote_speakers qs ON qs.quote_id = q.id"
        " WHERE q.article_id = ? ORDER BY q.idx",
        [article_id],
    )
    for row in rows:
        row["segments"] = _segments(row)
    return rows


def _segments(row: dict) -> list[tuple[int, int]]:
    try:
        segs = json.loads(row["segments"]) if row["segments"] else []
        spans = [(int(s["start"]), int(s["end"])) for s in segs]
    except (ValueError, TypeError, KeyError):
        spans = []
    return spans or [(row["content_start"], row["content_end"])]


def article_events(ledger: Ledger, article_id: str) -> list[dict]:
    events = ledger.rows(
        "SELECT id, idx, type, modes, trigger_start, trigger_end, trigger_text, quote_id, date, loc_text, loc_name"
        " FROM events WHERE article_id = ? ORDER BY idx",
        [article_id],
    )
    sides = ledger.rows(
        "SELECT ea.event_id, ea.role, ea.idx, ea.name, ea.code, ea.mention_start, ea.mention_end"
        " FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE e.article_id = ?"
        " ORDER BY ea.event_id, ea.role, ea.idx",
        [article_id],
    )
    by_event: dict[str, dict] = {e["id"]: e for e in events}
    for e in events:
        e["actor"], e["recipient"] = [], []
    for side in sides:
        event = by_event.get(side["event_id"])
        if event is not None and side["role"] in ("actor", "recipient"):
            event[side["role"]].append(side)
    return events


def article_places(ledger: Ledger, article_id: str) -> list[dict]:
    return ledger.rows(
        "SELECT idx, start_char, end_char, text, name, country, level, metonymic FROM places"
        " WHERE article_id = ? ORDER BY start_char", [article_id])


def article_times(ledger: Ledger, article_id: str) -> list[dict]:
    return ledger.rows(
        "SELECT idx, start_char, end_char, text, kind, value FROM times WHERE article_id = ? ORDER BY start_char",
        [article_id])


def find_article(ledger: Ledger, article_id: str) -> Optional[dict]:
    """The article with this exact id or unique id prefix, else None."""
    rows = ledger.rows("SELECT * FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [article_id])
    return rows[0] if len(rows) == 1 else None
