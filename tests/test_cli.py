"""The `newsledger` CLI: help, exit codes, one-line errors, and each command's output."""

from __future__ import annotations

import csv
import io
import json
import logging
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from newsledger.cli import common, jsonl
from newsledger.cli.main import app
from newsledger.errors import ModelNotFound
from newsledger.records import Record
from newsledger.store.ledger import open_ledger
from tests.conftest import EXAMPLES
from tests.test_ingest import FakeExtractor, fake_stages, write_corpus  # noqa: F401 (fake_stages is a fixture)
from tests.test_store import held_by_another_process

COMMANDS = ["ingest", "extract", "quotes", "entities", "show", "stats", "export", "speakers", "speaker", "search", "statements", "index", "events"]
NL = [sys.executable, "-m", "newsledger.cli.main"]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(autouse=True)
def restore_logging():
    """The CLI sets the newsledger logger's level and handler; undo it for other tests."""
    logger = logging.getLogger("newsledger")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.fixture
def fakes(monkeypatch, fake_stages):
    monkeypatch.setattr(common, "make_extractor", lambda settings: FakeExtractor())
    monkeypatch.setattr(jsonl, "_detect_language", lambda text: ("en", "test: en"))


@pytest.fixture
def ingested(tmp_path, runner, fakes):
    """A ledger with the fake corpus ingested; returns its path."""
    db = tmp_path / "l.duckdb"
    runner.invoke(app, ["ingest", str(write_corpus(tmp_path / "in")), "--db", str(db)])
    return db


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"newsledger {command}" in result.output


def test_top_level_help_and_version(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and all(c in result.output for c in COMMANDS)
    assert runner.invoke(app, ["--version"]).output.startswith("newsledger ")


def test_ingest_prints_counts_and_one_line_per_reject(tmp_path, runner, fakes):
    db = tmp_path / "l.duckdb"
    result = runner.invoke(app, ["ingest", str(write_corpus(tmp_path / "in")), "--db", str(db)])
    assert result.exit_code == 1  # something was rejected
    assert "ingested 3, duplicates 0" in result.stdout and "rejected 2 (binary: 1, empty: 1)" in result.stdout
    reject_lines = [l for l in result.stderr.splitlines() if "rejected" in l]
    assert len(reject_lines) == 2
    assert any("d.txt" in l and "binary" in l for l in reject_lines)
    assert any("e.txt" in l and "empty" in l for l in reject_lines)
    again = runner.invoke(app, ["ingest", str(tmp_path / "in" / "a.txt"), "--db", str(db)])
    assert again.exit_code == 0 and "ingested 0, duplicates 1" in again.stdout


def test_ingest_missing_path_is_exit_2_with_one_line(tmp_path, runner, fakes):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "l.duckdb")])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_missing_model_is_exit_4(tmp_path, runner, fake_stages, monkeypatch):
    class NoModel(FakeExtractor):
        @property
        def model_info(self):
            raise ModelNotFound("spaCy model 'xx_nope' is not installed")

    monkeypatch.setattr(common, "make_extractor", lambda settings: NoModel())
    corpus = str(write_corpus(tmp_path / "in"))
    for args in (["ingest", corpus, "--db", str(tmp_path / "l.duckdb")], ["extract"]):
        result = runner.invoke(app, args + ["--model", "xx_nope"], input="")
        assert result.exit_code == 4
        assert result.stderr.strip() == "error: spaCy model 'xx_nope' is not installed"
    assert not (tmp_path / "l.duckdb").exists()  # the model is checked before the file is made


