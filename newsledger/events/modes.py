"""The modes and contexts of a coded event, read off the parse of its sentence.

Auxiliary modes (PLOVER manual, "Auxiliary modes"):

- ``negation``: the trigger is negated ("did not attack", "no troops were
  sent"). Some negated triggers are a type of their own instead: refusing to
  recognise or accept is REJECT (``NEGATED_TYPES``), so no mode is added;
- ``hypothetical``: the event is conditional or imagined: an "if"/"unless"
  clause or "in case of"/"in the event of" phrase on the trigger, on a verb
  above it, or on the verb it is conjoined with ("In case of a conflict, ...
  troops will be deployed"), a conditional modal (would, could, might), or a
  hedge on the trigger or a noun above it ("a possible springboard for
  Russia's invasion", ``HEDGES``).
  An offer actually made is not hypothetical: conditions inside what is
  offered ("ready to allow troops if necessary") belong to the offered act,
  which the coder does not record (``candidates.OFFER_LEMMAS``);
- ``future``: "will"/"shall"/"is going to"/"is to"/"plans to" on the trigger;
- ``historical``: the event's own clause states a date that ends more than
  ``HISTORICAL_DAYS`` before publication; with no publication date, a
  stated date on a past-tense clause that the sentence itself puts before
  its present ("after Ukraine did not recognise ... in 2020, relations have
  deteriorated"). The stated date, normalised against
  the publication date (``nlp.times``: "on Friday", "in 2020"), is kept
  as the event's ``date``; relative dates stay None without a publication
  date.

PLOVER modes (``data/mode_cues.tsv``) come from cue lemmas on the trigger,
its arguments and the target phrase; contexts (``data/contexts.tsv``) from
the lemmas of the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from newsledger.nlp import times

DATA = Path(__file__).resolve().parent / "data"
# An event is historical when its stated date ends more than this many days
# before publication: older than the news cycle the article reports on.
HISTORICAL_DAYS = 180

CONDITION_MARKS = {"if", "unless", "whether"}
CONDITION_PHRASES = (("in", "case", "of"), ("in", "the", "event", "of"))
# Modals of possibility and obligation: "may attack", "should sanction" say
# nothing happened.
CONDITIONAL_MODALS = {"would", "could", "might", "may", "should", "must"}
FUTURE_MODALS = {"will", "shall", "'ll"}
# Words that make what they modify a possibility: "a possible invasion", "a
# possible springboard for Russia's invasion", "the potential attack".
HEDGES = {"possible", "potential", "hypothetical", "feared", "likely", "prospective", "would-be"}
FUTURE_VERBS = {"plan", "intend", "expect", "schedule"}  # "X plans to visit", "is scheduled to meet"
# Lemmas whose negation is a type of its own (PLOVER: "all rejections and
# refusals"), so "did not recognize" is REJECT, not a negated SUPPORT.
NEGATED_TYPES = {"recognize": "REJECT", "recognise": "REJECT", "accept": "REJECT", "agree": "REJECT", "ratify": "REJECT",
                 "approve": "REJECT", "allow": "REJECT", "endorse": "REJECT", "support": "REJECT"}
BACKGROUND_MARKS = {"after", "since", "before", "when"}
REPORTING_VERBS = {"say", "tell", "announce", "state", "add", "report", "claim", "warn", "write", "insist", "promise", "vow"}
# Nouns a bare year modifies as a date ("the 2020 elections"), not as a count.
YEAR_NOUNS = {"election", "elections", "vote", "referendum", "summit", "war", "coup", "census", "budget",
              "olympics", "games", "campaign", "crisis", "invasion", "agreement", "treaty", "deal", "season"}
CLAUSE_DEPS = {"advcl", "ccomp", "relcl", "acl", "xcomp", "conj", "parataxis"}
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@lru_cache(maxsize=1)
def mode_cues() -> dict[str, list[tuple[str, frozenset[str]]]]:
    out: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for line in (DATA / "mode_cues.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, mode, words = line.split("\t")
            out.setdefault(kind, []).append((mode, frozenset(words.split("|"))))
    return out


@lru_cache(maxsize=1)
def context_cues() -> list[tuple[str, frozenset[str]]]:
    out = []
    for line in (DATA / "contexts.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, words = line.split("\t")
            out.append((name, frozenset(words.split("|"))))
    return out


def _chain(trigger) -> list:
    """The trigger and the verbs it hangs from within its sentence (conjuncts,
    complements), up to the first speech or clause boundary that reports it."""
    out, tok = [trigger], trigger
    while tok.head.i != tok.i and tok.dep_ in ("conj", "xcomp", "acomp", "aux", "dobj", "pobj", "prep"):
        tok = tok.head
        out.append(tok)
    return out


def _has_condition(tok) -> bool:
    for c in tok.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children):
            return True
        if c.dep_ == "prep":
            words = tuple(t.lower_ for t in c.doc[c.i : c.i + 4])
            if any(words[: len(p)] == p for p in CONDITION_PHRASES):
                return True
    return False


def _is_condition(tok) -> bool:
    """The token is the verb of an "if"/"unless" clause ("If Russia attacks, ...")."""
    return tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in tok.children)


def _modals(tok) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ == "aux" and c.tag_ == "MD"}


def negated(trigger) -> bool:
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    # "no troops were deployed", "never attacked"
    return any(c.lower_ in ("never", "no") and c.dep_ in ("neg", "advmod", "det") for c in trigger.children) or any(
        g.lower_ == "no" and g.dep_ == "det" for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")
        for g in c.children)


def auxiliary(trigger, offered: bool, published: Optional[str]) -> tuple[list[str], Optional[str]]:
    """(auxiliary modes, stated year) of the event whose trigger token is given.
    ``offered``: the trigger is an offer/intent predicate (its own conditions
    only count, not those of what is offered)."""
    modes: list[str] = []
    chain = [] if offered else _chain(trigger)  # an offer made is made, whatever its conditions
    modals = _modals(trigger)
    if "would" in modals and _reported(trigger):  # "said Mexico would pressure": future in the past
        modals = (modals - {"would"}) | {"will"}
    hedged = any(c.dep_ in ("amod", "advmod") and c.lower_ in HEDGES for t in _chain(trigger) for c in t.children)
    conditional = any(_has_condition(t) or _is_condition(t) for t in chain)
    if conditional or (modals & CONDITIONAL_MODALS) or hedged:
        modes.append("hypothetical")
    elif modals & FUTURE_MODALS or _going_to(trigger):
        modes.append("future")
    if negated(trigger):
        modes.append("negation")
    when = stated_date(trigger, published, forward=bool({"future", "hypothetical"} & set(modes)))
    if when and _is_historical(trigger, when, published):
        modes.append("historical")
    return modes, when


def _reported(trigger) -> bool:
    """The trigger's clause is the complement of a verb of saying."""
    tok = trigger
    while tok.dep_ in ("conj", "xcomp") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "ccomp" and tok.head.lemma_.lower() in REPORTING_VERBS


