"""Toponym resolution: each place mention to one gazetteer entry, read in its
article's context (docs/places.md, "Resolution").

Given the article text and its toponym spans, ``resolve`` scores every
gazetteer candidate of every mention (``score``) by

1. population, as a prior only (``W_POPULATION`` per order of magnitude);
2. its level (``LEVEL_PRIOR``) and, for a capital called by its own name,
   ``W_CAPITAL``;
3. an explicit parent right after it: "Paris, Texas", "Lexington, Ky."
   (``W_PARENT``), or its use as a parent elsewhere in the article;
4. a word that says its kind ("Washington state", a dateline) (``W_KIND``)
   and the level of the names it is listed with (``W_LIST``);
5. the article's country focus: countries named, states named and demonyms
   used, each country weighted by its share (``W_FOCUS``);
6. states named in the article (``W_ADMIN1``), and a penalty for a town
   reached only through an alternate name (``W_ALTERNATE_NAME``);

in two passes: the first reads the focus from unambiguous evidence, the
second from what the first resolved. One name keeps one sense within an
article (its best-supported reading). A name with no gazetteer entry falls
back, at a coarser level and a low confidence, to its explicit parent, a
place named inside it, or the place the article is about (``_home``), and
otherwise stays unresolved: no point is ever invented.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from newsledger.geo.names import index_key
from newsledger.records import Place

# Weights were set by reading GeoWebNews dev errors (docs/places.md, figures).
W_POPULATION = 1.0  # per order of magnitude of population
# Regions carry no population: their prior stands in for one (a region named
# in news is as likely as a country of about a million people: 6 + 5).
LEVEL_PRIOR = {"country": 5.0, "admin1": 1.0, "city": 0.0, "continent": 3.0, "region": 11.0}
# A town reached through one of its alternate names ("Atlantic" for East
# Rockaway, "White House" for Casablanca) is rarely what news means.
# Big places' alternate names are mostly exonyms ("Mecca" for Makkah): a
# lighter penalty from ALTERNATE_NAME_BIG people up.
W_ALTERNATE_NAME = -4.0
W_ALTERNATE_NAME_BIG = -1.5
ALTERNATE_NAME_BIG = 1_000_000
# Names listed together ("Georgia, Oklahoma and Texas") are of one level:
# this much for a reading at its neighbours' level.
W_LIST = 4.0
# A word around the name that says its kind: "Washington state", "the state
# of Washington", "Hebei province", "the city of Sao Paulo".
W_KIND = 6.0
_KIND_AFTER = {"state": "admin1", "province": "admin1", "region": "admin1", "oblast": "admin1",
               "prefecture": "admin1", "governorate": "admin1", "city": "city"}
_KIND_BEFORE = re.compile(r"\b(state|province|region|city|town|village|mayor|suburb|capital)\s+of\s+(?:the\s+)?$", re.I)
_DATELINE = re.compile(r"(?:,\s*[A-Z][\w.]*\.?)?\)?\s*(?:\(\w+\))?\s*[-–—:,]")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s*(?:the\s+)?")
_LIST_GOES_ON = re.compile(r",?\s+(?:and|or)\s+(?:the\s+)?[A-Z]")
_KIND_OF = {"state": "admin1", "province": "admin1", "region": "admin1"}
# National capitals are named far more than their size says ("Washington"),
# when called by their own name (not "Mexico" for Mexico City).
W_CAPITAL = 3.0
W_PARENT = 12.0  # "City, State": the named parent settles it
W_FOCUS = 6.0  # times the candidate country's share of the article's country evidence
W_ADMIN1 = 1.5  # the candidate's state is named elsewhere in the article
# Demonyms and country names count once each toward the focus; states and
# unambiguous cities count half (they say less about what the article is about).
FOCUS_WEIGHT = {"country": 1.0, "demonym": 1.0, "admin1": 0.5, "city": 0.5}
# Confidence of a fallback to a parent's level (the mention itself is not in the gazetteer).
FALLBACK_CONFIDENCE = 0.3
# A name the gazetteer lacks, in an article about one place, is placed there
# at that place's level: at least this share of the article's city mentions
# (or of its country evidence) must point to it. Set on GeoWebNews dev.
HOME_CITY_SHARE = 0.5
HOME_COUNTRY_SHARE = 0.4
HOME_CONFIDENCE = 0.2
# A place named inside a longer name counts if it is at least this big
# ("Manchester City", not "Air" in "Air Balloon").
INNER_MIN_POPULATION = 100_000
# A reading with no rival is still only as good as the gazetteer.
MAX_CONFIDENCE = 0.95

_PARENT = re.compile(r"\s*,\s*((?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")
_TRIM_LEAD = re.compile(r"^(?:the)\s+", re.I)
_TRIM_TAIL = re.compile(r"(?:['’]s?)$")


@dataclass
class Span:
    start: int
    end: int
    metonymic: bool = False


def clean(surface: str) -> str:
    """The name to look up: no leading "the", no possessive."""
    return _TRIM_TAIL.sub("", _TRIM_LEAD.sub("", surface.strip())).strip()


@dataclass
class _Mention:
    name: str  # as looked up (``clean``)
    cands: list  # gazetteer entries
    parent: object  # the entry a ", Parent" after it names, or None
    inner: bool = False  # cands are of a place named inside it ("Arizona State University")
    kind: Optional[str] = None  # the level a word around it says ("Washington state": admin1)
    listed: tuple = ()  # indexes of the mentions it is listed with ("Georgia, Oklahoma and Texas")
    peers: tuple = ()  # the levels its list neighbours were read at (set between passes)


@dataclass
class _Context:
    focus: dict  # country -> share of the article's country evidence
    admin1s: set  # (country, admin1 code) of the states the article names
    parents: dict  # name -> the entry it named as a parent ("Tacoma, Washington")


def resolve(text: str, spans: Sequence[Span], gaz) -> list[Place]:
    """One Place per span, in the order given."""
    mentions = []
    for s in spans:
        name = clean(text[s.start:s.end])
        cands, inner = _candidates(gaz, name), False
        if not cands:
            cands, inner = _inner(gaz, name), True
        mentions.append(_Mention(name, cands, _parent(text, s, gaz), inner, _kind(text, s)))
    first = [_unambiguous(m) for m in mentions]
    parents = {index_key(e.name): e for e in (m.parent for m in mentions) if e is not None}
    ctx = _Context(_focus(text, first, gaz), _named_admin1(first), parents)
    _link_lists(text, spans, mentions)
    chosen = [_best(m, ctx) for m in mentions]
    ctx.focus, ctx.admin1s = _focus(text, chosen, gaz), _named_admin1(chosen)
    for m in mentions:
        m.peers = tuple(chosen[j].level for j in m.listed if chosen[j] is not None)
    chosen = _one_sense(mentions, [_best(m, ctx) for m in mentions], ctx)
    home = _home(chosen, ctx)
    return [_place(text, s, e, m, ctx, home) for s, e, m in zip(spans, chosen, mentions)]


def _home(chosen: Sequence, ctx: _Context):
    """The place the article is about, for names below the gazetteer's
    coverage ("Frenchmen Street"): its city when one city has at least
    HOME_CITY_SHARE of the city mentions, else its country when that country
    has at least HOME_COUNTRY_SHARE of the evidence, else None."""
    cities = Counter(e for e in chosen if e is not None and e.level == "city")
    if cities:
        top, n = cities.most_common(1)[0]
        if n / sum(cities.values()) >= HOME_CITY_SHARE:
            return top
    countries = [e for e in chosen if e is not None and e.level == "country"]
    if ctx.focus:
        code, share = max(ctx.focus.items(), key=lambda kv: kv[1])
        if share >= HOME_COUNTRY_SHARE:
            return next((e for e in countries if e.country == code), None)
    return None


def _candidates(gaz, name: str) -> list:
    """The gazetteer's readings of a name; a demonym ("Canadian") reads as its country."""
    if not name:
        return []
    found = gaz.candidates(name)
    code = gaz.demonym(name)
    if code and not any(e.level in ("country", "continent") for e in found):
        country = gaz.country(code)
        return [country] if country else found
    return found


