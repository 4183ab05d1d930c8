"""Fit the event classifier's linear models (training and cross-validation only).

scikit-learn does the fitting (``pip install scikit-learn``; it comes with the
``bench`` extra); the result is a plain dict of weights that
``classify.LinearModel.from_json`` reads, so scoring needs numpy only.
Used by ``scripts/train_event_classifier.py`` and by the cross-validation in
``newsledger/evaluation/plv.py``.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Optional, Sequence

import numpy as np

from newsledger.errors import MissingDependency
from newsledger.events.classify import Featurized, LinearModel

log = logging.getLogger(__name__)

# Inverse regularisation strength of the 15-class models, chosen by 5-fold
# cross-validation on PLV train with GSR added (docs/events.md; mean of seeds
# 0-2, root accuracy / quad accuracy): parse-only C=3 0.807/0.887, C=1
# 0.803/0.884, C=10 0.805/0.884; with MiniLM C=1 0.837/0.917, C=3 0.836/0.917.
C_LITE = 3.0
C_FULL = 1.0
# The CONCEDE/RETREAT split: not tuned (26 gold pairs to test it on).
C_SPLIT = 1.0
# MiniLM vectors are multiplied by this before fitting and scoring, which
# loosens their regularisation against the binary features. Same
# cross-validation: in the first experiments 1 lost 0.01-0.02 accuracy to 2;
# with the final features 2 gives 0.837 and 3 0.838.
DENSE_SCALE = 2.0
# Features seen in fewer training pairs than this are dropped from the
# weights file: they carry little and make up most of it.
MIN_COUNT = 2
# Weights are rounded to this many decimals in the JSON file.
DECIMALS = 4
MAX_ITER = 3000


def _sklearn():
    try:
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise MissingDependency("scikit-learn (needed only to train or cross-validate the event classifier)", "scikit-learn") from None
    return sparse, LogisticRegression


def fit(items: Sequence[Featurized], labels: Sequence[str], *, dense: bool = False, C: Optional[float] = None,
        sample_weight: Optional[Sequence[float]] = None, min_count: int = MIN_COUNT) -> dict:
    """Fit a multinomial (or, for two labels, binary) logistic regression;
    returns the JSON-ready weights (see ``LinearModel.from_json``)."""
    sparse, LogisticRegression = _sklearn()
    counts = Counter(f for it in items for f in set(it.sparse))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, it in enumerate(items):
        for f in set(it.sparse):
            if f in index:
                rows.append(r)
                cols.append(index[f])
    X = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(items), len(names)))
    if dense:
        D = np.vstack([it.dense for it in items]) * DENSE_SCALE
        X = sparse.hstack([X, sparse.csr_matrix(D)]).tocsr()
    C = C if C is not None else (C_FULL if dense else C_LITE)
    model = LogisticRegression(C=C, max_iter=MAX_ITER)
    model.fit(X, list(labels), sample_weight=None if sample_weight is None else np.asarray(sample_weight))
    coef = model.coef_.T  # (n_features, n_classes) or (n_features, 1) when binary
    n = len(names)
    out = {
        "classes": [str(c) for c in model.classes_],
        "features": {f: [round(float(w), DECIMALS) for w in coef[i]] for f, i in index.items()},
        "bias": [round(float(b), DECIMALS) for b in model.intercept_],
        "C": C,
    }
    if dense:
        out["dense"] = [[round(float(w), DECIMALS) for w in row] for row in coef[n:]]
        out["dense_scale"] = DENSE_SCALE
    return out


def fit_model(items, labels, **kw) -> LinearModel:
    return LinearModel.from_json(fit(items, labels, **kw))
