"""newsledger's spaCy components, registered by name with what they read and write.

Order (checked by spaCy's analyze_pipes when the pipeline is built):
    ... ner -> newsledger_entities -> newsledger_coref -> newsledger_quotes -> newsledger_events
        -> newsledger_times -> newsledger_places

The article's publication date, which event modes are read against, travels
in ``doc.user_data["published"]`` (set by Extractor; absent means unknown).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.nlp import coref
from newsledger.nlp.entities import build_entities
from newsledger.nlp.quotes.direct import find_marked
from newsledger.nlp.quotes.indirect import find_indirect
from newsledger.nlp.quotes import ranker
from newsledger.nlp.quotes.common import TokenIndex
from newsledger.nlp.quotes.marks import find_quotes
from newsledger.nlp.quotes.sources import widen_speakers
from newsledger.nlp.quotes.speakers import resolve
from newsledger.nlp.quotes.transcript import find_turns, outside_turns

for _name in ("nl_entities", "nl_coref", "nl_quotes", "nl_events", "nl_times", "nl_places"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component(
    "newsledger_entities",
    requires=["doc.ents", "token.pos", "token.dep"],
    assigns=["doc._.nl_entities"],
)
def entities_component(doc: Doc) -> Doc:
    doc._.nl_entities = build_entities(doc)
    return doc


@Language.component(
    "newsledger_coref",
    requires=["doc._.nl_entities", "token.pos", "token.dep"],
    assigns=["doc._.nl_coref"],
)
def coref_component(doc: Doc) -> Doc:
    doc._.nl_coref = coref.resolve(doc, doc._.nl_entities)
    return doc


@Language.component(
    "newsledger_quotes",
    requires=["doc._.nl_entities", "doc._.nl_coref", "token.dep", "token.lemma"],
    assigns=["doc._.nl_quotes"],
)
def quotes_component(doc: Doc) -> Doc:
    idx = TokenIndex(doc)  # one copy of the text and token offsets for every stage
    quotes = find_quotes(idx.text)
    turns = find_turns(idx.text)
    marked = outside_turns(find_marked(doc, quotes, idx), turns)
    top = [(q.open, q.close) for q in quotes if q.depth == 0]
    ranker.set_annotations(marked, ranker.predict(doc, idx, marked, top))
    marked = sorted(marked + turns, key=lambda d: d.start)
    widen_speakers(doc, marked, idx)  # the speaker mention's full noun phrase, as PolNeAR bounds sources
    drafts = marked + find_indirect(doc, marked, idx, top)
    doc._.nl_quotes = resolve(drafts, doc._.nl_entities, idx.text, doc._.nl_coref)
    return doc


@Language.component(
    "newsledger_events",
    requires=["doc._.nl_entities", "doc._.nl_coref", "doc._.nl_quotes", "token.dep", "token.lemma"],
    assigns=["doc._.nl_events"],
)
def events_component(doc: Doc) -> Doc:
    from newsledger.events import coder

    coded = coder.code(doc, doc._.nl_entities, doc._.nl_quotes, doc._.nl_coref.links, doc.user_data.get("published"))
    doc._.nl_events = sorted(coded.events, key=lambda e: (e.trigger.start, e.type))
    return doc


@Language.component(
    "newsledger_times",
    requires=["doc.ents", "doc._.nl_quotes", "doc._.nl_events", "token.dep"],
    assigns=["doc._.nl_times"],
)
def times_component(doc: Doc) -> Doc:
    """Time expressions, and the date of each quote (when its clause gives one) and
    each event (its own clause's date, else the publication date, marked)."""
    from newsledger.nlp import dating, timex

    published = doc.user_data.get("published")
    doc._.nl_times = timex.find_times(doc, published)
    dating.date_quotes(doc, doc._.nl_quotes, doc._.nl_times)
    dating.date_events(doc._.nl_events or [], published)
    return doc


@Language.component(
    "newsledger_places",
    requires=["doc.ents", "doc._.nl_events", "token.dep"],
    assigns=["doc._.nl_places"],
)
def places_component(doc: Doc) -> Doc:
    """Toponyms resolved over the local gazetteer; each event's location."""
    from newsledger.geo.gazetteer import shared_gazetteer
    from newsledger.nlp import places

    gaz = shared_gazetteer()
    doc._.nl_places = places.places(doc, gaz)
    places.locate(doc, doc._.nl_events or [], doc._.nl_places)
    return doc


PIPELINE = ("newsledger_entities", "newsledger_coref", "newsledger_quotes", "newsledger_events", "newsledger_times",
            "newsledger_places")


def add_components(nlp: Language) -> Language:
    for name in PIPELINE:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp
