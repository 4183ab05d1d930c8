"""Time expressions normalised against the publication date, never guessed.

``interpret(text, published, future, past)`` reads one time expression and
gives ``Reading(kind, value, anchor)``: kind "date", "range", "duration" or
"set"; an ISO 8601 value only as precise as the text ("2020-01", a range
"2019-01-21/2019-01-27", "PT24H", "R/P1Y") or None when the text does not say
("recent years"); anchor "publication", "absolute" or "none". The
conventions are in docs/times.md. Relative expressions ("on Friday", "last
year") need the publication date: without one their value is None. A month
or day with no year is the publication year's, or the year before's when that
would put it more than ``FUTURE_SLACK_DAYS`` after publication; ``future``
(the clause speaks of what will happen) makes it the next one, ``past`` (a
past-tense clause) makes a month the last one.

``normalise(expression, published, forward)`` is the event coder's reading: a
date value or None. ``date_bounds(value)`` is the first and last day a date or
closed range can mean.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple, Optional

from newsledger.nlp.timewords import (
    AGO, CALENDAR, DAY_RANGE, DAY_RANGE_DMY, DECADE, DEICTIC, DMY, DURATION, FUTURE_SLACK_DAYS, ISO, LEADING, MDY,
    MONTHS, MONTH_PART, NUM, PARTS_OF_DECADE, PARTS_OF_MONTH, PARTS_OF_YEAR, SET, SETS, SPAN, TIMES_PER,
    UNIT, VAGUE, WEEKDAY, WEEKDAYS, YEAR, YEAR_MODIFIER, YEAR_RANGE, add_months, count, day_or_none, month_end,
    period, shift, week_of,
)

# Relative expressions are read against this date when there is no publication
# date, only to learn their kind; their value is then dropped.
STAND_IN = date(2000, 1, 5)


class Reading(NamedTuple):
    kind: str
    value: Optional[str]
    anchor: str


def _reading(kind: str, value: Optional[str], relative: bool) -> Reading:
    if value is None:
        return Reading(kind, None, "none")
    return Reading(kind, value, "publication" if relative else "absolute")


def published_day(published: Optional[str]) -> Optional[date]:
    """The publication date's day, when it has one."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def date_bounds(value: Optional[str]) -> Optional[tuple[date, date]]:
    """First and last day an ISO date (year, year-month or day) or closed range
    ("2019-09/2019-12") can mean, or None when it is neither."""
    if not value:
        return None
    if "/" in value:
        first, _, last = value.partition("/")
        a, b = date_bounds(first), date_bounds(last)
        return (a[0], b[1]) if a and b else None
    try:
        parts = [int(x) for x in value.split("-")]
        if len(parts) == 3:
            return date(*parts), date(*parts)
        if len(parts) == 2:
            return date(parts[0], parts[1], 1), month_end(parts[0], parts[1])
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, TypeError):
        return None


def normalise(expression: str, published: Optional[str] = None, forward: bool = False) -> Optional[str]:
    """ISO date of a date expression, or None (see the module docstring).
    ``forward``: the event is future or hypothetical, so a bare weekday ("on
    Friday") is the next one on or after publication, not the last."""
    # ``forward`` moves weekdays only: the coder sets it for hypothetical events too
    # ("could have been stopped as early as March 8"), where a date is not next year's
    t = clean(expression)
    if (month := MONTH_PART.fullmatch(t)) and not month.group(3):
        return None  # "in December": which year is a guess, too weak to date an event by
    reading = interpret(expression, published, future=forward and bool(WEEKDAY.fullmatch(t)))
    return reading.value if reading.kind == "date" else None


def clean(text: str) -> str:
    """Lower case, single spaces, no commas, dots or possessive, hyphens between words as spaces."""
    t = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").replace("\xa0", " ")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"(?<=[a-z])-(?=[a-z])|(?<=\d)-(?=[a-z])|(?<=[a-z])-(?=\d)", " ", t)
    t = re.sub(r"[,;:()\[\]\"]", " ", t).replace(".", " ")
    t = " ".join(t.split())
    t = re.sub(r"\s*-\s*", "-", t)
    return LEADING.sub("", t).strip()


