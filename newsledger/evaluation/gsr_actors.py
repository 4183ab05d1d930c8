"""A first actor-country baseline on the PLOVER gold records (GSR).

For every coded actor and recipient of a record (its ``text`` and gold
``code``), the predicted code is:

1. the code of the newsledger entity (``nlp/entities.py``: countries and
   their demonyms get ISO alpha-3 codes, intergovernmental organisations IGO)
   with a mention overlapping the actor's words in the sentence;
2. else a country name or demonym (``lexicons.countries()``) among the actor's
   own words ("British Defence Secretary Tom King" -> GBR);
3. else nothing, which counts as wrong.

Accuracy is the share of gold actors and recipients whose code is predicted
exactly. It does not link people or organisations to their country
("President Abdelaziz Bouteflika" is DZA only with world knowledge), which is
what actor resolution in issue 4 must add.

The records were coded in PLOVER 0.5b1 with a few CAMEO-era country codes;
``LEGACY_CODES`` maps them to ISO alpha-3 before scoring.
"""

from __future__ import annotations

from collections import Counter
from typing import Optional, Sequence

from newsledger.evaluation.event_sources import Example

# CAMEO-era codes in the gold records and their ISO 3166 alpha-3 equivalents.
LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def _lexicon_code(words: str) -> Optional[str]:
    from newsledger.nlp import lexicons

    names, demonyms = lexicons.countries()
    tokens = words.replace("-", " ").split()
    # longest name first: "United States" before "States"
    for n in range(len(tokens), 0, -1):
        for i in range(len(tokens) - n + 1):
            chunk = " ".join(tokens[i : i + n]).strip(",.()'\"")
            code = names.get(chunk) or demonyms.get(chunk)
            if code:
                return code
    return None


def predict_codes(doc, actors: Sequence[dict]) -> list[Optional[str]]:
    """A code for each gold actor dict ({"text", ...}) of one parsed sentence."""
    from newsledger.nlp.entities import build_entities

    text = doc.text
    entities = build_entities(doc)
    out: list[Optional[str]] = []
    for a in actors:
        words = a.get("text") or ""
        i = text.find(words) if words else -1
        code = None
        if i >= 0:
            hits = [e for e in entities if e.code and any(m.start < i + len(words) and i < m.end for m in e.mentions)]
            code = hits[0].code if hits else None
        out.append(code or _lexicon_code(words))
    return out


def evaluate(examples: Sequence[Example], docs: Sequence) -> dict:
    gold: list[str] = []
    pred: list[Optional[str]] = []
    for e, doc in zip(examples, docs):
        actors = [a for a in e.extra.get("actor", []) + e.extra.get("recipient", []) if a.get("code")]
        gold += [LEGACY_CODES.get(a["code"], a["code"]) for a in actors]
        pred += predict_codes(doc, actors)
    right = sum(1 for g, p in zip(gold, pred) if g == p)
    misses = Counter(g for g, p in zip(gold, pred) if p is None)
    wrong = Counter((g, p) for g, p in zip(gold, pred) if p is not None and g != p)
    return {
        "n": len(gold),
        "country_accuracy": round(right / len(gold), 4) if gold else 0.0,
        "no_code": sum(misses.values()),
        "wrong_code": sum(wrong.values()),
        "most_missed": [{"gold": g, "n": n} for g, n in misses.most_common(8)],
        "most_confused": [{"gold": g, "predicted": p, "n": n} for (g, p), n in wrong.most_common(8)],
    }
