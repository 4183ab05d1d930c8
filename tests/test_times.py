"""Time expressions: the normaliser on hand-written expressions (no model), and
find_times / clause_date on hand-written sentences (the spaCy model).

Conventions in docs/times.md. Publication dates used here: 2019-03-06 is a
Wednesday; 2019-01-04 a Friday.
"""

from __future__ import annotations

from datetime import date

import pytest

from newsledger.evaluation.times import parse
from newsledger.nlp import times
from newsledger.nlp.timex import clause_date, find_times, quote_date

PUB = "2019-03-06"  # a Wednesday


@pytest.mark.parametrize("text,kind,value", [
    # weekdays and days: the last one on or before publication
    ("on Monday", "date", "2019-03-04"),
    ("Wednesday", "date", "2019-03-06"),
    ("last Wednesday", "date", "2019-02-27"),
    ("next Monday", "date", "2019-03-11"),
    ("Saturday night", "date", "2019-03-02"),
    ("Early Saturday morning", "date", "2019-03-02"),
    ("Monday's", "date", "2019-03-04"),
    ("yesterday", "date", "2019-03-05"),
    ("Yesterday evening", "date", "2019-03-05"),
    ("today", "date", "2019-03-06"),
    ("tomorrow", "date", "2019-03-07"),
    # calendar units
    ("last year", "date", "2018"),
    ("this month", "date", "2019-03"),
    ("next month", "date", "2019-04"),
    ("last week", "range", "2019-02-25/2019-03-03"),
    ("this week", "range", "2019-03-04/2019-03-10"),
    ("this weekend", "range", "2019-03-09/2019-03-10"),
    ("earlier this month", "range", "2019-03-01/2019-03-06"),
    ("later this year", "range", "2019-03-06/2019-12-31"),
    ("late last year", "range", "2018-09/2018-12"),
    # counted back
    ("two weeks ago", "range", "2019-02-18/2019-02-24"),
    ("three days ago", "date", "2019-03-03"),
    ("five months ago", "date", "2018-10"),
    ("two years ago", "date", "2017"),
    ("the past three years", "range", "2016-03-06/2019-03-06"),
    ("the next two weeks", "range", "2019-03-06/2019-03-20"),
    # months and days without a year: this year, or last year when > 60 days ahead
    ("March 17", "date", "2019-03-17"),
    ("June 21", "date", "2018-06-21"),
    ("the night of June 21", "date", "2018-06-21"),
    ("In July", "date", "2018-07"),
    ("late December", "range", "2018-12-21/2018-12-31"),
    ("mid-March", "range", "2019-03-11/2019-03-20"),
    ("March 15 to 17", "range", "2019-03-15/2019-03-17"),
    ("December 28 to January 3", "range", "2018-12-28/2019-01-03"),
    ("since June", "range", "2018-06/2019-03-06"),
    ("since 2014", "range", "2014/2019-03-06"),
    ("since last year", "range", "2018/2019-03-06"),
])
def test_relative_expressions_resolve_against_the_publication_date_and_not_without(text, kind, value):
    assert times.interpret(text, PUB) == (kind, value, "publication")
    alone = times.interpret(text, None)
    assert alone.kind == kind and alone.anchor in ("none", "absolute")
    if alone.anchor == "absolute":  # only "since <year>" keeps an open range
        assert alone.value == value.split("/")[0] + "/.."
    else:
        assert alone.value is None


