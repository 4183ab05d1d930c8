"""Issue 4's evaluation floors for the whole coder (the classifier's PLV floors
are in test_events_classify.py, the actor floors in test_events_actors.py).

- ConfliBERT's five CAMEO classes with the whole coder (never trained on
  them; the sentences PLV shares are left out): accuracy and event detection;
- duplicate folding on the hand-labelled Wikinews pairs: over the pairs the
  pipeline coded both mentions of (the ledger's case), over every mention
  coded at its labelled trigger (``fold_pairs.score_given``), and end to end.

Floors are the figures measured when they were set (docs/events.md); raise
them when the coder improves, never lower them without a note.
"""

from __future__ import annotations

import pytest

from newsledger.evaluation import event_sources, fold_pairs, plv
from newsledger.evaluation import events as ev

pytestmark = [pytest.mark.shared, pytest.mark.slow]

FIVE_WAY_ACCURACY = 0.53
FIVE_WAY_DETECTION_PRECISION = 0.78
# Raised from 0.79 / 0.40 when folding became conflict-constrained merging
# with definite-noun anaphora and country words left out of the evidence
# (measured 0.943 / 0.559; docs/events.md "Reading the folding figures").
FOLD_GIVEN_PRECISION = 0.93
FOLD_GIVEN_RECALL = 0.55
# Over the pairs whose two mentions the pipeline itself coded (21 of 125 when
# set): the folding rule on the events the ledger actually holds.
FOLD_CODED_PRECISION = 0.90
FOLD_CODED_RECALL = 0.80
FOLD_END_TO_END_PRECISION = 0.90


def test_headline_flattens_the_report():
    report = {"classifier": {"plv_cv_plus_gsr": {"root_accuracy": 0.8, "macro_f1": 0.7, "quad_accuracy": 0.9},
                             "gsr": {"cv_with_plv": {"type_accuracy_16": 0.6}}},
              "gsr_actors": {"country_accuracy": 0.93}, "conflibert_five_way": {"accuracy": 0.5, "macro_f1": 0.4}}
    head = ev.headline(report)
    assert head["plv_root_accuracy"] == 0.8 and head["gsr_actor_country_accuracy"] == 0.93
    assert head["conflibert_five_way_macro_f1"] == 0.4


def test_sentence_class_ignores_unreal_events():
    from newsledger.records import Event, Mention, Span

    def e(kind, modes, conf):
        return Event(kind, modes, [], 0, 0.0, [], [], Mention(0, 1, "x"), Span(0, 1), None, conf)

    assert ev.sentence_class([]) == "0"
    assert ev.sentence_class([e("ASSAULT", ["hypothetical"], 0.9)]) == "0"
    assert ev.sentence_class([e("ASSAULT", [], 0.4), e("AGREE", [], 0.9)]) == "1"


def test_conflibert_five_way_with_the_coder(shared, nlp_extractor):
    data = event_sources.load_all(shared)
    seen = plv.overlapping([e.text for e in data["conflibert"]], [e.text for e in data["plv"]])
    got = ev.five_way(nlp_extractor, data["conflibert"], seen)
    assert got["n"] > 600
    assert got["accuracy"] >= FIVE_WAY_ACCURACY, got
    assert got["event_detection"]["precision"] >= FIVE_WAY_DETECTION_PRECISION, got


def test_folding_on_labelled_wikinews_pairs(shared, nlp_extractor):
    pairs = fold_pairs.load()
    assert len(pairs) >= 60 and sum(p["same"] for p in pairs) >= 30
    articles = fold_pairs.articles_for(pairs, shared / "corpora" / "wikinews")  # checks every text's hash
    for p in pairs:
        for m in (p["a"], p["b"]):
            (s0, s1), (t0, t1) = m["sentence_span"], m["trigger_span"]
            assert s0 <= t0 < t1 <= s1 and articles[m["url"]].text[t0:t1] == m["trigger"], (p["pair"], m["trigger"])
    given = fold_pairs.score_given(pairs, fold_pairs.code_given(nlp_extractor, pairs, articles))
    assert given["coded"] == given["mentions"]
    assert given["precision"] >= FOLD_GIVEN_PRECISION, given
    assert given["recall"] >= FOLD_GIVEN_RECALL, given
    end = fold_pairs.score(pairs, fold_pairs.code(nlp_extractor, articles))
    assert end["pairs_both_coded"] >= 15, end
    assert end["folding_alone"]["precision"] >= FOLD_CODED_PRECISION, end
    assert end["folding_alone"]["recall"] >= FOLD_CODED_RECALL, end
    assert end["end_to_end"]["precision"] >= FOLD_END_TO_END_PRECISION, end
