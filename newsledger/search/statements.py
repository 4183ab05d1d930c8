"""Group quotes into statements: one thing one speaker said, with every source.

A *statement* is a set of quote rows from the same speaker whose contents are
identical or near-identical once normalised. The rule (docs/search.md):

* contents are compared after ``normalise``: Unicode NFKC, case folded, curly
  apostrophes made straight, and everything that is not a word character
  (quote marks, punctuation, ellipses, editorial brackets, whitespace) reduced
  to single spaces;
* quotes of different speaker keys are never merged. The key is the
  cross-article speaker id when identity resolution gave one, else the
  normalised speaker name, else ``unknown:`` and a hash of the content (see
  ``store.current_quotes_sql``);
* within one key, members are taken longest first; each joins the first
  statement whose canonical (first, longest) member it matches:
  ``identical`` (same normalised words), ``excerpt`` (a shorter quote whose
  word bigrams nearly all occur in the canonical) or ``near`` (bigram Jaccard
  at or above ``NEAR_JACCARD``); otherwise it starts a statement of its own.
  Comparing with the canonical only (never with other members) keeps chains
  A~B~C from merging an A and a C that do not match;
* quotes with no known speaker are merged only when identical and at least
  ``MIN_WORDS_UNKNOWN_SPEAKER`` words long: a short unattributed phrase
  ("needs acting on") says too little to claim that two articles quote the
  same person.

Because members are ordered by content (not by when they were ingested), the
grouping and the statement ids are a function of the quotes alone: re-ingesting
the same articles in another order gives the same statements.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from newsledger.store.writer import row_id

UNKNOWN_KEY = "unknown"

# Bigram Jaccard at or above which two quotes of one speaker are one statement.
# One changed word in a 10-word quote gives 7/11 = 0.64 and is merged; one in a
# 6-word quote gives 3/7 = 0.43 and is not, nor is an inserted "not" in a short
# quote ("we will allow it" / "we will not allow it": 2/5). Checked on the
# Wikinews ledger: the closest same-speaker pairs of different articles that
# are different statements score 0.54 (two days' case counts from Johns Hopkins
# University) and 0.45 (primaries "on March 10" / "on March 17"); no
# cross-article pair lies between 0.55 and 0.99.
NEAR_JACCARD = 0.6
# Share of a shorter quote's bigrams that must occur in the canonical for it to
# count as an excerpt of it (0.9: a long excerpt may differ in a word or have a
# "[...]" cut; a short one must be contiguous). On Wikinews the highest
# cross-article containments below 1 are 0.76 (the Johns Hopkins pair above, a
# different statement) and 0.8 ("no traces of poison was/were found ...", the
# same words re-worded: left apart, the cautious side).
EXCERPT_CONTAINMENT = 0.9
# Below this many words a quote only merges when identical: a fragment of three
# words ("the president said") occurs in too many unrelated longer quotes.
MIN_EXCERPT_WORDS = 5
MIN_NEAR_WORDS = 4
# Unattributed quotes merge only when identical and at least this long (the
# Wikinews ledger has "needs acting on" and "Navalny was poisoned" unattributed
# in two articles each: a claim, not one speaker's statement).
MIN_WORDS_UNKNOWN_SPEAKER = 6

_WORD = re.compile(r"\w+(?:'\w+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def words(text: Optional[str]) -> tuple[str, ...]:
    """The normalised words of ``text``: NFKC, case folded, punctuation dropped."""
    if not text:
        return ()
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return tuple(_WORD.findall(text))


def normalise(text: Optional[str]) -> str:
    return " ".join(words(text))


def bigrams(tokens: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(tokens, tokens[1:]))


@dataclass
class Member:
    """One quote row as the grouping sees it."""

    quote_id: str
    article_id: str
    kind: str
    content_text: Optional[str]
    speaker_name: Optional[str] = None  # as extracted in this article
    date: Optional[str] = None  # the article's date
    tokens: tuple[str, ...] = field(init=False)
    shingles: frozenset = field(init=False)

    def __post_init__(self):
        self.tokens = words(self.content_text)
        self.shingles = bigrams(self.tokens)

    @property
    def norm(self) -> str:
        return " ".join(self.tokens)


@dataclass
class Statement:
    """A group of members; ``members[0]`` is the canonical one."""

    speaker_key: str
    members: list[tuple[Member, str, float]]  # (member, match, similarity to the canonical)
    speaker_id: Optional[str] = None
    speaker_name: Optional[str] = None
    solo: bool = False  # may not take other members: its id names its one quote

    @property
    def canonical(self) -> Member:
        return self.members[0][0]

    @property
    def id(self) -> str:
        if not self.solo:
            return row_id("statement", self.speaker_key, self.canonical.norm)
        # No words at all, or too short to merge unattributed: one statement per quote.
        return row_id("statement", self.speaker_key, self.canonical.norm, "quote", self.canonical.quote_id)

    @property
    def article_ids(self) -> set[str]:
        return {m.article_id for m, _, _ in self.members}

    @property
    def dates(self) -> list[str]:
        return sorted(m.date for m, _, _ in self.members if m.date)


def is_unknown(speaker_key: str) -> bool:
    return speaker_key == UNKNOWN_KEY or speaker_key.startswith(UNKNOWN_KEY + ":")


def _order(member: Member) -> tuple:
    return (-len(member.tokens), member.norm, member.quote_id)


def _match(member: Member, canonical: Member) -> Optional[tuple[str, float]]:
    """How ``member`` (no longer than ``canonical``) matches it, or None."""
    if len(member.tokens) < MIN_NEAR_WORDS:
        return None
    shared = len(member.shingles & canonical.shingles)
    if not shared:
        return None
    containment = shared / len(member.shingles)
    shorter = len(member.tokens) < len(canonical.tokens)
    if shorter and len(member.tokens) >= MIN_EXCERPT_WORDS and containment >= EXCERPT_CONTAINMENT:
        return "excerpt", round(containment, 4)
    jaccard = shared / len(member.shingles | canonical.shingles)
    if jaccard >= NEAR_JACCARD:
        return "near", round(jaccard, 4)
    return None


def group(speaker_key: str, members: Iterable[Member]) -> list[Statement]:
    """The statements of one speaker key, in a deterministic order."""
    statements: list[Statement] = []
    by_norm: dict[str, Statement] = {}
    by_shingle: dict[tuple[str, str], list[int]] = defaultdict(list)
    unknown = is_unknown(speaker_key)
    for member in sorted(members, key=_order):
        norm = member.norm
        mergeable = bool(member.tokens) and (not unknown or len(member.tokens) >= MIN_WORDS_UNKNOWN_SPEAKER)
        if mergeable and norm in by_norm:
            by_norm[norm].members.append((member, "identical", 1.0))
            continue
        if mergeable and not unknown:
            best = _best_candidate(member, statements, by_shingle)
            if best is not None:
                index, match, similarity = best
                statements[index].members.append((member, match, similarity))
                continue
        statement = Statement(speaker_key, [(member, "canonical", 1.0)], solo=not mergeable)
        statements.append(statement)
        if mergeable:
            by_norm[norm] = statement
            if not unknown:
                for shingle in member.shingles:
                    by_shingle[shingle].append(len(statements) - 1)
    return statements


def _best_candidate(member: Member, statements: list[Statement], by_shingle) -> Optional[tuple[int, str, float]]:
    candidates = sorted({i for s in member.shingles for i in by_shingle.get(s, ())})
    best = None
    for index in candidates:
        found = _match(member, statements[index].canonical)
        if found and (best is None or found[1] > best[2]):
            best = (index, found[0], found[1])
    return best


def display_name(members: Iterable[Member]) -> Optional[str]:
    """The speaker name most members give (ties: alphabetically first); None if none does."""
    names = Counter(m.speaker_name for m in members if m.speaker_name)
    if not names:
        return None
    return min(names, key=lambda n: (-names[n], n))
