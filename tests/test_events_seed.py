"""The seed article's events: issue 4's golden test.

The hand-made expectations in shared/gold/seed_article.expected.json name each
event by type, actor code and modes. Every non-optional one must be coded
with that type, actor code and (at least) those modes; its "time", when
given, is the event's date. Nothing may record an actual MOBILIZE or ASSAULT
(the conditional deployment and the combine-harvester joke are hypothetical).
The no-../shared part checks the same facts written out here, so it runs
everywhere.
"""

from __future__ import annotations

import json

import pytest

from tests.test_seed_golden import seed_article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def events(nlp_extractor):
    article = seed_article()
    record = next(nlp_extractor.extract([article]))[1]
    return article, record.events


def _code(actor: str | None) -> str | None:
    return actor.split()[0].split("/")[0] if actor else None


def _find(events, kind: str, actor_code: str | None, modes: list[str], time: str | None = None):
    for e in events:
        codes = {a.code for a in e.actor}
        if e.type == kind and (actor_code is None or actor_code in codes) and set(modes) <= set(e.modes):
            if time is None or e.date == time:
                return e
    return None


def _summary(events) -> str:
    return "\n".join(f"{e.type} {e.modes} {[a.code for a in e.actor]}->{[a.code for a in e.recipient]} {e.trigger.text!r}"
                     for e in events)


def test_seed_events_written_out(events):
    article, evs = events
    assert _find(evs, "AGREE", "BLR", []), _summary(evs)
    mobilize = _find(evs, "MOBILIZE", "RUS", ["hypothetical"])
    assert mobilize is not None, _summary(evs)
    assert "troops" in mobilize.modes
    assert mobilize.quote is not None  # said by Lukashenko: his claim, not the outlet's
    assert _find(evs, "ACCUSE", "BLR", []), _summary(evs)
    reject = _find(evs, "REJECT", "UKR", ["historical"], "2020")
    assert reject is not None, _summary(evs)
    assert "BLR" in {a.code for a in reject.recipient}


def test_seed_no_actual_mobilize_or_assault(events):
    _, evs = events
    for e in evs:
        if e.type in ("MOBILIZE", "ASSAULT"):
            assert "hypothetical" in e.modes, _summary([e])


def test_seed_offer_is_a_real_agree(events):
    _, evs = events
    agrees = [e for e in evs if e.type == "AGREE" and "BLR" in {a.code for a in e.actor}]
    assert agrees and all("hypothetical" not in e.modes for e in agrees), _summary(agrees)


def test_seed_event_evidence(events):
    article, evs = events
    text = article.text
    for e in evs:
        assert text[e.trigger.start : e.trigger.end] == e.trigger.text
        assert e.sentence.start <= e.trigger.start < e.sentence.end
        for a in e.actor + e.recipient:
            assert e.sentence.start <= a.mention.start <= a.mention.end <= e.sentence.end or a.entity is not None
        assert e.coder and 0.0 <= e.confidence <= 1.0


def test_seed_expected_events(shared, events):
    expected = json.loads((shared / "gold" / "seed_article.expected.json").read_text(encoding="utf-8"))
    _, evs = events
    for want in expected["events"]:
        if want.get("optional"):
            continue
        got = _find(evs, want["type"], _code(want["actor"]), want.get("modes", []), want.get("time"))
        assert got is not None, f"missing {want['type']} by {want['actor']} {want.get('modes')}:\n{_summary(evs)}"
    for rule in expected.get("must_not", []):
        for e in evs:
            if e.type == rule["type"]:
                assert rule["unless_modes_include"] in e.modes, f"{rule['why']}: {_summary([e])}"
