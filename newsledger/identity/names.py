"""Person names across articles: folded, split into parts, titles set aside.

``parse_name("President Aleksandr Lukashenko")`` gives a ParsedName whose
given name and surname are *keys*: lowercased, accents removed, doubled
letters made single and transliteration variants folded by the rules in
transliteration.tsv, so "Alexander Lukashenko" and "Aleksandr Lukashenko"
have the same key. Titles in front of the name ("President", "Mr.") are not
part of it: they are kept in ``titles`` and say something about the person
(a role, a gender). Only spelling is folded: Volodymyr and Vladimir are
different keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent

# Lowercase words inside a surname: "von der Leyen", "da Silva", "bin Salman".
PARTICLES = {"van", "von", "der", "den", "de", "da", "di", "del", "della", "dos", "das", "du",
             "la", "le", "ten", "ter", "bin", "ibn", "bint", "ben", "abu", "al", "el"}
# Arabic articles in front of a surname are dropped from its key: "al-Assad" = "Assad".
ARABIC_ARTICLES = ("al", "el", "ad", "as", "ash", "an", "ar", "at", "az")
SUFFIXES = {"jr": "jr", "sr": "sr", "ii": "ii", "iii": "iii", "iv": "iv"}
# Words before a name that are not titles but go with them ("former President").
MODIFIERS = {"former", "acting", "then", "ex", "late", "first", "deputy", "vice", "prime", "foreign",
             "defence", "defense", "interior", "health", "finance", "supreme", "senior", "assistant",
             "state", "chief", "u.s.", "us", "uk", "un"}
# An East Asian given name after a family name that is also a Western given
# name has syllables this short ("Kim Jong Un", not "Lee Harvey Oswald").
MAX_SYLLABLE_LETTERS = 5
# Letters NFKD does not take apart.
SPECIAL_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i",
                                 "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ʼ": "'", "’": "'",
                                 "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-", "․": "."})


def fold(text: str) -> str:
    """Lowercase, accents removed, apostrophes and dashes made plain, spaces single."""
    text = unicodedata.normalize("NFKD", text.translate(SPECIAL_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


@lru_cache(maxsize=None)
def _table() -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """(rules as (regex, replacement), folded variant -> group key) from transliteration.tsv."""
    rules, groups = [], []
    for line in (HERE / "transliteration.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, *rest = line.split("\t")
        if kind == "rule":
            src, dst = rest
            pattern = re.escape(src.strip("^$"))
            pattern = ("^" if src.startswith("^") else "") + pattern + ("$" if src.endswith("$") else "")
            rules.append((pattern, dst))
        elif kind == "names":
            groups.append([_plain(v) for v in rest[0].split("|")])
        else:
            raise ValueError(f"transliteration.tsv: unknown line kind {kind!r}")
    rules = tuple(rules)
    variants: dict[str, str] = {}
    for group in groups:
        for v in group:
            variants[v] = group[0]
            variants[_apply_rules(v, rules)] = group[0]
    return rules, variants


def _plain(token: str) -> str:
    """A token folded to letters and digits only (any script)."""
    return re.sub(r"[\W_]+", "", fold(token))


def _apply_rules(token: str, rules) -> str:
    token = re.sub(r"(.)\1+", r"\1", token)
    for pattern, replacement in rules:
        token = re.sub(pattern, replacement, token)
    return re.sub(r"(.)\1+", r"\1", token)


def token_key(token: str) -> str:
    """The folded key of one name token: "Zelenskyy", "Zelenskiy" -> "zelenski"."""
    rules, variants = _table()
    plain = _plain(token)
    if plain in variants:
        return variants[plain]
    ruled = _apply_rules(plain, rules)
    return variants.get(ruled, ruled)


# -- titles -------------------------------------------------------------------


@lru_cache(maxsize=None)
def title_sectors() -> dict[str, str]:
    """Title word or phrase (lowercase) -> sector, from roles.tsv."""
    out = {}
    for line in (HERE / "roles.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip() or line.startswith("near\t"):
            continue
        word, sector = line.split("\t")
        out[word] = sector
    return out


@lru_cache(maxsize=None)
def near_sectors() -> frozenset[frozenset[str]]:
    """Pairs of sectors a career often crosses; they never conflict."""
    pairs = set()
    for line in (HERE / "roles.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("near\t"):
            _, a, b = line.split("\t")
            pairs.add(frozenset((a, b)))
    return frozenset(pairs)


def is_title_word(word: str) -> bool:
    w = fold(word)
    return w in title_sectors() or w in MODIFIERS


@lru_cache(maxsize=None)
def _surname_first() -> dict[str, bool]:
    """Family name -> also a Western given name (the "*" in surname_first.txt)."""
    out = {}
    for line in (HERE / "surname_first.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out[fold(line.rstrip("*"))] = line.endswith("*")
    return out


# -- parsing --------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedName:
    """A person's name split into keyed parts. ``given`` is "" when only a
    surname is known; ``initial`` says the given name is a single letter."""

    text: str
    given: str
    given_letter: str  # first letter of the given name as written (folded)
    initial: bool
    middle: tuple[str, ...]
    surname: str
    suffix: str
    titles: tuple[str, ...]
    gender: Optional[str]

    @property
    def key(self) -> str:
        """given|surname, the person's name key ("" given for a bare surname)."""
        return f"{self.given}|{self.surname}"

    @property
    def is_full(self) -> bool:
        return bool(self.given) and not self.initial

    @property
    def is_bare(self) -> bool:
        return not self.given


