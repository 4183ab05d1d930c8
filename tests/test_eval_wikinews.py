"""The Wikinews resolved-speaker set: the scorer's rules on tiny hand-made cases,
and the extractor's figures on tests/data/wikinews_attributions.jsonl (floors).

The rules are in docs/evaluation.md ("Resolved speaker names on Wikinews"), the
set in tests/data/README.md. Run ``pytest -s tests/test_eval_wikinews.py`` to
see the figures.
"""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import common
from newsledger.cli.main import app
from newsledger.errors import InputNotFound
from newsledger.evaluation import wikinews
from newsledger.records import Mention, Quote, Record, Span, Speaker
from tests.conftest import REPO

GOLD = REPO / "tests" / "data" / "wikinews_attributions.jsonl"
MIN_ARTICLES = 20  # the issue asks for at least 20 annotated articles

# Measured on 2026-11-30 (en_core_web_sm 3.8), rounded down. The issue's
# targets are 0.90 (direct+mixed) and 0.70 (all); see docs/evaluation.md for
# the figures and the main errors.
FLOOR_DIRECT_MIXED_SPEAKER_RECALL = 0.90  # measured 0.9041 (66/73); 0.8630 on 2026-11-29, 0.6712 before any tuning
FLOOR_ALL_SPEAKER_RECALL = 0.73  # measured 0.7322 (175/239); 0.6987 on 2026-11-29, 0.4812 before any tuning
FLOOR_DIRECT_MIXED_RECALL = 0.98  # measured 0.9863 (72/73), content only


# ---- tiny hand-made cases (no spaCy, no ../shared) ---------------------------------


def attribution(content, speaker="Jane Doe", kind="direct", speaker_type=None, others=()):
    a = {"kind": kind, "content": [list(c) for c in content], "speaker": speaker,
         "speaker_type": speaker_type or ("none" if speaker is None else "person")}
    if others:
        a["other_speakers"] = list(others)
    return a


def article(*attributions, url="u1"):
    return {"url": url, "text_sha256": "0" * 64, "attributions": list(attributions)}


def quote(start, end, name=None, mention=None, kind="direct", segments=()):
    said = Mention(0, len(mention), mention) if mention else None
    return Quote(kind=kind, content=Mention(start, end, ""), segments=[Span(s, e) for s, e in segments],
                 cue=None, speaker=Speaker(name=name, mention=said))


def run(gold, quotes):
    return wikinews.score([gold], {gold["url"]: quotes})


def test_normalise_name_folds_case_accents_punctuation_and_a_leading_the():
    assert wikinews.normalise_name("The Aviation Herald") == ("aviation", "herald")
    assert wikinews.normalise_name("Jarosław Kaczyński") == ("jaroslaw", "kaczynski")
    assert wikinews.normalise_name("Igor Matovič's office") == ("igor", "matovic", "s", "office")
    assert wikinews.normalise_name("  ") is None and wikinews.normalise_name(None) is None


@pytest.mark.parametrize("predicted, gold, right", [
    ("Donald Trump", "Donald Trump", True),
    ("Trump", "Donald Trump", True),  # the surname alone
    ("John Bolton", "John R. Bolton", True),  # a middle initial left out
    ("Hunter Biden", "Joe Biden", False),  # a different full name
    ("Donald", "Donald Trump", False),  # not the last word
    ("PG&E", "Pacific Gas and Electric Company", False),  # no acronym expansion
    ("Sheriff Lee", "Kerry Lee", False),  # a word the gold name lacks
])
def test_same_speaker(predicted, gold, right):
    assert wikinews.same_speaker(wikinews.normalise_name(predicted), wikinews.normalise_name(gold)) is right


def test_found_with_the_right_name_needs_both_content_and_name():
    gold = article(attribution([(100, 200)], "Donald Trump"))
    assert run(gold, [quote(100, 200, name="Trump")])["direct_mixed_speaker"]["found"] == 1
    wrong = run(gold, [quote(100, 200, name="Joe Biden")])
    assert wrong["direct_mixed_speaker"]["found"] == 0 and wrong["direct_mixed"]["found"] == 1
    assert (wrong["direct_mixed_speaker"]["tp"], wrong["direct_mixed_speaker"]["fp"]) == (0, 1)


def test_found_means_more_than_30_percent_covered():
    gold = article(attribution([(100, 200)], "Jane Doe"))
    assert run(gold, [quote(100, 131, name="Jane Doe")])["all_speaker"]["found"] == 1
    assert run(gold, [quote(100, 130, name="Jane Doe")])["all_speaker"]["found"] == 0


def test_a_null_gold_speaker_wants_no_predicted_speaker():
    gold = article(attribution([(0, 50)], None, kind="indirect"))
    assert run(gold, [quote(0, 50, kind="indirect")])["all_speaker"]["found"] == 1
    assert run(gold, [quote(0, 50, kind="indirect", mention="he")])["all_speaker"]["found"] == 1  # a bare pronoun
    assert run(gold, [quote(0, 50, kind="indirect", name="Jane Doe")])["all_speaker"]["found"] == 0


def test_an_unnamed_speaker_is_compared_by_its_mention_words():
    gold = article(attribution([(0, 50)], "officials", kind="indirect", speaker_type="group"))
    assert run(gold, [quote(0, 50, kind="indirect", mention="Officials")])["all_speaker"]["found"] == 1
    assert run(gold, [quote(0, 50, kind="indirect", mention="Residents")])["all_speaker"]["found"] == 0


