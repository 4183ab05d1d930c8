"""Article text with its evidence marked: safe HTML built from offsets.

The text is never inserted as HTML. It is cut at every mark boundary into
segments; each segment is html-escaped on its own and wrapped in one
``<span>`` per mark covering it, opened and closed around that segment, so
overlapping and nested marks always give well-formed HTML. Every tag,
class, id and attribute is built from validated names and escaped values
(docs/web.md, "Safety of the pages").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from markupsafe import Markup, escape

# The kinds of marks the reader draws; each is also a CSS class (mk-KIND).
KINDS = (
    "quote", "speaker", "cue", "event-trigger", "actor", "recipient",
    "place", "time", "furniture", "highlight",
)
# Speaker colours: spk-0 .. spk-7 in style.css, eight being what a reader
# can still tell apart side by side.
SPEAKER_COLOURS = 8

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")  # class names, data-* names, ids
# C0/C1 control characters other than tab, newline and carriage return: shown
# as U+FFFD. One character for one keeps every offset valid.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(text: Optional[str]) -> str:
    """``text`` safe to encode as UTF-8 and to show, with the same length:
    lone surrogates and control characters become U+FFFD."""
    if not text:
        return ""
    return _CONTROL.sub("\ufffd", _SURROGATE.sub("\ufffd", text))


def speaker_class(index: int) -> str:
    return f"spk-{int(index) % SPEAKER_COLOURS}"


@dataclass(frozen=True)
class Mark:
    """One span to mark: ``text[start:end]``.

    ``key`` groups the segments of one piece of evidence (``q3``, ``e1``); the
    first segment drawn for a key gets it as its HTML id. ``attrs`` become
    ``data-NAME`` attributes; ``classes`` extra CSS classes.
    """

    start: int
    end: int
    kind: str
    key: Optional[str] = None
    attrs: dict = field(default_factory=dict)
    classes: tuple = ()


def _check_name(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"bad {what} {name!r}: use lower-case letters, digits and '-'")
    return name


def _open_tag(mark: Mark, first: bool) -> str:
    """The ``<span ...>`` of one segment of ``mark``; only escaped values inside."""
    classes = ["mk", f"mk-{mark.kind}"] + [_check_name(c, "class") for c in mark.classes]
    parts = [f'<span class="{" ".join(classes)}"']
    if mark.key:
        key = _check_name(mark.key, "key")
        if first:
            parts.append(f' id="{key}"')
        parts.append(f' data-mark="{key}"')
    for name, value in mark.attrs.items():
        if value is None:
            continue
        parts.append(f' data-{_check_name(name, "attribute")}="{escape(clean(str(value)))}"')
    return "".join(parts) + ">"


def valid_marks(marks: Iterable[Mark], length: int) -> list[Mark]:
    """Marks of a known kind with offsets inside the text and not empty,
    outermost first (by start, then longest)."""
    kept = []
    for mark in marks:
        if mark.kind not in KINDS:
            raise ValueError(f"unknown mark kind {mark.kind!r}")
        start, end = max(0, int(mark.start)), min(length, int(mark.end))
        if start < end:
            kept.append(mark if (start, end) == (mark.start, mark.end) else
                        Mark(start, end, mark.kind, mark.key, mark.attrs, mark.classes))
    kept.sort(key=lambda m: (m.start, -m.end))
    return kept


def render_marked(text: Optional[str], marks: Iterable[Mark] = ()) -> Markup:
    """``text`` as safe HTML with every mark as ``<span>`` elements.

    A sweep over the sorted boundaries keeps the set of open marks, so the
    cost is linear in the text plus (segments x marks open at once).
    """
    text = clean(text)
    ordered = valid_marks(marks, len(text))
    bounds = sorted({0, len(text)} | {m.start for m in ordered} | {m.end for m in ordered})
    starts: dict[int, list[Mark]] = {}
    for mark in ordered:
        starts.setdefault(mark.start, []).append(mark)
    active: list[Mark] = []
    seen: set[str] = set()
    out: list[str] = []
    for left, right in zip(bounds, bounds[1:]):
        active = [m for m in active if m.end > left] + starts.get(left, [])
        active.sort(key=lambda m: (m.start, -m.end))
        for mark in active:
            out.append(_open_tag(mark, first=bool(mark.key) and mark.key not in seen))
            if mark.key:
                seen.add(mark.key)
        out.append(str(escape(text[left:right])))
        out.append("</span>" * len(active))
    return Markup("".join(out))


def parse_span(value: Optional[str], length: int) -> Optional[tuple[int, int]]:
    """``"120-188"`` -> (120, 188) when it is a non-empty span inside the
    text, else None (a bad or stale evidence link shows the page unmarked)."""
    match = re.fullmatch(r"\s*(\d{1,12})\s*-\s*(\d{1,12})\s*", value or "")
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if 0 <= start < end <= length else None


def safe_url(url: Optional[str]) -> Optional[str]:
    """``url`` when it may be a link (http or https), else None: shown as text."""
    url = clean(url).strip()
    return url if re.match(r"^https?://[^\s\"'<>`]+$", url, re.IGNORECASE) else None
