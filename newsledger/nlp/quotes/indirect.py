"""Indirect speech from the dependency parse.

- "X said (that) ...", "..., X said", "X told Reuters ...", "X warned/insisted/
  denied/added/argued ...": a speech verb with a clausal complement; the
  content is the complement without its "that", the speaker the verb's subject.
- "according to X, ...": the content is the rest of the sentence.
Passages already covered by a direct or mixed quote are left to them.
"""

from __future__ import annotations

from newsledger.nlp.quotes.common import Draft, is_cue, mention_span, subject_of

# Shortest indirect content kept, in tokens ("he said no" is not a statement worth a row).
MIN_CONTENT_TOKENS = 3
COMPLEMENTS = ("ccomp",)


def find_indirect(doc, taken: list[Draft]) -> list[Draft]:
    used_cues = {d.cue[0] for d in taken if d.cue}
    covered = [p for d in taken for p in d.pieces]
    drafts: list[Draft] = []
    for tok in doc:
        if tok.idx in used_cues:
            continue
        draft = _from_verb(tok) or _from_parenthetical(tok) if tok.pos_ in ("VERB", "AUX") else None
        if draft is None and tok.lower_ == "according":
            draft = _from_according(tok)
        if draft is not None and not _overlaps(draft, covered):
            drafts.append(draft)
            covered += draft.pieces
    return drafts


def _overlaps(d: Draft, covered) -> bool:
    return any(s < d.end and d.start < e for s, e in covered)


def _trimmed(toks) -> tuple[int, int] | None:
    toks = sorted(toks, key=lambda t: t.i)
    while toks and (toks[0].lower_ == "that" or toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if len(toks) < MIN_CONTENT_TOKENS or not any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    last = toks[-1]
    # a clitic glued to the last word belongs to it, wherever the parse hung it
    # ("those who don’t": the parse may leave "n’t" outside the clause)
    while not last.whitespace_ and last.i + 1 < len(last.doc) and not last.doc[last.i + 1].is_punct:
        last = last.doc[last.i + 1]
    return toks[0].idx, last.idx + len(last.text)


def _from_verb(verb) -> Draft | None:
    if not is_cue(verb, clausal=True):
        return None
    comps = [c for c in verb.children if c.dep_ in COMPLEMENTS]
    if not comps:
        return None
    subj = subject_of(verb)
    toks = list(comps[0].subtree)
    # "said that X, but sees no need for Y": a conjoined verb sharing the
    # speaker's subject continues the reported content
    for c in verb.children:
        if c.dep_ == "conj" and c.i > comps[0].i and c.pos_ in ("VERB", "AUX") and subject_of_own(c) is None and not is_cue(c, clausal=True):
            toks += [t for t in c.subtree]
    content = _trimmed(toks)
    if content is None:
        return None
    # a ccomp that swallowed the subject ("Russia, he said, ...") is not content
    if subj is not None and content[0] <= subj.idx < content[1]:
        return None
    return Draft(
        kind="indirect",
        pieces=[content],
        cue=(verb.idx, verb.idx + len(verb.text), verb.lemma_.lower()),
        speaker=mention_span(subj) if subj is not None else None,
    )


def _from_parenthetical(verb) -> Draft | None:
    """ "The latest test, North Korea said, was its biggest yet": an attribution
    set inside the clause it reports. The content is the clause around it, in
    two segments."""
    if verb.dep_ != "parataxis" or not is_cue(verb) or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    subj = subject_of_own(verb)
    if subj is None:
        return None
    aside = {t.i for t in verb.subtree}
    clause = [t for t in verb.head.subtree if t.i not in aside]
    before = _piece([t for t in clause if t.i < min(aside)])
    after = _piece([t for t in clause if t.i > max(aside)])
    if before is None or after is None or _trimmed(clause) is None:
        return None
    return Draft(
        kind="indirect",
        pieces=[before, after],
        cue=(verb.idx, verb.idx + len(verb.text), verb.lemma_.lower()),
        speaker=mention_span(subj),
    )


def _piece(toks) -> tuple[int, int] | None:
    """A run of tokens without the punctuation at its edges."""
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    return (toks[0].idx, toks[-1].idx + len(toks[-1].text)) if toks else None


def subject_of_own(verb):
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _appositive_name_end(doc, i: int) -> int:
    """ "according to the Ukrainian President, Volodymyr Zelensky, ...": the
    index of the name's last token when a person's name follows in commas."""
    if i + 2 < len(doc) and doc[i + 1].text == "," and doc[i + 2].ent_type_ == "PERSON":
        j = i + 2
        while j + 1 < len(doc) and doc[j + 1].ent_type_ == "PERSON" and doc[j + 1].ent_iob_ == "I":
            j += 1
        if j + 1 < len(doc) and doc[j + 1].text in (",", "."):
            return j
    return i


def _from_according(tok) -> Draft | None:
    doc = tok.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
    phrase = {i for i in phrase if i <= max(t.i for t in objs[0].subtree)}
    lo, hi = min(phrase), max(phrase)
    name_end = _appositive_name_end(doc, hi)
    hi = name_end
    sent = tok.sent
    before = [t for t in sent if t.i < lo]
    after = [t for t in sent if t.i > hi]
    side = after if len(after) >= len(before) else before
    content = _trimmed(side)
    if content is None:
        return None
    return Draft(
        kind="indirect",
        pieces=[content],
        cue=(tok.idx, to.idx + len(to.text), "according to"),
        speaker=(mention_span(objs[0])[0], doc[hi].idx + len(doc[hi].text)),
    )
