"""Score time normalisation on the hand-labelled Wikinews set (tests/data/wikinews_times.md).

Each gold line is one time expression: its article's url and publication
date, ``[start, end)`` offsets into the CSV ``text`` of
``../shared/corpora/wikinews``, and the kind and value it should get with the
publication date (``value``) and without it (``value_unanchored``).

``score_times`` runs ``find_times`` on each article twice, with its
publication date and with none. Each gold expression is matched to the
predicted expression that overlaps it most. It is **correct** when that
prediction has the gold kind and value. A gold expression that no
prediction overlaps counts as wrong. Without a publication date, the
prediction must have ``value_unanchored``. A **leak** is a relative
expression (``value_unanchored`` null) that still gets a value without a
publication date. The issue allows none ("No relative date resolves without
a publication date").

``seed_check`` runs the extractor on the seed article, which has no
publication date. There "2017" and "2020" must resolve, and "a recent
interview" must stay null.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from newsledger.errors import InputNotFound, NewsledgerError
from newsledger.records import TIME_ANCHORS, TIME_KINDS, Time

log = logging.getLogger(__name__)

DEFAULT_CORPUS = "../shared/corpora/wikinews"
# The hand-labelled set, in the repository checkout (not in an installed wheel).
DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "wikinews_times.jsonl"
SEED = "gold/seed_article.txt"
FIELDS = ("url", "published", "text_sha256", "start", "end", "text", "kind", "value", "value_unanchored", "anchor")
MAX_ERRORS = 50  # errors listed in the report; the counts cover all of them


class GoldError(NewsledgerError):
    """The times file is malformed or no longer fits the corpus."""

    exit_code = 2


def load(path: str | Path) -> list[dict]:
    """Read and check the gold file (format in tests/data/wikinews_times.md)."""
    from newsledger.evaluation.wikinews import read_checked

    return read_checked(path, _problem, GoldError)


def _problem(item: Any) -> Optional[str]:
    if not isinstance(item, dict) or any(k not in item for k in FIELDS):
        return f"expected an object with {', '.join(FIELDS)}"
    if not (isinstance(item["start"], int) and isinstance(item["end"], int) and 0 <= item["start"] < item["end"]):
        return "start and end must be offsets with start < end"
    if item["kind"] not in TIME_KINDS or item["anchor"] not in TIME_ANCHORS:
        return f"kind must be one of {', '.join(TIME_KINDS)} and anchor one of {', '.join(TIME_ANCHORS)}"
    if (item["value"] is None) != (item["anchor"] == "none"):
        return 'value is null exactly when anchor is "none"'
    return None


def corpus_texts(corpus: str | Path) -> dict[str, dict]:
    """url -> CSV row for every article of the corpus (wikinews_*.csv, by name)."""
    folder = Path(corpus)
    if not folder.is_dir():
        raise InputNotFound(f"Wikinews corpus folder {folder} does not exist")
    csv.field_size_limit(sys.maxsize)
    rows: dict[str, dict] = {}
    for path in sorted(folder.glob("wikinews_*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                rows.setdefault(row["url"], row)
    return rows


def _texts(gold: list[dict], corpus: str | Path) -> dict[str, str]:
    rows = corpus_texts(corpus)
    texts = {}
    for item in gold:
        row = rows.get(item["url"])
        if row is None:
            raise GoldError(f"{item['url']} is not in the corpus at {corpus}")
        text = row["text"]
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != item["text_sha256"]:
            raise GoldError(f"the text of {item['url']} changed since it was labelled: the corpus drifted")
        if text[item["start"]:item["end"]] != item["text"]:
            raise GoldError(f"{item['url']}: offsets {item['start']}-{item['end']} no longer hold {item['text']!r}")
        texts[item["url"]] = text
    return texts


def _language(nlp):
    """The spaCy pipeline to parse with: an Extractor's model, without newsledger's own components."""
    return getattr(nlp, "nlp", nlp)


def parse(nlp, text: str):
    """``text`` parsed by the model alone (tagger, parser, NER), as find_times needs it."""
    return next(parse_all(nlp, [text]))


def parse_all(nlp, texts: list[str]):
    lang = _language(nlp)
    own = [name for name in lang.pipe_names if name.startswith("newsledger_")]
    with lang.select_pipes(disable=own):
        yield from lang.pipe(texts)


def overlapping(item: dict, predicted: list[Time]) -> Optional[Time]:
    """The predicted expression that overlaps the gold span most, or None."""
    best, best_overlap = None, 0
    for t in predicted:
        overlap = min(t.end, item["end"]) - max(t.start, item["start"])
        if overlap > best_overlap:
            best, best_overlap = t, overlap
    return best


def score_times(path: str | Path, nlp, corpus: str | Path = DEFAULT_CORPUS) -> dict:
    """Accuracy of kind and value over the gold expressions, with and without the
    publication date, and the leaks (see the module docstring)."""
    from newsledger.nlp.timex import find_times

    gold = load(path)
    texts = _texts(gold, corpus)
    published = {item["url"]: item["published"] for item in gold}
    anchored: dict[str, list[Time]] = {}
    unanchored: dict[str, list[Time]] = {}
    for url, doc in zip(texts, parse_all(nlp, list(texts.values()))):
        anchored[url] = find_times(doc, published[url])
        unanchored[url] = find_times(doc, None)
    tally: Counter = Counter()
    by_kind: Counter = Counter()
    by_kind_correct: Counter = Counter()
    errors, errors_unanchored = [], []
    for item in gold:
        hit = overlapping(item, anchored[item["url"]])
        bare = overlapping(item, unanchored[item["url"]])
        tally["found"] += hit is not None
        tally["exact_span"] += hit is not None and (hit.start, hit.end) == (item["start"], item["end"])
        by_kind[item["kind"]] += 1
        if _right(hit, item["kind"], item["value"]):
            tally["correct"] += 1
            by_kind_correct[item["kind"]] += 1
        else:
            errors.append(_error(item, hit, item["value"]))
        if _right(bare, item["kind"] if item["value_unanchored"] is not None else None, item["value_unanchored"]):
            tally["correct_unanchored"] += 1
        else:
            errors_unanchored.append(_error(item, bare, item["value_unanchored"]))
        if item["value_unanchored"] is None and bare is not None and bare.value is not None:
            tally["leaks"] += 1
    n = len(gold)
    relative = sum(1 for item in gold if item["value_unanchored"] is None)
    return {
        "items": n,
        "articles": len(texts),
        "found": tally["found"],
        "exact_span": tally["exact_span"],
        "correct": tally["correct"],
        "accuracy": _ratio(tally["correct"], n),
        "correct_unanchored": tally["correct_unanchored"],
        "accuracy_unanchored": _ratio(tally["correct_unanchored"], n),
        "relative_items": relative,
        "leaks": tally["leaks"],
        "by_kind": {k: {"items": by_kind[k], "correct": by_kind_correct[k]} for k in TIME_KINDS if by_kind[k]},
        "errors": errors[:MAX_ERRORS],
        "errors_unanchored": errors_unanchored[:MAX_ERRORS],
    }


def _right(t: Optional[Time], kind: Optional[str], value: Optional[str]) -> bool:
    """A prediction is right when its value is the gold's and, for a value, so is its kind.
    A gold null is right with no prediction at all."""
    if value is None:
        return t is None or t.value is None
    return t is not None and t.value == value and t.kind == kind


def _error(item: dict, t: Optional[Time], value: Optional[str]) -> dict:
    return {"url": item["url"], "published": item["published"], "text": item["text"], "pattern": item.get("pattern"),
            "gold": [item["kind"], value], "predicted": [t.text, t.kind, t.value] if t else None}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def seed_check(nlp, shared: str | Path) -> dict:
    """The seed article (no publication date): "In 2017" and "the 2020 elections"
    resolve; "a recent interview" stays null."""
    from newsledger.nlp.timex import find_times

    path = Path(shared) / SEED
    if not path.is_file():
        raise InputNotFound(f"seed article {path} does not exist")
    text = path.read_text(encoding="utf-8")
    found = find_times(parse(nlp, text), None)

    def value_at(phrase: str, inside: str) -> Optional[str]:
        start = text.index(phrase) + phrase.index(inside)
        hit = overlapping({"start": start, "end": start + len(inside)}, found)
        return hit.value if hit else None

    checks = {"In 2017": value_at("In 2017,", "2017") == "2017",
              "the 2020 elections": value_at("the 2020 elections", "2020") == "2020",
              "a recent interview": value_at("a recent interview", "a recent interview") is None}
    return {"times": [t.to_json() for t in found], "checks": checks, "passed": all(checks.values())}
