"""The JSON API (newsledger.web.api) and `newsledger serve`, over the seed article's ledger."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from newsledger.cli.main import app as cli_app
from newsledger.cli.serve import is_loopback
from newsledger.ingest import ingest
from newsledger.settings import Settings
from newsledger.web.app import create_app
from tests.conftest import EXAMPLES

LISTINGS = ["/api/articles", "/api/quotes", "/api/speakers", "/api/events", "/api/places", "/api/search?q=troops"]


@pytest.fixture(scope="module")
def db(tmp_path_factory, nlp_extractor):
    path = tmp_path_factory.mktemp("webapi") / "seed.duckdb"
    ingest([str(EXAMPLES / "seed_article.txt")], str(path), Settings(), extractor=nlp_extractor)
    return path


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


@pytest.fixture(scope="module")
def article(client):
    [item] = client.get("/api/articles").json()["items"]
    return client.get(f"/api/articles/{item['id'][:8]}").json()


@pytest.mark.parametrize("url", LISTINGS)
def test_every_listing_has_items_and_a_page(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"items", "limit", "offset", "total"} <= set(body)
    assert body["items"] and body["limit"] == 50 and body["offset"] == 0


def test_overview(client):
    body = client.get("/api/overview").json()
    assert body["counts"]["articles"] == 1 and body["counts"]["quotes"] > 0
    assert body["latest_articles"][0]["title"].startswith("Lukashenko")
    assert body["top_speakers"][0]["name"] == "Alexander Lukashenko"
    assert body["top_actors"] and "per_month" in body


def test_article_offsets_point_at_the_quoted_text(article):
    text = article["text"]
    assert article["quotes"] and article["entities"] and article["events"] and article["places"]
    for q in article["quotes"]:
        assert text[q["content_start"]:q["content_end"]] == q["content_text"]
        if q["speaker_start"] is not None:
            assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker_text"]
    for e in article["events"]:
        assert text[e["trigger_start"]:e["trigger_end"]] == e["trigger_text"]
        for side in e["actor"] + e["recipient"]:
            assert text[side["start"]:side["end"]] == side["text"]
    for p in article["places"]:
        assert text[p["start"]:p["end"]] == p["text"]


def test_unknown_article_is_404_json(client):
    r = client.get("/api/articles/ffffffffff")
    assert r.status_code == 404 and "no article" in r.json()["error"]


def test_pagination(client):
    everything = client.get("/api/quotes").json()
    page = client.get("/api/quotes?limit=2&offset=1").json()
    assert page["total"] == everything["total"] == len(everything["items"]) > 3
    assert page["items"] == everything["items"][1:3]
    assert client.get("/api/quotes?limit=501").status_code == 422
    assert client.get("/api/quotes?offset=-1").status_code == 422


def test_csv_download(client):
    r = client.get("/api/quotes?format=csv&limit=3")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and rows[0]["content_text"]


def test_filters(client):
    quotes = client.get("/api/quotes?speaker=zelensky").json()["items"]
    assert quotes and all("Zelensky" in q["speaker_name"] for q in quotes)
    assert all(q["kind"] == "direct" for q in client.get("/api/quotes?kind=direct").json()["items"])
    assert client.get("/api/quotes?kind=shouted").status_code == 422
    assert client.get("/api/events?type=NOPE").status_code == 400
    assert client.get("/api/events?near=1,2").json()["error"].startswith("near")
    assert client.get("/api/places?country=XX").status_code == 400
    assert client.get("/api/articles?since=yesterday").status_code == 400
    assert client.get("/api/places?country=BLR").json()["items"][0]["country"] == "BLR"
    hidden = client.get("/api/events").json()["total"]
    assert client.get("/api/events?include_hypothetical=true").json()["total"] >= hidden


def test_speaker_statements(client):
    body = client.get("/api/speakers/lukashenko?limit=2").json()
    assert body["speaker"]["name"] == "Alexander Lukashenko" and len(body["items"]) == 2
    assert client.get("/api/speakers/nobody-at-all").status_code == 404
    within = client.get("/api/speakers/lukashenko?q=BASE").json()
    assert within["items"] and all("base" in i["content_text"].lower() for i in within["items"])
    assert within["total"] is None


def test_explorer_mirrors(client):
    pts = client.get("/api/events/map?include_hypothetical=true").json()
    assert pts["events"] >= pts["located"] > 0 and pts["points"][0]["lat"] is not None
    assert "BLR" in pts["countries"]
    dy = client.get("/api/events/dyads?include_hypothetical=true").json()
    assert {"actor", "recipient", "events"} <= set(dy["items"][0])
    hyp = client.get("/api/events?mode=hypothetical").json()["items"]
    assert hyp and all(e["hypothetical"] or "hypothetical" in e["modes"] for e in hyp)
    assert client.get("/api/events/map?type=NOPE").status_code == 400
    ents = client.get("/api/search/entities?q=belarus").json()
    assert ents["total"] >= 1 and ents["items"][0]["evidence"]["hit"].lower() == "belarus"
    arts = client.get("/api/search/articles?q=troops belarus").json()
    assert arts["total"] == 1 and arts["items"][0]["evidence"]["hit"].lower() == "troops"


def test_adding_needs_a_token(db, tmp_path, nlp_extractor):
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    closed = TestClient(create_app(copy))
    assert closed.post("/api/articles", json={"text": "x"}).status_code == 403
    assert closed.get("/add").status_code == 403
    open_ = TestClient(create_app(copy, write_token="s3cret"))
    assert open_.post("/api/articles", json={"text": "x"}, headers={"X-Write-Token": "nope"}).status_code == 403
    bad = open_.post("/api/articles", content=b"not json", headers={"X-Write-Token": "s3cret"})
    assert bad.status_code == 400
    big = open_.post("/api/articles", content=b"x" * (6 * 1024 * 1024), headers={"X-Write-Token": "s3cret"})
    assert big.status_code == 413
    open_.app.state.extractor = nlp_extractor
    text = "The mayor of Riga, Anna Berzina, said on Monday: \"The bridge will reopen in May.\""
    added = open_.post("/api/articles", json={"text": text, "title": "Bridge"}, headers={"X-Write-Token": "s3cret"})
    assert added.status_code == 201, added.text
    [new_id] = added.json()["article_ids"]
    assert open_.get(f"/api/articles/{new_id}").json()["quotes"]  # the next request sees the new snapshot


def test_search_says_which_search_ran(client):
    body = client.get("/api/search?q=troops").json()
    assert body["mode"] in ("fulltext", "semantic") and body["items"][0]["evidence"]
    assert client.get("/api/search?q=").status_code == 422


def test_sql_injection_in_a_filter_finds_nothing(client):
    r = client.get("/api/quotes", params={"speaker": "x' OR 1=1 --"})
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["total"] == 0


def test_security_headers(client):
    r = client.get("/api/overview")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_serve_command(runner, db, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    missing = runner.invoke(cli_app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "does not exist" in missing.output and not calls
    ok = runner.invoke(cli_app, ["serve", "--db", str(db), "--port", "8123"])
    assert ok.exit_code == 0 and calls == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]
    exposed = runner.invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert exposed.exit_code == 0 and "anyone" in exposed.output


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")


def test_a_query_stopped_by_the_time_limit_is_503(db, monkeypatch):
    client = TestClient(create_app(db, cache=False))
    import duckdb

    def slow(*a, **kw):
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr("newsledger.web.queries.latest_articles", slow)
    r = client.get("/api/overview")
    assert r.status_code == 503 and "too long" in r.json()["error"]
