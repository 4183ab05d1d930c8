"""The PolNeAR scorer's rules, on tiny hand-made cases (no spaCy, no ../shared)."""

from __future__ import annotations

import json

from newsledger.evaluation import polnear
from newsledger.records import Mention, Quote, Span, Speaker


def attribution(content, quote_type="direct", source=((0, 5),), kind="Attribution"):
    return {
        "id": "E1",
        "type": kind,
        "source": {"spans": [list(s) for s in source], "text": ""},
        "cue": {"spans": [], "text": ""},
        "content": {"spans": [list(c) for c in content], "text": ""},
        "quote_type": quote_type,
    }


def article(*attributions, id="a1"):
    return {"id": id, "text": "x" * 1000, "title": "t", "publication_date": "2016-01-01",
            "attributions": list(attributions)}


def quote(start, end, kind="direct", segments=(), speaker=None):
    mention = Mention(speaker[0], speaker[1], "s") if speaker else None
    return Quote(
        kind=kind,
        content=Mention(start, end, ""),
        segments=[Span(s, e) for s, e in segments],
        cue=None,
        speaker=Speaker(mention=mention),
    )


def run(gold, preds):
    return polnear.score([gold], {gold["id"]: preds})


# --- a prediction matches when MORE than half of it is inside one gold content ---


def test_prediction_more_than_half_inside_matches():
    gold = article(attribution([(100, 200)]))
    # 51 of 100 characters inside
    assert run(gold, [quote(149, 249)])["direct"]["tp"] == 1


def test_prediction_exactly_half_inside_does_not_match():
    gold = article(attribution([(100, 200)]))
    result = run(gold, [quote(150, 250)])["direct"]
    assert (result["tp"], result["fp"]) == (0, 1)


def test_half_must_be_inside_one_gold_not_split_over_two():
    # 40 chars in each of two gold contents: 80% inside gold overall, but < half in either
    gold = article(attribution([(100, 140)]), attribution([(160, 200)]))
    result = run(gold, [quote(100, 200)])["direct"]
    assert (result["tp"], result["fp"]) == (0, 1)


def test_prediction_segments_are_used_instead_of_content_extent():
    gold = article(attribution([(100, 120)]))
    # content extent 100-300 is mostly outside, but its segments are inside
    pred = quote(100, 300, segments=[(100, 110), (290, 300)])
    assert run(gold, [pred])["direct"]["tp"] == 0  # 10 of 20 inside: exactly half
    pred = quote(100, 300, segments=[(100, 111), (290, 300)])
    assert run(gold, [pred])["direct"]["tp"] == 1


# --- a gold attribution is found when predictions cover MORE than 30% of it ---


def test_gold_found_above_30_percent_coverage():
    gold = article(attribution([(0, 100)], source=()))
    assert run(gold, [quote(0, 31)])["direct"]["found"] == 1
    result = run(gold, [quote(0, 30)])["direct"]
    assert (result["found"], result["fn"]) == (0, 1)


def test_coverage_adds_up_over_several_predictions():
    gold = article(attribution([(0, 100)]))
    assert run(gold, [quote(0, 20), quote(50, 61)])["direct"]["found"] == 1
    # overlapping predictions are not counted twice
    assert run(gold, [quote(0, 20), quote(10, 30)])["direct"]["found"] == 0


def test_discontinuous_gold_content_is_the_union_of_its_segments():
    # gold content: 100-150 and 300-350 (100 chars); the gap is not content
    gold = article(attribution([(100, 150), (300, 350)]))
    # prediction 100-200: 50 of 100 inside -> not more than half
    assert run(gold, [quote(100, 200)])["direct"]["tp"] == 0
    # prediction over both segments with its own segments: all inside
    pred = quote(100, 350, segments=[(100, 150), (300, 350)])
    result = run(gold, [pred])["direct"]
    assert (result["tp"], result["found"]) == (1, 1)
    # 31 characters of the second segment cover 31% of the gold
    assert run(gold, [quote(300, 331)])["direct"]["found"] == 1
    assert run(gold, [quote(300, 330)])["direct"]["found"] == 0


# --- what each figure selects ---


def test_direct_precision_accepts_a_match_with_any_gold_type():
    gold = article(attribution([(100, 200)], quote_type="indirect"))
    result = run(gold, [quote(100, 200, kind="direct")])["direct"]
    assert (result["tp"], result["fp"], result["gold"]) == (1, 0, 0)


def test_direct_recall_counts_predicted_mixed_but_not_indirect():
    gold = article(attribution([(100, 200)], quote_type="direct"))
    assert run(gold, [quote(100, 200, kind="mixed")])["direct"]["found"] == 1
    assert run(gold, [quote(100, 200, kind="indirect")])["direct"]["found"] == 0
    # a predicted mixed quote is not scored for direct precision
    assert run(gold, [quote(100, 200, kind="mixed")])["direct"]["predicted"] == 0


