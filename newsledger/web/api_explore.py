"""The JSON mirrors of the explore pages (docs/web.md, "JSON API"): the
events explorer's map points and dyads, and search over entities and
articles. Listings page and download as CSV like the rest of /api."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query

from newsledger.events import plover
from newsledger.store import queries
from newsledger.store.ledger import Ledger
from newsledger.web import explore_queries as xq
from newsledger.web.api import ErrorsAsJson, Format, FormatT, Limit, Offset, _date, listing
from newsledger.web.deps import ledger

router = APIRouter(tags=["api"], route_class=ErrorsAsJson)


def _explorer_rows(led: Ledger, type, mode, actor, country, since, until, include_hypothetical) -> list[dict]:
    if type is not None and type.upper() not in plover.TYPES:
        raise queries.BadFilter(f"type {type!r} is not a PLOVER type: use one of {', '.join(plover.TYPES)}")
    return xq.explorer_events(
        led, type=type.upper() if type else None, mode=mode, actor=actor.upper() if actor else None,
        country=queries.check_country(country) if country else None, since=_date(since, "since"),
        until=_date(until, "until"), include_hypothetical=include_hypothetical)


TypeQ = Query(None, description="A PLOVER type.")
ModeQ = Query(None, description="A mode: hypothetical, negated, future, historical, factual, or a PLOVER mode.")
ActorQ = Query(None, description="Actor or recipient code.")
CountryQ = Query(None, description="ISO alpha-3 of where the event happened.")
HypoQ = Query(False, description="Also hypothetical, negated and future events.")


@router.get("/events/map")
def events_map(type: Optional[str] = TypeQ, mode: Optional[str] = ModeQ, actor: Optional[str] = ActorQ,
               country: Optional[str] = CountryQ, since: Optional[str] = None, until: Optional[str] = None,
               include_hypothetical: bool = HypoQ, led: Ledger = Depends(ledger)) -> dict:
    """Where the filtered events happened: one point per located place with its
    count, and events per country (what the explorer's map draws)."""
    rows = _explorer_rows(led, type, mode, actor, country, since, until, include_hypothetical)
    return {"points": xq.map_points(rows), "countries": xq.country_counts(rows), "events": len(rows),
            "located": sum(r.get("loc_lat") is not None for r in rows)}


@router.get("/events/dyads")
def events_dyads(type: Optional[str] = TypeQ, mode: Optional[str] = ModeQ, actor: Optional[str] = ActorQ,
                 country: Optional[str] = CountryQ, since: Optional[str] = None, until: Optional[str] = None,
                 include_hypothetical: bool = HypoQ, limit: int = Limit, offset: int = Offset,
                 format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Actor → recipient pairs of the filtered events, most events first (the explorer's network)."""
    rows = _explorer_rows(led, type, mode, actor, country, since, until, include_hypothetical)
    pairs = [{"actor": a, "recipient": b, "events": n} for a, b, n in xq.dyads(rows)]
    return listing("dyads", pairs[offset:offset + limit], len(pairs), limit, offset, format)


@router.get("/search/entities")
def search_entities(q: str = Query(..., min_length=1, max_length=500), limit: int = Limit, offset: int = Offset,
                    format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Entities whose name or a mention contains ``q`` (any case), with a snippet of their first mention."""
    items, total = xq.search_entities(led, q, limit, offset)
    return listing("entities", items, total, limit, offset, format)


@router.get("/search/articles")
def search_articles(q: str = Query(..., min_length=1, max_length=500), limit: int = Limit, offset: int = Offset,
                    format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Articles whose title or text holds every word of ``q``, with the first hit as a snippet."""
    items, total = xq.search_articles(led, q, limit, offset)
    return listing("articles", items, total, limit, offset, format)
