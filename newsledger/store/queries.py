"""Read queries over the ledger, shared by the CLI and the web page.

Every function takes an open Ledger and returns plain dicts (column -> value),
so callers can print a table, write JSON/CSV or render a template alike.
All user input reaches SQL as parameters.
"""

from __future__ import annotations

from typing import Optional

from newsledger.errors import NewsledgerError
from newsledger.store.ledger import Ledger

TABLES = (
    "articles", "sources", "entities", "mentions", "quotes", "rejects", "runs", "schema_migrations",
    "speakers", "speaker_aliases", "speaker_roles", "speaker_entities", "quote_speakers", "speaker_redirects",
    "statements", "statement_sources", "events", "event_actors", "event_groups",
)


class ArticleNotFound(NewsledgerError):
    """`show` was given an id (prefix) that matches no article, or several."""

    exit_code = 2


def _limit_clause(limit: Optional[int], params: list) -> str:
    if limit is None:
        return ""
    params.append(int(limit))
    return " LIMIT ?"


def _filtered(ledger: Ledger, select: str, where: list[str], order: str, params: list, limit: Optional[int]) -> list[dict]:
    """``select`` with the AND of ``where`` (SQL with ? parameters), ordered and limited."""
    sql = select + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY " + order
    return ledger.rows(sql + _limit_clause(limit, params), params)


def quotes(
    ledger: Ledger,
    speaker: Optional[str] = None,
    contains: Optional[str] = None,
    since: Optional[str] = None,
    article_id: Optional[str] = None,
    limit: Optional[int] = None,
) -> list[dict]:
    """Quotes with their speakers, newest articles first.

    ``speaker`` and ``contains`` match case-insensitively anywhere in the
    speaker's name (or mention) and the quote text; ``since`` is an ISO date
    compared with the article date.
    """
    where, params = [], []
    if speaker:
        where.append("(contains(lower(q.speaker_name), lower(?)) OR contains(lower(q.speaker_text), lower(?)))")
        params += [speaker, speaker]
    if contains:
        where.append("contains(lower(q.content_text), lower(?))")
        params.append(contains)
    if since:
        where.append("a.date >= ?")
        params.append(since)
    if article_id:
        where.append("q.article_id = ?")
        params.append(article_id)
    select = (
        "SELECT q.id, q.article_id, a.date, a.title, q.idx, q.kind, q.speaker_name, q.speaker_text,"
        " q.cue_text, q.cue_lemma, q.content_start, q.content_end, q.content_text, q.segments,"
        " q.speaker_start, q.speaker_end, q.run_id"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
    )
    return _filtered(ledger, select, where, "a.date DESC NULLS LAST, q.article_id, q.idx", params, limit)


def entities(
    ledger: Ledger, type: Optional[str] = None, limit: Optional[int] = None
) -> list[dict]:
    """Canonical entities (name, type, code, a role seen) with mention and article counts."""
    params: list = []
    where = ""
    if type:
        where = " WHERE e.type = ?"
        params.append(type.upper())
    sql = (
        "SELECT e.name, e.type, e.code, any_value(e.role) AS role, count(m.entity_id) AS mentions,"
        " count(DISTINCT e.article_id) AS articles"
        " FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id"
        + where
        + " GROUP BY e.name, e.type, e.code ORDER BY articles DESC, mentions DESC, e.name"
    )
    return ledger.rows(sql + _limit_clause(limit, params), params)


def find_article(ledger: Ledger, id_prefix: str) -> dict:
    """The one article whose id starts with ``id_prefix``."""
    rows = ledger.rows(
        "SELECT * FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [id_prefix]
    )
    if not rows:
        raise ArticleNotFound(f"no article id starts with {id_prefix!r}")
    if len(rows) > 1:
        raise ArticleNotFound(f"article id prefix {id_prefix!r} is ambiguous: give more characters")
    return rows[0]


def article_sources(ledger: Ledger, article_id: str) -> list[dict]:
    return ledger.rows(
        "SELECT origin, url, outlet, title, date, first_seen_run FROM sources"
        " WHERE article_id = ? ORDER BY first_seen_run, source_key",
        [article_id],
    )


