"""Shared pieces of the quote stages: the draft a stage produces and token helpers."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from newsledger.nlp import lexicons
from newsledger.nlp.quotes.marks import Pieced

# Pronouns and other words that cannot be a speaker mention on their own in
# PolNeAR-style attribution ("it said" is an expletive, not a source).
NON_SPEAKERS = {"this", "there", "what"}
# Longest speaker mention kept, in tokens: relative clauses beyond this are cut.
MAX_SPEAKER_TOKENS = 12


@dataclass
class Draft(Pieced):
    """A quote before speakers are resolved to entities."""

    kind: str
    pieces: list[tuple[int, int]]
    cue: tuple[int, int, str] | None = None  # start, end, lemma
    speaker: tuple[int, int] | None = None  # speaker mention span
    inherited: bool = False  # speaker carried over from the previous quote
    how: str = ""  # which rule found the cue: after, before, parse, colon, dash, according, governing
    quote_ids: list[int] = field(default_factory=list)  # indexes of the QuoteSpans it holds


class TokenIndex:
    """Char offset -> token lookups over one Doc."""

    def __init__(self, doc):
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds Doc.text on every access: keep one copy
        self.starts = [t.idx for t in doc]

    def at(self, char: int) -> int:
        """Index of the token holding ``char`` (or the last one starting before it)."""
        return max(0, bisect_right(self.starts, char) - 1)

    def between(self, start: int, end: int):
        """Tokens that start in [start, end)."""
        i = self.at(start)
        if i < len(self.doc) and self.doc[i].idx < start:
            i += 1
        out = []
        while i < len(self.doc) and self.doc[i].idx < end:
            out.append(self.doc[i])
            i += 1
        return out


def is_cue(token, clausal: bool = False) -> bool:
    """Is this token a speech verb? ``clausal`` admits the verbs that only
    count with a clausal complement ("believe", "call")."""
    plain, needs_clause = lexicons.speech_verbs()
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    return token.lemma_.lower() in plain or (clausal and token.lemma_.lower() in needs_clause)


# Dependencies a subject-less cue climbs through to borrow its governor's
# subject: "X outlined a plan and vowed", "X began by saying", "X tweeted, saying".
CLIMB = ("conj", "xcomp", "advcl", "acl", "pcomp", "prep", "ccomp")
# Words that open a relative or adverbial clause ("an architect who said").
WH_WORDS = frozenset(("who", "which", "that", "where", "when", "whom"))
# Pronouns that can name a speaker when no subject is parsed.
PERSONAL_PRONOUNS = {"he", "she", "they", "we", "i"}


def subject_of(verb):
    """The subject of a speech verb, or the one it borrows from the verb it
    hangs from. A reported clause on the way up ("that X will be, and later
    joked") lends no subject: its subject is content, not the speaker."""
    v, prev_dep = verb, ""
    for depth in range(5):
        # (a "complement" of a verb past a paragraph break is a misparse, not a report)
        reported = depth > 0 and v.dep_ == "ccomp" and not _para_break_between(v.doc, v.i, v.head.i)
        if depth > 0 and v.pos_ in ("NOUN", "PROPN") and prev_dep == "acl":
            # "footage of Hillary Clinton asking, ...": the noun a participle modifies
            return v if _can_speak(v, verb) else None
        if depth > 0 and _subordinate(v) and _set_off_participle(verb):
            # "X did Y to an architect who said ..., saying ...", "X looped the streets
            # where the Panthers played, while chanting ...": the participle set off by
            # a comma goes with the sentence's own subject, not the relative clause's
            main = _main_subject(verb)
            if main is not None:
                return main if _can_speak(main, verb) else None
        if not reported:
            subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                # a time stamp glued on from the line before is a second "subject"
                # ("5:45 p.m. / Gary Johnson's doctor is calling ...")
                return next((c for c in subjects if _can_speak(c, verb)), None)
        if v.dep_ in CLIMB and v.head is not v:
            prev_dep = v.dep_
            v = v.head
        else:
            break
    return None


def _subordinate(v) -> bool:
    """A relative clause or a "where"/"when" clause: its subject is local to it."""
    if v.dep_ == "relcl":
        return True
    return any(c.dep_ in ("advmod", "nsubj") and c.lower_ in WH_WORDS for c in v.children)


def _set_off_participle(verb) -> bool:
    """ "..., saying", "..., while chanting": a present participle after a comma."""
    if verb.tag_ != "VBG" or verb.i == 0:
        return False
    prev = verb.doc[verb.i - 1]
    if prev.lower_ in ("while", "before", "after") and verb.i > 1:
        prev = verb.doc[verb.i - 2]
    return prev.text in (",", "-", "—", "–")


def _main_subject(verb):
    root = verb.sent.root
    return next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)


def _can_speak(subj, verb) -> bool:
    """A parsed subject that cannot be a source: an expletive or relative "it",
    a time stamp ("12:15 p.m. Donald Trump says"), or a word across a paragraph
    break (a parse glued to the line before)."""
    if subj.lower_ in NON_SPEAKERS or subj.ent_type_ in ("DATE", "TIME"):
        return False
    return not _para_break_between(subj.doc, subj.i, verb.i)


def speaker_like(token) -> bool:
    """Can this token head a speaker mention found by proximity alone?"""
    if token.dep_ == "poss" or token.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "CARDINAL", "ORDINAL"):
        return False
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    return token.pos_ == "PROPN"


def mention_span(head) -> tuple[int, int]:
    """The speaker mention around a head token: its entity if it is in one,
    else its noun phrase without relative clauses, capped in length."""
    doc = head.doc
    if head.ent_type_ and head.ent_iob_ != "O":
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                lo, hi = ent.start, ent.end
                while lo < head.i and (doc[lo].is_punct or doc[lo].is_space):
                    lo += 1
                while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
                    hi -= 1
                return _span_chars(doc, lo, hi)
    drop = set()
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "punct", "cc", "conj") and child.i > head.i:
            drop.update(t.i for t in child.subtree)
    # never reach across a paragraph break (a headline glued to the first sentence)
    toks = [t for t in head.subtree if t.i not in drop and not _para_break_between(doc, t.i, head.i)]
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks) + 1
    lo = max(lo, head.i - MAX_SPEAKER_TOKENS)
    hi = min(hi, head.i + MAX_SPEAKER_TOKENS)
    while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return _span_chars(doc, lo, hi)


def _para_break_between(doc, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any("\n" in doc[k].text or "\n" in doc[k].whitespace_ for k in range(lo, hi))


def _span_chars(doc, lo: int, hi: int) -> tuple[int, int]:
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)

