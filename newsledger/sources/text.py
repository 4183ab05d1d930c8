"""Plain-text articles: the title on the first line, then the body.

The reader only decodes; the title/body split and furniture removal happen in
articles.py so text from any other source (stdin, the web form) gets the same
treatment.
"""

from __future__ import annotations

from typing import Iterator, Union

from newsledger.sources.base import RawDocument, Reject
from newsledger.sources.common import decode_bytes

STAGE = "source"


def read_text(origin: str, data: bytes) -> Iterator[Union[RawDocument, Reject]]:
    """One text article from a file's bytes, or a Reject (binary, undecodable, empty)."""
    if not data.strip():
        yield Reject(origin, STAGE, "empty", "the file has no text")
        return
    text, how = decode_bytes(data)
    if text is None:
        yield Reject(origin, STAGE, how, _DETAIL[how])
        return
    if not text.strip():
        yield Reject(origin, STAGE, "empty", "the file has only whitespace")
        return
    yield RawDocument(origin=origin, kind="text", data=text)


_DETAIL = {
    "binary": "the file holds binary data, not text",
    "undecodable": "the bytes are not UTF-8 and no other text encoding fits",
}
