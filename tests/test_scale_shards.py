"""Shards, partitions and the manifest, without Dask or a model: planning row
ranges, reading them back with ingest's origins, URL inputs through fsspec's
in-memory filesystem (no network), atomic files, "done" and refusals."""

from __future__ import annotations

import json
import os

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("fsspec")

from newsledger.ingest import read_articles  # noqa: E402
from newsledger.records import Record  # noqa: E402
from newsledger.scale import manifest  # noqa: E402
from newsledger.scale.load import load  # noqa: E402
from newsledger.scale.partitions import TABLES, article_from_row, read_partition, shard_rows, write_partitions  # noqa: E402
from newsledger.scale.run import plan_job  # noqa: E402
from newsledger.scale.shards import Piece, Shard, plan_shards, read_shard  # noqa: E402
from newsledger.settings import Settings  # noqa: E402

SETTINGS = Settings()


def _jsonl(path, n, start=0):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            text = f"Story {i}: the council of Amberton met on Monday and voted {i} to {i + 1}."
            f.write(json.dumps({"title": f"T{i}", "text": text, "url": f"https://example.org/{i}"}) + "\n")
    return str(path)


def _origins(items):
    return [getattr(item, "origin", None) or item.item for item in items]


def test_plan_cuts_big_files_into_ranges_and_groups_small_ones(tmp_path):
    big = _jsonl(tmp_path / "a.jsonl", 7)
    (tmp_path / "b.txt").write_text("A title\n\nA short body that says something.\n", encoding="utf-8")
    shards = plan_shards([big, str(tmp_path / "b.txt")], SETTINGS, shard_size=3)
    assert [[(os.path.basename(p.source), p.start, p.stop) for p in s.pieces] for s in shards] == [
        [("a.jsonl", 0, 3)], [("a.jsonl", 3, 6)], [("a.jsonl", 6, 7), ("b.txt", 0, 1)]]
    assert len({s.id for s in shards}) == 3
    assert plan_shards([big, str(tmp_path / "b.txt")], SETTINGS, shard_size=3) == shards  # same inputs, same ids


def test_reading_every_shard_gives_ingests_items_in_order(tmp_path):
    big = _jsonl(tmp_path / "a.jsonl", 7)
    with open(big, "a", encoding="utf-8") as f:
        f.write("{not json\n")  # a reject in the middle of the stream
    _jsonl(tmp_path / "c.jsonl", 2, start=100)
    whole = [x for path in (big, str(tmp_path / "c.jsonl")) for x in read_articles(path, SETTINGS)]
    sharded = [x for s in plan_shards([str(tmp_path)], SETTINGS, shard_size=3) for x in read_shard(s, SETTINGS)]
    assert _origins(sharded) == _origins(whole)
    assert [getattr(x, "id", None) for x in sharded] == [getattr(x, "id", None) for x in whole]


def test_a_url_is_one_shard_read_with_the_url_as_origin(tmp_path):
    import fsspec

    local = _jsonl(tmp_path / "remote.jsonl", 3)
    with fsspec.open("memory://bucket/news/remote.jsonl", "wb") as f, open(local, "rb") as src:
        f.write(src.read())
    shards = plan_shards(["memory://bucket/news/*.jsonl"], SETTINGS, shard_size=2)
    assert len(shards) == 1 and len(shards[0].pieces) == 1
    url = shards[0].pieces[0].source  # as fsspec's glob spells it
    assert url.startswith("memory://") and url.endswith("/bucket/news/remote.jsonl")
    assert shards[0].pieces[0] == Piece(url)  # never counted: the planner does not download
    items = list(read_shard(shards[0], SETTINGS))
    expected = [o.replace(local, url) for o in _origins(read_articles(local, SETTINGS))]
    assert _origins(items) == expected and all(o.startswith(url + "#") for o in expected)
    assert [x.id for x in items] == [x.id for x in read_articles(local, SETTINGS)]


def test_a_file_changed_after_planning_is_rejected_not_misread(tmp_path):
    path = _jsonl(tmp_path / "a.jsonl", 3)
    shard = plan_shards([path], SETTINGS, shard_size=5)[0]
    _jsonl(tmp_path / "a.jsonl", 4)
    os.utime(path, ns=(1, 1))
    (reject,) = list(read_shard(shard, SETTINGS))
    assert reject.reason == "changed"


def _record(article):
    return Record(id=article.id, language="en")


def test_partitions_round_trip_and_the_manifest_says_done(tmp_path):
    path = _jsonl(tmp_path / "a.jsonl", 2)
    shard = plan_shards([path], SETTINGS)[0]
    articles = list(read_shard(shard, SETTINGS))
    out = str(tmp_path / "out")
    files = write_partitions(out, shard.name, shard_rows([(a, _record(a)) for a in articles], [], []))
    assert set(files) == set(TABLES) and not [n for n in os.listdir(os.path.join(out, "articles")) if n.startswith(".")]
    back = [article_from_row(r) for r in read_partition(out, files["articles"]["file"])]
    assert [(a.id, a.origin, a.url, r.to_json()) for a, r in back] == [
        (a.id, a.origin, a.url, _record(a).to_json()) for a in articles]

    assert manifest.finished_entry(out, shard) is None  # files without an entry: not done
    manifest.write_entry(out, shard, files, {})
    assert manifest.finished_entry(out, shard) is not None
    with open(os.path.join(out, files["quotes"]["file"]), "ab") as f:
        f.write(b"x")  # a partition that changed after its entry: not done any more
    assert manifest.finished_entry(out, shard) is None


def test_another_batch_in_the_same_folder_is_refused(tmp_path):
    out = str(tmp_path / "out")
    a, b = _jsonl(tmp_path / "a.jsonl", 2), _jsonl(tmp_path / "b.jsonl", 2, start=50)
    shards = plan_job([a], out, SETTINGS, 5)
    assert plan_job([a], out, SETTINGS, 5) == shards  # the saved plan is reused
    plan_job([b], out, SETTINGS, 5)  # nothing done yet: a new plan replaces it
    shards = plan_job([a], out, SETTINGS, 5)
    manifest.write_entry(out, shards[0], {t: {"file": "x", "rows": 0, "sha256": ""} for t in TABLES}, {})
    with pytest.raises(manifest.BatchConflict):
        plan_job([b], out, SETTINGS, 5)


def test_load_refuses_an_unfinished_batch_and_a_folder_without_one(tmp_path):
    from newsledger.errors import InputNotFound

    out = str(tmp_path / "out")
    plan_job([_jsonl(tmp_path / "a.jsonl", 2)], out, SETTINGS, 5)
    with pytest.raises(manifest.BatchUnfinished):
        load(out, str(tmp_path / "x.duckdb"))
    with pytest.raises(InputNotFound):
        load(str(tmp_path / "empty"), str(tmp_path / "x.duckdb"))


def test_shard_json_round_trip():
    shard = Shard(3, "abc", (Piece("a.csv", 0, 10, (5, 6)), Piece("s3://b/c.warc.gz")))
    assert Shard.from_json(json.loads(json.dumps(shard.to_json()))) == shard
