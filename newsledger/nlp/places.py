"""Places: toponyms found in the parse, flagged when metonymic, resolved over
the local gazetteer (docs/places.md).

1. **Recognise** (``find_toponyms``): GPE, LOC and FAC entities, trimmed of
   "the" and possessives; a NORP word ("Russian") is a demonym, not a place.
   Names spaCy's small model tags as something else are taken back when
   the gazetteer knows them well enough (``taken_back``).
2. **Metonymy** (``is_metonymic``): "Moscow said", "Washington imposed
   sanctions", "China's government": the name stands for an actor. It stays
   in ``places``, flagged; it only can't be an event's location.
3. **Resolve** (newsledger.geo.resolve): candidates scored in the article's
   context.
4. **Locate events** (``locate``): an event's place comes from its own
   clause, else its sentence, else (weaker) the article.
"""

from __future__ import annotations

import logging
from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan

from newsledger.geo.resolve import Span, clean, resolve
from newsledger.nlp import lexicons
from newsledger.records import Event, Location, Place

log = logging.getLogger(__name__)

PLACE_LABELS = ("GPE", "LOC", "FAC")
# Other labels the small model gives names that are places ("Harare" as ORG,
# "Cirencester" as PERSON): kept when the gazetteer has a place this big.
TAKE_BACK_LABELS = ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")
# Organisations whose names are also towns somewhere ("NATO"): never places.
# (The EU stays: the gazetteer reads it as Europe, as GeoWebNews does.)
NOT_PLACES = lexicons.words("igos.txt") - {"EU", "E.U.", "European Union"}
TAKE_BACK_MIN_POPULATION = 100_000
# Prepositions after which a proper name the gazetteer knows is read as a place.
PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "near", "outside"})
# Heads whose possessor is an actor, not a place ("Russia's government").
ACTOR_HEADS = lexicons.words("metonymy_heads.txt")
# Confidence of a location found in the event's clause, sentence, or only elsewhere.
LOCATION_CONFIDENCE = {"clause": 0.9, "sentence": 0.7, "article": 0.3}


def places(doc: Doc, gaz) -> list[Place]:
    """Every toponym mention of ``doc``, resolved."""
    spans = find_toponyms(doc, gaz)
    return resolve(doc.text, spans, gaz)


def find_toponyms(doc: Doc, gaz) -> list[Span]:
    surnames = _person_words(doc)
    out: list[Span] = []
    taken = set()
    for ent in doc.ents:
        span = _trimmed(ent)
        if span is None or span.text in surnames:
            continue  # "Sutton would storm ...": a person the model also tagged as a place
        if ent.label_ == "NORP" and gaz.demonym(span.text) and gaz.country(gaz.demonym(span.text)):
            # "a Russian official": not a place, but an associative mention of its
            # country (GeoWebNews' non-literal modifier); never an event's location
            out.append(Span(span.start_char, span.end_char, True))
        elif ent.label_ in PLACE_LABELS and (len(span) > 1 or gaz.is_name(span.text)):
            out.append(Span(span.start_char, span.end_char, is_metonymic(span)))
        elif ent.label_ in TAKE_BACK_LABELS and taken_back(ent, gaz):
            out.append(Span(span.start_char, span.end_char, is_metonymic(span)))
        elif ent.label_ in ("ORG", "FAC") and (inner := _inside(span, gaz)) is not None:
            out.append(inner)  # "St. Louis Police", "University of Kentucky": the place in the name
        else:
            continue
        taken.update(range(span.start, span.end))
    out += _after_preposition(doc, gaz, taken, surnames)
    return sorted(out, key=lambda s: s.start)


def _inside(span: SpacySpan, gaz) -> Optional[Span]:
    """The place an organisation's name starts or ends with ("St. Louis
    Police", "University of Kentucky"): a state, a country or a big city.
    It stands for the organisation's home, so it is metonymic."""
    n = len(span)
    for size in range(n - 1, 0, -1):
        for part in (span[:size], span[n - size:]):
            if part[0].is_title and _big_place(part.text, gaz):
                return Span(part.start_char, part.end_char, True)
    return None


def _big_place(name: str, gaz) -> bool:
    return any(e.level != "city" or e.population >= TAKE_BACK_MIN_POPULATION for e in gaz.candidates(name))


