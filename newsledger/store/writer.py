"""Idempotent writes: runs, articles with everything extracted from them, rejects.

``write_article`` stores one article (its row, source, entities, mentions,
quotes, events and their actors, places and times) in ONE transaction: a crash or Ctrl-C midway leaves nothing of it.
Articles are keyed by content hash, so writing a stored article again only
adds its new source row. Row ids are hashes of stable parts, so re-running
never duplicates anything.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Iterable, Optional

import newsledger
from newsledger.article import Article
from newsledger.records import Event, Location, Quote, Record
from newsledger.settings import Settings
from newsledger.sources.base import Reject
from newsledger.store.ledger import Ledger


def now() -> datetime:
    """The current UTC time, naive (DuckDB TIMESTAMP)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def row_id(*parts: object) -> str:
    """A stable 128-bit hex id for a row, from the parts that identify it."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def entity_id(article_id: str, idx: int) -> str:
    return row_id(article_id, "entity", idx)


def quote_id(article_id: str, idx: int) -> str:
    return row_id(article_id, "quote", idx)


def event_id(article_id: str, idx: int) -> str:
    return row_id(article_id, "event", idx)


def reject_id(reject: Reject) -> str:
    return row_id(reject.item, reject.stage, reject.reason)


# -- runs ---------------------------------------------------------------------


def start_run(
    ledger: Ledger, settings: Settings, model_info: Optional[dict], inputs: Iterable[str]
) -> int:
    """Record a new run as "running" and return its id."""
    model_info = model_info or {}
    row = ledger.execute(
        "INSERT INTO runs (started_at, status, code_version, model_name, model_version, settings, inputs)"
        " VALUES (?, 'running', ?, ?, ?, ?, ?) RETURNING id",
        [
            now(),
            newsledger.__version__,
            model_info.get("name"),
            model_info.get("version"),
            json.dumps({**settings.as_dict(), "rules": model_info.get("rules")}, sort_keys=True),
            json.dumps(list(inputs)),
        ],
    ).fetchone()
    return int(row[0])


def finish_run(ledger: Ledger, run_id: int, status: str, counts: dict) -> None:
    ledger.execute(
        "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
        [now(), status, json.dumps(counts, sort_keys=True), run_id],
    )


# -- articles -----------------------------------------------------------------


def stored_ids(ledger: Ledger, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are already in the ledger."""
    ids = list(ids)
    if not ids:
        return set()
    rows = ledger.execute("SELECT id FROM articles WHERE list_contains(?, id)", [ids]).fetchall()
    return {r[0] for r in rows}


def add_source(ledger: Ledger, article: Article, run_id: int) -> bool:
    """Record where ``article`` was seen; False when that source was already known."""
    key = article.url or article.origin
    added = ledger.execute(
        "INSERT INTO sources (article_id, source_key, origin, url, outlet, title, date, first_seen_run)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING article_id",
        [article.id, key, article.origin, article.url, article.outlet, article.title, article.date, run_id],
    ).fetchall()
    return bool(added)


def write_article(ledger: Ledger, article: Article, record: Record, run_id: int) -> bool:
    """Store the article and its record in one transaction.

    Returns False (and only adds the source) when the article was already stored.
    """
    with ledger.transaction():
        if stored_ids(ledger, [article.id]):
            add_source(ledger, article, run_id)
            return False
        _insert_article(ledger, article, record, run_id)
        add_source(ledger, article, run_id)
        _insert_entities(ledger, article, record)
        _insert_quotes(ledger, article, record, run_id)
        _insert_events(ledger, article, record, run_id)
        _insert_places(ledger, article, record, run_id)
        _insert_times(ledger, article, record, run_id)
        _resolve_rejects(ledger, article.origin, run_id)
    return True


def _resolve_rejects(ledger: Ledger, item: str, run_id: int) -> None:
    """An item stored now settles the rejects it had in earlier runs."""
    if item:
        ledger.execute(
            "UPDATE rejects SET resolved_run = ? WHERE item = ? AND resolved_run IS NULL", [run_id, item]
        )


def _insert_article(ledger: Ledger, article: Article, record: Record, run_id: int) -> None:
    ledger.execute(
        "INSERT INTO articles (id, title, date, url, outlet, author, text, tags, furniture,"
        " language, language_reason, skipped, run_id, ingested_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article.id, article.title, article.date, article.url, article.outlet, article.author,
            article.text, list(article.tags), list(article.furniture),
            record.language or article.language, article.language_reason, record.skipped,
            run_id, now(),
        ],
    )


def _insert_unnested(ledger: Ledger, table: str, columns: tuple, rows: list[list]) -> None:
    """Insert many rows in one statement, one list parameter per column
    (several times faster than executemany for the dozens of rows an article has)."""
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    select = ", ".join(f"unnest(?::{sql_type}[])" for _, sql_type in columns)
    ledger.execute(f"INSERT INTO {table} ({names}) SELECT {select}", [list(col) for col in zip(*rows)])


