"""Read side: statement search and listing, each hit with its evidence.

A hit is a dict: ``statement_id``, ``score``, ``speaker``, ``speaker_id``,
``kind``, ``content``, ``n_quotes``, ``n_articles``, ``first_date``,
``last_date`` and ``evidence``: one entry per quote row of the statement
(``quote_id``, ``article_id``, ``title``, ``date``, ``content_start``,
``content_end``, ``segments``, ``content_text``, ``match``, ``similarity``)
with ``sources``, every place its article was seen (``url``, ``outlet``,
``date``, ``origin``). Offsets index the article's text, as everywhere.
"""

from __future__ import annotations

import json
from typing import Optional

from newsledger.errors import NewsledgerError
from newsledger.search import fulltext, semantic
from newsledger.search.store import raw_connection

MODES = ("auto", "fulltext", "semantic")
NOTE_NO_EXTRA = f"semantic search needs: pip install {semantic.PIP_SPEC}; using full text"


class SearchUnavailable(NewsledgerError):
    """The asked-for search mode cannot run on this ledger."""

    exit_code = 2


def semantic_status(con) -> tuple[bool, Optional[str]]:
    """(can search by meaning, else a one-line reason naming the fix)."""
    con = raw_connection(con)
    if not semantic.available():
        return False, NOTE_NO_EXTRA
    n = con.execute("SELECT count(*) FROM statements").fetchone()[0]
    missing = semantic.missing_embeddings(con) if n else 0
    if n == 0 or missing == n:
        return False, "no statement is embedded yet: run `newsledger index`; using full text"
    if missing:
        return False, f"{missing} of {n} statements are not embedded yet: run `newsledger index`; using full text"
    return True, None


def choose_mode(con, mode: str = "auto") -> tuple[str, Optional[str]]:
    """The mode a search will use and, when auto fell back to full text, why."""
    if mode not in MODES:
        raise SearchUnavailable(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
    if mode == "fulltext":
        return "fulltext", None
    ok, reason = semantic_status(con)
    if ok:
        return "semantic", None
    if mode == "semantic":
        semantic.require()  # the missing extra is a MissingDependency (exit 4)
        raise SearchUnavailable(reason.replace("; using full text", ""))
    return "fulltext", reason


def search(con, query: str, limit: int = 10, mode: str = "auto") -> tuple[str, list[dict]]:
    """Ranked statements for ``query``: (mode used, hits, best first)."""
    con = raw_connection(con)
    if not query or not query.strip():
        raise SearchUnavailable("the search query is empty")
    used, _ = choose_mode(con, mode)
    ranker = semantic.rank if used == "semantic" else fulltext.rank
    ranked = ranker(con, query, int(limit))
    return used, hits(con, ranked)


def hits(con, ranked: list[tuple[str, float]]) -> list[dict]:
    """Statement rows and evidence for (id, score) pairs, in the given order."""
    if not ranked:
        return []
    ids = [sid for sid, _ in ranked]
    rows = {r["statement_id"]: r for r in _rows(con, STATEMENT_SQL + " WHERE s.id IN (SELECT unnest(?::VARCHAR[]))",
                                                [ids])}
    evidence = _evidence(con, ids)
    out = []
    for sid, score in ranked:
        hit = {"statement_id": sid, "score": round(score, 4), **{k: v for k, v in rows[sid].items()
                                                                  if k != "statement_id"}}
        hit["evidence"] = evidence.get(sid, [])
        out.append(hit)
    return out


STATEMENT_SQL = (
    "SELECT s.id AS statement_id, s.speaker_name AS speaker, s.speaker_id, s.kind, s.content_text AS content,"
    " s.n_quotes, s.n_articles, s.first_date, s.last_date FROM statements s"
)


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _evidence(con, ids: list[str]) -> dict[str, list[dict]]:
    rows = _rows(con, (
        "WITH ss AS (SELECT * FROM statement_sources WHERE list_contains(?::VARCHAR[], statement_id)),"
        " so AS (SELECT article_id, list({'url': url, 'outlet': outlet, 'date': date, 'origin': origin}"
        "        ORDER BY first_seen_run, source_key) AS sources"
        "        FROM sources WHERE article_id IN (SELECT article_id FROM ss) GROUP BY article_id)"
        " SELECT ss.statement_id, ss.quote_id, ss.article_id, a.title, a.date, q.content_start, q.content_end,"
        " q.segments, q.content_text, ss.match, ss.similarity, so.sources"
        " FROM ss JOIN quotes q ON q.id = ss.quote_id JOIN articles a ON a.id = ss.article_id"
        " LEFT JOIN so ON so.article_id = ss.article_id"
        " ORDER BY ss.statement_id, ss.match = 'canonical' DESC, a.date NULLS LAST, ss.quote_id"
    ), [ids])
    out: dict[str, list[dict]] = {}
    for row in rows:
        sid = row.pop("statement_id")
        row["segments"] = json.loads(row["segments"]) if row.get("segments") else []
        row["sources"] = row["sources"] or []
        out.setdefault(sid, []).append(row)
    return out


def list_statements(con, speaker: Optional[str] = None, min_articles: int = 1,
               limit: Optional[int] = 20, evidence: bool = False) -> list[dict]:
    """Statements with most articles first; ``speaker`` matches the name anywhere, any case."""
    con = raw_connection(con)
    where, params = ["s.n_articles >= ?"], [int(min_articles)]
    if speaker:
        where.append("contains(lower(s.speaker_name), lower(?))")
        params.append(speaker)
    sql = (STATEMENT_SQL + " WHERE " + " AND ".join(where)
           + " ORDER BY s.n_articles DESC, s.n_quotes DESC, s.first_date NULLS LAST, s.id")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    rows = _rows(con, sql, params)
    if evidence and rows:
        found = _evidence(con, [r["statement_id"] for r in rows])
        for r in rows:
            r["evidence"] = found.get(r["statement_id"], [])
    return rows
