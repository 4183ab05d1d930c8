"""Statements and statement search: grouping, the BM25 index, incremental
updates, the full-text fallback and (with the extra installed) semantic search.

Quote rows are written by hand into a fresh ledger: no spaCy, no network.
"""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from newsledger import search as S
from newsledger.cli import search as search_cli
from newsledger.errors import MissingDependency
from newsledger.search import fulltext, semantic, statements as grouping
from newsledger.store.ledger import open_ledger
from newsledger.store.writer import quote_id, row_id

BASES = "Russian military bases will not be deployed in Belarus under any circumstances"


@pytest.fixture
def ledger(tmp_path):
    with open_ledger(tmp_path / "s.duckdb") as led:
        yield led


def add_article(ledger, name: str, quotes: list[tuple[str, str | None]], date: str = "2024-01-01",
                url: str | None = None, kind: str = "direct") -> str:
    """An article whose text holds each (content, speaker) as a quoted sentence."""
    article_id = row_id("article", name)
    text, spans = "", []
    for content, speaker in quotes:
        text += f'{speaker or "Someone"} said: "'
        spans.append((len(text), len(text) + len(content)))
        text += content + '". '
    ledger.execute(
        "INSERT INTO articles (id, title, date, url, outlet, text, language, run_id, ingested_at)"
        " VALUES (?, ?, ?, ?, 'Example News', ?, 'en', 1, now())",
        [article_id, name, date, url or f"https://news.example/{name}", text])
    ledger.execute(
        "INSERT INTO sources (article_id, source_key, origin, url, outlet, date, first_seen_run)"
        " VALUES (?, ?, ?, ?, 'Example News', ?, 1)",
        [article_id, url or f"https://news.example/{name}", name, url or f"https://news.example/{name}", date])
    for idx, ((content, speaker), (start, end)) in enumerate(zip(quotes, spans)):
        ledger.execute(
            "INSERT INTO quotes (id, article_id, idx, kind, content_start, content_end, content_text, segments,"
            " speaker_name, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [quote_id(article_id, idx), article_id, idx, kind, start, end, text[start:end],
             json.dumps([{"start": start, "end": end}]), speaker])
    return article_id


def statement_rows(ledger) -> list[dict]:
    return ledger.rows("SELECT * FROM statements ORDER BY n_articles DESC, content_text")


# -- grouping -------------------------------------------------------------------


def test_identical_quotes_of_one_speaker_are_one_statement_with_every_source(ledger):
    add_article(ledger, "a", [(BASES, "Alexander Lukashenko")], date="2024-01-02")
    add_article(ledger, "b", [("russian military BASES will not be deployed in Belarus, under any circumstances!",
                               "alexander  lukashenko")], date="2024-01-01")
    add_article(ledger, "c", [(BASES.replace("Belarus", "Belarus\u2026"), "Alexander Lukashenko")])
    counts = S.update(ledger, semantic=False)
    assert counts["statements"] == 1 and counts["multi_source_statements"] == 1
    (row,) = statement_rows(ledger)
    assert row["n_articles"] == 3 and row["n_quotes"] == 3
    assert row["first_date"] == "2024-01-01" and row["last_date"] == "2024-01-02"
    assert row["speaker_key"] == "name:alexander lukashenko"
    matches = sorted(r["match"] for r in ledger.rows("SELECT match FROM statement_sources"))
    assert matches == ["canonical", "identical", "identical"]


def test_every_evidence_span_is_the_quote_in_its_article(ledger):
    for name in "abc":
        add_article(ledger, name, [(BASES, "Lukashenko"), ("We are ready", "Lukashenko")])
    S.update(ledger, semantic=False)
    _, hits = S.search(ledger, "bases Belarus", mode="fulltext")
    assert len(hits[0]["evidence"]) == 3
    for ev in hits[0]["evidence"]:
        text = ledger.rows("SELECT text FROM articles WHERE id = ?", [ev["article_id"]])[0]["text"]
        assert text[ev["content_start"]:ev["content_end"]] == BASES
        assert ev["sources"][0]["url"].startswith("https://news.example/")


