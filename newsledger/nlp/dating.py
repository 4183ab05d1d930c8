"""When quotes were said and events happened (docs/times.md, "Dates of quotes
and events").

- A quote's date is the time expression of its attribution's own clause
  ("In 2017, Lukashenko said ..."), when that expression has a value; else
  null (the publication date is when it was reported, not said).
- An event's date is the one its own clause states (the coder reads it,
  ``events.modes.stated_date``), marked ``date_source="text"``; else the
  publication date, marked ``"publication"``; else null.
"""

from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc

from newsledger.records import Event, Quote, Time


def date_quotes(doc: Doc, quotes: list[Quote], times: list[Time]) -> None:
    from newsledger.nlp import timex

    if not times:
        return
    for q in quotes:
        if q.cue is None:
            continue
        cue = doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand")
        if cue is None:
            continue
        t = timex.clause_date(doc, cue.root, times)
        if t is not None and t.value and t.kind == "date":
            q.date = t.value


def date_events(events: list[Event], published: Optional[str]) -> None:
    day = published[:10] if published else None
    for ev in events:
        if ev.date:
            ev.date_source = "text"
        elif day:
            ev.date, ev.date_source = day, "publication"
