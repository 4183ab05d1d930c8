"""The event coder's parts on hand-written sentences: candidates, modes, the
quote an event was said in, and the PLV-style ``pairs`` input of extract."""

from __future__ import annotations

import json

import pytest

from newsledger.events import candidates, modes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp(nlp_extractor):
    return nlp_extractor.nlp


def _cand(nlp, text: str, lemma: str):
    doc = nlp(text)
    found = [c for c in candidates.find(doc) if c.trigger.lemma_ == lemma]
    assert found, [c.trigger.text for c in candidates.find(doc)]
    return doc, found[0]


def _aux(nlp, text: str, lemma: str, published=None):
    _, c = _cand(nlp, text, lemma)
    return modes.auxiliary(c.trigger, c.offered, published)


def test_conditional_deployment_is_hypothetical(nlp):
    got, _ = _aux(nlp, "In case of a military conflict, Russian troops will be deployed to Belarus.", "deploy")
    assert "hypothetical" in got


def test_if_clause_is_hypothetical_and_would_alone_too(nlp):
    assert "hypothetical" in _aux(nlp, "If talks fail, Iran will attack the tanker.", "attack")[0]
    assert "hypothetical" in _aux(nlp, "Analysts said an embargo could hurt Iran, and Iran might attack the tanker.", "attack")[0]


def test_offer_made_is_not_hypothetical(nlp):
    doc, c = _cand(nlp, "Lukashenko said that he is ready to allow Russian troops in Belarus, if necessary.", "ready")
    assert c.offered
    assert "hypothetical" not in modes.auxiliary(c.trigger, c.offered, None)[0]
    # the offered act is one candidate with the offer, not a second event
    assert not [x for x in candidates.find(doc) if x.trigger.lemma_ == "allow"]


def test_future_and_reported_would(nlp):
    assert _aux(nlp, "Germany will send troops to Lithuania.", "send")[0] == ["future"]
    got = _aux(nlp, "Ebrard said the Mexican government would pressure the U.S. government.", "pressure")[0]
    assert got == ["future"]


def test_counts_are_not_years_and_bad_dates_do_not_crash(nlp):
    assert _aux(nlp, "Russia deployed 1900 troops to Belarus.", "deploy", "2024-03-06")[1] is None
    assert _aux(nlp, "Russian troops attacked Ukraine on 2023-02-30.", "attack", "2024-03-06")[1] is None


def test_future_weekday_is_ahead_and_openings_are_not_datelines(nlp):
    assert _aux(nlp, "Putin and Xi will hold talks on Friday.", "hold", "2024-03-06") == (["future"], "2024-03-08")
    assert _aux(nlp, "Yesterday, Russian troops attacked Ukraine.", "attack", "2024-03-06")[1] == "2024-03-05"


def test_if_clause_verb_and_may_are_hypothetical(nlp):
    assert "hypothetical" in _aux(nlp, "If Russia attacks Ukraine, NATO will respond.", "attack")[0]
    assert "hypothetical" in _aux(nlp, "Russia may attack Ukraine next month.", "attack")[0]


def test_light_verb_noun_is_the_event_not_the_target(nlp):
    doc, c = _cand(nlp, "The United States imposed sanctions on Russia.", "impose")
    assert c.event_noun.text == "sanctions" and doc.text[c.target[0] : c.target[1]] == "Russia"


def test_participant_nouns_are_not_events(nlp):
    doc = nlp("Russian troops attacked Ukraine. Germany's ties with Russia worsened.")
    assert {c.trigger.lemma_ for c in candidates.find(doc)} == {"attack"}


def test_negation(nlp):
    assert "negation" in _aux(nlp, "Israeli forces did not attack the convoy.", "attack")[0]