def test_near_identical_and_excerpts_merge_but_a_changed_meaning_does_not(ledger):
    longer = "We will defend our country and our people against any aggression from the west"
    add_article(ledger, "a", [(longer, "Lukashenko")])
    add_article(ledger, "b", [(longer.replace("our people", "the people"), "Lukashenko")])  # near
    add_article(ledger, "c", [("defend our country and our people against any aggression", "Lukashenko")])  # excerpt
    add_article(ledger, "d", [("we will allow it", "Lukashenko"), ("we will not allow it", "Lukashenko")])
    S.update(ledger, semantic=False)
    rows = statement_rows(ledger)
    assert [r["n_articles"] for r in rows] == [3, 1, 1]
    assert rows[0]["content_text"] in (longer, longer.replace("our people", "the people"))
    matches = {r["match"] for r in ledger.rows(
        "SELECT match FROM statement_sources WHERE statement_id = ?", [rows[0]["id"]])}
    assert matches == {"canonical", "near", "excerpt"}


def test_quotes_of_different_speakers_are_never_merged(ledger):
    add_article(ledger, "a", [(BASES, "Lukashenko")])
    add_article(ledger, "b", [(BASES, "Putin")])
    add_article(ledger, "c", [(BASES, None)])
    S.update(ledger, semantic=False)
    assert sorted(r["speaker_name"] or "" for r in statement_rows(ledger)) == ["", "Lukashenko", "Putin"]


def test_unattributed_quotes_merge_only_when_identical_and_long(ledger):
    add_article(ledger, "a", [("needs acting on", None), (BASES, None)])
    add_article(ledger, "b", [("needs acting on", None), (BASES, None), (BASES + " or ever", None)])
    S.update(ledger, semantic=False)
    rows = statement_rows(ledger)
    assert sorted(r["n_articles"] for r in rows) == [1, 1, 1, 2]
    assert all(r["speaker_name"] is None and r["speaker_key"].startswith("unknown:") for r in rows)


def test_statement_ids_do_not_depend_on_ingest_order(tmp_path):
    articles = [("a", [(BASES, "Lukashenko")]), ("b", [(BASES[:60], "Lukashenko")]), ("c", [(BASES, "Putin")])]
    ids = []
    for n, order in enumerate((articles, articles[::-1])):
        with open_ledger(tmp_path / f"{n}.duckdb") as led:
            for name, quotes in order:
                add_article(led, name, quotes)
                S.update(led, semantic=False)
            ids.append(sorted((r["id"], r["n_quotes"]) for r in statement_rows(led)))
            S.update(led, semantic=False, rebuild=True)
            assert sorted((r["id"], r["n_quotes"]) for r in statement_rows(led)) == ids[-1]
    assert ids[0] == ids[1]


def test_identity_links_group_by_speaker_id_and_relinking_moves_quotes(ledger):
    ledger.execute("CREATE TABLE IF NOT EXISTS quote_speakers"
                   " (quote_id VARCHAR PRIMARY KEY, speaker_id VARCHAR NOT NULL, via VARCHAR NOT NULL)")
    a = add_article(ledger, "a", [(BASES, "Lukashenko")])
    b = add_article(ledger, "b", [(BASES, "Alexander Lukashenko")])
    S.update(ledger, semantic=False)
    assert len(statement_rows(ledger)) == 2  # two names, no identity link yet
    ledger.execute("INSERT INTO quote_speakers (quote_id, speaker_id, via) VALUES (?, 'spk1', 'entity'),"
                   " (?, 'spk1', 'entity')", [quote_id(a, 0), quote_id(b, 0)])
    counts = S.update(ledger, semantic=False)
    assert counts["statements_removed"] == 2 and counts["statements_written"] == 1
    (row,) = statement_rows(ledger)
    assert row["speaker_id"] == "spk1" and row["speaker_key"] == "speaker:spk1" and row["n_articles"] == 2
    ledger.execute("UPDATE quote_speakers SET speaker_id = 'spk2' WHERE quote_id = ?", [quote_id(b, 0)])
    S.update(ledger, semantic=False)
    assert sorted(r["speaker_id"] for r in statement_rows(ledger)) == ["spk1", "spk2"]


