"""PLOVER event type of a (sentence, source, target) pair: what the source does to the target.

A linear model (multinomial logistic regression) over the parse features of
``features.py``, optionally joined by all-MiniLM-L6-v2 vectors of the
sentence and of the trigger word in context (one MiniLM pass per sentence).
It predicts PLV's 15 classes; a second, binary model splits YIELD into
PLOVER's CONCEDE (verbal: promised easing, declared ceasefire, apology) and
RETREAT (material: release, withdrawal, access, resignation), so ``predict``
returns one of the 16 PLOVER types.

The weights live in ``data/event_classifier.json``; ``scripts/train_event_classifier.py``
rebuilds them from ``../shared`` (see docs/events.md, docs/models.md). The
file holds two models: ``lite`` (parse features only: spaCy, no torch) and
``full`` (with MiniLM: needs the ``semantic`` extra). Scoring is numpy only.

``predict`` computes and returns; it writes nothing anywhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

import numpy as np

from newsledger.errors import ModelNotFound, NewsledgerError
from newsledger.events import features as feats
from newsledger.events import plover

log = logging.getLogger(__name__)

ARTEFACT = Path(__file__).resolve().parent / "data" / "event_classifier.json"
# The dense views, in the order their weights are stored. A third view, the
# clause around the pair, was tried and dropped: it cost a second MiniLM pass
# per pair for +0.002 accuracy in cross-validation on PLV (docs/events.md).
DENSE_VIEWS = ("sentence", "trigger")
YIELD = plover.PLV_YIELD


class Prediction(NamedTuple):
    type: str  # one of the 16 PLOVER types
    confidence: float  # the model's probability for it


@dataclass(frozen=True)
class Pair:
    """A text and the character spans, in it, of the source and the target
    (either may be None). ``text`` may be a whole article: the features look
    at the sentence(s) holding the pair."""

    text: str
    source: Optional[tuple[int, int]] = None
    target: Optional[tuple[int, int]] = None


@dataclass
class Featurized:
    """What the models read for one pair."""

    sparse: list[str]
    views: tuple[str, tuple[int, int]]
    dense: Optional[np.ndarray] = field(default=None, repr=False)
    trigger: Optional[int] = None  # token index of the word the features read as the trigger


@dataclass
class LinearModel:
    """Softmax (or, with two classes, sigmoid) over sparse and dense features."""

    classes: list[str]
    index: dict[str, int]
    weights: np.ndarray  # (n_features, n_classes)
    bias: np.ndarray
    dense: Optional[np.ndarray] = None  # (n_dense, n_classes)
    dense_scale: float = 1.0

    @classmethod
    def from_json(cls, d: dict) -> "LinearModel":
        names = list(d["features"])
        w = np.array([d["features"][n] for n in names], dtype=np.float32).reshape(len(names), -1)
        dense = np.array(d["dense"], dtype=np.float32) if d.get("dense") is not None else None
        return cls(d["classes"], {n: i for i, n in enumerate(names)}, w, np.array(d["bias"], dtype=np.float32),
                   dense, float(d.get("dense_scale", 1.0)))

    def logits(self, items: Sequence[Featurized]) -> np.ndarray:
        out = np.tile(self.bias, (len(items), 1)).astype(np.float32)
        for row, it in enumerate(items):
            ids = [self.index[f] for f in set(it.sparse) if f in self.index]
            if ids:
                out[row] += self.weights[ids].sum(axis=0)
            if self.dense is not None:
                if it.dense is None:
                    raise ValueError("this model needs MiniLM features: featurize with minilm=True")
                out[row] += (it.dense * self.dense_scale) @ self.dense
        return out

    def proba(self, items: Sequence[Featurized]) -> np.ndarray:
        z = self.logits(items)
        if len(self.classes) == 2 and z.shape[1] == 1:  # binary: one logit for classes[1]
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p1, p1], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@dataclass
class Classifier:
    lite: LinearModel
    full: Optional[LinearModel]
    yield_split: Optional[LinearModel]
    meta: dict

    def model(self, minilm: bool) -> LinearModel:
        if minilm and self.full is not None:
            return self.full
        return self.lite

    def predict_featurized(self, items: Sequence[Featurized], minilm: bool) -> list[Prediction]:
        if not items:
            return []
        model = self.model(minilm)
        p = model.proba(items)
        out = []
        split = self.yield_split.proba(items) if self.yield_split is not None else None
        for row in range(len(items)):
            k = int(p[row].argmax())
            label, conf = model.classes[k], float(p[row, k])
            if label == YIELD:
                if split is not None:
                    j = int(split[row].argmax())
                    label, conf = self.yield_split.classes[j], conf * float(split[row, j])
                else:
                    label = "RETREAT"
            out.append(Prediction(label, round(conf, 4)))
        return out

    def proba15(self, items: Sequence[Featurized], minilm: bool) -> tuple[list[str], np.ndarray]:
        """PLV's 15-class probabilities (for evaluation)."""
        model = self.model(minilm)
        return model.classes, model.proba(items)


