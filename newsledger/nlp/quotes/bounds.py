"""Content bounds of marked quotes, settled after each quote has been attributed.

``direct.find_marked`` attributes every quoted passage on its own; two passages
of one reported clause can then yield two drafts for nearly the same clause
(``called the senator a "nasty guy" and "sick"``: one draft per passage, one
ending at each passage's closing mark). ``settle`` makes them one.

A mixed quote whose content is nothing but one quotation (``accused them of
running a "phony system,"``) keeps that quotation's marks, as a mixed quote
with paraphrase around its quotation already does (``direct._clause``) and as
PolNeAR bounds such contents. On PolNeAR dev this moved strict
``direct_mixed`` F1 from 0.8028 to 0.8072 (short contents are the ones two
missing marks push below 80%); a direct quote's marks stay outside its content
(docs/extract-format.md).
"""

from __future__ import annotations

from newsledger.nlp.quotes.common import Draft
from newsledger.nlp.quotes.marks import QuoteSpan


def settle(drafts: list[Draft], top: list[QuoteSpan]) -> list[Draft]:
    """Drafts in text order with mixed drafts of one cue whose contents overlap
    merged into one (their union, from the first start to the last end), and a
    mixed draft that is a bare quotation widened to its marks."""
    for d in drafts:
        _with_marks(d, top)
    out: list[Draft] = []
    for d in drafts:
        twin = next((p for p in reversed(out) if _same_clause(p, d)), None)
        if twin is None:
            out.append(d)
            continue
        twin.pieces = [(min(twin.start, d.start), max(twin.end, d.end))]
        twin.quote_ids = sorted(set(twin.quote_ids) | set(d.quote_ids))
    return out


def _same_clause(a: Draft, b: Draft) -> bool:
    return (
        a.kind == b.kind == "mixed"
        and a.cue is not None
        and a.cue == b.cue
        and a.start < b.end
        and b.start < a.end
    )


def _with_marks(d: Draft, top: list[QuoteSpan]) -> None:
    """A mixed draft whose content is exactly one closed quotation runs from its
    opening to its closing mark."""
    if d.kind != "mixed" or len(d.pieces) != 1 or len(d.quote_ids) != 1:
        return
    q = top[d.quote_ids[0]]
    if q.closed and len(q.pieces) == 1 and d.start == q.start and q.open <= d.end <= q.close:
        d.pieces = [(q.open, q.close)]