def _person_words(doc: Doc) -> set[str]:
    """The surname of every full PERSON name in the article ("Ashley Sutton":
    "Sutton"), and the organisations that are never places."""
    return {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1} | NOT_PLACES


def _after_preposition(doc: Doc, gaz, taken: set, surnames: set) -> list[Span]:
    """Proper names the model left untagged (or tagged as people or
    organisations) right after a preposition of place: "from Dewsbury",
    "in Castlegar". They count when the gazetteer knows them."""
    out = []
    for tok in doc:
        if tok.lower_ not in PLACE_PREPOSITIONS or tok.i + 1 >= len(doc):
            continue
        first = doc[tok.i + 1]
        if first.i in taken or first.pos_ != "PROPN" or first.ent_type_ in ("PERSON", "DATE", "NORP"):
            continue
        end = first.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and end not in taken and end - first.i < 4:
            end += 1
        span = doc[first.i:end]
        if span.text not in surnames and gaz.is_name(span.text) and not gaz.demonym(span.text):
            out.append(Span(span.start_char, span.end_char, False))
            taken.update(range(span.start, span.end))
    return out


def taken_back(ent: SpacySpan, gaz) -> bool:
    name = clean(ent.text)
    if not name[:1].isupper() or gaz.demonym(name):
        return False
    return any(e.population >= TAKE_BACK_MIN_POPULATION or e.level != "city" for e in gaz.candidates(name))


def _trimmed(ent: SpacySpan) -> Optional[SpacySpan]:
    start, end = ent.start, ent.end
    if ent[0].lower_ == "the":
        start += 1
    if end - start > 1 and ent.doc[end - 1].tag_ == "POS":
        end -= 1
    return ent.doc[start:end] if end > start else None


def is_metonymic(span: SpacySpan) -> bool:
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass", "agent") and root.head.pos_ in ("VERB", "AUX"):
        return root.head.lemma_ in _ACTOR_VERBS()
    if root.dep_ == "poss":
        return root.head.lemma_.lower() in ACTOR_HEADS
    return False


_ACTOR_VERB_CACHE: Optional[frozenset] = None


def _ACTOR_VERBS() -> frozenset:
    """Verbs whose subject acts or speaks: the speech verbs and the metonymy list."""
    global _ACTOR_VERB_CACHE
    if _ACTOR_VERB_CACHE is None:
        speech, _ = lexicons.speech_verbs()
        _ACTOR_VERB_CACHE = frozenset(speech) | lexicons.words("metonymy_verbs.txt")
    return _ACTOR_VERB_CACHE


def locate(doc: Doc, events: list[Event], found: list[Place]) -> None:
    """Set each event's ``location``: the nearest literal, resolved place."""
    usable = [(i, p) for i, p in enumerate(found) if not p.metonymic and p.lat is not None]
    if not usable:
        return
    for ev in events:
        trigger = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        clause = _clause(trigger.root) if trigger is not None else (ev.sentence.start, ev.sentence.end)
        hit = _first_in(usable, clause, "clause") or _first_in(usable, (ev.sentence.start, ev.sentence.end), "sentence")
        if hit is None:
            hit = (_article_place(usable), "article")
        ev.location = _location(found, *hit)


def _clause(token) -> tuple[int, int]:
    """Character bounds of the trigger's own clause: the subtree of its verb."""
    head = token
    while head.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj") and head.head is not head:
        head = head.head
    return head.left_edge.idx, head.right_edge.idx + len(head.right_edge)


def _first_in(usable, bounds: tuple[int, int], source: str):
    for i, p in usable:
        if bounds[0] <= p.start and p.end <= bounds[1]:
            return i, source
    return None


def _article_place(usable) -> int:
    """The place the article names most (then first): the weaker fallback."""
    counts: dict = {}
    for i, p in usable:
        counts.setdefault(p.geonameid or p.name, []).append(i)
    return max(counts.values(), key=lambda idx: (len(idx), -idx[0]))[0]


def _location(found: list[Place], index: int, source: str) -> Location:
    p = found[index]
    fclass, _, fcode = (p.feature or "").partition(".")
    return Location(
        place=index, extracted_place=p.text, resolved_place=p.name, geonameid=p.geonameid, lat=p.lat, lon=p.lon,
        province=p.admin1, country_code=p.country, feature_class=fclass or None, feature_code=fcode or None,
        resolution=p.level, source=source, confidence=round(LOCATION_CONFIDENCE[source] * p.confidence, 3),
    )
