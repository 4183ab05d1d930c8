"""Attribution cues found by a learned detector, and their content heads.

Two linear models over binary parse features, both trained on PolNeAR train by
``scripts/train_cue_detector.py`` and stored in ``nlp/models/cue_detector.json``
(see docs/models.md):

* the **cue detector** scores each candidate token (a verb, noun, adjective or
  adverb whose lemma heads an attribution cue in the training data, and
  "according") on whether it heads a cue: its lemma, dependency, the
  dependencies of its children, its subject, its complements, tense,
  negation, whether it stands inside quotation marks, ...;
* the **content ranker** scores, for a detected cue, each token that could
  head the attributed content (a clausal complement, an object, the object of
  a preposition, the clause the cue is set inside, or one level further down:
  "raised concerns about X") and the best one wins.

Scoring is pure Python: the sum of the weights of the features present, through
a sigmoid, as in ``ranker.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

from newsledger.nlp import lexicons
from newsledger.nlp.quotes.common import is_cue, subject_of

WEIGHTS = Path(__file__).resolve().parent.parent / "models" / "cue_detector.json"

CANDIDATE_POS = ("VERB", "AUX", "NOUN", "ADJ", "ADV")
# Children whose dependency label says something about a cue ("she told
# reporters that ...": dative/dobj, ccomp, mark).
CHILD_DEPS = frozenset(
    "ccomp xcomp dobj dative nsubj nsubjpass agent prep advcl mark neg aux auxpass poss prt acl relcl "
    "acomp attr oprd csubj parataxis conj pcomp advmod npadvmod".split()
)
# Relations from a cue to a token that may head its content.
CHILD_CONTENT = frozenset(
    "ccomp xcomp dobj dative advcl acl nsubjpass nsubj oprd attr acomp conj pcomp csubj parataxis npadvmod".split()
)
# One level further down: through these children, to these of theirs.
DEEPER = {
    "dobj": ("prep", "acl"),
    "xcomp": ("dobj", "ccomp", "prep"),
    "acomp": ("prep", "ccomp", "xcomp"),
    "advcl": ("dobj", "ccomp"),
    "attr": ("prep",),
}
PARENT_CONTENT = frozenset("parataxis advcl prep relcl acl ccomp conj amod nsubj dobj pobj appos advmod".split())
MODALS = frozenset("will would could can may might should must shall".split())


def _subject_kind(subj) -> str:
    if subj is None:
        return "none"
    if subj.pos_ == "PRON":
        return "pron"
    if subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return subj.ent_type_.lower()
    if subj.lower_ in _titles():
        return "title"
    return subj.pos_.lower()


def cue_features(tok, in_quote: bool, headline: bool) -> list[str]:
    """Binary features of a candidate cue token (``headline``: it stands in the
    first line of the article)."""
    lemma = tok.lemma_.lower()
    return [
        "bias",
        *_word_features(tok, lemma),
        *_subject_features(tok, lemma),
        *_children_features(tok, lemma),
        *_context_features(tok, lemma, in_quote, headline),
    ]


def _word_features(tok, lemma: str) -> list[str]:
    f = [
        f"lemma={lemma}",
        f"pos={tok.pos_}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"lemma={lemma}|dep={tok.dep_}",
        f"lemma={lemma}|tag={tok.tag_}",
        f"head={tok.head.pos_}|dep={tok.dep_}",
    ]
    if tok.dep_ != "ROOT":
        f.append(f"head_lemma={tok.head.lemma_.lower()}|dep={tok.dep_}")
    plain, clausal = lexicons.speech_verbs()
    if lemma in plain:
        f.append("speech_verb")
    elif lemma in clausal:
        f.append("speech_verb_clausal")
    if tok.pos_ == "NOUN" and lemma in _nominal():
        f.append("nominal_cue")
    return f


def _subject_features(tok, lemma: str) -> list[str]:
    """Its subject, or the one it borrows: kind, lemma, side, entity type."""
    subj = subject_of(tok)
    own_subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    sk = _subject_kind(subj)
    f = [f"subj={sk}", f"lemma={lemma}|subj={sk}", f"pos={tok.pos_}|subj={sk}"]
    if tok.dep_ == "parataxis" and own_subj is not None:
        f.append("parenthetical")
    if subj is None:
        return f
    if subj.pos_ in ("NOUN", "PRON"):
        f.append(f"subj_lemma={subj.lemma_.lower()}")
    if own_subj is None:
        f.append("subj_borrowed")
    if subj.i > tok.i:
        f.append("subj_after")
    if subj.pos_ == "PRON":
        f.append(f"subj_pron={subj.lower_}")
    if subj.ent_type_:
        f.append(f"subj_ent={subj.ent_type_}|dep={tok.dep_}")
    return f


def _children_features(tok, lemma: str) -> list[str]:
    """Its dependents: labels, prepositions, objects, complements and their size."""
    deps = {c.dep_ for c in tok.children if c.dep_ in CHILD_DEPS}
    f = []
    for d in deps:
        f += [f"child={d}", f"lemma={lemma}|child={d}", f"pos={tok.pos_}|child={d}"]
    if not deps & {"ccomp", "xcomp", "dobj", "prep", "advcl", "acl", "dative", "attr", "acomp", "oprd"}:
        f += ["no_complement", f"lemma={lemma}|no_complement"]
    for c in tok.children:
        if c.dep_ in ("dobj", "pobj", "attr") and c.pos_ in ("NOUN", "PRON"):
            f.append(f"obj_lemma={c.lemma_.lower()}")
        if c.dep_ in ("dobj", "dative", "nsubj") and c.ent_type_:
            f += [f"{c.dep_}_ent={c.ent_type_}", f"lemma={lemma}|{c.dep_}_ent={c.ent_type_}"]
        if c.dep_ in ("ccomp", "xcomp", "dobj"):
            f.append(f"{c.dep_}_len={_size(sum(1 for _ in c.subtree))}")
        if c.dep_ in ("prep", "prt", "agent"):
            f += [f"prep={c.lower_}", f"lemma={lemma}|prep={c.lower_}"]
        elif c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            f.append("ccomp_that")
        elif c.dep_ == "aux" and c.lower_ in MODALS:
            f.append("modal")
        elif c.dep_ == "aux" and c.lower_ == "to":
            f.append("to_infinitive")
    return f


def _size(n: int) -> str:
    return "1" if n == 1 else "2-4" if n < 5 else "5-12" if n < 13 else "13+"


def _context_features(tok, lemma: str, in_quote: bool, headline: bool) -> list[str]:
    """The words on either side, quotation marks around it, the headline."""
    doc, i = tok.doc, tok.i
    f = [f"prev={doc[i - 1].lower_ if i > 0 else '<s>'}", f"next={doc[i + 1].lower_ if i + 1 < len(doc) else '</s>'}"]
    if in_quote:
        f += ["in_quote", f"in_quote|dep={tok.dep_}", f"in_quote|lemma={lemma}"]
    if headline:
        f += ["headline", f"headline|lemma={lemma}"]
    return f


def content_candidates(cue) -> list[tuple[object, str]]:
    """(token, relation) pairs that may head the cue's content: children by
    their label, objects of its prepositions ("prep:for"), the clause it hangs
    from ("parent:parataxis"), and one level further down through an object
    or complement ("raised concerns about X": "dobj>prep:about")."""
    out = []
    for c in cue.children:
        if c.dep_ in CHILD_CONTENT:
            out.append((c, c.dep_))
        elif c.dep_ in ("prep", "agent") or (c.dep_ == "prt" and c.lower_ in ("about", "on", "for", "to")):
            out += [(g, f"prep:{c.lower_}") for g in _objects(c)]
        for g in c.children if c.dep_ in DEEPER else ():
            if g.dep_ == "prep" and "prep" in DEEPER[c.dep_]:
                out += [(o, f"{c.dep_}>prep:{g.lower_}") for o in _objects(g)]
            elif g.dep_ in DEEPER[c.dep_]:
                out.append((g, f"{c.dep_}>{g.dep_}"))
    if cue.dep_ in PARENT_CONTENT and cue.head.i != cue.i:
        out.append((cue.head, f"parent:{cue.dep_}"))
        if cue.dep_ == "prep" and cue.head.dep_ == "prep" and cue.head.head.i != cue.head.i:
            out.append((cue.head.head, "parent:prep2"))
    return out


def _objects(prep) -> list:
    return [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]


def coarse(rel: str) -> str:
    """A relation without its preposition: "dobj>prep:about" -> "dobj>prep"."""
    return ">".join(part.split(":")[0] for part in rel.split(">"))


def content_features(cue, cand, rel: str) -> list[str]:
    """Binary features of one (cue, candidate content head) pair."""
    lemma = cue.lemma_.lower()
    kind = rel.split(":")[0] if rel.startswith(("prep", "parent")) else "deep" if ">" in rel else "child"
    deps = {c.dep_ for c in cand.children}
    f = [
        "bias",
        f"rel={rel}",
        f"coarse={coarse(rel)}",
        f"lemma={lemma}|coarse={coarse(rel)}",
        f"kind={kind}",
        f"lemma={lemma}|rel={rel}",
        f"cand_pos={cand.pos_}",
        f"rel={rel}|cand_pos={cand.pos_}",
        f"cue_pos={cue.pos_}|rel={rel}",
        f"side={'before' if cand.i < cue.i else 'after'}",
        f"rel={rel}|side={'before' if cand.i < cue.i else 'after'}",
    ]
    if deps & {"nsubj", "nsubjpass"}:
        f += ["cand_has_subj", f"rel={rel}|cand_has_subj"]
    if "mark" in deps:
        f.append("cand_has_mark")
    if cand.pos_ in ("VERB", "AUX"):
        f.append(f"rel={rel}|cand_verb")
    siblings = {c.dep_ for c in cue.children}
    for d in ("ccomp", "xcomp", "dobj", "dative"):
        if d in siblings and d != rel:
            f.append(f"rel={rel}|also={d}")
    if is_cue(cand, clausal=True):
        f.append("cand_is_speech_verb")
    return f


def sibling_keys(cue, head, rel: str, sib) -> tuple[str, str]:
    """Keys of the extension table for a sibling ``sib`` of content head
    ``head`` (both children of ``cue``): "dobj|prep:as|R" ("cited X as
    evidence") and the same with the cue's lemma in front ("seem|xcomp|nsubj|L")."""
    group = "prep" if rel.startswith("prep:") else rel
    dep = f"{sib.dep_}:{sib.lower_}" if sib.dep_ in ("prep", "prt", "agent") else sib.dep_
    key = f"{group}|{dep}|{'L' if sib.i < head.i else 'R'}"
    return key, f"{cue.lemma_.lower()}|{key}"


def sigmoid_score(feats: list[str], weights: dict[str, float]) -> float:
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def load_model() -> dict | None:
    """The weights file as a dict (``cue``, ``content``, ``lemmas``,
    ``extend``), or None."""
    if not WEIGHTS.exists():
        return None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    data["lemmas"] = frozenset(data["lemmas"])
    data["extend"] = frozenset(data.get("extend", ()))
    return data


def version() -> str | None:
    """Short hash of the weights file, recorded with every run."""
    if not WEIGHTS.exists():
        return None
    return hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()[:12]


def is_candidate(tok, lemmas) -> bool:
    """Worth scoring: "according", or a verb/noun/adjective/adverb whose lemma
    headed a cue in training (``lemmas``; any speech verb when there is no model)."""
    if tok.lower_ == "according":
        return True
    if tok.pos_ not in CANDIDATE_POS or not tok.text[0].isalpha():
        return False
    if lemmas is None:
        return is_cue(tok, clausal=True)
    return tok.lemma_.lower() in lemmas


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return lexicons.words("titles.txt")


@lru_cache(maxsize=1)
def _nominal() -> frozenset[str]:
    return lexicons.words("nominal_cues.txt")
