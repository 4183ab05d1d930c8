"""HTML pages (whole pages go to trafilatura later) and HTML fragments (feeds)."""

from __future__ import annotations

import re
from typing import Iterator, Optional, Union

from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import looks_binary

STAGE = "source"

# Elements that end a paragraph when an HTML fragment is turned into text
# (the HTML Living Standard's block-level flow content that carries prose).
BLOCK_TAGS = frozenset(
    "p div section article blockquote li ul ol h1 h2 h3 h4 h5 h6 pre table tr "
    "figure figcaption header footer aside dd dt dl hr".split()
)
_BLANKS = re.compile(r"\n{3,}")


def read_html(origin: str, data: bytes, url: Optional[str] = None) -> Iterator[Union[RawDocument, Reject]]:
    """One HTML page as bytes; trafilatura finds the charset from the page itself."""
    if not data.strip():
        yield Reject(origin, STAGE, "empty", "the page is empty")
        return
    if looks_binary(data):
        yield Reject(origin, STAGE, "binary", "the file holds binary data, not HTML")
        return
    yield RawDocument(origin=origin, kind="html", data=data, url=url)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one blank line between blocks."""
    if "<" not in fragment:
        return _tidy(fragment)
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", fragment))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        if el.tag in ("script", "style"):
            el.text = ""
        elif el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
