"""CSV and JSON Lines: one article per row, read row by row (never the whole file).

A row becomes a RawDocument of kind "fields": the body text plus whatever
title/date/url/author/outlet/tags columns it has. A row without text, a
broken JSON line or a row whose text is too large becomes a ``bad_row`` /
``too_large`` Reject and the reader goes on with the next row.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import logging
import zlib
from typing import IO, Iterable, Iterator, Optional, Union

from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import iso_day, split_tags

logger = logging.getLogger(__name__)

STAGE = "source"
Item = Union[RawDocument, Reject]

# Column names each field is read from, first match wins (lower-cased). They are
# the names used by the corpora we read: Wikinews dumps (url,date,title,text),
# news-please / CC-News JSON (maintext, date_publish, source_domain), GDELT/
# MediaCloud exports (publish_date, media_name) and schema.org (articleBody).
TEXT_COLUMNS = ("text", "body", "maintext", "content", "articlebody", "article", "story")
TITLE_COLUMNS = ("title", "headline", "name")
DATE_COLUMNS = ("date", "date_publish", "publish_date", "published", "pubdate", "datepublished")
URL_COLUMNS = ("url", "link", "uri")
AUTHOR_COLUMNS = ("author", "authors", "byline")
OUTLET_COLUMNS = ("outlet", "source_domain", "media_name", "source", "site", "publisher")
TAG_COLUMNS = ("tags", "keywords")

# After this many consecutive rows the csv module cannot parse, the file is not
# really CSV; stop rather than emit a Reject per remaining line.
MAX_CONSECUTIVE_BAD_ROWS = 20


def read_csv(origin: str, stream: IO[bytes], settings: Settings, delimiter: str = ",") -> Iterator[Item]:
    """Rows of a CSV (or TSV) file with a header line, one item each."""
    _raise_field_limit(settings.max_bytes)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    rows = csv.reader(text, delimiter=delimiter)
    try:
        header = next(rows, None)
    except (UnicodeDecodeError, csv.Error, EOFError, OSError, zlib.error) as exc:
        yield _stream_reject(origin, exc)
        return
    if not header:
        yield Reject(origin, STAGE, "empty", "the CSV file has no header row")
        return
    names = [h.strip().lower() for h in header]
    if not _pick(names, TEXT_COLUMNS):
        yield Reject(origin, STAGE, "bad_row", f"no text column (looked for {', '.join(TEXT_COLUMNS)}) in {names}")
        return
    yield from _csv_rows(origin, rows, names, settings)


def _csv_rows(origin: str, rows, names: list[str], settings: Settings) -> Iterator[Item]:
    bad_in_a_row = 0
    number = 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            bad_in_a_row += 1
            yield Reject(f"{origin}#row={number}", STAGE, "bad_row", f"not valid CSV: {exc}")
            if bad_in_a_row >= MAX_CONSECUTIVE_BAD_ROWS:
                yield Reject(origin, STAGE, "bad_row", "too many unreadable rows; stopped reading")
                return
            continue
        except (UnicodeDecodeError, EOFError, OSError, zlib.error) as exc:
            yield _stream_reject(f"{origin}#row={number}", exc)
            return
        bad_in_a_row = 0
        if not any(cell.strip() for cell in row):
            number -= 1  # blank lines are not rows
            continue
        yield row_to_document(f"{origin}#row={number}", dict(zip(names, row)), settings)


def read_jsonl(origin: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """One JSON object per line; a JSON array file is read whole (its size was checked)."""
    lines = _lines(origin, stream)
    first = True
    for number, line in lines:
        if isinstance(line, Reject):
            yield line
            return
        stripped = line.strip()
        if first:
            stripped = stripped.removeprefix(b"\xef\xbb\xbf").strip()  # a UTF-8 byte-order mark
        if not stripped:
            continue
        if first and stripped.startswith(b"["):
            rest = [more for _, more in lines]
            if any(isinstance(more, Reject) for more in rest):
                yield next(more for more in rest if isinstance(more, Reject))
                return
            yield from _json_array(origin, stripped + b"".join(rest), settings)
            return
        first = False
        item = f"{origin}#row={number}"
        if len(stripped) > settings.max_bytes:
            yield Reject(item, STAGE, "too_large", f"the line is over {settings.max_bytes} bytes")
            continue
        try:
            obj = json.loads(stripped)
        except (ValueError, UnicodeDecodeError) as exc:
            yield Reject(item, STAGE, "bad_row", f"not valid JSON: {exc}")
            continue
        yield _object_to_document(item, obj, settings)


def _lines(origin: str, stream: IO[bytes]) -> Iterator[tuple[int, Union[bytes, Reject]]]:
    """Numbered lines of a byte stream; a broken gzip stream ends it with a Reject."""
    number = 0
    while True:
        try:
            line = stream.readline()
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            yield number + 1, _stream_reject(f"{origin}#row={number + 1}", exc)
            return
        if not line:
            return
        number += 1
        yield number, line


def _json_array(origin: str, data: bytes, settings: Settings) -> Iterator[Item]:
    try:
        items = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        yield Reject(origin, STAGE, "bad_row", f"not valid JSON: {exc}")
        return
    for index, obj in enumerate(items, start=1):
        yield _object_to_document(f"{origin}#row={index}", obj, settings)


def _object_to_document(item: str, obj, settings: Settings) -> Item:
    if not isinstance(obj, dict):
        return Reject(item, STAGE, "bad_row", f"expected a JSON object, got {type(obj).__name__}")
    fields = {str(k).strip().lower(): v for k, v in obj.items()}
    return row_to_document(item, fields, settings)


def row_to_document(item: str, fields: dict, settings: Settings) -> Item:
    """A RawDocument of kind "fields" from a row's columns, or a bad_row Reject."""
    text = _value(fields, TEXT_COLUMNS)
    if not isinstance(text, str) or not text.strip():
        return Reject(item, STAGE, "bad_row", "the row has no text")
    if len(text.encode("utf-8")) > settings.max_bytes:
        return Reject(item, STAGE, "too_large", f"the text is over {settings.max_bytes} bytes")
    return RawDocument(
        origin=item,
        kind="fields",
        data=text,
        title=_string(_value(fields, TITLE_COLUMNS)),
        date=iso_day(_string(_value(fields, DATE_COLUMNS))),
        url=_string(_value(fields, URL_COLUMNS)),
        author=_author(_value(fields, AUTHOR_COLUMNS)),
        outlet=_string(_value(fields, OUTLET_COLUMNS)),
        tags=split_tags(_value(fields, TAG_COLUMNS)),
    )