def _kind(text: str, span: Span) -> Optional[str]:
    """The level the words right around a mention name, if any. A dateline
    ("NEW YORK (AP) -", "WASHINGTON —" opening the article) names a city."""
    if _DATELINE.match(text, span.end) and not text[:span.start].strip(" \n\t(\"'"):
        return "city"
    after = text[span.end:span.end + 12].split()
    if after and after[0].lower().strip(".,;") in _KIND_AFTER:
        return _KIND_AFTER[after[0].lower().strip(".,;")]
    m = _KIND_BEFORE.search(text[max(0, span.start - 24):span.start])
    if m:
        return _KIND_OF.get(m.group(1).lower(), "city")
    return None


def _inner(gaz, name: str) -> list:
    """Readings of the longest place named inside a name the gazetteer lacks
    ("British Embassy Tokyo", "Arizona State University", "Western US"): the
    coarser place it lies in. Only states, countries and big cities count."""
    words = name.split()
    for n in range(len(words) - 1, 0, -1):
        for i in range(len(words) - n + 1):
            part = " ".join(words[i:i + n])
            if not part[:1].isupper():
                continue
            found = [e for e in gaz.candidates(part) if e.level != "city" or e.population >= INNER_MIN_POPULATION]
            if found:
                return found
    return []


def _parent(text: str, span: Span, gaz):
    """The entry a ", Parent" right after the mention names (a state or a
    country; not the same name again: "the City of Santa Ana, the Santa Ana
    School District" is no parent)."""
    m = _PARENT.match(text, span.end)
    if not m:
        return None
    if _LIST_GOES_ON.match(text, m.end()):
        return None  # "Mexico, the US, and Canada": a list, not a parent
    own = index_key(clean(text[span.start:span.end]))
    words = m.group(1).split()
    for n in range(len(words), 0, -1):  # longest name first: "New South Wales" before "New"
        name = clean(" ".join(words[:n]))
        if index_key(name) == own:
            continue
        for e in gaz.candidates(name):
            if e.level in ("admin1", "country"):
                return e
    return None