def _going_to(trigger) -> bool:
    head = trigger.head
    if trigger.dep_ == "xcomp" and head.lemma_ in FUTURE_VERBS:
        return True
    return trigger.dep_ == "xcomp" and head.lemma_ == "go" and head.tag_ == "VBG"


def stated_date(trigger, published: Optional[str] = None, forward: bool = False) -> Optional[str]:
    """The event's date as its own clause states it ("in 2020", "on Friday",
    "on January 3"), normalised against the publication date
    (``nlp.times``); not from a clause below it, nor the article's dateline."""
    skip = {d.i for c in trigger.children if c.dep_ in CLAUSE_DEPS for d in c.subtree}
    seen: set[int] = set()
    for t in trigger.subtree:
        if t.i in skip or t.i in seen or _dateline(t):
            continue
        if t.ent_type_ == "DATE":
            ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                seen |= set(range(ent.start, ent.end))
                if len(ent) == 1 and YEAR.fullmatch(t.text) and not _is_year(t):
                    continue  # "deployed 1900 troops": a count the model tagged DATE
                value = times.normalise(ent.text, published, forward=forward)
                if value:
                    return value
        elif YEAR.fullmatch(t.text) and _is_year(t):
            return t.text
    return None


def _is_year(tok) -> bool:
    """A bare four-digit number that is a year: the object of a preposition
    ("in 2020") or a modifier of a noun of time or office ("the 2020
    elections"), never a count ("1900 troops")."""
    if tok.ent_type_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
        return False
    if tok.dep_ in ("pobj", "npadvmod", "ROOT"):
        return True
    return tok.dep_ in ("nummod", "compound", "amod") and tok.head.lemma_.lower() in YEAR_NOUNS


