"""The offline gazetteer (newsledger.geo): normalisation, build, lookups, codes.

Most tests use a small gazetteer: every real country and first-level division
(the packages load in about a second) but only the handful of cities below,
written by hand from GeoNames. One slow test builds the full file once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from newsledger.geo import Gazetteer, GazetteerError, alpha2, alpha3, build_gazetteer, default_path, fips
from newsledger.geo.build import BUILD_VERSION
from newsledger.geo.names import cased_form, index_key, is_acronym, normalize_name
from newsledger.geo.sources import country_point, load_sources

# Contiguous United States, a generous box: the USA point must be in it.
CONTIGUOUS_US = ((24.5, 49.5), (-125.0, -66.9))


def _city(gid, name, lat, lon, cc, admin1, population, alternates=()):
    return {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": cc,
            "population": population, "timezone": "", "admin1code": admin1,
            "alternatenames": list(alternates)}


CITIES = [
    _city(2988507, "Paris", 48.85341, 2.3488, "FR", "11", 2138551, ["Parigi", "Lutetia", "PAR", "pa li"]),
    _city(4717560, "Paris", 33.66094, -95.55551, "US", "TX", 24782),
    _city(5367929, "Long Beach", 33.76696, -118.18923, "US", "CA", 474140),
    _city(5125011, "Long Beach", 40.58844, -73.65791, "US", "NY", 33550),
    _city(611717, "Tbilisi", 41.69411, 44.83368, "GE", "51", 1049498, ["Tiflis"]),
    _city(4180439, "Atlanta", 33.749, -84.38798, "US", "GA", 498715),
    _city(4299276, "Louisville", 38.25424, -85.75941, "US", "KY", 624444),
    _city(6173331, "Vancouver", 49.24966, -123.11934, "CA", "02", 600000),
    _city(4140963, "Washington, D.C.", 38.89511, -77.03637, "US", "DC", 689545, ["Washington", "D.C."]),
    _city(5368361, "Los Angeles", 34.05223, -118.24368, "US", "CA", 3820914, ["LA", "L.A.", "LAX", "luo shan ji"]),
    _city(2657896, "Zürich", 47.36667, 8.55, "CH", "ZH", 341730),
    _city(3013237, "Us", 49.1, 1.96667, "FR", "11", 1248),
    _city(524901, "Moscow", 55.75222, 37.61556, "RU", "48", 10381222, ["Moskva", "Москва"]),
]


@pytest.fixture(scope="module")
def small_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gaz") / "small.sqlite"
    build_gazetteer(path, sources=load_sources(cities={str(c["geonameid"]): c for c in CITIES}))
    return path


@pytest.fixture(scope="module")
def gaz(small_path) -> Gazetteer:
    with Gazetteer.open(small_path, build=False) as g:
        yield g


def _codes(entries):
    return [(e.level, e.country, e.admin1_code) for e in entries]


# ------------------------------------------------------------ normalisation


@pytest.mark.parametrize("a, b", [
    ("Zürich", "zurich"), ("ZURICH", "zurich"), ("The Hague", "hague"), ("U.S.", "us"),
    ("U. S.", "us"), ("Côte d\u2019Ivoire", "cote d'ivoire"), ("Winston-Salem", "winston salem"),
    ("Łódź", "lodz"), ("  New   York ", "new york"),
])
def test_normalize_name(a, b):
    assert normalize_name(a) == b


def test_index_key_drops_other_scripts_and_acronyms_are_cased():
    assert index_key("Москва") is None
    assert index_key("Zürich") == "zurich"
    assert is_acronym("U.S.") and is_acronym("NYC") and not is_acronym("Paris") and not is_acronym("PARIS!")
    assert cased_form("U.S.") == cased_form("US") == "US"
    assert cased_form("Ky.") == "Ky"


# ------------------------------------------------------------------ lookups


def test_georgia_is_the_country_and_the_us_state(gaz):
    found = _codes(gaz.candidates("Georgia"))
    assert ("country", "GEO", None) in found
    assert ("admin1", "USA", "GA") in found


def test_paris_france_first_and_paris_texas_present(gaz):
    found = gaz.candidates("Paris")
    assert found[0].geonameid == 2988507
    assert found[0].feature_code == "PPLC" and found[0].country == "FRA"
    texas = [e for e in found if e.geonameid == 4717560]
    assert texas and texas[0].admin1 == "Texas" and texas[0].admin1_code == "TX"
    assert [e.population for e in found] == sorted((e.population for e in found), reverse=True)


@pytest.mark.parametrize("form", ["Ky.", "Ky", "KY"])
def test_kentucky_abbreviations(gaz, form):
    found = gaz.candidates(form)
    assert found and found[0].name == "Kentucky" and found[0].level == "admin1"
    assert found[0].admin1_code == "KY" and found[0].country == "USA"


def test_abbreviations_are_case_sensitive(gaz):
    assert "Kentucky" not in [e.name for e in gaz.candidates("ky")]
    assert not any(e.name == "Mississippi" for e in gaz.candidates("miss"))
    assert gaz.candidates("Miss.")[0].name == "Mississippi"


def test_british_columbia(gaz):
    found = gaz.candidates("B.C.")
    assert found and found[0].name == "British Columbia" and found[0].country == "CAN"


def test_long_beach_california(gaz):
    assert any(e.country == "USA" and e.admin1 == "California" for e in gaz.candidates("Long Beach"))


@pytest.mark.parametrize("form", ["USA", "U.S.", "US", "U.S.A.", "United States", "America", "the United States"])
def test_usa_names_find_the_country_inside_the_contiguous_us(gaz, form):
    usa = gaz.candidates(form)[0]
    assert (usa.level, usa.country, usa.feature_code) == ("country", "USA", "PCLI")
    (lat_lo, lat_hi), (lon_lo, lon_hi) = CONTIGUOUS_US
    assert lat_lo < usa.lat < lat_hi and lon_lo < usa.lon < lon_hi


def test_lowercase_us_is_not_the_united_states(gaz):
    assert all(e.country != "USA" for e in gaz.candidates("us"))
    assert gaz.candidates("us")[0].name == "Us"  # the French village is a place


def test_city_alternate_names_filtered(gaz):
    assert gaz.candidates("LA")[0].geonameid == 5368361
    assert gaz.candidates("L.A.")[0].geonameid == 5368361
    assert not gaz.is_name("LAX")  # IATA codes are not names
    assert not gaz.is_name("luo shan ji")  # nor lowercase transliterations
    assert 5368361 not in [e.geonameid for e in gaz.candidates("la")]


def test_folding_and_the(gaz):
    # the canton has the city's population here (its only city): the city comes first
    assert [e.level for e in gaz.candidates("Zurich")] == ["city", "admin1"]
    assert gaz.candidates("ZÜRICH")[0].geonameid == 2657896
    assert gaz.candidates("The Netherlands")[0].country == "NLD"


def test_capital_and_entry_fields(gaz):
    tbilisi = gaz.get(611717)
    assert tbilisi.feature_code == "PPLC" and tbilisi.feature_class == "P" and tbilisi.level == "city"
    assert tbilisi.country == "GEO" and tbilisi.lat == pytest.approx(41.69411)
    assert gaz.get(4717560).feature_code == "PPL"
    assert gaz.get(123) is None


def test_country_and_admin1(gaz):
    france = gaz.country("FRA")
    assert (france.feature_class, france.feature_code, france.level) == ("A", "PCLI", "country")
    assert france.population > 60_000_000 and france.lat is not None
    assert gaz.country("XXX") is None
    kentucky = gaz.admin1("USA", "KY")
    assert kentucky.feature_code == "ADM1" and kentucky.admin1 == "Kentucky"
    # population and point come from its cities: here only Louisville
    assert kentucky.population == 624444
    assert (kentucky.lat, kentucky.lon) == pytest.approx((38.25424, -85.75941))
    assert gaz.admin1("USA", "US.KY") == kentucky
    assert gaz.admin1("CAN", "02").name == "British Columbia"
    assert gaz.admin1("USA", "ZZ") is None


def test_continents(gaz):
    europe = gaz.candidates("Europe")[0]
    assert (europe.level, europe.feature_class, europe.feature_code) == ("continent", "L", "CONT")
    assert europe.country is None and europe.lat is not None and europe.population > 0
    assert gaz.candidates("America")[0].country == "USA"  # the continents are North and South America


def test_admin1_without_cities_has_no_point(gaz):
    wyoming = gaz.admin1("USA", "WY")
    assert wyoming.population == 0 and wyoming.lat is None and wyoming.lon is None


def test_demonyms(gaz):
    assert gaz.demonym("Russian") == "RUS"
    assert gaz.demonym("Russians") == "RUS"
    assert gaz.demonym("American") == "USA"
    assert gaz.demonym("Montenegrin") == "MNE"
    assert gaz.demonym("Gibraltar") is None  # a place, not a demonym
    assert gaz.demonym("Paris") is None
    assert gaz.demonym("") is None


def test_is_name(gaz):
    assert gaz.is_name("Paris") and gaz.is_name("Tiflis") and gaz.is_name("U.S.")
    assert not gaz.is_name("Nowhereville") and not gaz.is_name("") and not gaz.is_name("   ")


def test_lookups_from_threads(gaz):
    errors = []

    def work():
        try:
            for _ in range(200):
                assert gaz.candidates("Paris")[0].geonameid == 2988507
                assert gaz.country("USA").country == "USA"
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# ------------------------------------------------------------ file handling


def test_open_is_fast_and_meta_is_recorded(small_path):
    started = time.perf_counter()
    g = Gazetteer.open(small_path, build=False)
    assert time.perf_counter() - started < 0.5
    meta = g.meta()
    assert meta["build_version"] == str(BUILD_VERSION)
    assert int(meta["count_countries"]) >= 250 and int(meta["count_cities"]) == len(CITIES)
    g.close()


def test_build_leaves_no_temporary_file(small_path):
    assert [p.name for p in small_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_missing_or_outdated_file_without_build_is_a_clear_error(tmp_path, small_path):
    with pytest.raises(GazetteerError, match="missing or was built by another version"):
        Gazetteer.open(tmp_path / "none.sqlite", build=False)
    old = tmp_path / "old.sqlite"
    old.write_bytes(small_path.read_bytes())
    with sqlite3.connect(old) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'build_version'")
    with pytest.raises(GazetteerError):
        Gazetteer.open(old, build=False)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    with pytest.raises(GazetteerError):
        Gazetteer.open(junk, build=False)


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.delenv("NEWSLEDGER_GAZETTEER", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "newsledger" / f"gazetteer-{BUILD_VERSION}.sqlite"
    monkeypatch.setenv("NEWSLEDGER_GAZETTEER", str(tmp_path / "g.sqlite"))
    assert default_path() == tmp_path / "g.sqlite"


# ----------------------------------------------------------------- codes


def test_codes():
    assert fips("USA") == "US" and fips("DEU") == "GM" and fips("GBR") == "UK"
    assert alpha3("US") == "USA" and alpha2("DEU") == "DE" and alpha3("de") == "DEU"
    assert fips("XXX") is None and alpha3("") is None and alpha2("ZZZ") is None


def test_country_point_order():
    """An override, else the Factbook point, else the largest polygon's centroid."""
    square = lambda x, y, s: [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]  # noqa: E731
    shape = {"geoJSON": {"features": [{"geometry": {"type": "MultiPolygon", "coordinates": [
        [square(-100, 30, 10)], [square(-160, 60, 5)]]}}]}}
    assert country_point({**shape, "latlng": [1, 2]}) == ((1.0, 2.0), "latlng")
    assert country_point(shape) == ((35.0, -95.0), "polygon")
    assert country_point({"latlng": [1, 2]}, override=(3.0, 4.0)) == ((3.0, 4.0), "override")
    assert country_point(None) == (None, "none")