_ENTITY_COLUMNS = (("id", "VARCHAR"), ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("name", "VARCHAR"),
                   ("type", "VARCHAR"), ("code", "VARCHAR"), ("role", "VARCHAR"))
_MENTION_COLUMNS = (("entity_id", "VARCHAR"), ("article_id", "VARCHAR"), ("idx", "INTEGER"),
                    ("start_char", "INTEGER"), ("end_char", "INTEGER"), ("text", "VARCHAR"))


def _insert_entities(ledger: Ledger, article: Article, record: Record) -> None:
    entity_rows, mention_rows = [], []
    for idx, ent in enumerate(record.entities):
        eid = entity_id(article.id, idx)
        entity_rows.append([eid, article.id, idx, ent.name, ent.type, ent.code, ent.role])
        for m_idx, span in enumerate(ent.mentions):
            mention_rows.append(
                [eid, article.id, m_idx, span.start, span.end, span.text_of(article.text)]
            )
    _insert_unnested(ledger, "entities", _ENTITY_COLUMNS, entity_rows)
    _insert_unnested(ledger, "mentions", _MENTION_COLUMNS, mention_rows)


def _quote_row(article: Article, idx: int, q: Quote, run_id: int) -> list:
    cue, sp = q.cue, q.speaker
    mention = sp.mention
    return [
        quote_id(article.id, idx), article.id, idx, q.kind,
        q.content.start, q.content.end, q.content.text,
        json.dumps([{"start": s.start, "end": s.end} for s in q.segments]),
        cue.start if cue else None, cue.end if cue else None,
        cue.text if cue else None, cue.lemma if cue else None,
        sp.name,
        entity_id(article.id, sp.entity) if sp.entity is not None else None,
        mention.start if mention else None, mention.end if mention else None,
        mention.text if mention else None,
        run_id, q.date,
    ]


_QUOTE_COLUMNS = (
    ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("kind", "VARCHAR"),
    ("content_start", "INTEGER"), ("content_end", "INTEGER"), ("content_text", "VARCHAR"), ("segments", "VARCHAR"),
    ("cue_start", "INTEGER"), ("cue_end", "INTEGER"), ("cue_text", "VARCHAR"), ("cue_lemma", "VARCHAR"),
    ("speaker_name", "VARCHAR"), ("speaker_entity_id", "VARCHAR"), ("speaker_start", "INTEGER"),
    ("speaker_end", "INTEGER"), ("speaker_text", "VARCHAR"), ("run_id", "INTEGER"), ("said_date", "VARCHAR"),
)


def _insert_quotes(ledger: Ledger, article: Article, record: Record, run_id: int) -> None:
    rows = [_quote_row(article, i, q, run_id) for i, q in enumerate(record.quotes)]
    _insert_unnested(ledger, "quotes", _QUOTE_COLUMNS, rows)


# Event.date_source when the event's date is its article's publication date:
# the events.date column keeps only dates the text states (folding reads it so).
PUBLICATION = "publication"


def _event_row(article: Article, record: Record, idx: int, ev: Event, run_id: int) -> list:
    trigger = ev.trigger
    return [
        event_id(article.id, idx), article.id, idx, ev.type, list(ev.modes), list(ev.contexts),
        ev.quad, ev.score,
        trigger.start if trigger else None, trigger.end if trigger else None, trigger.text if trigger else None,
        ev.sentence.start, ev.sentence.end,
        quote_id(article.id, ev.quote) if ev.quote is not None else None,
        ev.confidence, ev.date if ev.date_source != PUBLICATION else None, ev.coder or None, run_id,
        ev.date_source, *_location_values(ev.location, record),
    ]


def _location_values(loc: Optional[Location], record: Record) -> list:
    """The loc_* columns: the place mention's offsets, then the Location's fields."""
    if loc is None:
        return [None] * len(_LOCATION_COLUMNS)
    place = record.places[loc.place] if 0 <= loc.place < len(record.places) else None
    return [
        place.start if place else None, place.end if place else None, loc.extracted_place, loc.resolved_place,
        loc.geonameid, loc.lat, loc.lon, loc.province, loc.country_code, loc.feature_class, loc.feature_code,
        loc.resolution, loc.source, loc.confidence,
    ]


def _actor_rows(article: Article, idx: int, ev: Event) -> list[list]:
    eid = event_id(article.id, idx)
    rows = []
    for role, actors in (("actor", ev.actor), ("recipient", ev.recipient)):
        for a_idx, a in enumerate(actors):
            rows.append([
                eid, role, a_idx, a.name, a.code, a.sector, a.mention.start, a.mention.end,
                a.mention.text_of(article.text),
                entity_id(article.id, a.entity) if a.entity is not None else None,
            ])
    return rows