def _link_lists(text: str, spans: Sequence[Span], mentions: list) -> None:
    """Mark mentions that stand next to each other in a list ("Georgia,
    Oklahoma, Pennsylvania and Texas"): their readings share a level, and no
    item is the parent of the one before ("Mexico, the US, and Canada"). A
    list has three items, or two joined by "and"/"or"; "Santa Ana,
    California" is a place and its parent, not a list."""
    order = sorted(range(len(spans)), key=lambda k: spans[k].start)
    spans = [spans[k] for k in order]
    mentions = [mentions[k] for k in order]
    chain = [0]
    for i in range(1, len(spans) + 1):
        if i < len(spans) and _LIST_GAP.fullmatch(text[spans[i - 1].end:spans[i].start]):
            chain.append(i)
            continue
        gaps = [text[spans[a].end:spans[b].start] for a, b in zip(chain, chain[1:])]
        if len(chain) >= 3 or any(re.search(r"\b(?:and|or)\b", g) for g in gaps):
            for j in chain:
                mentions[j].listed = tuple(order[k] for k in (j - 1, j + 1) if k in chain)
                mentions[j].parent = None
        chain = [i]


def _unambiguous(m: _Mention):
    """The one reading of a name that has a single reading above city level
    ("Kentucky", "Russia"; not "Georgia"), or a single reading at all."""
    big = [e for e in m.cands if e.level != "city"]
    if len(big) == 1 or len(m.cands) == 1:
        return big[0] if big else m.cands[0]
    return None


def _named_admin1(readings: Iterable) -> set:
    """(country, admin1 code) of every reading that is a state."""
    return {(e.country, e.admin1_code) for e in readings if e is not None and e.level == "admin1"}


