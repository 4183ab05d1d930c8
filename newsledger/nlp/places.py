"""Places: toponyms found in the parse, flagged when metonymic, resolved over
the local gazetteer (docs/places.md).

1. **Recognise** (``find_toponyms``): GPE, LOC and FAC entities, trimmed of
   "the", possessives and lowercase words; a NORP word ("Russian") is a
   demonym, not a place. Names spaCy's small model tags as something else
   are taken back when the gazetteer knows them well enough (``taken_back``)
   or when they end with a facility word ("Colchester General Hospital").
   Then datelines ("BEIRUT (AP)"), names after a preposition of place, other
   mentions of a name already found, and one span per name ("Washington,
   D.C.").
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
# Labels the small model gives facilities and streets ("Colchester General
# Hospital" ORG, "Dubonet Drive" PERSON): kept whole when the name ends with a
# word of lexicons/facility_heads.txt.
FACILITY_LABELS = ("ORG", "PERSON", "WORK_OF_ART", "PRODUCT")
FACILITY_HEADS = lexicons.words("facility_heads.txt")
# Nouns after which a proper name is a person ("his brother Tyler").
RELATION_NOUNS = lexicons.words("relation_nouns.txt")
# Words that are some region's name but never a toponym on their own ("Centre", "South").
GENERIC_WORDS = lexicons.words("generic_place_words.txt")
# Prepositions after which a proper name the gazetteer knows is read as a place.
PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "near", "outside", "to"})
# What follows a dateline's place: "BEIRUT (AP)", "WINNIPEG —", "Muscat:".
DATELINE_NEXT = frozenset({",", "(", ")", ":", "-", "--", "—", "–"})
# Words a dateline's place spans at most ("OKLAHOMA CITY", "SOUTH WAZIRISTAN").
DATELINE_MAX_WORDS = 3
# What may separate two spans of one name ("Washington, D.C."), and how many
# proper nouns a span may take after it ("U.S." + "Virgin Islands").
JOIN_GAPS = frozenset({"", " ", ", ", ","})
JOIN_MAX_WORDS = 2
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
# Heads whose possessor is an actor, not a place ("Russia's government").
ACTOR_HEADS = lexicons.words("metonymy_heads.txt")
# Verbs whose subject acts or speaks ("Moscow said", "Washington imposed"):
# the speech verbs and lexicons/metonymy_verbs.txt.
ACTOR_VERBS = lexicons.speech_verbs()[0] | lexicons.words("metonymy_verbs.txt")
# Confidence of a location found in the event's clause, sentence, or only elsewhere.
LOCATION_CONFIDENCE = {"clause": 0.9, "sentence": 0.7, "article": 0.3}


def places(doc: Doc, gaz) -> list[Place]:
    """Every toponym mention of ``doc``, resolved."""
    spans = find_toponyms(doc, gaz)
    return resolve(doc.text, spans, gaz)


def find_toponyms(doc: Doc, gaz) -> list[Span]:
    """The toponym spans of ``doc``, in text order (docs/places.md, section 1)."""
    surnames = _person_words(doc)
    out: list[Span] = []
    taken = set()
    for ent in doc.ents:
        whole = _trimmed(ent)
        parts = _parts(whole, ent.label_, gaz) if whole is not None else []
        for span in parts:
            if span.text in surnames or span.text in GENERIC_WORDS:
                continue  # "Sutton would storm ...": a person the model also tagged as a place
            found = _entity_place(ent.label_, span, gaz, split=len(parts) > 1)
            if found is not None:
                out.append(found)
                taken.update(range(span.start, span.end))
    out += _after_preposition(doc, gaz, taken, surnames)
    out += _datelines(doc, gaz, taken)
    out += _repeated(doc, out, taken)
    out += _loose_demonyms(doc, gaz, taken)
    return _joined(doc, sorted(out, key=lambda s: s.start), gaz, taken)


def _entity_place(label: str, span: SpacySpan, gaz, split: bool = False) -> Optional[Span]:
    """The place an entity (or, ``split``, a part of one) names, if any."""
    if label == "NORP" and gaz.demonym(span.text) and gaz.country(gaz.demonym(span.text)):
        # "a Russian official": not a place, but an associative mention of its
        # country (GeoWebNews' non-literal modifier); never an event's location
        return Span(span.start_char, span.end_char, True)
    if split and not (_is_facility(span) or gaz.is_name(span.text)):
        return None
    if label in PLACE_LABELS and (len(span) > 1 or gaz.is_name(span.text)):
        return Span(span.start_char, span.end_char, is_metonymic(span))
    if label in FACILITY_LABELS and _is_facility(span):
        return Span(span.start_char, span.end_char, is_metonymic(span))
    if label in TAKE_BACK_LABELS and taken_back(span, gaz):
        return Span(span.start_char, span.end_char, is_metonymic(span))
    if split and gaz.is_name(span.text):
        return Span(span.start_char, span.end_char, False)  # "Harare's Third Street": "Harare"
    if label in ("ORG", "FAC"):
        return _inside(span, gaz)  # "St. Louis Police", "University of Kentucky": the place in the name
    return None


def _parts(span: SpacySpan, label: str, gaz) -> list[SpacySpan]:
    """A name the model ran together: places on both sides of a comma
    ("Thruxton, Hampshire"), or a big place's facility ("Harare's Third
    Street": "Harare" and "Third Street")."""
    doc = span.doc
    if label in PLACE_LABELS:
        cuts = [t.i for t in span[1:-1] if t.text == ","]
        if cuts:
            bounds = zip([span.start] + [c + 1 for c in cuts], cuts + [span.end])
            return [doc[a:b] for a, b in bounds if b > a]
    for t in span[1:-1]:
        if (t.tag_ == "POS" or t.text in POSSESSIVES) and _is_facility(doc[t.i + 1:span.end]) \
                and _big_place(doc[span.start:t.i].text, gaz):
            return [doc[span.start:t.i], doc[t.i + 1:span.end]]
    return [span]


