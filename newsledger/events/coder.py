"""The PLOVER event coder: sentences in, events with actors, modes and evidence out.

The flow for one parsed article (``code``):

1. **candidates** (``candidates.find``): trigger words of the PLOVER lexicon
   with their source and target phrases;
1b. **statements** (``speech``): a quote whose own words disapprove is an
   ACCUSE by its speaker;
2. **actors** (``actors.resolve``): each phrase (or the entity a pronoun
   refers to) becomes an Actor with a country/organisation code and a sector;
   a candidate whose source has no code is dropped (``no_coded_actor``:
   PLOVER does not code events without a named actor);
3. **type** (``typing_``): the PLOVER type of what the source does to the
   target, the classifier's choice among the types the trigger's lexicon
   entry allows, with its probability as confidence;
4. **modes and contexts** (``modes``): negation (or the type a refusal is),
   hypothetical, future, historical with the stated year; PLOVER modes and
   sentence contexts;
5. **evidence**: trigger, sentence and mention spans, and the quote the event
   was stated in (then it is the speaker's claim, not the outlet's).

Dropped candidates are counted by reason in ``Coded.dropped`` (logged).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from newsledger.events import candidates as cands
from newsledger.events import modes as md
from newsledger.events import plover, speech
from newsledger.events import typing_
from newsledger.records import Actor, Event, Mention, Quote, Span

log = logging.getLogger(__name__)

CODER = "newsledger-events 1"
CODEBOOK = "PLOVER (manual @ 5e0c24f, 2024)"
# PLOVER types that need a recipient (the manual's "recipient required").
NEEDS_RECIPIENT = {"COOPERATE", "AID", "SANCTION"}


@dataclass
class Coded:
    events: list[Event] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)


def version() -> str:
    from newsledger.events import classify

    return f"{CODER} ({classify.version()}); {CODEBOOK}"


def code(doc, entities, quotes: list[Quote], coref_links: dict[int, int], published: Optional[str] = None,
         minilm: bool = False) -> Coded:
    """Code the events of one parsed article (``doc.text`` is the article text)."""
    from newsledger.events import classify

    out = Coded()
    found = []
    year = _year(published)
    for c in cands.find(doc):  # 1. candidates
        src = _actor(doc, c.source, c.source_token, entities, coref_links, year)  # 2. actors
        tgt = _actor(doc, c.target, c.target_token, entities, coref_links, year)
        if src is None or not src.code:  # PLOVER codes no event without a named actor
            out.dropped["no_coded_actor"] += 1
            continue
        found.append((c, src, tgt))
    out.events += _statements(doc, entities, quotes, coref_links, published)  # 1b. disapproving quotes
    if not found:
        return out
    pairs = [classify.Pair(cands.text_of(doc), c.source, c.target) for c, _, _ in found]  # 3. type
    aux = [md.auxiliary(c.trigger, c.offered, published) for c, _, _ in found]  # 4. modes (before the type: see typing_)
    unreal = [bool({"future", "hypothetical"} & set(m)) for m, _ in aux]
    preds = typing_.predict(doc, pairs, [c.trigger for c, _, _ in found], unreal, minilm,
                            anchors=[c.anchor for c, _, _ in found])
    version_text = version()
    for (c, src, tgt), pred, (modes, year) in zip(found, preds, aux):
        event = _event(doc, c, src, tgt, pred, (list(modes), year), quotes, version_text, out.dropped)
        if event is not None:
            out.events.append(event)
    if out.dropped:
        log.debug("events dropped: %s", dict(out.dropped))
    return out


def code_at(doc, entities, quotes: list[Quote], coref_links: dict[int, int], start: int, end: int,
            published: Optional[str] = None) -> Optional[Event]:
    """The event a given trigger span expresses, with no gate: for scoring the
    later stages (folding) on hand-labelled mentions, as PLV gives its pairs."""
    from newsledger.events import classify

    c = cands.at(doc, start, end)
    if c is None:
        return None
    src = _actor(doc, c.source, c.source_token, entities, coref_links, _year(published))
    tgt = _actor(doc, c.target, c.target_token, entities, coref_links, _year(published))
    modes, year = md.auxiliary(c.trigger, c.offered, published)
    pair = classify.Pair(cands.text_of(doc), c.source, c.target)
    pred = typing_.predict(doc, [pair], [c.trigger], [bool({"future", "hypothetical"} & set(modes))],
                           anchors=[c.anchor])[0]
    if pred is None:
        pred = classify.predict([pair], docs=[doc], minilm=False)[0]
    return _event(doc, c, src, tgt, pred, (modes, year), quotes, version(), Counter(), gate=False)


def _event(doc, c: cands.Candidate, src, tgt, pred, aux_year, quotes, version_text, dropped, gate: bool = True) -> Optional[Event]:
    if pred is None:
        dropped["unsure_type"] += 1
        return None
    kind, confidence = pred.type, pred.confidence
    aux, year = aux_year
    if "negation" in aux and c.trigger.lemma_.lower() in md.NEGATED_TYPES:
        kind = md.NEGATED_TYPES[c.trigger.lemma_.lower()]
        aux.remove("negation")
    if gate and kind in NEEDS_RECIPIENT and (tgt is None or not tgt.code):
        dropped["no_recipient"] += 1
        return None
    sent = cands.sentence_of(c.trigger)
    target_tokens = [t for t in sent if c.target and c.target[0] <= t.idx < c.target[1]]
    own = md.plover_modes(kind, c.trigger, target_tokens)
    trig = c.trigger
    return Event(
        type=kind,
        modes=own + aux,
        contexts=md.contexts(sent),
        quad=plover.quad(kind),
        score=plover.score(kind, own[0] if own else None),
        actor=[src] if src is not None else [],
        recipient=[tgt] if tgt is not None else [],
        trigger=Mention(trig.idx, trig.idx + len(trig), trig.text),
        sentence=Span(sent.start_char, sent.end_char),
        quote=_quote_of(trig.idx, quotes),
        confidence=round(confidence, 4),
        date=year,
        coder=version_text,
    )


def _statements(doc, entities, quotes, coref_links, published) -> list[Event]:
    """ACCUSE events of speakers whose quoted words disapprove (``speech``)."""
    from newsledger.events import actors

    out = []
    for st in speech.find(doc, quotes):
        q = quotes[st.quote]
        m = q.speaker.mention
        if m is None:
            continue
        speaker = actors.resolve(doc, m.start, m.end, entities, q.speaker.entity, year=_year(published))
        if not speaker.code:
            continue
        tgt = None
        if st.target_token is not None:
            tgt = _actor(doc, cands.span_of(st.target_token), st.target_token, entities, coref_links, _year(published))
        aux, year = md.auxiliary(st.trigger, False, published)
        trig, sent = st.trigger, cands.sentence_of(st.trigger)
        out.append(Event(
            type="ACCUSE", modes=["disapprove"] + aux, contexts=md.contexts(sent), quad=plover.quad("ACCUSE"),
            score=plover.score("ACCUSE", "disapprove"), actor=[speaker], recipient=[tgt] if tgt is not None else [],
            trigger=Mention(trig.idx, trig.idx + len(trig), trig.text), sentence=Span(sent.start_char, sent.end_char),
            quote=st.quote, confidence=speech.CONFIDENCE, date=year, coder=version(),
        ))
    return out


def _actor(doc, span, head, entities, coref_links, year: Optional[int] = None) -> Optional[Actor]:
    if span is None:
        return None
    from newsledger.events import actors

    entity = _entity_of(head, entities, coref_links) if head is not None else None
    return actors.resolve(doc, span[0], span[1], entities, entity, year=year)


def _year(published: Optional[str]) -> Optional[int]:
    """The publication year, which dated actor rows are read against (actors.resolve)."""
    return int(published[:4]) if published and published[:4].isdigit() else None


def _entity_of(tok, entities, coref_links) -> Optional[int]:
    if tok.idx in coref_links:
        return coref_links[tok.idx]
    for i, e in enumerate(entities):
        if any(m.start <= tok.idx < m.end for m in e.mentions):
            return i
    return None


def _quote_of(offset: int, quotes: list[Quote]) -> Optional[int]:
    for i, q in enumerate(quotes):
        if any(s.start <= offset < s.end for s in q.segments):
            return i
    return None
