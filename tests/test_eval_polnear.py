"""Quote extraction on PolNeAR dev (../shared): floors at our measured figures.

The scoring rules are in docs/evaluation.md (newsledger.evaluation.polnear).
Run with ``pytest -s tests/test_eval_polnear.py`` to see the figures.
"""

from __future__ import annotations

import json

import pytest

from newsledger.evaluation import polnear

pytestmark = [pytest.mark.shared, pytest.mark.slow]

DEV = ("eval", "quotes", "polnear", "polnear_dev.jsonl")
DEV_ARTICLES = 84

FLOOR_DIRECT_F1 = 0.98  # measured 0.985 on 2026-11-29
FLOOR_SPEAKER = 0.85  # measured 0.853 on 2026-11-29; the issue asks 0.85
# 72/72 measured on 2026-11-29 (nominal cues: "one of the goals of the United
# Nations"); back at the issue's figure after a stretch at 0.98 (71/72).
FLOOR_ARTICLES_WITH_DIRECT_OR_MIXED = 1.0


@pytest.fixture(scope="module")
def result(shared, nlp_extractor) -> dict:
    path = shared.joinpath(*DEV)
    assert path.is_file(), f"{path} is missing"
    scores = polnear.evaluate_extractor(path, nlp_extractor)
    figures = {name: scores[name] for name in polnear.FIGURES}
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
