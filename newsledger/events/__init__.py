"""PLOVER event coding (issue 4): the ontology tables and the event-type classifier.

- ``plover``: the 16 PLOVER types, their quads, conflict-cooperation scores,
  modes, CAMEO codes and PLV's 15-class names, from ``data/*.tsv``.
- ``features``: parse features of a (sentence, source, target) pair.
- ``classify``: ``predict(pairs) -> [Prediction(type, confidence)]`` from the
  weights in ``data/event_classifier.json`` (numpy only; MiniLM optional).
- ``train``: fitting, for ``scripts/train_event_classifier.py`` and the
  cross-validation in ``newsledger/evaluation/plv.py`` (scikit-learn).
"""
