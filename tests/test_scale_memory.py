"""Bounded memory, the CI variant: the worker reloads its model every N documents,
which empties spaCy's StringStore, and the records do not change. The 1k vs 20k
articles peak-RSS measurement is in `make bench` (bench/scale_bench.py)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pyarrow")

from newsledger.scale import worker  # noqa: E402
from newsledger.scale.shards import plan_shards  # noqa: E402
from newsledger.settings import Settings  # noqa: E402

ARTICLES = 7
RELOAD_EVERY = 3


def _name(i: int) -> str:
    """A made-up name no model vocabulary holds, different for every i (new strings)."""
    syllables = ["ka", "lo", "vi", "dre", "mun", "sa", "tor", "pel", "qui", "zar"]
    return "".join(syllables[int(d)] for d in f"{i:04d}").capitalize() + "ov"


def _corpus(path) -> str:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(ARTICLES):
            who, town = _name(i), _name(i + 5000)
            text = (f"{who} said on Monday that the council of {town} would meet again next week. "
                    f'"We will not give up on the {town} bridge," {who} told reporters. '
                    f"Police in {town} said {i + 17} people were questioned about the fire.")
            f.write(json.dumps({"title": f"Report {i}", "text": text, "date": "2020-03-0%d" % (1 + i % 9)}) + "\n")
    return str(path)


def _records(pairs):
    return [(a.id, json.dumps(r.to_json(), sort_keys=True)) for a, r in pairs]


def test_reloading_the_model_bounds_the_string_store_and_keeps_records(tmp_path):
    settings = Settings(batch_size=2)
    shard = plan_shards([_corpus(tmp_path / "names.jsonl")], settings, shard_size=ARTICLES)[0]
    worker._MODELS.clear()

    loads = worker._COUNTS["loads"]
    kept, _, _ = worker.run_shard(shard, settings, reload_every=10_000)
    grown = len(worker._MODELS[settings].extractor.nlp.vocab.strings)
    assert worker._COUNTS["loads"] == loads + 1

    worker._MODELS.clear()
    loads = worker._COUNTS["loads"]
    reloaded, _, _ = worker.run_shard(shard, settings, reload_every=RELOAD_EVERY)
    # batches of 2, 2, 2, 1: the model is checked before each batch and reloaded
    # before the 3rd (4 documents seen >= 3); the 4th finds 2 < 3
    assert worker._COUNTS["loads"] == loads + 2
    bounded = len(worker._MODELS[settings].extractor.nlp.vocab.strings)
    assert bounded < grown, "a fresh model should hold only the strings of the documents since the reload"
    assert _records(reloaded) == _records(kept)
    worker._MODELS.clear()