def _is_facility(span: SpacySpan) -> bool:
    """"Colchester General Hospital", "Royal Street": a proper name of two
    words or more ending with a facility, street or feature word."""
    return len(span) > 1 and span[0].is_title and span[-1].lower_ in FACILITY_HEADS


def _joined(doc: Doc, spans: list[Span], gaz, taken: set) -> list[Span]:
    """One span for one name the model cut in two: "Washington, D.C." (two
    spans the gazetteer knows together), "U.S. Virgin Islands" (a span and
    the proper nouns after it)."""
    out: list[Span] = []
    text = doc.text  # built anew on every access
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and text[prev.end:span.start] in JOIN_GAPS and gaz.is_name(text[prev.start:span.end]):
            out[-1] = Span(prev.start, span.end, prev.metonymic)
        else:
            out.append(_extended(doc, text, span, gaz, taken))
    return out


def _extended(doc: Doc, text: str, span: Span, gaz, taken: set) -> Span:
    tokens = doc.char_span(span.start, span.end)
    if tokens is None:
        return span
    for end in range(min(len(doc), tokens.end + JOIN_MAX_WORDS), tokens.end, -1):
        after = doc[tokens.end:end]
        if all(t.pos_ == "PROPN" and t.is_title and t.i not in taken for t in after) \
                and gaz.is_name(text[span.start:after.end_char]):
            taken.update(range(tokens.end, end))
            return Span(span.start, after.end_char, span.metonymic)
    return span


def _inside(span: SpacySpan, gaz) -> Optional[Span]:
    """The place an organisation's name starts or ends with ("St. Louis
    Police", "University of Kentucky"): a state, a country or a big city.
    It stands for the organisation's home, so it is metonymic."""
    n = len(span)
    for size in range(n - 1, 0, -1):
        for part in (span[:size], span[n - size:]):
            if part[0].is_title and part.text not in GENERIC_WORDS and not part.text.endswith("-") \
                    and _big_place(part.text, gaz):
                return Span(part.start_char, part.end_char, True)
    return None


def _big_place(name: str, gaz) -> bool:
    return any(e.level != "city" or e.population >= TAKE_BACK_MIN_POPULATION for e in gaz.candidates(name))


def _person_words(doc: Doc) -> set[str]:
    """The surname of every full PERSON name in the article ("Ashley Sutton":
    "Sutton"), a name right after a relative ("his brother Tyler", "his
    wife, Julia"), and the organisations that are never places."""
    words = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.text == "," and tok.i > 1:
            prev = doc[tok.i - 2]
        if tok.pos_ == "PROPN" and tok.is_title and prev.lower_ in RELATION_NOUNS:
            words.add(tok.text)
    return words | NOT_PLACES


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


def _repeated(doc: Doc, found: list[Span], taken: set) -> list[Span]:
    """Other mentions of a name already read as a place in the article
    ("from Cirencester ... Cirencester's council"), where the model tagged
    them as a person or nothing; never inside a longer name, nor as an actor
    ("said Noma": more likely a person with a town's name)."""
    by_first: dict[str, set[str]] = {}
    text = doc.text
    for s in found:
        name = text[s.start:s.end]
        if name[:1].isupper() and not _is_demonym_span(doc, s):
            by_first.setdefault(name.split()[0], set()).add(name)
    out = []
    for tok in doc:
        names = by_first.get(tok.text)
        if not names or tok.i in taken or tok.is_stop:
            continue
        for name in names:
            span = doc.char_span(tok.idx, tok.idx + len(name)) if text.startswith(name, tok.idx) else None
            if span is None or any(i in taken for i in range(span.start, span.end)) or _inside_other(span) \
                    or is_metonymic(span):
                continue
            out.append(Span(span.start_char, span.end_char, False))
            taken.update(range(span.start, span.end))
            break
    return out


