"""Places and times in the ledger: migration 0006, the writer, `newsledger places`,
`newsledger events --country/--near`, and the places in the GDELT and PLOVER exports.

The records are hand-made (no geoparser, no spaCy): two articles.

- a (dated 2022-03-01): Russian forces shelled Kharkiv (ASSAULT, located in
  its own clause, dated Monday 2022-02-28 by the text); "Moscow said" is a
  metonymic mention; protesters marched in Lexington, Kentucky (PROTEST,
  located in its sentence, dated by the publication); a quote said "in 2017".
- b (undated): Polish officials met Ukrainian officials (CONSULT, actor POL,
  recipient UKR) with the place only in the next sentence, Kyiv (the weaker
  "article" source); Kharkiv named again; "Zzyzx Road" is not resolved.

So by where they happened: two events in Ukraine, one in the USA, none in
Poland (an actor's country is not where an event happened).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsledger.article import Article
from newsledger.cli.main import app
from newsledger.events import export as event_export
from newsledger.events import fold, plover
from newsledger.events.export import GDELT_EVENT_COLUMNS
from newsledger.records import (Actor, Cue, Event, Location, Mention, Place, Quote, Record, Span, Speaker,
                                Time)
from newsledger.settings import Settings
from newsledger.store import migrations, queries, writer
from newsledger.store.export import export
from newsledger.store.ledger import LedgerUnusable, open_ledger

A = ("Russian forces shelled Kharkiv on Monday. Moscow said the strikes would continue. "
     "Protesters marched in Lexington, Kentucky. \"We will win,\" Smith said in 2017.")
B = "Polish officials met Ukrainian officials. The talks in Kyiv lasted an hour, far from Kharkiv and Zzyzx Road."

# (surface, name, geonameid, lat, lon, country, admin1, feature, level)
KHARKIV = ("Kharkiv", "Kharkiv", 706483, 49.98081, 36.25272, "UKR", "Kharkivska", "P.PPLA", "city")
MOSCOW = ("Moscow", "Moscow", 524901, 55.75222, 37.61556, "RUS", "Moscow", "P.PPLC", "city")
LEXINGTON = ("Lexington", "Lexington", 4297999, 37.98869, -84.47772, "USA", "Kentucky", "P.PPLA2", "city")
KENTUCKY = ("Kentucky", "Kentucky", 6254925, 37.49588, -85.04799, "USA", "Kentucky", "A.ADM1", "admin1")
KYIV = ("Kyiv", "Kyiv", 703448, 50.45466, 30.5238, "UKR", "Kyiv City", "P.PPLC", "city")


def _at(text: str, surface: str) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface))


def _place(text: str, spec: tuple, metonymic: bool = False) -> Place:
    span = _at(text, spec[0])
    return Place(span.start, span.end, spec[0], *spec[1:], metonymic=metonymic, confidence=0.9)


def _location(record: Record, idx: int, source: str) -> Location:
    p = record.places[idx]
    fclass, fcode = p.feature.split(".")
    return Location(idx, p.text, p.name, p.geonameid, p.lat, p.lon, p.admin1, p.country, fclass, fcode,
                    p.level, source, 0.8)


def _event(text, type, trigger, actor, recipient=(), date=None, date_source=None) -> Event:
    t = _at(text, trigger)
    sentence_start = text.rfind(". ", 0, t.start)
    sentence = Span(0 if sentence_start < 0 else sentence_start + 2, text.index(".", t.start) + 1)
    side = [Actor(name, code, sector, _at(text, surface)) for surface, name, code, sector in actor]
    other = [Actor(name, code, sector, _at(text, surface)) for surface, name, code, sector in recipient]
    return Event(type=type, modes=[], contexts=[], quad=plover.quad(type), score=plover.score(type, None),
                 actor=side, recipient=other, trigger=Mention(t.start, t.end, trigger), sentence=sentence,
                 quote=None, confidence=0.8, date=date, coder="test-coder 0; PLOVER 2024", date_source=date_source)


def record_a(art: Article) -> Record:
    rec = Record(id=art.id, language="en")
    rec.places = [_place(A, KHARKIV), _place(A, MOSCOW, metonymic=True), _place(A, LEXINGTON),
                  _place(A, KENTUCKY)]
    monday, year = _at(A, "on Monday"), _at(A, "2017")
    rec.times = [Time(monday.start, monday.end, "on Monday", "date", "2022-02-28", "publication"),
                 Time(year.start, year.end, "2017", "date", "2017", "absolute")]
    shelled = _event(A, "ASSAULT", "shelled", [("Russian forces", "Russian forces", "RUS", "MIL")],
                     date="2022-02-28", date_source="text")
    shelled.location = _location(rec, 0, "clause")
    marched = _event(A, "PROTEST", "marched", [("Protesters", "Protesters", "USA", "CVL")],
                     date="2022-03-01", date_source="publication")
    marched.location = _location(rec, 2, "sentence")
    rec.events = [shelled, marched]
    content, smith, cue = _at(A, "We will win,"), _at(A, "Smith"), _at(A, "said in")
    rec.quotes = [Quote("direct", Mention(content.start, content.end, "We will win,"), [content],
                        Cue(cue.start, cue.start + 4, "said", "say"),
                        Speaker("Smith", None, Mention(smith.start, smith.end, "Smith")), date="2017")]
    return rec


def record_b(art: Article) -> Record:
    rec = Record(id=art.id, language="en")
    zzyzx = _at(B, "Zzyzx Road")
    rec.places = [_place(B, KYIV), _place(B, KHARKIV), Place(zzyzx.start, zzyzx.end, "Zzyzx Road")]
    met = _event(B, "CONSULT", "met", [("Polish officials", "Polish officials", "POL", "GOV")],
                 [("Ukrainian officials", "Ukrainian officials", "UKR", "GOV")])
    met.location = _location(rec, 0, "article")
    rec.events = [met]
    return rec


def corpus() -> list[tuple[Article, Record]]:
    a = Article.from_text(A, date="2022-03-01", url="https://one.example/a", outlet="One", origin="a.txt")
    b = Article.from_text(B, origin="b.txt")
    return [(a, record_a(a)), (b, record_b(b))]


def write_all(ledger, pairs) -> None:
    run = writer.start_run(ledger, Settings(), None, [])
    for art, rec in pairs:
        writer.write_article(ledger, art, rec, run)
    fold.fold(ledger)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "geo.duckdb"
    with open_ledger(path) as led:
        write_all(led, corpus())
    return path


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# -- storage --------------------------------------------------------------------------


def test_places_times_and_locations_round_trip_with_offsets(db):
    with open_ledger(db, read_only=True) as led:
        places = led.rows("SELECT p.*, a.text AS article FROM places p JOIN articles a ON a.id = p.article_id")
        times = led.rows("SELECT t.*, a.text AS article FROM times t JOIN articles a ON a.id = t.article_id")
        events = led.rows("SELECT e.*, a.text AS article FROM events e JOIN articles a ON a.id = e.article_id")
        quotes = led.rows("SELECT said_date FROM quotes")
    assert len(places) == 7 and len(times) == 2 and len(events) == 3
    for row in places + times:
        assert row["article"][row["start_char"]:row["end_char"]] == row["text"]
    moscow = next(p for p in places if p["text"] == "Moscow")
    assert moscow["metonymic"] is True and moscow["geonameid"] == 524901 and moscow["country"] == "RUS"
    zzyzx = next(p for p in places if p["text"] == "Zzyzx Road")
    assert (zzyzx["name"], zzyzx["geonameid"], zzyzx["lat"], zzyzx["level"]) == (None, None, None, None)
    assert {(t["text"], t["kind"], t["value"], t["anchor"]) for t in times} == {
        ("on Monday", "date", "2022-02-28", "publication"), ("2017", "date", "2017", "absolute")}
    by_type = {e["type"]: e for e in events}
    shelled = by_type["ASSAULT"]
    assert shelled["article"][shelled["loc_start"]:shelled["loc_end"]] == shelled["loc_text"] == "Kharkiv"
    assert (shelled["loc_name"], shelled["loc_country"], shelled["loc_admin1"]) == ("Kharkiv", "UKR", "Kharkivska")
    assert (shelled["loc_feature_class"], shelled["loc_feature_code"]) == ("P", "PPLA")
    assert (shelled["loc_resolution"], shelled["loc_source"], shelled["loc_geonameid"]) == ("city", "clause", 706483)
    assert (shelled["date"], shelled["date_source"]) == ("2022-02-28", "text")
    # a date that is only the publication date is not stored as the event's own (folding reads `date` so)
    assert (by_type["PROTEST"]["date"], by_type["PROTEST"]["date_source"]) == (None, "publication")
    assert by_type["CONSULT"]["loc_source"] == "article" and by_type["CONSULT"]["date_source"] is None
    assert quotes == [{"said_date": "2017"}]


def test_writing_an_article_again_duplicates_nothing(db):
    before = _counts(db)
    with open_ledger(db) as led:
        write_all(led, corpus())  # a re-ingest: the same articles, the same records
        art, rec = corpus()[0]
        rec.places.append(rec.places[0])  # one span twice in a record: still one row (the table's key)
        other = Article.from_text(A + " Again.", origin="c.txt")
        writer.write_article(led, other, Record(id=other.id, language="en", places=rec.places, times=rec.times),
                             writer.start_run(led, Settings(), None, []))
    after = _counts(db)
    assert {k: after[k] - before[k] for k in ("places", "times", "events", "quotes")} == {
        "places": 4, "times": 2, "events": 0, "quotes": 0}


def _counts(path) -> dict:
    with open_ledger(path, read_only=True) as led:
        return queries.table_counts(led)


def test_migration_applies_on_a_0005_ledger(tmp_path, monkeypatch, runner):
    path = tmp_path / "old.duckdb"
    every = migrations.available_migrations()
    assert every[-1][0] == "0006_places_times"
    monkeypatch.setattr(migrations, "available_migrations", lambda: [m for m in every if m[0] < "0006"])
    with open_ledger(path) as led:  # a ledger written before issue 5, with one article and event
        led.execute("INSERT INTO articles (id, text, date, run_id, ingested_at) VALUES ('old', 'Russia attacked.',"
                    " '2022-02-24', 1, current_timestamp)")
        led.execute("INSERT INTO events (id, article_id, idx, type, sentence_start, sentence_end, date, run_id)"
                    " VALUES ('e0', 'old', 0, 'ASSAULT', 0, 16, NULL, 1)")
        led.execute("INSERT INTO quotes (id, article_id, idx, kind, content_start, content_end, run_id)"
                    " VALUES ('q0', 'old', 0, 'direct', 0, 6, 1)")
        fold.fold(led)
    monkeypatch.setattr(migrations, "available_migrations", lambda: every)
    with pytest.raises(LedgerUnusable, match="0006_places_times"):
        open_ledger(path, read_only=True)  # read commands ask for an ingest to upgrade
    with open_ledger(path) as led:  # what any ingest does: the migration applies, old rows stay
        assert migrations.pending_migrations(led) == []
        old = led.rows("SELECT type, date_source, loc_country FROM events")
        assert old == [{"type": "ASSAULT", "date_source": None, "loc_country": None}]
        assert led.rows("SELECT said_date FROM quotes") == [{"said_date": None}]
        write_all(led, corpus())
        assert queries.table_counts(led)["places"] == 7
    assert len(_json(runner.invoke(app, ["events", "--db", str(path), "-f", "json"]))) == 4
    assert len(_json(runner.invoke(app, ["events", "--db", str(path), "-f", "json", "--country", "UKR"]))) == 2


# -- newsledger places ------------------------------------------------------------------


def test_places_command_groups_and_counts(runner, db):
    rows = _json(runner.invoke(app, ["places", "--db", str(db), "-f", "json"]))
    assert [r["name"] for r in rows][0] == "Kharkiv"  # most mentioned first
    kharkiv = rows[0]
    assert (kharkiv["mentions"], kharkiv["articles"], kharkiv["metonymic"]) == (2, 2, 0)
    assert (kharkiv["geonameid"], kharkiv["country"], kharkiv["level"]) == (706483, "UKR", "city")
    assert kharkiv["lat"] == pytest.approx(49.98081)
    moscow = next(r for r in rows if r["name"] == "Moscow")
    assert (moscow["mentions"], moscow["metonymic"]) == (1, 1)  # listed, and counted as an actor too
    assert len(rows) == 5 and None not in {r["name"] for r in rows}  # Zzyzx Road is unresolved
    usa = _json(runner.invoke(app, ["places", "--db", str(db), "-f", "jsonl", "--country", "usa"]))
    assert {r["name"] for r in usa} == {"Lexington", "Kentucky"}
    admin1 = _json(runner.invoke(app, ["places", "--db", str(db), "-f", "json", "--level", "admin1"]))
    assert [r["name"] for r in admin1] == ["Kentucky"]
    assert len(_json(runner.invoke(app, ["places", "--db", str(db), "-f", "json", "--limit", "2"]))) == 2


def test_places_command_table_csv_and_bad_input(runner, db):
    table = runner.invoke(app, ["places", "--db", str(db)], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "Kharkiv" in table.stdout and "49.9808, 36.2527" in table.stdout
    assert "1 place mention(s) are unresolved" in table.stderr
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["places", "--db", str(db), "-f", "csv"]).stdout)))
    assert rows[0]["name"] == "Kharkiv" and rows[0]["mentions"] == "2"
    for bad in (["--level", "town"], ["--country", "US"], ["--format", "xml"]):
        result = runner.invoke(app, ["places", "--db", str(db), *bad])
        assert result.exit_code == 2, bad
    result = runner.invoke(app, ["places", "--db", str(db), "--level", "town"])
    assert result.stderr.strip().splitlines() == [
        "error: --level 'town': use one of country, admin1, city, point"]
    helped = runner.invoke(app, ["places", "--help"])
    assert helped.exit_code == 0 and "Example:" in helped.output


# -- newsledger events --country / --near ----------------------------------------------------


def test_events_filter_by_the_country_where_they_happened(runner, db):
    base = ["events", "--db", str(db), "-f", "json"]
    ukraine = _json(runner.invoke(app, base + ["--country", "ukr"]))
    assert sorted(r["type"] for r in ukraine) == ["ASSAULT", "CONSULT"]
    assert _json(runner.invoke(app, base + ["--country", "POL"])) == []  # POL is only the CONSULT's actor
    assert [r["type"] for r in _json(runner.invoke(app, base + ["--country", "USA"]))] == ["PROTEST"]
    assert len(_json(runner.invoke(app, base + ["--actor", "POL"]))) == 1  # ... which --actor matches
    shelled = next(r for r in ukraine if r["type"] == "ASSAULT")
    loc = shelled["location"]
    assert (loc["resolved_place"], loc["country_code"], loc["resolution"], loc["source"]) == (
        "Kharkiv", "UKR", 4, "clause")
    assert A[loc["evidence"]["start"]:loc["evidence"]["end"]] == loc["extracted_place"] == "Kharkiv"
    assert (shelled["date"], shelled["date_source"]) == ("2022-02-28", "text")
    protest = _json(runner.invoke(app, base + ["--country", "USA"]))[0]
    assert (protest["date"], protest["date_source"]) == ("2022-03-01", "publication")
    consult = next(r for r in ukraine if r["type"] == "CONSULT")
    assert (consult["date"], consult["date_source"], consult["location"]["source"]) == (None, None, "article")


def test_events_near_a_point(runner, db):
    base = ["events", "--db", str(db), "-f", "json"]
    kyiv = "50.45,30.52,"
    near = _json(runner.invoke(app, base + ["--near", kyiv + "450"]))
    distances = {r["type"]: r["distance_km"] for r in near}
    assert set(distances) == {"CONSULT", "ASSAULT"}
    assert distances["CONSULT"] < 1 and 400 < distances["ASSAULT"] < 420  # Kyiv-Kharkiv is about 410 km
    assert [r["type"] for r in _json(runner.invoke(app, base + ["--near", kyiv + "400"]))] == ["CONSULT"]
    assert [r["type"] for r in _json(runner.invoke(app, base + ["--near", kyiv + "450", "--country", "UKR",
                                                                "--type", "ASSAULT"]))] == ["ASSAULT"]
    # across the Atlantic: Lexington, KY is about 6,900 km from Paris
    far = _json(runner.invoke(app, base + ["--near", "48.8566,2.3522,7000"]))
    assert "PROTEST" in {r["type"] for r in far} and all(r["distance_km"] <= 7000 for r in far)
    assert "distance_km" not in _json(runner.invoke(app, base))[0]


@pytest.mark.parametrize("value", ["50,30", "a,b,c", "95,30,10", "50,190,10", "50,30,-5", "50,30,0", "nan,1,1",
                                   "", "50,30,10,4"])
def test_bad_near_is_one_line_and_exit_2(runner, db, value):
    result = runner.invoke(app, ["events", "--db", str(db), "--near", value])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --near")


def test_bad_country_and_the_table(runner, db):
    bad = runner.invoke(app, ["events", "--db", str(db), "--country", "Ukraine"])
    assert bad.exit_code == 2 and bad.stderr.strip().splitlines() == [
        "error: --country 'Ukraine': give an ISO 3166 alpha-3 country code such as UKR or USA"]
    table = runner.invoke(app, ["events", "--db", str(db)], env={"COLUMNS": "250"})
    assert table.exit_code == 0
    assert "Kharkiv, UKR" in table.stdout and "Kyiv, UKR (article)" in table.stdout
    assert "2022-02-28 (text)" in table.stdout and "2022-03-01 (publ.)" in table.stdout
    text = runner.invoke(app, ["events", "--db", str(db), "-f", "csv", "--country", "USA"]).stdout
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert json.loads(row["location"])["resolved_place"] == "Lexington" and row["date_source"] == "publication"
    helped = runner.invoke(app, ["events", "--help"], env={"COLUMNS": "200"})
    assert "--near" in helped.output and "Actors' countries do not count" in helped.output


def test_haversine_sql_matches_known_distances(tmp_path):
    with open_ledger(tmp_path / "h.duckdb") as led:
        sql = "SELECT " + queries.HAVERSINE_KM_SQL.format(lat="$1", lon="$2").replace("?", "$3", 2).replace("?", "$4")

        def km(a, b):
            return led.execute(sql, [*a, *b]).fetchone()[0]

        london_paris = km((51.5074, -0.1278), (48.8566, 2.3522))
        same = km((10.0, 20.0), (10.0, 20.0))
        antipode = km((0.0, 0.0), (0.0, 180.0))
    assert london_paris == pytest.approx(343.5, abs=1) and same == 0
    assert antipode == pytest.approx(3.14159265 * queries.EARTH_RADIUS_KM, rel=1e-6)


# -- exports ----------------------------------------------------------------------------


def _gdelt_rows(db, tmp_path) -> dict[str, dict]:
    with open_ledger(db, read_only=True) as led:
        events_path, _ = export(led, tmp_path / "gdelt", "gdelt")
    rows = [dict(zip(GDELT_EVENT_COLUMNS, line.rstrip("\n").split("\t")))
            for line in events_path.read_text(encoding="utf-8").splitlines()]
    assert all(len(r) == 61 for r in rows)
    return {r["EventRootCode"]: r for r in rows}


def test_gdelt_action_geo_columns(db, tmp_path, monkeypatch):
    codes = {4297999: "KY", 706483: "07"}  # GeoNames admin1 codes, as the gazetteer gives them
    monkeypatch.setattr(event_export, "admin1_code", lambda geonameid: codes.get(geonameid))
    rows = _gdelt_rows(db, tmp_path)
    geo = lambda r: [r[f"ActionGeo_{f}"] for f in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code",
                                                    "Lat", "Long", "FeatureID")]
    assert geo(rows["18"]) == ["4", "Kharkiv, Kharkivska, Ukraine", "UP", "UP07", "", "49.9808", "36.2527", "706483"]
    assert geo(rows["14"]) == ["3", "Lexington, Kentucky, United States", "US", "USKY", "", "37.9887", "-84.4777",
                               "4297999"]
    assert geo(rows["04"])[:4] == ["4", "Kyiv, Kyiv City, Ukraine", "UP", "UP"]  # no admin1 code known: the country
    for r in rows.values():  # actors' places are not coded
        assert all(r[f"{side}Geo_{f}"] == "" for side in ("Actor1", "Actor2") for f in ("Type", "FullName", "Lat"))


def test_gdelt_geo_types_per_level():
    loc = {"loc_name": "Kentucky", "loc_country": "USA", "loc_resolution": "admin1", "loc_geonameid": 6254925,
           "loc_lat": 37.5, "loc_lon": -85.0, "loc_admin1": "Kentucky"}
    codes = {6254925: "KY", 2921044: None}
    real = event_export.admin1_code
    try:
        event_export.admin1_code = codes.get
        assert event_export.action_geo_fields(loc)[:4] == [2, "Kentucky, United States", "US", "USKY"]
        assert event_export.action_geo_fields(loc)[7] == "USKY"
        bavaria = {**loc, "loc_name": "Bavaria", "loc_country": "DEU", "loc_geonameid": 2951839}
        assert event_export.action_geo_fields(bavaria)[:3] == [5, "Bavaria, Germany", "GM"]
        germany = {**loc, "loc_name": "Germany", "loc_country": "DEU", "loc_resolution": "country",
                   "loc_geonameid": 2921044}
        assert event_export.action_geo_fields(germany) == [1, "Germany", "GM", "GM", "", "37.5000", "-85.0000", "GM"]
        point = {**loc, "loc_name": "Churchill Downs", "loc_resolution": "point", "loc_geonameid": 1}
        assert event_export.action_geo_fields(point)[0] == 3
        assert event_export.action_geo_fields({**loc, "loc_name": None}) == [""] * 8  # unresolved: nothing invented
        assert event_export.action_geo_fields({**loc, "loc_resolution": None}) == [""] * 8
    finally:
        event_export.admin1_code = real


def test_admin1_codes_come_from_a_built_gazetteer_only(monkeypatch):
    class Gazetteer:
        def get(self, geonameid):
            return type("Entry", (), {"admin1_code": "KY"})() if geonameid == 4297999 else None

    for gazetteer, expected in ((None, None), (Gazetteer(), "KY")):
        monkeypatch.setattr(event_export, "_gazetteer", lambda g=gazetteer: g)
        event_export.admin1_code.cache_clear()
        assert event_export.admin1_code(4297999) == expected
        assert event_export.admin1_code(None) is None and event_export.admin1_code(1) is None
    event_export.admin1_code.cache_clear()


def test_plover_export_has_event_loc_and_date_source(db, tmp_path):
    with open_ledger(db, read_only=True) as led:
        [path] = export(led, tmp_path / "p", "plover")
    records = {r["event"][0]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    loc = records["ASSAULT"]["event_loc"]
    assert (loc["extracted_place"], loc["resolved_place"], loc["geonameid"], loc["city"]) == (
        "Kharkiv", "Kharkiv", 706483, "Kharkiv", )
    assert (loc["province"], loc["country"], loc["country_code"], loc["resolution"]) == (
        "Kharkivska", "Ukraine", "UKR", 4)
    assert (loc["feature_class"], loc["feature_code"], loc["source"], loc["confidence"]) == ("P", "PPLA", "clause", 0.8)
    assert A[loc["evidence"]["start"]:loc["evidence"]["end"]] == "Kharkiv"
    assert records["ASSAULT"]["date_source"] == "text" and records["PROTEST"]["date_source"] == "publication"
    assert records["CONSULT"]["date_source"] is None and records["CONSULT"]["event_loc"]["source"] == "article"
    mention = records["ASSAULT"]["mentions"][0]
    assert mention["date_source"] == "text" and mention["event_loc"]["resolved_place"] == "Kharkiv"


def test_table_exports_include_places_and_times(db, tmp_path):
    with open_ledger(db, read_only=True) as led:
        written = export(led, tmp_path / "t", "csv")
    assert {"places.csv", "times.csv"} <= {p.name for p in written}
