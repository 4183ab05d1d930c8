"""`newsledger eval geo`: geoparsing scored on GeoWebNews and GeoVirus
(../shared/eval/geo; the matching rules are in docs/evaluation.md, "Places").

1. **Recognition** (GeoWebNews): span precision, recall and F1 against the
   literal toponyms as GWN defines them (``LITERAL``). A predicted span that
   is exactly a gold non-literal toponym (``ASSOCIATIVE``: metonymic,
   demonym, ...) counts neither way: those are places, but not literal ones.
2. **Resolution given gold spans**: every gold toponym with coordinates is
   resolved in its article's context (the other gold spans); right when the
   point is within ``KM_THRESHOLD`` of the gold point, and separately, the
   exact GeoNames id over the toponyms whose gold has one.
3. **End to end**: the whole pipeline's places; a gold toponym with
   coordinates (metonymic ones included) is right when a predicted place with
   exactly its span lies within ``KM_THRESHOLD``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Optional

from newsledger.geo.resolve import Span, distance_km, resolve

# 161 km (100 miles): the field's usual "accuracy at 161 km" (Gritta et al. 2018).
KM_THRESHOLD = 161.0
LITERAL = {"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"}
ASSOCIATIVE = {"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym", "Homonym", "Language"}


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def geo_dir(shared: str | Path) -> Path:
    return Path(shared) / "eval" / "geo"


def _with_point(row: dict) -> list[dict]:
    return [t for t in row["toponyms"] if t.get("lat") is not None and t.get("offset_ok", True)]


def resolution_given(rows: list[dict], gaz) -> dict:
    """Accuracy within 161 km and exact GeoNames id, gold spans given."""
    n = near = with_id = same_id = 0
    errors: Counter = Counter()
    for row in rows:
        gold = _with_point(row)
        places = resolve(row["text"], [Span(t["start"], t["end"]) for t in gold], gaz)
        for t, p in zip(gold, places):
            n += 1
            ok = p.lat is not None and distance_km(t["lat"], t["lon"], p.lat, p.lon) <= KM_THRESHOLD
            near += ok
            if not ok:
                errors[(t["surface"], p.name, p.country)] += 1
            if t.get("geonameid"):
                with_id += 1
                same_id += p.geonameid is not None and str(p.geonameid) == str(t["geonameid"])
    return {
        "toponyms": n,
        "acc_161km": near / n if n else None,
        "with_geonameid": with_id,
        "geonameid_accuracy": same_id / with_id if with_id else None,
        "common_errors": [f"{s} -> {name} ({c})" for (s, name, c), _ in errors.most_common(15)],
    }


def recognition(rows: list[dict], predicted: list[list]) -> dict:
    """Literal-toponym span P/R/F1; ``predicted[i]`` holds the places of row i."""
    tp = fp = fn = 0
    for row, places in zip(rows, predicted):
        lit = {(t["start"], t["end"]) for t in row["toponyms"] if t["type"] in LITERAL}
        assoc = {(t["start"], t["end"]) for t in row["toponyms"] if t["type"] in ASSOCIATIVE}
        spans = {(p.start, p.end) for p in places}
        tp += len(spans & lit)
        fp += len(spans - lit - assoc)
        fn += len(lit - spans)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def end_to_end(rows: list[dict], predicted: list[list]) -> dict:
    """Share of gold toponyms with coordinates found with their exact span and
    placed within 161 km."""
    n = near = found = 0
    for row, places in zip(rows, predicted):
        by_span = {(p.start, p.end): p for p in places}
        for t in _with_point(row):
            n += 1
            p = by_span.get((t["start"], t["end"]))
            found += p is not None
            near += bool(p and p.lat is not None and distance_km(t["lat"], t["lon"], p.lat, p.lon) <= KM_THRESHOLD)
    return {"toponyms": n, "found": found / n if n else None, "acc_161km": near / n if n else None}


def predict(rows: list[dict], extractor) -> list[list]:
    """The pipeline's places for every row (no publication date: GWN has none)."""
    from newsledger.article import Article

    arts = [Article.from_text(r["text"], url=r.get("url"), language="en") for r in rows]
    return [rec.places for _, rec in extractor.extract(arts)]


def run(shared: str | Path, gaz, extractor=None, limit: Optional[int] = None) -> dict:
    """Every geo figure; end to end and recognition only with an extractor."""
    report: dict = {}
    for name, file in (("gwn", "gwn.jsonl"), ("geovirus", "geovirus.jsonl")):
        rows = load(geo_dir(shared) / file)[:limit]
        report[name] = {"articles": len(rows), "given_spans": resolution_given(rows, gaz)}
        if extractor is not None:
            predicted = predict(rows, extractor)
            report[name]["end_to_end"] = end_to_end(rows, predicted)
            if name == "gwn":
                report[name]["recognition_literal"] = recognition(rows, predicted)
    return report
