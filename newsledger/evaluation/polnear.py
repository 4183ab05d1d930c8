"""Score predicted quotes against PolNeAR attribution gold.

PolNeAR (Newell et al., LREC 2018) annotates attributions in political news:
source, cue and content spans, each a list of [start, end) character segments
into the article text. The rules are stated in docs/evaluation.md; in short:

* content characters of a gold attribution: the union of its content segments;
  of a predicted Quote: the union of its ``segments``, or ``content.start`` to
  ``content.end`` when it has none;
* a prediction **matches** a gold attribution when more than half of its
  content characters lie inside that one attribution's content;
* a gold attribution is **found** when the predictions taken together cover
  more than 30% of its content characters;
* a speaker is **right** when the predicted speaker mention overlaps a segment
  of the gold source; for a gold attribution with no source span, when the
  prediction has no speaker mention.

Precision counts matching predictions, recall counts found gold attributions:
the two sides are counted separately (``tp``/``fp`` are predictions,
``found``/``fn`` are gold attributions).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from newsledger.article import Article
from newsledger.records import Quote

log = logging.getLogger(__name__)

MATCH_SHARE = 0.5  # a prediction matches when MORE than this share of it is inside one gold content
FOUND_SHARE = 0.3  # a gold content is found when MORE than this share of it is covered

DIRECT_OR_MIXED = ("direct", "mixed")


@dataclass(frozen=True)
class Gold:
    """One gold attribution, reduced to what scoring needs."""

    quote_type: str
    content: frozenset[int]
    source: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Pred:
    """One predicted quote, reduced to what scoring needs."""

    kind: str
    content: frozenset[int]
    speaker: Optional[tuple[int, int]]


def load(path: str | Path) -> list[dict]:
    """Read a PolNeAR JSONL file: one article (with its ``attributions``) per line."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _chars(segments: Iterable[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for start, end in segments for i in range(start, end))


def gold_of(article: dict) -> list[Gold]:
    """The article's gold attributions; those with no content characters are dropped
    (they can never be found and there is nothing to match)."""
    out = []
    for a in article["attributions"]:
        content = _chars(a["content"]["spans"])
        if not content:
            log.debug("%s %s: empty gold content, not scored", article["id"], a.get("id"))
            continue
        source = tuple((s, e) for s, e in a["source"]["spans"] if e > s)
        out.append(Gold(a["quote_type"], content, source))
    return out


def pred_of(quote: Quote) -> Pred:
    segments = [(s.start, s.end) for s in quote.segments] or [(quote.content.start, quote.content.end)]
    mention = quote.speaker.mention if quote.speaker else None
    speaker = (mention.start, mention.end) if mention is not None else None
    return Pred(quote.kind, _chars(segments), speaker)


def matches(pred: Pred, gold: Gold) -> bool:
    """More than half of the prediction's content characters lie inside the gold content."""
    return bool(pred.content) and len(pred.content & gold.content) > MATCH_SHARE * len(pred.content)


def covered(gold: Gold, preds: Iterable[Pred]) -> bool:
    """The predictions together cover more than 30% of the gold content characters."""
    union: set[int] = set()
    for p in preds:
        union |= p.content
    return len(gold.content & union) > FOUND_SHARE * len(gold.content)


def speaker_right(pred: Pred, gold: Gold) -> bool:
    """The predicted speaker mention overlaps a gold source segment; with no gold
    source, the prediction must have no speaker mention either."""
    if not gold.source:
        return pred.speaker is None
    if pred.speaker is None:
        return False
    start, end = pred.speaker
    return any(start < g_end and g_start < end for g_start, g_end in gold.source)


def _content_only(pred: Pred, gold: Gold) -> bool:
    return True


@dataclass
class Tally:
    """Counts for one figure: predictions (tp/fp) and gold attributions (found/fn)."""

    tp: int = 0
    fp: int = 0
    found: int = 0
    fn: int = 0

    def add_predictions(self, correct: Iterable[bool]) -> None:
        correct = list(correct)
        self.tp += sum(correct)
        self.fp += len(correct) - sum(correct)

    def add_gold(self, found: Iterable[bool]) -> None:
        found = list(found)
        self.found += sum(found)
        self.fn += len(found) - sum(found)

    def as_dict(self) -> dict[str, Any]:
        predicted, gold = self.tp + self.fp, self.found + self.fn
        precision = self.tp / predicted if predicted else 0.0
        recall = self.found / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "found": self.found,
            "fn": self.fn,
            "predicted": predicted,
            "gold": gold,
        }


