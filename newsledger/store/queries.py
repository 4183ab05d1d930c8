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
    "statements", "statement_sources",
)


class ArticleNotFound(NewsledgerError):
    """`show` was given an id (prefix) that matches no article, or several."""

    exit_code = 2


def _limit_clause(limit: Optional[int], params: list) -> str:
    if limit is None:
        return ""
    params.append(int(limit))
    return " LIMIT ?"


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
    sql = (
        "SELECT q.id, q.article_id, a.date, a.title, q.idx, q.kind, q.speaker_name, q.speaker_text,"
        " q.cue_text, q.cue_lemma, q.content_start, q.content_end, q.content_text, q.segments,"
        " q.speaker_start, q.speaker_end, q.run_id"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.date DESC NULLS LAST, q.article_id, q.idx"
    )
    return ledger.rows(sql + _limit_clause(limit, params), params)


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
