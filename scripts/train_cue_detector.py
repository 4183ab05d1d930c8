"""Rebuild newsledger/nlp/models/cue_detector.json from PolNeAR train.

    .venv/bin/python scripts/train_cue_detector.py [--shared ../shared] [--limit N] [--threshold T]

Two logistic regressions over the binary features of newsledger/nlp/quotes/cues.py:

* cue detector: every candidate token of a train article (a verb, noun or
  adjective whose lemma heads a gold cue at least ``--min-lemma`` times in
  train, or "according") is labelled by whether it heads a gold cue (the
  highest token of the cue span in the parse, a verb first);
* content ranker: for each gold attribution whose cue head is a candidate,
  every content candidate of that head is labelled by whether it is the
  highest token of the gold content.

A third table, ``extend``, lists the other children of a cue that the gold
content takes in more often than not ("cited X as evidence": dobj|prep:as|R).
Only feature names, their weights, the candidate lemma list and that table are
stored: no text of the corpus. The cue threshold stored is
``indirect.CUE_THRESHOLD`` (``--threshold`` overrides it), the only figure
chosen on PolNeAR dev; nothing is fitted on dev and the test split is not used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsledger.evaluation import polnear  # noqa: E402
from newsledger.nlp.quotes import cues, indirect  # noqa: E402
from newsledger.nlp.quotes.marks import find_quotes  # noqa: E402

# Lemmas seen heading a gold cue fewer times than this in train are not
# candidates (2: a lemma seen once is as likely a slip as a cue word).
MIN_LEMMA_COUNT = 2
# Features seen in fewer train examples than this are not fitted: it keeps the
# weights file small (a sixth of its size without the cut) and costs nothing
# measurable on a held-out fifth of train.
MIN_FEATURE_COUNT = 10
# Weights smaller than this are not stored (they move no score by 1%).
MIN_WEIGHT = 0.01
# A sibling of the content head joins the content when the gold includes it
# more often than not in at least this many train cases (10: fewer is noise).
MIN_EXTEND_COUNT = 10


def tokens_in(doc, spans) -> list:
    return [t for s, e in spans for t in doc if t.idx < e and t.idx + len(t.text) > s and not t.is_space]


def head_of(toks):
    """The highest tokens of a span in the parse; a verb first."""
    ids = {t.i for t in toks}
    tops = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    verbs = [t for t in tops if t.pos_ in ("VERB", "AUX")]
    return (verbs or tops or [None])[0]


def gold_heads(doc, article) -> list[tuple]:
    """(cue head, content head, attribution) for each gold attribution."""
    out = []
    for a in article["attributions"]:
        cue = head_of(tokens_in(doc, a["cue"]["spans"]))
        content = tokens_in(doc, a["content"]["spans"])
        if cue is not None and content:
            out.append((cue, head_of(content), a))
    return out


def cue_examples(doc, article, lemmas):
    """(features, label) for every candidate cue token of one article."""
    text = doc.text
    quotes = [(q.open, q.close) for q in find_quotes(text) if q.depth == 0]
    headline_end = text.find("\n")
    positives = {c.i for c, _, _ in gold_heads(doc, article)}
    for tok in doc:
        if not cues.is_candidate(tok, lemmas):
            continue
        in_quote = any(o <= tok.idx < c for o, c in quotes)
        headline = 0 <= tok.idx < headline_end
        yield cues.cue_features(tok, in_quote, headline), int(tok.i in positives)


def content_examples(doc, article, lemmas):
    """(features, label) for the content candidates of each gold cue head."""
    for cue, content, _ in gold_heads(doc, article):
        if not cues.is_candidate(cue, lemmas):
            continue
        cands = cues.content_candidates(cue)
        if not any(t.i == content.i for t, _ in cands):
            continue
        for t, rel in cands:
            yield cues.content_features(cue, t, rel), int(t.i == content.i)


def extension_table(docs, articles, lemmas) -> set[str]:
    """Sibling keys (cues.sibling_keys) whose subtree lies mostly inside the
    gold content in more than half of at least MIN_EXTEND_COUNT cases."""
    seen, inside = Counter(), Counter()
    for doc, art in zip(docs, articles):
        for cue, content, a in gold_heads(doc, art):
            if not cues.is_candidate(cue, lemmas):
                continue
            rel = next((r for t, r in cues.content_candidates(cue) if t.i == content.i), None)
            if rel is None or rel.startswith("parent:") or ">" in rel:
                continue
            gold = {t.i for t in tokens_in(doc, a["content"]["spans"])}
            for s in cue.children:
                if s.i == content.i or s.is_ancestor(content) or s.dep_ in ("punct", "cc"):
                    continue
                sub = [t.i for t in s.subtree]
                hit = sum(i in gold for i in sub) * 2 > len(sub)
                for key in cues.sibling_keys(cue, content, rel, s):
                    seen[key] += 1
                    inside[key] += hit
    return {k for k, n in seen.items() if n >= MIN_EXTEND_COUNT and inside[k] * 2 > n}


def cue_lemmas(docs, articles) -> set[str]:
    counts = Counter()
    for doc, art in zip(docs, articles):
        for cue, _, _ in gold_heads(doc, art):
            if cue.pos_ in cues.CANDIDATE_POS:
                counts[cue.lemma_.lower()] += 1
    return {lemma for lemma, n in counts.items() if n >= MIN_LEMMA_COUNT and lemma.isalpha()}


def fit(data, C: float) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in data for f in set(feats))
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in feats if counts[f] >= MIN_FEATURE_COUNT} for feats, _ in data])
    y = [label for _, label in data]
    model = LogisticRegression(C=C, max_iter=3000).fit(X, y)
    names = vec.get_feature_names_out()
    weights = {n: round(float(w), 3) for n, w in zip(names, model.coef_[0]) if abs(w) >= MIN_WEIGHT}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    return dict(sorted(weights.items()))


def train(docs, articles, C: float = 0.5) -> dict:
    """The model dict (without provenance) from parsed train docs."""
    lemmas = cue_lemmas(docs, articles)
    cue_data = [ex for doc, art in zip(docs, articles) for ex in cue_examples(doc, art, lemmas)]
    content_data = [ex for doc, art in zip(docs, articles) for ex in content_examples(doc, art, lemmas)]
    return {
        "threshold": indirect.CUE_THRESHOLD,
        "lemmas": sorted(lemmas),
        "extend": sorted(extension_table(docs, articles, lemmas)),
        "cue_examples": len(cue_data),
        "cue_positives": sum(y for _, y in cue_data),
        "content_examples": len(content_data),
        "cue": fit(cue_data, C),
        "content": fit(content_data, C),
    }


def parse(articles):
    from newsledger.nlp.pipeline import Extractor

    nlp = Extractor().nlp
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n.startswith("newsledger_")]):
        return list(nlp.pipe((a["text"] for a in articles), batch_size=16))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.environ.get("NEWSLEDGER_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--limit", type=int, default=0, help="use only the first N train articles")
    ap.add_argument("--C", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--threshold", type=float, default=None, help="cue probability threshold to store")
    ap.add_argument("--out", default=str(cues.WEIGHTS), help="where to write the model")
    args = ap.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("training needs scikit-learn: run `pip install scikit-learn`", file=sys.stderr)
        return 4
    path = Path(args.shared) / "eval/quotes/polnear/polnear_train.jsonl"
    if not path.exists():
        print(f"{path} not found: pass --shared or set NEWSLEDGER_SHARED", file=sys.stderr)
        return 2
    articles = polnear.load(path)
    if args.limit:
        articles = articles[: args.limit]
    t0 = time.time()
    model = train(parse(articles), articles, args.C)
    if args.threshold is not None:
        model["threshold"] = args.threshold
    out = {
        "model": "attribution cue detector and content ranker: logistic regressions over binary parse features",
        "trained_on": f"PolNeAR train ({len(articles)} articles), {path.name}",
        "C": args.C,
        "built": dt.date.today().isoformat(),
        "seconds": round(time.time() - t0, 1),
        **model,
    }
    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {target}: {out['cue_examples']} cue candidates ({out['cue_positives']} cues), "
          f"{out['content_examples']} content candidates, in {out['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
