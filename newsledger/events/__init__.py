"""PLOVER event coding (issue 4; docs/events.md).

The coder, in the order it runs (``coder.code``, the spaCy component
``newsledger_events``):

- ``candidates``: trigger words with their source and target phrases;
- ``speech``: quotes whose own words disapprove (ACCUSE by the speaker);
- ``actors`` (+ ``actor_lexicon``): a mention to a country/organisation code
  and a PLOVER sector;
- ``typing_``: the type, the classifier held to the trigger's lexicon entry;
  ``classify`` (+ ``features``, ``train``): the event-type classifier of a
  (sentence, source, target) pair, weights in ``data/event_classifier.json``;
- ``modes``: auxiliary and PLOVER modes, contexts, the stated date;
- ``plover``: the ontology tables (types, quads, scores, CAMEO codes).

After storage: ``fold`` groups the stored mentions of one event (the rule is
``same_event``), and ``export`` writes GDELT 2.0 TSV and PLOVER JSONL.
"""