def _focus(text: str, readings: Sequence, gaz) -> dict[str, float]:
    """Each country's share of the article's country evidence: the first pass
    counts unambiguous names only, the second what the first resolved."""
    votes: Counter = Counter()
    for entry in readings:
        if entry is not None and entry.country:
            votes[entry.country] += FOCUS_WEIGHT.get(entry.level, 0.5)
    for word in set(re.findall(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\b", text)):
        code = gaz.demonym(word)
        if code:
            votes[code] += FOCUS_WEIGHT["demonym"]
    total = sum(votes.values())
    return {k: v / total for k, v in votes.items()} if total else {}


def score(entry, m: _Mention, ctx: _Context) -> float:
    """The support for reading mention ``m`` as ``entry`` (module docstring)."""
    s = W_POPULATION * math.log10(max(entry.population, 1)) + LEVEL_PRIOR.get(entry.level, 0.0)
    if entry.feature_code == "PPLC" and entry.name.casefold() == m.name.casefold():
        s += W_CAPITAL
    if m.parent is not None and _within(entry, m.parent):
        s += W_PARENT
    if ctx.parents.get(index_key(m.name)) == entry:
        s += W_PARENT / 2  # named as a parent elsewhere ("Tacoma, Washington"): that reading
    if entry.level == "city" and index_key(entry.name) != index_key(m.name):
        s += W_ALTERNATE_NAME_BIG if entry.population >= ALTERNATE_NAME_BIG else W_ALTERNATE_NAME
    if m.kind is not None and entry.level == m.kind:
        s += W_KIND
    if m.peers:
        s += W_LIST * m.peers.count(entry.level) / len(m.peers)
    s += W_FOCUS * ctx.focus.get(entry.country, 0.0)
    if entry.level == "city" and (entry.country, entry.admin1_code) in ctx.admin1s:
        s += W_ADMIN1
    return s


def _within(entry, parent) -> bool:
    if entry.geonameid == parent.geonameid:
        return False
    if parent.level == "country":
        return entry.country == parent.country
    return entry.country == parent.country and entry.admin1_code == parent.admin1_code


def _best(m: _Mention, ctx: _Context):
    return max(m.cands, key=lambda e: score(e, m, ctx)) if m.cands else None


def _one_sense(mentions: Sequence[_Mention], chosen: list, ctx: _Context) -> list:
    """One name, one reading per article: the reading with the strongest
    support among its mentions (a "Paris, Texas" settles every later "Paris")."""
    best: dict[str, tuple[float, object]] = {}
    for m, e in zip(mentions, chosen):
        if e is not None:
            s = score(e, m, ctx)
            key = m.name.casefold()
            if key not in best or s > best[key][0]:
                best[key] = (s, e)
    return [best[m.name.casefold()][1] if e is not None else None for m, e in zip(mentions, chosen)]


def _confidence(entry, m: _Mention, ctx: _Context) -> float:
    """How much the chosen reading beats the next best: a logistic of the score margin."""
    rivals = [score(e, m, ctx) for e in m.cands if e is not entry]
    if not rivals:
        return MAX_CONFIDENCE
    margin = score(entry, m, ctx) - max(rivals)
    return round(min(MAX_CONFIDENCE, 1.0 / (1.0 + math.exp(-margin))), 3)


def _place(text: str, span: Span, entry, m: _Mention, ctx: _Context, home) -> Place:
    surface = text[span.start:span.end]
    if entry is not None:
        confidence = FALLBACK_CONFIDENCE if m.inner else _confidence(entry, m, ctx)
    elif m.parent is not None:
        entry, confidence = m.parent, FALLBACK_CONFIDENCE
    elif home is not None:
        entry, confidence = home, HOME_CONFIDENCE
    else:
        return Place(span.start, span.end, surface, metonymic=span.metonymic)
    return Place(
        start=span.start, end=span.end, text=surface, name=entry.name,
        geonameid=entry.geonameid if entry.geonameid > 0 else None,  # regions have no GeoNames id
        lat=entry.lat, lon=entry.lon, country=entry.country, admin1=entry.admin1,
        feature=f"{entry.feature_class}.{entry.feature_code}", level=entry.level,
        metonymic=span.metonymic, confidence=confidence,
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