def _inside_other(span: SpacySpan) -> bool:
    """Part of a longer entity that is not a place ("Dubai Turf")."""
    for tok in span:
        if tok.ent_type_ and tok.ent_type_ not in PLACE_LABELS:
            ent = next((e for e in span.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None and (ent.start < span.start or ent.end > span.end):
                return True
    return False


def _loose_demonyms(doc: Doc, gaz, taken: set) -> list[Span]:
    """National adjectives the model left out of NORP or put inside a name
    ("Canadian Blood Services", "a Kurdish militia"): associative mentions of
    their country, like the NORP ones."""
    out = []
    for tok in doc:
        if tok.i in taken or not tok.is_title or tok.ent_type_ in ("PERSON", "NORP") or tok.pos_ not in ("ADJ", "PROPN"):
            continue
        country = gaz.demonym(tok.text)
        if country and gaz.country(country):
            out.append(Span(tok.idx, tok.idx + len(tok), True))
            taken.add(tok.i)
    return out


def _is_demonym_span(doc: Doc, s: Span) -> bool:
    span = doc.char_span(s.start, s.end)
    return span is not None and any(t.ent_type_ == "NORP" for t in span)


def _datelines(doc: Doc, gaz, taken: set) -> list[Span]:
    """The place of a dateline: a name in capitals at the start of a line or
    sentence ("BEIRUT (AP) —", "OKLAHOMA CITY The Latest"), or the article's
    first words when a colon or dash follows ("Muscat: The ...")."""
    out = []
    i = 0
    while i < len(doc):
        end = i
        while end < len(doc) and end - i < DATELINE_MAX_WORDS and _capitals(doc[end]) and end not in taken:
            end += 1
        if end > i and _dateline_at(doc, i, end) and gaz.is_name(doc[i:end].text) \
                and not gaz.demonym(doc[i:end].text):
            out.append(Span(doc[i].idx, doc[end - 1].idx + len(doc[end - 1]), False))
            taken.update(range(i, end))
        i = max(end, i + 1)
    out += _opening_name(doc, gaz, taken)
    return out


def _capitals(tok) -> bool:
    """A word in capitals ("BEIRUT", "ST.")."""
    word = tok.text.rstrip(".")
    return tok.is_upper and word.isalpha() and len(word) > 1


def _dateline_at(doc: Doc, start: int, end: int) -> bool:
    before = doc[start - 1] if start else None
    if before is not None and not (before.is_punct or before.is_space or "\n" in before.whitespace_):
        return False
    if len(doc[start:end].text) < 4 or end >= len(doc):
        return False
    after = doc[end]
    if before is not None and before.text == "(" and after.text == ")" and end - start == 1:
        return False  # "(HART)": an acronym
    return _dateline_mark(doc, end) or (start == 0 and after.is_title)


def _dateline_mark(doc: Doc, i: int) -> bool:
    """Punctuation that ends a dateline's place; a dash only when spaced
    ("WINNIPEG —", not "Lin-Manuel")."""
    tok = doc[i]
    return tok.text in DATELINE_NEXT and (tok.text not in "--—–" or bool(doc[i - 1].whitespace_) or tok.text == "--")


def _opening_name(doc: Doc, gaz, taken: set) -> list[Span]:
    """ "Muscat: The 10th ...", "(Red Oak) -- The three ...", "Hanoi (VNA) –"."""
    start = 1 if len(doc) > 1 and doc[0].text == "(" else 0
    end = start
    while end < len(doc) and end - start < DATELINE_MAX_WORDS and doc[end].is_title and end not in taken:
        end += 1
    if end == start or end >= len(doc) or not _dateline_mark(doc, end):
        return []
    span = doc[start:end]
    if not gaz.is_name(span.text) or gaz.demonym(span.text):
        return []
    taken.update(range(start, end))
    return [Span(span.start_char, span.end_char, False)]


def taken_back(ent: SpacySpan, gaz) -> bool:
    name = clean(ent.text)
    if not name[:1].isupper() or gaz.demonym(name):
        return False
    return any(e.population >= TAKE_BACK_MIN_POPULATION or e.level != "city" for e in gaz.candidates(name))


def _trimmed(ent: SpacySpan) -> Optional[SpacySpan]:
    """The name without "the", a possessive, or lowercase words around it
    ("north west London", "the eastern Pacific equatorial region")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    if ent[0].lower_ == "the":
        start += 1
    if end - start > 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].text in POSSESSIVES):
        end -= 1
    while end - start > 1 and doc[start].is_lower and doc[start].is_alpha:
        start += 1
    while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].is_alpha:
        end -= 1
    return doc[start:end] if end > start else None


def is_metonymic(span: SpacySpan) -> bool:
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass", "agent") and root.head.pos_ in ("VERB", "AUX"):
        return root.head.lemma_ in ACTOR_VERBS
    if root.dep_ == "poss":
        return root.head.lemma_.lower() in ACTOR_HEADS
    return False


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