def test_indirect_and_all_figures():
    gold = article(
        attribution([(100, 200)], quote_type="indirect"),
        attribution([(300, 400)], quote_type="direct"),
    )
    result = run(gold, [quote(100, 200, kind="indirect"), quote(600, 700, kind="mixed")])
    assert (result["indirect"]["tp"], result["indirect"]["found"], result["indirect"]["gold"]) == (1, 1, 1)
    assert (result["all"]["tp"], result["all"]["fp"], result["all"]["found"], result["all"]["fn"]) == (1, 1, 1, 1)


# --- speakers ---


def test_speaker_must_overlap_the_gold_source():
    gold = article(attribution([(100, 200)], source=[(10, 20)]))
    right = run(gold, [quote(100, 200, speaker=(15, 30))])["direct_mixed_speaker"]
    assert (right["tp"], right["found"]) == (1, 1)
    touching = run(gold, [quote(100, 200, speaker=(20, 30))])["direct_mixed_speaker"]
    assert (touching["tp"], touching["fp"], touching["found"], touching["fn"]) == (0, 1, 0, 1)
    missing = run(gold, [quote(100, 200, speaker=None)])["direct_mixed_speaker"]
    assert (missing["tp"], missing["found"]) == (0, 0)


def test_speaker_overlapping_any_source_segment_counts():
    gold = article(attribution([(100, 200)], source=[(10, 20), (40, 50)]))
    assert run(gold, [quote(100, 200, speaker=(45, 47))])["direct_mixed_speaker"]["tp"] == 1


def test_no_source_gold_wants_no_speaker_mention():
    gold = article(attribution([(100, 200)], source=(), kind="Attribution-no-source"))
    none = run(gold, [quote(100, 200, speaker=None)])["direct_mixed_speaker"]
    assert (none["tp"], none["found"]) == (1, 1)
    some = run(gold, [quote(100, 200, speaker=(0, 5))])["direct_mixed_speaker"]
    assert (some["tp"], some["found"]) == (0, 0)


def test_speaker_figure_precision_uses_any_gold_type_and_only_right_speaker_covers():
    gold = article(
        attribution([(100, 200)], quote_type="indirect", source=[(0, 10)]),
        attribution([(300, 400)], quote_type="mixed", source=[(20, 30)]),
    )
    preds = [
        quote(100, 200, kind="direct", speaker=(0, 3)),  # matches the indirect gold, right speaker
        quote(300, 400, kind="mixed", speaker=(0, 3)),  # matches the mixed gold, wrong speaker
    ]
    result = run(gold, preds)["direct_mixed_speaker"]
    assert (result["tp"], result["fp"], result["found"], result["fn"]) == (1, 1, 0, 1)


# --- bookkeeping ---


def test_empty_gold_content_is_not_scored():
    gold = article(attribution([], quote_type="indirect", source=()), attribution([(0, 10)]))
    assert run(gold, [])["all"]["gold"] == 1


def test_articles_with_direct_or_mixed():
    a1 = article(attribution([(0, 100)], quote_type="direct"), id="a1")
    a2 = article(attribution([(0, 100)], quote_type="mixed"), id="a2")
    a3 = article(attribution([(0, 100)], quote_type="indirect"), id="a3")
    preds = {"a1": [quote(0, 50, kind="mixed")], "a3": [quote(0, 100, kind="direct")]}
    result = polnear.score([a1, a2, a3], preds)
    assert result["articles_with_direct_or_mixed"] == {"articles": 2, "found": 1, "share": 0.5}


def test_precision_recall_f1_arithmetic():
    gold = article(attribution([(0, 100)]), attribution([(200, 300)]))
    result = run(gold, [quote(0, 100), quote(500, 600)])["direct"]
    assert result["precision"] == 0.5 and result["recall"] == 0.5 and result["f1"] == 0.5
    empty = run(gold, [])["direct"]
    assert (empty["precision"], empty["recall"], empty["f1"]) == (0.0, 0.0, 0.0)


def test_predictions_for_missing_articles_count_as_none():
    gold = article(attribution([(0, 100)]))
    result = polnear.score([gold], {})["direct"]
    assert result["fn"] == 1


def test_load_and_evaluate_extractor_with_a_stub(tmp_path):
    from newsledger.records import Record

    gold = article(attribution([(0, 100)]))
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")

    class Stub:
        def extract(self, articles):
            for a in articles:
                yield a, Record(id=a.id, language="en", quotes=[quote(0, 100)])

    assert polnear.load(path) == [gold]
    assert polnear.evaluate_extractor(path, Stub())["direct"]["f1"] == 1.0
