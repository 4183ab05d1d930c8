"""Places: recognition, metonymy and resolution in context (docs/places.md).

Hand-written sentences over the real gazetteer (built on first use) and the
seed article's places and event locations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.article import Article
from newsledger.geo.resolve import Span, distance_km, resolve

pytestmark = pytest.mark.slow
SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_article.txt"


@pytest.fixture(scope="module")
def gaz():
    from newsledger.geo.gazetteer import shared_gazetteer

    return shared_gazetteer()


def _resolve(gaz, text: str, *names: str):
    spans = [Span(text.index(n), text.index(n) + len(n)) for n in names]
    return resolve(text, spans, gaz)


def _places(nlp_extractor, text: str, date=None):
    art = Article.from_text(text, date=date, language="en")
    return next(iter(nlp_extractor.extract([art])))[1]


def test_city_state_pattern_picks_the_named_parent(gaz):
    texts = {"France": "The festival in Paris drew crowds.", "USA": "The rodeo in Paris, Texas drew crowds."}
    for country, text in texts.items():
        (paris, *_) = _resolve(gaz, text, "Paris")
        assert paris.country == ("FRA" if country == "France" else "USA"), text
        assert paris.level == "city"


def test_georgia_follows_the_article(gaz):
    us = _resolve(gaz, "Storms hit Atlanta and Savannah, Georgia, on Monday. Georgia declared an emergency.",
                  "Atlanta", "Savannah", "Georgia")
    assert us[2].country == "USA" and us[2].level == "admin1"
    caucasus = _resolve(gaz, "Protests filled Tbilisi. Georgia's neighbour Armenia watched. Georgia is a small country.",
                        "Tbilisi", "Armenia", "Georgia")
    assert caucasus[2].country == "GEO" and caucasus[2].level == "country"


def test_abbreviations_resolve(gaz):
    ky = _resolve(gaz, "He grew up in Lexington, Ky., and moved away.", "Lexington", "Ky.")
    assert ky[0].admin1 == "Kentucky" and ky[1].name == "Kentucky"
    bc = _resolve(gaz, "Wildfires spread in B.C. this week.", "B.C.")
    assert bc[0].country == "CAN" and bc[0].level == "admin1"


def test_below_coverage_falls_back_without_inventing_a_point(gaz):
    text = "Crowds gathered on Frenchmen Zzyzxa Street, Louisiana. Nothing is known of Qqvarnbo."
    street, nowhere = _resolve(gaz, text, "Frenchmen Zzyzxa Street", "Qqvarnbo")
    assert street.level == "admin1" and street.admin1 == "Louisiana" and street.confidence <= 0.3
    assert nowhere.lat is None and nowhere.level is None and nowhere.name is None


def test_country_point_is_central():
    from newsledger.geo.gazetteer import shared_gazetteer

    usa = shared_gazetteer().country("USA")
    assert distance_km(usa.lat, usa.lon, 39.8, -98.6) < 161  # Kansas, not pulled towards Alaska


def test_demonyms_and_metonymy_in_the_pipeline(nlp_extractor):
    text = ("Moscow said on Tuesday that a Russian official had visited Kyiv. "
            "Fighting continued in Bakhmut, where shelling hit homes.")
    rec = _places(nlp_extractor, text, date="2023-01-10")
    by_text = {p.text: p for p in rec.places}
    assert by_text["Moscow"].metonymic and by_text["Moscow"].country == "RUS"
    assert by_text["Russian"].metonymic  # a demonym is never an event's location
    assert not by_text["Kyiv"].metonymic and by_text["Kyiv"].country == "UKR"
    assert all(p.start < p.end and text[p.start:p.end] == p.text for p in rec.places)


def test_seed_places_and_event_locations(nlp_extractor):
    text = SEED.read_text(encoding="utf-8")
    rec = _places(nlp_extractor, text)
    literal = {p.country for p in rec.places if not p.metonymic and p.level == "country"}
    assert {"BLR", "POL", "UKR"} <= literal
    deploy = [e for e in rec.events if e.type == "MOBILIZE" and "hypothetical" in e.modes]
    assert deploy and deploy[0].location is not None and deploy[0].location.country_code == "BLR"
    assert deploy[0].location.source in ("clause", "sentence")
    assert all(e.date_source is None for e in rec.events if e.date is None)  # no publication date: nothing invented
