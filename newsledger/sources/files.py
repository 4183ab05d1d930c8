"""Which files to read, what kind each one is, and the reader that handles it.

``expand_inputs`` turns command-line paths into a sorted list of files.
``iter_documents`` reads one file (or '-' for stdin) and yields RawDocuments
and Rejects; it never raises for bad content.

Size: a whole-file input (text, HTML, feed, JSON array) larger than
``settings.max_bytes`` on disk is rejected as ``too_large`` before it is read.
Container formats read as a stream (CSV, JSON Lines, WARC) may be any size;
each of their items is held to the same limit instead, and each line to
lines.line_limit. Any gzip input is inflated through lines.open_gzip, which
stops a gzip bomb. Every input yields at least one item: a file with nothing
usable in it is a Reject, never silence.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import sys
import zlib
from pathlib import Path
from typing import IO, Iterator, Optional, Union

from newsledger.errors import InputNotFound
from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import GZIP_MAGIC, SNIFF_BYTES, looks_binary, read_bounded
from newsledger.sources.feeds import read_feed
from newsledger.sources.html import read_html
from newsledger.sources.lines import open_gzip
from newsledger.sources.tabular import read_csv, read_json, read_jsonl
from newsledger.sources.text import read_text
from newsledger.sources.warc import read_warc

logger = logging.getLogger(__name__)

STAGE = "source"
STDIN = "-"
STDIN_ORIGIN = "<stdin>"
Item = Union[RawDocument, Reject]

# File-name extensions (after an optional .gz) and the reader kind they mean.
EXTENSION_KINDS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".csv": "csv", ".tsv": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xml": "feed",
    ".warc": "warc",
}
# File-name stems that, in a walked folder, document a corpus rather than hold news.
PAPERWORK = frozenset({"README", "SOURCE", "SOURCES", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "NOTICE", "AUTHORS", "CITATION"})
# Kinds read as a stream, row by row or record by record.
STREAMING_KINDS = frozenset({"csv", "tsv", "jsonl", "warc"})
# Markers that identify a file's kind from its first bytes (lower-cased).
FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>")


def expand_inputs(paths: list[str]) -> list[str]:
    """Files to read: directories walked recursively (sorted, hidden entries skipped).

    '-' (stdin) is kept as is. A path that does not exist raises InputNotFound.
    """
    files: list[str] = []
    for path in paths:
        if path == STDIN:
            files.append(path)
        elif os.path.isdir(path):
            files.extend(_walk(Path(path)))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise InputNotFound(f"input {path} does not exist")
    return files


def _walk(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(os.path.join(dirpath, f) for f in filenames if _is_article_file(f))
    return sorted(found)


def _is_article_file(name: str) -> bool:
    """In a walked folder, hidden files and a corpus's own paperwork (README,
    SOURCE.md, LICENSE) are not articles. A path named on the command line is
    always read."""
    stem = name.split(".", 1)[0].upper()
    return not name.startswith(".") and stem not in PAPERWORK


def iter_documents(path: str, settings: Settings) -> Iterator[Item]:
    """Everything in one input: RawDocuments for usable items, Rejects for the rest.

    Every input yields at least one item, so no file disappears from a run
    without a trace (a CSV with only a header, JSON Lines with only blank lines).
    """
    found = False
    for item in _items(path, settings):
        found = True
        yield item
    if not found:
        origin = STDIN_ORIGIN if path == STDIN else path
        yield Reject(origin, STAGE, "empty", "no rows or records in the input")


def _items(path: str, settings: Settings) -> Iterator[Item]:
    if path == STDIN:
        yield from _read_stdin(settings)
        return
    try:
        yield from _read_path(path, settings)
    except OSError as exc:
        yield Reject(path, STAGE, "unreadable", str(exc))


def _read_path(path: str, settings: Settings) -> Iterator[Item]:
    size = os.stat(path).st_size
    if size == 0:
        yield Reject(path, STAGE, "empty", "the file is empty")
        return
    with open(path, "rb") as raw:
        head = raw.read(SNIFF_BYTES)
        raw.seek(0)
        gzipped = head.startswith(GZIP_MAGIC)
        content_head = _gunzip_head(raw) if gzipped else head
        kind = sniff_kind(path, content_head)
        if kind == "jsonl" and _is_json_array(content_head) and not _named_jsonl(path):
            kind = "json"  # an array must be parsed whole, so it is size-checked like a page
        logger.debug("%s: read as %s%s", path, kind, " (gzip)" if gzipped else "")
        if kind in STREAMING_KINDS:
            yield from _read_stream(path, kind, raw, gzipped, settings)
            return
        if size > settings.max_bytes:
            yield Reject(path, STAGE, "too_large", f"{size} bytes is over the {settings.max_bytes}-byte limit")
            return
        stream: IO[bytes] = open_gzip(raw) if gzipped else raw
        data, reason, detail = read_bounded(stream, settings.max_bytes)
        if data is None:
            yield Reject(path, STAGE, reason, detail)
            return
        yield from _read_whole(path, kind, data, settings)


def _gunzip_head(raw: IO[bytes]) -> bytes:
    """The first decompressed bytes of a gzip file (empty if it is broken)."""
    try:
        head = gzip.GzipFile(fileobj=raw).read(SNIFF_BYTES)
    except (EOFError, OSError, zlib.error):
        head = b""
    raw.seek(0)
    return head


def _read_stream(path: str, kind: str, raw: IO[bytes], gzipped: bool, settings: Settings) -> Iterator[Item]:
    if kind == "warc":
        yield from read_warc(path, raw, settings)  # it opens gzip itself
        return
    stream: IO[bytes] = open_gzip(raw) if gzipped else raw
    if kind == "jsonl":
        yield from read_jsonl(path, stream, settings)
    else:
        yield from read_csv(path, stream, settings, delimiter="\t" if kind == "tsv" else ",")


def _read_whole(origin: str, kind: str, data: bytes, settings: Settings) -> Iterator[Item]:
    if kind == "html":
        yield from read_html(origin, data)
    elif kind == "feed":
        yield from read_feed(origin, data)
    elif kind == "json" or (kind == "jsonl" and _is_json_array(data)):
        yield from read_json(origin, io.BytesIO(data), settings)
    elif kind == "jsonl":
        yield from read_jsonl(origin, io.BytesIO(data), settings)
    else:
        yield from read_text(origin, data)


def sniff_kind(path: str, head: bytes) -> str:
    """The reader kind for a file: by extension when known, else by its first bytes."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    kind = EXTENSION_KINDS.get(os.path.splitext(name)[1])
    if kind == "feed" and not _has_marker(head, FEED_MARKERS):
        # .xml is often not a feed; an XHTML page or unknown XML goes to HTML/text
        kind = "html" if _has_marker(head, HTML_MARKERS) else "feed"
    return kind or sniff_content(head)


