"""CSV and JSON Lines: one article per row, read row by row (never the whole file).

A row becomes a RawDocument of kind "fields": the body text plus whatever
title/date/url/author/outlet/tags columns it has. A row without text, a
broken JSON line or a row whose text is too large becomes a ``bad_row`` /
``too_large`` Reject and the reader goes on with the next row.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import zlib
from typing import IO, Iterable, Iterator, Optional, Union

from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import iso_day, split_tags
from newsledger.sources.csvlines import CsvLines
from newsledger.sources.lines import DecompressionBomb, line_limit, read_line

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
# Errors of the byte stream under a reader: a truncated or corrupt gzip file, a
# gzip bomb, an I/O error. They end the file (after the items read so far).
STREAM_ERRORS = (EOFError, OSError, zlib.error)


def read_csv(origin: str, stream: IO[bytes], settings: Settings, delimiter: str = ",") -> Iterator[Item]:
    """Rows of a CSV (or TSV) file with a header line, one item each.

    A row with broken quoting, bytes that are not UTF-8 or an overlong line is
    rejected on its own and reading goes on with the next row (see csvlines.py).
    """
    _raise_field_limit(settings.max_bytes)
    lines = CsvLines(stream, line_limit(settings))
    try:
        header = next(_reader(lines, delimiter, strict=False), None)
    except (csv.Error, *STREAM_ERRORS) as exc:
        yield _stream_reject(origin, exc)
        return
    flaw = lines.flaw()
    if flaw:
        yield Reject(origin, STAGE, flaw[0], f"the header row {flaw[1]}")
        return
    if not header:
        yield Reject(origin, STAGE, "empty", "the CSV file has no header row")
        return
    names = [h.strip().lower() for h in header]
    if not _pick(names, TEXT_COLUMNS):
        yield Reject(origin, STAGE, "bad_row", f"no text column (looked for {', '.join(TEXT_COLUMNS)}) in {names}")
        return
    yield from _csv_rows(origin, lines, names, settings, delimiter)


def _reader(lines: CsvLines, delimiter: str, strict: bool = True):
    return csv.reader(lines, delimiter=delimiter, strict=strict)


def _csv_rows(origin: str, lines: CsvLines, names: list[str], settings: Settings, delimiter: str) -> Iterator[Item]:
    """Rows after the header. Strict quoting finds where a quoted field breaks;
    the lines after its first are then parsed again, so a stray quote costs
    one row, not every row it would otherwise swallow."""
    reader = _reader(lines, delimiter)
    bad_in_a_row = number = 0
    suspect = False  # after broken quoting, until a row has the header's shape
    while True:
        lines.begin_record()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = lines.recover(exc, delimiter)
            suspect = True
            if row is None:  # reject the record's first line; any others are read again
                number += 1
                bad_in_a_row += 1
                reason = "too_large" if "field limit" in str(exc) else "bad_quoting"
                yield Reject(f"{origin}#row={number}", STAGE, reason, f"not valid CSV: {exc}")
                if bad_in_a_row >= MAX_CONSECUTIVE_BAD_ROWS:
                    yield Reject(origin, STAGE, "bad_row", "too many unreadable rows; stopped reading")
                    return
                reader = _reader(lines, delimiter)
                continue
        except STREAM_ERRORS as exc:
            yield _stream_reject(f"{origin}#row={number + 1}", exc)
            return
        bad_in_a_row = 0
        flaw = lines.flaw()
        if not flaw and not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        number += 1
        item = f"{origin}#row={number}"
        problem = _row_problem(row, names, flaw, suspect)
        if problem:
            yield Reject(item, STAGE, *problem)
            continue
        suspect = False
        yield row_to_document(item, dict(zip(names, row)), settings)


def _row_problem(row: list[str], names: list[str], flaw, suspect: bool) -> Optional[tuple[str, str]]:
    """(reason, detail) when a parsed row cannot be trusted, else None."""
    if flaw:
        return flaw[0], f"the row {flaw[1]}"
    cells = len(row)
    while cells > len(names) and not row[cells - 1].strip():
        cells -= 1  # trailing empty cells ("a,b,") are harmless
    if cells > len(names) or (suspect and cells != len(names)):
        return "bad_quoting", f"the row has {cells} cells where the header has {len(names)} (broken quoting?)"
    return None


def read_jsonl(origin: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """One JSON object per line; a line that is not one is rejected on its own."""
    limit = line_limit(settings)
    number = 0
    first = True
    while True:
        try:
            line, overlong = read_line(stream, limit)
        except STREAM_ERRORS as exc:
            yield _stream_reject(f"{origin}#row={number + 1}", exc)
            return
        if not line and not overlong:
            return
        number += 1
        item = f"{origin}#row={number}"
        if overlong:
            yield Reject(item, STAGE, "too_large", f"the line is over {limit} bytes; skipped")
            continue
        stripped = line.strip()
        if first:
            stripped = stripped.removeprefix(b"\xef\xbb\xbf").strip()  # a UTF-8 byte-order mark
        if not stripped:
            continue
        first = False
        if len(stripped) > settings.max_bytes:
            yield Reject(item, STAGE, "too_large", f"the line is over {settings.max_bytes} bytes")
            continue
        obj, error = _loads(stripped)
        if error:
            yield Reject(item, STAGE, "bad_row", error)
            continue
        yield _object_to_document(item, obj, settings)


def _loads(data: bytes) -> tuple[object, str]:
    """(object, "") for valid JSON, else (None, why)."""
    try:
        return json.loads(data), ""
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"not valid JSON: {exc}"
    except RecursionError:
        return None, "not valid JSON: nested too deeply to read"


def read_json(origin: str, stream: IO[bytes], settings: Settings) -> Iterator[Item]:
    """A JSON array of objects, read whole but never past the per-item limit.

    A file that is not one valid array but whose first line is a whole JSON
    value (JSON Lines that happen to start with "[") is read line by line, so
    one bad line does not cost the others.
    """
    try:
        data = stream.read(settings.max_bytes + 1)
    except STREAM_ERRORS as exc:
        yield _stream_reject(origin, exc)
        return
    if len(data) > settings.max_bytes:
        yield Reject(origin, STAGE, "too_large", f"the JSON document is over {settings.max_bytes} bytes")
        return
    items, error = _loads(data.removeprefix(b"\xef\xbb\xbf"))
    if error and _first_line_is_whole(data):
        yield from read_jsonl(origin, io.BytesIO(data), settings)
    elif error:
        yield Reject(origin, STAGE, "bad_row", error)
    elif not isinstance(items, list):
        yield _object_to_document(f"{origin}#row=1", items, settings)
    else:
        for index, obj in enumerate(items, start=1):
            yield _object_to_document(f"{origin}#row={index}", obj, settings)


def _first_line_is_whole(data: bytes) -> bool:
    lines = data.removeprefix(b"\xef\xbb\xbf").strip().split(b"\n", 1)
    return len(lines) == 2 and not _loads(lines[0])[1]


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
    if isinstance(exc, DecompressionBomb):
        return Reject(item, STAGE, exc.reason, str(exc))
    if isinstance(exc, EOFError):
        return Reject(item, STAGE, "truncated_gzip", f"the compressed file ends early ({exc})")
    if isinstance(exc, UnicodeDecodeError):
        return Reject(item, STAGE, "undecodable", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    if isinstance(exc, csv.Error):
        return Reject(item, STAGE, "bad_row", f"not valid CSV: {exc}")
    return Reject(item, STAGE, "unreadable", str(exc) or type(exc).__name__)


def _raise_field_limit(max_bytes: int) -> None:
    # The csv module refuses fields over 128 KiB by default; a long article is
    # bigger. Allow fields up to the configured per-item limit.
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
