"""Events in the ledger: storage, the folding pass, `newsledger events`, GDELT and PLOVER export.

The records are hand-made (no coder, no spaCy): five short articles, twelve
mentions. What the folding rule (``newsledger/events/same_event.py``) must do
with them: the RUS->UKR ASSAULT reported by two outlets on the same day is
one event (same type, a shared participant name); "Russia attacked Ukraine
again" the next day is not (a repeat folds across articles only when both
dates are stated); a hypothetical MOBILIZE stated in a quote, a negated
ASSAULT and a historical REJECT dated 2020 stay alone; two undated reports
of one attack fold; the uncoded "Gunmen attacked a village." of two outlets
stays apart (only coded or entity-linked participants give names to fold on,
``fold._named``, and "Gunmen" is neither). One result of the rule is wrong
for this corpus and is kept as a strict xfail
(``test_known_misfold_a_visit_to_moscow_and_a_meeting_there_fold``):
"Lukashenko visited Moscow" / "Lukashenko met Putin in Moscow" do not fold
(a place and a person count as differing named recipients).

So the twelve mentions are ten events today: two folds (the RUS->UKR ASSAULT
of a and b, the undated ASSAULT of d and e), both across articles. Once the
CONSULT misfold is fixed they are nine events, three folds.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from newsledger.article import Article
from newsledger.cli.main import app
from newsledger.events import fold
from newsledger.events import same_event as rule
from newsledger.events.export import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS, global_event_id
from newsledger.records import Actor, Cue, Event, Mention, Quote, Record, Span, Speaker
from newsledger.settings import Settings
from newsledger.store import queries, writer
from newsledger.store.export import ExportError, export
from newsledger.store.ledger import open_ledger


def _at(text: str, surface: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface))


def _sentence(text: str, at: int) -> Span:
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(".", at)
    return Span(start, end + 1)


def event(text, type, trigger, actor=(), recipient=(), modes=(), date=None, quote=None, nth=0):
    """An Event from surface strings; actor/recipient items are (surface, name, code, sector[, nth])."""
    t = _at(text, trigger, nth)

    def side(items):
        return [Actor(item[1], item[2], item[3], _at(text, item[0], *item[4:])) for item in items]

    from newsledger.events import plover
    mode = next((m for m in modes if m not in plover.AUXILIARY_MODES), None)
    return Event(type=type, modes=list(modes), contexts=["military"] if plover.quad(type) == 4 else [],
                 quad=plover.quad(type), score=plover.score(type, mode), actor=side(actor), recipient=side(recipient),
                 trigger=Mention(t.start, t.end, trigger), sentence=_sentence(text, t.start), quote=quote,
                 confidence=0.8, date=date, coder="test-coder 0; PLOVER 2024")


RUS, UKR = ("Russia", "Russia", "RUS", "GOV"), ("Ukraine", "Ukraine", "UKR", None)
A1 = ('Russia attacked Ukraine on Thursday. "Russian troops will be deployed in case of war," Lukashenko said. '
      'Lukashenko visited Moscow. Gunmen attacked a village.')
A2 = "Russian forces attacked Ukraine. Gunmen attacked a village. Lukashenko met Putin in Moscow."
A3 = ("Russia attacked Ukraine again. Ukraine did not recognise the 2020 election of Lukashenko. "
      "Russia did not attack Ukraine.")
A4 = "Russia attacked Ukraine."
A5 = "Russian jets attacked Ukraine."


def _quote(text: str) -> Quote:
    c, s = _at(text, "Russian troops will be deployed in case of war"), _at(text, "Lukashenko")
    cue = _at(text, "said")
    return Quote("direct", Mention(c.start, c.end, c.text_of(text)), [c], Cue(cue.start, cue.end, "said", "say"),
                 Speaker("Lukashenko", None, Mention(s.start, s.end, "Lukashenko")))


def corpus() -> list[tuple[Article, Record]]:
    arts = [
        Article.from_text(A1, date="2022-02-24", url="https://one.example/a", outlet="One", origin="a.txt"),
        Article.from_text(A2, date="2022-02-24T09:30:00Z", url="https://two.example/b", outlet="Two", origin="b.txt"),
        Article.from_text(A3, date="2022-02-25", url="https://one.example/c", outlet="One", origin="c.txt"),
        Article.from_text(A4, origin="d.txt"),
        Article.from_text(A5, origin="e.txt"),
    ]
    blr = ("Lukashenko", "Alexander Lukashenko", "BLR", "GOV")
    events = [
        [event(A1, "ASSAULT", "attacked", [RUS], [UKR]),
         event(A1, "MOBILIZE", "deployed", [("Russian troops", "Russian troops", "RUS", "MIL")], [],
               ["troops", "hypothetical"], quote=0),
         event(A1, "CONSULT", "visited", [("Lukashenko", "Alexander Lukashenko", "BLR", "GOV", 1)],
               [("Moscow", "Russia", "RUS", "GOV")], ["visit"]),
         event(A1, "ASSAULT", "attacked", [("Gunmen", "Gunmen", None, "UAF")], [("village", "village", None, None)],
               nth=1)],
        [event(A2, "ASSAULT", "attacked", [("Russian forces", "Russian forces", "RUS", "MIL")], [UKR]),
         event(A2, "ASSAULT", "attacked", [("Gunmen", "Gunmen", None, "UAF")], [], nth=1),
         event(A2, "CONSULT", "met", [blr], [("Putin", "Vladimir Putin", "RUS", "GOV")])],
        [event(A3, "ASSAULT", "attacked", [RUS], [UKR]),
         event(A3, "REJECT", "recognise", [(*UKR, 1)], [blr], ["historical"], date="2020"),
         event(A3, "ASSAULT", "attack", [(*RUS, 1)], [(*UKR, 2)], ["negation"], nth=1)],
        [event(A4, "ASSAULT", "attacked", [RUS], [UKR])],
        [event(A5, "ASSAULT", "attacked", [("Russian jets", "Russian jets", "RUS", "MIL")], [UKR])],
    ]
    quotes = [[_quote(A1)], [], [], [], []]
    return [(a, Record(id=a.id, language="en", quotes=q, events=e)) for a, q, e in zip(arts, quotes, events)]


def write_all(ledger, pairs, fold_each=False):
    run = writer.start_run(ledger, Settings(), None, [])
    for art, rec in pairs:
        assert writer.write_article(ledger, art, rec, run)
        if fold_each:
            fold.fold(ledger)
    return fold.fold(ledger)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ev.duckdb"
    with open_ledger(path) as led:
        write_all(led, corpus())
    return path


# -- storage --------------------------------------------------------------------------


def test_migration_adds_the_event_tables(tmp_path):
    with open_ledger(tmp_path / "l.duckdb") as led:
        names = {r[0] for r in led.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"events", "event_actors", "event_groups"} <= names
        assert "0005_events" in {r[0] for r in led.execute("SELECT name FROM schema_migrations").fetchall()}
        counts = queries.table_counts(led)
    assert counts["events"] == counts["event_actors"] == counts["event_groups"] == 0


def test_events_round_trip_with_offsets_quotes_and_actors(db):
    with open_ledger(db, read_only=True) as led:
        rows = led.rows("SELECT e.*, a.text FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.id")
        actors = led.rows("SELECT ea.*, a.text FROM event_actors ea JOIN events e ON e.id = ea.event_id"
                          " JOIN articles a ON a.id = e.article_id")
        quote_ids = {r["id"] for r in led.rows("SELECT id FROM quotes")}
    assert len(rows) == 12
    for r in rows:
        assert r["text"][r["trigger_start"]:r["trigger_end"]] == r["trigger_text"]
        assert r["text"][r["sentence_start"]:r["sentence_end"]].endswith(".")
        assert r["id"] == writer.event_id(r["article_id"], r["idx"]) and r["group_id"]
        assert r["coder"] == "test-coder 0; PLOVER 2024"
    for a in actors:
        assert a["text"][a["mention_start"]:a["mention_end"]] == a["mention_text"]
    mobilize = next(r for r in rows if r["type"] == "MOBILIZE")
    assert mobilize["modes"] == ["troops", "hypothetical"] and mobilize["quote_id"] in quote_ids
    assert next(r for r in rows if r["type"] == "REJECT")["date"] == "2020"
    assert {a["role"] for a in actors} == {"actor", "recipient"}
    assert {a["code"] for a in actors} == {"RUS", "UKR", "BLR", None}


def test_a_failed_article_leaves_no_events(tmp_path, monkeypatch):
    def boom(*a):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_insert_events", boom)
    with open_ledger(tmp_path / "l.duckdb") as led:
        run = writer.start_run(led, Settings(), None, [])
        art, rec = corpus()[0]
        with pytest.raises(RuntimeError):
            writer.write_article(led, art, rec, run)
        counts = queries.table_counts(led)
    assert counts["articles"] == counts["events"] == counts["event_actors"] == 0


# -- folding --------------------------------------------------------------------------


def _snapshot(path):
    with open_ledger(path, read_only=True) as led:
        groups = led.rows("SELECT * FROM event_groups ORDER BY id")
        members = led.rows("SELECT id, group_id FROM events ORDER BY id")
    return groups, members


def test_folding_gives_the_same_groups_whatever_the_order(db, tmp_path):
    reverse = tmp_path / "reverse.duckdb"
    with open_ledger(reverse) as led:
        counts = write_all(led, list(reversed(corpus())), fold_each=True)  # fold after every article, too
        assert fold.fold(led)["regrouped"] == 0  # a second pass changes nothing
    assert _snapshot(reverse) == _snapshot(db)
    # 12 mentions, 1 fold: the RUS->UKR ASSAULT of a and b. The undated ASSAULTs of d and e stay apart
    # (two undated articles may be years apart: undated mentions fold only within one article); the
    # gunmen of a and b stay apart (no name to fold on); the CONSULT of a and b should fold but does not
    # (test_known_misfold_*): once fixed, (12, 10, 2, 2).
    assert (counts["mentions"], counts["events"], counts["folded"], counts["multi_article"]) == (12, 11, 1, 1)


def _groups_by_key(db) -> dict:
    groups, _ = _snapshot(db)
    by = {}
    for g in groups:
        by.setdefault((g["type"], g["date"], g["hypothetical"], g["negated"]), []).append(g)
    return by


def test_what_folds_and_what_does_not(db):
    by = _groups_by_key(db)
    assault = by[("ASSAULT", "2022-02-24", False, False)]
    coded = next(g for g in assault if g["actor_codes"])
    assert (coded["n_mentions"], coded["n_articles"], coded["n_sources"]) == (2, 2, 2)
    assert coded["actor_codes"] == ["RUS"] and coded["recipient_codes"] == ["UKR"]
    assert coded["actor_names"] == ["Russia", "Russian forces"]  # same type, shared name "Ukraine"
    assert coded["date_stated"] is False  # both dates are their articles'
    again = by[("ASSAULT", "2022-02-25", False, False)]
    assert [g["n_mentions"] for g in again] == [1]  # "again": a new attack, not the one reported the day before
    assert by[("ASSAULT", "2022-02-25", False, True)][0]["n_mentions"] == 1  # negated: never with the fact
    mobilize = by[("MOBILIZE", "2022-02-24", True, False)][0]
    assert mobilize["n_in_quotes"] == 1 and mobilize["n_mentions"] == 1
    reject = by[("REJECT", "2020", False, False)][0]
    assert reject["date_stated"] is True and "historical" in reject["modes"] and reject["n_mentions"] == 1
    undated = by[("ASSAULT", None, False, False)]
    assert [(g["n_articles"], g["date_stated"]) for g in undated] == [(1, False), (1, False)]  # d, e: no date
    # 12 mentions - 1 fold; the two gunmen groups count separately (test_uncoded_gunmen_stay_apart)
    assert sum(len(gs) for gs in by.values()) == 11


def test_uncoded_gunmen_stay_apart(db):
    assault = _groups_by_key(db)[("ASSAULT", "2022-02-24", False, False)]
    uncoded = [g for g in assault if not g["actor_codes"]]
    # "Gunmen" has no code and no entity link, so it gives no name to fold on (fold._named); the two
    # sentences share content words but are of two articles with no proper name: never compared, two events
    assert sorted((g["n_mentions"], g["actor_names"]) for g in uncoded) == [(1, ["Gunmen"]), (1, ["Gunmen"])]
    assert len(assault) == 3  # ... and neither joins the coded RUS->UKR attack of the same day
    with open_ledger(db, read_only=True) as led:
        gunmen = [m for m in fold.load_mentions(led) if m.extra["actor_names"] == ["Gunmen"]]
    assert len(gunmen) == 2 and all(m.names == m.recipient_names == m.context == frozenset() for m in gunmen)
    # only its own article's block: never even compared with the other outlet's
    assert rule.block_keys(gunmen[0]) == [(frozenset(), "article", gunmen[0].article_id)]


@pytest.mark.xfail(strict=True, reason="known misfold: recipient 'Russia' (Moscow) and 'Vladimir Putin' count as "
                   "differing named recipients in same_event.recipients_differ")
def test_known_misfold_a_visit_to_moscow_and_a_meeting_there_fold(db):
    consult = _groups_by_key(db)[("CONSULT", "2022-02-24", False, False)]
    assert [(g["n_mentions"], g["n_articles"], g["modes"]) for g in consult] == [(2, 2, ["visit"])]


# -- the rule (same_event) ---------------------------------------------------------------

WORDS = frozenset({"russia", "ukraine", "attacked", "kharkiv", "shelling"})  # 3 not a country's >= MIN_SHARED_WORDS
FEW = frozenset({"russia", "ukraine", "attacked"})  # 1 not a country's (same_event.evidence) < MIN_SHARED_WORDS


def _m(**kw) -> fold.FoldMention:
    """A mention of "Russia attacked Ukraine", dated by its article (2022-02-24, not stated)."""
    base = dict(id="x", article_id="a", idx=0, type="ASSAULT", modes=frozenset(), actor_codes=frozenset({"RUS"}),
                recipient_codes=frozenset({"UKR"}), date="2022-02-24", date_stated=False, quad=4,
                names=frozenset({"russia", "ukraine"}), recipient_names=frozenset({"ukraine"}),
                context=frozenset({"ukraine"}), words=WORDS)
    return fold.FoldMention(**{**base, **kw})


def _same(a, b) -> bool:
    forward, backward = rule.same_event(a, b), rule.same_event(b, a)
    assert forward is backward  # symmetric
    return forward


@pytest.mark.parametrize("change,same", [
    ({}, True),
    # same story: the same type and a shared name, or enough shared words
    ({"type": "COERCE"}, True),  # another type, but 5 shared words: one event coded two ways
    ({"type": "COERCE", "words": FEW, "names": frozenset({"rus", "ukr"}), "recipient_names": frozenset(),
      "context": frozenset()}, False),  # another type, one shared word that is not a country's, no shared name
    ({"words": FEW}, True),  # same type, shared name: words are not needed
    ({"names": frozenset({"kyiv"}), "recipient_names": frozenset(), "words": FEW}, False),  # no shared name
    ({"names": frozenset(), "recipient_names": frozenset(), "words": frozenset({"attacked"})}, True),  # the dyad RUS->UKR
    ({"names": frozenset(), "recipient_names": frozenset(), "recipient_codes": frozenset(),
      "words": frozenset({"attacked"})}, False),  # one country alone
    # differing named recipients never fold, whatever else agrees
    ({"names": frozenset({"russia", "poland"}), "recipient_names": frozenset({"poland"})}, False),
    ({"recipient_names": frozenset()}, True),  # an unnamed recipient differs from nothing
    # different actors never fold: another code, or another named actor of one country
    ({"actor_codes": frozenset({"BLR"})}, False),
    ({"names": frozenset({"sanders", "ukraine"})}, False),  # "sanders" vs "russia": two named actors

    # factuality
    ({"modes": frozenset({"hypothetical"})}, False),
    ({"modes": frozenset({"negation"})}, False),
    ({"modes": frozenset({"historical", "aerial"})}, True),
    # dates (the other is 2022-02-24, its article's date)
    ({"date": "2022-03-10"}, True),  # a later undated report, 14 days on
    ({"date": "2022-03-11"}, False),  # 15 days on
    ({"date": None}, False),
    ({"date": "2022-02-20", "date_stated": True}, True),  # stated 4 days before the other's report
    ({"date": "2022-02-25", "date_stated": True}, True),  # a day after: within DATE_WINDOW_DAYS
    ({"date": "2022-02-26", "date_stated": True}, False),  # after the other article was written
    ({"date": "2022-02-09", "date_stated": True}, False),  # 15 days before it
    # "again": a repeat folds with another article's mention only when both dates are stated
    ({"repeat": True}, False),
    ({"repeat": True, "date_stated": True}, False),
    ({"repeat": True, "article_id": "a"}, True),  # within one article the guard does not apply
])
def test_same_event_rule(change, same):
    assert _same(_m(), _m(**{"id": "y", "article_id": "b", **change})) is same


def test_a_repeat_folds_across_articles_only_with_both_dates_stated():
    first = _m(date="2022-02-24", date_stated=True)
    again = _m(id="y", article_id="b", date="2022-02-25", date_stated=False, repeat=True)
    assert not _same(first, again)  # "Russia attacked Ukraine again" (reported 02-25) is a new attack
    assert _same(first, replace(again, date="2022-02-24", date_stated=True))  # both say which day: the same one
    assert not _same(first, replace(again, date="2022-02-27", date_stated=True))  # ... or not
    assert _same(first, replace(again, repeat=False))  # without "again", a next-day report is of that attack


def test_same_event_rule_without_names_or_dates():
    blank = dict(names=frozenset(), recipient_names=frozenset(), context=frozenset(), words=FEW)
    assert _same(_m(**blank), _m(id="y", article_id="b", **blank))  # the same country dyad, type and day
    lone = dict(blank, recipient_codes=frozenset())
    assert not _same(_m(**lone), _m(id="y", article_id="b", **lone))  # one country, no recipient: not enough
    assert not _same(_m(date=None), _m(id="y", article_id="b", date=None))  # two undated articles: maybe years apart
    assert _same(_m(date=None), _m(id="y", article_id="a", idx=1, date=None))  # one undated article
    assert _same(_m(date="2020", date_stated=True), _m(id="y", article_id="b", date="2020", date_stated=True))
    assert fold.effective_date(None, "2022-02-24T09:30:00Z") == ("2022-02-24", False)
    assert fold.effective_date("2020", "2022-02-24") == ("2020", True)
    assert fold.effective_date(None, "yesterday") == (None, False)


def test_rule_features_from_text():
    sentence = "Russian forces shelled Kharkiv again on Monday, President Zelensky's office said."
    assert rule.context_keys(sentence) == {"kharkiv", "zelensky"}  # not "Russian" (first word), roles, days
    # a country's name or demonym is its code, so "Russia" and "Russian forces" share one
    assert rule.name_keys(["Queen Elizabeth II", "Russian forces", None]) == {"elizabeth", "rus"}
    assert rule.name_keys(["the United States"]) == {"usa"}
    assert rule.says_repeat(sentence) and not rule.says_repeat("Russia attacked Ukraine.")
    assert rule.content_words("Russians attacked the villages and said so.") == {"russian", "attacked", "village"}


def test_mention_from_event_matches_what_the_ledger_loads(db):
    art, rec = corpus()[0]
    built = fold.mention_from_event(rec.events[0], art.id, 0, art.date, text=art.text)
    with open_ledger(db, read_only=True) as led:
        loaded = next(m for m in fold.load_mentions(led) if m.id == built.id)
    assert built == loaded  # `extra` is not compared
    assert built.names == {"rus", "ukr"} and built.recipient_names == {"ukr"}
    assert built.context == {"ukr"} and "thursday" in built.words and built.repeat is False
    bare = fold.mention_from_event(rec.events[0], art.id, 0, art.date)  # no text: no sentence features
    assert (bare.context, bare.words, bare.repeat) == (frozenset(), frozenset(), False) and bare.names == built.names


# -- components and blocks ----------------------------------------------------------------

def _ids(groups) -> list[list[str]]:
    return [[m.id for m in g] for g in groups]


def test_components_never_depend_on_input_order():
    ms = [_m(id=str(i), article_id=f"a{i}", article_date=d, date=d, names=frozenset(n), recipient_names=frozenset(),
             context=frozenset(), words=FEW)
          for i, (d, n) in enumerate([
              ("2022-01-01", {"kyiv"}), ("2022-01-10", {"kyiv"}), ("2022-01-20", {"kyiv"}),  # a chain: 0-2 is 19 days
              ("2022-03-01", {"kyiv"}),  # too late for any of them
              ("2022-01-01", {"odesa"}), (None, {"kyiv"}), (None, {"kyiv"})])]
    assert not _same(ms[0], ms[2]) and _same(ms[0], ms[1]) and _same(ms[1], ms[2])
    # 0-1 and 1-2 are equally strong: ties go by ids, so 0-1 merges first, and 1-2 would put 0 and 2
    # (19 days apart) in one group: refused (same_event.conflict). Undated mentions of two articles: never
    expected = [["0", "1"], ["4"], ["2"], ["3"], ["5"], ["6"]]
    assert _ids(fold.components(ms)) == _ids(fold.components(list(reversed(ms)))) == expected
    assert _ids(fold.components(ms[3:] + ms[:3])) == expected


def test_definite_nouns_and_earlier_events_from_text():
    assert rule.is_definite("The ") and rule.is_definite("Volker's ") and rule.is_definite("the August 2 ")
    assert not rule.is_definite("The House ") and not rule.is_definite("Germany on Monday ")
    assert rule.says_earlier("Last week a Kabul car bombing killed five.", "2019-01-24")
    assert rule.says_earlier("In 2006, Abqaiq was the target of an attack.", "2019-09-15")
    assert not rule.says_earlier("The 2020 election was stolen, they said.", "2020-12-15")


def test_anaphora_and_earlier_within_one_article():
    bare = dict(type="PROTEST", actor_codes=frozenset(), recipient_codes=frozenset(), names=frozenset(),
                recipient_names=frozenset(), context=frozenset())
    lede = _m(words=frozenset({"rallied", "plaza"}), **bare)  # "Thousands rallied at Freedom Plaza."
    back = _m(id="y", idx=1, words=frozenset({"peaceful"}), definite=True, **bare)  # "The demonstrations were peaceful."
    assert rule.evidence(lede, back) == rule.ANAPHORA_EVIDENCE and _same(lede, back)
    assert not _same(lede, replace(back, article_id="b"))  # across articles a definite noun is no evidence
    assert not _same(lede, replace(back, earlier=True))  # "Last week the attack ...": an earlier event


def test_blocks_are_per_name_and_factuality():
    m = _m(names=frozenset({"russia", "ukraine"}), context=frozenset({"kharkiv"}))
    assert rule.block_keys(m) == [(frozenset(), "article", "a"), (frozenset(), "kharkiv"), (frozenset(), "russia"),
                                  (frozenset(), "ukraine")]
    hypo = _m(modes=frozenset({"hypothetical", "troops"}), names=frozenset({"russia"}), context=frozenset())
    assert rule.block_keys(hypo) == [(frozenset({"hypothetical"}), "article", "a"), (frozenset({"hypothetical"}), "russia")]
    # words alone would fold these two, but they share no name (nor article), so they are never compared
    a = _m(names=frozenset(), recipient_names=frozenset(), context=frozenset({"kyiv"}), type="COERCE")
    b = _m(id="y", article_id="b", names=frozenset(), recipient_names=frozenset(), context=frozenset({"odesa"}))
    assert _same(a, b) and list(fold.candidate_pairs([a, b])) == []
    assert _ids(fold.components([a, b])) == [["x"], ["y"]]
    assert _ids(fold.components([a, b], block=lambda m: [m.quad])) == [["x", "y"]]  # a wider block lets them meet
    assert _ids(fold.components([a, b], block=lambda m: [m.type])) == [["x"], ["y"]]


@pytest.mark.parametrize("a,a_stated,b,b_stated,ok", [
    ("2022-01-01", True, "2022-01-01", True, True),
    ("2022-01-01", True, "2022-01-02", True, True),  # DATE_WINDOW_DAYS = 1
    ("2022-01-01", True, "2022-01-03", True, False),
    ("2022-01", True, "2022-01-31", True, True),  # a month holds its days
    ("2022-01", True, "2022-02-01", True, True),  # ... and the window reaches the next month's first
    ("2022-01", True, "2022-02-02", True, False),
    ("2020", True, "2020-06-30", True, True),
    ("2020", True, "2022-01-01", True, False),
    ("2022-01-01", False, "2022-01-15", False, True),  # two reports: REPORT_LAG_DAYS = 14 apart at most
    ("2022-01-01", False, "2022-01-16", False, False),
    ("2022-01-01", True, "2022-01-15", False, True),  # stated, reported 14 days later
    ("2022-01-01", True, "2022-01-16", False, False),
    ("2022-01-02", True, "2022-01-01", False, True),  # stated a day after the report: the window
    ("2022-01-03", True, "2022-01-01", False, False),  # the report cannot come before the event
    ("2022-01", True, "2022-02-10", False, True),  # a month stated, reported within 14 days of its end
    (None, False, None, False, False),  # undated: compared only within one article (same_event)
    (None, False, "2022-01-01", False, False),
    ("2022-01-01", True, "soon", False, False),  # unreadable dates match nothing dated
])
def test_compatible_dates(a, a_stated, b, b_stated, ok):
    assert rule.compatible_dates(a, a_stated, b, b_stated) is ok
    assert rule.compatible_dates(b, b_stated, a, a_stated) is ok


def test_the_date_window_is_the_named_constant(monkeypatch):
    assert rule.DATE_WINDOW_DAYS == 1 and rule.REPORT_LAG_DAYS == 14 and rule.MIN_SHARED_WORDS == 3
    ms = [_m(id=str(i), article_id=f"a{i}", date=d, date_stated=True)
          for i, d in enumerate(["2022-01-01", "2022-01-02", "2022-01-04"])]
    assert _ids(fold.components(ms)) == [["0", "1"], ["2"]]
    monkeypatch.setattr(rule, "DATE_WINDOW_DAYS", 0)
    assert _ids(fold.components(ms)) == [["0"], ["1"], ["2"]]
    monkeypatch.setattr(rule, "DATE_WINDOW_DAYS", 2)
    assert _ids(fold.components(ms, conflict=None)) == [["0", "1", "2"]]  # plain connected components
    assert _ids(fold.components(ms)) == [["0", "1"], ["2"]]  # 0 and 2 are 3 days apart: no chain joins them


# -- the events command ---------------------------------------------------------------


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_events_command_filters_and_leaves_hypotheticals_out(runner, db):
    base = ["events", "--db", str(db), "-f", "json"]
    rows = _json(runner.invoke(app, base))
    # 11 events less the hypothetical MOBILIZE and the negated ASSAULT (the two gunmen count as two)
    assert len(rows) == 9 and {r["status"] for r in rows} == {"fact"}
    assert [r["date"] for r in rows][:3] == ["2022-02-25", "2022-02-24", "2022-02-24"]
    everything = _json(runner.invoke(app, base + ["--include-hypothetical"]))
    assert len(everything) == 11
    # the MOBILIZE was only ever stated in Lukashenko's quote: a claim, too
    assert sorted(r["status"] for r in everything if r["status"] != "fact") == ["hypothetical, claim", "negated"]
    mobilize = next(r for r in everything if r["type"] == "MOBILIZE")
    assert mobilize["evidence"]["claimed_by"] == "Lukashenko"
    assert len(_json(runner.invoke(app, base + ["--actor", "ukr"]))) == 5  # as actor or as recipient (d, e apart)
    consult = _json(runner.invoke(app, base + ["--type", "consult"]))
    assert consult and {r["type"] for r in consult} == {"CONSULT"}  # 2 rows, 1 once fixed: test_known_misfold_*
    visit = next(r for r in consult if r["evidence"]["sentence"]["text"] == "Lukashenko visited Moscow.")
    assert visit["actor"][0]["code"] == "BLR" and visit["modes"] == ["visit"]
    assault = _json(runner.invoke(app, base + ["--type", "assault", "--actor", "RUS"]))
    assert [(r["date"], r["n_articles"], r["evidence"]["sentence"]["text"]) for r in assault] == [
        ("2022-02-25", 1, "Russia attacked Ukraine again."), ("2022-02-24", 2, "Russia attacked Ukraine on Thursday."),
        (None, 1, "Russian jets attacked Ukraine."), (None, 1, "Russia attacked Ukraine.")]
    assert [r["date"] for r in _json(runner.invoke(app, base + ["--since", "2022-02-25"]))] == ["2022-02-25"]
    # a year-dated event is not before a day of that year
    assert "2020" in [r["date"] for r in _json(runner.invoke(app, base + ["--since", "2020-06-01"]))]
    assert len(_json(runner.invoke(app, base + ["--limit", "2"]))) == 2


def test_events_command_table_csv_and_bad_input(runner, db):
    table = runner.invoke(app, ["events", "--db", str(db), "--include-hypothetical"], env={"COLUMNS": "250"})
    assert table.exit_code == 0
    assert "MOBILIZE (troops, hypothetical) HYPOTHETICAL" in table.stdout and "claim of Lukashenko:" in table.stdout
    assert "Russia (RUS/GOV)" in table.stdout and "2 in 2 art." in table.stdout
    text = runner.invoke(app, ["events", "--db", str(db), "-f", "csv", "--type", "REJECT"]).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and json.loads(rows[0]["modes"]) == ["historical"] and rows[0]["date"] == "2020"
    bad = runner.invoke(app, ["events", "--db", str(db), "--type", "WAR"])
    assert bad.exit_code == 2 and "PLOVER" in bad.output
    assert runner.invoke(app, ["events", "--db", str(db), "--since", "soon"]).exit_code == 2
    helped = runner.invoke(app, ["events", "--help"])
    assert helped.exit_code == 0 and "Example:" in helped.output and "newsledger events" in helped.output


# -- exports --------------------------------------------------------------------------


def _tsv(path) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines(keepends=True)]


def test_gdelt_export_has_the_codebook_columns(db, tmp_path):
    with open_ledger(db, read_only=True) as led:
        events_path, mentions_path = export(led, tmp_path / "gdelt", "gdelt")
        groups = {g["id"]: g for g in led.rows("SELECT * FROM event_groups")}
    events, mentions = _tsv(events_path), _tsv(mentions_path)
    assert len(GDELT_EVENT_COLUMNS) == 61 and len(GDELT_MENTION_COLUMNS) == 16
    # 10 events, the hypothetical and the negated left out; their 12 - 2 mentions
    assert len(events) == 9 and all(len(r) == 61 for r in events)
    assert len(mentions) == 10 and all(len(r) == 16 for r in mentions)
    rows = [dict(zip(GDELT_EVENT_COLUMNS, r)) for r in events]
    consult = next(r for r in rows if r["EventCode"] == "042")  # "Lukashenko visited Moscow."
    assert (consult["EventRootCode"], consult["EventBaseCode"]) == ("04", "042")  # leading zero kept
    assert consult["Actor1CountryCode"] == "BLR" and consult["Actor1Code"] == "BLRGOV"
    assert consult["Actor1Name"] == "ALEXANDER LUKASHENKO" and consult["Actor2CountryCode"] == "RUS"
    assert (consult["SQLDATE"], consult["MonthYear"], consult["Year"]) == ("20220224", "202202", "2022")
    assault = next(r for r in rows if r["EventCode"] == "18" and r["Actor1CountryCode"] == "RUS"
                   and r["SQLDATE"] == "20220224")
    assert (assault["NumMentions"], assault["NumArticles"], assault["NumSources"]) == ("2", "2", "2")
    assert assault["Actor2CountryCode"] == "UKR" and assault["SOURCEURL"] == "https://one.example/a"
    assert consult["QuadClass"] == "1" and consult["GoldsteinScale"] == "4"  # PLOVER CONSULT visit
    assert consult["SOURCEURL"] == "https://one.example/a" and len(consult["DATEADDED"]) == 14
    assert consult["AvgTone"] == "" and consult["ActionGeo_FullName"] == ""  # never invented
    reject = next(r for r in rows if r["EventRootCode"] == "12")
    assert (reject["SQLDATE"], reject["Year"], reject["EventCode"]) == ("", "2020", "12")
    undated = next(r for r in rows if r["SOURCEURL"].startswith("newsledger:article/"))
    assert undated["SQLDATE"] == "" and undated["NumArticles"] == "1"  # d and e: undated, not folded
    ids = {r["GLOBALEVENTID"] for r in rows}
    assert {str(global_event_id(g)) for g in groups if not (groups[g]["hypothetical"] or groups[g]["negated"])} == ids
    ms = [dict(zip(GDELT_MENTION_COLUMNS, r)) for r in mentions]
    assert {m["GLOBALEVENTID"] for m in ms} == ids
    web = next(m for m in ms
               if m["MentionIdentifier"] == "https://two.example/b" and m["GLOBALEVENTID"] == assault["GLOBALEVENTID"])
    assert web["MentionType"] == "1" and web["MentionSourceName"] == "Two" and web["Confidence"] == "80"
    assert A2[int(web["ActionCharOffset"]):].startswith("attacked")
    assert A2[int(web["Actor1CharOffset"]):].startswith("Russian forces")
    assert web["MentionDocLen"] == str(len(A2))


def test_gdelt_header_flag_and_cli(runner, db, tmp_path):
    out = tmp_path / "g"
    result = runner.invoke(app, ["export", "--format", "gdelt", "--out", str(out), "--header", "--db", str(db)])
    assert result.exit_code == 0, result.output
    events, mentions = _tsv(out / "events.tsv"), _tsv(out / "mentions.tsv")
    assert events[0] == list(GDELT_EVENT_COLUMNS) and mentions[0] == list(GDELT_MENTION_COLUMNS)
    assert len(events) == 10 and len(mentions) == 11  # a header line each
    both = runner.invoke(app, ["export", str(tmp_path / "x"), "--out", str(tmp_path / "y"), "--db", str(db)])
    assert both.exit_code == 2
    assert runner.invoke(app, ["export", "--db", str(db)]).exit_code == 2
    assert runner.invoke(app, ["export", str(out), "--format", "xml", "--db", str(db)]).exit_code == 2


def test_plover_export_keeps_every_event_and_its_evidence(db, tmp_path):
    with open_ledger(db, read_only=True) as led:
        [path] = export(led, tmp_path / "p", "plover")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 11  # every event, hypothetical and negated included
    mobilize = next(r for r in records if r["event"] == ["MOBILIZE"])
    assert mobilize["hypothetical"] is True and "hypothetical" in mobilize["mode"]
    assert mobilize["mentions"][0]["quote"]["speaker"] == "Lukashenko"
    assault = next(r for r in records if r["event"] == ["ASSAULT"] and r["n_articles"] == 2 and r["date"])
    assert assault["actor"][0]["code"] == "RUS" and assault["recipient"][0]["code"] == "UKR"
    assert assault["quad_code"] == 4 and assault["event_scale"] == -9
    assert [m["publication"] for m in assault["mentions"]] == ["One", "Two"]
    texts = {a.id: a.text for a, _ in corpus()}
    for m in (m for r in records for m in r["mentions"]):
        source = texts[m["article_id"]]
        assert source[m["sentence"]["start"]:m["sentence"]["end"]] == m["sentence"]["text"]
        assert source[m["trigger"]["start"]:m["trigger"]["end"]] == m["trigger"]["text"]
    assert assault["cite_info"]["url"] == "https://one.example/a" and assault["coder"].startswith("test-coder")


def test_table_exports_include_the_event_tables(db, tmp_path):
    with open_ledger(db, read_only=True) as led:
        written = export(led, tmp_path / "t", "csv")
        with pytest.raises(ExportError):
            export(led, tmp_path / "t", "xml")
    assert {"events.csv", "event_actors.csv", "event_groups.csv"} <= {p.name for p in written}


# -- ingest folds -----------------------------------------------------------------------


def test_ingest_folds_events_in_stage_7(tmp_path, monkeypatch):
    from newsledger import ingest as ingest_mod

    pairs = corpus()
    by_origin = {a.origin: (a, r) for a, r in pairs}
    monkeypatch.setattr(ingest_mod, "_expand_inputs", lambda paths: list(paths))
    monkeypatch.setattr(ingest_mod, "_read_file", lambda path, settings: iter([by_origin[path][0]]))

    class Coder:
        model_info = {"name": "fake", "version": "0"}

        def extract(self, articles):
            for art in articles:
                yield art, by_origin[art.origin][1]

    db = tmp_path / "i.duckdb"
    first = ingest_mod.ingest(["a.txt", "b.txt"], str(db), Settings(), extractor=Coder())
    # only the RUS->UKR ASSAULT of a and b: the gunmen stay apart, and the CONSULT should fold but does not
    # (test_known_misfold_*; once fixed, 2 here and (9, 3) below)
    assert first.indexes["events"]["folded"] == 1
    second = ingest_mod.ingest(["c.txt", "d.txt", "e.txt", "a.txt"], str(db), Settings(), extractor=Coder())
    assert second.indexes["events"]["events"] == 11 and second.indexes["events"]["folded"] == 1  # d, e undated
    with open_ledger(db, read_only=True) as led:
        assert queries.unfolded_events(led) == 0
        counts = json.loads(led.rows("SELECT counts FROM runs ORDER BY id DESC LIMIT 1")[0]["counts"])
    assert counts["indexes"]["events"]["mentions"] == 12


def test_a_country_and_its_leader_are_not_different_actors():
    putin = _m(names=frozenset({"putin", "ukr"}), recipient_names=frozenset({"ukr"}))
    russia = _m(id="y", article_id="b", names=frozenset({"rus", "ukr"}), recipient_names=frozenset({"ukr"}))
    warren = _m(id="z", article_id="c", names=frozenset({"warren", "ukr"}), recipient_names=frozenset({"ukr"}))
    assert _same(putin, russia) and not _same(putin, warren)