@pytest.mark.parametrize("text,kind,value", [
    ("In 2017", "date", "2017"),
    ("the 2020 elections", "date", "2020"),
    ("October 2010", "date", "2010-10"),
    ("Friday, May 3, 2019", "date", "2019-05-03"),
    ("4 January 2019", "date", "2019-01-04"),
    ("2020-01-03", "date", "2020-01-03"),
    ("late 2019", "range", "2019-09/2019-12"),
    ("mid-2019", "range", "2019-05/2019-08"),
    ("the 1990s", "range", "1990/1999"),
    ("the early 1990s", "range", "1990/1993"),
    ("2019–20", "range", "2019/2020"),
    ("between 2014 and 2016", "range", "2014/2016"),
    ("15-17 March 2019", "range", "2019-03-15/2019-03-17"),
    ("within 24 hours", "duration", "PT24H"),
    ("for three years", "duration", "P3Y"),
    ("twenty three years", "duration", "P23Y"),
    ("two weeks", "duration", "P2W"),
    ("five-year", "duration", "P5Y"),
    ("annual", "set", "R/P1Y"),
    ("every year", "set", "R/P1Y"),
    ("monthly", "set", "R/P1M"),
    ("every Monday", "set", "R/P1W"),
    ("every four years", "set", "R/P4Y"),
    ("twice a year", "set", "R/P1Y"),
])
def test_absolute_expressions_resolve_with_or_without_a_publication_date(text, kind, value):
    assert times.interpret(text, PUB) == (kind, value, "absolute")
    assert times.interpret(text, None) == (kind, value, "absolute")


@pytest.mark.parametrize("text,kind", [
    ("a recent interview", "date"),
    ("recent years", "range"),
    ("the past few years", "range"),
    ("several years", "duration"),
    ("the previous year", "range"),
    ("two days later", "date"),
    ("last season", "date"),
    ("this summer", "date"),
    ("Christmas", "date"),
])
def test_vague_expressions_stay_null(text, kind):
    assert times.interpret(text, PUB) == (kind, None, "none")


def test_a_weekday_or_a_date_in_a_future_clause_is_the_next_one():
    assert times.interpret("Monday", PUB, future=True).value == "2019-03-11"
    assert times.interpret("Wednesday", PUB, future=True).value == "2019-03-06"
    assert times.interpret("February 1", PUB, future=True).value == "2020-02-01"
    assert times.interpret("February 1", PUB).value == "2019-02-01"


def test_a_month_in_a_past_clause_is_the_last_one():
    assert times.interpret("In December", "2019-10-08").value == "2019-12"  # within the 60 days' slack
    assert times.interpret("In December", "2019-10-08", past=True).value == "2018-12"
    assert times.interpret("November 20", "2019-10-08", past=True).value == "2019-11-20"  # days keep the slack rule


def test_normalise_keeps_the_event_coders_reading_dates_only():
    assert times.normalise("on Friday", "2019-01-04") == "2019-01-04"
    assert times.normalise("on Friday", "2019-01-04", forward=True) == "2019-01-04"
    assert times.normalise("last year", "2019-01-04") == "2018"
    assert times.normalise("last week", "2019-01-04") is None  # a range, not a date
    assert times.normalise("on Friday", None) is None
    assert times.normalise("January 3, 2020") == "2020-01-03"
    assert times.normalise("in December", "2019-10-08") is None  # which December is a guess
    assert times.normalise("March 8", "2020-10-18", forward=True) == "2020-03-08"  # forward moves weekdays only


def test_date_bounds_of_dates_and_closed_ranges():
    assert times.date_bounds("2020") == (date(2020, 1, 1), date(2020, 12, 31))
    assert times.date_bounds("2020-02") == (date(2020, 2, 1), date(2020, 2, 29))
    assert times.date_bounds("2019-09/2019-12") == (date(2019, 9, 1), date(2019, 12, 31))
    assert times.date_bounds("1995/..") is None
    assert times.date_bounds("P3Y") is None


# ---- in a Doc (the spaCy model) ---------------------------------------------------------------


def _times(nlp_extractor, text, published=None):
    doc = parse(nlp_extractor, text)
    return doc, find_times(doc, published)


def _at(found, text):
    return next(t for t in found if t.text == text)


@pytest.mark.slow
def test_find_times_keeps_exact_spans_and_reads_against_the_publication_date(nlp_extractor):
    text = "An apartment building collapsed on Monday in Magnitogorsk. The leaders will meet on Monday."
    doc, found = _times(nlp_extractor, text, "2019-01-04")
    first, second = [t for t in found if t.text == "Monday"]
    assert text[first.start:first.end] == "Monday" and first.value == "2018-12-31" and first.anchor == "publication"
    assert second.value == "2019-01-07"  # "will meet": the next Monday


