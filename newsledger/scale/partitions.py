"""One shard's results as Parquet partitions: one file per table, written atomically.

    rows = shard_rows(pairs, later_sources, rejects)
    files = write_partitions(out_dir, shard.name, rows)   # {table: {"file", "rows", "sha256"}}

Layout: ``OUT/<table>/shard-000012-<id>.parquet`` for each table in TABLES, so
DuckDB reads a table across shards with ``read_parquet('OUT/quotes/*.parquet')``.
The flat tables have the ledger's columns (newsledger/store/writer.py builds
the rows; ``run_id`` is left out, ``load`` assigns it). ``articles.record``
also holds each article's whole Record as JSON (docs/extract-format.md):
``newsledger load`` rebuilds Article and Record from it and writes them with
the same ``write_article`` that ``ingest`` uses, so the ledger ends up with
the same rows either way.

Each file is written under a hidden temporary name in the same folder, then
renamed over its final name (an atomic step on POSIX): a reader sees a whole
file or none. Files are deterministic for the same shard, so a retried shard
rewrites the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from typing import Optional

from newsledger.article import Article
from newsledger.errors import MissingDependency
from newsledger.records import Record
from newsledger.sources.base import Reject
from newsledger.store import writer

ARTICLE_COLUMNS = (
    ("id", "VARCHAR"), ("title", "VARCHAR"), ("date", "VARCHAR"), ("url", "VARCHAR"), ("outlet", "VARCHAR"),
    ("author", "VARCHAR"), ("text", "VARCHAR"), ("tags", "VARCHAR[]"), ("furniture", "VARCHAR[]"),
    ("language", "VARCHAR"), ("language_reason", "VARCHAR"), ("skipped", "VARCHAR"), ("origin", "VARCHAR"),
    ("record", "VARCHAR"),
)
# Later copies of an article already in this shard: load adds them as sources, as ingest does.
SOURCE_COLUMNS = (
    ("article_id", "VARCHAR"), ("origin", "VARCHAR"), ("url", "VARCHAR"), ("outlet", "VARCHAR"),
    ("title", "VARCHAR"), ("date", "VARCHAR"),
)
REJECT_COLUMNS = (("id", "VARCHAR"), ("item", "VARCHAR"), ("stage", "VARCHAR"), ("reason", "VARCHAR"),
                  ("detail", "VARCHAR"))
RUN_ID = "run_id"


def _without_run_id(columns: tuple) -> tuple:
    return tuple(c for c in columns if c[0] != RUN_ID)


TABLE_COLUMNS = {
    "articles": ARTICLE_COLUMNS,
    "sources": SOURCE_COLUMNS,
    "quotes": _without_run_id(writer._QUOTE_COLUMNS),
    "entities": writer._ENTITY_COLUMNS,
    "events": _without_run_id(writer._EVENT_COLUMNS + writer._LOCATION_COLUMNS),
    "places": _without_run_id(writer._PLACE_COLUMNS),
    "times": _without_run_id(writer._TIME_COLUMNS),
    "rejects": REJECT_COLUMNS,
}
TABLES = tuple(TABLE_COLUMNS)
# Parquet compression: zstd is pyarrow's best size/speed trade-off for text columns.
COMPRESSION = "zstd"


# -- rows -------------------------------------------------------------------------


def shard_rows(pairs: list[tuple[Article, Record]], later: list[Article], rejects: list[Reject]) -> dict:
    """Each table's rows (dicts by column name) for one shard."""
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    for article, record in pairs:
        rows["articles"].append(_article_row(article, record))
        rows["quotes"] += _named("quotes", [writer._quote_row(article, i, q, None)
                                            for i, q in enumerate(record.quotes)])
        rows["entities"] += _named("entities", [[writer.entity_id(article.id, i), article.id, i, e.name, e.type,
                                                 e.code, e.role] for i, e in enumerate(record.entities)])
        rows["events"] += _named("events", [writer._event_row(article, record, i, ev, None)
                                            for i, ev in enumerate(record.events)])
        rows["places"] += _named("places", [[article.id, i, p.start, p.end, p.text, p.name, p.geonameid, p.lat,
                                             p.lon, p.country, p.admin1, p.feature, p.level, bool(p.metonymic),
                                             p.confidence, None]
                                            for i, p in writer._first_per_span(record.places)])
        rows["times"] += _named("times", [[article.id, i, t.start, t.end, t.text, t.kind, t.value, t.anchor, None]
                                          for i, t in writer._first_per_span(record.times)])
    rows["sources"] = [{"article_id": a.id, "origin": a.origin, "url": a.url, "outlet": a.outlet,
                        "title": a.title, "date": a.date} for a in later]
    rows["rejects"] = [{"id": writer.reject_id(r), "item": r.item, "stage": r.stage, "reason": r.reason,
                        "detail": r.detail} for r in rejects]
    return rows


