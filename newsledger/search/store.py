"""Keep statements, their sources and the search index current with the quotes.

``update`` is called at the end of every ingest run (and by ``newsledger
index``). It is incremental by speaker key: it finds the keys that have a new,
changed or vanished quote (a quote's key changes when identity resolution
links it to another speaker), regroups every quote of those keys from scratch
and rewrites only the statements whose content, speaker or members changed.
Regrouping whole keys keeps the result equal to a full rebuild, whatever order
the articles came in. Grouping and the index are written in one transaction;
embeddings (the semantic extra) in a second one, so an interrupted embedding
run leaves a consistent full-text index behind.
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from typing import Iterator, Optional

from newsledger.search import fulltext, semantic
from newsledger.search.statements import UNKNOWN_KEY, Member, Statement, display_name, group

log = logging.getLogger(__name__)

STATEMENT_TABLES = ("statements", "statement_sources", "search_postings")


def raw_connection(con):
    """A DuckDB connection from a Ledger or a connection."""
    return getattr(con, "con", con)


@contextmanager
def _transaction(con) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _has_columns(con, table: str, columns: tuple[str, ...]) -> bool:
    found = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
    return set(columns) <= found


def _sql_normalised(column: str) -> str:
    """``column`` lower-cased, each run of characters that are not letters,
    digits or combining marks made one space, trimmed ('' for NULL)."""
    return rf"trim(regexp_replace(lower(coalesce({column}, '')), '[^\pL\pN\pM]+', ' ', 'g'))"


def current_quotes_sql(con) -> str:
    """SQL for every quote with its speaker key, speaker id and display name.

    The key is ``speaker:<id>`` when ``quote_speakers`` (identity resolution)
    links the quote to a speaker, else ``name:`` + the speaker name lower-cased
    with every run of non-letters/digits made one space, else ``unknown:`` + an
    md5 of the content normalised the same way. Unattributed quotes only merge
    when identical, so keying them by content lets a run regroup just the ones
    that can meet a new quote instead of every unattributed quote.
    """
    linked = _has_columns(con, "quote_speakers", ("quote_id", "speaker_id"))
    named = linked and _has_columns(con, "speakers", ("id", "name"))
    name_key = _sql_normalised("q.speaker_name")
    speaker_id = "qs.speaker_id" if linked else "NULL::VARCHAR"
    joins = " LEFT JOIN quote_speakers qs ON qs.quote_id = q.id" if linked else ""
    joins += " LEFT JOIN speakers sp ON sp.id = qs.speaker_id" if named else ""
    return (
        "SELECT q.id AS quote_id, q.article_id, q.kind, q.content_text, q.speaker_name, a.date,"
        f" {speaker_id} AS speaker_id, {'sp.name' if named else 'NULL::VARCHAR'} AS linked_name,"
        f" CASE WHEN {speaker_id} IS NOT NULL THEN 'speaker:' || {speaker_id}"
        f"      WHEN {name_key} <> '' THEN 'name:' || {name_key}"
        f"      ELSE '{UNKNOWN_KEY}:' || md5({_sql_normalised('q.content_text')}) END AS speaker_key,"
        " md5(coalesce(q.content_text, '')) AS content_hash"
        f" FROM quotes q JOIN articles a ON a.id = q.article_id{joins}"
    )


def affected_keys(con, current: str) -> list[str]:
    """Speaker keys with a quote that is new, changed, moved or gone since the last update."""
    rows = con.execute(
        f"WITH cur AS ({current}) "
        "SELECT DISTINCT k FROM ("
        "  SELECT c.speaker_key AS k FROM cur c LEFT JOIN statement_sources s ON s.quote_id = c.quote_id"
        "  WHERE s.quote_id IS NULL OR s.speaker_key <> c.speaker_key OR s.content_hash <> c.content_hash"
        "  UNION ALL"
        "  SELECT s.speaker_key FROM statement_sources s LEFT JOIN cur c ON c.quote_id = s.quote_id"
        "  WHERE c.quote_id IS NULL OR s.speaker_key <> c.speaker_key OR s.content_hash <> c.content_hash"
        "  UNION ALL"  # a linked speaker renamed by identity resolution: refresh its name
        "  SELECT c.speaker_key FROM cur c JOIN statement_sources s ON s.quote_id = c.quote_id"
        "  JOIN statements st ON st.id = s.statement_id"
        "  WHERE c.linked_name IS NOT NULL AND st.speaker_name IS DISTINCT FROM c.linked_name"
        ") ORDER BY k"
    ).fetchall()
    return [r[0] for r in rows]


def _statements_for(con, current: str, keys: list[str]) -> dict[str, tuple[Statement, dict]]:
    """Regroup every quote of ``keys``: statement id -> (statement, its rows to write)."""
    cur = con.execute(
        f"WITH cur AS ({current}) SELECT * FROM cur WHERE speaker_key IN (SELECT unnest(?::VARCHAR[]))"
        " ORDER BY speaker_key, quote_id",
        [keys],
    )
    names = [d[0] for d in cur.description]
    by_key: dict[str, list[dict]] = {}
    for values in cur.fetchall():
        row = dict(zip(names, values))
        by_key.setdefault(row["speaker_key"], []).append(row)
    out = {}
    for key, rows in by_key.items():
        hashes = {r["quote_id"]: r["content_hash"] for r in rows}
        members = [Member(r["quote_id"], r["article_id"], r["kind"], r["content_text"], r["speaker_name"], r["date"])
                   for r in rows]
        for statement in group(key, members):
            # One key is one linked speaker (or none): its id and name are the same on every row.
            statement.speaker_id = rows[0]["speaker_id"]
            statement.speaker_name = rows[0]["linked_name"] or display_name(m for m, _, _ in statement.members)
            out[statement.id] = (statement, _row(statement, hashes))
    return out


def _row(statement: Statement, content_hashes: dict[str, str]) -> dict:
    canonical = statement.canonical
    dates = statement.dates
    terms = fulltext.document_terms(canonical.content_text, statement.speaker_name)
    sources = [
        (m.quote_id, statement.id, m.article_id, statement.speaker_key, content_hashes[m.quote_id], match, sim)
        for m, match, sim in statement.members
    ]
    row = {
        "id": statement.id, "speaker_key": statement.speaker_key, "speaker_id": statement.speaker_id,
        "speaker_name": statement.speaker_name, "canonical_quote_id": canonical.quote_id,
        "kind": canonical.kind, "content_text": canonical.content_text,
        "n_quotes": len(statement.members), "n_articles": len(statement.article_ids),
        "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
        "n_terms": sum(terms.values()),
        "embed_hash": semantic.text_hash(semantic.embed_text(statement.speaker_name, canonical.content_text)),
    }
    signature = repr((sorted(row.items()), sorted(sources)))
    row["signature"] = hashlib.sha256(signature.encode("utf-8")).hexdigest()[:32]
    return {"row": row, "sources": sources, "terms": terms}


def _existing(con, keys: list[str]) -> dict[str, str]:
    rows = con.execute(
        "SELECT id, signature FROM statements WHERE speaker_key IN (SELECT unnest(?::VARCHAR[]))", [keys]
    ).fetchall()
    return dict(rows)


def _delete(con, ids: list[str]) -> None:
    for table, column in (("search_postings", "statement_id"), ("statement_sources", "statement_id"),
                          ("statements", "id")):
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?::VARCHAR[]))", [ids])


def _insert(con, built: list[dict]) -> None:
    if not built:
        return
    columns = list(built[0]["row"])
    types = {"n_quotes": "INTEGER", "n_articles": "INTEGER", "n_terms": "INTEGER"}
    select = ", ".join(f"unnest(?::{types.get(c, 'VARCHAR')}[])" for c in columns)
    con.execute(f"INSERT INTO statements ({', '.join(columns)}) SELECT {select}",
                [[b["row"][c] for b in built] for c in columns])
    sources = [s for b in built for s in b["sources"]]
    con.execute(
        "INSERT INTO statement_sources (quote_id, statement_id, article_id, speaker_key, content_hash, match,"
        " similarity) SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),"
        " unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::DOUBLE[])",
        [list(col) for col in zip(*sources)],
    )
    postings = [(t, b["row"]["id"], n) for b in built for t, n in b["terms"].items()]
    if postings:
        con.execute(
            "INSERT INTO search_postings SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[])",
            [list(col) for col in zip(*postings)],
        )


def update(con, semantic_mode: Optional[bool] = None, rebuild: bool = False) -> dict:
    """Bring statements and the index up to date; returns counts and seconds.

    ``semantic_mode``: None embeds when the extra is installed (unless
    NEWSLEDGER_SEMANTIC=0), True requires it (MissingDependency otherwise),
    False never embeds. ``rebuild`` drops the
    statements and the index first (embeddings are kept: they are keyed by text).
    """
    con = raw_connection(con)
    if semantic_mode:
        semantic.require()
    started = time.perf_counter()
    with _transaction(con):
        if rebuild:
            for table in STATEMENT_TABLES:
                con.execute(f"DELETE FROM {table}")
        current = current_quotes_sql(con)
        keys = affected_keys(con, current)
        fresh = _statements_for(con, current, keys) if keys else {}
        old = _existing(con, keys) if keys else {}
        gone = [sid for sid, sig in old.items() if sid not in fresh or fresh[sid][1]["row"]["signature"] != sig]
        new = [b for sid, (_, b) in fresh.items() if sid not in old or old[sid] != b["row"]["signature"]]
        _delete(con, gone)
        _insert(con, new)
    counts = {
        "speaker_keys_regrouped": len(keys), "statements_written": len(new), "statements_removed": len(gone),
        "index_seconds": round(time.perf_counter() - started, 3),
    }
    counts.update(totals(con))
    if semantic_mode is None:
        semantic_mode = semantic.wanted()
    counts["embedded"] = 0
    if semantic_mode:
        started = time.perf_counter()
        with _transaction(con):
            counts["embedded"] = semantic.embed_missing(con)
        counts["embed_seconds"] = round(time.perf_counter() - started, 3)
    log.info("search index: %s", counts)
    return counts


def totals(con) -> dict:
    con = raw_connection(con)
    n, multi, quotes = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE n_articles > 1), coalesce(sum(n_quotes), 0) FROM statements"
    ).fetchone()
    return {"statements": n, "multi_source_statements": multi, "quotes_in_statements": int(quotes)}
