"""Stricter PolNeAR figures next to the lenient ones in ``polnear``.

The rules are stated in docs/evaluation.md ("Strict and exact-span figures");
in short:

* ``score_strict``: the ``direct_mixed`` (content) and ``direct_mixed_speaker``
  figures, but a prediction and a gold attribution match only when their common
  content characters are **at least 80%** of the prediction's content characters
  **and at least 80%** of the gold's. A gold attribution is found when one
  relevant prediction matches it that way (no adding up over predictions).
* ``score_exact``: exact-span precision/recall/F1 for source, cue and content
  over all attributions (what CofeNet reports). Each span is reduced to its
  first-start..last-end extent, then trimmed of white space, punctuation, quote
  marks and a leading "that "; spans are right when the trimmed extents are
  equal. Predictions pair one-to-one with gold attributions by the lenient
  ``polnear.matches``, greedily by overlap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from newsledger.evaluation import polnear
from newsledger.evaluation.polnear import DIRECT_OR_MIXED, Gold, Pred, Tally, gold_of, pred_of, speaker_right
from newsledger.records import Quote

STRICT_SHARE = 0.8  # common content must be AT LEAST this share of both the prediction and the gold

LEADING_WORDS = ("that",)  # dropped from the start of a span (PolNeAR content includes "that")
QUOTE_MARKS = frozenset("\"'`´“”„‟‘’‚‛«»‹›「」『』")

SPAN_FIELDS = ("source", "cue", "content")


# -- strict -------------------------------------------------------------------


def strict_match(pred: Pred, gold: Gold) -> bool:
    """Common content characters are at least 80% of the prediction's and at least 80% of the gold's."""
    if not pred.content or not gold.content:
        return False
    common = len(pred.content & gold.content)
    return common >= STRICT_SHARE * len(pred.content) and common >= STRICT_SHARE * len(gold.content)


def _any_pair(pred: Pred, gold: Gold) -> bool:
    return True


STRICT_FIGURES: dict[str, Callable[[Pred, Gold], bool]] = {
    "direct_mixed": _any_pair,
    "direct_mixed_speaker": speaker_right,
}


def score_strict(gold_articles: list[dict], predictions: dict[str, list[Quote]]) -> dict[str, Any]:
    """``direct_mixed`` and ``direct_mixed_speaker`` under the 80%-both-ways rule.

    Precision: predictions of kind direct or mixed that strictly match any gold
    attribution (whatever its quote_type) for which ``pair_ok`` holds. Recall:
    gold direct or mixed attributions strictly matched by at least one such
    prediction for which ``pair_ok`` holds.
    """
    tallies = {name: Tally() for name in STRICT_FIGURES}
    for article in gold_articles:
        golds = gold_of(article)
        preds = [p for p in (pred_of(q) for q in predictions.get(article["id"], [])) if p.kind in DIRECT_OR_MIXED]
        for name, pair_ok in STRICT_FIGURES.items():
            tally = tallies[name]
            tally.add_predictions(any(strict_match(p, g) and pair_ok(p, g) for g in golds) for p in preds)
            tally.add_gold(
                any(strict_match(p, g) and pair_ok(p, g) for p in preds)
                for g in golds
                if g.quote_type in DIRECT_OR_MIXED
            )
    out: dict[str, Any] = {name: t.as_dict() for name, t in tallies.items()}
    out["articles"] = len(gold_articles)
    return out


# -- exact --------------------------------------------------------------------


def _strippable(ch: str) -> bool:
    return ch.isspace() or ch in QUOTE_MARKS or unicodedata.category(ch).startswith("P")


def trim(text: str, start: int, end: int) -> Optional[tuple[int, int]]:
    """``[start, end)`` without white space, punctuation and quote marks at either
    end and without a leading "that " (any case); None when nothing is left."""
    while True:
        while start < end and _strippable(text[start]):
            start += 1
        while end > start and _strippable(text[end - 1]):
            end -= 1
        for word in LEADING_WORDS:
            n = len(word)
            if end - start > n and text[start : start + n].lower() == word and text[start + n].isspace():
                start += n + 1
                break
        else:
            break
    return (start, end) if end > start else None


def extent(text: str, segments: Iterable[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """The trimmed first-start..last-end extent of (possibly discontinuous) segments."""
    spans = [(s, e) for s, e in segments if e > s]
    if not spans:
        return None
    return trim(text, min(s for s, _ in spans), max(e for _, e in spans))


@dataclass(frozen=True)
class ExactGold:
    gold: Gold
    spans: dict[str, Optional[tuple[int, int]]]  # source / cue / content -> trimmed extent


@dataclass(frozen=True)
class ExactPred:
    pred: Pred
    spans: dict[str, Optional[tuple[int, int]]]


def exact_golds(article: dict) -> list[ExactGold]:
    """Every gold attribution with content characters (as ``polnear.gold_of``)."""
    text = article["text"]
    out = []
    for a in article["attributions"]:
        content = polnear._chars(a["content"]["spans"])
        if not content:
            continue
        gold = Gold(a["quote_type"], content, tuple((s, e) for s, e in a["source"]["spans"] if e > s))
        out.append(ExactGold(gold, {f: extent(text, a[f]["spans"]) for f in SPAN_FIELDS}))
    return out


def exact_pred(text: str, quote: Quote) -> ExactPred:
    content = [(s.start, s.end) for s in quote.segments] or [(quote.content.start, quote.content.end)]
    mention = quote.speaker.mention if quote.speaker else None
    spans = {
        "source": extent(text, [(mention.start, mention.end)]) if mention is not None else None,
        "cue": extent(text, [(quote.cue.start, quote.cue.end)]) if quote.cue is not None else None,
        "content": extent(text, content),
    }
    return ExactPred(pred_of(quote), spans)


def pair(preds: list[ExactPred], golds: list[ExactGold]) -> list[tuple[int, int]]:
    """One-to-one (prediction index, gold index) pairs among those that
    ``polnear.matches``, taken greedily by content overlap (largest first)."""
    candidates = [
        (len(p.pred.content & g.gold.content), i, j)
        for i, p in enumerate(preds)
        for j, g in enumerate(golds)
        if polnear.matches(p.pred, g.gold)
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def score_exact(gold_articles: list[dict], predictions: dict[str, list[Quote]]) -> dict[str, Any]:
    """Exact-span source, cue and content figures over all attributions and all predictions.

    For each span field: ``tp`` = pairs whose two trimmed extents are equal;
    precision over predictions that have that span, recall over gold
    attributions that have it.
    """
    tallies = {f: Tally() for f in SPAN_FIELDS}
    n_pairs = n_preds = n_golds = 0
    for article in gold_articles:
        text = article["text"]
        golds = exact_golds(article)
        preds = [exact_pred(text, q) for q in predictions.get(article["id"], [])]
        pairs = pair(preds, golds)
        n_pairs += len(pairs)
        n_preds += len(preds)
        n_golds += len(golds)
        for f in SPAN_FIELDS:
            tp = sum(
                1 for i, j in pairs if preds[i].spans[f] is not None and preds[i].spans[f] == golds[j].spans[f]
            )
            with_pred = sum(1 for p in preds if p.spans[f] is not None)
            with_gold = sum(1 for g in golds if g.spans[f] is not None)
            t = tallies[f]
            t.tp += tp
            t.fp += with_pred - tp
            t.found += tp
            t.fn += with_gold - tp
    out: dict[str, Any] = {f: t.as_dict() for f, t in tallies.items()}
    out["pairs"] = n_pairs
    out["predictions"] = n_preds
    out["attributions"] = n_golds
    out["articles"] = len(gold_articles)
    return out


def evaluate_all(gold_articles: list[dict], predictions: dict[str, list[Quote]]) -> dict[str, Any]:
    """Lenient (``polnear.score``), strict and exact figures in one object."""
    return {
        "articles": len(gold_articles),
        "lenient": polnear.score(gold_articles, predictions),
        "strict": score_strict(gold_articles, predictions),
        "exact": score_exact(gold_articles, predictions),
    }
