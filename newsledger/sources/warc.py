"""WARC archives (plain or gzip per record), streamed with warcio's ArchiveIterator.

Only HTTP response records with an HTML body become items (kind "html", the
target URI as url); requests, metadata, images and scripts are counted and
skipped, since they are not articles. A broken archive ends with a Reject
after the good records before it.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from typing import IO, Iterator, Union

from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import GZIP_MAGIC, looks_binary, read_bounded

logger = logging.getLogger(__name__)

STAGE = "source"
Item = Union[RawDocument, Reject]

# Content types that hold an article page (IANA media types for HTML/XHTML).
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Every WARC record starts with its version line, "WARC/1.0" or "WARC/1.1".
WARC_MAGIC = b"WARC/"


def read_warc(origin: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """HTML response records of one WARC file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    ok, gzipped = _starts_like_warc(stream)
    if not ok:
        yield Reject(origin, STAGE, "bad_warc", "the file does not start with a WARC record header")
        return
    number = skipped = 0
    try:
        for record in ArchiveIterator(stream):
            number += 1
            if not _is_html_response(record):
                skipped += 1
                continue
            yield _record_to_document(f"{origin}#record={number}", record, settings, gzipped)
    except ArchiveLoadFailed as exc:
        yield Reject(f"{origin}#record={number + 1}", STAGE, "bad_warc", f"not a readable WARC record: {exc}")
    except EOFError as exc:
        yield Reject(f"{origin}#record={number + 1}", STAGE, "truncated_gzip", f"the archive ends early ({exc})")
    except (zlib.error, OSError, ValueError) as exc:
        yield Reject(f"{origin}#record={number + 1}", STAGE, "bad_warc", f"corrupt archive data: {exc}")
    if number == 0:
        yield Reject(origin, STAGE, "empty", "the archive has no records")
    logger.debug("%s: %d records, %d skipped (not HTML responses)", origin, number, skipped)


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
        head, gzipped = b"", False
    stream.seek(start)
    return head == WARC_MAGIC, gzipped


def _is_html_response(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if not record.http_headers.get_statuscode().startswith("2"):
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.startswith(HTML_TYPES)


def _record_to_document(item: str, record, settings: Settings, gzipped: bool) -> Item:
    data, reason, detail = read_bounded(record.content_stream(), settings.max_bytes)
    if data is None:
        return Reject(item, STAGE, reason, detail)
    missing = getattr(record.raw_stream, "limit", 0)  # warcio's LimitReader counts down
    if missing > 0:
        why = "truncated_gzip" if gzipped else "bad_warc"
        return Reject(item, STAGE, why, f"the record ends {missing} bytes short of its Content-Length")
    if not data.strip():
        return Reject(item, STAGE, "empty", "the response body is empty")
    if looks_binary(data):
        return Reject(item, STAGE, "binary", "the response body is binary, not HTML")
    url = record.rec_headers.get_header("WARC-Target-URI")
    return RawDocument(origin=item, kind="html", data=data, url=url)
