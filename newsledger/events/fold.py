"""Folding: the same event reported several times is one event with many mentions.

Every coded event is stored as a mention (table ``events``: its article,
offsets, confidence). ``fold(ledger)`` links the mentions that
``same_event`` says report one event and writes each connected component as
one row of ``event_groups`` (GDELT's Events table; ``events`` is its Mentions
table), setting every mention's ``group_id``.

The result depends only on what is stored, never on the order articles
arrived in: ``same_event`` is symmetric; the pairs it accepts are merged
strongest first (``same_event.evidence``, ties by mention ids), and a merge
that would put two mentions in ``same_event.conflict`` into one group is
refused; members are sorted, and a group's id is the hash of its first member
(earliest article date, then article id and index), so it stays put when
later reports join. Pairs are only compared inside blocks
(``same_event.block_keys``: factuality with the article, or with a shared
proper name); a rule that accepts more must loosen the blocks with it.

The rule itself, tuned on hand-labelled pairs, is ``same_event.py``;
``mention_from_event`` builds its input from a ``records.Event`` when there
is no ledger.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from newsledger.events import same_event as rule
from newsledger.records import Event
from newsledger.store.writer import row_id

log = logging.getLogger(__name__)

_ISO_PREFIX = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
_UNDATED = "\uffff"  # sorts after every date


@dataclass(frozen=True)
class FoldMention:
    """What folding looks at in one stored event mention."""

    id: str
    article_id: str
    idx: int
    type: str
    modes: frozenset[str]
    actor_codes: frozenset[str]
    recipient_codes: frozenset[str]
    date: Optional[str]  # the event's own date, else the article's; ISO, as precise as known
    date_stated: bool  # True when ``date`` is the event's own date from the text
    article_date: Optional[str] = None  # as given, for ordering members
    quad: int = 0
    names: frozenset[str] = frozenset()  # proper-name words of every participant (same_event.name_keys)
    recipient_names: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()  # proper-name words of the event's sentence (same_event.context_keys)
    repeat: bool = False  # the sentence says the event happened again (same_event.says_repeat)
    words: frozenset[str] = frozenset()  # content words of the sentence (same_event.content_words)
    definite: bool = False  # the trigger is a definite event noun, "The rallies" (same_event.is_definite)
    earlier: bool = False  # the sentence places the event before the report (same_event.says_earlier)
    extra: dict = field(default_factory=dict, compare=False, hash=False)  # row data for the group columns


def iso_date(value: Optional[object]) -> Optional[str]:
    """The ISO date part of ``value`` ("2022-01-05T10:00Z" -> "2022-01-05",
    "2020" stays "2020"), or None when it does not start with one."""
    m = _ISO_PREFIX.match(str(value)) if value is not None else None
    return m.group(0) if m else None


def effective_date(event_date: Optional[str], article_date: Optional[str]) -> tuple[Optional[str], bool]:
    """(date folded on, whether the text stated it): the event's own date, else the article's."""
    own = iso_date(event_date)
    if own:
        return own, True
    return iso_date(article_date), False


def _named(code: Optional[str], entity) -> bool:
    """A participant whose name is evidence: coded, or one of the article's
    entities ("Gunmen" opening a sentence is neither)."""
    return code is not None or entity is not None


def mention_from_event(event: Event, article_id: str, idx: int, article_date: Optional[str] = None,
                       id: Optional[str] = None, text: Optional[str] = None) -> FoldMention:
    """A FoldMention from a coded Event (for labelled pairs, tests, or code without a ledger)."""
    own = event.date if event.date_source != "publication" else None  # the article's date is not a stated one
    day, stated = effective_date(own, article_date)
    sentence = text[event.sentence.start : event.sentence.end] if text else ""
    before = text[event.sentence.start : max(event.sentence.start, event.trigger.start)] if text else ""
    return FoldMention(
        id=id or row_id(article_id, "event", idx), article_id=article_id, idx=idx, type=event.type,
        modes=frozenset(event.modes),
        actor_codes=frozenset(a.code for a in event.actor if a.code),
        recipient_codes=frozenset(a.code for a in event.recipient if a.code),
        date=day, date_stated=stated, article_date=article_date, quad=event.quad,
        names=rule.name_keys(a.name for a in event.actor + event.recipient if _named(a.code, a.entity)),
        recipient_names=rule.name_keys(a.name for a in event.recipient if _named(a.code, a.entity)),
        context=rule.context_keys(sentence), repeat=rule.says_repeat(sentence), words=rule.content_words(sentence),
        definite=rule.is_definite(before), earlier=rule.says_earlier(sentence, iso_date(article_date)),
    )


# -- components -------------------------------------------------------------------

Block = Callable[[FoldMention], list]
Predicate = Callable[[FoldMention, FoldMention], bool]
Strength = Callable[[FoldMention, FoldMention], float]
same_event = rule.same_event


def candidate_pairs(mentions: list[FoldMention], block: Block = rule.block_keys) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) worth asking the rule about: those sharing a block, each once."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        for key in block(m):
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        for n, i in enumerate(members):
            for j in members[n + 1:]:
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def components(mentions: list[FoldMention], predicate: Predicate = same_event, block: Block = rule.block_keys,
               conflict: Optional[Predicate] = rule.conflict, strength: Strength = rule.evidence,
               ) -> list[list[FoldMention]]:
    """Groups of the pairs ``predicate`` accepts among the candidate pairs,
    merged strongest pair first (``strength``, ties by mention ids); a merge
    that would put two ``conflict``-ing mentions in one group is skipped
    (``conflict=None``: plain connected components). Each group is sorted
    first member first, the list by first member."""
    accepted = []
    for i, j in candidate_pairs(mentions, block):
        a, b = mentions[i], mentions[j]
        if predicate(a, b):
            accepted.append((-strength(a, b), min(a.id, b.id), max(a.id, b.id), i, j))
    accepted.sort()
    group_of = list(range(len(mentions)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
    for _, _, _, i, j in accepted:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if conflict is not None and any(conflict(mentions[x], mentions[y]) for x in members[gi] for y in members[gj]):
            continue  # a weak link would join mentions the rule keeps apart
        keep, gone = min(gi, gj), max(gi, gj)
        for x in members[gone]:
            group_of[x] = keep
        members[keep].extend(members.pop(gone))
    out = [sorted((mentions[i] for i in g), key=member_order) for g in members.values()]
    return sorted(out, key=lambda g: member_order(g[0]))


def member_order(m: FoldMention) -> tuple:
    """Earliest article first; undated articles last; then ids (never arrival order)."""
    return (m.article_date or _UNDATED, m.article_id, m.idx, m.id)


def group_id(members: list[FoldMention]) -> str:
    return row_id("event_group", members[0].id)


# -- the ledger -------------------------------------------------------------------

_LOAD = """
WITH sides AS (
    SELECT event_id,
        list(DISTINCT code ORDER BY code) FILTER (WHERE role = 'actor' AND code IS NOT NULL) AS actor_codes,
        list(DISTINCT name ORDER BY name) FILTER (WHERE role = 'actor') AS actor_names,
        list(DISTINCT code ORDER BY code) FILTER (WHERE role = 'recipient' AND code IS NOT NULL) AS recipient_codes,
        list(DISTINCT name ORDER BY name) FILTER (WHERE role = 'recipient') AS recipient_names,
        list(DISTINCT name ORDER BY name) FILTER (WHERE role = 'actor' AND (code IS NOT NULL OR entity_id IS NOT NULL))
            AS actor_named,
        list(DISTINCT name ORDER BY name) FILTER (WHERE role = 'recipient' AND (code IS NOT NULL OR entity_id IS NOT NULL))
            AS recipient_named
    FROM event_actors GROUP BY event_id
), outlets AS (
    SELECT article_id, list(DISTINCT coalesce(outlet, source_key)) AS outlets FROM sources GROUP BY article_id
)
SELECT e.id, e.article_id, e.idx, e.type, e.modes, e.contexts, e.quad, e.score, e.date, a.date AS article_date,
       substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence,
       substr(a.text, e.sentence_start + 1, greatest(e.trigger_start - e.sentence_start, 0)) AS before_trigger,
       e.quote_id, e.confidence, s.actor_codes, s.actor_names, s.recipient_codes, s.recipient_names,
       s.actor_named, s.recipient_named, o.outlets
