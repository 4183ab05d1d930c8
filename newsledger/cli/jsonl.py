"""`newsledger extract`: JSON lines in, one Record (or error) per line out.

Each input line is ``{"id", "text", optional "title", "date", "url"}``. Offsets
in the output index into ``text`` exactly as given: no furniture is stripped.
A bad line gives ``{"id": <id or null>, "error": "..."}`` and the rest go on.
Output order is input order. No database is touched.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Iterator, Optional, Union

from newsledger.article import Article
from newsledger.errors import NewsledgerError

log = logging.getLogger(__name__)

OPTIONAL_FIELDS = ("title", "date", "url")


class BadLine(ValueError):
    def __init__(self, item_id: Any, message: str):
        super().__init__(message)
        self.item_id = item_id


def _detect_language(text: str) -> tuple[str, str]:
    from newsledger import articles

    detect = getattr(articles, "detect_language", None) or articles.identify_language
    return detect(text)


def parse_line(line: str, number: int) -> tuple[Article, Optional[list]]:
    """One input line as an Article and its evaluation pairs (None when it has
    none), or BadLine saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(None, f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise BadLine(None, f"line {number}: expected a JSON object")
    item_id = data.get("id")
    if not isinstance(item_id, str) or not item_id:
        raise BadLine(item_id if isinstance(item_id, (str, int)) else None,
                      f"line {number}: \"id\" must be a non-empty string")
    text = data.get("text")
    if not isinstance(text, str):
        raise BadLine(item_id, f"line {number}: \"text\" must be a string")
    for key in OPTIONAL_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise BadLine(item_id, f"line {number}: \"{key}\" must be a string or null")
    pairs = _pairs(data.get("pairs"), len(text), item_id, number)
    language, reason = _detect_language(text)
    article = Article(
        id=item_id, text=text, origin=f"<stdin>#line={number}",
        language=language, language_reason=reason,
        **{key: data.get(key) for key in OPTIONAL_FIELDS},
    )
    return article, pairs


def _pairs(value: Any, length: int, item_id: Any, number: int) -> Optional[list]:
    if value is None:
        return None
    try:
        out = []
        for p in value:
            spans = []
            for key in ("source", "target"):
                span = p.get(key)
                if span is None:
                    spans.append(None)
                    continue
                start, end = int(span["start"]), int(span["end"])
                if not 0 <= start < end <= length:
                    raise ValueError(f"{key} span {start}-{end} is empty or outside the text")
                spans.append((start, end))
            out.append(tuple(spans))
        return out
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise BadLine(item_id, f"line {number}: bad \"pairs\" ({exc})") from None


def _with_pair_events(extractor, article: Article, pairs: Optional[list], out: dict) -> dict:
    """``out`` with the event type of each given (source, target) pair (the PLV
    setting). The pairs are classified even when language identification
    skipped the text: they are an explicit request, and single sentences are
    where identification is least sure. Pairs that fail make an error line."""
    if pairs is None or "error" in out:
        return out
    from newsledger.events import classify

    try:
        given = [classify.Pair(article.text, s, t) for s, t in pairs]
        preds = classify.predict(given, nlp=extractor.nlp) if given else []
    except NewsledgerError as exc:
        return _error(article.id, f"pairs: {exc}")
    except Exception as exc:  # one bad line must not stop the stream
        log.warning("pair_events failed for %s: %s", article.id, exc)
        return _error(article.id, f"pair_events failed: {type(exc).__name__}: {exc}")
    return {**out, "pair_events": [{"type": p.type, "confidence": p.confidence} for p in preds]}


def _error(item_id: Any, message: str) -> dict:
    return {"id": item_id, "error": message}


def _extract_each(extractor, articles: list[Article]) -> dict[int, dict]:
    """Fallback after a batch failed: one article at a time, to name the bad one."""
    out = {}
    for i, article in enumerate(articles):
        try:
            out[i] = next(iter(extractor.extract([article])))[1].to_json()
        except NewsledgerError:
            raise
        except Exception as exc:  # one bad article must not stop the stream
            log.warning("extract failed for %s: %s", article.id, exc)
            out[i] = _error(article.id, f"extraction failed: {type(exc).__name__}: {exc}")
    return out


def _extract_batch(extractor, articles: list[Article]) -> list[dict]:
    try:
        results = [record.to_json() for _, record in extractor.extract(articles)]
    except NewsledgerError:
        raise
    except Exception:
        by_index = _extract_each(extractor, articles)
        return [by_index[i] for i in range(len(articles))]
    return results


def extract_lines(lines: Iterable[str], extractor, batch_size: int) -> Iterator[dict]:
    """Yield one output object per non-blank input line, in input order."""
    pending: list[Union[tuple, dict]] = []

    def flush() -> Iterator[dict]:
        articles = [p[0] for p in pending if isinstance(p, tuple)]
        records = iter(_extract_batch(extractor, articles) if articles else [])
        for p in pending:
            if not isinstance(p, tuple):
                yield p
                continue
            article, pairs = p
            yield _with_pair_events(extractor, article, pairs, next(records))
        pending.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pending.append(parse_line(line, number))  # (article, its evaluation pairs or None)
        except BadLine as exc:
            pending.append(_error(exc.item_id, str(exc)))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()
