"""The speaker ranker: its weights ship with the package and it only ever
changes a speaker to a mention that exists in the text."""

from __future__ import annotations

import json

import pytest

from newsledger.nlp.quotes import ranker


def test_weights_file_ships_and_says_what_it_was_trained_on():
    meta = json.loads(ranker.WEIGHTS.read_text(encoding="utf-8"))
    assert meta["trained_on"].startswith("PolNeAR train")
    assert meta["examples"] > meta["positives"] > 0
    assert "bias" in meta["weights"] and "rule" in meta["weights"]


def test_score_is_a_probability():
    weights = {"bias": -2.0, "rule": 4.0}
    assert ranker.score(["bias"], weights) < 0.5 < ranker.score(["bias", "rule"], weights)


@pytest.mark.slow
def test_ranked_speaker_is_a_real_mention(nlp_extractor):
    text = (
        "The senator spoke at length on Tuesday.\n\n"
        "\u201cWe will not back down,\u201d said Maria Lopez, the senator from Ohio. "
        "\u201cNot now, not ever.\u201d"
    )
    record = nlp_extractor.extract_text(text)
    quote = record.quotes[0]
    mention = quote.speaker.mention
    assert mention is not None and text[mention.start : mention.end] == mention.text
    assert quote.speaker.name == "Maria Lopez"
    assert len(quote.segments) == 2
