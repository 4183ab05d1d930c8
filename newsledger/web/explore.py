"""Server-rendered pages for exploring the ledger (docs/web.md): a speaker's
statements over time, search, and the events explorer with its map and
dyad network. Each has a JSON mirror in ``api.py`` / ``api_explore.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from newsledger import search as statement_search
from newsledger.errors import NewsledgerError
from newsledger.events import plover
from newsledger.identity.queries import AmbiguousSpeaker, SpeakerNotFound
from newsledger.store import queries
from newsledger.store.ledger import Ledger
from newsledger.web import explore_queries as xq
from newsledger.web.basemap import world_map
from newsledger.web.charts import timeline
from newsledger.web.deps import ledger
from newsledger.web.network import dyad_network
from newsledger.web.pages import not_found, page

router = APIRouter(include_in_schema=False)

# Rows the events explorer lists on one page (the map and network use all).
EVENTS_PAGE = 50
SEARCH_SCOPES = ("statements", "entities", "articles")
# Modes offered in the explorer's filter: the auxiliary modes the coder sets,
# then "factual" (none of them). PLOVER's own modes are listed from the data.
AUX_MODES = ("hypothetical", "negated", "future", "historical", "factual")


def _iso(value: Optional[str]) -> Optional[str]:
    """An ISO date from a form field, or None (a bad one is shown as ignored)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


# -- speaker ------------------------------------------------------------------------------


@router.get("/speaker/{speaker}", response_class=HTMLResponse)
def speaker(speaker: str, q: Optional[str] = None, led: Ledger = Depends(ledger)):
    try:
        data = xq.speaker_page(led, speaker, q=q or None)
    except SpeakerNotFound:
        return not_found(f"speaker {speaker}")
    except AmbiguousSpeaker as exc:
        return page("speakers_choice.html", query=speaker, speakers=exc.candidates)
    who = data["speaker"]
    chart = timeline(data["points"], title=f"Statements by {who['name']} over time")
    return page("speaker.html", **data, q=q or "", chart=chart)


# -- search -------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
def search(q: Optional[str] = Query(None, max_length=500), scope: str = "statements",
           led: Ledger = Depends(ledger)):
    scope = scope if scope in SEARCH_SCOPES else "statements"
    context = {"q": q or "", "scope": scope, "scopes": SEARCH_SCOPES, "results": [], "total": None,
               "mode": None, "note": None}
    if q and q.strip():
        if scope == "statements":
            mode, note = statement_search.choose_mode(led, "auto")
            mode, hits = statement_search.search(led, q, limit=xq.SEARCH_PAGE, mode=mode)
            context.update(results=hits, mode=mode, note=note)
        elif scope == "entities":
            context["results"], context["total"] = xq.search_entities(led, q)
        else:
            context["results"], context["total"] = xq.search_articles(led, q)
    return page("search.html", **context)


# -- events explorer ----------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse)
def events(type: Optional[str] = None, mode: Optional[str] = None, actor: Optional[str] = None,
           country: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
           include_hypothetical: bool = False, offset: int = Query(0, ge=0), led: Ledger = Depends(ledger)):
    filters = {"type": (type or "").upper() or None, "mode": mode or None, "actor": (actor or "").upper() or None,
               "country": (country or "").upper() or None, "since": _iso(since), "until": _iso(until),
               "include_hypothetical": include_hypothetical}
    notes = []
    if filters["type"] and filters["type"] not in plover.TYPES:
        notes.append(f"{type!r} is not a PLOVER type; the filter is ignored")
        filters["type"] = None
    if filters["country"]:
        try:
            queries.check_country(filters["country"])
        except NewsledgerError as exc:
            notes.append(str(exc).removeprefix("--"))
            filters["country"] = None
    notes += [f"{name} {value!r} is not a date like 2024-01-31; ignored"
              for name, value in (("since", since), ("until", until)) if value and not _iso(value)]
    rows = xq.explorer_events(led, **filters)
    for r in rows:
        r["span"] = (f"{r['trigger_start']}-{r['trigger_end']}"
                     if r["trigger_start"] is not None and r["trigger_end"] is not None else None)
    return page(
        "events.html", filters=filters, notes=notes, types=plover.TYPES,
        modes=list(AUX_MODES) + [m for m in xq.event_modes(rows) if m not in AUX_MODES],
        events=rows[offset:offset + EVENTS_PAGE], total=len(rows), offset=offset, page_size=EVENTS_PAGE,
        map=world_map(xq.map_points(rows), highlight_countries=xq.country_counts(rows)),
        network=dyad_network(xq.dyads(rows)[:200], link="/search?scope=entities&q={}"),
        query=_query_without_offset(filters),
    )


def _query_without_offset(filters: dict) -> str:
    return urlencode({k: ("true" if v is True else v) for k, v in filters.items() if v})
