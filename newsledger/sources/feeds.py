"""RSS and Atom feeds via feedparser: one item per entry.

An entry's full content (content:encoded, Atom <content>) is preferred over its
summary. The HTML is flattened to text here, so an entry becomes a RawDocument
of kind "fields"; its date is the entry's published (else updated) day.
"""

from __future__ import annotations

import logging
from typing import Iterator, Union

from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import host_of, struct_day
from newsledger.sources.html import fragment_to_text

logger = logging.getLogger(__name__)

STAGE = "source"
Item = Union[RawDocument, Reject]


def read_feed(origin: str, data: bytes) -> Iterator[Item]:
    """Entries of an RSS/Atom document (already size-checked and read)."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not any(_entry_html(entry).strip() for entry in parsed.entries):
        why = parsed.get("bozo_exception", "not a feed")
        yield Reject(origin, STAGE, "bad_feed", f"not a readable RSS/Atom feed: {why}")
        return
    if not parsed.entries:
        yield Reject(origin, STAGE, "empty", "the feed has no entries")
        return
    if parsed.bozo:
        logger.info("%s: feed is not well-formed (%s); read %d entries anyway",
                    origin, parsed.get("bozo_exception"), len(parsed.entries))
    outlet = parsed.feed.get("title") or host_of(parsed.feed.get("link"))
    for number, entry in enumerate(parsed.entries, start=1):
        yield entry_to_document(f"{origin}#entry={number}", entry, outlet)


def entry_to_document(item: str, entry, outlet) -> Item:
    text = fragment_to_text(_entry_html(entry))
    if not text:
        return Reject(item, STAGE, "empty", "the feed entry has no content or summary")
    return RawDocument(
        origin=item,
        kind="fields",
        data=text,
        url=entry.get("link"),
        title=fragment_to_text(entry.get("title", "")) or None,
        date=struct_day(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=entry.get("author") or None,
        outlet=outlet or None,
        tags=[t.get("term") for t in entry.get("tags", []) if t.get("term")],
    )


def _entry_html(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        return max(contents, key=len)
    return entry.get("summary", "") or ""
