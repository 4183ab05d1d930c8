"""The Wikinews times set: the scorer's rules on tiny hand-made cases, and the
extractor's figures on tests/data/wikinews_times.jsonl (floors) and the seed.

The set and its conventions: tests/data/wikinews_times.md; figures:
docs/times.md. Run ``pytest -s tests/test_eval_times.py`` to see them.
"""

from __future__ import annotations

import json

import pytest

from newsledger.errors import InputNotFound
from newsledger.evaluation import times as ev
from newsledger.records import Time
from tests.conftest import REPO

GOLD = REPO / "tests" / "data" / "wikinews_times.jsonl"
MIN_ITEMS = 80  # the issue asks for at least 80 expressions

# Measured on 2026-11-29 (en_core_web_sm 3.8), rounded down. The target
# is 0.95. The first run of the extractor on the set gave 0.9533 (102/107)
# with the date and 0.9907 (106/107) without; two general fixes (entities cut at
# line breaks, a year after "in" kept when the parse misses it) gave 107/107.
FLOOR_ACCURACY = 0.97  # measured 1.0000 (107/107)
FLOOR_ACCURACY_UNANCHORED = 0.97  # measured 1.0000 (107/107)


def gold(**kw):
    item = {"url": "u", "published": "2019-01-04", "text_sha256": "0" * 64, "start": 10, "end": 16,
            "text": "Monday", "kind": "date", "value": "2018-12-31", "value_unanchored": None,
            "anchor": "publication"}
    item.update(kw)
    return item


def time(start, end, kind="date", value="2018-12-31"):
    return Time(start=start, end=end, text="x" * (end - start), kind=kind, value=value,
                anchor="none" if value is None else "publication")


def test_the_prediction_overlapping_most_is_the_match():
    a, b = time(5, 12), time(12, 20)
    assert ev.overlapping(gold(), [a, b]) is b
    assert ev.overlapping(gold(), [time(0, 10)]) is None  # touching is not overlapping


def test_right_needs_kind_and_value_and_a_null_gold_is_right_with_nothing():
    assert ev._right(time(10, 16), "date", "2018-12-31")
    assert not ev._right(time(10, 16, kind="range"), "date", "2018-12-31")
    assert not ev._right(None, "date", "2018-12-31")
    assert ev._right(None, "range", None)
    assert ev._right(time(10, 16, value=None), "range", None)
    assert not ev._right(time(10, 16), "range", None)


def test_load_rejects_a_malformed_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(gold(anchor="none")) + "\n", encoding="utf-8")
    with pytest.raises(ev.GoldError, match="line 1"):
        ev.load(path)
    with pytest.raises(InputNotFound):
        ev.load(tmp_path / "missing.jsonl")


def test_the_set_is_well_formed_and_large_enough():
    items = ev.load(GOLD)
    assert len(items) >= MIN_ITEMS
    assert {i["kind"] for i in items} == {"date", "range", "duration", "set"}
    for item in items:
        assert len(item["text"]) == item["end"] - item["start"]
        # absolute expressions keep their value without the publication date
        if item["anchor"] == "absolute":
            assert item["value_unanchored"] == item["value"]


@pytest.mark.shared
@pytest.mark.slow
def test_time_normalisation_on_the_wikinews_set(shared, nlp_extractor):
    result = ev.score_times(GOLD, nlp_extractor, shared / "corpora" / "wikinews")
    print({k: v for k, v in result.items() if not k.startswith("errors")})
    assert result["items"] >= MIN_ITEMS
    assert result["leaks"] == 0  # "No relative date resolves without a publication date"
    assert result["accuracy"] >= FLOOR_ACCURACY
    assert result["accuracy_unanchored"] >= FLOOR_ACCURACY_UNANCHORED


@pytest.mark.shared
@pytest.mark.slow
def test_the_seed_resolves_2017_and_2020_and_not_a_recent_interview(shared, nlp_extractor):
    result = ev.seed_check(nlp_extractor, shared)
    assert result["checks"] == {"In 2017": True, "the 2020 elections": True, "a recent interview": True}
