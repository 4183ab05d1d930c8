"""Same answers: Wikinews through `batch` (Dask, 2 workers) then `load` gives the
same ledger rows as `ingest`, table by table, ignoring run ids and timestamps."""

from __future__ import annotations

import csv
import sys

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from newsledger.ingest import ingest  # noqa: E402
from newsledger.scale.load import load  # noqa: E402
from newsledger.scale.run import batch  # noqa: E402
from newsledger.settings import Settings  # noqa: E402
from newsledger.store.ledger import open_ledger  # noqa: E402

ARTICLES = 18  # a slice of Wikinews 2019 (+3 rows): 5 shards of up to 5 rows, about a minute on 2 busy cores
SHARD_SIZE = 5
# Columns that say when or in which run a row was written: they differ by design.
RUN_COLUMNS = {"run_id", "first_seen_run", "ingested_at", "seen_at", "resolved_run", "created_at", "updated_at"}
SKIP_TABLES = {"runs", "schema_migrations"}

csv.field_size_limit(sys.maxsize)


def write_slice(shared, path, n=ARTICLES):
    """n Wikinews rows, then copies of row 2 and of the last row under other URLs
    (sources, not new articles: the first in another shard, the second in the
    same shard as its original for shards of 5 or 3 rows), then a row with no
    text (a reject, alone in the last shard)."""
    with open(shared / "corpora" / "wikinews" / "wikinews_2019.csv", newline="", encoding="utf-8") as f:
        rows = [row for _, row in zip(range(n), csv.DictReader(f))]
    rows.append({**rows[2], "url": rows[2]["url"] + "?copy=1"})
    rows.append({**rows[n - 1], "url": rows[n - 1]["url"] + "?copy=2"})
    rows.append({**rows[3], "url": rows[3]["url"] + "?empty=1", "text": " "})
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["url", "date", "title", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def ledger_rows(db: str) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without run and time columns."""
    out = {}
    with open_ledger(db) as ledger:
        tables = [r[0] for r in ledger.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        for table in sorted(set(tables) - SKIP_TABLES):
            cols = [r[0] for r in ledger.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] not in RUN_COLUMNS]
            names = ", ".join(f'"{c}"' for c in cols)
            out[table] = ledger.execute(f"SELECT {names} FROM {table} ORDER BY ALL").fetchall()
    return out


@pytest.fixture(scope="module")
def both(shared, tmp_path_factory, nlp_extractor):
    tmp = tmp_path_factory.mktemp("scale_same")
    corpus = write_slice(shared, tmp / "wikinews_slice.csv")
    settings = Settings()
    ingest([str(corpus)], str(tmp / "ingest.duckdb"), settings, extractor=nlp_extractor)
    summary = batch([str(corpus)], str(tmp / "out"), settings, workers=2, shard_size=SHARD_SIZE)
    assert summary.failed == [] and summary.done == summary.shards == 5
    loaded = load(str(tmp / "out"), str(tmp / "batch.duckdb"))
    return ledger_rows(str(tmp / "ingest.duckdb")), ledger_rows(str(tmp / "batch.duckdb")), loaded, tmp


def test_batch_then_load_gives_the_same_rows_as_ingest(both):
    ingested, loaded, _, _ = both
    assert set(ingested) == set(loaded)
    for table in ("articles", "sources", "quotes", "entities", "mentions", "events", "event_actors", "places",
                  "times", "rejects"):
        assert ingested[table], f"{table} is empty: the slice should exercise it"
    for table in sorted(ingested):
        assert loaded[table] == ingested[table], f"table {table} differs"


def test_load_counts_and_is_idempotent(both):
    _, first, summary, tmp = both
    assert summary.ingested == ARTICLES and summary.duplicates == 2 and summary.total_rejected == 1
    again = load(str(tmp / "out"), str(tmp / "batch.duckdb"))
    assert again.ingested == 0 and again.duplicates == ARTICLES + 2
    assert ledger_rows(str(tmp / "batch.duckdb")) == first


def test_parquet_is_queryable_from_duckdb(both):
    """The partitions read straight from DuckDB. The copy of row 2 sits in another
    shard, so it was extracted there again: Parquet holds it twice, the ledger once.
    The copy of the last row is in its original's shard: only a sources row."""
    import duckdb

    _, loaded, _, tmp = both
    con = duckdb.connect()
    n = con.execute(f"SELECT count(DISTINCT id) FROM read_parquet('{tmp}/out/quotes/*.parquet')").fetchone()[0]
    assert n == len(loaded["quotes"])
    ids = con.execute(f"SELECT count(DISTINCT id), count(*) FROM read_parquet('{tmp}/out/articles/*.parquet')").fetchone()
    assert ids == (ARTICLES, ARTICLES + 1)