def test_an_unexpected_database_error_is_one_line_and_exit_5(tmp_path, runner, fake_stages, monkeypatch):
    monkeypatch.setattr(common, "make_extractor", lambda settings: FakeExtractor())
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE runs (x INTEGER)")  # someone else's database
    con.close()
    result = runner.invoke(app, ["ingest", str(write_corpus(tmp_path / "in")), "--db", str(db)])
    assert result.exit_code == 5
    assert result.stderr.startswith("error: unexpected") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_usage_is_exit_2(runner, ingested):
    assert runner.invoke(app, ["quotes", "--db", str(ingested), "--since", "last tuesday"]).exit_code == 2
    assert runner.invoke(app, ["quotes", "--db", str(ingested), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    assert runner.invoke(app, ["stats", "--db", "/nonexistent/l.duckdb"]).exit_code == 2


def test_busy_database_is_one_line_and_exit_3(tmp_path, runner):
    db = tmp_path / "l.duckdb"
    open_ledger(db).close()
    with held_by_another_process(db):
        result = runner.invoke(app, ["stats", "--db", str(db)])
        assert result.exit_code == 3
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert result.stderr.startswith(f"error: database {db} is busy")
        # and from the installed entry point, in its own process
        proc = subprocess.run(NL + ["quotes", "--db", str(db)], capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("error: database") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_extract_round_trips_jsonl_and_reports_bad_lines(runner, fakes):
    text = '"We are ready," Lukashenko said.'
    lines = [
        json.dumps({"id": "a1", "text": text, "title": "T", "date": "2022-01-01"}),
        "{not json",
        "",
        json.dumps({"id": "a2"}),
        json.dumps({"id": 7, "text": "x"}),
        json.dumps({"id": "a3", "text": "No quotes here.", "url": "https://x.example"}),
    ]
    result = runner.invoke(app, ["extract"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(l) for l in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a1", None, "a2", 7, "a3"]
    assert [("error" in o) for o in out] == [False, True, True, True, False]
    record = Record.from_json(out[0])
    assert record.to_json() == out[0]
    quote = record.quotes[0]
    assert text[quote.content.start:quote.content.end] == "We are ready"  # offsets into the text as given
    assert text[quote.speaker.mention.start:quote.speaker.mention.end] == "Lukashenko"


def test_extract_keeps_going_when_one_article_fails(runner, fake_stages, monkeypatch):
    monkeypatch.setattr(common, "make_extractor", lambda settings: FakeExtractor(fail_on="BOOM"))
    monkeypatch.setattr(jsonl, "_detect_language", lambda text: ("en", "test"))
    lines = [json.dumps({"id": i, "text": t}) for i, t in (("a", "fine"), ("b", "BOOM"), ("c", "also fine"))]
    result = runner.invoke(app, ["extract"], input="\n".join(lines))
    out = [json.loads(l) for l in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert "error" in out[1] and "error" not in out[0] and "error" not in out[2]


def test_quotes_in_three_formats(runner, ingested):
    table = runner.invoke(app, ["quotes", "--db", str(ingested)])
    assert table.exit_code == 0 and "Lukashenko" in table.stdout and "We are ready" in table.stdout
    js = runner.invoke(app, ["quotes", "--db", str(ingested), "--format", "json", "--speaker", "zelensky"])
    rows = [json.loads(l) for l in js.stdout.splitlines()]
    assert [r["speaker_name"] for r in rows] == ["Zelensky"] and rows[0]["segments"][0]["start"] >= 0
    text = runner.invoke(app, ["quotes", "--db", str(ingested), "-f", "csv", "--contains", "ready"]).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["content_text"] == "We are ready"


def test_entities_table_and_type_filter(runner, ingested):
    result = runner.invoke(app, ["entities", "--db", str(ingested), "--type", "PERSON", "-f", "json"])
    names = {json.loads(l)["name"]: json.loads(l) for l in result.stdout.splitlines()}
    assert set(names) == {"Lukashenko", "Zelensky"} and names["Lukashenko"]["mentions"] == 2
    assert "Belarus" in runner.invoke(app, ["entities", "--db", str(ingested)]).stdout


def test_show_marks_quotes_and_names_speakers(runner, ingested):
    con = duckdb.connect(str(ingested), read_only=True)
    art_id = con.execute("SELECT article_id FROM quotes WHERE speaker_name = 'Lukashenko'").fetchone()[0]
    con.close()
    result = runner.invoke(app, ["show", art_id[:8], "--db", str(ingested)])
    assert result.exit_code == 0, result.output
    assert '"[Q1 We are ready]," {Lukashenko}1 said' in result.stdout
    assert "Q1" in result.stdout and "direct" in result.stdout
    missing = runner.invoke(app, ["show", "ffffffffff", "--db", str(ingested)])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: no article")


def test_stats_shows_tables_rejects_and_runs(runner, ingested):
    result = runner.invoke(app, ["stats", "--db", str(ingested)])
    assert result.exit_code == 0
    for word in ("articles", "quotes", "binary", "empty", "fake_model", "ok"):
        assert word in result.stdout


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_command(runner, ingested, tmp_path, fmt):
    out = tmp_path / f"out-{fmt}"
    result = runner.invoke(app, ["export", str(out), "--format", fmt, "--db", str(ingested)])
    assert result.exit_code == 0, result.output
    reader = {"parquet": "read_parquet", "jsonl": "read_json", "csv": "read_csv"}[fmt]
    n = duckdb.connect().execute(f"SELECT count(*) FROM {reader}(?)", [str(out / f"articles.{fmt}")]).fetchone()[0]
    assert n == 3


@pytest.mark.slow
def test_end_to_end_on_the_seed_article(tmp_path):
    """The real readers and spaCy pipeline, through the installed entry point."""
    db = str(tmp_path / "seed.duckdb")
    seed = str(EXAMPLES / "seed_article.txt")
    first = subprocess.run(NL + ["ingest", seed, "--db", db], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "ingested 1" in first.stdout
    again = subprocess.run(NL + ["ingest", seed, "--db", db], capture_output=True, text=True)
    assert again.returncode == 0 and "duplicates 1" in again.stdout
    quotes = subprocess.run(NL + ["quotes", "--db", db, "--speaker", "Lukashenko", "-f", "json"],
                            capture_output=True, text=True)
    assert quotes.returncode == 0, quotes.stderr
    rows = [json.loads(l) for l in quotes.stdout.splitlines()]
    assert rows and all("Lukashenko" in (r["speaker_name"] or r["speaker_text"]) for r in rows)
    con = duckdb.connect(db, read_only=True)
    text = con.execute("SELECT text FROM articles").fetchone()[0]
    for start, end, content in con.execute("SELECT content_start, content_end, content_text FROM quotes").fetchall():
        assert text[start:end] == content
    con.close()
    extract = subprocess.run(NL + ["extract"], input=json.dumps({"id": "s", "text": text}),
                             capture_output=True, text=True)
    assert extract.returncode == 0, extract.stderr
    assert Record.from_json(json.loads(extract.stdout)).quotes
