"""What every source reader yields: a RawDocument, or a Reject when the item is unusable.

Readers only locate and decode items; they never judge article quality. Turning
a RawDocument into an Article (furniture split, language, id) is articles.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

# A Reject's detail is one line for a log or a table cell; 300 characters hold
# any of our own messages and the useful start of a library's exception text.
MAX_DETAIL_CHARS = 300


@dataclass
class RawDocument:
    """One item as found in an input, before it becomes an Article.

    ``kind`` says how to read ``data``: "text" (title on the first line, then the
    body), "html" (a page for trafilatura) or "fields" (already split: title,
    text, date, url given by a CSV/JSONL row or a feed entry).
    """

    origin: str  # where it came from: a path, "path#row=12", "path#record=3", "<stdin>"
    kind: str  # text | html | fields
    data: Union[bytes, str]  # raw bytes or decoded text (the body for kind="fields")
    url: Optional[str] = None
    title: Optional[str] = None
    date: Optional[str] = None  # ISO 8601 date (YYYY-MM-DD) or None
    author: Optional[str] = None
    outlet: Optional[str] = None
    tags: list[str] = field(default_factory=list)


@dataclass
class Reject:
    """An item that could not be used, with the stage that dropped it and why.

    ``reason`` is a short stable code (counted at the end of a run);
    ``detail`` is the one-line human explanation.
    """

    item: str  # the origin of the item
    stage: str  # source | article | nlp | store
    # e.g. empty, binary, undecodable, too_large, gzip_bomb, truncated_gzip, bad_row,
    # bad_quoting, bad_warc, bad_feed, unreadable, no_article
    reason: str
    detail: str = ""

    def __post_init__(self) -> None:
        # one line, and short: exception texts can carry a header line or a page of data
        detail = " ".join(str(self.detail).split())
        self.detail = detail if len(detail) <= MAX_DETAIL_CHARS else detail[: MAX_DETAIL_CHARS - 3] + "..."

    def message(self) -> str:
        return f"{self.item}: rejected ({self.reason}) {self.detail}".rstrip()
