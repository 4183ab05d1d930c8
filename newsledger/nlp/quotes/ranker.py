"""Choose a quote's speaker mention among the names, nouns and pronouns near it.

The rules in direct.py propose a speaker; this ranker looks at every candidate
head in the quote's paragraph (and the one before) and scores it with a linear
model over parse features: its dependency, part of speech and entity type,
where it stands relative to the quote and the cue, how far, whether it is the
cue's subject, and whether the rules chose it. The weights live in
``nlp/models/speaker_ranker.json``; ``scripts/train_speaker_ranker.py``
rebuilds them from PolNeAR train (see docs/models.md). ``predict`` scores,
``set_annotations`` writes the choice onto the drafts, as in spaCy's
trainable components. With no weights file the rules' choice stands.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from newsledger.nlp.quotes.common import Draft, TokenIndex, is_cue, mention_span, subject_of

WEIGHTS = Path(__file__).resolve().parent.parent / "models" / "speaker_ranker.json"
PERSONAL = {"he", "she", "they", "we", "i", "it", "who", "which"}
# Candidates considered per quote: the nearest ones by character distance.
MAX_CANDIDATES = 40
DIST_BUCKETS = (0, 2, 5, 10, 20, 40)


def candidates(doc, idx: TokenIndex, draft: Draft, quotes) -> list:
    """Candidate speaker heads for a draft: outside every quotation, in the
    draft's paragraph or the one before it."""
    text = idx.text
    para_start = text.rfind("\n", 0, draft.start) + 1
    prev_start = text.rfind("\n", 0, max(0, para_start - 2)) + 1 if para_start > 1 else para_start
    para_end = text.find("\n", draft.end)
    para_end = len(text) if para_end < 0 else para_end
    inside = lambda t: any(o <= t.idx < c for o, c in quotes)
    out = []
    for t in idx.between(prev_start, para_end):
        if inside(t) or t.is_space:
            continue
        if t.pos_ == "PRON" and t.lower_ not in PERSONAL:
            continue
        if t.pos_ not in ("PROPN", "NOUN", "PRON") or t.dep_ in ("compound", "amod", "poss", "flat") or not t.text[0].isalnum():
            continue
        out.append(t)
    out.sort(key=lambda t: min(abs(t.idx - draft.start), abs(t.idx - draft.end)))
    return out[:MAX_CANDIDATES]


def _bucket(n: int) -> str:
    for b in reversed(DIST_BUCKETS):
        if n >= b:
            return str(b)
    return "0"


def features(doc, idx: TokenIndex, draft: Draft, cand) -> list[str]:
    text = idx.text
    cue = doc[idx.at(draft.cue[0])] if draft.cue else None
    side = "before" if cand.idx < draft.start else "after" if cand.idx >= draft.end else "between"
    edge = draft.start if side == "before" else draft.end
    tokdist = _bucket(len(text[min(cand.idx, edge) : max(cand.idx, edge)].split()))
    para = "same" if "\n" not in text[min(cand.idx, draft.start) : max(cand.idx, draft.start)] or side != "before" else "prev"
    rule = draft.speaker is not None and draft.speaker[0] <= cand.idx < draft.speaker[1]
    subj = cue is not None and subject_of(cue) is cand
    f = [
        "bias",
        f"dep={cand.dep_}",
        f"pos={cand.pos_}",
        f"ent={cand.ent_type_ or '-'}",
        f"side={side}",
        f"dist={tokdist}",
        f"para={para}",
        f"kind={draft.kind}",
        f"how={draft.how or '-'}",
        f"side={side}|dep={cand.dep_}",
        f"side={side}|dist={tokdist}",
        f"side={side}|pos={cand.pos_}",
        f"how={draft.how or '-'}|side={side}",
    ]
    if cand.lower_ in PERSONAL:
        f += ["pronoun", f"pronoun={cand.lower_}", f"pronoun={cand.lower_}|side={side}"]
    if cand.lower_ in _titles():
        f.append("title_noun")
    if cand.ent_type_:
        f.append(f"ent={cand.ent_type_}|side={side}")
    if cand.i == cand.sent.start or (cand.i > 0 and doc[cand.i - 1].is_sent_start):
        f.append("sent_initial")
    if any(c.dep_ == "appos" for c in cand.children) or cand.dep_ == "appos":
        f.append("appos")
    if cand.dep_ in ("nsubj", "nsubjpass") and is_cue(cand.head):
        f += ["subject_of_speech_verb", f"subject_of_speech_verb|side={side}"]
    if cand.dep_ in ("nsubj", "nsubjpass") and cand.head.pos_ == "VERB" and not is_cue(cand.head, clausal=True):
        f.append("subject_of_other_verb")
    if rule:
        f += ["rule", f"rule|how={draft.how or '-'}"]
    if subj:
        f.append("cue_subject")
    if cue is not None:
        f.append(f"cue_rel={'head' if cand.head is cue else 'sent' if cand.sent is cue.sent else 'other'}")
        gap = abs(cand.i - cue.i)
        f.append(f"cue_dist={_bucket(gap)}")
    if is_cue(cand.head, clausal=True):
        f.append("head_is_speech_verb")
    outer = _outer_speaker(cue) if cue is not None else None
    if outer is not None:
        f.append("outer_speaker" if outer is cand else "has_outer_speaker")
        if subj:
            f.append("cue_subject_inside_outer")
    return f


def _outer_speaker(cue):
    """The subject of a speech verb that the cue's own clause reports
    ("DuVernay said she felt ...": DuVernay), or None."""
    head = cue.head
    for _ in range(6):
        if head is head.head:
            return None
        if is_cue(head, clausal=True):
            return subject_of(head)
        head = head.head
    return None


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    from newsledger.nlp import lexicons

    return lexicons.words("titles.txt")


@lru_cache(maxsize=1)
def load_weights() -> dict[str, float] | None:
    if not WEIGHTS.exists():
        return None
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))["weights"]


def version() -> str | None:
    """Short hash of the weights file, recorded with every run."""
    if not WEIGHTS.exists():
        return None
    import hashlib

    return hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()[:12]


def score(feats: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-z))


def predict(doc, idx: TokenIndex, drafts: list[Draft], quotes) -> list[tuple[int, int] | None]:
    """The best-scoring speaker mention for each direct or mixed draft (None
    keeps the rules' choice)."""
    weights = load_weights()
    choices: list[tuple[int, int] | None] = []
    for d in drafts:
        if weights is None or d.kind not in ("direct", "mixed") or d.inherited or d.how in ("nested", "nominal"):
            choices.append(None)
            continue
        scored = [(score(features(doc, idx, d, c), weights), c) for c in candidates(doc, idx, d, quotes)]
        best = max(scored, key=lambda x: x[0], default=None)
        floor = MIN_SCORE if d.cue is not None else MIN_SCORE_NO_CUE
        choices.append(mention_span(best[1]) if best and best[0] >= floor else None)
    return choices


# Below this probability no candidate is trusted and the rules' choice stands.
# 0.1, chosen on PolNeAR dev (0.846 speaker F1 against 0.832 at 0.5): the
# ranker's top candidate is usually right even when no candidate is likely.
MIN_SCORE = 0.1
# A quote with no cue at all gets a speaker only when the ranker is more sure
# (0.25; as good as 0.1 on PolNeAR dev, and fewer guesses).
MIN_SCORE_NO_CUE = 0.25


def set_annotations(drafts: list[Draft], choices) -> None:
    for d, choice in zip(drafts, choices):
        if choice is not None:
            d.speaker = choice
