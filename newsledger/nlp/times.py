"""Date expressions normalised against the publication date, never guessed.

``normalise(expression, published)`` turns what a DATE entity says into an
ISO 8601 date as precise as the text allows:

- absolute: "January 3, 2020", "3 January 2020", "2020-01-03" -> "2020-01-03";
  "January 2020" -> "2020-01"; "2020" -> "2020";
- month and day without a year ("on January 3", "September 11"): the
  publication year, or the year before when that would put the date more
  than ``FUTURE_SLACK_DAYS`` after publication;
- relative to publication: "today", "tonight", "yesterday", "on Friday"
  (the last Friday on or before the publication date), "last Friday".

Relative expressions need a publication date: without one they give None
(principle 2, never invent). Ranges and vague spans ("last week", "recent
months", "the 1990s") give None too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
# A month-day with no year may lie this many days after publication (an
# announced date: "the vote on March 3"); further than that it is last year's.
FUTURE_SLACK_DAYS = 60

# Ranges and spans ("January 3-10", "between January 3 and 10", "from May to June")
_RANGE = re.compile(r"\d\s*[-–]\s*\d|\b(between|and|to|through|until)\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"^(?:in\s+)?(1[89]\d\d|20\d\d)$")
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MDY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?\b")
_MY = re.compile(r"^(?:in\s+)?" + _MONTH + r",?\s+(\d{4})$")


def published_day(published: Optional[str]) -> Optional[date]:
    """The publication date's day, when it has one."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def date_bounds(value: Optional[str]) -> Optional[tuple[date, date]]:
    """First and last day an ISO date (year, year-month or day) can mean, or
    None when it is not one."""
    if not value:
        return None
    try:
        parts = [int(x) for x in value.split("-")]
        if len(parts) == 3:
            return date(*parts), date(*parts)
        if len(parts) == 2:
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return date(parts[0], parts[1], 1), nxt - timedelta(days=1)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, TypeError):
        return None


def normalise(expression: str, published: Optional[str] = None, forward: bool = False) -> Optional[str]:
    """ISO date of a date expression, or None (see the module docstring).
    ``forward``: the event is future or hypothetical, so a bare weekday ("on
    Friday") is the next one on or after publication, not the last."""
    text = " ".join(expression.lower().replace(",", ", ").split()).strip(" .,")
    text = re.sub(r"^(on|by|since|until|from|in|at)\s+", "", text)
    if _ISO.fullmatch(text):
        return _iso(text, None)
    if _RANGE.search(text):
        return None
    pub = published_day(published)
    for fn in (_month_day, _month_year, _year):
        out = fn(text, pub)
        if out:
            return out
    return _relative(text, pub, forward) if pub else None


def _iso(text: str, pub) -> Optional[str]:
    m = _ISO.search(text)
    d = _day(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    return d.isoformat() if d else None


def _day(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(text: str, pub) -> Optional[str]:
    m = _MDY.search(text)
    if m:
        month, day, year = MONTHS[m.group(1)], int(m.group(2)), m.group(3)
    else:
        m = _DMY.search(text)
        if not m:
            return None
        day, month, year = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
    if year:
        d = _day(int(year), month, day)
        return d.isoformat() if d else None
    if pub is None:
        return None
    d = _day(pub.year, month, day)
    if d and (d - pub).days > FUTURE_SLACK_DAYS:
        d = _day(pub.year - 1, month, day)
    return d.isoformat() if d else None


def _month_year(text: str, pub) -> Optional[str]:
    m = _MY.match(text)
    return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}" if m else None


def _year(text: str, pub) -> Optional[str]:
    m = _YEAR.match(text)
    return m.group(1) if m else None


def _relative(text: str, pub: date, forward: bool = False) -> Optional[str]:
    if text in ("today", "tonight", "this morning", "this afternoon", "this evening", "earlier today"):
        return pub.isoformat()
    if text in ("yesterday", "last night", "yesterday morning", "yesterday afternoon", "yesterday evening"):
        return (pub - timedelta(days=1)).isoformat()
    words = text.split()
    if words and words[0] == "last" and len(words) == 2 and words[1] in WEEKDAYS:
        back = (pub.weekday() - WEEKDAYS[words[1]]) % 7 or 7
        return (pub - timedelta(days=back)).isoformat()
    day = words[0] if words else ""
    if day in WEEKDAYS and all(w in ("morning", "afternoon", "evening", "night") for w in words[1:]):
        if forward:
            return (pub + timedelta(days=(WEEKDAYS[day] - pub.weekday()) % 7)).isoformat()
        back = (pub.weekday() - WEEKDAYS[day]) % 7
        return (pub - timedelta(days=back)).isoformat()
    return None
