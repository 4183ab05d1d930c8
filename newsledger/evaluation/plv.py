"""Score the event-type classifier: PLV, the PLOVER gold records, ConfliBERT.

PLV (Zero-Shot-PLOVER, ACL 2024) gives a sentence with a marked source and
target; the task is the PLOVER type of what the source does to the target.
Its 15 classes merge CONCEDE and RETREAT into YIELD, so predictions are mapped
with ``plover.plv_class`` before scoring. Figures:

- **root accuracy**: share of pairs whose predicted class is the gold root;
- **macro-F1**: unweighted mean of per-class F1 over the classes in gold or
  predictions (scikit-learn's ``average="macro"``);
- **quad accuracy**: share whose predicted class's quad equals PLV's gold
  quad (``gold_penta``; it differs from the gold root's quad in 10 of 1,050
  train rows, and the gold column is what is scored).

Only PLV's train split is here (the test split is not used in any form), so
figures are by cross-validation: stratified folds grouped by sentence, the
model fitted on the other folds (plus other data sets, never the scored
fold), as in ``cross_validate``. ``evaluate`` runs the classifier's
figures of docs/events.md (the actor-country baseline is gsr_actors.py); it
needs scikit-learn, and MiniLM for the ``full`` figures.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Optional, Sequence

import numpy as np

from newsledger.errors import MissingDependency
from newsledger.events import plover
from newsledger.events.classify import Featurized, LinearModel

log = logging.getLogger(__name__)

FOLDS = 5
SEED = 0
# Sentences sharing a run of this many words are taken to be the same
# sentence (PLV reuses ConfliBERT's CAMEO sentences: 536 verbatim, 639 by
# 8-word runs).
OVERLAP_NGRAM = 8
# ConfliBERT's five classes (its ``penta`` field).
CONFLIBERT_CLASSES = {"0": "neutral", "1": "verbal cooperation", "2": "material cooperation",
                      "3": "verbal conflict", "4": "material conflict"}


def to_plv(label: str) -> str:
    return plover.plv_class(label)


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    classes = sorted(set(gold) | set(pred))
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def accuracy(gold: Sequence, pred: Sequence) -> float:
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0


def score(gold: Sequence[str], pred: Sequence[str], gold_quad: Optional[Sequence[int]] = None, top: int = 10) -> dict:
    """Root accuracy, macro-F1, quad accuracy (PLV classes) and the most common confusions."""
    g = [to_plv(x) for x in gold]
    p = [to_plv(x) for x in pred]
    quads = list(gold_quad) if gold_quad is not None else [plover.quad(x) for x in g]
    confusions = Counter((a, b) for a, b in zip(g, p) if a != b)
    return {
        "n": len(g),
        "root_accuracy": round(accuracy(g, p), 4),
        "macro_f1": round(macro_f1(g, p), 4),
        "quad_accuracy": round(accuracy(quads, [plover.quad(x) for x in p]), 4),
        "confusions": [{"gold": a, "predicted": b, "n": n} for (a, b), n in confusions.most_common(top)],
    }


def make_folds(labels: Sequence[str], groups: Sequence[str], k: int = FOLDS, seed: int = SEED) -> list[np.ndarray]:
    """Test indices of k stratified folds; items of one group (sentence) stay together."""
    try:
        from sklearn.model_selection import StratifiedGroupKFold
    except ImportError:
        raise MissingDependency("scikit-learn (needed to cross-validate)", "scikit-learn") from None
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [test for _, test in splitter.split(np.zeros(len(labels)), list(labels), list(groups))]


def cross_validate(items: Sequence[Featurized], labels: Sequence[str], groups: Sequence[str], *, dense: bool,
                   extra: Sequence[Featurized] = (), extra_labels: Sequence[str] = (),
                   k: int = FOLDS, seed: int = SEED, fit_kw: Optional[dict] = None) -> list[str]:
    """Out-of-fold predictions: each fold is scored by a model fitted on the
    other folds plus ``extra`` (pairs from other data sets). Labels are fitted
    as given (map them first, e.g. to PLV's classes)."""
    from newsledger.events.train import fit_model

    pred: list[Optional[str]] = [None] * len(items)
    for test in make_folds(labels, groups, k, seed):
        test_set = set(int(i) for i in test)
        train = [i for i in range(len(items)) if i not in test_set]
        model = fit_model([items[i] for i in train] + list(extra), [labels[i] for i in train] + list(extra_labels),
                          dense=dense, **(fit_kw or {}))
        proba = model.proba([items[i] for i in test])
        for row, i in enumerate(test):
            pred[int(i)] = model.classes[int(proba[row].argmax())]
    return [p or "" for p in pred]


def predict_with(model: LinearModel, items: Sequence[Featurized]) -> list[str]:
    proba = model.proba(items)
    return [model.classes[int(r.argmax())] for r in proba]


def split_yield(plv_pred: Sequence[str], split: Optional[LinearModel], items: Sequence[Featurized]) -> list[str]:
    """Turn YIELD into CONCEDE or RETREAT with the binary model."""
    if split is None:
        return list(plv_pred)
    sub = predict_with(split, items)
    return [s if p == plover.PLV_YIELD else p for p, s in zip(plv_pred, sub)]


def evaluate(data: dict, feats: dict, *, dense: bool, k: int = FOLDS, seed: int = SEED) -> dict:
    """Every figure of docs/events.md for one model kind (``dense``: with MiniLM).

    ``data``: {set name: [Example]} from ``event_sources.load_all``;
    ``feats``: {set name: [Featurized]} in the same order (with ``dense``
    vectors when ``dense``). Sets that are missing are skipped."""
    report: dict = {"model": "full (parse + MiniLM)" if dense else "lite (parse features)", "folds": k, "seed": seed}
    plv, gsr = data.get("plv", []), data.get("gsr", [])
    gsr_plv = [to_plv(e.label) for e in gsr]
    if plv:
        labels = [e.label for e in plv]
        groups = [e.text for e in plv]
        pred = cross_validate(feats["plv"], labels, groups, dense=dense, k=k, seed=seed)
        report["plv_cv"] = score(labels, pred, [e.quad for e in plv])
        if gsr:
            pred = cross_validate(feats["plv"], labels, groups, dense=dense, extra=feats["gsr"], extra_labels=gsr_plv, k=k, seed=seed)
            report["plv_cv_plus_gsr"] = score(labels, pred, [e.quad for e in plv])
    if gsr and plv:
        report["gsr"] = _gsr_figures(data, feats, dense=dense, k=k, seed=seed)
    if data.get("conflibert"):
        cfb = data["conflibert"]
        labels = [e.label for e in cfb]
        pred = cross_validate(feats["conflibert"], labels, [e.text for e in cfb], dense=dense, k=k, seed=seed)
        report["conflibert_cv"] = {"n": len(cfb), "accuracy": round(accuracy(labels, pred), 4),
                                   "macro_f1": round(macro_f1(labels, pred), 4)}
        if plv:
            report["conflibert_transfer"] = _conflibert_transfer(data, feats, dense=dense)
    return report


def _yield_model(items: Sequence[Featurized], labels: Sequence[str]) -> Optional[LinearModel]:
    from newsledger.events.train import C_SPLIT, fit_model

    keep = [(it, lab) for it, lab in zip(items, labels) if lab in ("CONCEDE", "RETREAT")]
    if len({lab for _, lab in keep}) < 2:
        return None
    return fit_model([it for it, _ in keep], [lab for _, lab in keep], dense=False, C=C_SPLIT)


def _gsr_figures(data: dict, feats: dict, *, dense: bool, k: int, seed: int) -> dict:
    """PLOVER gold records: (a) a model fitted on PLV only (YIELD split by
    NGEC's stories), (b) cross-validation on the records with PLV added."""
    from newsledger.events.train import fit_model

    plv, gsr = data["plv"], data["gsr"]
    gold = [e.label for e in gsr]
    ngec, ngec_feats = data.get("ngec", []), feats.get("ngec", [])
    model = fit_model(feats["plv"], [e.label for e in plv], dense=dense)
    split = _yield_model(ngec_feats, [e.label for e in ngec])
    pred = split_yield(predict_with(model, feats["gsr"]), split, feats["gsr"])
    out = {"trained_on_plv": {"n": len(gsr), "type_accuracy_16": round(accuracy(gold, pred), 4),
                              **{k2: v for k2, v in score(gold, pred).items() if k2 != "n"}}}
    pred_cv: list[str] = [""] * len(gsr)
    groups = [e.text for e in gsr]
    for test in make_folds([to_plv(x) for x in gold], groups, k, seed):
        test_set = set(int(i) for i in test)
        train = [i for i in range(len(gsr)) if i not in test_set]
        model = fit_model(list(feats["plv"]) + [feats["gsr"][i] for i in train],
                          [e.label for e in plv] + [to_plv(gold[i]) for i in train], dense=dense)
        split = _yield_model(list(ngec_feats) + [feats["gsr"][i] for i in train],
                             [e.label for e in ngec] + [gold[i] for i in train])
        test_items = [feats["gsr"][i] for i in test]
        for i, p in zip(test, split_yield(predict_with(model, test_items), split, test_items)):
            pred_cv[int(i)] = p
    out["cv_with_plv"] = {"n": len(gsr), "type_accuracy_16": round(accuracy(gold, pred_cv), 4),
                          **{k2: v for k2, v in score(gold, pred_cv).items() if k2 != "n"}}
    return out


def _ngrams(text: str, n: int = OVERLAP_NGRAM) -> set[str]:
    words = text.lower().split()
    return {" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def overlapping(texts: Sequence[str], others: Sequence[str], n: int = OVERLAP_NGRAM) -> list[bool]:
    """For each text: does it share a word n-gram with any of ``others``?"""
    seen = set().union(*(_ngrams(t, n) for t in others)) if others else set()
    return [bool(_ngrams(t, n) & seen) for t in texts]


def _conflibert_transfer(data: dict, feats: dict, *, dense: bool) -> dict:
    """No ConfliBERT training: the PLV(+GSR) model's quad on ConfliBERT's four
    non-neutral classes (CAMEO 16 REDUCE RELATIONS is quad 4 here as in
    conventional CAMEO quads). PLV was drawn from the same sentences: the
    ConfliBERT sentences that share an 8-word sequence with PLV are left out."""
    from newsledger.events.train import fit_model

    items = list(feats["plv"]) + list(feats.get("gsr", []))
    labels = [e.label for e in data["plv"]] + [to_plv(e.label) for e in data.get("gsr", [])]
    model = fit_model(items, labels, dense=dense)
    seen = overlapping([e.text for e in data["conflibert"]], [e.text for e in data["plv"]])
    cfb = [(e, f) for e, f, s in zip(data["conflibert"], feats["conflibert"], seen) if e.label != "0" and not s]
    pred = predict_with(model, [f for _, f in cfb])
    gold = [int(e.label) for e, _ in cfb]
    return {"n": len(cfb), "left_out_seen_in_plv": sum(seen),
            "quad_accuracy_non_neutral": round(accuracy(gold, [plover.quad(p) for p in pred]), 4)}
