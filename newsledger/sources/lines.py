"""Bounded reading for streamed inputs: gzip with a bomb guard, lines with a length cap.

A streamed input (CSV, JSON Lines, WARC) may be any size, so it is never read
whole. Two things could still make one read unbounded, and both are capped:

- a gzip bomb: a small file that inflates to gigabytes. ``open_gzip`` wraps a
  compressed stream and raises ``DecompressionBomb`` once the output is both
  large and far more than any real text compresses to.
- a huge single line: ``read_line`` reads at most ``limit`` bytes of a line,
  skips the rest of an overlong line without keeping it, and says so.

    stream = open_gzip(raw)                     # a BufferedReader of the inflated bytes
    line, overlong = read_line(stream, limit)   # b"" at the end of the stream
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from typing import IO, Optional

from newsledger.settings import Settings

# Compression ratio above which a gzip stream is a bomb, not data. Measured with
# gzip -6 (2026-11-29): Wikinews CSV 3.0x, PolNeAR and GeoWebNews JSONL 4.7x and
# 5.8x, 379 news pages of the extraction benchmarks median 4.7x, max 9.9x.
# DEFLATE's own ceiling is about 1032x, reached only by runs of one byte.
# 100x leaves a tenfold margin over the most compressible real page.
MAX_GZIP_RATIO = 100
# The ratio is judged only after this much output: a small file of repeated
# boilerplate may compress very well and is harmless. 16 MiB is a third of the
# default per-item limit, so a bomb is stopped well before any item limit bites.
BOMB_CHECK_BYTES = 16 * 1024 * 1024
# An overlong line is skipped in pieces of this size, so skipping it takes no
# more memory than one piece (1 MiB, a few times the stdlib's I/O buffer).
SKIP_CHUNK_BYTES = 1024 * 1024
# Compressed bytes read at a time: the stdlib gzip module's own read size (128 KiB).
RAW_CHUNK_BYTES = 128 * 1024
# zlib window bits for the gzip format (16 + the 32 KiB DEFLATE window), from zlib's manual.
GZIP_WBITS = 16 + 15
# Member starts remembered for restarting after a broken member; a reader only
# ever goes back to the member of the record it was reading, the last few.
MEMBERS_KEPT = 64
# A CSV/JSONL row holds the text (at most settings.max_bytes) plus short metadata
# (url, title, date, tags); 64 KiB is far above the longest URL or title we have
# met (browsers cap URLs near 32 KiB), so a longer line cannot hold a usable row.
ROW_METADATA_BYTES = 64 * 1024


class DecompressionBomb(OSError):
    """A gzip stream that inflates far beyond what real text compresses to."""

    reason = "gzip_bomb"


def line_limit(settings: Settings) -> int:
    """The longest line (in bytes) a streamed CSV/JSONL reader keeps."""
    return settings.max_bytes + ROW_METADATA_BYTES


def read_line(stream: IO[bytes], limit: int) -> tuple[bytes, bool]:
    """The next line (with its newline) and whether it was over ``limit`` bytes.

    An overlong line comes back as (b"", True) after it has been skipped, so the
    caller can reject it and go on with the next line; the end of the stream is
    (b"", False).
    """
    line = stream.readline(limit + 1)
    if len(line) <= limit:
        return line, False
    while line and not line.endswith(b"\n"):
        line = stream.readline(SKIP_CHUNK_BYTES)
    return b"", True


def open_gzip(raw: IO[bytes], buffered: bool = True) -> IO[bytes]:
    """The inflated bytes of ``raw``, guarded against bombs.

    Buffered by default (fast ``readline``). A caller that does its own
    buffering (warcio) takes the raw stream (with ``failure`` and
    ``member_start``): a BufferedReader drops the bytes it gathered for a
    ``read(n)`` when a truncated stream fails part-way.
    """
    guarded = _GuardedGzip(raw)
    return io.BufferedReader(guarded) if buffered else guarded


class _GuardedGzip(io.RawIOBase):
    """Inflates each gzip member of ``raw`` in turn, as gzip.GzipFile does, but

    - raises DecompressionBomb when the output gets absurdly large for the input;
    - keeps the failure that stopped it (``failure``), since a reader such as
      warcio may swallow an EOFError and just stop;
    - notes where each member starts in ``raw``, so a reader can start again at
      the member after a broken one (``member_start``).
    """

    def __init__(self, raw: IO[bytes]):
        super().__init__()
        self.raw = raw
        self.origin = _position(raw)
        self.raw_read = 0  # bytes read from raw
        self.tail = b""  # bytes read from raw but not yet inflated
        self.inflater = zlib.decompressobj(GZIP_WBITS)
        self.inflated = 0  # bytes handed out
        self.done = False
        self.failure: Optional[Exception] = None
        self.members: deque[tuple[int, int]] = deque([(0, self.origin)], maxlen=MEMBERS_KEPT)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._inflate(len(buffer))
        except Exception as exc:
            self.failure = exc
            raise
        buffer[: len(data)] = data
        self.inflated += len(data)
        if self.inflated > BOMB_CHECK_BYTES and self.inflated > MAX_GZIP_RATIO * max(self.raw_read, 1):
            self.failure = DecompressionBomb(
                f"gzip bomb: {self.raw_read} compressed bytes inflate to over {self.inflated} "
                f"(more than {MAX_GZIP_RATIO}x, which no real text reaches)"
            )
            raise self.failure
        return len(data)

    def member_start(self, inflated_offset: int) -> int:
        """The offset in ``raw`` of the member holding ``inflated_offset`` (or an earlier one)."""
        for inflated, raw_offset in reversed(self.members):
            if inflated <= inflated_offset:
                return raw_offset
        return self.members[0][1]

    def _inflate(self, size: int) -> bytes:
        while not self.done:
            if self.inflater.eof:
                self._next_member()
                continue
            if not self.tail:
                self.tail = self._read_raw()
                if not self.tail:
                    raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            data = self.inflater.decompress(self.tail, size)
            self.tail = self.inflater.unconsumed_tail
            if data:
                return data
        return b""

    def _next_member(self) -> None:
        rest = self.inflater.unused_data + self.tail
        self.tail = b""
        if not rest:
            rest = self._read_raw()
        if not rest:
            self.done = True
            return
        self.members.append((self.inflated, self.origin + self.raw_read - len(rest)))
        self.inflater = zlib.decompressobj(GZIP_WBITS)
        self.tail = rest

    def _read_raw(self) -> bytes:
        data = self.raw.read(RAW_CHUNK_BYTES)
        self.raw_read += len(data)
        return data


def _position(raw: IO[bytes]) -> int:
    try:
        return raw.tell()
    except (OSError, AttributeError):
        return 0