@pytest.mark.slow
def test_without_a_publication_date_only_absolute_expressions_resolve(nlp_extractor):
    text = ("In 2017, Lukashenko said the border would never be a border of war. After the 2020 elections, "
            "relations deteriorated last year. Within 24 hours, troops will be deployed, Zelensky said in a recent "
            "interview.")
    _, found = _times(nlp_extractor, text)
    assert (_at(found, "2017").value, _at(found, "2017").anchor) == ("2017", "absolute")
    assert _at(found, "2020").value == "2020"
    assert (_at(found, "last year").value, _at(found, "last year").anchor) == (None, "none")
    assert (_at(found, "24 hours").kind, _at(found, "24 hours").value) == ("duration", "PT24H")
    assert not any("recent" in t.text and t.value for t in found)


@pytest.mark.slow
def test_ages_and_counts_are_not_times_and_since_joins_the_span(nlp_extractor):
    text = "He was 82 years old. A 45-year-old man led 1900 troops. The festival has been held annually since 2014."
    _, found = _times(nlp_extractor, text, "2019-05-01")
    assert not any(t.text in ("82 years old", "45-year-old", "1900") for t in found)
    assert _at(found, "since 2014").value == "2014/2019-05-01"
    assert _at(found, "annually").value == "R/P1Y"


@pytest.mark.slow
def test_a_dateline_run_into_the_first_sentence_is_cut_at_the_line_break(nlp_extractor):
    text = "Monday, March 25, 2019\xa0\n\n\nFrom March 15 to 17, the city of Toronto played host to a convention."
    _, found = _times(nlp_extractor, text, "2019-03-25")
    assert (_at(found, "March 15 to 17").kind, _at(found, "March 15 to 17").value) == ("range", "2019-03-15/2019-03-17")


@pytest.mark.slow
def test_the_tense_of_the_clause_picks_the_year_of_a_month(nlp_extractor):
    text = "In December, Trump announced a withdrawal. The new law will take effect in February."
    _, found = _times(nlp_extractor, text, "2019-10-08")
    assert _at(found, "December").value == "2018-12"
    assert _at(found, "February").value == "2020-02"


@pytest.mark.slow
def test_clause_date_is_the_own_clauses_expression(nlp_extractor):
    text = ("Officials said on Tuesday that the building collapsed on Monday. Police arrested him on Friday and charged "
            "him. In 2017, he said it and later joked about it.")
    doc, found = _times(nlp_extractor, text, "2019-03-06")
    said = next(t for t in doc if t.text == "said")
    collapsed = next(t for t in doc if t.text == "collapsed")
    charged = next(t for t in doc if t.text == "charged")
    assert clause_date(doc, said, found).value == "2019-03-05"
    assert clause_date(doc, collapsed, found).value == "2019-03-04"
    assert clause_date(doc, charged, found).value == "2019-03-01"  # shares "arrested ... on Friday"
    joked = next(t for t in doc if t.text == "joked")
    assert joked.dep_ != "conj" or clause_date(doc, joked, found) is None  # "later": not 2017


@pytest.mark.slow
def test_quote_date_and_no_date_from_a_clause_below_or_a_dateline(nlp_extractor):
    text = "Friday, January 4, 2019\n\nIn 2017, Lukashenko said that the troops left in 2015. Zelensky said it."
    doc, found = _times(nlp_extractor, text, "2019-01-04")
    said = [t for t in doc if t.text == "said"]
    assert quote_date(doc, said[0], found).value == "2017"
    assert quote_date(doc, said[1], found) is None


def test_a_recent_interview_is_a_time_without_a_value(nlp_extractor):
    """The seed's "a recent interview": listed, its value null with or without a publication date."""
    from newsledger.nlp import timex

    for published in (None, "2020-05-01"):
        doc = nlp_extractor.nlp("In a recent interview, the minister said talks would go on.")
        found = [t for t in timex.find_times(doc, published) if t.text == "a recent interview"]
        assert found and found[0].value is None and found[0].anchor == "none"
