"""The PLOVER ontology tables, the event-type classifier and its PLV scoring."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsledger.evaluation import event_sources, plv
from newsledger.events import classify, plover
from newsledger.events import features as feats

# Issue 4's floors on PLV (given pairs).
FLOORS = {"root_accuracy": 0.78, "macro_f1": 0.75, "quad_accuracy": 0.88}


# --- ontology tables -------------------------------------------------------

def test_sixteen_types_fifteen_plv_classes():
    assert len(plover.TYPES) == 16
    assert len(plover.PLV_CLASSES) == 15
    assert plover.plv_class("CONCEDE") == plover.plv_class("RETREAT") == "YIELD"
    assert plover.plv_class("ASSAULT") == "ASSAULT"


def test_quads_and_scores():
    assert [plover.quad(t) for t in ("AGREE", "AID", "ACCUSE", "ASSAULT")] == [1, 2, 3, 4]
    assert plover.quad("SANCTION") == 4 and plover.quad("YIELD") == 2
    assert plover.score("ACCUSE") < 0  # the manual's "+3" is a sign typo
    assert plover.score("ASSAULT", "unconventional") == -10
    assert plover.score("PROTEST", "vandalize") == plover.score("PROTEST")  # no mode value: base
    assert plover.score("CONSULT", "no-such-mode") == plover.score("CONSULT")
    with pytest.raises(ValueError, match="unknown PLOVER event type"):
        plover.quad("FIGHT")


def test_cameo_codes_are_strings_with_leading_zeros():
    assert plover.cameo_code("AGREE") == "03"
    assert plover.cameo_code("ACCUSE", "investigate") == "090"
    assert plover.cameo_code("ASSAULT", "unconventional") == "204"
    assert all(isinstance(plover.cameo_code(t), str) for t in plover.TYPES)


def test_data_files_name_only_known_types():
    for lemma_types in feats.lexicon().values():
        for kinds in lemma_types.values():
            assert kinds <= set(plover.TYPES)
    assert {m.event for m in plover.modes().values()} <= set(plover.TYPES)


def test_cameo2plover_loader(tmp_path):
    table = tmp_path / "c2p.txt"
    table.write_text(
        "# CAMEO to PLOVER conversion table\n\n04: CONSULT\n041: CONSULT, phone,   # Discuss by telephone\n"
        "0311: AGREE,  ,   economic # Express intent to cooperate economically\n"
        "094: ACCUSE, investigate, military; legal # Investigate war crimes\n", encoding="utf-8")
    m = plover.load_cameo2plover(table)
    assert m["04"]["event"] == "CONSULT" and m["04"]["mode"] is None
    assert m["041"] == {"event": "CONSULT", "mode": "phone", "contexts": [], "label": "Discuss by telephone"}
    assert m["0311"]["contexts"] == ["economic"]
    assert m["094"]["contexts"] == ["military", "legal"]


# --- PLV input and scoring ---------------------------------------------------

def test_unmark_plv_sentence():
    text, s, t = event_sources.unmark("<s>Ethiopia</s> said it would allow <t>the World Food Program (WFP) </t>to deliver food.")
    assert text == "Ethiopia said it would allow the World Food Program (WFP) to deliver food."
    assert text[s[0]:s[1]] == "Ethiopia"
    assert text[t[0]:t[1]] == "the World Food Program (WFP)"  # the space inside the tag is dropped
    text, s, t = event_sources.unmark("<s>UN officials</s>, in turn, complained.")
    assert t is None and text[s[0]:s[1]] == "UN officials"


def test_macro_f1_and_score_map_to_plv_classes():
    gold = ["ACCUSE", "ACCUSE", "YIELD", "AID"]
    pred = ["ACCUSE", "REJECT", "RETREAT", "ASSAULT"]
    # ACCUSE: tp1 fn1 -> 2/3; REJECT: fp1 -> 0; YIELD: tp1 -> 1; AID: fn1 -> 0; ASSAULT: fp1 -> 0
    assert plv.macro_f1(gold, [plv.to_plv(p) for p in pred]) == pytest.approx((2 / 3 + 1) / 5)
    s = plv.score(gold, pred, gold_quad=[3, 3, 2, 2])
    assert s["root_accuracy"] == 0.5  # RETREAT counts as YIELD
    assert s["quad_accuracy"] == 0.75  # REJECT is verbal conflict like ACCUSE; ASSAULT is not AID's quad
    assert {"gold": "ACCUSE", "predicted": "REJECT", "n": 1} in s["confusions"]


def test_overlap_of_sentences():
    a = "Ukraine accuses Russia of sending the tanks, training and fighting alongside the separatists."
    assert plv.overlapping([a, "A different sentence altogether."], ["Reuters: " + a]) == [True, False]


# --- scoring code and features -------------------------------------------------

def test_linear_model_softmax_and_binary():
    m = classify.LinearModel.from_json({"classes": ["A", "B"], "features": {"x": [1.0, -1.0]}, "bias": [0.0, 0.0]})
    p = m.proba([classify.Featurized(["x", "unknown"], ("", (0, 0)))])
    assert p[0] == pytest.approx(np.exp([1, -1]) / np.exp([1, -1]).sum())
    b = classify.LinearModel.from_json({"classes": ["CONCEDE", "RETREAT"], "features": {"x": [2.0]}, "bias": [0.0]})
    assert b.proba([classify.Featurized(["x"], ("", (0, 0)))])[0, 1] == pytest.approx(1 / (1 + np.exp(-2)))


def test_bad_span_is_a_one_line_error():
    from newsledger.errors import NewsledgerError

    with pytest.raises(NewsledgerError, match=r"event pair 1: target span \(5, 2\) is not a \(start, end\)"):
        classify.check([classify.Pair("Russia attacked.", (0, 6)), classify.Pair("Russia attacked.", (0, 6), (5, 2))])


def _pair(text: str, source: str, target: str | None) -> classify.Pair:
    s = text.index(source)
    t = text.index(target) if target else None
    return classify.Pair(text, (s, s + len(source)), (t, t + len(target)) if target else None)


@pytest.mark.slow
def test_features_find_trigger_and_lexicon(nlp_extractor):
    pair = _pair("Iranian Foreign Minister Zarif has condemned a U.S. Supreme Court decision.", "Iranian Foreign Minister Zarif", "a U.S. Supreme Court decision")
    doc = nlp_extractor.nlp(pair.text)
    f = feats.sparse_features(doc, pair.source, pair.target)
    assert {"trig=condemn", "lex_trig=ACCUSE", "trig_nsubj=S", "trig_dobj=T", "has_t=True"} <= set(f)
    sentence, trig = feats.views(doc, pair.source, pair.target)
    assert sentence[trig[0]:trig[1]] == "condemned"
    # no pair at all: the sentence's root verb is the trigger
    f = feats.sparse_features(doc, None, None)
    assert "trig=condemn" in f and "has_s=False" in f


@pytest.mark.slow
def test_predict_lite_on_plain_sentences(nlp_extractor):
    pairs = [
        _pair("Russian troops shelled the Ukrainian town of Kharkiv on Monday, killing five people.", "Russian troops", "the Ukrainian town of Kharkiv"),
        _pair("Ukraine accused Russia of violating the ceasefire.", "Ukraine", "Russia"),
        _pair("The Belarusian president met the Russian president in Minsk for talks.", "The Belarusian president", "the Russian president"),
        _pair("Police arrested dozens of opposition activists in the capital.", "Police", "dozens of opposition activists"),
        _pair("The rebels released the three hostages on Friday.", "The rebels", "the three hostages"),
        _pair("The government lifted the curfew.", "The government", None),
    ]
    docs = [nlp_extractor.nlp(p.text) for p in pairs]
    out = classify.predict(pairs, docs=docs, minilm=False)
    assert [p.type for p in out[:5]] == ["ASSAULT", "ACCUSE", "CONSULT", "COERCE", "RETREAT"]
    assert all(p.type in plover.TYPES and 0 < p.confidence <= 1 for p in out)
    assert classify.predict([], minilm=False) == []


def test_committed_artefact_records_cross_validated_figures():
    """The weights file carries the cross-validation figures its script
    measured; both models meet issue 4's PLV floors."""
    meta = json.loads(classify.ARTEFACT.read_text(encoding="utf-8"))
    assert set(meta["models"]) >= {"lite", "yield_split"}
    for kind in ("lite", "full"):
        if kind not in meta["models"]:
            continue
        figures = meta["evaluation"][kind]["plv_cv_plus_gsr"]
        assert figures["n"] == 1050
        for name, floor in FLOORS.items():
            assert figures[name] >= floor, (kind, name, figures[name])
    assert len(meta["models"]["lite"]["classes"]) == 15
    assert classify.ARTEFACT.stat().st_size < 3_000_000