@dataclass(frozen=True)
class Figure:
    """How one figure selects predictions and gold, and what 'right' means.

    ``pred_kinds``: predictions scored for precision; ``gold_types``: gold
    attributions scored for recall; ``cover_kinds``: predictions that may cover
    a gold attribution; ``pair_ok``: the extra test (speaker) a pair must pass.
    """

    pred_kinds: tuple[str, ...]
    gold_types: tuple[str, ...]
    cover_kinds: tuple[str, ...]
    pair_ok: Callable[[Pred, Gold], bool] = _content_only


ALL_KINDS = ("direct", "mixed", "indirect")

FIGURES: dict[str, Figure] = {
    "direct": Figure(("direct",), ("direct",), DIRECT_OR_MIXED),
    "direct_mixed_speaker": Figure(DIRECT_OR_MIXED, DIRECT_OR_MIXED, DIRECT_OR_MIXED, speaker_right),
    "indirect": Figure(("indirect",), ("indirect",), ("indirect",)),
    "all": Figure(ALL_KINDS, ALL_KINDS, ALL_KINDS),
}


def _score_article(fig: Figure, golds: list[Gold], preds: list[Pred], tally: Tally) -> None:
    scored = [p for p in preds if p.kind in fig.pred_kinds]
    # precision: against every gold attribution, whatever its quote_type
    tally.add_predictions(any(matches(p, g) and fig.pair_ok(p, g) for g in golds) for p in scored)
    covering = [p for p in preds if p.kind in fig.cover_kinds]
    tally.add_gold(
        covered(g, (p for p in covering if fig.pair_ok(p, g)))
        for g in golds
        if g.quote_type in fig.gold_types
    )


def _article_found_direct_or_mixed(golds: list[Gold], preds: list[Pred]) -> Optional[bool]:
    """None when the article has no gold direct/mixed quote, else whether one is found."""
    wanted = [g for g in golds if g.quote_type in DIRECT_OR_MIXED]
    if not wanted:
        return None
    covering = [p for p in preds if p.kind in DIRECT_OR_MIXED]
    return any(covered(g, covering) for g in wanted)


def score(gold_articles: list[dict], predictions: dict[str, list[Quote]]) -> dict[str, Any]:
    """Score ``predictions`` (article id -> predicted Quotes) against PolNeAR articles.

    Articles without an entry in ``predictions`` count as having no predictions;
    predictions for ids not in the gold are ignored (with a warning).
    """
    unknown = set(predictions) - {a["id"] for a in gold_articles}
    if unknown:
        log.warning("%d predicted article ids are not in the gold; ignored", len(unknown))
    tallies = {name: Tally() for name in FIGURES}
    with_dm = found_dm = 0
    for article in gold_articles:
        golds = gold_of(article)
        preds = [pred_of(q) for q in predictions.get(article["id"], [])]
        for name, fig in FIGURES.items():
            _score_article(fig, golds, preds, tallies[name])
        found = _article_found_direct_or_mixed(golds, preds)
        if found is not None:
            with_dm += 1
            found_dm += found
    out: dict[str, Any] = {name: t.as_dict() for name, t in tallies.items()}
    out["articles"] = len(gold_articles)
    out["articles_with_direct_or_mixed"] = {
        "articles": with_dm,
        "found": found_dm,
        "share": round(found_dm / with_dm, 4) if with_dm else 0.0,
    }
    return out


def articles_of(gold_articles: list[dict]) -> list[Article]:
    return [
        Article(id=row["id"], text=row["text"], title=row.get("title"), date=row.get("publication_date"))
        for row in gold_articles
    ]


def predict(extractor, gold_articles: list[dict]) -> dict[str, list[Quote]]:
    """Run ``extractor.extract`` on the gold articles: article id -> predicted quotes."""
    return {article.id: record.quotes for article, record in extractor.extract(articles_of(gold_articles))}


def evaluate_extractor(path: str | Path, extractor) -> dict[str, Any]:
    """Load PolNeAR JSONL at ``path``, run ``extractor`` on its articles, score it."""
    gold_articles = load(path)
    return score(gold_articles, predict(extractor, gold_articles))
