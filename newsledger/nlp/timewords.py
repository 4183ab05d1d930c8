"""The words of time expressions and the calendar arithmetic that reads them
(used by ``nlp.times``; conventions in docs/times.md).

Expressions arrive cleaned (``times.clean``): lower case, single spaces, no
commas or dots, no preposition in front.
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
NUMBERS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
NUMBERS.update({w: 10 * (i + 2) for i, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])})
NUMBERS.update({"a": 1, "an": 1, "a single": 1, "hundred": 100, "a hundred": 100, "one hundred": 100})
# unit -> (ISO 8601 designator, how many of it, a time unit written after "T")
UNITS = {"second": ("S", 1, True), "minute": ("M", 1, True), "hour": ("H", 1, True), "day": ("D", 1, False),
         "week": ("W", 1, False), "month": ("M", 1, False), "year": ("Y", 1, False), "decade": ("Y", 10, False),
         "century": ("Y", 100, False), "centurie": ("Y", 100, False)}
# A month or day without a year may lie this many days after publication (an
# announced date: "the vote on March 3"); further than that it is last year's.
FUTURE_SLACK_DAYS = 60
# early/mid/late: days of a month, months of a year, years of a decade (docs/times.md).
PARTS_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
PARTS_OF_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
SETS = {"annually": "P1Y", "annual": "P1Y", "yearly": "P1Y", "daily": "P1D", "nightly": "P1D", "weekly": "P1W",
        "monthly": "P1M", "quarterly": "P3M", "hourly": "PT1H", "biennial": "P2Y", "biennially": "P2Y"}
# Words that open an expression without changing its value ("on Monday", "for three years").
LEADING = re.compile(r"^(?:(?:on|in|at|by|during|of|for|within|over|lasting|about|around|nearly|almost|"
                     r"approximately|roughly|some|just|only|more than|less than|at least|up to|as early as|"
                     r"back in|early on)\s+)+")

MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WD = "(" + "|".join(WEEKDAYS) + ")"
YR = r"(1[5-9]\d\d|20\d\d)"
ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
NUM = (r"(\d+|(?:" + "|".join(sorted(NUMBERS, key=len, reverse=True))
        + r")(?: (?:one|two|three|four|five|six|seven|eight|nine))?)")
UNIT = r"(second|minute|hour|day|week|month|year|decade|centurie|century)s?"
PART = r"(?: (?:morning|afternoon|evening|night|local time|at dawn|at noon|at midnight))*"

ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DAY_NAME = rf"(?:(?:last |next |this |coming )?{WD} )?"  # "next Wednesday, July 31"
MDY = re.compile(rf"{DAY_NAME}(?:the (?:morning|afternoon|evening|night|weekend|week) of )?{MONTH} {ORD}(?: {YR})?")
DMY = re.compile(rf"{DAY_NAME}(?:the )?{ORD} (?:of )?{MONTH}(?: {YR})?")
DAY_RANGE = re.compile(rf"{MONTH} {ORD} ?(?:-|to|through|until|and) ?(?:{MONTH} )?{ORD}(?: {YR})?")
DAY_RANGE_DMY = re.compile(rf"{ORD} ?(?:-|to|and) ?{ORD} {MONTH}(?: {YR})?")
MONTH_PART = re.compile(rf"(?:(early|mid|late) )?{MONTH}(?: (?:of )?{YR})?")
YEAR = re.compile(rf"(?:(early|mid|late) )?(?:the year )?{YR}")
YEAR_RANGE = re.compile(rf"(?:between |from )?{YR} ?(?:-|to|and|through|until) ?(\d{{2}}|{YR[1:-1]})")
DECADE = re.compile(r"(?:the )?(?:(early|mid|late) )?((?:1[5-9]|20)\d)0'?s")
WEEKDAY = re.compile(rf"(?:(early|late) )?(?:(last|this|next|past|coming) )?{WD}{PART}")
DEICTIC = re.compile(rf"(?:(early|late|earlier|later) )?(today|tonight|yesterday|tomorrow|last night|"
                     rf"this (?:morning|afternoon|evening)|the day before yesterday|the day after tomorrow){PART}")
CALENDAR = re.compile(r"(?:(early|mid|late|earlier|later) )?(last|this|next|coming|past|previous) "
                      r"(week|weekend|month|year)")
AGO = re.compile(rf"{NUM} {UNIT} ago")
SPAN = re.compile(rf"the (past|last|previous|next|coming|following) (?:{NUM} )?{UNIT}")
DURATION = re.compile(rf"{NUM} (?:and a half )?{UNIT}(?: long| old)?")
SET = re.compile(rf"(?:every|each) (other )?(?:{NUM} )?"
                 rf"(?:{UNIT}|{WD}s?|(morning|night|evening|summer|winter|spring|autumn|fall))")
TIMES_PER = re.compile(rf"(?:once|twice|thrice|{NUM} times) (?:a|per|each|every) {UNIT}")
VAGUE = re.compile(rf"(?:the )?(?:(?:recent|past|coming|next|last|previous) (?:few|several|many|couple of) {UNIT}"
                   rf"|recent {UNIT})|recently|lately|the recent past|the past|the future|nowadays|these days")
YEAR_MODIFIER = re.compile(rf"the {YR} [a-z][a-z ]*")  # "the 2020 elections"


# ---- counting and calendar arithmetic ----------------------------------------------------


def count(word: Optional[str]) -> Optional[int]:
    """1 for no word, the number a numeral or number words ("twenty three") say, else None."""
    if word is None or word.isdigit():
        return int(word or 1)
    if word in NUMBERS:
        return NUMBERS[word]
    tens, _, unit = word.partition(" ")
    return NUMBERS[tens] + NUMBERS[unit] if NUMBERS.get(tens, 0) >= 20 and 0 < NUMBERS.get(unit, 0) < 10 else None


def period(n: int, unit: str) -> str:
    designator, factor, clock = UNITS[unit]
    return f"PT{n * factor}{designator}" if clock else f"P{n * factor}{designator}"


def month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def day_or_none(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, month_end(year, month).day))


def shift(d: date, n: int, unit: str) -> Optional[date]:
    """``d`` moved by ``n`` units (whole days for hours and shorter)."""
    designator, factor, clock = UNITS[unit]
    if clock:  # "the past 24 hours": the days they touch
        days = -(-abs(n) * {"S": 1, "M": 60, "H": 3600}[designator] // 86400)
        return d + timedelta(days=days if n >= 0 else -days)
    if unit in ("day", "week"):
        return d + timedelta(days=n * (7 if unit == "week" else 1))
    return add_months(d, n * (12 * factor if designator == "Y" else 1))


def week_of(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)