def _named(table: str, values: list[list]) -> list[dict]:
    """Row lists built by writer.py (with its run_id column, None here) as dicts of this table's columns."""
    source = {"quotes": writer._QUOTE_COLUMNS, "entities": writer._ENTITY_COLUMNS,
              "events": writer._EVENT_COLUMNS + writer._LOCATION_COLUMNS, "places": writer._PLACE_COLUMNS,
              "times": writer._TIME_COLUMNS}[table]
    names = [name for name, _ in source]
    return [{k: v for k, v in zip(names, row) if k != RUN_ID} for row in values]


def _article_row(article: Article, record: Record) -> dict:
    return {
        "id": article.id, "title": article.title, "date": article.date, "url": article.url,
        "outlet": article.outlet, "author": article.author, "text": article.text, "tags": list(article.tags),
        "furniture": list(article.furniture), "language": article.language,
        "language_reason": article.language_reason, "skipped": record.skipped, "origin": article.origin,
        "record": json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True),
    }


def article_from_row(row: dict) -> tuple[Article, Optional[Record]]:
    """The Article and Record an ``articles`` row was made from."""
    article = Article(
        id=row["id"], text=row["text"], title=row["title"], date=row["date"], url=row["url"],
        outlet=row["outlet"], author=row["author"], origin=row["origin"] or "", tags=list(row["tags"] or []),
        furniture=list(row["furniture"] or []), language=row["language"], language_reason=row["language_reason"],
    )
    return article, Record.from_json(json.loads(row["record"]))


def source_from_row(row: dict) -> Article:
    """A later copy, as the Article ``add_source`` needs (its text is not kept)."""
    return Article(id=row["article_id"], text="", origin=row["origin"] or "", url=row["url"],
                   outlet=row["outlet"], title=row["title"], date=row["date"])


def reject_from_row(row: dict) -> Reject:
    return Reject(row["item"], row["stage"], row["reason"], row["detail"] or "")


# -- files --------------------------------------------------------------------------


def write_partitions(out_dir: str, name: str, rows: dict) -> dict:
    """Write each table's file; {table: {"file": relative path, "rows": n, "sha256": hex}}."""
    files = {}
    for table in TABLES:
        rel = os.path.join(table, f"{name}.parquet")
        path = os.path.join(out_dir, rel)
        _write_atomic(path, _arrow_table(table, rows[table]))
        files[table] = {"file": rel, "rows": len(rows[table]), "sha256": file_sha256(path)}
    return files


def read_partition(out_dir: str, rel: str) -> list[dict]:
    pq = _pyarrow()[1]
    return pq.read_table(os.path.join(out_dir, rel)).to_pylist()


def _arrow_table(table: str, rows: list[dict]):
    pa = _pyarrow()[0]
    schema = pa.schema([(name, _arrow_type(pa, sql)) for name, sql in TABLE_COLUMNS[table]])
    return pa.Table.from_pylist(rows, schema=schema)


def _arrow_type(pa, sql_type: str):
    if sql_type.endswith("[]"):
        return pa.list_(_arrow_type(pa, sql_type[:-2]))
    return {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
            "BOOLEAN": pa.bool_()}[sql_type]


def _write_atomic(path: str, table) -> None:
    pq = _pyarrow()[1]
    folder, base = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{base}.tmp-{uuid.uuid4().hex}")  # hidden: no *.parquet glob sees it
    try:
        pq.write_table(table, tmp, compression=COMPRESSION)
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependency("pyarrow (for newsledger batch)", "'newsledger[scale]'") from None
    return pa, pq
