"""Quote extraction on PolNeAR dev (../shared): floors at our measured figures.

The scoring rules are in docs/evaluation.md (newsledger.evaluation.polnear).
Run with ``pytest -s tests/test_eval_polnear.py`` to see the figures.
"""

from __future__ import annotations

import json

import pytest

from newsledger.evaluation import polnear, polnear_strict

pytestmark = [pytest.mark.shared, pytest.mark.slow]

DEV = ("eval", "quotes", "polnear", "polnear_dev.jsonl")
DEV_ARTICLES = 84

FLOOR_DIRECT_F1 = 0.98  # measured 0.987 on 2026-11-29
FLOOR_SPEAKER = 0.88  # measured 0.8837 on 2026-11-30 (0.8806 earlier that day, 0.871 on 2026-11-29); issue 2 asks 0.85, issue 3 0.88
FLOOR_STRICT_DIRECT_MIXED = 0.81  # measured 0.8117 (80% overlap both ways; 0.8009 before bounds.py); issue 3 asks 0.85
FLOOR_EXACT_SOURCE = 0.70  # measured 0.7008 (exact trimmed spans, all attributions); issue 3 asks 0.72
FLOOR_EXACT_CONTENT = 0.60  # measured 0.6026; issue 3 asks 0.55
# 72/72 measured on 2026-11-29 (nominal cues: "one of the goals of the United
# Nations"); back at the issue's figure after a stretch at 0.98 (71/72).
FLOOR_ARTICLES_WITH_DIRECT_OR_MIXED = 1.0


@pytest.fixture(scope="module")
def result(shared, nlp_extractor) -> dict:
    path = shared.joinpath(*DEV)
    assert path.is_file(), f"{path} is missing"
    gold = polnear.load(path)
    predictions = polnear.predict(nlp_extractor, gold)
    scores = polnear.score(gold, predictions)
    scores["strict"] = polnear_strict.score_strict(gold, predictions)
    scores["exact"] = polnear_strict.score_exact(gold, predictions)
    figures = {name: scores[name] for name in polnear.FIGURES}
    figures["strict_direct_mixed"] = scores["strict"]["direct_mixed"]
    figures["exact"] = {k: scores["exact"][k] for k in ("source", "cue", "content")}
    figures["articles"] = scores["articles"]
    figures["articles_with_direct_or_mixed"] = scores["articles_with_direct_or_mixed"]
    print("\nPolNeAR dev:\n" + json.dumps(figures, indent=1))
    return scores


def test_polnear_dev_is_whole(result):
    assert result["articles"] == DEV_ARTICLES


def test_polnear_direct_f1(result):
    assert result["direct"]["f1"] >= FLOOR_DIRECT_F1, result["direct"]


def test_polnear_direct_mixed_speaker_f1(result):
    assert result["direct_mixed_speaker"]["f1"] >= FLOOR_SPEAKER, result["direct_mixed_speaker"]


def test_polnear_articles_with_direct_or_mixed_found(result):
    share = result["articles_with_direct_or_mixed"]
    assert share["share"] >= FLOOR_ARTICLES_WITH_DIRECT_OR_MIXED, share


def test_polnear_strict_direct_mixed_f1(result):
    assert result["strict"]["direct_mixed"]["f1"] >= FLOOR_STRICT_DIRECT_MIXED, result["strict"]["direct_mixed"]


def test_polnear_exact_source_and_content_f1(result):
    exact = result["exact"]
    assert exact["source"]["f1"] >= FLOOR_EXACT_SOURCE, exact["source"]
    assert exact["content"]["f1"] >= FLOOR_EXACT_CONTENT, exact["content"]
