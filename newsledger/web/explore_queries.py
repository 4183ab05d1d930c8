"""Read queries behind the speaker, search and events-explorer pages and
their JSON mirrors (docs/web.md). Plain dicts out; every value a visitor
types reaches SQL as a ``?`` parameter.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from newsledger import identity
from newsledger.store import queries
from newsledger.store.ledger import Ledger

# Characters of context either side of a search hit's evidence snippet.
SNIPPET_CONTEXT = 80
# The events explorer reads at most this many folded events (newest first)
# for its list, map and network; narrower filters show older ones.
MAX_EXPLORER_EVENTS = 5000
# Search results per kind on the search page (the API pages further).
SEARCH_PAGE = 20


# -- speaker ----------------------------------------------------------------------------


def speaker_page(led: Ledger, name_or_id: str, q: Optional[str] = None) -> dict:
    """A speaker, their statements oldest first (those containing ``q`` when
    given), the outlets that quoted them and the timeline points."""
    who, statements = identity.speaker_statements(led, name_or_id)
    if q:
        needle = q.casefold()
        statements = [s for s in statements if needle in (s["content_text"] or "").casefold()]
    outlets = Counter(s["outlet"] or "unknown outlet" for s in statements)
    for s in statements:
        s["span"] = (f"{s['content_start']}-{s['content_end']}"
                     if s["content_start"] is not None and s["content_end"] is not None else None)
    points = [{"date": s["date"][:10], "label": (s["content_text"] or "")[:120],
               "href": f"/article/{s['article_id']}?span={s['span']}"}
              for s in statements if s["date"] and s["span"]]
    return {"speaker": who, "statements": statements, "outlets": outlets.most_common(), "points": points}


# -- search -----------------------------------------------------------------------------


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> dict:
    """The evidence around text[start:end]: before, hit and after, with offsets."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    return {"start": start, "end": end, "before": ("…" if lo else "") + text[lo:start],
            "hit": text[start:end], "after": text[end:hi] + ("…" if hi < len(text) else "")}


def search_entities(led: Ledger, q: str, limit: int = SEARCH_PAGE, offset: int = 0) -> tuple[list[dict], int]:
    """Entity mentions whose canonical name or mention text contains ``q``
    (any case), one row per entity with its first mention as evidence."""
    where = "contains(lower(e.name), lower(?)) OR contains(lower(m.text), lower(?))"
    base = (
        "SELECT e.id, e.name, e.type, e.code, e.role, e.article_id, a.title, a.date,"
        " min(m.start_char) AS start, arg_min(m.end_char, m.start_char) AS \"end\", count(m.idx) AS n_mentions"
        " FROM entities e JOIN articles a ON a.id = e.article_id LEFT JOIN mentions m ON m.entity_id = e.id"
        f" WHERE {where} GROUP BY ALL"
    )
    total = led.execute(f"SELECT count(*) FROM ({base})", [q, q]).fetchone()[0]
    rows = led.rows(base + " ORDER BY a.date DESC NULLS LAST, e.article_id, e.name LIMIT ? OFFSET ?",
                    [q, q, int(limit), int(offset)])
    texts = _texts(led, sorted({r["article_id"] for r in rows if r["start"] is not None}))
    for row in rows:
        start, end = row.pop("start"), row.pop("end")
        row["evidence"] = snippet(texts[row["article_id"]], start, end) if start is not None else None
    return rows, total


def _texts(led: Ledger, article_ids: list[str]) -> dict[str, str]:
    if not article_ids:
        return {}
    cond, params = queries.any_of("id", article_ids)
    return {i: t or "" for i, t in led.execute(f"SELECT id, text FROM articles WHERE {cond}", params).fetchall()}


