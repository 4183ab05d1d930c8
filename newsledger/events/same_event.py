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

The rule has two halves (``fold.components`` uses both): ``conflict`` says two
mentions cannot be one event (modes, dates, actors, recipients, a repeat, or
within one article a sentence that places its event before the report and
one that does not: "Last week a Kabul car bombing" / "the attack");
``evidence`` says how strongly they tell one story (shared content words and
participant names, plus ``ANAPHORA_EVIDENCE`` within one article when a
trigger is a definite event noun that points back: "The demonstrations",
"Volker's resignation"). Groups are built strongest pair first, and a merge
that would put two conflicting mentions in one group is refused, so a chain
of weak links cannot join two events the rule keeps apart.
"""

from __future__ import annotations

import functools
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
# Evidence (shared content words and names, not a country's; see evidence)
# two sentences must have to be one event's reports when their coded types or
# participants differ. On the labelled pairs (mentions coded at their
# triggers, folded as fold.components folds, ANAPHORA_EVIDENCE 3): 3 gives
# precision 0.94 / recall 0.56, 4 gives 0.97 / 0.47, 5 gives 0.95 / 0.34; 3 is
# also what every training fold of a 5-fold split picks (docs/events.md).
MIN_SHARED_WORDS = 3
# Evidence a trigger that is a definite event noun ("The rallies", "Sunday's
# signings") adds to a pair within one article: it points back at an event the
# article already told. Same pairs, MIN_SHARED_WORDS 3: 0 gives 0.93 / 0.47,
# 2 gives 0.94 / 0.53, 3 gives 0.94 / 0.56, 4 gives 0.91 / 0.54.
ANAPHORA_EVIDENCE = 3
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
# Text just before a trigger that makes it a definite event noun: "The
# demonstrations", "the August 2 resignation", "Volker's resignation" (the
# determiner or possessive right before it, dates allowed in between; "The
# House issued" is a subject, not this).
_DEFINITE = re.compile(
    r"((?i:\b(?:the|this|these|its|their))|['’]s)\s+((?:\d+|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+){0,2}$")
# Words that place a sentence's event before its report ("last week", "in
# 2006" when the article is of 2019 is checked apart).
EARLIER = re.compile(r"\b(last (?:week|month|year|time)|previously|(?:years?|months?|weeks?) ago|"
                     r"earlier (?:this|that|in the) (?:week|month|year))\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


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


def is_definite(before_trigger: str) -> bool:
    """Is the trigger a definite event noun? ``before_trigger`` is its sentence up to the trigger."""
    return bool(_DEFINITE.search(before_trigger))


def says_earlier(sentence: str, report_date: Optional[str]) -> bool:
    """Does the sentence place its event before the report: "last week",
    "previously", or a year before the article's ("In 2006, ...")?"""
    if EARLIER.search(sentence):
        return True
    year = (report_date or "")[:4]
    return year.isdigit() and any(int(y) < int(year) for y in _YEAR.findall(sentence))


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


def conflict(a, b) -> bool:
    """Can the two mentions not be one event? Symmetric. Modes, dates, actors,
    recipients, a repeat across articles, or (within one article) one sentence
    placing its event before the report and the other not."""
    within = a.article_id == b.article_id
    return not (
        factuality(a.modes) == factuality(b.modes)
        and (compatible_dates(a.date, a.date_stated, b.date, b.date_stated)
             or (a.date is None and b.date is None and within))
        and not recipients_differ(a, b)
        and not actors_differ(a, b)
        and not ((a.repeat or b.repeat) and not within and not (a.date_stated and b.date_stated))
        and not (within and a.earlier != b.earlier)
    )


def evidence(a, b) -> int:
    """How strongly the two sentences tell one happening: their shared content
    words and participant names (not countries), plus ANAPHORA_EVIDENCE within
    one article when either trigger is a definite event noun."""
    shared = ((a.words & b.words) - _country_words()) | _personal((a.names | a.context) & (b.names | b.context))
    anaphora = a.article_id == b.article_id and (a.definite or b.definite)
    return len(shared) + (ANAPHORA_EVIDENCE if anaphora else 0)


@functools.lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Content words of country names and demonyms ("united", "state",
    "iranian"): one country, however many words its name has, is no evidence."""
    from newsledger.nlp import lexicons

    countries, demonyms = lexicons.countries()
    return frozenset(w for name in list(countries) + list(demonyms) for w in content_words(name))


def same_story(a, b) -> bool:
    """The two sentences tell one happening: evidence of at least
    MIN_SHARED_WORDS; or the same type and either a shared participant name
    that is not a country, or the same country dyad (actor and recipient)."""
    if evidence(a, b) >= MIN_SHARED_WORDS:
        return True
    if a.type != b.type:
        return False
    # a shared person or organisation; or the full dyad of countries (who to whom), never one country alone
    dyad = bool(a.actor_codes and a.recipient_codes) and (a.actor_codes, a.recipient_codes) == (b.actor_codes, b.recipient_codes)
    return bool(_personal(a.names & b.names)) or dyad


def same_event(a, b) -> bool:
    """Do two FoldMentions report one event? Symmetric."""
    return not conflict(a, b) and same_story(a, b)


def block_keys(m) -> list[tuple]:
    """The blocks a mention is compared within: its article (mentions of one
    article are few), and one per proper name of its participants and
    sentence, with its factuality. Pairs of two articles that share only
    common words are not compared: on a large ledger a block per word would
    compare nearly everything."""
    return [(factuality(m.modes), "article", m.article_id)] + [(factuality(m.modes), name) for name in sorted(m.names | m.context)]