def article_entities(ledger: Ledger, article_id: str) -> list[dict]:
    return ledger.rows(
        "SELECT e.id, e.idx, e.name, e.type, e.code, e.role, count(m.entity_id) AS mentions"
        " FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id"
        " WHERE e.article_id = ? GROUP BY ALL ORDER BY e.idx",
        [article_id],
    )


# -- events -------------------------------------------------------------------

# The actors and recipients of each event mention, in coded order.
EVENT_SIDES_SQL = """
SELECT event_id,
    list({'name': name, 'code': code, 'sector': sector, 'start': mention_start, 'end': mention_end,
          'text': mention_text, 'entity_id': entity_id} ORDER BY idx) FILTER (WHERE role = 'actor') AS actor,
    list({'name': name, 'code': code, 'sector': sector, 'start': mention_start, 'end': mention_end,
          'text': mention_text, 'entity_id': entity_id} ORDER BY idx) FILTER (WHERE role = 'recipient') AS recipient
FROM event_actors GROUP BY event_id
"""


def events(
    ledger: Ledger,
    actor: Optional[str] = None,
    type: Optional[str] = None,
    since: Optional[str] = None,
    include_hypothetical: bool = False,
    limit: Optional[int] = None,
) -> list[dict]:
    """Folded events (event_groups), newest first, each with its first
    evidence: the first mention's article, sentence, trigger and sides.

    ``actor`` matches an actor or recipient code (any case); ``type`` a PLOVER
    type; ``since`` an ISO date compared with the event's date (its own, else
    its first article's). Hypothetical and negated events are left out
    unless ``include_hypothetical``.
    """
    where, params = [], []
    if not include_hypothetical:
        where.append("NOT g.hypothetical AND NOT g.negated")
    if actor:
        where.append("(list_contains(g.actor_codes, ?) OR list_contains(g.recipient_codes, ?))")
        params += [actor.upper(), actor.upper()]
    if type:
        where.append("g.type = ?")
        params.append(type.upper())
    if since:
        where.append("g.date >= left(?, length(g.date))")  # "2022" is not before 2022-01-01
        params.append(since)
    select = (
        f"WITH sides AS ({EVENT_SIDES_SQL})"
        " SELECT g.*, s.actor AS first_actor, s.recipient AS first_recipient, e.modes AS first_modes,"
        " e.sentence_start, e.sentence_end,"
        " substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text,"
        " e.trigger_start, e.trigger_end, e.trigger_text, e.quote_id, q.speaker_name AS claimed_by,"
        " a.title, a.url, a.outlet, a.date AS article_date"
        " FROM event_groups g JOIN events e ON e.id = g.first_event JOIN articles a ON a.id = e.article_id"
        " LEFT JOIN sides s ON s.event_id = e.id LEFT JOIN quotes q ON q.id = e.quote_id"
    )
    order = "g.date DESC NULLS LAST, g.n_articles DESC, g.n_mentions DESC, g.id"
    return _filtered(ledger, select, where, order, params, limit)


def unfolded_events(ledger: Ledger) -> int:
    """Event mentions the folding pass has not grouped yet (an interrupted ingest)."""
    return ledger.execute("SELECT count(*) FROM events WHERE group_id IS NULL").fetchone()[0]


def table_counts(ledger: Ledger) -> dict[str, int]:
    # Table names come from the fixed TABLES tuple, never from input.
    return {t: ledger.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def rejects_by_reason(ledger: Ledger) -> list[dict]:
    return ledger.rows(
        "SELECT stage, reason, count(*) AS n FROM rejects WHERE resolved_run IS NULL"
        " GROUP BY stage, reason ORDER BY n DESC, reason"
    )


def runs(ledger: Ledger, limit: Optional[int] = 20) -> list[dict]:
    params: list = []
    sql = (
        "SELECT id, started_at, finished_at, status, code_version, model_name, model_version, counts"
        " FROM runs ORDER BY id DESC"
    )
    return ledger.rows(sql + _limit_clause(limit, params), params)


def stats(ledger: Ledger) -> dict:
    """Counts per table, rejects by reason and the latest runs."""
    return {
        "tables": table_counts(ledger),
        "rejects": rejects_by_reason(ledger),
        "runs": runs(ledger),
    }
