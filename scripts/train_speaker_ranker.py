"""Rebuild newsledger/nlp/models/speaker_ranker.json from PolNeAR train.

    .venv/bin/python scripts/train_speaker_ranker.py [--shared ../shared] [--limit N]

For every direct or mixed quote the rules find in a PolNeAR train article that
matches a gold attribution with a source (more than half of its characters in
the gold content), each candidate head near it is labelled by whether its
mention overlaps the gold source. A logistic regression over the ranker's
binary features is fitted and its weights written as JSON. Only the weights of
named parse features are stored: no text of the corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsledger.evaluation import polnear  # noqa: E402
from newsledger.nlp.pipeline import Extractor  # noqa: E402
from newsledger.nlp.quotes import ranker  # noqa: E402
from newsledger.nlp.quotes.common import TokenIndex, mention_span  # noqa: E402
from newsledger.nlp.quotes.direct import find_marked  # noqa: E402
from newsledger.nlp.quotes.marks import find_quotes  # noqa: E402


def examples(nlp, articles):
    """(features, label) pairs for every candidate of every supervised draft."""
    texts = (a["text"] for a in articles)
    with nlp.select_pipes(disable=["newsledger_quotes"]):
        for art, doc in zip(articles, nlp.pipe(texts, batch_size=16)):
            golds = [g for g in polnear.gold_of(art) if g.source]
            quotes = find_quotes(doc.text)
            top = [(q.open, q.close) for q in quotes if q.depth == 0]
            idx = TokenIndex(doc)
            for d in find_marked(doc, quotes, idx):
                if d.kind not in ("direct", "mixed") or d.inherited:
                    continue
                chars = frozenset(i for s, e in d.pieces for i in range(s, e))
                match = [g for g in golds if len(chars & g.content) * 2 > len(chars)]
                if not match:
                    continue
                sources = [seg for g in match for seg in g.source]
                for c in ranker.candidates(doc, idx, d, top):
                    s, e = mention_span(c)
                    label = any(s < ge and gs < e for gs, ge in sources)
                    yield ranker.features(doc, idx, d, c), int(label)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.environ.get("NEWSLEDGER_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--limit", type=int, default=0, help="use only the first N train articles")
    ap.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--out", default=str(ranker.WEIGHTS), help="where to write the weights")
    args = ap.parse_args()
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("training needs scikit-learn: run `pip install scikit-learn`", file=sys.stderr)
        return 4
    path = Path(args.shared) / "eval/quotes/polnear/polnear_train.jsonl"
    articles = polnear.load(path)
    if args.limit:
        articles = articles[: args.limit]
    t0 = time.time()
    nlp = Extractor().nlp
    data = list(examples(nlp, articles))
    X = DictVectorizer().fit([{f: 1 for f in feats} for feats, _ in data])
    matrix = X.transform([{f: 1 for f in feats} for feats, _ in data])
    y = [label for _, label in data]
    model = LogisticRegression(C=args.C, max_iter=2000).fit(matrix, y)
    weights = {name: round(float(w), 5) for name, w in zip(X.get_feature_names_out(), model.coef_[0]) if abs(w) > 1e-6}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 5)
    out = {
        "model": "speaker ranker: logistic regression over binary parse features",
        "trained_on": f"PolNeAR train ({len(articles)} articles), {path.name}",
        "examples": len(y),
        "positives": sum(y),
        "C": args.C,
        "built": dt.date.today().isoformat(),
        "seconds": round(time.time() - t0, 1),
        "weights": dict(sorted(weights.items())),
    }
    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target} from {len(y)} candidates ({sum(y)} positive) in {out['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