def search_articles(led: Ledger, q: str, limit: int = SEARCH_PAGE, offset: int = 0) -> tuple[list[dict], int]:
    """Articles whose title or text holds every word of ``q`` (any case),
    title hits first, with the first hit in the text as evidence."""
    words = [w for w in re.findall(r"\w+", q.casefold()) if len(w) > 1][:8] or [q.casefold()]
    conds = " AND ".join(["(contains(lower(title), ?) OR contains(lower(text), ?))"] * len(words))
    params = [p for w in words for p in (w, w)]
    title_hits = " + ".join(["CASE WHEN contains(lower(title), ?) THEN 1 ELSE 0 END"] * len(words))
    total = led.execute(f"SELECT count(*) FROM articles WHERE {conds}", params).fetchone()[0]
    rows = led.rows(
        f"SELECT id, title, date, outlet, url, text, ({title_hits}) AS title_hits FROM articles WHERE {conds}"
        " ORDER BY title_hits DESC, date DESC NULLS LAST, id LIMIT ? OFFSET ?",
        words + params + [int(limit), int(offset)])
    for row in rows:
        text = row.pop("text") or ""
        at = text.casefold().find(words[0])
        row["evidence"] = snippet(text, at, at + len(words[0])) if at >= 0 else None
    return rows, total


# -- events explorer --------------------------------------------------------------------


def explorer_events(led: Ledger, *, type: Optional[str] = None, actor: Optional[str] = None,
                    country: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                    mode: Optional[str] = None, include_hypothetical: bool = False) -> list[dict]:
    """Folded events matching the explorer's filters, newest first (at most
    MAX_EXPLORER_EVENTS). Hypothetical, negated and future events only with
    ``include_hypothetical`` (or when ``mode`` asks for one of those modes)."""
    if mode in ("hypothetical", "negated", "future"):
        include_hypothetical = True
    rows = queries.events(led, actor=actor, type=type, since=since, include_hypothetical=include_hypothetical,
                          country=country, limit=MAX_EXPLORER_EVENTS)
    if not include_hypothetical:
        rows = [r for r in rows if "future" not in (r["modes"] or [])]
    if until:
        rows = [r for r in rows if r["date"] and r["date"][:10] <= until]
    if mode:
        rows = [r for r in rows if _has_mode(r, mode)]
    return rows


def _has_mode(row: dict, mode: str) -> bool:
    if mode == "factual":
        return not row["modes"] and not row["hypothetical"] and not row["negated"]
    return mode in (row["modes"] or []) or (mode == "hypothetical" and row["hypothetical"]) \
        or (mode == "negated" and row["negated"])


def map_points(rows: list[dict]) -> list[dict]:
    """Event locations with coordinates, one point per place with its count."""
    points: dict[tuple, dict] = {}
    for r in rows:
        if r.get("loc_lat") is None or r.get("loc_lon") is None:
            continue
        key = (round(r["loc_lat"], 2), round(r["loc_lon"], 2))
        point = points.setdefault(key, {"lat": r["loc_lat"], "lon": r["loc_lon"],
                                        "name": r.get("loc_name") or r.get("loc_text") or "", "count": 0,
                                        "country": r.get("loc_country")})
        point["count"] += 1
    return sorted(points.values(), key=lambda p: (-p["count"], p["name"]))


def country_counts(rows: list[dict]) -> dict[str, int]:
    return dict(Counter(r["loc_country"] for r in rows if r.get("loc_country")))


def dyads(rows: list[dict]) -> list[tuple[str, str, int]]:
    """(actor, recipient, number of folded events) over every named pair."""
    counts: Counter = Counter()
    for r in rows:
        actors = _side_names(r.get("actor_names"), r.get("actor_codes"))
        recipients = _side_names(r.get("recipient_names"), r.get("recipient_codes"))
        for a in actors:
            for b in recipients:
                if a != b:
                    counts[(a, b)] += 1
    return [(a, b, n) for (a, b), n in counts.most_common()]


def _side_names(names: Optional[list], codes: Optional[list]) -> list[str]:
    found = [n for n in (names or []) if n] or [c for c in (codes or []) if c]
    return list(dict.fromkeys(found))


def event_modes(rows: list[dict]) -> list[str]:
    return sorted({m for r in rows for m in (r["modes"] or [])})
