"""The DuckDB ledger: migrations, the transactional writer, locking, queries, export."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import duckdb
import pytest

from newsledger.article import Article
from newsledger.errors import DatabaseBusy
from newsledger.settings import Settings
from newsledger.sources.base import Reject
from newsledger.store import queries, writer
from newsledger.store.export import ExportError, export_tables
from newsledger.store.ledger import LedgerNotFound, LedgerUnusable, open_ledger
from newsledger.store.migrations import apply_migrations, available_migrations
from tests.test_ingest import OTHER, STORY, fake_record

TABLES = {"articles", "sources", "entities", "mentions", "quotes", "rejects", "runs", "schema_migrations",
          "events", "event_actors", "event_groups"}

# A second process that opens the file and holds it until its stdin closes.
HOLDER = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"


@contextmanager
def held_by_another_process(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def article(text=STORY, **kw) -> Article:
    kw.setdefault("origin", "a.txt")
    kw.setdefault("language", "en")
    return Article.from_text(text, **kw)


def store(ledger, art, run_id=None):
    run_id = run_id or writer.start_run(ledger, Settings(), {"name": "fake"}, ["in"])
    return writer.write_article(ledger, art, fake_record(art), run_id)


@pytest.fixture
def ledger(tmp_path):
    with open_ledger(tmp_path / "l.duckdb") as led:
        yield led


def test_migrations_applied_once_and_recorded(tmp_path):
    db = tmp_path / "l.duckdb"
    with open_ledger(db) as led:
        tables = {r[0] for r in led.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert TABLES <= tables
        rows = led.execute("SELECT name, applied_at FROM schema_migrations").fetchall()
        assert [r[0] for r in rows] == [name for name, _ in available_migrations()]
        assert rows[0][0] == "0001_initial" and rows[0][1] is not None
        assert apply_migrations(led.con) == []
    with open_ledger(db) as led:  # reopening applies nothing again
        assert led.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available_migrations())


def test_write_article_stores_every_row_with_offsets(ledger):
    art = article(title="T", url="https://x.example/1", tags=["Belarus"])
    assert store(ledger, art) is True
    text = ledger.rows("SELECT text FROM articles")[0]["text"]
    for m in ledger.rows("SELECT * FROM mentions"):
        assert text[m["start_char"]:m["end_char"]] == m["text"]
    q = ledger.rows("SELECT * FROM quotes")[0]
    assert text[q["content_start"]:q["content_end"]] == q["content_text"] == "We are ready"
    assert text[q["speaker_start"]:q["speaker_end"]] == "Lukashenko"
    assert text[q["cue_start"]:q["cue_end"]] == q["cue_text"] == "said"
    speaker = ledger.rows("SELECT name FROM entities WHERE id = ?", [q["speaker_entity_id"]])
    assert speaker == [{"name": "Lukashenko"}]
    assert ledger.rows("SELECT tags FROM articles") == [{"tags": ["Belarus"]}]


def test_writing_a_stored_article_again_only_adds_a_source(ledger):
    run = writer.start_run(ledger, Settings(), None, [])
    assert store(ledger, article(url="https://a.example"), run) is True
    before = queries.table_counts(ledger)
    assert store(ledger, article(url="https://a.example"), run) is False
    assert queries.table_counts(ledger) == before
    assert store(ledger, article(url="https://b.example"), run) is False
    after = queries.table_counts(ledger)
    assert after["sources"] == before["sources"] + 1 and after["articles"] == before["articles"]


def test_failed_transaction_leaves_nothing(ledger, monkeypatch):
    def boom(*a):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_insert_quotes", boom)
    with pytest.raises(RuntimeError):
        store(ledger, article())
    counts = queries.table_counts(ledger)
    assert all(counts[t] == 0 for t in ("articles", "sources", "entities", "mentions", "quotes"))


def test_rejects_are_stored_once_per_item_stage_reason(ledger):
    rej = Reject(item="bad.bin", stage="source", reason="binary", detail="looks binary")
    writer.write_reject(ledger, rej, 1)
    writer.write_reject(ledger, rej, 2)
    writer.write_reject(ledger, Reject(item="bad.bin", stage="article", reason="empty"), 2)
    assert ledger.rows("SELECT stage, run_id FROM rejects ORDER BY stage") == [
        {"stage": "article", "run_id": 2}, {"stage": "source", "run_id": 2}]
    assert queries.rejects_by_reason(ledger)[0]["n"] == 1


def test_queries_filter_quotes_and_count_entities(ledger):
    run = writer.start_run(ledger, Settings(), None, [])
    store(ledger, article(date="2022-01-05"), run)
    store(ledger, article(OTHER, date="2021-06-01", origin="b.txt"), run)
    assert len(queries.quotes(ledger)) == 2
    assert [q["speaker_name"] for q in queries.quotes(ledger, speaker="lukash")] == ["Lukashenko"]
    assert [q["speaker_name"] for q in queries.quotes(ledger, contains="DANGER")] == ["Zelensky"]
    assert [q["date"] for q in queries.quotes(ledger, since="2022-01-01")] == ["2022-01-05"]
    assert len(queries.quotes(ledger, speaker="50% off'; DROP TABLE quotes; --")) == 0
    assert len(queries.quotes(ledger, limit=1)) == 1
    ents = {e["name"]: e for e in queries.entities(ledger)}
    assert ents["Lukashenko"]["mentions"] == 2 and ents["Lukashenko"]["articles"] == 1
    assert [e["name"] for e in queries.entities(ledger, type="gpe")] == ["Belarus"]


def test_find_article_by_prefix(ledger):
    art = article()
    store(ledger, art)
    assert queries.find_article(ledger, art.id[:6])["id"] == art.id
    with pytest.raises(queries.ArticleNotFound):
        queries.find_article(ledger, "zzzz")


def test_read_only_needs_an_existing_file(tmp_path):
    with pytest.raises(LedgerNotFound) as err:
        open_ledger(tmp_path / "missing.duckdb", read_only=True)
    assert err.value.exit_code == 2
    open_ledger(tmp_path / "new.duckdb").close()
    with open_ledger(tmp_path / "new.duckdb", read_only=True) as led:
        assert queries.table_counts(led)["articles"] == 0


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("hello, this is not a database\n" * 100)
    with pytest.raises(LedgerUnusable):
        open_ledger(bad)


@pytest.mark.parametrize("read_only", [False, True])
def test_busy_database_from_a_second_process(tmp_path, read_only):
    db = tmp_path / "l.duckdb"
    open_ledger(db).close()
    with held_by_another_process(db):
        with pytest.raises(DatabaseBusy) as err:
            open_ledger(db, read_only=read_only)
    assert err.value.exit_code == 3 and str(db) in str(err.value)
    open_ledger(db).close()  # free again once the other process is gone


@pytest.mark.parametrize("fmt,ext", [("parquet", "parquet"), ("csv", "csv"), ("jsonl", "jsonl")])
def test_export_writes_one_readable_file_per_table(ledger, tmp_path, fmt, ext):
    store(ledger, article())
    written = export_tables(ledger, tmp_path / "out", fmt)
    assert {p.name for p in written} == {f"{t}.{ext}" for t in queries.TABLES}
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM {reader}(?)", [str(tmp_path / "out" / f"quotes.{ext}")]).fetchone()[0]
    assert n == 1
    if fmt == "parquet":
        tags = con.execute("SELECT text FROM read_parquet(?)", [str(tmp_path / "out" / "mentions.parquet")]).fetchall()
        assert ("Lukashenko",) in tags


def test_export_rejects_unknown_format(ledger, tmp_path):
    with pytest.raises(ExportError):
        export_tables(ledger, tmp_path / "out", "xml")