def test_grouping_unit_rules():
    assert grouping.normalise("\u201cWe\u2019re READY\u2026\u201d [sic]") == "we're ready sic"
    near = grouping._match(grouping.Member("q2", "a2", "direct", "we are ready to defend the country now"),
                           grouping.Member("q1", "a1", "direct", "we are ready to defend our country now"))
    assert near is None  # 5/9 bigrams shared: below NEAR_JACCARD
    assert grouping.NEAR_JACCARD > 5 / 9


# -- incremental updates ----------------------------------------------------------


def test_update_is_idempotent_and_incremental(ledger):
    add_article(ledger, "a", [(BASES, "Lukashenko"), ("The economy is growing fast this year", "Putin")])
    first = S.update(ledger, semantic=False)
    assert first["statements_written"] == 2
    snapshot = ledger.rows("SELECT * FROM search_postings ORDER BY term, statement_id")
    again = S.update(ledger, semantic=False)
    assert again["speaker_keys_regrouped"] == 0 and again["statements_written"] == 0
    assert ledger.rows("SELECT * FROM search_postings ORDER BY term, statement_id") == snapshot
    add_article(ledger, "b", [(BASES, "Lukashenko")])
    third = S.update(ledger, semantic=False)
    assert third["speaker_keys_regrouped"] == 1  # Putin's statements are not touched
    assert third["statements_written"] == 1 and third["statements_removed"] == 1  # same id, new member
    assert third["statements"] == 2 and third["quotes_in_statements"] == 3
    assert ledger.execute("SELECT count(*) FROM statement_sources").fetchone()[0] == 3


def test_a_removed_quote_leaves_its_statement(ledger):
    a = add_article(ledger, "a", [(BASES, "Lukashenko")])
    add_article(ledger, "b", [(BASES, "Lukashenko")])
    S.update(ledger, semantic=False)
    ledger.execute("DELETE FROM quotes WHERE article_id = ?", [a])
    S.update(ledger, semantic=False)
    (row,) = statement_rows(ledger)
    assert row["n_articles"] == 1
    assert ledger.execute("SELECT count(*) FROM statement_sources").fetchone()[0] == 1


# -- full text -----------------------------------------------------------------------


def test_terms_fold_stem_and_drop_stopwords():
    assert fulltext.terms("What did Lukashenko's aides SAY about Russian bases?") == [
        "lukashenko", "aide", "russian", "base"]
    assert fulltext.terms("Lukašenka vaccines countries") == ["lukasenka", "vaccine", "country"]
    assert fulltext.terms("there is not no gas") == ["not", "no", "gas"]


def test_bm25_ranks_rarer_and_repeated_terms_higher(ledger):
    add_article(ledger, "a", [("The vaccine is safe and the vaccine works for everyone", "Health Minister"),
                              ("A vaccine was mentioned once among many other words here today", "Mayor"),
                              ("Nothing about that at all in this long sentence about the weather", "Mayor"),
                              ("The weather will be fine and the sun will shine on the coast", "Forecaster")])
    S.update(ledger, semantic=False)
    mode, hits = S.search(ledger, "vaccines", mode="fulltext")
    assert mode == "fulltext"
    assert [h["speaker"] for h in hits] == ["Health Minister", "Mayor"]
    assert hits[0]["score"] > hits[1]["score"] > 0
    _, hits = S.search(ledger, "vaccine weather", mode="fulltext")
    assert len(hits) == 4
    _, hits = S.search(ledger, "what did the forecaster say", mode="fulltext")
    assert [h["speaker"] for h in hits] == ["Forecaster"]  # the speaker's name is in the document
    assert S.search(ledger, "the of and", mode="fulltext") == ("fulltext", [])


def test_bad_queries_and_modes_are_clear_errors(ledger):
    with pytest.raises(S.SearchUnavailable, match="empty"):
        S.search(ledger, "  ")
    with pytest.raises(S.SearchUnavailable, match="unknown search mode"):
        S.search(ledger, "x", mode="fuzzy")


# -- the fallback without the extra --------------------------------------------------


@pytest.fixture
def no_extra(monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: False)


