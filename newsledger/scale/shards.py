"""Splitting batch inputs into shards, and reading a shard back, streaming.

A shard is a list of pieces; a piece is one input and a range of its items
(the RawDocuments and Rejects its reader yields, in order): a whole small
file, or rows [start, stop) of a CSV/JSONL file, records of a WARC, entries
of a feed. Shards hold about ``shard_size`` items each, so a folder of small
pages is grouped and a big CSV or WARC is cut into ranges.

    shards = plan_shards(["news/", "s3://bucket/cc-news/*.warc.gz"], settings, shard_size=200)
    for item in read_shard(shards[0], settings):   # Article or Reject
        ...

Local files are counted with the same streaming readers ``ingest`` uses (one
item in memory at a time; a WARC or CSV is never loaded whole), so a piece's
items are exactly the items ``ingest`` would read, with the same origins
("path#row=12"). A URL (any fsspec protocol: s3://, gs://, https://, ...) is
not counted, since that would mean downloading it twice: each URL is one
shard, streamed by the worker to a local temporary file and read from there.

Shard ids are content hashes of the pieces and each local file's size and
modification time: the same inputs always give the same shards, and a changed
file gives new ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Iterator, Optional, Union

from newsledger.article import Article
from newsledger.errors import InputNotFound, MissingDependency
from newsledger.settings import Settings
from newsledger.sources.base import Reject

log = logging.getLogger(__name__)

# Items per shard by default. A shard is the unit of retry and of Parquet
# output: 200 Wikinews-sized articles take about a minute on one core
# (measured 2026-11-29: 3.5 articles/s with en_core_web_sm), short enough that
# a lost worker costs little, long enough that Dask's per-task overhead
# (milliseconds) and one Parquet file per table per shard stay negligible.
DEFAULT_SHARD_SIZE = 200
# Bytes per read when a worker copies a URL to local disk.
COPY_CHUNK = 1 << 20
GLOB_CHARS = "*?["


@dataclass(frozen=True)
class Piece:
    source: str  # a local path or a URL
    start: int = 0
    stop: Optional[int] = None  # None: to the end of the input
    stamp: Optional[tuple[int, int]] = None  # (size, mtime_ns) of a local file


@dataclass(frozen=True)
class Shard:
    index: int  # position in the plan: load writes shards in this order, as ingest reads them
    id: str
    pieces: tuple[Piece, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """The file-name stem of this shard's partitions and manifest entry."""
        return f"shard-{self.index:06d}-{self.id}"

    def to_json(self) -> dict:
        return {"index": self.index, "id": self.id, "pieces": [asdict(p) for p in self.pieces]}

    @classmethod
    def from_json(cls, d: dict) -> "Shard":
        pieces = tuple(Piece(p["source"], p["start"], p["stop"], tuple(p["stamp"]) if p.get("stamp") else None)
                       for p in d["pieces"])
        return cls(d["index"], d["id"], pieces)


def is_url(path: str) -> bool:
    """True for an fsspec URL ("s3://...", "https://..."); file:// counts as local."""
    return "://" in path and not path.startswith("file://")


# -- planning -------------------------------------------------------------------


def plan_shards(inputs: list[str], settings: Settings, shard_size: int = DEFAULT_SHARD_SIZE) -> list[Shard]:
    """The shards for ``inputs``, in ingest's reading order."""
    if shard_size < 1:
        raise ValueError("shard_size must be at least 1")
    groups: list[list[Piece]] = []
    current: list[Piece] = []
    filled = 0
    for source in expand_sources(inputs):
        if is_url(source):  # one URL, one shard: the planner never downloads it
            groups.extend(([current] if current else []) + [[Piece(source)]])
            current, filled = [], 0
            continue
        count, stamp = count_items(source, settings), file_stamp(source)
        start = 0
        while start < count:  # an input with no items gives no piece, as ingest reads nothing from it
            take = min(shard_size - filled, count - start)
            current.append(Piece(source, start, start + take, stamp))
            start, filled = start + take, filled + take
            if filled == shard_size:
                groups.append(current)
                current, filled = [], 0
    if current:
        groups.append(current)
    return [Shard(i, shard_id(pieces), tuple(pieces)) for i, pieces in enumerate(groups)]


def shard_id(pieces: list[Piece]) -> str:
    blob = json.dumps([asdict(p) for p in pieces], sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def expand_sources(inputs: list[str]) -> list[str]:
    """Local inputs expanded as ingest does (folders walked, sorted); URLs with
    wildcards globbed through fsspec, others kept as given."""
    from newsledger.sources import expand_inputs

    out: list[str] = []
    for item in inputs:
        if is_url(item):
            out.extend(_glob_url(item) if any(c in item for c in GLOB_CHARS) else [item])
        else:
            local = item[len("file://"):] if item.startswith("file://") else item
            if local == "-":
                raise InputNotFound("batch cannot read stdin: give files, folders or URLs")
            out.extend(expand_inputs([local]))
    return out


def _glob_url(url: str) -> list[str]:
    fsspec = _fsspec()
    fs, _, paths = fsspec.get_fs_token_paths(url)
    found = sorted(fs.unstrip_protocol(p) for p in paths)
    if not found:
        raise InputNotFound(f"input {url} matches nothing")
    return found


def count_items(path: str, settings: Settings) -> int:
    """How many items the reader yields for ``path`` (streamed, nothing kept)."""
    from newsledger.sources import iter_documents

    return sum(1 for _ in iter_documents(path, settings))


def file_stamp(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


# -- reading a shard (in the worker) ------------------------------------------------


def read_shard(shard: Shard, settings: Settings) -> Iterator[Union[Article, Reject]]:
    """Every item of the shard in order: Articles, and Rejects saying why not."""
    from newsledger.ingest import read_articles

    for piece in shard.pieces:
        if is_url(piece.source):
            with local_copy(piece.source) as path:
                for item in read_articles(path, settings, piece.start, piece.stop):
                    yield _renamed(item, path, piece.source)
        elif piece.stamp is not None and _stamp_or_none(piece.source) != piece.stamp:
            yield Reject(piece.source, "source", "changed",
                         "the file changed after the batch was planned; run batch with a new --out")
        else:
            yield from read_articles(piece.source, settings, piece.start, piece.stop)


def _stamp_or_none(path: str) -> Optional[tuple[int, int]]:
    try:
        return file_stamp(path)
    except OSError:
        return None


@contextmanager
def local_copy(url: str) -> Iterator[str]:
    """The URL streamed to a local temporary file (1 MB at a time), removed afterwards.
    The name keeps the URL's suffixes (.warc.gz, .csv) so the reader is chosen as for a file."""
    fsspec = _fsspec()
    name = url.rstrip("/").rsplit("/", 1)[-1]
    suffix = "".join(f".{s}" for s in name.split(".")[1:])[-40:]
    fd, path = tempfile.mkstemp(prefix="newsledger-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as dst, fsspec.open(url, "rb") as src:
            shutil.copyfileobj(src, dst, COPY_CHUNK)
        yield path
    finally:
        os.unlink(path)


def _renamed(item: Union[Article, Reject], path: str, url: str) -> Union[Article, Reject]:
    """The item with its origin naming the URL, not the temporary copy."""
    if isinstance(item, Reject):
        item.item = url + item.item[len(path):] if item.item.startswith(path) else item.item
    elif item.origin.startswith(path):
        item.origin = url + item.origin[len(path):]
    return item


def _fsspec():
    try:
        import fsspec
    except ImportError:
        raise MissingDependency("fsspec (for URL inputs)", "'newsledger[scale]'") from None
    return fsspec
