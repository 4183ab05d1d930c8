"""Helpers every reader shares: byte sniffing, decoding, bounded reads, dates.

Nothing here raises for bad content. Functions return a value or a reason code
(the same short codes a Reject carries), so readers and articles.py can turn
a failure into a Reject without try/except around every call.
"""

from __future__ import annotations

import codecs
import gzip
import logging
import re
import zlib
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import IO, Optional, Union
from urllib.parse import urlparse

from newsledger.sources.lines import DecompressionBomb

logger = logging.getLogger(__name__)

# How many leading bytes are enough to sniff a file's type and spot binary data.
# 8 KiB covers an HTML <head> up to the doctype/meta charset, a WARC header, a
# CSV header line, and is the block size `file(1)` and git use for the same check.
SNIFF_BYTES = 8192

# Share of control characters (other than tab, newline, CR, form feed) above
# which bytes are binary, not text. Git's and grep's heuristics treat a single
# NUL as binary; we accept a little noise from badly converted text (old ^Z or
# \x1b in copied teletype wire copy) but nothing close to 1 in 20.
MAX_CONTROL_SHARE = 0.05

# Decoded text with more than this share of U+FFFD / unassigned characters is
# mojibake, not text. Half a percent allows the odd broken byte in a long page.
MAX_BAD_CHAR_SHARE = 0.005

# Magic numbers of common binary formats people point a news reader at by mistake
# (from the formats' specifications, as listed by `file(1)`'s magic database).
BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"PK\x03\x04",  # zip, docx, xlsx, epub
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",  # OLE2: .doc, .xls
    b"SQLite format 3",
    b"\x00\x00\x00",  # many container formats (mp4, ...) start with a size word
)

GZIP_MAGIC = b"\x1f\x8b"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _ in _BOMS)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding (NULs, control noise, magic)."""
    head = data[:SNIFF_BYTES]
    if not head or has_bom(head):
        return False  # UTF-16/32 text has NULs; the BOM says it is text
    if head.startswith(BINARY_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls / len(head) > MAX_CONTROL_SHARE


def decode_bytes(data: bytes) -> tuple[Optional[str], str]:
    """Decode text bytes: BOM, then strict UTF-8, then charset detection.

    Returns (text, how) on success and (None, reason) on failure, where reason
    is ``binary`` or ``undecodable``.
    """
    if looks_binary(data):
        return None, "binary"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, "undecodable"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _detect(data: bytes) -> tuple[Optional[str], str]:
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None, "undecodable"
    # Prefer Windows-1252 when it reads the bytes as cleanly as the winner:
    # single-byte code pages tie often and Western news is the common case.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos:
            best = match
            break
    text = str(best)
    if bad_char_share(text) > MAX_BAD_CHAR_SHARE:
        return None, "undecodable"
    return text, best.encoding


def bad_char_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return bad / len(text)


def read_bounded(stream: IO[bytes], limit: int) -> tuple[Optional[bytes], str, str]:
    """Read at most ``limit`` bytes. Returns (data, "", "") or (None, reason, detail).

    Reasons: ``too_large`` (more than ``limit`` bytes), ``gzip_bomb`` (see
    lines.open_gzip), ``truncated_gzip`` (the compressed stream ends early),
    ``unreadable``.
    """
    try:
        data = stream.read(limit + 1)
    except EOFError as exc:
        return None, "truncated_gzip", str(exc)
    except (gzip.BadGzipFile, zlib.error) as exc:
        return None, "unreadable", f"corrupt gzip data ({exc})"
    except DecompressionBomb as exc:
        return None, exc.reason, str(exc)
    except OSError as exc:
        return None, "unreadable", str(exc)
    if len(data) > limit:
        return None, "too_large", f"more than {limit} bytes once decompressed"
    return data, "", ""


def iso_day(value: Union[str, datetime, None]) -> Optional[str]:
    """An ISO day (YYYY-MM-DD) from an ISO date/datetime or an RFC 822 date; else None.

    Never guesses: a value we cannot read exactly is dropped, not approximated.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    if not text:
        return None
    match = _ISO_DAY.match(text)
    if match:
        try:
            return datetime(*(int(g) for g in match.groups())).date().isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def struct_day(value) -> Optional[str]:
    """ISO day from a time.struct_time (feedparser's *_parsed fields)."""
    if not value:
        return None
    try:
        return datetime(*value[:3], tzinfo=timezone.utc).date().isoformat()
    except (TypeError, ValueError):
        return None


def host_of(url: Optional[str]) -> Optional[str]:
    """The host name of a URL without a leading www., or None."""
    if not url:
        return None
    try:
        host = urlparse(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def split_tags(value) -> list[str]:
    """Tags from a list or a comma/semicolon-separated string, trimmed, order kept, no repeats."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else re.split(r"[;,|]", str(value))
    seen: dict[str, None] = {}
    for item in items:
        tag = str(item).strip()
        if tag and tag not in seen:
            seen[tag] = None
    return list(seen)