def test_auto_falls_back_to_full_text_and_says_why(ledger, no_extra):
    add_article(ledger, "a", [(BASES, "Lukashenko")])
    counts = S.update(ledger)  # semantic=None: nothing to embed without the extra
    assert counts["embedded"] == 0
    assert S.choose_mode(ledger, "auto") == ("fulltext", S.NOTE_NO_EXTRA)
    assert "pip install 'newsledger[semantic]'" in S.NOTE_NO_EXTRA
    mode, hits = S.search(ledger, "Russian bases")
    assert mode == "fulltext" and len(hits) == 1
    with pytest.raises(MissingDependency, match=r"pip install 'newsledger\[semantic\]'"):
        S.search(ledger, "Russian bases", mode="semantic")
    with pytest.raises(MissingDependency):
        S.update(ledger, semantic=True)


def test_environment_switch_decides_embedding_at_ingest(ledger, monkeypatch):
    add_article(ledger, "a", [(BASES, "Lukashenko")])
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "embed_missing", lambda con: pytest.fail("must not embed"))
    monkeypatch.setenv("NEWSLEDGER_SEMANTIC", "0")
    assert S.update(ledger)["embedded"] == 0
    monkeypatch.setattr(semantic, "available", lambda: False)
    monkeypatch.setenv("NEWSLEDGER_SEMANTIC", "1")
    with pytest.raises(MissingDependency):
        S.update(ledger)


@pytest.fixture
def app():
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        pass

    search_cli.register(app)
    return app


def test_cli_search_notes_the_fallback_and_prints_evidence(tmp_path, app, no_extra):
    db = tmp_path / "s.duckdb"
    with open_ledger(db) as led:
        add_article(led, "a", [(BASES, "Lukashenko")])
        add_article(led, "b", [(BASES, "Lukashenko")])
    runner = CliRunner()
    result = runner.invoke(app, ["index", "--db", str(db)])
    assert result.exit_code == 0 and "statements 1 (1 from several articles)" in result.stdout
    result = runner.invoke(app, ["search", "Russian bases", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "semantic search needs: pip install 'newsledger[semantic]'; using full text" in result.stderr
    assert "Lukashenko" in result.stdout and "https://news.example/a" in result.stdout
    result = runner.invoke(app, ["search", "Russian bases", "--db", str(db), "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["mode"] == "fulltext" and len(doc["hits"][0]["evidence"]) == 2
    result = runner.invoke(app, ["search", "bases", "--db", str(db), "--format", "jsonl", "--mode", "fulltext"])
    assert result.stderr == "" and json.loads(result.stdout.splitlines()[0])["n_articles"] == 2
    result = runner.invoke(app, ["statements", "--db", str(db), "--format", "jsonl"])
    assert json.loads(result.stdout)["n_articles"] == 2
    result = runner.invoke(app, ["search", "bases", "--db", str(db), "--mode", "semantic"])
    assert result.exit_code == 4 and "pip install 'newsledger[semantic]'" in result.stderr


# -- semantic (needs the extra) ---------------------------------------------------------


@pytest.mark.slow
def test_semantic_search_ranks_by_meaning(ledger):
    if not semantic.available():
        pytest.skip("semantic extra not installed: pip install 'newsledger[semantic]'")
    add_article(ledger, "a", [(BASES, "Alexander Lukashenko"),
                              ("Inflation fell to three percent as food prices eased", "Central Bank"),
                              ("The team won the championship after a dramatic penalty shoot-out", "Coach")])
    counts = S.update(ledger, semantic=True)
    assert counts["embedded"] == 3
    assert S.update(ledger, semantic=True)["embedded"] == 0  # vectors are kept by text
    assert S.choose_mode(ledger) == ("semantic", None)
    mode, hits = S.search(ledger, "what did Lukashenko say about foreign troops stationed in his country")
    assert mode == "semantic" and hits[0]["speaker"] == "Alexander Lukashenko"
    _, hits = S.search(ledger, "cost of living", mode="semantic")
    assert hits[0]["speaker"] == "Central Bank" and hits[0]["score"] > hits[1]["score"]