def interpret(text: str, published: Optional[str] = None, future: bool = False, past: bool = False) -> Reading:
    """(kind, value, anchor) of one time expression (see the module docstring).
    ``future``: the clause speaks of what will happen; ``past``: it is in the
    past tense, so a month without a year is the last one."""
    t = clean(text)
    pub = published_day(published)
    when = "future" if future else "past" if past else None
    if t.startswith("since "):
        return _since(t[6:], pub, when)
    for fn in (_set, _duration, _absolute):
        reading = fn(t)
        if reading:
            return reading
    for fn in (_month_day, _month, _relative):
        reading = fn(t, pub, when)
        if reading:
            return reading
    return Reading(_kind_of(t), None, "none")


def _kind_of(t: str) -> str:
    """The kind of an expression whose value is unknown."""
    if VAGUE.fullmatch(t) or t.startswith(("the past", "the last", "the next", "the previous", "the following",
                                            "recent")):
        return "range"
    return "duration" if re.fullmatch(rf"(?:{NUM}|a few|few|several|many) {UNIT}|{UNIT}", t) else "date"


def _since(rest: str, pub: Optional[date], when: Optional[str]) -> Reading:
    inner = interpret(rest, pub.isoformat() if pub else None, past=True)
    if inner.value is None or inner.kind not in ("date", "range"):
        return Reading("range", None, "none")
    start = inner.value.split("/")[0]
    if pub is not None:
        return Reading("range", f"{start}/{pub.isoformat()}", "publication")
    return Reading("range", f"{start}/..", "absolute")


# ---- sets and durations ------------------------------------------------------------------


def _set(t: str) -> Optional[Reading]:
    if t in SETS:
        return Reading("set", "R/" + SETS[t], "absolute")
    m = TIMES_PER.fullmatch(t)
    if m:
        return Reading("set", "R/" + period(1, m.group(2)), "absolute")
    m = SET.fullmatch(t)
    if not m:
        return None
    other, num, unit, weekday, part = m.groups()
    n = count(num) if num else 1
    if n is None:
        return Reading("set", None, "none")
    n *= 2 if other else 1
    if unit:
        return Reading("set", "R/" + period(n, unit), "absolute")
    if weekday:
        return Reading("set", f"R/P{n}W", "absolute")
    return Reading("set", f"R/P{n}D" if part in ("morning", "night", "evening") else f"R/P{n}Y", "absolute")


def _duration(t: str) -> Optional[Reading]:
    m = DURATION.fullmatch(t)
    if not m or t.endswith(" old"):
        return None
    n = None if " and a half " in t else count(m.group(1))
    return _reading("duration", period(n, m.group(2)) if n else None, False)


# ---- calendar dates ----------------------------------------------------------------------


def _in_year(month: int, day: Optional[int], pub: date, when: Optional[str]) -> int:
    """The year of a month (and day) given without one (module docstring)."""
    first = day_or_none(pub.year, month, day or 1) or date(pub.year, month, 1)
    last = first if day else month_end(pub.year, month)
    if when == "future":
        return pub.year + 1 if last < pub else pub.year
    if when == "past" and day is None:
        return pub.year if first <= pub else pub.year - 1
    return pub.year - 1 if (first - pub).days > FUTURE_SLACK_DAYS else pub.year


def _absolute(t: str) -> Optional[Reading]:
    """A date or range that needs no publication date, or None when the text is not one."""
    return _iso(t) or _year_range(t) or _decade(t) or _year(t)


