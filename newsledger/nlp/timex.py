"""Find time expressions in a parsed Doc, and the one that dates a clause.

``find_times(doc, published)`` lists every time expression with its exact
character span, kind, ISO 8601 value and anchor (``records.Time``; the
values are read by ``nlp.times.interpret``, conventions in docs/times.md).
Expressions come from the model's DATE and TIME entities and from the
patterns below, which catch what the small model misses or cuts short:
"since 1995", "late December", "the 2020 elections" (the year), "annual".
A span is the expression without the preposition before it ("on
**Monday**", "for **three years**"), except "since", which changes the value.
Ages ("82 years old", "the age of 55") and counts the model tags DATE ("1900
troops") are not times and are left out.

``clause_date(doc, token, times)`` is the time expression of a token's own
clause ("In 2017, Lukashenko said": the cue's date), or None.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from newsledger.nlp import times as tn
from newsledger.records import Time

ENTITY_LABELS = ("DATE", "TIME")
NUMBER_LABELS = ("CARDINAL", "ORDINAL", "QUANTITY")  # a pattern may still find a time in these
# Modals and verbs that put a clause in the future: a weekday or a month
# without a year there is the next one, not the last ("will meet on Monday").
FUTURE_MODALS = {"will", "shall", "'ll", "wo"}
FUTURE_VERBS = {"plan", "intend", "expect", "schedule", "set", "due", "go", "hope", "aim", "prepare"}
# Dependencies that open a clause of its own: a time inside one dates that clause only.
CLAUSE_DEPS = {"advcl", "ccomp", "relcl", "acl", "xcomp", "conj", "parataxis", "csubj", "pcomp"}
# Adverbs that move a verb joined by "and" off its partner's time: "said in 2017 and later joked".
OTHER_TIME_ADVERBS = {"later", "then", "afterwards", "subsequently", "again", "earlier", "previously", "now", "since"}
# Nouns a bare year modifies as a date ("the 2020 elections"), not as a count ("1900 troops").
YEAR_NOUNS = {"election", "elections", "vote", "referendum", "summit", "war", "coup", "census", "budget", "olympics",
              "games", "campaign", "crisis", "invasion", "agreement", "treaty", "deal", "season", "primary",
              "primaries", "cup", "championship", "championships", "tournament", "festival", "report", "law", "act",
              "protests", "attack", "attacks", "earthquake", "pandemic", "outbreak", "race", "film", "album", "edition"}
# Prepositions after which a four-digit number is a year unless a plural noun follows.
YEAR_PREPOSITIONS = {"in", "since", "during", "until", "till", "before", "after", "through", "from"}
_AGE = re.compile(r"\b(?:years?|months?)[- ]old\b|\bage(?:d| of)\b", re.I)
_YEAR_ONLY = re.compile(r"(?:1[5-9]|20)\d\d")

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
        r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_YR = r"(?:1[5-9]\d\d|20\d\d)"
_NUM = (r"(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
        r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|sixteen|seventeen|eighteen|nineteen|a|an|a few|several|a couple of|hundred)")
_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_PREP = r"(?i:in|on|by|since|until|during|from|before|after|through|of|between|and|to|early|late|mid-?)"
# What the small model misses or cuts short; group "x", when present, is the span.
PATTERNS = [re.compile(p.replace(r"\s", r"[^\S\n]"), f) for p, f in [  # spaces, never a line break
    (rf"\b(?:(?i:last|next|this|past)\s+)?{_WD}{_PART}\b", 0),
    (rf"\b(?:{_WD},?\s+)?{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YR}\b)?"
     rf"(?:(?:\s*[-–]\s*|\s+(?:to|through|until)\s+)(?:{_MON}\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YR}\b)?)?", 0),
    (rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+{_YR})?\b", 0),
    (rf"\b(?:(?i:early|mid|late)-?\s*)?{_MON},?\s+{_YR}\b", 0),
    (rf"\b{_PREP}\s+(?P<x>(?:(?i:early|mid|late)-?\s*)?{_MON})(?![\w-])", 0),
    (rf"\b(?i:early|mid|late)-?\s*(?:{_MON}|{_YR})(?![\w-])", 0),
    (rf"\b{_PREP}\s+(?P<x>{_YR})\b(?![-–/]\d)", 0),
    (rf"\b(?i:the)\s+(?P<x>{_YR})(?=\s+[A-Za-z])", 0),
    (rf"\b(?i:from|between)\s+(?P<x>{_YR}\s*(?:[-–]|to|through|until|and)\s*{_YR})\b", 0),
    (r"\b(?:the\s+)?(?:(?:early|late|mid)-?\s*)?(?:1[5-9]|20)\d0s\b", re.I),
    (rf"\b(?:(?:yesterday|today|tomorrow){_PART}|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b", re.I),
    (r"\b(?:(?:earlier|later|early|late)\s+)?(?:last|next|this|coming)\s+(?:week|weekend|month|year)\b", re.I),
    (rf"\b{_NUM}\s+{_UNIT}\s+ago\b", re.I),
    (rf"\b(?:the\s+)?(?:past|last|previous|next|coming)\s+(?:{_NUM}\s+)?{_UNIT}\b|\brecent\s+{_UNIT}\b", re.I),
    (rf"\b(?:for|within|over|lasting|after)\s+(?P<x>{_NUM}\s+{_UNIT})\b(?!\s+(?:ago|old))", re.I),
    # "a recent interview": a time, but a vague one; its value stays null (docs/times.md)
    (r"\b(?:a|the|his|her|their|its)\s+recent\s+(?:interview|statement|speech|visit|meeting|report|press\s+conference"
     r"|article|op-ed|survey|poll|study|trip|call|talks?)\b", re.I),
    (rf"\b(?:every|each)\s+(?:other\s+)?(?:{_NUM}\s+)?(?:{_UNIT}|{_WD}s?)\b|\b(?:once|twice|{_NUM}\s+times)\s+(?:a|per)"
     rf"\s+{_UNIT}\b|\b(?:annually|annual|yearly|daily|weekly|monthly)\b", re.I),
]]
_EDGE = " \t\n\xa0,.;:!?\"'()[]\u201c\u201d\u2018\u2019"
_LEADING_WORDS = {"on", "in", "at", "by", "during", "of", "for", "within", "over", "from", "until", "about", "around"}


def find_times(doc: Doc, published: Optional[str] = None) -> list[Time]:
    """Every time expression in ``doc``, in text order, read against ``published``
    (an ISO date; None: relative expressions stay unresolved)."""
    out = []
    full = doc.text  # spaCy joins the text on every access: once only
    entities, matched = _candidates(doc, full)
    for start, end in _merge(entities + matched):
        found = _read(doc, full, start, end, published)
        if found is not None and found.value is None:  # the model ran a time into other words: "June 12, minutes"
            inner = [_read(doc, full, s, e, published) for s, e in _pieces(full, start, end, matched)]
            found = max((t for t in inner if t is not None and t.value), key=lambda t: t.end - t.start, default=found)
        if found is not None:
            out.append(found)
    return out


def _read(doc: Doc, full: str, start: int, end: int, published: Optional[str]) -> Optional[Time]:
    text = full[start:end]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not _is_time(text, span, full):
        return None
    future = _future(span.root)
    reading = tn.interpret(text, published, future=future, past=not future and _past(span.root))
    return Time(start=start, end=end, text=text, kind=reading.kind, value=reading.value, anchor=reading.anchor)


def _pieces(text: str, start: int, end: int, matched: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of a span to try when the whole has no value: the pattern matches
    inside it and its comma-separated pieces."""
    out = [(s, e) for s, e in matched if start <= s and e <= end and (s, e) != (start, end)]
    at = start
    for piece in text[start:end].split(", "):
        out.append(_trim(text, at, at + len(piece)))
        at += len(piece) + 2
    return [(s, e) for s, e in out if e > s and (s, e) != (start, end)]


