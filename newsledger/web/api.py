"""The JSON API under /api (docs/web.md, "JSON API").

Every listing takes ``limit`` (1..MAX_LIMIT) and ``offset`` and returns
``{"items", "limit", "offset", "total"}``; ``?format=csv`` gives the items as a
CSV download instead. Records keep their character offsets into the article
text. Expected errors become one-line JSON ``{"error": ...}`` with a status:
400 bad filter, 404 unknown id, 503 (with Retry-After) while an ingest holds
the ledger.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Callable, Literal, Optional

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from newsledger import identity
from newsledger import search as statement_search
from newsledger.errors import DatabaseBusy, NewsledgerError
from newsledger.events import plover
from newsledger.events.export import date_source, event_loc
from newsledger.identity.queries import AmbiguousSpeaker, SpeakerNotFound
from newsledger.store import queries
from newsledger.store.ledger import Ledger, LedgerNotFound, LedgerUnusable
from newsledger.web import queries as webq
from newsledger.web.deps import ledger

_plain = queries.plain


DEFAULT_LIMIT = 50
MAX_LIMIT = 500  # one page; a whole ledger goes out through `newsledger export`
BUSY_MESSAGE = "the ledger is busy (an ingest is writing); retry shortly"
TOO_SLOW_MESSAGE = "the query took too long and was stopped; narrow the filters"
RETRY_AFTER_SECONDS = 1  # an ingest batch commits within seconds; the client polls again

# Expected errors -> HTTP status. Anything else (a NewsledgerError not listed) is 400.
STATUS = {
    DatabaseBusy: 503, LedgerNotFound: 503, LedgerUnusable: 503,
    queries.ArticleNotFound: 404, SpeakerNotFound: 404, AmbiguousSpeaker: 400,
}


def error_response(exc: NewsledgerError) -> JSONResponse:
    """One-line JSON for an expected error; the busy ledger gets 503 + Retry-After."""
    if isinstance(exc, DatabaseBusy):
        return JSONResponse({"error": BUSY_MESSAGE}, status_code=503,
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    message = str(exc)
    if isinstance(exc, queries.BadFilter):  # its messages name CLI options: "--country 'XX': ..."
        message = message.removeprefix("--")
    return JSONResponse({"error": message}, status_code=status)


class ErrorsAsJson(APIRoute):
    """Routes whose expected errors (also from opening the ledger) are JSON, not a traceback."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except NewsledgerError as exc:
                return error_response(exc)
            except duckdb.InterruptException:  # stopped after deps.QUERY_SECONDS
                return JSONResponse({"error": TOO_SLOW_MESSAGE}, status_code=503)

        return handle


router = APIRouter(tags=["api"], route_class=ErrorsAsJson)

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
Offset = Query(0, ge=0, description="Items to skip.")
Format = Query("json", description="json, or csv for a download of the items.")
FormatT = Literal["json", "csv"]


# -- output -----------------------------------------------------------------------




def _csv(items: list[dict], name: str) -> Response:
    """The items as CSV; lists and objects in a cell are JSON."""
    out = io.StringIO()
    if items:
        writer = csv.DictWriter(out, fieldnames=list(items[0]), lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        for item in items:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                             for k, v in _plain(item).items()})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="newsledger-{name}.csv"'})


def listing(name: str, items: list[dict], total: Optional[int], limit: int, offset: int, fmt: str,
            **extra) -> Any:
    if fmt == "csv":
        return _csv(items, name)
    return {"items": _plain(items), "limit": limit, "offset": offset, "total": total, **_plain(extra)}


def _date(value: Optional[str], name: str) -> Optional[str]:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise queries.BadFilter(f"{name} {value!r} is not a date like 2024-01-31") from None


# -- overview -------------------------------------------------------------------------