def _iso(t: str) -> Optional[Reading]:
    m = ISO.fullmatch(t)
    d = day_or_none(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    return Reading("date", d.isoformat(), "absolute") if d else None


def _year_range(t: str) -> Optional[Reading]:
    m = YEAR_RANGE.fullmatch(t)
    if not m:
        return None
    a, b = m.group(1), m.group(2)
    if len(b) == 2:
        b = a[:2] + b
    return Reading("range", f"{a}/{b}", "absolute") if int(b) > int(a) else None


def _decade(t: str) -> Optional[Reading]:
    m = DECADE.fullmatch(t)
    if not m:
        return None
    part, base = m.group(1), int(m.group(2)) * 10
    lo, hi = PARTS_OF_DECADE.get(part, (0, 9))
    return Reading("range", f"{base + lo}/{base + hi}", "absolute")


def _year(t: str) -> Optional[Reading]:
    m = YEAR.fullmatch(t) or YEAR_MODIFIER.fullmatch(t)
    if not m:
        return None
    if m.re is YEAR_MODIFIER:
        return Reading("date", m.group(1), "absolute")
    part, year = m.group(1), m.group(2)
    if not part:
        return Reading("date", year, "absolute")
    lo, hi = PARTS_OF_YEAR[part]
    return Reading("range", f"{year}-{lo:02d}/{year}-{hi:02d}", "absolute")


def _month_day(t: str, pub: Optional[date], when: Optional[str]) -> Optional[Reading]:
    m = DAY_RANGE.fullmatch(t)
    if m:
        month1, d1, month2, d2, year = MONTHS[m.group(1)], int(m.group(2)), m.group(3), int(m.group(4)), m.group(5)
        month2 = MONTHS[month2] if month2 else month1
        return _days(month1, d1, month2, d2, year, pub, when)
    m = DAY_RANGE_DMY.fullmatch(t)
    if m:
        d1, d2, month, year = int(m.group(1)), int(m.group(2)), MONTHS[m.group(3)], m.group(4)
        return _days(month, d1, month, d2, year, pub, when)
    m = MDY.fullmatch(t)
    if m:
        month, day, year = MONTHS[m.group(2)], int(m.group(3)), m.group(4)
    else:
        m = DMY.fullmatch(t)
        if not m:
            return None
        day, month, year = int(m.group(2)), MONTHS[m.group(3)], m.group(4)
    if year:
        d = day_or_none(int(year), month, day)
        return Reading("date", d.isoformat() if d else None, "absolute" if d else "none")
    if pub is None:
        return Reading("date", None, "none")
    d = day_or_none(_in_year(month, day, pub, when), month, day)
    return _reading("date", d.isoformat() if d else None, True)


def _days(month1: int, d1: int, month2: int, d2: int, year: Optional[str], pub, when) -> Reading:
    if year:
        y1 = y2 = int(year)
        y1 -= month1 > month2  # "December 28 to January 3, 2020"
    elif pub is None:
        return Reading("range", None, "none")
    else:
        y1 = _in_year(month1, d1, pub, when)
        y2 = y1 + (month2 < month1)
    a, b = day_or_none(y1, month1, d1), day_or_none(y2, month2, d2)
    if not a or not b or b < a:
        return Reading("range", None, "none")
    return _reading("range", f"{a.isoformat()}/{b.isoformat()}", not year)


def _month(t: str, pub: Optional[date], when: Optional[str]) -> Optional[Reading]:
    m = MONTH_PART.fullmatch(t)
    if not m:
        return None
    part, month, year = m.group(1), MONTHS[m.group(2)], m.group(3)
    if year:
        y = int(year)
    elif pub is None:
        return Reading("range" if part else "date", None, "none")
    else:
        y = _in_year(month, None, pub, when)
    if not part:
        return _reading("date", f"{y}-{month:02d}", not year)
    lo, hi = PARTS_OF_MONTH[part]
    hi = min(hi, month_end(y, month).day)
    return _reading("range", f"{y}-{month:02d}-{lo:02d}/{y}-{month:02d}-{hi:02d}", not year)


# ---- relative to the publication date -----------------------------------------------------


def _relative(t: str, pub: Optional[date], when: Optional[str]) -> Optional[Reading]:
    """A reading of an expression read against the publication date; with no publication
    date, a reading with no value; None when the text is not one."""
    if VAGUE.fullmatch(t):
        return Reading("range", None, "none")
    for pattern, fn in ((DEICTIC, _deictic), (WEEKDAY, _weekday), (CALENDAR, _calendar_unit), (AGO, _ago),
                        (SPAN, _span)):
        m = pattern.fullmatch(t)
        if m:
            # read against a stand-in date when there is none, for the kind only
            reading = fn(m, pub or STAND_IN, when) or Reading(_kind_of(t), None, "none")
            return reading if pub else Reading(reading.kind, None, "none")
    return None


def _deictic(m, pub: date, when: Optional[str]) -> Reading:
    word = m.group(2)
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
              "the day after tomorrow": 2}.get(word, 0)
    return _reading("date", (pub + timedelta(days=offset)).isoformat(), True)


