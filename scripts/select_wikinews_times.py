"""Choose the time expressions of the Wikinews times test set, mechanically.

    .venv/bin/python scripts/select_wikinews_times.py [--corpus ../shared/corpora/wikinews] [--context]

The rule is in tests/data/wikinews_times.md. Articles are read with the csv
module from wikinews_*.csv (files by name, rows in file order, 295 articles);
offsets are Python str offsets into the CSV ``text`` field. Expressions are
found by the regular expressions below (the "pattern family"), leftmost then
longest first, without overlaps, a "since" just before one joining its span,
and never inside a dateline line (a line holding only "Friday, January 4,
2019"). Pass A: the first expression in every
article whose index is a multiple of 4. Pass B: in every article whose index
is 2 more than a multiple of 8, the first expression of one group of patterns,
the groups taken in turn (calendar dates, years, relative, durations, sets;
when the article has none of the group's, the next group that it has).

Prints one tab-separated line per expression: pass, article index, published
date, pattern, start, end, the expression (and with --context, the text
around it, for labelling). It never prints values: those are written by hand.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "wikinews"

WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
       r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
YR = r"(?:1[89]\d\d|20\d\d)"
SMALL = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen)"
TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
COUNT = rf"(?:\d+|{TENS}|{SMALL}|hundred|several)"
NUM = rf"(?:{COUNT}|a few|a couple of|few|an?)"
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)"
PART = r"(?:morning|afternoon|evening|night)"
PREP = r"(?i:in|by|since|until|during|from|before|after|through)"

# (pattern name, regex, case-insensitive?) ; group "x", when present, is the span
PATTERNS = [
    ("weekday", rf"\b(?:(?i:last|next|this|past)\s+)?{WD}(?:\s+{PART})?\b", False),
    ("month_day", rf"\b(?:{WD},?\s+)?{MON}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{YR}\b)?"
                  rf"(?:(?:\s*[-–]\s*|\s+(?:to|through|until)\s+)(?:{MON}\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{YR}\b)?)?", False),
    ("day_month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MON}(?:,?\s+{YR})?\b", False),
    ("month_year", rf"\b{MON},?\s+{YR}\b", False),
    ("month", rf"\b{PREP}\s+(?P<x>(?:(?i:early|mid|late)-?\s*)?{MON})(?![\w-])", False),
    ("month_part", rf"\b(?i:early|mid|late)-?\s*{MON}(?![\w-])", False),
    ("year", rf"\b{PREP}\s+(?P<x>(?:(?i:early|late|mid)-?\s*)?{YR})\b(?![-–/]\d)", False),
    ("the_year", rf"\b(?i:the)\s+(?P<x>{YR})(?=\s+[A-Za-z])", False),
    ("decade", r"\b(?:the\s+)?(?:(?:early|late|mid)-?\s*)?(?:1[89]|20)\d0s\b", True),
    ("deictic", rf"\b(?:(?:yesterday|today|tomorrow)(?:\s+{PART})?|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b", True),
    ("relative", r"\b(?:(?:earlier|later)\s+)?(?:last|next|this|coming)\s+(?:week|weekend|month|year|decade|season|summer|winter|spring|autumn|fall)\b", True),
    ("ago", rf"\b{NUM}\s+{UNIT}\s+(?:ago|earlier|later)\b", True),
    ("span", rf"\b(?:the\s+)?(?:past|last|previous|next|coming|recent)\s+(?:{NUM}\s+)?{UNIT}\b", True),
    ("duration", rf"\b(?:for|within|over|lasting|after)\s+(?P<x>(?:(?:about|nearly|almost|more than|less than|at least|up to|around)\s+)?{NUM}\s+{UNIT})\b", True),
    ("duration_bare", rf"\b{COUNT}\s+{UNIT}\b(?!\s+(?:ago|earlier|later|old)\b)", True),
    ("duration_adj", rf"\b(?:{COUNT})-(?:second|minute|hour|day|week|month|year|decade)\b(?!-old|\s+old)", True),
    ("set", rf"\b(?:(?:every|each)\s+(?:other\s+)?(?:{NUM}\s+)?(?:{UNIT}|{WD}s?|morning|night|summer|winter)"
            rf"|(?:once|twice|\w+ times)\s+(?:a|per|each|every)\s+{UNIT}|annually|annual|yearly|daily|weekly|monthly)\b", True),
]
REGEXES = [(name, re.compile(p, re.I if ci else 0)) for name, p, ci in PATTERNS]
GROUPS = {  # pass B takes these in turn (weekdays and today/yesterday are pass A's staple)
    "calendar": ("month_day", "day_month", "month_year", "month", "month_part"),
    "year": ("year", "the_year", "decade"),
    "relative": ("relative", "ago", "span"),
    "duration": ("duration", "duration_bare", "duration_adj"),
    "set": ("set",),
}
DATELINE_LINE = re.compile(rf"^[ \xa0]*{WD}, {MON} \d{{1,2}}, {YR}[ \xa0]*$", re.M)


def articles(corpus: Path):
    csv.field_size_limit(sys.maxsize)
    for path in sorted(corpus.glob("wikinews_*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            yield from csv.DictReader(fh)


def matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, pattern) of every expression: leftmost then longest, no overlaps, none in a dateline line."""
    skip = [m.span() for m in DATELINE_LINE.finditer(text)]
    found = []
    for name, rx in REGEXES:
        for m in rx.finditer(text):
            s, e = m.span("x") if "x" in rx.groupindex else m.span()
            if s >= 6 and text[s - 6:s].lower() == "since ":
                s -= 6  # "since 1995" is a range to the present, not the year: the span takes "since"
            if not any(a <= s < b for a, b in skip):
                found.append((s, -(e - s), name, e))
    found.sort()
    out, last_end = [], -1
    for s, _, name, e in found:
        if s >= last_end:
            out.append((s, e, name))
            last_end = e
    return out


def select(corpus: Path) -> list[tuple[str, int, dict, tuple[int, int, str]]]:
    chosen, turn = [], 0
    names = list(GROUPS)
    for i, row in enumerate(articles(corpus)):
        found = matches(row["text"])
        if i % 4 == 0 and found:
            chosen.append(("A", i, row, found[0]))
        elif i % 8 == 2:
            for step in range(len(names)):
                group = GROUPS[names[(turn + step) % len(names)]]
                hit = next((m for m in found if m[2] in group), None)
                if hit:
                    chosen.append(("B", i, row, hit))
                    break
            turn += 1
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder of Wikinews CSV files")
    parser.add_argument("--context", action="store_true", help="also print the text around each expression")
    args = parser.parse_args()
    for pas, i, row, (s, e, name) in select(Path(args.corpus)):
        text = row["text"]
        line = [pas, str(i), row["date"], name, str(s), str(e), text[s:e]]
        if args.context:
            line.append((text[max(0, s - 250):s] + "[[" + text[s:e] + "]]" + text[e:e + 150]).replace("\n", " / "))
        print("\t".join(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
