"""WARC archives (plain or gzip per record), streamed with warcio's ArchiveIterator.

Only HTTP response records with an HTML body become items (kind "html", the
target URI as url); requests, metadata, images and scripts are counted and
skipped, since they are not articles (an archive with nothing else is one
``no_article`` Reject).

A broken record (a bad header, corrupt or truncated gzip, a gzip bomb) is one
Reject, and reading starts again at the next record: the next line that starts
with "WARC/1." in a plain archive, the next gzip member that inflates to one in
a gzipped archive. A gzipped archive is inflated here (lines.open_gzip), not by
warcio, so the gzip-bomb guard applies and member starts are known.
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from dataclasses import dataclass
from typing import IO, Iterator, Optional, Union

from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import GZIP_MAGIC, looks_binary, read_bounded
from newsledger.sources.lines import GZIP_WBITS, DecompressionBomb, open_gzip

logger = logging.getLogger(__name__)

STAGE = "source"
Item = Union[RawDocument, Reject]

# Content types that hold an article page (IANA media types for HTML/XHTML).
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Every WARC record starts with its version line, "WARC/1.0" or "WARC/1.1".
WARC_MAGIC = b"WARC/"
# Where a record may start again after a break: a version line at a line start
# (plain), or a gzip member (the gzip magic plus the deflate method byte, RFC 1952).
_PLAIN_START = re.compile(rb"\n(WARC/1\.[01]\r?\n)")
GZIP_MEMBER_MAGIC = b"\x1f\x8b\x08"
# Bytes scanned at a time for the next record start (1 MiB keeps memory flat).
SCAN_CHUNK_BYTES = 1024 * 1024
# A file that keeps breaking after this many restarts is not a WARC archive worth
# scanning further; 1,000 is far above the handful of bad records in a real crawl.
MAX_RESTARTS = 1000


@dataclass
class _Progress:
    records: int = 0  # records seen (their number in the item names)
    skipped: int = 0  # records that are not HTML responses
    last_start: int = -1  # offset in the file of the last record seen
    breaks: int = 0  # broken records, each one Reject


def read_warc(origin: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """HTML response records of one WARC file; a broken record costs only itself."""
    ok, gzipped = _starts_like_warc(stream)
    progress = _Progress()
    start: Optional[int] = stream.tell()
    if not ok:  # a broken first record: the others may still be fine
        yield Reject(origin, STAGE, "bad_warc", "the file does not start with a WARC record header")
        progress.breaks += 1
        start, gzipped = _first_good_start(stream, start + 1, gzipped)
    while start is not None and progress.breaks < MAX_RESTARTS:
        progress.last_start = max(progress.last_start, start)  # the next scan starts past this
        if not (yield from _segment(origin, stream, start, gzipped, settings, progress)):
            break
        progress.breaks += 1
        start = _next_start(stream, progress.last_start + 1, gzipped)
        if start is not None:
            logger.info("%s: reading again from byte %d after a broken record", origin, start)
    if progress.breaks:
        pass  # each break was a Reject already
    elif progress.records == 0:
        yield Reject(origin, STAGE, "empty", "the archive has no records")
    elif progress.skipped == progress.records:
        yield Reject(origin, STAGE, "no_article", f"none of the {progress.records} records is an HTML response")
    logger.debug("%s: %d records, %d skipped (not HTML responses)", origin, progress.records, progress.skipped)


def _segment(origin: str, raw: IO[bytes], start: int, gzipped: bool, settings: Settings,
             progress: _Progress) -> Iterator[Item]:
    """Records from ``start`` until the end or a break; returns True after a break."""
    from warcio.archiveiterator import ArchiveIterator

    raw.seek(start)
    stream = open_gzip(raw, buffered=False) if gzipped else raw
    archive = ArchiveIterator(stream)
    records = iter(archive)

    def offset() -> int:  # where the current record starts in the file
        return stream.member_start(archive.offset) if gzipped else archive.offset

    record = None
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - see _broken
            yield _broken(f"{origin}#record={progress.records + 1}", exc)
            return True
        progress.records += 1
        progress.last_start = max(progress.last_start, offset())
        if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
            # WARC requires it; without it warcio reads to the end of the file, swallowing the rest
            detail = "the record has no valid Content-Length"
            yield Reject(f"{origin}#record={progress.records}", STAGE, "bad_warc", detail)
            return True
        if not _is_html_response(record):
            progress.skipped += 1
            continue
        item, last = _record_to_document(f"{origin}#record={progress.records}", record, settings, gzipped)
        yield item
        if last:
            return True
    failure = getattr(stream, "failure", None)  # warcio swallows an early end of the gzip stream
    if failure is not None:
        yield _broken(f"{origin}#record={progress.records + 1}", failure)
        return True
    if record is not None and getattr(record.raw_stream, "limit", 0) > 0:  # warcio's LimitReader
        detail = "the last record runs past the end of the file (a wrong Content-Length or a cut file)"
        yield Reject(f"{origin}#record={progress.records}", STAGE, "bad_warc", detail)
        return True  # the records it swallowed are read again
    return False


def _first_good_start(raw: IO[bytes], after: int, gzipped: bool) -> tuple[Optional[int], bool]:
    """After a broken first record, where a record starts, in either format
    (the gzip magic itself may be what broke)."""
    for fmt in (gzipped, not gzipped):
        start = _next_start(raw, after, fmt)
        if start is not None:
            return start, fmt
    return None, gzipped


def _next_start(raw: IO[bytes], after: int, gzipped: bool) -> Optional[int]:
    """The offset of the next place a record can start, at or after ``after``, or None."""
    position = after
    overlap = 16  # a start split between two chunks is still found
    while True:
        raw.seek(position)
        chunk = raw.read(SCAN_CHUNK_BYTES)
        if len(chunk) <= (0 if position == after else overlap):
            return None
        found = _find_start(chunk, gzipped)
        if found is not None:
            return position + found
        position += max(len(chunk) - overlap, 1)


def _find_start(chunk: bytes, gzipped: bool) -> Optional[int]:
    if not gzipped:
        match = _PLAIN_START.search(chunk)
        return match.start(1) if match else None
    index = chunk.find(GZIP_MEMBER_MAGIC)
    while index >= 0:
        if _inflates_to_warc(chunk[index:index + 4096]):
            return index
        index = chunk.find(GZIP_MEMBER_MAGIC, index + 1)
    return None


def _inflates_to_warc(data: bytes) -> bool:
    try:
        return zlib.decompressobj(GZIP_WBITS).decompress(data, len(WARC_MAGIC)) == WARC_MAGIC
    except zlib.error:
        return False


def _broken(item: str, exc: Exception) -> Reject:
    """The Reject for a record the iterator cannot read past.

    warcio raises its own ArchiveLoadFailed for a bad header line, but also
    plain AttributeError/TypeError/ValueError on malformed headers (a response
    without WARC-Target-URI, a Content-Length that is not a number), so every
    exception from the iterator is a broken record, and reading starts again
    at the next record (read_warc).
    """
    from warcio.exceptions import ArchiveLoadFailed

    if isinstance(exc, EOFError):
        return Reject(item, STAGE, "truncated_gzip", f"the archive ends early ({exc})")
    if isinstance(exc, DecompressionBomb):
        return Reject(item, STAGE, exc.reason, str(exc))
    if isinstance(exc, ArchiveLoadFailed):
        return Reject(item, STAGE, "bad_warc", f"not a readable WARC record: {exc}")
    return Reject(item, STAGE, "bad_warc", f"corrupt archive data ({type(exc).__name__}: {exc})")


def _starts_like_warc(stream: IO[bytes]) -> tuple[bool, bool]:
    """(begins with "WARC/", is gzipped) for a stream; rewinds it."""
    start = stream.tell()
    try:
        head = stream.read(len(GZIP_MAGIC))
        stream.seek(start)
        gzipped = head == GZIP_MAGIC
        if gzipped:
            head = gzip.GzipFile(fileobj=stream).read(len(WARC_MAGIC))
        else:
            head = stream.read(len(WARC_MAGIC))
    except (EOFError, OSError, zlib.error):
        head = b""
    stream.seek(start)
    return head == WARC_MAGIC, gzipped


def _is_html_response(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if not (record.http_headers.get_statuscode() or "").startswith("2"):
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.startswith(HTML_TYPES)


def _record_to_document(item: str, record, settings: Settings, gzipped: bool) -> tuple[Item, bool]:
    """The record's page or a Reject, and whether the archive cannot go on after it."""
    try:
        data, reason, detail = read_bounded(record.content_stream(), settings.max_bytes)
    except Exception as exc:  # noqa: BLE001 - warcio's chunked/Content-Encoding decoders raise many types
        return Reject(item, STAGE, "bad_warc", f"unreadable response body ({type(exc).__name__}: {exc})"), False
    if data is None:
        return Reject(item, STAGE, reason, detail), reason in ("truncated_gzip", "gzip_bomb")
    missing = getattr(record.raw_stream, "limit", 0)  # warcio's LimitReader counts down
    if missing > 0:
        why = "truncated_gzip" if gzipped else "bad_warc"
        return Reject(item, STAGE, why, f"the record ends {missing} bytes short of its Content-Length"), True
    if not data.strip():
        return Reject(item, STAGE, "empty", "the response body is empty"), False
    if looks_binary(data):
        return Reject(item, STAGE, "binary", "the response body is binary, not HTML"), False
    url = record.rec_headers.get_header("WARC-Target-URI")
    return RawDocument(origin=item, kind="html", data=data, url=url), False