def test_stated_year_and_historical(nlp):
    # no publication date: a plain past event is not known to be historical ...
    got, year = _aux(nlp, "Ukraine did not recognize Lukashenko's victory in the 2020 elections.", "recognize")
    assert year == "2020" and "historical" not in got
    # ... unless the sentence itself puts it before its present
    got, year = _aux(nlp, "After Ukraine did not recognize Lukashenko's victory in the 2020 elections, "
                          "relations have deteriorated.", "recognize")
    assert year == "2020" and "historical" in got
    got, year = _aux(nlp, "Ukraine did not recognize Lukashenko's victory in the 2020 elections.", "recognize", "2020-08-20")
    assert year == "2020" and "historical" not in got
    got, _ = _aux(nlp, "Ukraine did not recognize Lukashenko's victory in the 2020 elections.", "recognize", "2021-11-30")
    assert "historical" in got


def test_negated_recognition_is_a_refusal(nlp):
    assert modes.NEGATED_TYPES["recognize"] == "REJECT"


def test_possessor_stands_for_a_thing_target(nlp):
    doc, c = _cand(nlp, "Ukraine did not recognize Lukashenko's victory.", "recognize")
    assert doc.text[c.target[0] : c.target[1]] == "Lukashenko"
    assert doc.text[c.source[0] : c.source[1]] == "Ukraine"


def test_passive_agent_is_the_source(nlp):
    doc, c = _cand(nlp, "The rebels are backed by Iran.", "back")
    assert doc.text[c.source[0] : c.source[1]] == "Iran"
    assert doc.text[c.target[0] : c.target[1]] == "The rebels"


def test_refusing_to_comment_is_no_event(nlp):
    doc = nlp("Trump declined to comment on the report.")
    assert not [c for c in candidates.find(doc) if c.trigger.lemma_ == "decline"]


def test_relative_pronoun_is_not_a_party(nlp):
    doc, c = _cand(nlp, "Two people who returned from Italy were tested.", "return")
    assert c.source is None


def test_plover_modes_and_contexts(nlp):
    doc, c = _cand(nlp, "Russia deployed troops and tanks to the border.", "deploy")
    tokens = [t for t in doc if c.target and c.target[0] <= t.idx < c.target[1]]
    assert modes.plover_modes("MOBILIZE", c.trigger, tokens) == ["troops"]
    assert "military" in modes.contexts(c.trigger.sent)


def test_event_in_a_quote_links_to_it(nlp_extractor):
    record = nlp_extractor.extract_text(
        'Zelensky said: "Russian troops attacked Kharkiv yesterday." Russia denied the claim.')
    attacks = [e for e in record.events if e.type == "ASSAULT"]
    assert attacks and attacks[0].quote is not None
    assert record.quotes[attacks[0].quote].speaker.name == "Zelensky"


def test_extract_pairs_give_pair_events(nlp_extractor):
    from newsledger.cli.jsonl import extract_lines

    text = "Iraqi forces shelled Kurdish positions near Kirkuk."
    line = json.dumps({"id": "p1", "text": text, "pairs": [
        {"source": {"start": 0, "end": 12}, "target": {"start": 21, "end": 37}},
        {"source": {"start": 0, "end": 12}, "target": None},
    ]})
    out = list(extract_lines([line], nlp_extractor, batch_size=4))
    assert len(out[0]["pair_events"]) == 2
    assert out[0]["pair_events"][0]["type"] == "ASSAULT"


def test_extract_bad_pairs_is_a_line_error(nlp_extractor):
    from newsledger.cli.jsonl import extract_lines

    line = json.dumps({"id": "p2", "text": "short", "pairs": [{"source": {"start": 0, "end": 99}}]})
    out = list(extract_lines([line], nlp_extractor, batch_size=4))
    assert "error" in out[0] and "pairs" in out[0]["error"]


def test_phrasal_verbs_and_things_that_name_a_party(nlp_extractor):
    def coded(text):
        return [(e.type, [a.code for a in e.actor], [a.code for a in e.recipient]) for e in nlp_extractor.extract_text(text).events]

    assert coded("Germany called for the release of Alexei Navalny.") == [("REQUEST", ["DEU"], ["RUS"])]
    assert coded("China cut off trade with Australia.") == [("SANCTION", ["CHN"], ["AUS"])]
