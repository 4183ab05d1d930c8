"""Interview and debate transcripts: each turn is its speaker's own words.

A transcript gives each turn a speaker label at the start of its paragraph:

    ((Christian Keysers))  Yeah, I think that ...        (Wikinews interviews)
    "WALLACE: Let's start with breaking news ...          (broadcast transcripts)
    Q: ...  A: ...

A paragraph is a turn when it opens with such a label and the article has at
least ``MIN_TURNS`` of them, so that one "NOTE: ..." line is not a transcript.
The turn's text after the label is a direct quote whose cue is the label and
whose speaker mention is the label's name. Quotes and indirect speech found
inside a turn are left to the turn (the whole turn is already attributed).
"""

from __future__ import annotations

import re

from newsledger.nlp.quotes.common import Draft
from newsledger.nlp.quotes.marks import paragraphs

# ((Name)) as Wikinews writes interviews; NAME: in capitals, as broadcast
# transcripts do; an optional opening quote mark before either.
LABEL = re.compile(
    r"""["“]?\s*(?:\(\((?P<wiki>[^()\n]{1,60})\)\)|(?P<caps>[A-Z][A-Z.'’ -]{0,30}[A-Z.]|[QA])\s*:)\s*"""
)
# Fewer labelled paragraphs than this in one article is not a transcript.
MIN_TURNS = 3


def find_turns(text: str) -> list[Draft]:
    """One direct-quote draft per transcript turn, in order."""
    turns = []
    for start, end in paragraphs(text):
        m = LABEL.match(text, start, end)
        if m is None or m.end() >= end:
            continue
        group = "wiki" if m.group("wiki") else "caps"
        name_start, name_end = m.span(group)
        body_end = _trim_end(text, m.end(), end)
        if body_end <= m.end():
            continue
        draft = Draft(kind="direct", pieces=[(m.end(), body_end)], how="turn")
        label_start = name_start - 2 if group == "wiki" else name_start
        label_end = name_end + 2 if group == "wiki" else text.index(":", name_end) + 1
        draft.cue = (label_start, label_end, "label")
        draft.speaker = (name_start, name_end)
        turns.append((group, draft))
    kinds = [g for g, _ in turns]
    return [d for g, d in turns if kinds.count(g) >= MIN_TURNS]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"”"):
        end -= 1
    return end


def outside_turns(drafts: list[Draft], turns: list[Draft]) -> list[Draft]:
    """The drafts a turn does not replace: those clear of every turn, and
    quotes inside a turn with a cue of their own in it ("people started to
    say, “...”"). A quote wrapped around a turn, or crossing one, goes."""
    def kept(d: Draft) -> bool:
        for t in turns:
            if d.start < t.end and t.start < d.end:
                inside = t.start <= d.start and d.end <= t.end
                return inside and d.cue is not None and t.start <= d.cue[0] < t.end
        return True

    return [d for d in drafts if kept(d)]