def _candidates(doc: Doc, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the model's DATE and TIME entities, the pattern matches), as character spans."""
    entities = [_trim(text, s, e) for ent in doc.ents if ent.label_ in ENTITY_LABELS for s, e in _lines(text, ent)]
    # a match inside another kind of name is part of that name: "Theresa May", "the Daily Telegraph"
    names = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ not in ENTITY_LABELS + NUMBER_LABELS]
    matched = []
    for rx in PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span("x") if "x" in rx.groupindex else m.span()
            if not any(a <= s and e <= b for a, b in names):
                matched.append((s, e))
    return [_since(text, s, e) for s, e in entities if e > s], [_since(text, s, e) for s, e in matched if e > s]


def _lines(text: str, ent: Span) -> list[tuple[int, int]]:
    """An entity cut at line breaks: the model sometimes runs a dateline into the
    first sentence ("Monday, March 25, 2019\\n\\nFrom March 15 to 17")."""
    out, start = [], ent.start_char
    while (cut := text.find("\n", start, ent.end_char)) >= 0:
        out.append((start, cut))
        start = cut + 1
    out.append((start, ent.end_char))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """An entity's span without edge punctuation, a possessive, or a preposition before it."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if text[start:end].lower().endswith(("'s", "\u2019s")):
        end -= 2
    first = text[start:end].split(" ", 1)
    if len(first) == 2 and first[0].lower() in _LEADING_WORDS:
        start += len(first[0]) + 1
    return start, end


def _since(text: str, start: int, end: int) -> tuple[int, int]:
    """"since" joins the span: "since 1995" runs to the present."""
    return (start - 6, end) if start >= 6 and text[start - 6:start].lower() == "since " else (start, end)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping candidates become one span, their union."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _is_time(text: str, span: Span, full: str) -> bool:
    """Not an age, and not a bare number that counts things rather than dates them."""
    if _AGE.search(text) or _AGE.search(full[max(0, span.start_char - 12):span.start_char] + " "):
        return False
    if re.search(r"[A-Za-z]", text):
        return True
    if _YEAR_ONLY.fullmatch(text):
        return _is_year(span.root) or _after_time_preposition(span) or _dated(span.root)
    return tn.interpret(text).value is not None  # "2020-01-03", "2019-20"; not "79" or "1,000"


def _is_year(tok: Token) -> bool:
    """A bare four-digit number used as a year: after a preposition ("in 2020") or
    modifying a noun of time or office ("the 2020 elections"), never a count."""
    if tok.ent_type_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
        return False
    if tok.dep_ in ("pobj", "npadvmod", "ROOT", "appos", "conj"):
        return True
    return tok.dep_ in ("nummod", "compound", "amod", "nmod") and (
        tok.head.lemma_.lower() in YEAR_NOUNS or tok.i > 0 and tok.nbor(-1).lower_ == "the")


def _dated(tok: Token) -> bool:
    """The model calls a year-shaped number a DATE and it counts nothing: "a 2016
    Rory Peck Awards finalist", not "1900 troops"."""
    return tok.ent_type_ == "DATE" and not (tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS"))


def _after_time_preposition(span: Span) -> bool:
    """A year after "in", "since", "during" ... that no plural noun follows: "in 2004
    then-new owner" (misparsed), not "in 1900 troops"."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end] if span.end < len(doc) else None
    return before in YEAR_PREPOSITIONS and (after is None or after.tag_ not in ("NNS", "NNPS"))


def _verb_of(tok: Token) -> Token:
    """The verb (or the top) that a token hangs from."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _future(tok: Token) -> bool:
    """The clause the expression sits in speaks of the future ("will meet on Monday",
    "is scheduled for March 17", "plans to visit next week")."""
    verb = _verb_of(tok)
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_MODALS for c in verb.children):
        return True
    if verb.lemma_.lower() in ("schedule", "set", "due") and verb.tag_ == "VBN":
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in FUTURE_VERBS


