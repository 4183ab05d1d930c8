"""Actor country and sector accuracy on the PLOVER gold records (GSR).

For every coded actor and recipient of a record (its ``text``, gold ``code``
and ``sector``), the actor is resolved by ``newsledger.events.actors.resolve``
on the parsed sentence: the mention is the first occurrence of the gold
words in the sentence (see ``_mention``), the entities those of ``nlp/entities.py``, and no
year is given (the records are CAMEO-manual examples with no real date).

- **country accuracy**: share of gold actors and recipients whose code is
  predicted exactly; no code counts as wrong.
- **sector accuracy**: over the actors whose gold sector is a sector code
  (not null, not "***"), share whose predicted sector equals the gold one's
  first three letters (the records append ethnicity or religion, "CVLalb");
  no sector counts as wrong.

The records were coded in PLOVER 0.5b1 with a few CAMEO-era country codes:
``LEGACY_CODES`` maps those gold codes to ISO alpha-3, and ``GOLD_ERA_CODES``
maps the resolver's current-PLOVER UNO (United Nations) and EUR (European
Union) to the IGO the records use for both, before scoring.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Sequence

from newsledger.evaluation.event_sources import Example

# CAMEO-era codes in the gold records and their ISO 3166 alpha-3 equivalents.
LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# Current PLOVER codes the 0.5b1 records do not have: they code the UN and the
# European Community/Union as IGO.
GOLD_ERA_CODES = {"UNO": "IGO", "EUR": "IGO"}


def _mention(text: str, words: str) -> Optional[tuple[int, int]]:
    """Where the gold words are in the sentence. The records' ``text`` is hand
    markup: extra spaces ("NATO  peacekeeping troops"), elisions ("U.S. ...
    negotiators") and words the sentence splits ("French warships" in "French
    and Egyptian warships"). Tried in turn: the words (their first piece
    before a "...") with any spacing, then the longest run of their leading
    words found. Offsets only: the resolver decides what the words mean."""
    words = (words or "").strip()
    if not words:
        return None
    pieces = [p.strip() for p in re.split(r"\.\.+", words) if p.strip()]
    if not pieces:
        return None

    def find(piece: str, pos: int = 0):
        m = re.compile(r"\s+".join(re.escape(w) for w in piece.split())).search(text, pos)
        return (m.start(), m.end()) if m else None

    first = find(pieces[0])
    if first:
        return first
    toks = pieces[0].split()
    for n in range(len(toks) - 1, 0, -1):
        hit = find(" ".join(toks[:n]))
        if hit:
            return hit
    return None


def predict_actors(doc, actors: Sequence[dict], entities=None) -> list:
    """An ``Actor`` (or None when the words are not in the sentence) for each
    gold actor dict ({"text", ...}) of one parsed sentence."""
    from newsledger.events import actors as resolver
    from newsledger.nlp.entities import build_entities

    entities = build_entities(doc) if entities is None else entities
    out = []
    for a in actors:
        span = _mention(doc.text, a.get("text") or "")
        out.append(resolver.resolve(doc, span[0], span[1], entities) if span else None)
    return out


def predict_codes(doc, actors: Sequence[dict]) -> list[Optional[str]]:
    """A code for each gold actor dict of one parsed sentence (gold-era codes)."""
    return [GOLD_ERA_CODES.get(a.code, a.code) if a and a.code else None for a in predict_actors(doc, actors)]


def _gold_sector(s: Optional[str]) -> Optional[str]:
    return s[:3].upper() if s and s != "***" and len(s) >= 3 else None


def evaluate(examples: Sequence[Example], docs: Sequence) -> dict:
    gold: list[str] = []
    pred: list[Optional[str]] = []
    gold_sec: list[Optional[str]] = []
    pred_sec: list[Optional[str]] = []
    for e, doc in zip(examples, docs):
        actors = [a for a in e.extra.get("actor", []) + e.extra.get("recipient", []) if a.get("code")]
        found = predict_actors(doc, actors)
        gold += [LEGACY_CODES.get(a["code"], a["code"]) for a in actors]
        pred += [GOLD_ERA_CODES.get(x.code, x.code) if x and x.code else None for x in found]
        gold_sec += [_gold_sector(a.get("sector")) for a in actors]
        pred_sec += [x.sector if x else None for x in found]
    right = sum(1 for g, p in zip(gold, pred) if g == p)
    misses = Counter(g for g, p in zip(gold, pred) if p is None)
    wrong = Counter((g, p) for g, p in zip(gold, pred) if p is not None and g != p)
    sec_pairs = [(g, p) for g, p in zip(gold_sec, pred_sec) if g]
    sec_wrong = Counter((g, p or "-") for g, p in sec_pairs if g != p)
    return {
        "n": len(gold),
        "country_accuracy": round(right / len(gold), 4) if gold else 0.0,
        "no_code": sum(misses.values()),
        "wrong_code": sum(wrong.values()),
        "most_missed": [{"gold": g, "n": n} for g, n in misses.most_common(8)],
        "most_confused": [{"gold": g, "predicted": p, "n": n} for (g, p), n in wrong.most_common(8)],
        "n_sector": len(sec_pairs),
        "sector_accuracy": round(sum(1 for g, p in sec_pairs if g == p) / len(sec_pairs), 4) if sec_pairs else 0.0,
        "no_sector": sum(1 for g, p in sec_pairs if p is None),
        "sector_confused": [{"gold": g, "predicted": p, "n": n} for (g, p), n in sec_wrong.most_common(8)],
    }
