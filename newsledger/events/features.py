"""Features of one (sentence, source, target) pair for the event-type classifier.

The pair is a parsed spaCy Doc and two character spans in it: the source
(who acts) and the target (toward whom), either of which may be missing. From
the parse we find:

- the **trigger**: the first verb above the target's head (outside the
  target), else above the source's head, else the sentence's root; its
  lemma, its object and complement words, prepositions, negation, modal and
  passive auxiliaries;
- the **path**: the words on the dependency path between source and target
  heads, and their lowest common ancestor;
- the source's and target's own dependency labels and nouns, and the content
  lemmas of the rest of the sentence;
- **lexicon** hits: the PLOVER types that ``data/trigger_lexicon.tsv`` gives
  for the trigger, its arguments, the path words and the common ancestor.

``sparse_features`` returns these as strings ("trig=condemn",
"lex_trig=ACCUSE"); ``views`` returns the sentence and the trigger's place
in it, which the optional MiniLM features embed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

LEXICON = Path(__file__).resolve().parent / "data" / "trigger_lexicon.tsv"
Offsets = Optional[tuple[int, int]]

# Parts of speech of path words kept as features (prepositions are kept by dependency).
PATH_POS = {"VERB", "NOUN", "ADJ", "AUX"}
# Children of the trigger whose lemmas are features: objects and complements.
ARG_DEPS = ("dobj", "attr", "xcomp", "ccomp", "prt", "acomp", "oprd")
# Children of the trigger looked up in the lexicon ("launch an investigation").
LEX_ARG_DEPS = ("dobj", "xcomp", "ccomp", "attr", "nsubj", "nsubjpass")
MODALS = {"will", "would", "could", "may", "might", "shall", "should", "can"}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, frozenset[str]]]:
    """{"verb"|"noun"|"phrasal": {lemma: types}} from data/trigger_lexicon.tsv
    (phrasal keys are "lemma particle"; the classifier's features read only
    verbs and nouns)."""
    out: dict[str, dict[str, set[str]]] = {"verb": {}, "noun": {}, "phrasal": {}}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, kinds, pos = line.split("\t")
        out[pos].setdefault(lemma, set()).update(kinds.split("|"))
    return {pos: {k: frozenset(v) for k, v in d.items()} for pos, d in out.items()}


@dataclass
class Analysis:
    """The parse facts of one pair that the features read."""

    window: object  # spaCy Span: the sentence(s) holding the pair
    source_head: object
    target_head: object
    common: object  # lowest common ancestor of the two heads, or None
    path: list
    trigger: object
    source_ids: frozenset[int]
    target_ids: frozenset[int]


def _ids(doc, span: Offsets) -> frozenset[int]:
    """Indices of the tokens overlapping a character span."""
    if span is None:
        return frozenset()
    covered = doc.char_span(span[0], span[1], alignment_mode="expand") if span[1] > span[0] else None
    if covered is not None:  # the same tokens as the scan below, without walking the whole doc
        return frozenset(t.i for t in covered if t.idx < span[1] and t.idx + len(t) > span[0])
    return frozenset(t.i for t in doc if t.idx < span[1] and t.idx + len(t) > span[0])


def _span_head(doc, ids: frozenset[int]):
    """The token of a span whose head lies outside it (its syntactic head)."""
    if not ids:
        return None
    toks = [doc[i] for i in sorted(ids)]
    return next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])


def _ancestors(tok) -> list:
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def _verb_above(tok, inside: frozenset[int]):
    for a in _ancestors(tok)[1:]:
        if a.i not in inside and a.pos_ == "VERB":
            return a
    return None


def _window(doc, anchors: list):
    """The sentence holding the anchors (or the sentences from the first to the last)."""
    if not anchors:
        return doc[:]
    sents = [t.sent for t in anchors]
    return doc[min(s.start for s in sents) : max(s.end for s in sents)]


def analyse(doc, source: Offsets, target: Offsets) -> Analysis:
    sids, tids = _ids(doc, source), _ids(doc, target)
    sh, th = _span_head(doc, sids), _span_head(doc, tids)
    common, path = None, []
    if sh is not None and th is not None:
        sa, ta = _ancestors(sh), _ancestors(th)
        ta_ids = [a.i for a in ta]
        common = next((a for a in sa if a.i in ta_ids), None)
        if common is not None:
            up = sa[1 : [a.i for a in sa].index(common.i)]
            down = ta[1 : ta_ids.index(common.i)]
            path = [a for a in up + [common] + down if a.i not in sids and a.i not in tids]
    trigger = None
    if th is not None:
        trigger = _verb_above(th, tids)
    if trigger is None and sh is not None:
        trigger = _verb_above(sh, sids)
    window = _window(doc, [t for t in (sh, th) if t is not None])
    if trigger is None:
        trigger = window.root if len(window) else doc[0]
    return Analysis(window, sh, th, common, path, trigger, sids, tids)


def _lex(tok, tag: str) -> list[str]:
    pos = "noun" if tok.pos_ in ("NOUN", "PROPN") else "verb"
    return [f"{tag}={kind}" for kind in sorted(lexicon()[pos].get(tok.lemma_.lower(), ()))]


def sparse_features(doc, source: Offsets, target: Offsets, a: Optional[Analysis] = None) -> list[str]:
    """Binary feature names of the pair (see the module docstring)."""
    a = a or analyse(doc, source, target)
    trig, sids, tids = a.trigger, a.source_ids, a.target_ids
    lemma = trig.lemma_.lower()
    f = ["bias", f"has_s={a.source_head is not None}", f"has_t={a.target_head is not None}",
         f"trig={lemma}", f"trigpos={trig.pos_}"]
    f += _lex(trig, "lex_trig")
    for c in trig.children:
        if c.i in sids or c.i in tids:
            f.append(f"trig_{c.dep_}={'S' if c.i in sids else 'T'}")
            continue
        clem = c.lemma_.lower()
        if c.dep_ in ARG_DEPS:
            f += [f"trig_{c.dep_}={clem}", f"trig+{c.dep_}={lemma}|{clem}"]
        if c.dep_ in LEX_ARG_DEPS:
            f += _lex(c, "lex_arg")
        if c.dep_ == "prep":
            f.append(f"trig_prep={clem}")
        elif c.dep_ == "neg":
            f.append("trig_neg")
        elif c.dep_ == "aux" and clem in MODALS:
            f.append(f"trig_modal={clem}")
        elif c.dep_ == "auxpass":
            f.append("trig_passive")
    for x in a.path:
        if x.pos_ in PATH_POS or x.dep_ == "prep":
            f.append(f"path={x.lemma_.lower()}")
        f += _lex(x, "lex_path")
    if a.common is not None:
        f.append(f"lca={a.common.lemma_.lower()}")
        f += _lex(a.common, "lex_lca")
        if a.common.i in sids:
            f.append("lca_in_s")
        if a.common.i in tids:
            f.append("lca_in_t")
    if a.source_head is not None:
        f.append(f"sdep={a.source_head.dep_}")
    th = a.target_head
    if th is not None:
        f.append(f"tdep={th.dep_}")
        if th.dep_ == "pobj":
            f.append(f"tprep={th.head.lemma_.lower()}")
    for x in a.window:
        if x.pos_ == "NOUN" and (x.i in tids or x.i in sids):
            f.append(f"{'t' if x.i in tids else 's'}word={x.lemma_.lower()}")
        elif x.i not in sids and x.i not in tids and x.pos_ in ("VERB", "NOUN", "ADJ") and x.is_alpha and not x.is_stop:
            f.append(f"w={x.lemma_.lower()}")
    return f


def views(doc, source: Offsets, target: Offsets, a: Optional[Analysis] = None) -> tuple[str, tuple[int, int]]:
    """(sentence text, trigger offsets in that text) for the MiniLM features."""
    a = a or analyse(doc, source, target)
    base, trig = a.window.start_char, a.trigger
    return doc.text[base : a.window.end_char], (trig.idx - base, trig.idx + len(trig) - base)