def _weekday(m, pub: date, when: Optional[str]) -> Reading:
    mod, day = m.group(2), WEEKDAYS[m.group(3)]
    if mod in ("last", "past"):
        step = -((pub.weekday() - day) % 7 or 7)
    elif mod in ("next", "coming"):
        step = (day - pub.weekday()) % 7 or 7
    elif when == "future":
        step = (day - pub.weekday()) % 7
    else:
        step = -((pub.weekday() - day) % 7)
    return _reading("date", (pub + timedelta(days=step)).isoformat(), True)


def _calendar_unit(m, pub: date, when: Optional[str]) -> Optional[Reading]:
    part, mod, unit = m.groups()
    if mod == "past" and not part:  # "past week": the seven days up to publication
        return _reading("range", f"{shift(pub, -1, unit if unit != 'weekend' else 'week')}/{pub}", True)
    offset = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[mod]
    if part in ("earlier", "later") and offset != 0:
        return None
    if unit in ("week", "weekend"):
        first, last = week_of(pub + timedelta(weeks=offset))
        if unit == "weekend":
            first = last - timedelta(days=1)
        elif part in ("early", "mid", "late"):
            return None
    elif unit == "month":
        first = add_months(pub.replace(day=1), offset)
        last = month_end(first.year, first.month)
        if part in PARTS_OF_MONTH:
            lo, hi = PARTS_OF_MONTH[part]
            first, last = first.replace(day=lo), min(last, first.replace(day=min(hi, last.day)))
        elif not part:
            return _reading("date", f"{first.year}-{first.month:02d}", True)
    else:
        year = pub.year + offset
        if not part:
            return _reading("date", str(year), True)
        if part in PARTS_OF_YEAR:
            lo, hi = PARTS_OF_YEAR[part]
            return _reading("range", f"{year}-{lo:02d}/{year}-{hi:02d}", True)
        first, last = date(year, 1, 1), date(year, 12, 31)
    if part == "earlier":
        last = pub
    elif part == "later":
        first = pub
    return _reading("range", f"{first.isoformat()}/{last.isoformat()}", True)


def _ago(m, pub: date, when: Optional[str]) -> Optional[Reading]:
    n, unit = count(m.group(1)), m.group(2)
    if n is None or unit in ("decade", "century", "centurie"):
        return None
    then = shift(pub, -n, unit) if unit not in ("second", "minute", "hour") else pub
    if unit == "week":
        first, last = week_of(then)
        return _reading("range", f"{first.isoformat()}/{last.isoformat()}", True)
    if unit == "month":
        return _reading("date", f"{then.year}-{then.month:02d}", True)
    if unit == "year":
        return _reading("date", str(then.year), True)
    return _reading("date", then.isoformat(), True)


def _span(m, pub: date, when: Optional[str]) -> Optional[Reading]:
    direction, num, unit = m.groups()
    n = count(num) if num else 1
    if n is None or direction in ("previous", "following"):
        return None  # "the previous year", "the following week": counted from some other time
    if direction in ("next", "coming"):
        return _reading("range", f"{pub.isoformat()}/{shift(pub, n, unit).isoformat()}", True)
    return _reading("range", f"{shift(pub, -n, unit).isoformat()}/{pub.isoformat()}", True)
