"""Strict (80% both ways) and exact-span PolNeAR figures on tiny hand-made cases,
and `newsledger eval quotes` on a tiny hand-written PolNeAR-shaped file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsledger.cli.main import app
from newsledger.evaluation import polnear_strict
from newsledger.evaluation.polnear_strict import score_exact, score_strict, trim
from newsledger.records import Cue
from tests.conftest import FIXTURES
from tests.test_polnear_scorer import article, attribution, quote

TINY = FIXTURES / "polnear_tiny.jsonl"


def strict(gold, preds):
    return score_strict([gold], {gold["id"]: preds})


# --- strict: common content >= 80% of the prediction AND >= 80% of the gold ---


def test_strict_needs_80_percent_of_the_gold():
    gold = article(attribution([(100, 200)]))
    ok = strict(gold, [quote(100, 180)])["direct_mixed"]  # 80 of 100 gold chars, all of the prediction
    assert (ok["tp"], ok["found"]) == (1, 1)
    short = strict(gold, [quote(100, 179)])["direct_mixed"]  # 79%: the lenient rules still accept it
    assert (short["tp"], short["fp"], short["found"], short["fn"]) == (0, 1, 0, 1)


def test_strict_needs_80_percent_of_the_prediction():
    gold = article(attribution([(100, 200)]))
    ok = strict(gold, [quote(100, 225)])["direct_mixed"]  # 100 of 125 = 80% of the prediction
    assert (ok["tp"], ok["found"]) == (1, 1)
    long = strict(gold, [quote(100, 226)])["direct_mixed"]  # 100 of 126 < 80%
    assert (long["tp"], long["fp"], long["found"], long["fn"]) == (0, 1, 0, 1)


def test_strict_found_does_not_add_up_over_predictions():
    gold = article(attribution([(100, 200)]))
    result = strict(gold, [quote(100, 150), quote(150, 200)])["direct_mixed"]
    assert (result["tp"], result["found"]) == (0, 0)


def test_strict_selects_direct_and_mixed_and_checks_speakers():
    gold = article(
        attribution([(100, 200)], quote_type="indirect", source=[(0, 10)]),
        attribution([(300, 400)], quote_type="mixed", source=[(20, 30)]),
    )
    preds = [
        quote(100, 200, kind="direct", speaker=(0, 3)),  # precision counts a match with any gold type
        quote(300, 400, kind="mixed", speaker=(0, 3)),  # right content, wrong speaker
        quote(600, 700, kind="indirect"),  # not scored
    ]
    result = strict(gold, preds)
    content, speaker = result["direct_mixed"], result["direct_mixed_speaker"]
    assert (content["tp"], content["fp"], content["found"], content["fn"]) == (2, 0, 1, 0)
    assert (speaker["tp"], speaker["fp"], speaker["found"], speaker["fn"]) == (1, 1, 0, 1)


# --- exact: trimming ---


def test_trim_rules_exactly():
    text = '"that the plan," x'
    start, end = trim(text, 0, 16)
    assert text[start:end] == "the plan"
    text = "  that that works.  "
    assert text[slice(*trim(text, 0, len(text)))] == "works"
    text = "thatcher said"  # "that" as the start of a word is kept
    assert text[slice(*trim(text, 0, 8))] == "thatcher"
    text = "that"  # only the word: nothing after it, kept
    assert trim(text, 0, 4) == (0, 4)
    assert trim('" ,. “”', 0, 7) is None


def exact_quote(start, end, segments=(), speaker=None, cue=None, kind="direct"):
    q = quote(start, end, kind=kind, segments=segments, speaker=speaker)
    if cue:
        q.cue = Cue(cue[0], cue[1], "", "")
    return q


def exact_article(text, *attributions):
    return {"id": "x1", "text": text, "attributions": list(attributions)}


def span_attr(text, source, cue, contents, quote_type="indirect"):
    def at(s):
        i = text.index(s)
        return [i, i + len(s)]

    return {
        "id": "E1",
        "type": "Attribution",
        "source": {"spans": [at(source)] if source else []},
        "cue": {"spans": [at(cue)] if cue else []},
        "content": {"spans": [at(c) for c in contents]},
        "quote_type": quote_type,
    }


def test_exact_content_ignores_leading_that_quote_marks_and_punctuation():
    text = 'Officials said that "the plan has failed." Then they left.'
    gold = exact_article(text, span_attr(text, "Officials", "said", ['that "the plan has failed."']))
    i = text.index("the plan")
    pred = exact_quote(i, i + len("the plan has failed"), speaker=(0, 9), cue=(10, 14), kind="mixed")
    result = score_exact([gold], {"x1": [pred]})
    for field in ("source", "cue", "content"):
        assert (result[field]["tp"], result[field]["predicted"], result[field]["gold"]) == (1, 1, 1), field
    shorter = exact_quote(i, i + len("the plan has"), speaker=(0, 8), cue=(10, 14))
    result = score_exact([gold], {"x1": [shorter]})
    assert (result["content"]["tp"], result["source"]["tp"], result["cue"]["tp"]) == (0, 0, 1)


def test_exact_discontinuous_spans_compare_first_start_to_last_end():
    text = '"We won," he said, "and we will win again."'
    gold = exact_article(text, span_attr(text, "he", "said", ['"We won,"', '"and we will win again."'], "direct"))
    a, b = text.index("We won"), text.index("and we")
    pred = exact_quote(a, b + len("and we will win again"), segments=[(a, a + 6), (b, b + 21)])
    assert score_exact([gold], {"x1": [pred]})["content"]["tp"] == 1
    # an extent that stops early is wrong
    pred = exact_quote(a, b + 6, segments=[(a, a + 6), (b, b + 6)])
    assert score_exact([gold], {"x1": [pred]})["content"]["tp"] == 0


def test_exact_pairs_one_to_one_and_counts_spans_present():
    gold = exact_article("x" * 300)
    gold["attributions"] = [
        {"id": "E1", "type": "Attribution-no-source", "source": {"spans": []}, "cue": {"spans": [[0, 5]]},
         "content": {"spans": [[100, 200]]}, "quote_type": "direct"},
    ]
    # two predictions match the one gold: only the larger overlap pairs (and is exact)
    preds = [exact_quote(100, 200), exact_quote(100, 160)]
    result = score_exact([gold], {"x1": preds})
    assert result["pairs"] == 1
    assert (result["content"]["tp"], result["content"]["predicted"], result["content"]["gold"]) == (1, 2, 1)
    # no gold source and no predicted speakers: nothing to score for sources
    assert (result["source"]["predicted"], result["source"]["gold"]) == (0, 0)
    # a gold cue but no predicted cue: recall counts it, precision does not
    assert (result["cue"]["tp"], result["cue"]["predicted"], result["cue"]["gold"]) == (0, 0, 1)


# --- the command ---


def test_eval_quotes_help_has_an_example():
    result = CliRunner().invoke(app, ["eval", "quotes", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "newsledger eval quotes --polnear" in result.output


def test_eval_quotes_missing_file_is_exit_2(tmp_path):
    result = CliRunner().invoke(app, ["eval", "quotes", "--polnear", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and result.stderr.startswith("error:")


@pytest.mark.slow
def test_eval_quotes_on_a_tiny_file_with_the_real_extractor():
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "quotes", "--polnear", str(TINY), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"file", "articles", "lenient", "strict", "exact"}
    assert out["articles"] == 2
    assert out["lenient"]["all"]["gold"] == 4 and out["exact"]["attributions"] == 4
    assert out["lenient"]["direct"]["f1"] == 1.0
    assert out["strict"]["direct_mixed"]["gold"] == 3
    # our content leaves out "that" and the quote marks: exact content still agrees
    assert out["exact"]["content"]["tp"] >= 3
    table = runner.invoke(app, ["eval", "quotes", "--polnear", str(TINY)])
    assert table.exit_code == 0 and "direct_mixed_speaker" in table.stdout and "exact" in table.stdout


def test_evaluate_all_has_the_three_groups():
    gold = article(attribution([(0, 100)]))
    out = polnear_strict.evaluate_all([gold], {"a1": [quote(0, 100)]})
    assert out["lenient"]["direct"]["f1"] == 1.0 and out["strict"]["direct_mixed"]["f1"] == 1.0
    assert out["exact"]["content"]["gold"] == 1  # "x" * 1000: nothing to trim
