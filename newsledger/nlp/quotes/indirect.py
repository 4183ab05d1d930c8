"""Indirect speech and other attributions without quote marks, from the parse.

A learned detector (``cues.py``) picks the tokens that head an attribution cue:
"X said (that) ...", "..., X said", "X told Reuters ...", "according to X",
"X claimed/warned/denied/called for/wants ...", "police said", "officials
told", ... For each cue:

* the **content** is the subtree of the best-scoring content head (a clausal
  complement, an object, the object of "for"/"about"/..., or the clause the
  cue is set inside), with the cue's other children that PolNeAR counts as
  content ("cited X [as evidence]", learned from train as a table) and a
  conjoined verb that goes on with the report ("said X, but sees Y"), and
  without the cue, the source, a leading "that"/"for" or edge punctuation;
* the **source** is the cue's subject (or the one it borrows from the verb it
  hangs from), the agent of a passive ("criticised by X"), the owner of a
  nominal cue ("his claim"), or the object of "according to"; when there is
  none ("it was reported that ...") the speaker stays null;
* the **cue** span is the cue word with its auxiliaries, negation and particle.

A headline that opens with a short name and a colon ("Keller: Council Will
Approve The Budget") is an attribution too.

Cues are taken best score first; one whose content overlaps a quote already
found, or whose cue sits inside another attribution's content, is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsledger.nlp.quotes import cues
from newsledger.nlp.quotes.common import Draft, TokenIndex, is_cue, subject_of
from newsledger.nlp.quotes.marks import find_quotes
from newsledger.nlp.quotes.sources import source_tokens, span_of, with_appositive_name

# A token is a cue when the detector gives it at least this probability (the
# weights file stores it as ``threshold``). 0.4 was chosen on PolNeAR dev among
# 0.3-0.6, for the best exact-span source F1 (0.693 against 0.691 at 0.5, the
# content F1 0.595 against 0.598): the only choice made on dev.
CUE_THRESHOLD = 0.4
# Dependencies that belong to the cue span ("has not yet said", "pointed out").
CUE_LEFT = frozenset(("aux", "auxpass", "neg"))
CUE_RIGHT = frozenset(("prt",))
# A headline "Name: what they said" names its source in at most this many
# words (PolNeAR train: a headline colon after one or two words is a cue three
# times in four, after five or more words rarely).
HEADLINE_NAME_TOKENS = 4
# Headline labels that are not sources ("The Latest: ...").
HEADLINE_LABELS = frozenset(("the latest", "watch", "video", "exclusive", "breaking", "update", "live"))
# Rank of a headline attribution against learned cues (a fixed rule: 0.75,
# about its precision on PolNeAR train).
HEADLINE_SCORE = 0.75
# Subordinators PolNeAR leaves out of content ("called for [X to resign]").
LEADING_MARKS = ("that", "for")
OPENING_MARKS = frozenset("“‘«")
CLOSING_MARKS = frozenset("”’»")
# Verbs whose subject "it" is a placeholder, not a source ("it seems that ...").
IMPERSONAL = frozenset(("be", "seem", "appear", "remain", "become"))


@dataclass
class _Found:
    score: float
    cue: object  # the cue's head token (None for a headline colon)
    draft: Draft
    absorbed: frozenset[int] = frozenset()  # verbs taken into the content


def find_indirect(doc, taken: list[Draft], idx: TokenIndex | None = None, quotes=None) -> list[Draft]:
    """Attributions without quote marks. ``taken``: the direct and mixed
    quotes already found (their cues and content are left alone);
    ``quotes``: top-level quotation (open, close) spans, found again if None."""
    idx = idx or TokenIndex(doc)
    if quotes is None:
        quotes = [(q.open, q.close) for q in find_quotes(idx.text) if q.depth == 0]
    model = cues.load_model()
    threshold = model.get("threshold", CUE_THRESHOLD) if model else CUE_THRESHOLD
    used_cues = {d.cue[0] for d in taken if d.cue}
    covered = [p for d in taken for p in d.pieces]
    headline_end = idx.text.find("\n")
    found = []
    for tok in doc:
        if tok.idx in used_cues or not cues.is_candidate(tok, model["lemmas"] if model else None):
            continue
        in_quote = any(o <= tok.idx < c for o, c in quotes)
        score = _cue_score(tok, in_quote, 0 <= tok.idx < headline_end, model)
        if score < threshold:
            continue
        built = _build(tok, model)
        if built is not None:
            found.append(_Found(score, tok, *built))
    # a verb one cue's content has taken in ("said X, but sees no need for Y")
    # is not a cue of its own
    absorbed = {i for f in found for i in f.absorbed}
    found = [f for f in found if f.cue.i not in absorbed]
    headline = _headline_colon(doc, idx, headline_end)
    if headline is not None:
        found.append(_Found(HEADLINE_SCORE, None, headline))
    return _select(found, covered)


def _headline_colon(doc, idx: TokenIndex, end: int) -> Draft | None:
    """ "NY Daily News: Paris Terror Attacks Highlight Threat Posed by NRA": a
    headline (the first line of a text of several) that opens with a short
    name and a colon gives the name's words."""
    if end < 0:
        return None
    toks = idx.between(0, end)
    colon = next((t for t in toks[: HEADLINE_NAME_TOKENS + 1] if t.text == ":"), None)
    if colon is None or colon.i == 0:
        return None
    name = toks[: colon.i]
    if not all(t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.text[0].isupper()) for t in name):
        return None
    if " ".join(t.lower_ for t in name) in HEADLINE_LABELS:
        return None
    content = _trim([t for t in toks if t.i > colon.i])
    if content is None:
        return None
    return Draft(
        kind="indirect",
        pieces=[content],
        cue=(colon.idx, colon.idx + 1, ":"),
        speaker=span_of(name),
        how="headline",
    )