@pytest.mark.slow
@pytest.mark.shared
def test_plv_cross_validation_reproduces_recorded_figures(shared):
    """Re-run the lite model's 5-fold cross-validation on PLV train (GSR added
    to each training fold): about 30 s. Figures match the artefact's record."""
    pytest.importorskip("sklearn")
    d = event_sources.events_dir(shared)
    items = event_sources.load_plv(d / "plv" / "PLV_train.tsv")
    gsr = event_sources.load_gsr(d / "plover_gsr" / "plover_gsr_normalized.jsonl")
    nlp = classify._default_nlp()

    def featurize(examples):
        pairs = [classify.Pair(e.text, e.source, e.target) for e in examples]
        return classify.featurize(classify.parse([e.text for e in examples], nlp), pairs)

    labels = [e.label for e in items]
    pred = plv.cross_validate(featurize(items), labels, [e.text for e in items], dense=False,
                              extra=featurize(gsr), extra_labels=[plover.plv_class(e.label) for e in gsr])
    got = plv.score(labels, pred, [e.quad for e in items])
    recorded = json.loads(classify.ARTEFACT.read_text(encoding="utf-8"))["evaluation"]["lite"]["plv_cv_plus_gsr"]
    for name, floor in FLOORS.items():
        assert got[name] >= floor
        assert got[name] == pytest.approx(recorded[name], abs=0.01)