def test_a_co_speaker_is_right_too():
    gold = article(attribution([(0, 50)], "Investigative Committee", kind="indirect",
                               speaker_type="organisation", others=["Federal Security Service"]))
    assert run(gold, [quote(0, 50, kind="indirect", name="Federal Security Service")])["all_speaker"]["found"] == 1


def test_direct_mixed_figures_score_only_those_kinds_but_any_predicted_kind_may_find_them():
    gold = article(attribution([(0, 50)], "Jane Doe", kind="mixed"), attribution([(60, 90)], "Jane Doe", kind="indirect"))
    result = run(gold, [quote(0, 50, kind="indirect", name="Jane Doe"), quote(60, 90, kind="indirect", name="Jane Doe")])
    assert result["direct_mixed_speaker"]["gold"] == 1 and result["direct_mixed_speaker"]["found"] == 1
    assert result["direct_mixed_speaker"]["predicted"] == 0  # indirect predictions are not scored there
    assert result["all_speaker"]["tp"] == 2 and result["all_speaker"]["found"] == 2
    assert result["attributions"] == {"direct": 0, "mixed": 1, "indirect": 1}


def test_segments_are_the_content_and_a_prediction_matches_more_than_half_inside():
    gold = article(attribution([(0, 20), (40, 60)], "Jane Doe"))
    result = run(gold, [quote(0, 60, name="Jane Doe", segments=[(0, 20), (40, 60)]), quote(15, 45, name="Jane Doe")])
    assert (result["all_speaker"]["tp"], result["all_speaker"]["fp"]) == (1, 1)  # 10 of 30 inside: no match


def test_outcomes_say_what_covered_each_gold_attribution():
    gold = article(attribution([(0, 50)], "Jane Doe"))
    (one,) = wikinews.outcomes([gold], {"u1": [quote(0, 50, name="John Roe", mention="he")]})
    assert one["found"] and not one["right"] and one["predicted"][0]["name"] == "John Roe"


# ---- the file and the corpus ---------------------------------------------------------


def test_load_names_the_bad_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    good = article(attribution([(0, 5)]))
    bad = article(attribution([(5, 5)]))
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(wikinews.GoldError, match="line 2: attribution 1: content"):
        wikinews.load(path)
    with pytest.raises(InputNotFound):
        wikinews.load(tmp_path / "missing.jsonl")


def write_corpus(folder, text='Jane Doe said "It rains."'):
    folder.mkdir()
    with open(folder / "news.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["url", "date", "title", "text"], ["https://x/1", "2020-01-01", "T", text]])
    return folder


def test_find_articles_checks_the_text_hash(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    (text,) = [a.text for a in wikinews.corpus_articles(corpus)]
    gold = {"url": "https://x/1", "text_sha256": wikinews.text_sha256(text), "attributions": []}
    assert wikinews.find_articles([gold], corpus)["https://x/1"].text == text
    with pytest.raises(wikinews.GoldError, match="changed since it was annotated"):
        wikinews.find_articles([{**gold, "text_sha256": "f" * 64}], corpus)
    with pytest.raises(wikinews.GoldError, match="not in the corpus"):
        wikinews.find_articles([{**gold, "url": "https://x/2"}], corpus)


class FakeExtractor:
    """Finds the one quotation of the tiny corpus and gives it to Jane Doe."""

    def extract(self, articles):
        for a in articles:
            start = a.text.index('"') + 1
            q = quote(start, a.text.index('"', start), name="Jane Doe")
            yield a, Record(id=a.id, language="en", quotes=[q])


def test_cli_scores_a_wikinews_file(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    (text,) = [a.text for a in wikinews.corpus_articles(corpus)]
    start = text.index('"') + 1
    gold = {"url": "https://x/1", "text_sha256": wikinews.text_sha256(text),
            "attributions": [attribution([(start, text.index('"', start))])]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    monkeypatch.setattr(common, "make_extractor", lambda settings: FakeExtractor())
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "quotes", "--wikinews", str(path), "--corpus", str(corpus), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["direct_mixed_speaker"]["recall"] == 1.0
    table = runner.invoke(app, ["eval", "quotes", "--wikinews", str(path), "--corpus", str(corpus)])
    assert "direct_mixed_speaker" in table.output
    neither = runner.invoke(app, ["eval", "quotes"])
    assert neither.exit_code == 2


# ---- the extractor on the annotated set (../shared, spaCy) ----------------------------


@pytest.fixture(scope="module")
def result(shared, nlp_extractor) -> dict:
    scores = wikinews.evaluate(GOLD, nlp_extractor, shared / "corpora" / "wikinews")
    print("\nWikinews resolved speakers:\n" + json.dumps(scores, indent=1))
    return scores


@pytest.mark.shared
@pytest.mark.slow
def test_the_set_is_whole(result):
    assert result["articles"] >= MIN_ARTICLES
    assert result["attributions"] == {"direct": 41, "mixed": 32, "indirect": 166}


@pytest.mark.shared
@pytest.mark.slow
def test_direct_and_mixed_found_with_the_right_name(result):
    assert result["direct_mixed_speaker"]["recall"] >= FLOOR_DIRECT_MIXED_SPEAKER_RECALL, result["direct_mixed_speaker"]
    assert result["direct_mixed"]["recall"] >= FLOOR_DIRECT_MIXED_RECALL, result["direct_mixed"]


@pytest.mark.shared
@pytest.mark.slow
def test_all_attributions_found_with_the_right_name(result):
    assert result["all_speaker"]["recall"] >= FLOOR_ALL_SPEAKER_RECALL, result["all_speaker"]