@router.get("/overview")
def overview(led: Ledger = Depends(ledger)) -> dict:
    """Table counts, the latest articles, top speakers and actors, statements and events per month."""
    speakers = identity.list_speakers(led, limit=webq.OVERVIEW_TOP)
    return _plain({
        "counts": queries.table_counts(led),
        "latest_articles": webq.latest_articles(led),
        "top_speakers": [{k: s[k] for k in ("id", "name", "type", "n_statements", "n_articles")} for s in speakers],
        "top_actors": webq.top_actors(led),
        "per_month": webq.per_month(led),
    })


# -- articles ---------------------------------------------------------------------------


@router.get("/articles")
def articles(q: Optional[str] = Query(None, description="Part of the title (any case)."),
             outlet: Optional[str] = Query(None, description="Part of the outlet name (any case)."),
             since: Optional[str] = None, until: Optional[str] = None,
             limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Articles, newest first."""
    items, total = webq.page(led, webq.articles, limit, offset, q=q, outlet=outlet,
                             since=_date(since, "since"), until=_date(until, "until"))
    return listing("articles", items, total, limit, offset, format)


@router.get("/articles/{article_id}")
def article(article_id: str, led: Ledger = Depends(ledger)) -> dict:
    """One article (id or unique prefix) with its quotes, entities, events, places and times; offsets index text."""
    return _plain(webq.article_detail(led, queries.find_article(led, article_id)))


# -- quotes ----------------------------------------------------------------------------


@router.get("/quotes")
def quotes(speaker: Optional[str] = Query(None, description="Part of the speaker's name (any case)."),
           kind: Optional[Literal["direct", "mixed", "indirect"]] = None,
           article: Optional[str] = Query(None, description="An article id or unique prefix."),
           q: Optional[str] = Query(None, description="Part of the quote text (any case)."),
           since: Optional[str] = None,
           limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Quotes with their speakers and offsets, newest articles first."""
    article_id = queries.find_article(led, article)["id"] if article else None
    where, params = (["kind = ?"], [kind]) if kind else ([], [])
    items, total = webq.page(led, queries.quotes, limit, offset, where, params, speaker=speaker, contains=q,
                             since=_date(since, "since"), article_id=article_id)
    for item in items:
        item["segments"] = json.loads(item["segments"]) if item.get("segments") else []
    return listing("quotes", items, total, limit, offset, format)


# -- speakers ---------------------------------------------------------------------------


@router.get("/speakers")
def speakers(type: Optional[Literal["PERSON", "ORG", "GPE", "NORP"]] = None,
             limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Speakers across articles, most statements first, with aliases and roles."""
    items, total = webq.page(led, identity.list_speakers, limit, offset, type=type)
    return listing("speakers", items, total, limit, offset, format)


@router.get("/speakers/{speaker}")
def speaker(speaker: str, since: Optional[str] = None,
            q: Optional[str] = Query(None, description="Only statements containing this (any case)."),
            limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """One speaker (id, id prefix or a name) and their statements, oldest first, with offsets."""
    who, rows = identity.speaker_statements(led, speaker, limit=None if q else offset + limit,
                                            since=_date(since, "since"))
    if q:
        rows = [r for r in rows if q.casefold() in (r["content_text"] or "").casefold()][:offset + limit]
    for row in rows:
        row["segments"] = json.loads(row["segments"]) if row.get("segments") else []
    total = None if since or q else who["n_statements"]
    return listing(f"speaker-{who['id'][:10]}", rows[offset:], total, limit, offset, format, speaker=who)


# -- events ------------------------------------------------------------------------------


def _event(row: dict, near: bool) -> dict:
    """A folded event: its type, modes, sides (with spans in the first article), location and evidence."""
    def side(actors):
        return [{"name": a["name"], "code": a["code"], "sector": a["sector"], "start": a["start"],
                 "end": a["end"], "text": a["text"]} for a in actors or []]

    out = {k: row.get(k) for k in ("id", "date", "date_stated", "type", "modes", "contexts", "quad", "score",
                                   "hypothetical", "negated", "actor_codes", "recipient_codes", "n_mentions",
                                   "n_articles", "n_sources", "n_in_quotes", "confidence")}
    out.update({
        "date_source": date_source(row), "location": event_loc(row),
        "actor": side(row["first_actor"]), "recipient": side(row["first_recipient"]),
        "evidence": {
            "article_id": row["first_article"], "title": row["title"], "url": row["url"], "outlet": row["outlet"],
            "date": row["article_date"],
            "sentence": {"start": row["sentence_start"], "end": row["sentence_end"], "text": row["sentence_text"]},
            "trigger": {"start": row["trigger_start"], "end": row["trigger_end"], "text": row["trigger_text"]},
            "quote_id": row["quote_id"], "claimed_by": row["claimed_by"],
        },
    })
    if near:
        out["distance_km"] = None if row.get("distance_km") is None else round(row["distance_km"], 1)
    return out


@router.get("/events")
def events(type: Optional[str] = Query(None, description="A PLOVER type: AGREE, ..., ASSAULT."),
           actor: Optional[str] = Query(None, description="Actor or recipient code (RUS, IGO, ...)."),
           country: Optional[str] = Query(None, description="ISO alpha-3 of where the event happened."),
           since: Optional[str] = None, until: Optional[str] = None,
           include_hypothetical: bool = Query(False, description="Also hypothetical, negated and future events."),
           mode: Optional[str] = Query(None, description="hypothetical, negated, future, historical, factual "
                                                         "(none of those), or a PLOVER mode."),
           near: Optional[str] = Query(None, description="LAT,LON,KM: located within KM km of the point."),
           limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Folded events (who did what to whom, where), newest first, each with its first evidence."""
    if type is not None and type.upper() not in plover.TYPES:
        raise queries.BadFilter(f"type {type!r} is not a PLOVER type: use one of {', '.join(plover.TYPES)}")
    point = queries.parse_near(near) if near else None
    where, params = [], []
    include_hypothetical = include_hypothetical or mode in ("hypothetical", "negated", "future")
    if not include_hypothetical:
        where.append("NOT list_contains(coalesce(g.modes, []::VARCHAR[]), 'future')")
    if until:
        where.append("left(g.date, 10) <= ?")
        params.append(_date(until, "until"))
    if mode == "factual":
        where.append("len(coalesce(g.modes, []::VARCHAR[])) = 0 AND NOT g.hypothetical AND NOT g.negated")
    elif mode:
        where.append("(list_contains(coalesce(g.modes, []::VARCHAR[]), ?) OR (? = 'hypothetical' AND g.hypothetical)"
                     " OR (? = 'negated' AND g.negated))")
        params += [mode, mode, mode]
    items, total = queries.events_page(led, limit, offset, where, params, actor=actor, type=type,
                                       since=_date(since, "since"), include_hypothetical=include_hypothetical,
                                       country=queries.check_country(country) if country else None, near=point)
    return listing("events", [_event(r, point is not None) for r in items], total, limit, offset, format)


# -- places ------------------------------------------------------------------------------


@router.get("/places")
def places(country: Optional[str] = Query(None, description="ISO alpha-3, e.g. UKR."),
           level: Optional[str] = Query(None, description="country, admin1, city or point."),
           limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Resolved places, most mentioned first, with mention, article and metonymic counts."""
    items, total = webq.page(led, queries.places, limit, offset,
                             country=queries.check_country(country) if country else None,
                             level=queries.check_level(level) if level else None)
    return listing("places", items, total, limit, offset, format, unresolved=queries.unresolved_places(led))


# -- search ------------------------------------------------------------------------------


@router.get("/search")
def search(q: str = Query(..., min_length=1, description="Words to find."),
           limit: int = Limit, offset: int = Offset, format: FormatT = Format, led: Ledger = Depends(ledger)):
    """Statements ranked for ``q`` (full text; by meaning when the ledger is embedded and the extra installed),
    each with its evidence. ``mode`` says which search ran; ``total`` is null (a ranking has no count)."""
    mode, note = statement_search.choose_mode(led, "auto")
    mode, hits = statement_search.search(led, q, limit=offset + limit, mode=mode)
    return listing("search", hits[offset:], None, limit, offset, format, query=q, mode=mode, note=note)
