"""Find quoted passages from their quote marks, character by character.

Handles straight ("), curly (“ ”), low-9 („ “), guillemet (« ») and, in
articles with no double marks, British single (‘ ’) quotes. Straight marks are
told apart by what stands on either side. Quotes may nest (the outer one
survives whole) and may run over several paragraphs, following the newsroom
convention that a continued quote re-opens each paragraph and closes only at
the end. Unbalanced marks never lose a quote: an unclosed quote ends at the end
of its paragraph, flagged ``closed=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN, CLOSE, EITHER = "open", "close", "either"
DOUBLE_MARKS = '"“”«»„'
SINGLE_MARKS = "‘’"
# Characters that, just before a straight mark, make it an opening mark.
_BEFORE_OPEN = set("([{—–-/:;\u00a0")
# Characters that, just after a straight mark, make it a closing mark.
_AFTER_CLOSE = set(".,;:!?)]}—–-\u00a0")
# Dropped from the end of quoted content: marks, and the comma or colon that
# belongs to the attribution ("...," he said).
_TRAILING = DOUBLE_MARKS + SINGLE_MARKS + ",;:"
_PARA = re.compile(r"\n\s*")


class Pieced:
    """Something made of ordered (start, end) pieces: it runs from the first
    piece's start to the last piece's end."""

    pieces: list[tuple[int, int]]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass
class QuoteSpan(Pieced):
    """One quoted passage: ``pieces`` are its content runs (one per paragraph),
    trimmed of marks and surrounding space."""

    open: int  # offset of the opening mark (paragraph start if there was none)
    close: int  # offset just past the closing mark (paragraph end if unclosed)
    pieces: list[tuple[int, int]] = field(default_factory=list)
    depth: int = 0  # 0 = top level, 1 = nested in another quote, ...
    closed: bool = True


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line block; a paragraph is a line here."""
    spans, pos = [], 0
    for m in _PARA.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _role(text: str, i: int) -> str:
    ch = text[i]
    if ch in "“«„‘":
        return OPEN
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == "”" and before.isspace() and (after.isalnum() or before == "\n" or i == 0):
        return OPEN  # a closing mark typed where an opening one belongs: ”Mr. Trump ...
    if ch in "”»’":
        return CLOSE
    opens = before.isspace() or before in _BEFORE_OPEN
    closes = after.isspace() or after in _AFTER_CLOSE
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    return EITHER


def trim_marks(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in DOUBLE_MARKS + SINGLE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return start, end


def _is_single_close(text: str, i: int) -> bool:
    """’ closes a quote only when it is not an apostrophe (don’t, Clinton’s)."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalpha()


def find_quotes(text: str) -> list[QuoteSpan]:
    """All quoted passages, outer and nested, in order of their start."""
    # Two apostrophes stand for a double mark in some archives (''I never ...,''
    # Mr. King said). Read them as one straight mark followed by a space: the
    # same length, so every offset found holds for the real text.
    text = text.replace("''", '" ')
    marks = DOUBLE_MARKS
    if not any(c in text for c in DOUBLE_MARKS):
        marks = SINGLE_MARKS
    found: list[QuoteSpan] = []
    carried: QuoteSpan | None = None  # a top-level quote continuing into this paragraph
    for p_start, p_end in paragraphs(text):
        stack: list[tuple[int, QuoteSpan]] = []
        positions = [i for i in range(p_start, p_end) if text[i] in marks]
        if marks == SINGLE_MARKS:
            positions = [i for i in positions if text[i] == "‘" or _is_single_close(text, i)]
        if carried is not None:
            if positions and positions[0] == p_start and _role(text, p_start) != CLOSE:
                carried.pieces.append((p_start + 1, p_start + 1))  # content opens after the mark
                stack.append((p_start, carried))
                positions = positions[1:]
            else:
                found.append(carried)
            carried = None
        for i in positions:
            _step(text, i, p_start, stack, found)
        carried = _end_paragraph(text, p_end, stack, found)
    if carried is not None:
        found.append(carried)
    for q in found:
        q.pieces = [trim_marks(text, s, e) for s, e in q.pieces]
        q.pieces = [(s, e) for s, e in q.pieces if e > s]
    found = [q for q in found if q.pieces]
    if marks == DOUBLE_MARKS:
        found += _single_inside(text, found)
    found.sort(key=lambda q: (q.start, -q.end))
    return found


def _single_inside(text: str, found: list[QuoteSpan]) -> list[QuoteSpan]:
    """Single-quoted passages nested in a double-quoted one ("... Trump said,
    'Let's talk about it tomorrow.'"): an opening ' or ‘ after a space, a
    closing ' or ’ before a space, punctuation or the end, never an apostrophe
    between two letters."""
    nested = []
    for q in [q for q in found if q.depth == 0 and len(q.pieces) == 1]:
        if any(o.depth > 0 and q.open < o.open < q.close for o in found):
            continue  # already has a nested quote of its own marks
        start, end = q.pieces[0]
        opened = None
        for i in range(start, end + 1 if end < len(text) else end):
            ch = text[i]
            if ch not in "'‘’":
                continue
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if opened is None and ch in "'‘" and (before.isspace() or before in "(:—–" or i == start) and after.isalnum():
                opened = i
            elif opened is not None and ch in "'’" and not after.isalpha() and not before.isspace():
                nested.append(QuoteSpan(open=opened, close=i + 1, pieces=[trim_marks(text, opened + 1, i)], depth=q.depth + 1))
                opened = None
    return [n for n in nested if n.pieces[0][1] > n.pieces[0][0]]


def _step(text: str, i: int, p_start: int, stack: list, found: list) -> None:
    role = _role(text, i)
    top = stack[-1][0] if stack else None
    if text[i] == "“" and top is not None and text[top] == "„":
        role = CLOSE  # German style „…“
    if role == EITHER:
        role = CLOSE if stack else OPEN
    if role == OPEN:
        stack.append((i, QuoteSpan(open=i, close=i, pieces=[(i + 1, i + 1)], depth=len(stack))))
        return
    if not stack:
        return  # a stray closing mark: nothing to close (an apostrophe or a typo)
    _, q = stack.pop()
    if text[i] in "”»" and stack and text[q.open] == '"' and text[stack[-1][0]] in "“«":
        # a curly closer while a straight quote is open inside a curly one:
        # the straight mark was never closed; close the curly quote instead
        _, q = stack.pop()
    last_start = q.pieces[-1][0]
    q.pieces[-1] = (last_start, i)
    q.close, q.closed = i + 1, True
    found.append(q)


def _end_paragraph(text: str, p_end: int, stack: list, found: list) -> QuoteSpan | None:
    """Close what is still open at a paragraph end; return a top-level quote that
    may continue into the next paragraph."""
    if not stack:
        return None
    _, outer = stack[0]
    for _, q in stack[1:]:
        q.pieces[-1] = (q.pieces[-1][0], p_end)
        q.close, q.closed = p_end, False
        found.append(q)
    outer.pieces[-1] = (outer.pieces[-1][0], p_end)
    outer.close, outer.closed = p_end, False
    return outer
