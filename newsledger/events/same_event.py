"""The folding rule: when do two coded mentions report one event?

Tuned on the hand-labelled Wikinews pairs (``tests/data/wikinews_event_pairs.jsonl``,
committed before this rule was written; scored by
``newsledger/evaluation/fold_pairs.py``). What the labels showed:

- the same event is often coded with different types ("signed" SUPPORT,
  "agreed" AGREE; "announced his resignation" CONCEDE, "resigned" RETREAT),
  so when types differ the sentences' words must agree instead;
- country codes alone do not tell events apart: six pardons by Trump to six
  people are all USA -> USA. A shared participant *name* (not a country) is
  the evidence, or a whole country dyad (actor and recipient both coded and
  equal); named recipients that differ, and actors that differ (codes, or
  names within one country), keep mentions apart;
- later reports rarely restate the date: a mention with no stated date
  happened on or before its article's date, so it matches a stated date at
  most ``REPORT_LAG_DAYS`` earlier, and another article-dated mention whose
  article is that close. Mentions with no date at all fold only within one
  article: two undated articles may be years apart.

Factual and non-factual (hypothetical, negated, future) mentions never fold. A
mention whose sentence says the event recurred ("again", "a second strike")
folds with another article's only when both state their dates.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Iterable, Optional

from newsledger.nlp import times

NON_FACTUAL_MODES = frozenset({"hypothetical", "negation", "future"})  # an announced event is not the one that happens
# Stated full dates this many days apart are still one day's event (time
# zones, "overnight", a report's "on Friday" against another's "on Saturday").
DATE_WINDOW_DAYS = 1
# A mention whose date is only its article's happened at most this long before
# it (follow-up reports in the labelled pairs come up to two weeks later).
REPORT_LAG_DAYS = 14
# Content words two sentences must share to be one event's reports when their
# coded types or participants differ. On the labelled pairs (mentions coded at
# their triggers, folded as the ledger folds): 3 gives precision 0.70 /
# recall 0.53, 4 gives 0.78 / 0.42, 5 gives 0.87 / 0.34 (docs/events.md).
MIN_SHARED_WORDS = 4
# Words of names that are roles or institutions, not names ("President",
# "House"), and capitalised words of dates.
ROLE_WORDS = frozenset("""
the of and for a an mr mrs ms dr president prime minister government administration ministry department
house senate representatives congress parliament court supreme high national state states united republic
federal council committee commission party forces force military army police officials official secretary
foreign affairs chancellor king queen spokesperson spokesman office agency authorities leader chief
international organization foundation group people members new
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())

# Words saying an event happened once more ("again", "a second strike").
REPEAT = re.compile(r"\b(again|another|second|third|renewed|fresh|latest|new round)\b", re.IGNORECASE)
_LONG_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
STOPWORDS = frozenset("""
that thi with from have been were will would their they there which about after before into over said
says also than then when where while what more most other some such only very just could should
""".split())
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’-]*")


def name_keys(names: Iterable[Optional[str]]) -> frozenset[str]:
    """The proper-name words of participant names ("Queen Elizabeth II" ->
    {"elizabeth"}); a country's name or demonym is its code ("Russian forces"
    and "Russia" both give "rus")."""
    from newsledger.nlp import lexicons

    countries, demonyms = lexicons.countries()
    out = set()
    for name in names:
        whole = re.sub(r"^the\s+", "", (name or "").strip(), flags=re.IGNORECASE)
        if countries.get(whole) or demonyms.get(whole):
            out.add((countries.get(whole) or demonyms.get(whole)).lower())
            continue
        for w in _WORD.findall(name or ""):
            key = w.lower().rstrip("'’s")
            if w[0].isupper() and len(key) > 2 and key not in ROLE_WORDS:
                code = countries.get(w) or demonyms.get(w)
                out.add(code.lower() if code else key)
    return frozenset(out)


def context_keys(sentence: str) -> frozenset[str]:
    """The proper-name words of a sentence: capitalised words past its first word."""
    words = _WORD.findall(sentence)[1:]
    return name_keys([" ".join(w for w in words if w[0].isupper())])