def _pick(names: Iterable[str], candidates: tuple[str, ...]) -> Optional[str]:
    present = set(names)
    return next((c for c in candidates if c in present), None)


def _value(fields: dict, candidates: tuple[str, ...]):
    for name in candidates:
        value = fields.get(name)
        if value not in (None, ""):
            return _valid(value)


# JSON may carry lone UTF-16 surrogates ("\ud800"), which no text can hold:
# each becomes U+FFFD, one for one, so the row is kept and offsets still match.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid(value):
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_valid(v) for v in value]
    return value
    return None


def _string(value) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _author(value) -> Optional[str]:
    if isinstance(value, list):
        return ", ".join(str(v).strip() for v in value if str(v).strip()) or None
    return _string(value)


def _stream_reject(item: str, exc: Exception) -> Reject:
    if isinstance(exc, EOFError):
        return Reject(item, STAGE, "truncated_gzip", f"the compressed file ends early ({exc})")
    if isinstance(exc, UnicodeDecodeError):
        return Reject(item, STAGE, "undecodable", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    return Reject(item, STAGE, "unreadable", str(exc))


def _raise_field_limit(max_bytes: int) -> None:
    # The csv module refuses fields over 128 KiB by default; a long article is
    # bigger. Allow fields up to the configured per-item limit.
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