def _cue_score(tok, in_quote: bool, headline: bool, model) -> float:
    if model is None:
        # no weights: a speech verb with a clausal complement, or "according to"
        return float(tok.lower_ == "according" or any(c.dep_ == "ccomp" for c in tok.children))
    return cues.sigmoid_score(cues.cue_features(tok, in_quote, headline), model["cue"])


def _select(found: list[_Found], covered) -> list[Draft]:
    """Best score first; drop a draft whose content overlaps content already
    taken or whose cue lies inside it (PolNeAR rarely nests attributions)."""
    out: list[Draft] = []
    taken = list(covered)
    for f in sorted(found, key=lambda f: -f.score):
        d = f.draft
        cue_start = d.cue[0]
        if any(s < e2 and s2 < e for s, e in d.pieces for s2, e2 in taken):
            continue
        if any(s <= cue_start < e for s, e in taken):
            continue
        out.append(d)
        taken += d.pieces
    return sorted(out, key=lambda d: d.start)


def build(cue, model) -> Draft | None:
    """The draft a detected cue gives, or None when it has no content."""
    built = _build(cue, model)
    return built[0] if built else None


def _build(cue, model) -> tuple[Draft, frozenset[int]] | None:
    """The draft and the verbs its content takes in, or None."""
    head, rel = choose_content(cue, model)
    if head is None:
        return None
    extend = model["extend"] if model else frozenset()
    siblings = _siblings(cue, head, rel, extend)
    if not siblings and _anaphor(head):
        return None
    src = None if any(s.dep_ in ("nsubj", "nsubjpass") for s in siblings) else source_of(cue)
    src_toks = source_tokens(src, cue) if src is not None else []
    if src_toks and cue.lower_ == "according":
        src_toks = with_appositive_name(src_toks)
    lo, hi = cue_extent(cue, rel)
    if ">" in rel:  # the words between cue and content belong to the cue ("raised concerns about")
        hi = max([hi] + [t.i for t in _between(cue, head) if t.i > cue.i])
    cut = {t.i for t in src_toks} | set(range(lo, hi + 1))
    if rel.startswith("parent:"):
        cut |= {t.i for t in cue.subtree}
        if rel == "parent:prep2":
            cut |= {t.i for t in cue.head.subtree}
    pieces = content_pieces([head, *siblings], cut, _paragraph(cue))
    if not pieces:
        return None
    doc = cue.doc
    lemma = "according to" if cue.lower_ == "according" else cue.lemma_.lower()
    draft = Draft(
        kind="indirect",
        pieces=pieces,
        cue=(doc[lo].idx, doc[hi].idx + len(doc[hi].text), lemma),
        speaker=span_of(src_toks) if src_toks else None,
        how="learned",
    )
    return draft, frozenset(s.i for s in siblings if s.dep_ == "conj")


def _anaphor(head) -> bool:
    """Content that is a lone pronoun ("he said this") reports nothing."""
    return head.pos_ in ("PRON", "DET") and sum(1 for _ in head.subtree) == 1


def _between(cue, head) -> list:
    """The tokens on the path from ``head`` up to ``cue``, both left out."""
    out, t = [], head.head
    while t.i != cue.i and t.head.i != t.i:
        out.append(t)
        t = t.head
    return out


def _siblings(cue, head, rel: str, extend) -> list:
    """Other children of the cue that PolNeAR counts as part of the content
    ("cited X as evidence", "urged him to ...", "Trump appears to ...")."""
    if rel.startswith("parent:") or ">" in rel:
        return []
    out = []
    for s in cue.children:
        if s.i == head.i or s.is_ancestor(head) or s.dep_ in ("punct", "cc"):
            continue
        if any(k in extend for k in cues.sibling_keys(cue, head, rel, s)) or _continues(s, head, rel):
            out.append(s)
    return out


def _continues(sib, head, rel: str) -> bool:
    """ "said he is ready ..., but sees no need for ...": a verb conjoined to
    the cue after its clausal content, sharing the cue's subject and not a
    speech verb itself, goes on with what was reported."""
    return (
        rel == "ccomp"
        and sib.dep_ == "conj"
        and sib.i > head.i
        and sib.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in sib.children)
        and not is_cue(sib, clausal=True)
    )