def classifier_from_json(d: dict) -> Classifier:
    models = d["models"]
    return Classifier(
        lite=LinearModel.from_json(models["lite"]),
        full=LinearModel.from_json(models["full"]) if models.get("full") else None,
        yield_split=LinearModel.from_json(models["yield_split"]) if models.get("yield_split") else None,
        meta={k: v for k, v in d.items() if k != "models"},
    )


@lru_cache(maxsize=4)
def load(path: str | Path = ARTEFACT) -> Classifier:
    path = Path(path)
    if not path.exists():
        raise ModelNotFound(f"event classifier weights not found at {path}: rebuild them with scripts/train_event_classifier.py")
    return classifier_from_json(json.loads(path.read_text(encoding="utf-8")))


def version(path: str | Path = ARTEFACT) -> Optional[str]:
    """Short hash of the weights file, to record with every run."""
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else None


def minilm_available() -> bool:
    from newsledger.search import semantic

    return semantic.available()


def featurize(docs: Sequence, pairs: Sequence[Pair], minilm: bool = False) -> list[Featurized]:
    """Features of each pair, given the parsed Doc of each pair's text."""
    out = []
    for doc, pair in zip(docs, pairs):
        a = feats.analyse(doc, pair.source, pair.target)
        out.append(Featurized(feats.sparse_features(doc, pair.source, pair.target, a),
                              feats.views(doc, pair.source, pair.target, a), trigger=a.trigger.i))
    if minilm and out:
        dense = embed_views([it.views for it in out])
        for it, row in zip(out, dense):
            it.dense = row
    return out


def embed_views(views: Sequence[tuple[str, tuple[int, int]]]) -> np.ndarray:
    """(n, 2 x 384) float32: unit-length MiniLM vectors of the sentence and of
    the trigger (mean of its word pieces' contextual vectors in the sentence),
    from one pass per distinct sentence. Raises MissingDependency without the
    semantic extra."""
    from newsledger.search import semantic

    model = semantic.load_model()
    sentences = list(dict.fromkeys(v[0] for v in views))
    encoded = model.encode(sentences, batch_size=semantic.BATCH_SIZE, output_value=None, show_progress_bar=False)
    by_text = dict(zip(sentences, encoded))
    rows = []
    for text, span in views:
        enc = by_text[text]
        sent = _unit(enc["sentence_embedding"].float().numpy())
        rows.append(np.concatenate([sent, _trigger_vector(model, text, span, enc)]))
    return np.vstack(rows).astype(np.float32)


def _trigger_vector(model, text: str, span: tuple[int, int], enc: dict) -> np.ndarray:
    offsets = model.tokenizer(text, return_offsets_mapping=True, truncation=True,
                              max_length=model.max_seq_length)["offset_mapping"]
    tokens = enc["token_embeddings"]
    sel = [j for j, (a, b) in enumerate(offsets) if b > a and a < span[1] and b > span[0] and j < len(tokens)]
    if not sel:
        return np.zeros(tokens.shape[1], dtype=np.float32)
    return _unit(tokens[sel].float().numpy().mean(axis=0))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else v.astype(np.float32)


def predict(pairs: Sequence[Pair], *, docs: Optional[Sequence] = None, nlp=None,
            minilm: Optional[bool] = None, path: str | Path = ARTEFACT) -> list[Prediction]:
    """The PLOVER type (one of 16) and confidence for each pair, in order.

    ``docs``: the parsed spaCy Doc of each pair's text (the pipeline's docs);
    without them the texts are parsed with ``nlp``, or with newsledger's
    configured spaCy model. ``minilm``: use the MiniLM model (None: when the
    semantic extra is installed)."""
    if not pairs:
        return []
    check(pairs)
    clf = load(path)
    use = (minilm_available() if minilm is None else minilm) and clf.full is not None
    if docs is None:
        docs = parse([p.text for p in pairs], nlp)
    return clf.predict_featurized(featurize(docs, pairs, minilm=use), minilm=use)


def check(pairs: Sequence[Pair]) -> None:
    """Raise a one-line error for a span that is not inside its text."""
    for i, pair in enumerate(pairs):
        for role in ("source", "target"):
            span = getattr(pair, role)
            if span is None:
                continue
            if len(span) != 2 or not all(isinstance(x, int) for x in span) or not 0 <= span[0] < span[1] <= len(pair.text):
                raise NewsledgerError(f"event pair {i}: {role} span {tuple(span)!r} is not a (start, end) inside its text of {len(pair.text)} characters")


def parse(texts: Sequence[str], nlp=None) -> list:
    if nlp is None:
        nlp = _default_nlp()
    return list(nlp.pipe(texts, batch_size=64))


@lru_cache(maxsize=1)
def _default_nlp():
    from newsledger.nlp.model import load_model
    from newsledger.settings import Settings

    return load_model(Settings().model)
