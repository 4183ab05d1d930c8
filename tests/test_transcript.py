"""Transcript turns (nlp/quotes/transcript.py): each turn is its speaker's words."""

from __future__ import annotations

from newsledger.nlp.quotes.transcript import find_turns

WIKI = (
    "Wikinews spoke with Dr Ana Ruiz about the study.\n\n"
    "((WN))  What did you find?\n\n"
    "((Ana Ruiz))  The rats avoided harming each other.\n\n"
    "((WN))  Was that a surprise?\n\n"
    "((Ana Ruiz))  Yes, people started to say, \"they care.\"\n"
)
BROADCAST = (
    "Partial transcript as follows:\n\n"
    "\"WALLACE: Let's start with the debate.\n\n"
    "\"PENCE: Well, look, this is serious business.\n\n"
    "\"WALLACE: Two questions, then.\n"
)


def spans(text, drafts):
    return [(text[d.speaker[0] : d.speaker[1]], text[d.start : d.end], text[d.cue[0] : d.cue[1]]) for d in drafts]


def test_wikinews_interview_turns():
    turns = spans(WIKI, find_turns(WIKI))
    assert turns[0] == ("WN", "What did you find?", "((WN))")
    assert turns[1] == ("Ana Ruiz", "The rats avoided harming each other.", "((Ana Ruiz))")
    assert len(turns) == 4


def test_broadcast_transcript_turns():
    turns = spans(BROADCAST, find_turns(BROADCAST))
    assert [t[0] for t in turns] == ["WALLACE", "PENCE", "WALLACE"]
    assert turns[1][1] == "Well, look, this is serious business."
    assert turns[1][2] == "PENCE:"


def test_one_label_is_not_a_transcript():
    text = "The council met on Monday.\n\nNOTE: This story was updated.\n\nThe vote is on Friday."
    assert find_turns(text) == []


def test_a_turn_is_a_direct_quote_and_its_inner_quote_keeps_its_own_cue(nlp_extractor):
    record = nlp_extractor.extract_text(WIKI)
    turns = [q for q in record.quotes if q.cue and q.cue.lemma == "label"]
    assert len(turns) == 4 and all(q.kind == "direct" for q in turns)
    assert turns[1].speaker.mention.text == "Ana Ruiz"
    inner = [q for q in record.quotes if q.content.text.startswith("they care")]
    assert len(inner) == 1 and inner[0].cue.lemma == "say"
    in_turns = [q for q in record.quotes if q.kind == "indirect" and any(t.content.start <= q.content.start < t.content.end for t in turns)]
    assert not in_turns  # the turns already hold them
