"""Indirect attributions (newsledger/nlp/quotes/indirect.py, cues.py, sources.py)
on small hand-written sentences: each form the issue lists, the bounds of
content and source, and the no-source case with a null speaker.

Every sentence is invented for the test; no news text is copied.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from newsledger.records import Quote, Record

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def run(extractor, text: str) -> Record:
    record = extractor.extract_text(text)
    for q in record.quotes:  # every span is the slice of the text it points at
        assert text[q.content.start : q.content.end] == q.content.text
        assert all(text[s.start : s.end] for s in q.segments)
        if q.cue is not None:
            assert text[q.cue.start : q.cue.end] == q.cue.text
        if q.speaker.mention is not None:
            assert text[q.speaker.mention.start : q.speaker.mention.end] == q.speaker.mention.text
    return record


def indirect(extractor, text: str, cue: str) -> Quote:
    """The one indirect quote whose cue text is ``cue``."""
    record = run(extractor, text)
    hits = [q for q in record.quotes if q.kind == "indirect" and q.cue is not None and q.cue.text == cue]
    assert len(hits) == 1, [(q.kind, q.cue and q.cue.text, q.content.text) for q in record.quotes]
    return hits[0]


def speaker_text(q: Quote) -> str | None:
    return q.speaker.mention.text if q.speaker.mention else None


# ---- forms ----------------------------------------------------------------------


def test_x_said_that(nlp_extractor):
    q = indirect(nlp_extractor, "The mayor said that the bridge would reopen in May.", "said")
    assert q.content.text == "the bridge would reopen in May"
    assert speaker_text(q) == "The mayor"


def test_x_said_without_that(nlp_extractor):
    q = indirect(nlp_extractor, "Anna Keller said the council had approved the budget.", "said")
    assert q.content.text == "the council had approved the budget"
    assert speaker_text(q) == "Anna Keller" and q.speaker.name == "Anna Keller"


def test_trailing_x_said(nlp_extractor):
    q = indirect(nlp_extractor, "The budget will be cut by a tenth next year, the minister said.", "said")
    assert q.content.text == "The budget will be cut by a tenth next year"
    assert speaker_text(q) == "the minister"


def test_x_told_an_outlet(nlp_extractor):
    q = indirect(nlp_extractor, "Mark Olsen told Reuters that the company would close two plants.", "told")
    assert q.content.text == "the company would close two plants"
    assert speaker_text(q) == "Mark Olsen"


def test_according_to(nlp_extractor):
    q = indirect(nlp_extractor, "According to the ministry, exports fell by six percent in March.", "According to")
    assert q.content.text == "exports fell by six percent in March"
    assert speaker_text(q) == "the ministry"


@pytest.mark.parametrize("verb", ["warned", "insisted", "argued", "claimed"])
def test_speech_verbs_with_a_clause(nlp_extractor, verb):
    q = indirect(nlp_extractor, f"The governor {verb} that the new law would protect tenants.", verb)
    assert q.content.text == "the new law would protect tenants"
    assert speaker_text(q) == "The governor"


def test_in_a_statement(nlp_extractor):
    q = indirect(nlp_extractor, "In a statement, the company said it would appeal the ruling.", "said")
    assert q.content.text == "it would appeal the ruling"
    assert speaker_text(q) == "the company"


def test_organisation_and_unnamed_group_sources(nlp_extractor):
    q = indirect(nlp_extractor, "Police said two men were arrested near the station.", "said")
    assert speaker_text(q) == "Police" and q.content.text == "two men were arrested near the station"
    q = indirect(nlp_extractor, "Officials told reporters that the border would stay closed.", "told")
    assert speaker_text(q) == "Officials" and q.content.text == "the border would stay closed"


def test_called_for_takes_the_object_of_for(nlp_extractor):
    q = indirect(nlp_extractor, "The union called for an immediate end to the strike.", "called for")
    assert q.content.text == "an immediate end to the strike"
    assert speaker_text(q) == "The union"


def test_parenthetical_attribution_gives_two_segments(nlp_extractor):
    text = "The new plant, the company said, will employ four hundred people."
    q = indirect(nlp_extractor, text, "said")
    assert [text[s.start : s.end] for s in q.segments] == ["The new plant", "will employ four hundred people"]
    assert speaker_text(q) == "the company"


def test_headline_name_and_colon(nlp_extractor):
    text = "Keller: Council Will Approve The Budget In May.\n\nThe council meets on Monday."
    q = indirect(nlp_extractor, text, ":")
    assert speaker_text(q) == "Keller"
    assert q.content.text == "Council Will Approve The Budget In May"


# ---- bounds ---------------------------------------------------------------------


def test_content_has_no_cue_speaker_or_that(nlp_extractor):
    text = "Rita Moss, a spokeswoman for the airline, said on Monday that all flights would resume."
    q = indirect(nlp_extractor, text, "said")
    assert q.content.text == "all flights would resume"
    for word in ("said", "Moss", "that "):
        assert word not in q.content.text


def test_source_keeps_title_and_appositive(nlp_extractor):
    text = "Rita Moss, a spokeswoman for the airline, said all flights would resume."
    q = indirect(nlp_extractor, text, "said")
    assert speaker_text(q) == "Rita Moss, a spokeswoman for the airline"
    assert q.speaker.name == "Rita Moss"


def test_source_leaves_out_a_relative_clause_after_a_comma(nlp_extractor):
    text = "Paul Grant, who ran the agency until 2019, said the rules were too loose."
    q = indirect(nlp_extractor, text, "said")
    assert speaker_text(q) == "Paul Grant"


def test_conjoined_verb_continues_the_content(nlp_extractor):
    text = "The minister said the army is ready to help, but sees no need for troops."
    q = indirect(nlp_extractor, text, "said")
    assert q.content.text == "the army is ready to help, but sees no need for troops"
    record = run(nlp_extractor, text)
    assert len([x for x in record.quotes if x.kind == "indirect"]) == 1


def test_lone_pronoun_content_is_not_a_quote(nlp_extractor):
    record = run(nlp_extractor, "He said this on Monday.")
    assert [q for q in record.quotes if q.kind == "indirect"] == []


# ---- no source ------------------------------------------------------------------


def test_no_source_gives_a_null_speaker(nlp_extractor):
    q = indirect(nlp_extractor, "It was reported that the factory would close next year.", "was reported")
    assert q.content.text == "the factory would close next year"
    assert q.speaker.mention is None and q.speaker.name is None


def test_seems_takes_its_subject_into_the_content(nlp_extractor):
    q = indirect(nlp_extractor, "The plan seems to have lost the support of the council.", "seems")
    assert norm(q.content.text).startswith("the plan")
    assert q.speaker.mention is None


# ---- units ----------------------------------------------------------------------


def test_widen_speakers_gives_the_full_source(nlp_extractor):
    from newsledger.nlp.quotes.common import Draft
    from newsledger.nlp.quotes.sources import widen_speakers

    text = '"We will win," said former state senator Paula Brandt.'
    doc = nlp_extractor.nlp(text)
    start = text.index("Paula")
    draft = Draft(kind="direct", pieces=[(1, 13)], cue=(16, 20, "say"), speaker=(start, len(text) - 1))
    widen_speakers(doc, [draft])
    assert text[draft.speaker[0] : draft.speaker[1]] == "former state senator Paula Brandt"


def test_without_weights_the_rules_still_find_said_that(nlp_extractor, monkeypatch, tmp_path):
    from newsledger.nlp.quotes import cues
    from newsledger.nlp.quotes.indirect import find_indirect

    monkeypatch.setattr(cues, "WEIGHTS", tmp_path / "missing.json")
    cues.load_model.cache_clear()
    try:
        text = "The mayor said that the bridge would reopen in May."
        drafts = find_indirect(nlp_extractor.nlp(text), [])
        assert [text[d.start : d.end] for d in drafts] == ["the bridge would reopen in May"]
    finally:
        cues.load_model.cache_clear()


def test_sigmoid_score():
    from newsledger.nlp.quotes.cues import sigmoid_score

    assert sigmoid_score(["bias"], {"bias": 0.0}) == 0.5
    assert sigmoid_score(["bias", "x"], {"bias": -1.0, "x": 3.0}) > 0.8
    assert sigmoid_score(["unknown"], {}) == 0.5


def test_weights_file_is_small_and_holds_no_text():
    import json

    from newsledger.nlp.quotes import cues

    data = json.loads(cues.WEIGHTS.read_text(encoding="utf-8"))
    assert cues.WEIGHTS.stat().st_size < 1_000_000
    assert {"cue", "content", "lemmas", "extend", "threshold"} <= set(data)
    assert "PolNeAR train" in data["trained_on"]


def test_training_examples_from_a_hand_made_article(nlp_extractor):
    spec = importlib.util.spec_from_file_location("train_cue_detector", REPO / "scripts" / "train_cue_detector.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    text = "The mayor said the bridge would reopen. The bridge is old."
    article = {
        "text": text,
        "attributions": [
            {
                "cue": {"spans": [[10, 14]]},
                "source": {"spans": [[0, 9]]},
                "content": {"spans": [[15, 38]]},
                "quote_type": "indirect",
            }
        ],
    }
    doc = nlp_extractor.nlp(text)
    cue, content, _ = train.gold_heads(doc, article)[0]
    assert (cue.text, content.text) == ("said", "reopen")
    examples = list(train.cue_examples(doc, article, {"say", "be"}))
    assert sum(label for _, label in examples) == 1
    assert list(train.content_examples(doc, article, {"say"}))
