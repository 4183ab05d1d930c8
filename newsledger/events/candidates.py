"""Event candidates: a trigger word and who does it to whom, from the parse.

A candidate is a verb (or a predicate adjective: "ready", "willing") whose
lemma is in the PLOVER trigger lexicon (``data/trigger_lexicon.tsv``), a
light verb with an event noun as its object ("held talks", "launched an
investigation"), or an event noun that names its own actor ("Russia's
invasion of Ukraine", "Turkish airstrikes"). Its **source** is the subject (the "by" agent of a passive;
the subject of the verb above for "X decided to send", "X is ready to
allow"); its **target** the direct object, the dative, or the object of a
preposition that names a party (to, against, with, on, for, toward). A
possessor stands in for a thing it owns ("recognise Lukashenko's victory" ->
Lukashenko). The classifier later decides the type; the coder keeps a
candidate only when its source has a code (PLOVER codes no event without a
named actor).

Offers and intentions (``OFFER_LEMMAS``: "ready to allow", "offered to
send") are one candidate on the offer word: what is offered is not an event
that happened, and its conditions ("if necessary") are not the offer's.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional

from newsledger.events.features import lexicon

Offsets = tuple[int, int]
_SENT_BOUNDS = "newsledger_sentence_starts"
_TEXT = "newsledger_text"

# Predicates of offering, promising and intending: the candidate is the offer.
OFFER_LEMMAS = {"ready", "willing", "prepared", "offer", "promise", "pledge", "vow", "agree", "propose",
                "threaten", "refuse", "decline", "plan", "intend", "want", "seek", "ask", "urge", "call", "demand"}
# Verbs that only report speech: their event is the quote, not the verb.
REPORTING = {"say", "tell", "add", "state", "note", "write", "report", "explain", "describe", "mention",
             "comment", "remark", "reply", "respond", "think", "believe", "know", "see", "consider", "be", "have"}
# Light verbs whose object noun carries the event ("hold talks", "launch an attack").
LIGHT_VERBS = {"hold", "launch", "conduct", "carry", "stage", "open", "begin", "start", "make", "issue",
               "impose", "sign", "reach", "give", "provide", "send", "announce", "order", "lead", "mount",
               "levy", "file", "enter", "have"}
NO_EVENT_COMPLEMENTS = {"comment", "speculate", "elaborate", "answer", "respond", "confirm", "say", "discuss", "disclose", "specify"}
NOT_PARTIES = {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
# Event nouns that are an event only as a light verb's object ("sent troops",
# "cut ties", "gave aid"): on their own they name participants or standing
# relations ("Russian troops attacked", "Germany's ties with Russia").
OBJECT_ONLY_NOUNS = {"troop", "tie", "relation", "aid", "assistance", "help", "support", "fund", "funding",
                     "fire", "access", "permission", "warrant", "charge", "fine", "call", "war", "exercise"}
ACTOR_ENTS = {"NORP", "GPE", "ORG", "PERSON"}
NOMINAL_TARGET_PREPS = {"of", "against", "on", "with", "into", "in"}
# Prepositions by which a thing names a party ("trade with Australia", "the release of Navalny").
PARTY_PREPS = {"with", "against", "on", "of", "to"}
TARGET_PREPS = {"to", "against", "with", "on", "for", "toward", "towards", "into", "at", "upon", "from"}


@dataclass
class Candidate:
    trigger: object  # spaCy Token: the event word
    source: Optional[Offsets]
    target: Optional[Offsets]
    source_token: object = None  # head token of the source phrase (for coreference)
    target_token: object = None
    offered: bool = False  # the trigger is an offer/intent predicate
    event_noun: object = None  # the light verb's event noun ("imposed *sanctions*"), whose lexicon types count

    @property
    def anchor(self):
        """The word whose lexicon entry gives the candidate's possible types."""
        return self.event_noun if self.event_noun is not None else self.trigger