FROM events e JOIN articles a ON a.id = e.article_id
LEFT JOIN sides s ON s.event_id = e.id LEFT JOIN outlets o ON o.article_id = e.article_id
ORDER BY e.id
"""


def load_mentions(ledger) -> list[FoldMention]:
    """Every stored event as a FoldMention, ordered by id."""
    con = getattr(ledger, "con", ledger)
    cur = con.execute(_LOAD)
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        r = dict(zip(names, values))
        day, stated = effective_date(r["date"], r["article_date"])
        out.append(FoldMention(
            id=r["id"], article_id=r["article_id"], idx=r["idx"], type=r["type"],
            modes=frozenset(r["modes"] or ()), actor_codes=frozenset(r["actor_codes"] or ()),
            recipient_codes=frozenset(r["recipient_codes"] or ()), date=day, date_stated=stated,
            article_date=r["article_date"], quad=r["quad"] or 0,
            names=rule.name_keys((r["actor_named"] or []) + (r["recipient_named"] or [])),
            recipient_names=rule.name_keys(r["recipient_named"] or []),
            context=rule.context_keys(r["sentence"] or ""), repeat=rule.says_repeat(r["sentence"] or ""),
            definite=rule.is_definite(r.pop("before_trigger") or ""),
            earlier=rule.says_earlier(r["sentence"] or "", iso_date(r["article_date"])),
            words=rule.content_words(r.pop("sentence") or ""), extra=r,
        ))
    return out


def _union(members: Iterable[FoldMention], key: str) -> list[str]:
    """Distinct values of a list column, in member order (first member's own order first)."""
    return list(dict.fromkeys(v for m in members for v in (m.extra.get(key) or ())))


def group_row(members: list[FoldMention]) -> list:
    """One event_groups row (columns in table order) for a sorted component."""
    first = members[0]
    dated = next((m for m in members if m.date_stated), first)
    modes = _union(members, "modes")
    return [
        group_id(members), first.type, modes, _union(members, "contexts"),
        first.extra.get("quad"), first.extra.get("score"),
        sorted({c for m in members for c in m.actor_codes}), sorted(_union(members, "actor_names")),
        sorted({c for m in members for c in m.recipient_codes}), sorted(_union(members, "recipient_names")),
        dated.date, dated.date_stated, None,
        "hypothetical" in modes, "negation" in modes,
        len(members), len({m.article_id for m in members}), len(set(_union(members, "outlets"))),
        sum(m.extra.get("quote_id") is not None for m in members),
        first.id, first.article_id,
        max((m.extra.get("confidence") for m in members if m.extra.get("confidence") is not None), default=None),
    ]


_GROUP_TYPES = ("VARCHAR", "VARCHAR", "VARCHAR[]", "VARCHAR[]", "INTEGER", "DOUBLE", "VARCHAR[]", "VARCHAR[]",
                "VARCHAR[]", "VARCHAR[]", "VARCHAR", "BOOLEAN", "VARCHAR", "BOOLEAN", "BOOLEAN", "INTEGER",
                "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "DOUBLE")


def _write(con, rows: list[list], assignment: dict[str, str]) -> int:
    """Replace event_groups and set group_id where it changed; returns mentions regrouped."""
    con.execute("DELETE FROM event_groups")
    if rows:
        columns = list(zip(*rows))
        select = ", ".join(f"unnest(?::{t}[])" for t in _GROUP_TYPES)
        con.execute(f"INSERT INTO event_groups SELECT {select}", [list(c) for c in columns])
    ids, gids = list(assignment), list(assignment.values())
    changed = con.execute(
        "SELECT count(*) FROM events e JOIN (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS g) f"
        " ON e.id = f.id WHERE e.group_id IS DISTINCT FROM f.g", [ids, gids]).fetchone()[0]
    if changed:
        con.execute(
            "UPDATE events SET group_id = f.g FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS g) f"
            " WHERE events.id = f.id AND events.group_id IS DISTINCT FROM f.g", [ids, gids])
    return changed


def fold(ledger, predicate: Predicate = same_event, block: Block = rule.block_keys) -> dict:
    """Recompute every folded event from the stored mentions, in one transaction.

    Returns counts: ``mentions`` (event rows), ``events`` (groups),
    ``folded`` (mentions merged into another's group: mentions - events),
    ``multi_article`` (groups reported by several articles), ``regrouped``
    (mentions whose group_id changed) and ``seconds``.
    """
    started = time.perf_counter()
    con = getattr(ledger, "con", ledger)
    mentions = load_mentions(con)
    groups = components(mentions, predicate, block)
    rows = [group_row(g) for g in groups]
    assignment = {m.id: row[0] for g, row in zip(groups, rows) for m in g}
    con.execute("BEGIN TRANSACTION")
    try:
        regrouped = _write(con, rows, assignment)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    counts = {
        "mentions": len(mentions), "events": len(groups), "folded": len(mentions) - len(groups),
        "multi_article": sum(r[16] > 1 for r in rows), "regrouped": regrouped,
        "seconds": round(time.perf_counter() - started, 3),
    }
    log.info("events folded: %s", counts)
    return counts
