"""Server-rendered pages (docs/web.md): the overview and the article reader
(the speaker, search and events pages are in ``explore.py``).

Templates are Jinja2 with autoescape on; the article text is marked by
``render.render_marked`` from offsets, never by inserting stored text as HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from newsledger.store.ledger import Ledger
from newsledger.web import page_queries as pq
from newsledger.web import queries as webq
from newsledger.web.charts import series_from_rows, time_chart
from newsledger.web.deps import ledger
from newsledger.web.render import Mark, clean, parse_span, render_marked, safe_url, speaker_class

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parent / "templates"
env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# Every string a template prints passes through clean(): no lone surrogate
# can make the response fail to encode.
env.finalize = lambda value: clean(value) if isinstance(value, str) and not isinstance(value, Markup) else value
env.filters["safe_url"] = safe_url


def page(name: str, status_code: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(env.get_template(name).render(**context), status_code=status_code)


def not_found(what: str) -> HTMLResponse:
    return page("404.html", status_code=404, what=what)


@router.get("/", response_class=HTMLResponse)
def overview(led: Ledger = Depends(ledger)):
    chart = time_chart(series_from_rows(webq.per_month(led), "month", "statements", "events"),
                       title="Statements and events per month")
    return page("overview.html", **pq.overview(led), chart=chart, actors=webq.top_actors(led))


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article(article_id: str, span: Optional[str] = None, led: Ledger = Depends(ledger)):
    art = pq.find_article(led, article_id)
    if art is None:
        return not_found(f"article {article_id}")
    return page("article.html", **reader_context(led, art, span))


def reader_context(led: Ledger, art: dict, span: Optional[str]) -> dict:
    """Everything the reader shows: the marked text, quotes, events, places, times."""
    text = art["text"] or ""
    quotes = pq.article_quotes(led, art["id"])
    events = pq.article_events(led, art["id"])
    places = pq.article_places(led, art["id"])
    times = pq.article_times(led, art["id"])
    colours = speaker_colours(quotes)
    for q in quotes:
        q["anchor"] = f"q{q['idx']}"
        q["colour"] = colours[speaker_key(q)]
    for e in events:
        e["anchor"] = f"e{e['idx']}"
        e["span"] = (f"{e['trigger_start']}-{e['trigger_end']}"
                     if e["trigger_start"] is not None and e["trigger_end"] is not None else None)
    highlight = parse_span(span, len(text))
    marks = quote_marks(quotes) + event_marks(events) + place_time_marks(places, times)
    if highlight:
        marks.append(Mark(highlight[0], highlight[1], "highlight", "hl"))
    return {
        "article": art,
        "article_url": safe_url(art.get("url")),
        "body": render_marked(text, marks),
        "quotes": quotes,
        "events": events,
        "places": places,
        "times": times,
        "highlight": highlight,
        "bad_span": span is not None and highlight is None,
    }


def speaker_key(quote: dict) -> str:
    return quote["speaker_id"] or quote["speaker_entity_id"] or quote["speaker_name"] or "?"


def speaker_colours(quotes: list[dict]) -> dict[str, str]:
    """Each speaker's colour class, in order of first quote (spk-0, spk-1, ...)."""
    colours: dict[str, str] = {}
    for q in quotes:
        colours.setdefault(speaker_key(q), speaker_class(len(colours)))
    return colours


def quote_marks(quotes: list[dict]) -> list[Mark]:
    marks = []
    for q in quotes:
        info = {"quote": q["anchor"], "speaker": q["speaker_name"] or "unknown speaker",
                "cue": q["cue_text"], "kind": q["kind"]}
        for start, end in q["segments"]:
            marks.append(Mark(start, end, "quote", q["anchor"], info, (q["colour"],)))
        if q["speaker_start"] is not None and q["speaker_end"] is not None:
            marks.append(Mark(q["speaker_start"], q["speaker_end"], "speaker", f"s{q['idx']}", info, (q["colour"],)))
        if q["cue_start"] is not None and q["cue_end"] is not None:
            marks.append(Mark(q["cue_start"], q["cue_end"], "cue", f"c{q['idx']}", info))
    return marks


def event_marks(events: list[dict]) -> list[Mark]:
    marks = []
    for e in events:
        info = {"event": e["anchor"], "type": e["type"]}
        if e["span"]:
            marks.append(Mark(e["trigger_start"], e["trigger_end"], "event-trigger", f"t{e['idx']}", info))
        for role in ("actor", "recipient"):
            for side in e[role]:
                marks.append(Mark(side["mention_start"], side["mention_end"], role,
                                  f"{role[0]}{e['idx']}-{side['idx']}", info))
    return marks


def place_time_marks(places: list[dict], times: list[dict]) -> list[Mark]:
    marks = [Mark(p["start_char"], p["end_char"], "place", f"p{p['idx']}",
                  {"place": p["name"] or "unresolved", "country": p["country"]}) for p in places]
    marks += [Mark(t["start_char"], t["end_char"], "time", f"d{t['idx']}",
                   {"time": t["value"] or "unresolved"}) for t in times]
    return marks