def text_of(doc) -> str:
    """``doc.text``, computed once per doc: spaCy joins every token's text on
    each access, and the coder reads it for every mention."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def sentence_of(tok):
    """The sentence (a Span) holding a token. spaCy's ``Token.sent`` walks the
    sentences on every call; the coder asks thousands of times per article,
    so the bounds are computed once per doc and found by bisection."""
    doc = tok.doc
    bounds = doc.user_data.get(_SENT_BOUNDS)
    if bounds is None:
        bounds = [s.start for s in doc.sents]
        doc.user_data[_SENT_BOUNDS] = bounds
    k = bisect_right(bounds, tok.i) - 1
    end = bounds[k + 1] if k + 1 < len(bounds) else len(doc)
    return doc[bounds[k] : end]


def span_of(tok, drop: frozenset[str] = frozenset({"relcl", "acl", "advcl", "appos", "punct", "case"})) -> Offsets:
    """Character span of a noun phrase: the head with its modifiers and conjuncts,
    without relative clauses and trailing appositions."""
    def keep(c) -> bool:  # "president of Belarus" keeps its "of"; "troops in Belarus" loses "in"
        return c.dep_ not in drop and (c.dep_ != "prep" or c.lower_ == "of")

    toks = [tok]
    stack = [c for c in tok.children if keep(c)]
    while stack:
        t = stack.pop()
        toks.append(t)
        stack += [c for c in t.children if keep(c)]
    sent = sentence_of(tok)
    toks = [t for t in toks if sent.start <= t.i < sent.end]
    lo = min(t.idx for t in toks)
    hi = max(t.idx + len(t) for t in toks)
    text = text_of(tok.doc)
    while hi > lo and text[hi - 1] in ",;:.'\"”’ ":
        hi -= 1
    return lo, hi


def _owner(tok):
    """The possessor of a thing-noun ("Lukashenko's victory" -> Lukashenko)."""
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ in ("PROPN", "PRON"):
                return c
    return tok


def _relative(tok) -> bool:
    """A relative or demonstrative pronoun ("who", "that"), or a time or an
    amount ("on Friday", "for ten days"): it names no party."""
    if tok.ent_type_ in NOT_PARTIES:
        return True
    return tok.tag_ in ("WDT", "WP", "WP$") or (tok.pos_ == "PRON" and tok.lower_ in ("that", "which", "this", "it"))


def phrasal(tok) -> Optional[str]:
    """The lexicon's phrasal verb this verb heads ("stepped down" -> "step down"), if any."""
    if tok.pos_ != "VERB":
        return None
    for c in tok.children:
        if c.dep_ in ("prt", "prep", "advmod"):
            key = f"{tok.lemma_.lower()} {c.lower_}"
            if key in lexicon()["phrasal"]:
                return key
    return None


def is_trigger(tok) -> bool:
    lem = tok.lemma_.lower()
    if lem in REPORTING:
        return False
    if tok.pos_ in ("VERB", "ADJ") and lem in lexicon()["verb"]:
        return tok.pos_ == "VERB" or lem in OFFER_LEMMAS
    return phrasal(tok) is not None


def _light_object(tok):
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in LIGHT_VERBS:
        return None
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in lexicon()["noun"]:
            return c
    return None


def _subject(tok):
    """(subject, passive subject) of a verb, inherited through xcomp/acomp/conj
    chains. The subject of a passive is its "by" agent, when it has one."""
    for _ in range(4):
        passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        for c in tok.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c, passive
            if c.dep_ == "agent":
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return obj, passive
        if passive is not None:
            return None, passive
        if tok.dep_ not in ("xcomp", "acomp", "conj") or tok.head.i == tok.i:
            break
        tok = tok.head
    return None, None


def _target(tok, skip: int | None):
    for c in tok.children:
        if c.i == skip:
            continue
        if c.dep_ in ("dobj", "dative"):
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.i != skip:
                return obj
    for c in tok.children:  # "ready to allow Russian troops": the offered act's object
        if c.dep_ == "xcomp":
            return _target(c, skip)
    return None


def _empty_refusal(tok) -> bool:
    """"declined to comment": refusing to speak is not an event."""
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in NO_EVENT_COMPLEMENTS for c in tok.children)