def sniff_content(head: bytes) -> str:
    """The reader kind from a file's first bytes alone (stdin, unknown extensions)."""
    if head.startswith(b"WARC/"):
        return "warc"
    if looks_binary(head):
        return "text"  # the text reader rejects it as binary with a clear reason
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"[") and _first_line_is_json(head):
        return "jsonl"
    if _has_marker(head, FEED_MARKERS):
        return "feed"
    if _has_marker(head, HTML_MARKERS):
        return "html"
    return "text"


def _has_marker(head: bytes, markers: tuple[bytes, ...]) -> bool:
    lowered = head[:SNIFF_BYTES].lower()
    return any(marker in lowered for marker in markers)


def _named_jsonl(path: str) -> bool:
    """JSON Lines by name (.jsonl, .ndjson): read line by line even if a line is an array."""
    name = path.lower().removesuffix(".gz")
    return name.endswith((".jsonl", ".ndjson"))


def _is_json_array(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _first_line_is_json(head: bytes) -> bool:
    line = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
    if line.startswith(b"["):
        return True  # a JSON array; too long to check in a sniffed head
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to tell
        return False


def _read_stdin(settings: Settings) -> Iterator[Item]:
    """stdin as one text article, or as JSON Lines / HTML / a feed if it looks like one."""
    data = _stdin_bytes(settings.max_bytes)
    if data is None:
        yield Reject(STDIN_ORIGIN, STAGE, "too_large", f"stdin is over the {settings.max_bytes}-byte limit")
        return
    if not data.strip():
        yield Reject(STDIN_ORIGIN, STAGE, "empty", "nothing on stdin")
        return
    kind = sniff_content(data[:SNIFF_BYTES])
    if kind == "warc":
        yield from read_warc(STDIN_ORIGIN, io.BytesIO(data), settings)
        return
    yield from _read_whole(STDIN_ORIGIN, kind, data, settings)


def _stdin_bytes(limit: int) -> Optional[bytes]:
    source = getattr(sys.stdin, "buffer", None)
    data = source.read(limit + 1) if source is not None else sys.stdin.read(limit + 1).encode("utf-8")
    return None if len(data) > limit else data
