"""What a role says about a person: its sectors and its country.

"Self-proclaimed president of Belarus" -> sectors {public}, countries {BLR};
"the Ukrainian President" -> {public}, {UKR}; "Judge" -> {judiciary}.
Sectors come from roles.tsv. Two people conflict when both have sectors and
no sector of one is the same as, or near (roles.tsv "near" lines), a sector
of the other; they conflict on country when both have countries and share
none. A role that names a country the person is sent to ("ambassador to
Russia") does not give the person that country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from newsledger.identity.names import MODIFIERS, fold, near_sectors, title_sectors

# Longest country name looked for in a role, in words ("United States of America").
MAX_COUNTRY_WORDS = 4
# Words after which a country is where the person goes, not where they are from.
AWAY_WORDS = {"to", "in", "into", "toward", "towards", "against", "with"}
NO_SECTOR = "-"


@dataclass(frozen=True)
class RoleInfo:
    text: str  # the role as the article gave it, leading filler words dropped
    sectors: frozenset[str]
    countries: frozenset[str]
    gender: Optional[str] = None


@lru_cache(maxsize=None)
def _countries() -> dict[str, str]:
    """Folded country name or demonym -> ISO alpha-3, from the nlp lexicons."""
    from newsledger.nlp import lexicons

    names, demonyms = lexicons.countries()
    out = {fold(k): v for k, v in demonyms.items()}
    out.update({fold(k): v for k, v in names.items()})
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[\w.'’-]+", text)


def _bare(word: str) -> str:
    w = fold(word)
    for suffix in ("'s", "'"):
        if w.endswith(suffix):
            w = w[: -len(suffix)]
    return w


def _countries_in(words: list[str]) -> set[str]:
    table = _countries()
    found, i = set(), 0
    while i < len(words):
        for n in range(min(MAX_COUNTRY_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(_bare(w) for w in words[i : i + n]).strip(".") if n > 1 else _bare(words[i])
            code = table.get(phrase) or table.get(phrase.rstrip("."))
            if code:
                away = i > 0 and fold(words[i - 1]) in AWAY_WORDS
                away = away or (i > 1 and fold(words[i - 1]) == "the" and fold(words[i - 2]) in AWAY_WORDS)
                if not away:
                    found.add(code)
                i += n
                break
        else:
            i += 1
    return found


def _sectors_in(words: list[str]) -> tuple[set[str], Optional[str]]:
    sectors_of = title_sectors()
    sectors, gender = set(), None
    folded = [_bare(w) for w in words]
    for i, w in enumerate(folded):
        two = f"{w} {folded[i + 1]}" if i + 1 < len(folded) else ""
        sector = sectors_of.get(two) or sectors_of.get(w) or sectors_of.get(w.rstrip("."))
        if sector is None and w.endswith("s"):
            sector = sectors_of.get(w[:-1])  # "ministers" in "prime ministers"
        if not sector or sector == NO_SECTOR:
            continue
        if sector.startswith("gender:"):
            gender = sector.split(":", 1)[1]
        else:
            sectors.add(sector)
    return sectors, gender


def clean_role(text: str) -> str:
    """Drop the words the role extractor swept in before the role proper:
    "Last year US President" -> "US President", "Both President" -> "President"."""
    words = text.split()
    sectors_of, countries = title_sectors(), _countries()
    for i, w in enumerate(words):
        b = _bare(w)
        if b in sectors_of or b.rstrip(".") in sectors_of or b in MODIFIERS or b in countries or b.strip(".") in countries:
            while i > 0 and "-" in words[i - 1].strip("-"):
                i -= 1  # "Self-proclaimed president", "newly-elected mayor"
            return " ".join(words[i:])
    return text.strip()


def role_info(text: Optional[str]) -> Optional[RoleInfo]:
    if not text or not text.strip():
        return None
    words = _words(text)
    sectors, gender = _sectors_in(words)
    return RoleInfo(clean_role(text), frozenset(sectors), frozenset(_countries_in(words)), gender)


def titles_info(titles: Iterable[str]) -> Optional[RoleInfo]:
    """The titles stripped off a name ("President", "Mr.") read as a role."""
    titles = list(titles)
    return role_info(" ".join(titles)) if titles else None


# -- conflicts ----------------------------------------------------------------------


def sectors_conflict(a: Iterable[str], b: Iterable[str]) -> bool:
    a, b = set(a), set(b)
    if not a or not b or a & b:
        return False
    near = near_sectors()
    return not any(frozenset((x, y)) in near for x in a for y in b)


def countries_conflict(a: Iterable[str], b: Iterable[str]) -> bool:
    a, b = set(a), set(b)
    return bool(a) and bool(b) and not (a & b)