def _past(tok: Token) -> bool:
    """The clause the expression sits in is in the past tense ("began in June",
    "has lived there since May")."""
    verb = _verb_of(tok)
    if verb.tag_ == "VBD":
        return True
    return any(c.dep_ in ("aux", "auxpass") and (c.tag_ == "VBD" or c.lemma_ == "have") for c in verb.children)


# ---- the date of a clause -----------------------------------------------------------------


def clause_date(doc: Doc, token: Token, times: list[Time], kinds: tuple[str, ...] = ("date", "range")) -> Optional[Time]:
    """The time expression of ``token``'s own clause that has a value of one of
    ``kinds``: attached to it through prepositions, noun modifiers or adverbs,
    not inside a clause below it. The nearest wins. A verb joined to another by
    "and" ("arrested on Monday and charged") shares that one's when it has none.
    Datelines (a line holding only a date) date no clause. None when there is none."""
    found = _governed(doc, token, times, kinds)
    if (found is None and token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX") and token.pos_ in ("VERB", "AUX")
            and not any(c.lower_ in OTHER_TIME_ADVERBS for c in token.children)):
        found = _governed(doc, token.head, times, kinds)
    return found


def quote_date(doc: Doc, cue: Token, times: list[Time]) -> Optional[Time]:
    """When a quote was said, as its cue's clause states it ("In 2017, Lukashenko said")."""
    return clause_date(doc, cue, times)


def _governed(doc: Doc, token: Token, times: list[Time], kinds: tuple[str, ...]) -> Optional[Time]:
    best, best_distance, text = None, None, None
    lo, hi = _sentence_chars(token)  # only times in token's sentence can hang from it
    for t in times:
        if t.start < lo or t.end > hi or t.value is None or t.kind not in kinds:
            continue
        text = doc.text if text is None else text  # doc.text joins every token: once, and only if needed
        if _dateline(text, t):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or not _attached(span.root, token):
            continue
        distance = min(abs(token.i - span.start), abs(token.i - (span.end - 1)))
        if best_distance is None or distance < best_distance:
            best, best_distance = t, distance
    return best


def _sentence_chars(token: Token) -> tuple[int, int]:
    """The character bounds of ``token``'s parse tree, which is its sentence
    (``token.sent`` walks every sentence of the doc: 4 ms a call on a long article)."""
    root = token
    while root.head.i != root.i:
        root = root.head
    right = root.right_edge
    return root.left_edge.idx, right.idx + len(right.text)


def _attached(tok: Token, target: Token) -> bool:
    """``tok`` hangs from ``target`` without crossing into a clause of its own."""
    while True:
        if tok.i == target.i:
            return True
        if tok.head.i == tok.i:
            return False
        if tok.dep_ in CLAUSE_DEPS and tok.pos_ in ("VERB", "AUX"):
            return False
        tok = tok.head


def _dateline(text: str, t: Time) -> bool:
    line_start = text.rfind("\n", 0, t.start) + 1
    line_end = text.find("\n", t.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return line.strip(" \xa0\t") == t.text or bool(re.fullmatch(r"[ \xa0]*[A-Z][a-z]+day, .*\d{4}[ \xa0]*", line))
