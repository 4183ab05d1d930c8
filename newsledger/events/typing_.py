"""The PLOVER type of a candidate: the classifier, held to the trigger's lexicon entry.

The classifier (``classify``) was trained on PLV pairs, where every pair is
an event; in running text it also sees verbs of other senses. So when the
trigger has an entry in ``data/trigger_lexicon.tsv`` (written from the PLOVER
definitions), the type is the most probable of the entry's types, kept when
its probability is at least ``MIN_LEXICON_PROBABILITY``; a trigger reached
only through an event noun, or whose entry the classifier rules out, keeps
the classifier's own choice when it is sure (``MIN_CONFIDENCE``).
"""

from __future__ import annotations

from typing import Optional, Sequence

from newsledger.events import plover
from newsledger.events.classify import Prediction
from newsledger.events.features import lexicon

# Probability floor for a type the trigger's lexicon entry allows when the
# model prefers another. Set by reading the coder's output on a sample of
# Wikinews articles: below it were mostly other senses of the verb ("intended
# to isolate", "an honour conferred by").
MIN_LEXICON_PROBABILITY = 0.25
# The classifier's free choice is kept only above this probability.
MIN_CONFIDENCE = 0.5
# ... and overrides the trigger's lexicon entry only above this one: PLV's
# classic confusion is a report of criticism read as the act criticised
# ("condemned the attack" as ASSAULT), which the entry (condemn: ACCUSE) avoids.
MIN_OVERRIDE = 0.8


def lexicon_types(trigger) -> frozenset[str]:
    """The types the trigger's entry allows; a phrasal verb's own entry wins
    ("called for" is REQUEST, not "call"'s CONSULT)."""
    from newsledger.events.candidates import phrasal

    key = phrasal(trigger)
    if key is not None:
        return lexicon()["phrasal"][key]
    lem = trigger.lemma_.lower()
    return lexicon()["verb"].get(lem, frozenset()) | lexicon()["noun"].get(lem, frozenset())


def predict(doc, pairs: Sequence, triggers: Sequence, irrealis: Sequence[bool], minilm: bool = False,
            anchors: Optional[Sequence] = None) -> list[Optional[Prediction]]:
    """One Prediction (or None: no type is likely enough) per candidate pair.
    ``irrealis``: the candidate is future or hypothetical; its mode says so, so
    the type is one its lexicon entry allows (see ``_choose``), as it is when
    the classifier read another word as the trigger. ``anchors``: the words
    whose lexicon entries apply (a light verb's event noun), default the
    triggers."""
    from newsledger.events import classify

    from newsledger.events.candidates import phrasal

    clf = classify.load()
    items = classify.featurize([doc] * len(pairs), pairs, minilm)
    # the word the classifier read as the trigger: when it is not the
    # candidate's, its free choice is about another word
    same_word = [it.trigger == t.i for it, t in zip(items, triggers)]
    classes, proba = clf.proba15(items, minilm)
    split = clf.yield_split.proba(items) if clf.yield_split is not None else None
    out: list[Optional[Prediction]] = []
    for row, (trig, unreal) in enumerate(zip(triggers, irrealis)):
        p = dict(zip(classes, (float(x) for x in proba[row])))
        anchor = anchors[row] if anchors is not None else trig
        allowed = lexicon_types(anchor)
        # an event noun or a phrasal verb names the event itself
        bound = unreal or not same_word[row] or anchor.i != trig.i or phrasal(trig) is not None
        out.append(_choose(p, allowed, split[row] if split is not None else None, clf, bound))
    return out


def _choose(p: dict[str, float], allowed: frozenset[str], split, clf, bound: bool) -> Optional[Prediction]:
    def full(kind: str) -> tuple[str, float]:
        plv = plover.plv_class(kind)
        if plv != plover.PLV_YIELD:
            return kind, p.get(plv, 0.0)
        if split is None:
            return kind, p.get(plv, 0.0)
        share = dict(zip(clf.yield_split.classes, (float(x) for x in split)))
        return kind, p.get(plv, 0.0) * share.get(kind, 0.5)

    best = max(p, key=p.get)
    if allowed:
        kind, prob = max((full(k) for k in allowed), key=lambda kp: kp[1])
        # PLV codes a promised or future act as AGREE; newsledger keeps the
        # act's own type and marks it future/hypothetical instead.
        free = p[best] >= MIN_OVERRIDE and not bound
        if plover.plv_class(kind) == best or bound or (prob >= MIN_LEXICON_PROBABILITY and not free):
            return Prediction(kind, round(prob, 4))
    if p[best] < MIN_CONFIDENCE:
        return None
    if best == plover.PLV_YIELD:
        kinds = [full(k) for k in ("CONCEDE", "RETREAT")]
        kind, prob = max(kinds, key=lambda kp: kp[1])
        return Prediction(kind, round(p[best], 4))
    return Prediction(best, round(p[best], 4))