def find(doc, sentences=None) -> list[Candidate]:
    """The event candidates of a parsed document, in text order."""
    out: list[Candidate] = []
    for sent in sentences if sentences is not None else doc.sents:
        inside_offer: set[int] = set()
        for tok in sent:
            if tok.i in inside_offer:
                continue
            obj = _light_object(tok)  # "imposed sanctions on Russia": the target is Russia, not the sanctions
            if not is_trigger(tok) and obj is None:
                nominal = _nominal(tok)
                if nominal is not None:
                    out.append(nominal)
                continue
            if _empty_refusal(tok):
                continue
            offered = tok.lemma_.lower() in OFFER_LEMMAS
            if offered:
                inside_offer |= {c.i for x in tok.children if x.dep_ == "xcomp" for c in x.subtree}
            out.append(_candidate(tok, offered, obj))
    return out


def _nominal(tok) -> Optional[Candidate]:
    """An event noun that names its own actor: "Russia's invasion of Ukraine",
    "Turkish airstrikes", "the attack, reportedly conducted by the Taliban".
    Event nouns under a light verb ("launched an attack") are the verb's."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in lexicon()["noun"] or tok.lemma_.lower() in OBJECT_ONLY_NOUNS:
        return None
    if tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in LIGHT_VERBS:
        return None
    src = next((c for c in tok.children if c.dep_ == "poss"), None)
    if src is None:
        src = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ACTOR_ENTS), None)
    if src is None:
        for c in tok.children:
            agent = next((g for g in c.children if g.dep_ == "agent"), None) if c.dep_ == "acl" else None
            src = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else src
    if src is None or _relative(src):
        return None
    tgt = _noun_target(tok)
    tgt = None if tgt is None or _relative(tgt) else _owner(tgt)
    return Candidate(trigger=tok, source=span_of(src), target=span_of(tgt) if tgt is not None else None,
                     source_token=src, target_token=tgt)


def _noun_target(noun, preps: frozenset[str] | set[str] = frozenset()):
    """The party an event noun names with a preposition ("sanctions on Russia")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in (preps or NOMINAL_TARGET_PREPS):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def _candidate(tok, offered: bool, event_noun) -> Candidate:
    subj, passive = _subject(tok)
    if passive is not None and event_noun is not None and passive.i == event_noun.i:
        passive = None  # "sanctions were imposed on Russia": the noun is the event, not its target
    if passive is not None:
        src_tok, tgt_tok = subj, passive  # "the rebels are backed by Iran"
        if subj is None and tok.lemma_.lower() in SELF_MOVERS:  # "troops will be deployed": the forces act
            src_tok, tgt_tok = passive, None
    else:
        src_tok, tgt_tok = subj, _target(tok, event_noun.i if event_noun is not None else None)
        if tgt_tok is None and event_noun is not None:  # "imposed sanctions on Russia"
            tgt_tok = _noun_target(event_noun)
        elif tgt_tok is not None and tgt_tok.pos_ == "NOUN" and not tgt_tok.ent_type_:
            # a thing, not a party: "cut off trade with Australia", "called for the release of Navalny"
            tgt_tok = _noun_target(tgt_tok, PARTY_PREPS) or tgt_tok
    src_tok = None if src_tok is None or _relative(src_tok) else src_tok
    tgt_tok = None if tgt_tok is None or _relative(tgt_tok) else _owner(tgt_tok)
    return Candidate(
        trigger=tok,
        source=span_of(src_tok) if src_tok is not None else None,
        target=span_of(tgt_tok) if tgt_tok is not None else None,
        source_token=src_tok,
        target_token=tgt_tok,
        offered=offered,
        event_noun=event_noun,
    )


# Verbs whose passive subject is the force that moves ("units will be deployed").
SELF_MOVERS = {"deploy", "station", "mobilize", "mobilise", "mass", "amass", "move", "redeploy", "send"}


def at(doc, start: int, end: int) -> Optional[Candidate]:
    """The candidate for a given trigger span (evaluation on labelled mentions):
    its first trigger word, else its syntactic head, coded as ``find`` would."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    for tok in span:
        if is_trigger(tok):
            return _candidate(tok, tok.lemma_.lower() in OFFER_LEMMAS, None)
        nominal = _nominal(tok)
        if nominal is not None:
            return nominal
        obj = _light_object(tok)
        if obj is not None:
            return _candidate(tok, False, obj)
    head = span.root
    return _nominal(head) or _candidate(head, False, None)