_EVENT_COLUMNS = (
    ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("type", "VARCHAR"), ("modes", "VARCHAR[]"),
    ("contexts", "VARCHAR[]"), ("quad", "INTEGER"), ("score", "DOUBLE"), ("trigger_start", "INTEGER"),
    ("trigger_end", "INTEGER"), ("trigger_text", "VARCHAR"), ("sentence_start", "INTEGER"),
    ("sentence_end", "INTEGER"), ("quote_id", "VARCHAR"), ("confidence", "DOUBLE"), ("date", "VARCHAR"),
    ("coder", "VARCHAR"), ("run_id", "INTEGER"), ("date_source", "VARCHAR"),
)
_LOCATION_COLUMNS = (
    ("loc_start", "INTEGER"), ("loc_end", "INTEGER"), ("loc_text", "VARCHAR"), ("loc_name", "VARCHAR"),
    ("loc_geonameid", "BIGINT"), ("loc_lat", "DOUBLE"), ("loc_lon", "DOUBLE"), ("loc_admin1", "VARCHAR"),
    ("loc_country", "VARCHAR"), ("loc_feature_class", "VARCHAR"), ("loc_feature_code", "VARCHAR"),
    ("loc_resolution", "VARCHAR"), ("loc_source", "VARCHAR"), ("loc_confidence", "DOUBLE"),
)
_ACTOR_COLUMNS = (
    ("event_id", "VARCHAR"), ("role", "VARCHAR"), ("idx", "INTEGER"), ("name", "VARCHAR"), ("code", "VARCHAR"),
    ("sector", "VARCHAR"), ("mention_start", "INTEGER"), ("mention_end", "INTEGER"), ("mention_text", "VARCHAR"),
    ("entity_id", "VARCHAR"),
)


def _insert_events(ledger: Ledger, article: Article, record: Record, run_id: int) -> None:
    """Events and their actors; ``group_id`` stays NULL until the folding pass."""
    rows = [_event_row(article, record, i, ev, run_id) for i, ev in enumerate(record.events)]
    _insert_unnested(ledger, "events", _EVENT_COLUMNS + _LOCATION_COLUMNS, rows)
    actors = [row for i, ev in enumerate(record.events) for row in _actor_rows(article, i, ev)]
    _insert_unnested(ledger, "event_actors", _ACTOR_COLUMNS, actors)


_PLACE_COLUMNS = (
    ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("start_char", "INTEGER"), ("end_char", "INTEGER"),
    ("text", "VARCHAR"), ("name", "VARCHAR"), ("geonameid", "BIGINT"), ("lat", "DOUBLE"), ("lon", "DOUBLE"),
    ("country", "VARCHAR"), ("admin1", "VARCHAR"), ("feature", "VARCHAR"), ("level", "VARCHAR"),
    ("metonymic", "BOOLEAN"), ("confidence", "DOUBLE"), ("run_id", "INTEGER"),
)
_TIME_COLUMNS = (
    ("article_id", "VARCHAR"), ("idx", "INTEGER"), ("start_char", "INTEGER"), ("end_char", "INTEGER"),
    ("text", "VARCHAR"), ("kind", "VARCHAR"), ("value", "VARCHAR"), ("anchor", "VARCHAR"), ("run_id", "INTEGER"),
)


def _first_per_span(items: list) -> list[tuple[int, object]]:
    """(index, item) of the first item at each (start, end): one row per span, the table's key."""
    seen: set[tuple[int, int]] = set()
    out = []
    for idx, item in enumerate(items):
        if (item.start, item.end) not in seen:
            seen.add((item.start, item.end))
            out.append((idx, item))
    return out


def _insert_places(ledger: Ledger, article: Article, record: Record, run_id: int) -> None:
    rows = [[article.id, idx, p.start, p.end, p.text, p.name, p.geonameid, p.lat, p.lon, p.country, p.admin1,
             p.feature, p.level, bool(p.metonymic), p.confidence, run_id]
            for idx, p in _first_per_span(record.places)]
    _insert_unnested(ledger, "places", _PLACE_COLUMNS, rows)


def _insert_times(ledger: Ledger, article: Article, record: Record, run_id: int) -> None:
    rows = [[article.id, idx, t.start, t.end, t.text, t.kind, t.value, t.anchor, run_id]
            for idx, t in _first_per_span(record.times)]
    _insert_unnested(ledger, "times", _TIME_COLUMNS, rows)


# -- rejects ------------------------------------------------------------------


def write_reject(ledger: Ledger, reject: Reject, run_id: int) -> None:
    """Store a reject once per (item, stage, reason); a re-run refreshes run and time."""
    ledger.execute(
        "INSERT INTO rejects (id, item, stage, reason, detail, run_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET detail = excluded.detail, run_id = excluded.run_id,"
        " seen_at = excluded.seen_at, resolved_run = NULL",
        [reject_id(reject), reject.item, reject.stage, reject.reason, reject.detail, run_id, now()],
    )