def content_words(sentence: str) -> frozenset[str]:
    """Lower-cased words of four letters or more, plural -s dropped, minus STOPWORDS."""
    return frozenset(w.lower().rstrip("s") for w in _LONG_WORD.findall(sentence)) - STOPWORDS


def says_repeat(sentence: str) -> bool:
    """"Russia attacked Ukraine again": a repeated event, not the one reported before."""
    return bool(REPEAT.search(sentence))


def factuality(modes: frozenset[str]) -> frozenset[str]:
    return modes & NON_FACTUAL_MODES


def compatible_dates(a_date: Optional[str], a_stated: bool, b_date: Optional[str], b_stated: bool) -> bool:
    """Could both mentions be of one day? (see the module docstring)"""
    a, b = times.date_bounds(a_date), times.date_bounds(b_date)
    if a is None or b is None:
        return False  # an undated mention is compared only within its article (same_event)
    if a_stated and b_stated:
        return a[0] - timedelta(days=DATE_WINDOW_DAYS) <= b[1] and b[0] - timedelta(days=DATE_WINDOW_DAYS) <= a[1]
    if not a_stated and not b_stated:
        return abs((a[1] - b[1]).days) <= REPORT_LAG_DAYS
    stated, report = (a, b) if a_stated else (b, a)
    # the event (stated) happened on or before the report, not long before
    return stated[0] <= report[1] + timedelta(days=DATE_WINDOW_DAYS) and (report[1] - stated[1]).days <= REPORT_LAG_DAYS


def recipients_differ(a, b) -> bool:
    """Both name a recipient, and not the same one ("pardoned X" / "pardoned Y")."""
    return bool(a.recipient_names and b.recipient_names and not (a.recipient_names & b.recipient_names))


def actors_differ(a, b) -> bool:
    """Both name who acted, and not the same one: different actor codes
    ("the US strike" / "Iran's retaliation"), or different named actors of one
    country ("Sanders endorsed Biden" / "Warren endorsed Biden")."""
    if a.actor_codes and b.actor_codes and not (a.actor_codes & b.actor_codes):
        return True
    an, bn = _personal(a.names - a.recipient_names), _personal(b.names - b.recipient_names)
    return bool(an and bn and not (an & bn))


def _personal(keys: frozenset[str]) -> frozenset[str]:
    """Name keys that are not a country's code: "Putin" and "Russia" do not differ."""
    from newsledger.nlp import lexicons

    countries, demonyms = lexicons.countries()
    codes = {c.lower() for c in countries.values()} | {c.lower() for c in demonyms.values()}
    return frozenset(k for k in keys if k not in codes)


def same_story(a, b) -> bool:
    """The two sentences tell one happening: at least MIN_SHARED_WORDS content
    words in common; or the same type and either a shared participant name
    that is not a country, or the same country dyad (actor and recipient)."""
    if len(a.words & b.words) >= MIN_SHARED_WORDS:
        return True
    if a.type != b.type:
        return False
    # a shared person or organisation; or the full dyad of countries (who to whom), never one country alone
    dyad = bool(a.actor_codes and a.recipient_codes) and (a.actor_codes, a.recipient_codes) == (b.actor_codes, b.recipient_codes)
    return bool(_personal(a.names & b.names)) or dyad


def same_event(a, b) -> bool:
    """Do two FoldMentions report one event? Symmetric."""
    return (
        factuality(a.modes) == factuality(b.modes)
        and (compatible_dates(a.date, a.date_stated, b.date, b.date_stated)
             or (a.date is None and b.date is None and a.article_id == b.article_id))
        and not recipients_differ(a, b)
        and not actors_differ(a, b)
        and same_story(a, b)
        and not ((a.repeat or b.repeat) and a.article_id != b.article_id and not (a.date_stated and b.date_stated))
    )


def block_keys(m) -> list[tuple]:
    """The blocks a mention is compared within: one per proper name of its
    participants and sentence, with its factuality. Pairs that share only
    common words are not compared: on a large ledger a block per word would
    compare nearly everything."""
    return [(factuality(m.modes), name) for name in sorted(m.names | m.context)]
