"""Statements that are events themselves: a speaker's disapproval inside a quote.

A verb of accusing that reports speech ("Zelensky accused Russia of ...") is
an ordinary candidate. A quote whose own words disapprove ("these Western
scoundrels have no right to reproach us") is an ACCUSE too, by the quote's
speaker, toward whom the words are said of. This module finds those: the
first word of ``data/disapproval.txt`` in a quote's content, and the noun
phrase it names (the word itself when it is a noun, else the subject or
object of its clause). The event's actor is the speaker; its recipient that
phrase, coded or not ("the West" stays uncoded).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from newsledger.records import Quote

WORDS = Path(__file__).resolve().parent / "data" / "disapproval.txt"
# A rule, not a model: the confidence recorded for these events.
CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def disapproval() -> frozenset[str]:
    lines = WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


@dataclass
class Statement:
    quote: int  # index into the article's quotes
    trigger: object  # spaCy Token
    target_token: Optional[object]


def find(doc, quotes: list[Quote]) -> list[Statement]:
    """At most one disapproval statement per quote with a known speaker."""
    words = disapproval()
    out = []
    for qi, q in enumerate(quotes):
        if q.speaker.entity is None:
            continue
        hit = _first_hit(doc, q, words)
        if hit is not None:
            out.append(Statement(qi, hit, _said_of(hit)))
    return out


def _first_hit(doc, q: Quote, words: frozenset[str]):
    for seg in q.segments:
        span = doc.char_span(seg.start, seg.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            if tok.lemma_.lower() in words or tok.lower_ in words:
                return tok
    return None


def _said_of(tok):
    if tok.pos_ in ("NOUN", "PROPN"):
        return tok
    if tok.pos_ == "ADJ":  # "this is outrageous": the subject of its clause
        head = tok.head
        return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return next((c for c in tok.children if c.dep_ in ("dobj", "nsubj")), None)
