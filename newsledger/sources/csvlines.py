"""The physical lines under csv.reader, so one broken row never spoils the rest.

csv.reader pulls lines one at a time from any iterator. ``CsvLines`` is that
iterator over a byte stream, and it remembers the lines of the record being
parsed, so the reader in tabular.py can:

- reject just the row whose bytes are not UTF-8: each line is decoded on its
  own with ``surrogateescape``, so bad bytes become lone surrogates (never a
  quote, comma or newline, so the quoting around them is kept) and the row that
  holds them is flagged ``undecodable``;
- reject just the row on an overlong line: the line is skipped (see
  lines.read_line) and handed on as an empty line, and its row is ``too_large``;
- recover from broken quoting: a stray quote makes csv swallow the lines after
  it into one field. When strict parsing fails on a record that spans several
  lines, its first line is dropped and the others are pushed back to be parsed
  again as rows of their own.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from typing import IO, Optional

from newsledger.sources.lines import read_line

# A line as handed to csv: (line number, text, flaw or "").
Entry = tuple[int, str, str]
UNDECODABLE = "undecodable"
TOO_LARGE = "too_large"


class CsvLines:
    """Decoded lines of a CSV byte stream, at most ``limit`` bytes each."""

    def __init__(self, stream: IO[bytes], limit: int):
        self.stream = stream
        self.limit = limit
        self.number = 0  # lines read from the stream so far
        self.taken: list[Entry] = []  # lines of the record being parsed
        self.pending: deque[Entry] = deque()  # lines pushed back to parse again

    def __iter__(self) -> "CsvLines":
        return self

    def __next__(self) -> str:
        entry = self.pending.popleft() if self.pending else self._read()
        self.taken.append(entry)
        return entry[1]

    def _read(self) -> Entry:
        line, overlong = read_line(self.stream, self.limit)
        if not line and not overlong:
            raise StopIteration
        self.number += 1
        if overlong:
            return self.number, "\n", TOO_LARGE
        if self.number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            return self.number, line.decode("utf-8"), ""
        except UnicodeDecodeError:
            return self.number, line.decode("utf-8", "surrogateescape"), UNDECODABLE

    def begin_record(self) -> None:
        self.taken = []

    def flaw(self) -> Optional[tuple[str, str]]:
        """(reason, detail) for the first flawed line of the current record, or None."""
        for number, _, flaw in self.taken:
            if flaw == UNDECODABLE:
                return flaw, f"on line {number} is not UTF-8 text"
            if flaw == TOO_LARGE:
                return flaw, f"on line {number} is over {self.limit} bytes"
        return None

    def recover(self, error: csv.Error, delimiter: str) -> Optional[list[str]]:
        """After a strict-parsing error: the row read leniently when the record
        was one line (a sloppy quote such as '"a" ,b' stays on its line), else
        None after pushing back every line of the record but the first (or
        when even lenient parsing fails)."""
        if len(self.taken) == 1:
            try:
                return next(csv.reader([self.taken[0][1]], delimiter=delimiter), None)
            except csv.Error:
                return None  # e.g. a field over the size limit: nothing to re-read
        self.pending.extendleft(reversed(self.taken[1:]))
        self.taken = self.taken[:1]
        return None
