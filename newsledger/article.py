"""The Article: the unit every later stage works on."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """The text an article id is a hash of: NFC, whitespace folded, trimmed.

    Two copies of the same story that differ only in line breaks or spacing
    (syndicated wire copy) get the same id.
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    """Content hash of the normalised body text (first 128 bits of SHA-256, hex)."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:32]


@dataclass
class Article:
    """A decoded article. Every span in its records is an offset into ``text``."""

    id: str
    text: str  # the body text, furniture removed
    title: Optional[str] = None
    date: Optional[str] = None  # ISO 8601 publication date or None (never guessed)
    url: Optional[str] = None
    outlet: Optional[str] = None
    author: Optional[str] = None
    origin: str = ""
    tags: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)  # lines removed as site furniture
    language: Optional[str] = None
    language_reason: Optional[str] = None  # e.g. "py3langid: de (0.99)"

    @classmethod
    def from_text(cls, text: str, **kw) -> "Article":
        return cls(id=article_id(text), text=text, **kw)
