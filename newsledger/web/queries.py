"""Read queries the JSON API needs beyond newsledger.store.queries: pages
(limit, offset, total) over the existing listing queries, the article list,
an article with every record that points into it, and the overview figures.

Every value reaches SQL as a parameter; only fixed fragments written here are
put into SQL text.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional, Sequence

from newsledger.store.ledger import Ledger


class Paged:
    """A stand-in for a Ledger that turns the one listing query a function
    runs into a page of it: ``rows`` and ``total`` after the call.

    The listing functions in store.queries and identity.queries build their
    SQL (ORDER BY last) and hand it to ``ledger.rows`` or ``con.execute``;
    Paged runs ``SELECT count(*)`` over that query and the query itself with
    ``LIMIT ? OFFSET ?`` appended. ``where`` adds conditions (SQL with ?
    parameters, over the query's output columns) to both.
    """

    def __init__(self, ledger: Ledger, limit: int, offset: int,
                 where: Sequence[str] = (), params: Sequence[Any] = ()):
        self.ledger, self.limit, self.offset = ledger, int(limit), int(offset)
        self.where, self.params = list(where), list(params)
        self.total: Optional[int] = None
        self.items: list[dict] = []

    @property
    def con(self):  # identity.queries reads ``.con`` of what it is given
        return self

    def _wrap(self, sql: str) -> tuple[str, str]:
        if not self.where:
            return f"SELECT count(*) FROM ({sql})", sql + " LIMIT ? OFFSET ?"
        cond = " WHERE " + " AND ".join(self.where)
        # Filters and projections keep the order of an ordered subquery in DuckDB.
        return f"SELECT count(*) FROM ({sql}){cond}", f"SELECT * FROM ({sql}){cond} LIMIT ? OFFSET ?"

    def rows(self, sql: str, params: Optional[Sequence[Any]] = None) -> list[dict]:
        params = list(params or [])
        count_sql, page_sql = self._wrap(sql)
        self.total = self.ledger.execute(count_sql, params + self.params).fetchone()[0]
        self.items = self.ledger.rows(page_sql, params + self.params + [self.limit, self.offset])
        return self.items

    def execute(self, sql: str, params: Optional[Sequence[Any]] = None):
        self.rows(sql, params)
        return _Cursor(self.items)


class _Cursor:
    """What ``con.execute`` returns, for callers that read description and fetchall."""

    def __init__(self, items: list[dict]):
        names = list(items[0]) if items else []
        self.description = [(n,) for n in names]
        self._rows = [tuple(r.values()) for r in items]

    def fetchall(self):
        return self._rows


def page(ledger: Ledger, fn: Callable, limit: int, offset: int, where: Sequence[str] = (),
         params: Sequence[Any] = (), **kwargs) -> tuple[list[dict], int]:
    """(items, total) of listing function ``fn(ledger, **kwargs)`` (which must run one query)."""
    paged = Paged(ledger, limit, offset, where, params)
    fn(paged, **kwargs)
    return paged.items, paged.total or 0


# -- articles -------------------------------------------------------------------

ARTICLE_LIST_SQL = (
    "SELECT a.id, a.title, a.date, a.url, a.outlet, a.language, a.skipped,"
    " (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS n_quotes,"
    " (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events"
    " FROM articles a"
)


def articles(ledger: Ledger, q: Optional[str] = None, outlet: Optional[str] = None,
             since: Optional[str] = None, until: Optional[str] = None, limit: Optional[int] = None) -> list[dict]:
    """Articles newest first; ``q`` is part of the title, ``outlet`` part of the outlet (any case)."""
    where, params = [], []
    if q:
        where.append("contains(lower(a.title), lower(?))")
        params.append(q)
    if outlet:
        where.append("contains(lower(a.outlet), lower(?))")
        params.append(outlet)
    if since:
        where.append("a.date >= ?")
        params.append(since)
    if until:
        where.append("left(a.date, 10) <= ?")  # "2024-03-01T10:00" is on 2024-03-01
        params.append(until)
    sql = ARTICLE_LIST_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY a.date DESC NULLS LAST, a.ingested_at DESC, a.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return ledger.rows(sql, params)


def article_detail(ledger: Ledger, row: dict) -> dict:
    """The article ``row`` (from queries.find_article) with every record that
    points into its text; all offsets index ``text``."""
    aid = row["id"]
    quotes = ledger.rows(
        "SELECT id, idx, kind, content_start, content_end, content_text, segments, cue_start, cue_end, cue_text,"
        " cue_lemma, speaker_name, speaker_entity_id, speaker_start, speaker_end, speaker_text"
        " FROM quotes WHERE article_id = ? ORDER BY idx", [aid])
    for q in quotes:
        q["segments"] = json.loads(q["segments"]) if q.get("segments") else []
    entities = ledger.rows(
        "SELECT e.id, e.idx, e.name, e.type, e.code, e.role,"
        " list({'start': m.start_char, 'end': m.end_char, 'text': m.text} ORDER BY m.idx)"
        "  FILTER (WHERE m.entity_id IS NOT NULL) AS mentions"
        " FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id WHERE e.article_id = ?"
        " GROUP BY ALL ORDER BY e.idx", [aid])
    events = ledger.rows(
        "SELECT e.id, e.idx, e.type, e.modes, e.contexts, e.quad, e.score, e.trigger_start, e.trigger_end,"
        " e.trigger_text, e.sentence_start, e.sentence_end, e.quote_id, e.confidence, e.date, e.date_source,"
        " e.group_id, e.loc_start, e.loc_end, e.loc_text, e.loc_name, e.loc_geonameid, e.loc_lat, e.loc_lon,"
        " e.loc_admin1, e.loc_country, e.loc_source,"
        " list({'name': x.name, 'code': x.code, 'sector': x.sector, 'start': x.mention_start,"
        "  'end': x.mention_end, 'text': x.mention_text} ORDER BY x.idx) FILTER (WHERE x.role = 'actor') AS actor,"
        " list({'name': x.name, 'code': x.code, 'sector': x.sector, 'start': x.mention_start,"
        "  'end': x.mention_end, 'text': x.mention_text} ORDER BY x.idx) FILTER (WHERE x.role = 'recipient')"
        "  AS recipient"
        " FROM events e LEFT JOIN event_actors x ON x.event_id = e.id WHERE e.article_id = ?"
        " GROUP BY ALL ORDER BY e.idx", [aid])
    places = ledger.rows(
        "SELECT idx, start_char AS start, end_char AS \"end\", text, name, geonameid, lat, lon, country, admin1,"
        " feature, level, metonymic, confidence FROM places WHERE article_id = ? ORDER BY idx", [aid])
    times = ledger.rows(
        "SELECT idx, start_char AS start, end_char AS \"end\", text, kind, value, anchor"
        " FROM times WHERE article_id = ? ORDER BY idx", [aid])
    sources = ledger.rows(
        "SELECT origin, url, outlet, title, date, first_seen_run FROM sources WHERE article_id = ?"
        " ORDER BY first_seen_run, source_key", [aid])
    keep = ("id", "title", "date", "url", "outlet", "author", "language", "skipped", "tags", "furniture", "text")
    return {**{k: row.get(k) for k in keep}, "sources": sources, "quotes": quotes, "entities": entities,
            "events": [{**e, "actor": e["actor"] or [], "recipient": e["recipient"] or []} for e in events],
            "places": places, "times": times}


# -- overview -------------------------------------------------------------------

OVERVIEW_TOP = 10  # latest articles, top speakers, top actors shown on the overview


def latest_articles(ledger: Ledger, n: int = OVERVIEW_TOP) -> list[dict]:
    return ledger.rows("SELECT id, title, date, outlet, url FROM articles"
                       " ORDER BY date DESC NULLS LAST, ingested_at DESC, id LIMIT ?", [n])


def top_actors(ledger: Ledger, n: int = OVERVIEW_TOP) -> list[dict]:
    """Actor names (with code) by the folded events they act or are acted on in."""
    return ledger.rows(
        "SELECT x.name, x.code, count(DISTINCT e.group_id) AS events FROM event_actors x"
        " JOIN events e ON e.id = x.event_id WHERE e.group_id IS NOT NULL"
        " GROUP BY x.name, x.code ORDER BY events DESC, x.name, x.code NULLS LAST LIMIT ?", [n])


def per_month(ledger: Ledger) -> list[dict]:
    """Quotes (by article date) and folded events (by event date) per YYYY-MM; undated are left out."""
    return ledger.rows(
        "WITH s AS (SELECT left(a.date, 7) AS month, count(*) AS n FROM quotes q"
        "  JOIN articles a ON a.id = q.article_id WHERE length(a.date) >= 7 GROUP BY 1),"
        " e AS (SELECT left(date, 7) AS month, count(*) AS n FROM event_groups WHERE length(date) >= 7 GROUP BY 1)"
        " SELECT month, coalesce(s.n, 0) AS statements, coalesce(e.n, 0) AS events"
        " FROM s FULL OUTER JOIN e USING (month) ORDER BY month")