def _dateline(tok) -> bool:
    """A date that opens the article's first sentence ("Monday, July 8, 2019
    On Friday, ..."): the article's dateline, not the event's date. A date
    opening a later sentence ("Yesterday, troops attacked") is the event's."""
    if tok.ent_type_ != "DATE":
        return False
    from newsledger.events.candidates import sentence_of

    first = sentence_of(tok).start
    if first != 0:
        return False
    start, end = tok, tok
    while start.i > first and start.nbor(-1).ent_type_ == "DATE":
        start = start.nbor(-1)
    while end.i + 1 < len(tok.doc) and end.nbor(1).ent_type_ == "DATE":
        end = end.nbor(1)
    # a full date with its year, as a dateline is ("Monday, July 8, 2019"), not "Yesterday, ..."
    return start.i == first and bool(YEAR.search(tok.doc[start.i : end.i + 1].text))


def _is_historical(trigger, when: str, published: Optional[str]) -> bool:
    """The stated date ends more than HISTORICAL_DAYS before publication; with
    no publication date, a stated date on a past-tense trigger."""
    pub = times.published_day(published)
    if pub is not None:
        bounds = times.date_bounds(when)
        return bounds is not None and (pub - bounds[1]).days > HISTORICAL_DAYS
    return _backgrounded(trigger)


def _backgrounded(trigger) -> bool:
    """With no publication date, the text itself must place the event before
    its present: a past-tense clause under "after"/"since"/"before"/"when"
    whose main verb is present or present perfect ("after Ukraine did not
    recognise ..., relations have deteriorated")."""
    if trigger.dep_ not in ("advcl", "ccomp") or not _opened_by_background_mark(trigger):
        return False
    past = trigger.tag_ in ("VBD", "VBN") or any(c.lemma_ == "do" and c.tag_ == "VBD" for c in trigger.children)
    head = trigger.head
    present = head.tag_ in ("VBZ", "VBP") or any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in head.children)
    return past and present


def _opened_by_background_mark(trigger) -> bool:
    """"after"/"since"/... opens the trigger's clause (the parser hangs it on
    the clause or, as in the seed article, just before it)."""
    if any(m.dep_ == "mark" and m.lower_ in BACKGROUND_MARKS for m in trigger.children):
        return True
    first = trigger.left_edge
    return first.i > 0 and first.nbor(-1).lower_ in BACKGROUND_MARKS


def plover_modes(kind: str, trigger, target_tokens) -> list[str]:
    """The first mode of ``kind`` whose cue is the trigger, an argument of it or a target word."""
    words = {trigger.lemma_.lower(), trigger.lower_}
    words |= {c.lemma_.lower() for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "nsubj", "prt", "attr", "xcomp", "compound", "amod")}
    for c in trigger.children:
        if c.dep_ in ("dobj", "nsubjpass", "nsubj"):
            words |= {g.lemma_.lower() for g in c.children if g.dep_ in ("compound", "amod", "conj")}
    words |= {t.lemma_.lower() for t in target_tokens}
    for mode, cues in mode_cues().get(kind, ()):
        if words & cues:
            return [mode]
    return []


def contexts(sentence) -> list[str]:
    lemmas = {t.lemma_.lower() for t in sentence} | {t.lower_ for t in sentence}
    return [name for name, cues in context_cues() if lemmas & cues]