# ------------------------------------------------------------- full build


@pytest.mark.slow
def test_full_build(tmp_path_factory):
    path = tmp_path_factory.mktemp("gazfull") / "full.sqlite"
    started = time.perf_counter()
    build_gazetteer(path)
    assert time.perf_counter() - started < 120
    with Gazetteer.open(path, build=False) as g:
        meta = g.meta()
        assert int(meta["count_cities"]) > 230_000 and int(meta["count_admin1"]) > 3_500
        assert int(meta["count_countries"]) >= 250
        found = _codes(g.candidates("Georgia"))
        assert ("country", "GEO", None) in found and ("admin1", "USA", "GA") in found
        paris = g.candidates("Paris")
        assert paris[0].geonameid == 2988507 and paris[0].feature_code == "PPLC"
        assert any(e.admin1 == "Texas" for e in paris)
        assert g.candidates("Ky.")[0].name == "Kentucky"
        assert g.candidates("B.C.")[0].name == "British Columbia"
        assert any(e.country == "USA" and e.admin1 == "California" for e in g.candidates("Long Beach"))
        usa = g.candidates("U.S.")[0]
        (lat_lo, lat_hi), (lon_lo, lon_hi) = CONTIGUOUS_US
        assert usa.country == "USA" and lat_lo < usa.lat < lat_hi and lon_lo < usa.lon < lon_hi
        assert g.get(5128581).feature_code == "PPL" and g.get(2643743).feature_code == "PPLC"  # NYC, London
        assert g.demonym("Russian") == "RUS"