def _tokens(text: str) -> list[str]:
    text = text.translate(SPECIAL_LETTERS)
    tokens = [t.strip(",;:()[]\"") for t in text.split()]
    return [t for t in tokens if t and any(ch.isalnum() for ch in t)]


def _is_acronym(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and "." not in token and all(ch.isupper() for ch in letters)


def _capitals(tokens: list[str]) -> Optional[list[str]]:
    """A name written all in capitals is title-cased; a name with an acronym
    in it ("UC Davis", "ET") is not a person's name (None)."""
    if len(tokens) > 1 and all(_is_acronym(t) for t in tokens):
        return [t.title() for t in tokens]
    if any(_is_acronym(t) and _plain(t) not in SUFFIXES for t in tokens):
        return None
    return tokens


def _strip_titles(tokens: list[str]) -> tuple[list[str], list[str]]:
    titles = []
    while len(tokens) > 1 and is_title_word(tokens[0]):
        titles.append(tokens.pop(0))
    return tokens, titles


def _is_initial(token: str) -> bool:
    return len(_plain(token)) == 1


def _surname_start(tokens: list[str]) -> int:
    """Index where the surname starts: the last token and the particles before it."""
    i = len(tokens) - 1
    while i > 1 and fold(tokens[i - 1]) in PARTICLES:
        i -= 1
    if i == 1 and len(tokens) > 2 and fold(tokens[0]) in PARTICLES:
        i = 0
    if len(tokens) == 2 and fold(tokens[0]) in PARTICLES:  # "Bin Laden", "De Gaulle"
        i = 0
    return i


def _surname_key(tokens: list[str]) -> str:
    parts = [fold(t) for t in tokens]
    if len(parts) > 1 and parts[0] in ARABIC_ARTICLES:
        parts = parts[1:]
    head, dash, rest = parts[0].partition("-")
    if dash and head in ARABIC_ARTICLES and rest:
        parts[0] = rest
    return "".join(token_key(p) for p in parts)


def _reads_surname_first(tokens: list[str]) -> bool:
    if len(tokens) < 2:
        return False
    western_too = _surname_first().get(fold(tokens[0]))
    if western_too is None:
        return False
    if not western_too:
        return True
    rest = tokens[1:]
    short = all(len(_plain(t)) <= MAX_SYLLABLE_LETTERS for t in rest)
    return ("-" in "".join(rest) and len(rest) == 1) or (len(rest) >= 2 and short)


def _gender(titles: list[str]) -> Optional[str]:
    sectors = title_sectors()
    for t in titles:
        sector = sectors.get(fold(t), "")
        if sector.startswith("gender:"):
            return sector.split(":", 1)[1]
    return None


def parse_name(text: Optional[str]) -> Optional[ParsedName]:
    """The parts of a person's name, or None when nothing name-like is left."""
    tokens = _capitals(_tokens(text or ""))
    if tokens is None:
        return None
    tokens, titles = _strip_titles(tokens)
    suffix = ""
    if len(tokens) > 1 and _plain(tokens[-1]) in SUFFIXES:
        suffix = SUFFIXES[_plain(tokens.pop())]
    if not tokens or not _plain(tokens[-1]):
        return None
    name_text = " ".join(tokens)
    if len(tokens) == 1:
        given_tokens, middle, surname_tokens = [], [], tokens
    elif _reads_surname_first(tokens):
        given_tokens, middle, surname_tokens = tokens[1:], [], tokens[:1]
    else:
        start = _surname_start(tokens)
        given_tokens, middle, surname_tokens = tokens[:1][:start], tokens[1:start], tokens[start:]
    given = "".join(token_key(t) for t in given_tokens)
    initial = len(given_tokens) == 1 and _is_initial(given_tokens[0])
    return ParsedName(
        text=name_text,
        given=_plain(given_tokens[0])[:1] if initial else given,
        given_letter=_plain(given_tokens[0])[:1] if given_tokens else "",
        initial=initial,
        middle=tuple(_plain(t)[:1] if _is_initial(t) else token_key(t) for t in middle),
        surname=_surname_key(surname_tokens),
        suffix=suffix,
        titles=tuple(titles),
        gender=_gender(titles),
    )


# -- compatibility ----------------------------------------------------------------


def _part_compatible(a: str, a_initial: bool, b: str, b_initial: bool, a_letter: str = "", b_letter: str = "") -> bool:
    if not a or not b:
        return True
    if a_initial or b_initial:
        return (a_letter or a[:1]) == (b_letter or b[:1])
    return a == b


def given_compatible(a: ParsedName, b: ParsedName) -> bool:
    """Same given name, or one is the other's initial, or one side has none."""
    return _part_compatible(a.given, a.initial, b.given, b.initial, a.given_letter, b.given_letter)


def middle_compatible(a: ParsedName, b: ParsedName) -> bool:
    """George H. W. Bush and George W. Bush differ; Donald J. and Donald John Trump do not."""
    if not a.middle or not b.middle:
        return True
    x, y = a.middle[0], b.middle[0]
    return _part_compatible(x, len(x) == 1, y, len(y) == 1)


def names_compatible(a: ParsedName, b: ParsedName) -> bool:
    """Could the two names be the same person's (titles and roles aside)?"""
    return (
        a.surname == b.surname
        and given_compatible(a, b)
        and middle_compatible(a, b)
        and a.suffix == b.suffix
        and (a.gender is None or b.gender is None or a.gender == b.gender)
    )