def choose_content(cue, model):
    """(head token, relation) of the best content candidate, or (None, "")."""
    cands = cues.content_candidates(cue)
    if not cands:
        return None, ""
    if model is None:
        order = ("ccomp", "parent:parataxis", "parent:prep")
        ranked = [c for c in cands if c[1] in order]
        ranked.sort(key=lambda c: order.index(c[1]))
        return ranked[0] if ranked else (None, "")
    weights = model["content"]
    return max(cands, key=lambda c: cues.sigmoid_score(cues.content_features(cue, c[0], c[1]), weights))


def content_pieces(heads, cut: set[int], para: tuple[int, int]) -> list[tuple[int, int]]:
    """Character pieces of the content: the stretch from the first to the last
    token of the ``heads``' subtrees inside the cue's paragraph (``para``:
    first and last token), less the ``cut`` tokens (the cue and the source),
    which split it; edge punctuation and a leading "that" trimmed."""
    ids = {t.i for h in heads for t in h.subtree if para[0] <= t.i <= para[1]}
    if not ids:
        return []
    doc = heads[0].doc
    toks = [doc[i] for i in range(min(ids), max(ids) + 1) if i not in cut]
    if not toks:
        return []
    runs: list[list] = [[toks[0]]]
    for t in toks[1:]:
        if t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    return [p for p in (_trim(run) for run in runs) if p is not None]


def _paragraph(tok) -> tuple[int, int]:
    """First and last token of the paragraph (line) holding ``tok``: a parse
    that runs a headline into the first sentence does not carry content over."""
    doc = tok.doc
    lo = hi = tok.i
    while lo > 0 and "\n" not in doc[lo - 1].text + doc[lo - 1].whitespace_:
        lo -= 1
    while hi + 1 < len(doc) and "\n" not in doc[hi].whitespace_ + doc[hi + 1].text:
        hi += 1
    return lo, hi


def _trim(toks) -> tuple[int, int] | None:
    """A run of tokens without edge punctuation, spaces, conjunctions and a
    leading "that" or "for"; None when no word is left."""
    while toks and (_edge(toks[0]) or (toks[0].lower_ in LEADING_MARKS and toks[0].dep_ == "mark")):
        toks = toks[1:]
    while toks and _edge(toks[-1]) and not _closes(toks):
        toks = toks[:-1]
    if not any(t.is_alpha or t.like_num for t in toks):
        return None
    last = toks[-1]
    # a clitic glued to the last word belongs to it ("don’t" split as do + n’t)
    while not last.whitespace_ and last.i + 1 < len(last.doc) and _glued(last.doc[last.i + 1]):
        last = last.doc[last.i + 1]
    return toks[0].idx, last.idx + len(last.text)


def _edge(tok) -> bool:
    """Punctuation, space or a conjunction: never at the edge of content."""
    return tok.is_punct or tok.is_space or tok.dep_ == "cc"


def _glued(tok) -> bool:
    return not (tok.is_punct or tok.is_space or "\n" in tok.text)


def _closes(toks) -> bool:
    """Does the last token close a quotation opened inside the run (a scare
    quote at the end of the content keeps its closing mark)?"""
    last = toks[-1].text
    if last not in CLOSING_MARKS:
        return False
    opens = sum(t.text in OPENING_MARKS for t in toks[:-1])
    closes = sum(t.text in CLOSING_MARKS for t in toks[:-1])
    return opens > closes


def source_of(cue):
    """The token heading the cue's source, or None (no source: null speaker)."""
    doc = cue.doc
    if cue.lower_ == "according":
        to = doc[cue.i + 1] if cue.i + 1 < len(doc) and doc[cue.i + 1].lower_ == "to" else None
        objs = [c for c in (to.children if to is not None else cue.children) if c.dep_ == "pobj"]
        return objs[0] if objs else None
    agent = next((g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    if agent is not None:
        return agent
    if any(c.dep_ == "auxpass" for c in cue.children):
        return None  # "it was reported that ...": no source named
    if cue.pos_ == "NOUN":
        owner = next((c for c in cue.children if c.dep_ == "poss"), None)
        if owner is not None:
            return owner
    subj = subject_of(cue)
    if subj is None or subj.i == cue.i:
        return None
    if subj.lower_ == "it" and subj.head.lemma_ in IMPERSONAL:
        return None  # "it seems that ...", "it is clear that ..."
    return subj


def cue_extent(cue, rel: str) -> tuple[int, int]:
    """First and last token of the cue span: the word with its auxiliaries and
    negation before it, its particle, and the preposition that introduces the
    content ("called for")."""
    doc = cue.doc
    if cue.lower_ == "according" and cue.i + 1 < len(doc) and doc[cue.i + 1].lower_ == "to":
        return cue.i, cue.i + 1
    lo = hi = cue.i
    for c in cue.children:
        if c.dep_ in CUE_LEFT and c.i < cue.i:
            lo = min(lo, c.i)
        elif c.dep_ in CUE_RIGHT and c.i > cue.i and c.i - hi <= 2:
            hi = max(hi, c.i)
        elif rel.startswith("prep:") and c.dep_ in ("prep", "prt") and c.lower_ == rel[5:] and 0 < c.i - hi <= 2:
            hi = max(hi, c.i)
    return lo, hi
