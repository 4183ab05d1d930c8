"""Speakers in the ledger: read entities and quotes, write the speaker tables.

``update`` recomputes every speaker from the entities and quotes tables in
one transaction (about two seconds for the 295-article Wikinews sample), so
running it twice changes nothing, and ingest order does not matter. Speaker ids
are hashes of a name key (see docs/speakers.md); when a key disappears (a
speaker known only as "Smith" is resolved once "John Smith" arrives) the old
id is kept in speaker_redirects, pointing to the speaker that took its quotes.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any, Optional

from newsledger.identity.names import fold
from newsledger.identity.resolve import Cluster, Occurrence, disambiguate, display_name, resolve, resolve_mention
from newsledger.identity.roles import clean_role
from newsledger.store.migrations import apply_migrations
from newsledger.store.writer import now, row_id

log = logging.getLogger(__name__)

TABLES = ("speakers", "speaker_aliases", "speaker_roles", "speaker_entities", "quote_speakers")
VIA_ENTITY, VIA_MENTION = "entity", "mention"


def _connection(con):
    """A duckdb connection from a Ledger or a connection."""
    return getattr(con, "con", con)


def speaker_id(key: str) -> str:
    return row_id("speaker", key)


# -- read -------------------------------------------------------------------------


def load_occurrences(con) -> list[Occurrence]:
    rows = con.execute(
        "SELECT e.id, e.article_id, e.type, e.name, e.role, e.code, a.date,"
        " list(DISTINCT m.text ORDER BY m.text) FILTER (WHERE m.text IS NOT NULL)"
        " FROM entities e JOIN articles a ON a.id = e.article_id"
        " LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY ALL ORDER BY e.id"
    ).fetchall()
    return [Occurrence(id=r[0], article_id=r[1], type=r[2], name=r[3], role=r[4], code=r[5], date=r[6],
                       aliases=tuple(r[7] or ())) for r in rows]


def load_quotes(con) -> list[tuple]:
    """(quote id, article id, speaker entity id, speaker mention text) for quotes with a speaker."""
    return con.execute(
        "SELECT id, article_id, speaker_entity_id, speaker_text FROM quotes"
        " WHERE speaker_entity_id IS NOT NULL OR speaker_text IS NOT NULL ORDER BY id"
    ).fetchall()


# -- compute ----------------------------------------------------------------------


def _map_quotes(quotes: list[tuple], occs: list[Occurrence], cluster_of: dict[str, Cluster]) -> dict[str, tuple]:
    """quote id -> (cluster, via). A quote without a speaker entity is mapped
    when its speaker mention names exactly one person of its own article."""
    people: dict[str, list[Occurrence]] = defaultdict(list)
    for o in occs:
        if o.type == "PERSON":
            people[o.article_id].append(o)
    out = {}
    for qid, article_id, entity_id, text in quotes:
        if entity_id is not None:
            if entity_id in cluster_of:
                out[qid] = (cluster_of[entity_id], VIA_ENTITY)
            continue
        occ = resolve_mention(text, people.get(article_id, []))
        if occ is not None:
            out[qid] = (cluster_of[occ.id], VIA_MENTION)
    return out


def _counted(pairs) -> list[tuple[str, int]]:
    """(text, article id) pairs -> (text, distinct articles), texts grouped case-insensitively,
    each shown as its most used form."""
    articles, forms = defaultdict(set), defaultdict(Counter)
    for text, article_id in pairs:
        text = " ".join((text or "").split())
        if text:
            articles[fold(text)].add(article_id)
            forms[fold(text)][text] += 1
    return sorted(((forms[k].most_common(1)[0][0], len(a)) for k, a in articles.items()), key=lambda x: (-x[1], x[0]))


def _speaker_rows(c: Cluster, key: str, quotes: list[tuple[str, str]], sid: str) -> dict[str, list]:
    q_articles = {a for _, a in quotes}
    dates = sorted(m.date for m in c.members if m.date and m.article_id in q_articles)
    aliases = _counted((alias, m.article_id) for m in c.members for alias in {m.name, *m.aliases})
    roles = _counted((clean_role(r.text), m.article_id) for m in c.members for r in m.roles)
    return {
        "speakers": [[sid, key, display_name(c), c.type, c.single_name, sorted(c.countries), len(quotes),
                      len(q_articles), len(c.articles), dates[0] if dates else None, dates[-1] if dates else None]],
        "speaker_aliases": [[sid, a, n] for a, n in aliases],
        "speaker_roles": [[sid, r, n] for r, n in roles],
        "speaker_entities": [[m.id, sid, m.article_id, c.how[m.id]] for m in c.members],
    }


def compute(occs: list[Occurrence], quotes: list[tuple], previous: Optional[dict[str, str]] = None
            ) -> tuple[dict[str, list], dict]:
    """Rows for every speaker table, and counts. ``previous`` (quote id -> the
    speaker id it had) lets a speaker keep its id when another person with the
    same name arrives."""
    clusters, stats = resolve(occs)
    cluster_of = {m.id: c for c in clusters for m in c.members}
    mapped = _map_quotes(quotes, occs, cluster_of)
    article_of = {q[0]: q[1] for q in quotes}
    by_cluster: dict[int, list] = defaultdict(list)
    for qid, (c, via) in mapped.items():
        by_cluster[id(c)].append((qid, article_of[qid]))
    votes = {cid: Counter((previous or {}).get(qid) for qid, _ in qs) for cid, qs in by_cluster.items()}
    keys = disambiguate([c for c in clusters if id(c) in by_cluster],
                        held=lambda c, key: votes[id(c)][speaker_id(key)])
    rows: dict[str, list] = {t: [] for t in TABLES}
    ids: dict[int, str] = {}
    for c in clusters:
        if id(c) not in by_cluster:
            continue  # mentioned, never quoted: not a speaker
        ids[id(c)] = sid = speaker_id(keys[id(c)])
        for table, part in _speaker_rows(c, keys[id(c)], by_cluster[id(c)], sid).items():
            rows[table] += part
    rows["quote_speakers"] = [[qid, ids[id(c)], via] for qid, (c, via) in sorted(mapped.items())]
    spelled = sum(len({n.text for n in c.names if n.is_full}) - 1 for c in clusters
                  if id(c) in by_cluster and c.type == "PERSON" and any(n.is_full for n in c.names))
    stats.update({
        "speakers": len(rows["speakers"]),
        "people": sum(r[3] == "PERSON" for r in rows["speakers"]),
        "quoted_in_several_articles": sum(r[7] > 1 for r in rows["speakers"]),
        "full_name_variants_merged": spelled,
        "quotes_mapped": len(mapped),
        "quotes_via_mention": sum(via == VIA_MENTION for _, via in mapped.values()),
    })
    return rows, stats


# -- write ------------------------------------------------------------------------


def _insert(con, table: str, rows: list[list]) -> None:
    """Insert many rows at once: one list parameter per column, unnested in SQL."""
    if not rows:
        return
    columns = list(zip(*rows))
    select = ", ".join(f"unnest(?::{_type(col)}[])" for col in columns)
    con.execute(f"INSERT INTO {table} SELECT {select}", [list(col) for col in columns])


def _type(col) -> str:
    sample = next((v for v in col if v is not None), "")
    if isinstance(sample, bool):
        return "BOOLEAN"
    if isinstance(sample, int):
        return "INTEGER"
    if isinstance(sample, list):
        return "VARCHAR[]"
    if isinstance(sample, datetime):
        return "TIMESTAMP"
    return "VARCHAR"


def _redirects(con, rows: dict[str, list]) -> list[list]:
    """Old ids that no longer exist -> the new speaker holding most of their quotes.
    Rows are [old_id, new_id, since]; a redirect kept from before keeps its time."""
    new_ids = {r[0] for r in rows["speakers"]}
    new_of_quote = {q: s for q, s, _ in rows["quote_speakers"]}
    old = con.execute("SELECT quote_id, speaker_id FROM quote_speakers").fetchall()
    votes: dict[str, Counter] = defaultdict(Counter)
    for qid, old_id in old:
        if old_id not in new_ids and qid in new_of_quote:
            votes[old_id][new_of_quote[qid]] += 1
    moved = {old_id: c.most_common(1)[0][0] for old_id, c in votes.items()}
    stamp = now()
    out = {o: [n, stamp] for o, n in moved.items()}
    for old_id, new_id, since in con.execute("SELECT old_id, new_id, since FROM speaker_redirects").fetchall():
        new_id = moved.get(new_id, new_id)  # follow a chain through an id gone now
        if old_id not in new_ids and new_id in new_ids and old_id not in moved:
            out[old_id] = [new_id, since]
    return [[o, *rest] for o, rest in sorted(out.items())]


def update(con) -> dict[str, Any]:
    """Recompute all speakers from the entities and quotes tables; return counts.

    ``con`` is a Ledger or a duckdb connection with no open transaction.
    Idempotent: running it again on the same articles writes the same rows.
    """
    con = _connection(con)
    started = time.perf_counter()
    apply_migrations(con)
    occs = load_occurrences(con)
    previous = dict(con.execute("SELECT quote_id, speaker_id FROM quote_speakers").fetchall())
    rows, stats = compute(occs, load_quotes(con), previous)
    con.execute("BEGIN TRANSACTION")
    try:
        redirects = _redirects(con, rows)
        for table in (*TABLES, "speaker_redirects"):
            con.execute(f"DELETE FROM {table}")
        for table in TABLES:
            _insert(con, table, rows[table])
        _insert(con, "speaker_redirects", redirects)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    stats["redirects"] = len(redirects)
    stats["seconds"] = round(time.perf_counter() - started, 2)
    log.info("speakers updated: %s", stats)
    return stats
