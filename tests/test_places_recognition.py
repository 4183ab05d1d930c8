"""Toponym recognition rules of nlp/places.find_toponyms (docs/places.md, section 1).

Hand-written sentences, one rule each.
"""

from __future__ import annotations

import pytest

from newsledger.nlp.places import find_toponyms

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gaz():
    from newsledger.geo.gazetteer import shared_gazetteer

    return shared_gazetteer()


def _found(nlp_extractor, gaz, text: str) -> list[str]:
    doc = nlp_extractor.nlp(text)
    return [text[s.start:s.end] for s in find_toponyms(doc, gaz)]


def test_dateline_in_capitals_is_a_place(nlp_extractor, gaz):
    found = _found(nlp_extractor, gaz, "BEIRUT (AP) — A Kurdish militia spokesman said on Tuesday that talks had failed.")
    assert "BEIRUT" in found


def test_washington_dc_is_one_span(nlp_extractor, gaz):
    found = _found(nlp_extractor, gaz, "Tickets are sold in 44 states, Washington, D.C., and the U.S. Virgin Islands.")
    assert "Washington, D.C." in found and "D.C." not in found
    assert "U.S. Virgin Islands" in found


def test_facility_names_are_places(nlp_extractor, gaz):
    found = _found(nlp_extractor, gaz, "He was taken to Colchester General Hospital after the crash on Royal Street.")
    assert "Colchester General Hospital" in found and "Colchester" not in found


def test_a_relative_with_a_towns_name_is_a_person(nlp_extractor, gaz):
    found = _found(nlp_extractor, gaz, "He is survived by his brother Tyler. Tyler was sentenced to 21 years.")
    assert "Tyler" not in found


def test_compass_words_alone_are_not_places(nlp_extractor, gaz):
    found = _found(nlp_extractor, gaz, "The Centre asked the court to clarify the order, officials in New Delhi said.")
    assert "Centre" not in found
