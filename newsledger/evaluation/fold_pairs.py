"""Score duplicate folding on the hand-labelled Wikinews event-mention pairs.

``tests/data/wikinews_event_pairs.jsonl`` (see its .md) holds pairs of event
mentions, each an article url and the character spans of its sentence and
trigger, labelled same event or different event. The labels were committed
before any folding rule was tuned on them.

Scoring: the extractor codes every article that a pair names; a labelled
mention is the coded event whose trigger overlaps the labelled trigger (else
the coded event in the labelled sentence whose type is the labelled type).
All coded events of those articles are folded together (``fold.components``,
as the ledger does), and a pair is predicted "same" when its two mentions
land in one group. Figures, with "same" as the positive class:

- **end to end**: a mention the coder did not code is never folded, so its
  pairs count as predicted "different";
- **folding alone**: over the pairs whose two mentions were both coded, what
  the folding rule decides given the coder's output;
- **coverage**: the share of labelled mentions the coder coded at all;
- **given mentions** (``score_given``, the figure over all the pairs): every
  labelled mention is coded at its labelled trigger with no gate
  (``coder.code_at``, as PLV gives its pairs), and only those events are
  folded. This scores the folding rule on the coder's actors, types, modes
  and dates without the coder's recall in the way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from newsledger.errors import InputNotFound
from newsledger.evaluation.wikinews import DEFAULT_CORPUS, corpus_articles, text_sha256

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "data" / "wikinews_event_pairs.jsonl"


def load(path: str | Path = PAIRS) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(f"{path} does not exist or is not a file")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def articles_for(pairs: list[dict], corpus: str | Path = DEFAULT_CORPUS) -> dict:
    """url -> Article for every article a pair names, checked against its hash."""
    wanted = {m["url"]: m["text_sha256"] for p in pairs for m in (p["a"], p["b"])}
    found = {}
    for article in corpus_articles(corpus):
        if article.url in wanted and article.url not in found:
            if text_sha256(article.text) != wanted[article.url]:
                raise InputNotFound(f"the text of {article.url} changed since the pairs were labelled")
            found[article.url] = article
    missing = set(wanted) - set(found)
    if missing:
        raise InputNotFound(f"{len(missing)} labelled articles are not in {corpus}, e.g. {sorted(missing)[0]}")
    return found


def code(extractor, articles: dict) -> dict:
    """url -> (Article, Record)."""
    urls = sorted(articles)
    return {a.url: (a, r) for a, r in extractor.extract([articles[u] for u in urls])}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(mention: dict, events: list) -> Optional[int]:
    """Index of the coded event that is this labelled mention, or None."""
    trig = tuple(mention["trigger_span"])
    for i, e in enumerate(events):
        if _overlaps((e.trigger.start, e.trigger.end), trig):
            return i
    sent = tuple(mention["sentence_span"])
    for i, e in enumerate(events):
        if e.type == mention["type"] and _overlaps((e.trigger.start, e.trigger.end), sent):
            return i
    return None


def score(pairs: list[dict], coded: dict, predicate=None) -> dict[str, Any]:
    """Figures for ``predicate`` (default ``fold.same_event``) over the coded articles."""
    from newsledger.events import fold

    mentions, where = [], {}
    for url, (article, record) in sorted(coded.items()):
        for i, e in enumerate(record.events):
            where[(url, i)] = len(mentions)
            mentions.append(fold.mention_from_event(e, article.id, i, article.date, text=article.text))
    groups = fold.components(mentions, predicate or fold.same_event)
    group_of = {m.id: g for g, members in enumerate(groups) for m in members}
    rows = []
    for p in pairs:
        ids = []
        for m in (p["a"], p["b"]):
            _, record = coded[m["url"]]
            i = match(m, record.events)
            ids.append(None if i is None else mentions[where[(m["url"], i)]].id)
        both = None not in ids
        same = both and group_of[ids[0]] == group_of[ids[1]]
        rows.append((p["same"], same, both))
    n_mentions = 2 * len(pairs)
    return {
        "pairs": len(pairs),
        "same": sum(1 for g, _, _ in rows if g),
        "end_to_end": _prf([(g, s) for g, s, _ in rows]),
        "folding_alone": _prf([(g, s) for g, s, both in rows if both]),
        "pairs_both_coded": sum(1 for _, _, both in rows if both),
        "mention_coverage": round(_covered(pairs, coded) / n_mentions, 4) if n_mentions else 0.0,
    }


def code_given(extractor, pairs: list[dict], articles: dict) -> dict:
    """(url, trigger span) -> (Article, Event or None) for every labelled mention."""
    from newsledger.events import coder

    out = {}
    by_url: dict[str, list[tuple[int, int]]] = {}
    for p in pairs:
        for m in (p["a"], p["b"]):
            by_url.setdefault(m["url"], []).append(tuple(m["trigger_span"]))
    for url in sorted(by_url):
        article = articles[url]
        doc = extractor.nlp(extractor.make_doc(article))
        for span in sorted(set(by_url[url])):
            event = coder.code_at(doc, doc._.nl_entities, doc._.nl_quotes, doc._.nl_coref.links, span[0], span[1],
                                  article.date)
            out[(url, span)] = (article, event)
    return out


def score_given(pairs: list[dict], given: dict, predicate=None) -> dict[str, Any]:
    """Folding figures over the labelled mentions coded at their triggers."""
    from newsledger.events import fold

    keys = sorted(k for k, (_, e) in given.items() if e is not None)
    mentions = {k: fold.mention_from_event(given[k][1], given[k][0].id, n, given[k][0].date, id=f"m{n}",
                                           text=given[k][0].text)
                for n, k in enumerate(keys)}
    groups = fold.components(list(mentions.values()), predicate or fold.same_event)
    group_of = {m.id: g for g, members in enumerate(groups) for m in members}
    rows = []
    for p in pairs:
        ka, kb = ((m["url"], tuple(m["trigger_span"])) for m in (p["a"], p["b"]))
        same = ka in mentions and kb in mentions and group_of[mentions[ka].id] == group_of[mentions[kb].id]
        rows.append((p["same"], same))
    return {"pairs": len(pairs), "mentions": len(given), "coded": len(keys), **_prf(rows)}


def _covered(pairs: list[dict], coded: dict) -> int:
    return sum(1 for p in pairs for m in (p["a"], p["b"]) if match(m, coded[m["url"]][1].events) is not None)


def _prf(rows: list[tuple[bool, bool]]) -> dict[str, Any]:
    tp = sum(1 for g, s in rows if g and s)
    fp = sum(1 for g, s in rows if not g and s)
    fn = sum(1 for g, s in rows if g and not s)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"n": len(rows), "tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def evaluate(extractor, path: str | Path = PAIRS, corpus: str | Path = DEFAULT_CORPUS) -> dict[str, Any]:
    pairs = load(path)
    return score(pairs, code(extractor, articles_for(pairs, corpus)))
