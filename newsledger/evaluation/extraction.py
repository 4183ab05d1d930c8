"""How well our HTML path (to_article on a page) extracts body text and dates.

- ``zyte_f1``: the Zyte/Scrapinghub article-extraction benchmark (181 pages).
  Metric as the benchmark defines it: each text is cut into word tokens
  (``\\w+``), tokens into overlapping 4-token shingles; per page, TP/FP/FN are
  counted over shingle multisets and normalised by their sum; precision is the
  mean over pages with any predicted shingles, recall the mean over pages with
  any true shingles, F1 the harmonic mean of the two means.
- ``htmldate_accuracy``: exact-day accuracy of ``Article.date`` against the
  htmldate MediaCloud 2020 gold dates (200 pages, many languages).

Both read the data in place under ``shared_dir/eval/extract``.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Optional, Union

from newsledger.article import Article
from newsledger.articles import to_article
from newsledger.settings import Settings
from newsledger.sources.base import RawDocument

logger = logging.getLogger(__name__)

ZYTE_DIR = Path("eval/extract/scrapinghub_aeb")
HTMLDATE_DIR = Path("eval/extract/htmldate_mediacloud2020")
# Shingle length the benchmark uses (its string_shingle_matching default).
SHINGLE_TOKENS = 4
_TOKEN = re.compile(r"\w+")


def zyte_f1(shared_dir: Union[str, Path], settings: Optional[Settings] = None) -> dict:
    """Precision, recall and F1 of our body text on the Zyte benchmark, and n pages."""
    root = Path(shared_dir) / ZYTE_DIR
    gold = json.loads((root / "ground-truth.json").read_text("utf-8"))
    settings = settings or Settings()
    counts = []
    for key, truth in sorted(gold.items()):
        page = root / "html" / f"{key}.html.gz"
        predicted = _body(extract_page(page, truth.get("url"), settings))
        counts.append(shingle_counts(truth.get("articleBody", ""), predicted))
    scores = scores_from_counts(counts)
    scores["n"] = len(counts)
    return scores


def htmldate_accuracy(shared_dir: Union[str, Path], settings: Optional[Settings] = None) -> dict:
    """Share of pages whose extracted date is exactly the gold day, and n pages."""
    root = Path(shared_dir) / HTMLDATE_DIR
    gold = json.loads((root / "eval_mediacloud_2020.json").read_text("utf-8"))
    settings = settings or Settings()
    right = 0
    for url, entry in sorted(gold.items()):
        page = root / "html" / f"{entry['file']}.gz"
        article = extract_page(page, url, settings)
        date = article.date if isinstance(article, Article) else None
        right += int(date == entry["date"])
        logger.debug("%s: got %s, gold %s", page.name, date, entry["date"])
    return {"accuracy": right / len(gold) if gold else 0.0, "n": len(gold)}


def extract_page(path: Path, url: Optional[str], settings: Settings):
    """to_article on one gzipped benchmark page: an Article or a Reject."""
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    return to_article(RawDocument(origin=str(path), kind="html", data=data, url=url), settings)


def _body(result) -> str:
    return result.text if isinstance(result, Article) else ""


def _shingles(text: str) -> Counter:
    tokens = _TOKEN.findall(text or "")
    count = max(1, len(tokens) - SHINGLE_TOKENS + 1)
    return Counter(tuple(tokens[i:i + SHINGLE_TOKENS]) for i in range(count) if tokens[i:i + SHINGLE_TOKENS])


def shingle_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1 (all 0 if both empty)."""
    gold, ours = _shingles(true), _shingles(predicted)
    tp = sum((gold & ours).values())
    fp = sum((ours - gold).values())
    fn = sum((gold - ours).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def scores_from_counts(counts: list[tuple[float, float, float]]) -> dict:
    """Mean per-page precision and recall, and the F1 of those means."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
