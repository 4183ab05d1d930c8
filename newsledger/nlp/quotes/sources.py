"""The source mention of an attribution, bounded as PolNeAR bounds it.

A source is the whole noun phrase that names who speaks, with its titles,
appositives and prepositional modifiers ("Phil Smith, a spokesman for the
United Mine Workers of America", "Homeland Security Secretary Jeh Johnson",
"Mr. McKinley"), but without the clause of the cue itself ("a group
backing Bush", "Reid, who said"), or anything across a line break. On PolNeAR
train the subtree of the source head gives the gold source exactly for nine
sources in ten; the children kept below are those the gold keeps most of the
time (appositive 89%, prepositional phrase 87%, conjunct 95%).

``widen_speakers`` gives the quotes found from their quote marks the same
bounds, starting from the name or noun the speaker rules chose.
"""

from __future__ import annotations

from newsledger.nlp.quotes.common import Draft, TokenIndex

# Longest source mention kept, in tokens on either side of its head.
MAX_SOURCE_TOKENS = 30
# A source never reaches back over these: "NEW YORK (Reuters) - Trump said".
DATELINE_ENDS = frozenset(("-", "—", "–", ":", "--"))
# Children of the source head left out, with their subtrees (PolNeAR train:
# an adverbial clause is kept 18% of the time, a clausal complement 19%, an
# unlabelled dependent 0%).
DROP_CHILDREN = frozenset(("advcl", "ccomp", "dep", "parataxis"))
# A participle clause on the source stays when it is a past participle ("a
# poll released Monday": 80-89% on PolNeAR train), not a present one ("a
# source speaking to Fox News": 33-42%).
KEPT_ACL_TAGS = frozenset(("VBN", "VBD"))
# Dependencies that make a word part of a larger name or noun phrase: the
# mention grows from the phrase's head ("Air Force 1st Lt. Tyler Livingston").
# An appositive name belongs to the phrase it renames ("the bureau's director,
# James B. Comey", "former congressman Barney Frank" parsed as congressman +
# appositive).
INSIDE_NP = frozenset(("compound", "nummod", "nmod", "amod", "flat", "appos"))


def source_tokens(src, cue=None, avoid: frozenset[int] = frozenset()) -> list:
    """The source mention around head token ``src``: its subtree less the
    children in DROP_CHILDREN, the cue's clause when the head governs it, and
    the tokens in ``avoid`` (content); contiguous around the head."""
    doc = src.doc
    cut = set(avoid)
    if cue is not None:
        cut.add(cue.i)
        if src.is_ancestor(cue):
            cut |= {t.i for t in cue.subtree}
    for c in src.children:
        if c.i > src.i and _left_out(c):
            cut |= {t.i for t in c.subtree}
    ids = {t.i for t in src.subtree if t.i not in cut and abs(t.i - src.i) <= MAX_SOURCE_TOKENS}
    lo = hi = src.i
    while lo - 1 in ids and not _breaks(doc[lo - 1]) and not _dateline_end(doc[lo - 1]):
        lo -= 1
    while hi + 1 in ids and not _breaks(doc[hi]):
        hi += 1
    toks = [doc[i] for i in range(lo, hi + 1)]
    if src.dep_ == "poss":  # "Kerry’s announcement": the owner without "’s"
        toks = [t for t in toks if not (t.dep_ == "case" and t.head.i == src.i)]
    while len(toks) > 1 and toks[-1].i != src.i and (_edge(toks[-1]) or toks[-1].dep_ in ("cc", "case")):
        toks = toks[:-1]
    while len(toks) > 1 and toks[0].i != src.i and _edge(toks[0]):
        toks = toks[1:]
    return toks


def with_appositive_name(toks) -> list:
    """ "according to the Ukrainian President, Volodymyr Zelensky, ...": the
    mention with the person's name that follows it between commas."""
    doc = toks[-1].doc
    i = toks[-1].i
    if i + 2 >= len(doc) or doc[i + 1].text != "," or doc[i + 2].ent_type_ != "PERSON":
        return toks
    j = i + 2
    while j + 1 < len(doc) and doc[j + 1].ent_type_ == "PERSON" and doc[j + 1].ent_iob_ == "I":
        j += 1
    if j + 1 < len(doc) and doc[j + 1].text in (",", "."):
        return toks + [doc[k] for k in range(i + 1, j + 1)]
    return toks


def _left_out(child) -> bool:
    """Is this child of the source head (after it) left out of the mention?
    A participle or relative clause set off by a comma is ("Reid, who endorsed
    Clinton in February, stressed"): PolNeAR train keeps one about half the
    time (participle 32%, relative 51%) and leaving it out scores better on a
    held-out fifth of train; without a comma it stays ("a woman who has
    accused ..." 71%)."""
    if child.dep_ in DROP_CHILDREN or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")):
        return True  # a verb conjoined to a name is a misparse ("Trump and has ...")
    if child.dep_ not in ("acl", "relcl"):
        return False
    first = min(t.i for t in child.subtree)
    comma = first > 0 and child.doc[first - 1].text == ","
    return comma or (child.dep_ == "acl" and child.tag_ not in KEPT_ACL_TAGS)


def _dateline_end(tok) -> bool:
    """A free-standing dash or colon: "WASHINGTON (AP) — ", "Poll: "."""
    return tok.text in DATELINE_ENDS and bool(tok.whitespace_)


def _edge(tok) -> bool:
    return tok.is_punct or tok.is_space


def _breaks(tok) -> bool:
    """A line break in or right after ``tok``."""
    return "\n" in tok.text or "\n" in tok.whitespace_


def span_of(toks) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def widen_speakers(doc, drafts: list[Draft], idx: TokenIndex | None = None) -> None:
    """Give each draft's speaker mention its full source extent (in place).
    Pronouns and mentions whose head cannot be found are left alone."""
    idx = idx or TokenIndex(doc)
    for d in drafts:
        if d.speaker is None or d.inherited:
            continue
        toks = idx.between(*d.speaker)
        ids = {t.i for t in toks}
        heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        if len(heads) != 1 or heads[0].pos_ not in ("NOUN", "PROPN", "NUM", "ADJ"):
            continue
        head = heads[0]
        while head.dep_ in INSIDE_NP and head.head.pos_ in ("NOUN", "PROPN", "NUM") and head.head.i != head.i:
            head = head.head
        if head.pos_ not in ("NOUN", "PROPN", "NUM"):
            continue
        cue = doc[idx.at(d.cue[0])] if d.cue else None
        avoid = frozenset(t.i for s, e in d.pieces for t in idx.between(s, e))
        new = source_tokens(head, cue, avoid)
        lo, hi = span_of(new)
        # never narrower than the rules' mention
        d.speaker = (min(lo, d.speaker[0]), max(hi, d.speaker[1]))
