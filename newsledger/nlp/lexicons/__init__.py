"""Heuristics as data: word lists that live next to the code that uses them.

Each file starts with a comment header saying where it came from. The version
of the lexicons (a hash of their contents) is recorded with every run.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _lines(name: str) -> list[str]:
    out = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        line = line.rstrip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """A one-item-per-line list as a set (case kept)."""
    return frozenset(_lines(name))


@lru_cache(maxsize=None)
def speech_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """(verbs that cue on their own, verbs that need a clausal complement)."""
    plain, needs_clause = set(), set()
    for w in _lines("speech_verbs.txt"):
        (needs_clause if w.endswith("*") else plain).add(w.rstrip("*"))
    return frozenset(plain), frozenset(needs_clause)


@lru_cache(maxsize=None)
def countries() -> tuple[dict[str, str], dict[str, str]]:
    """(name -> alpha3, demonym -> alpha3), names from pycountry plus countries.tsv."""
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value] = c.alpha_3
    demonyms: dict[str, str] = {}
    for line in _lines("countries.tsv"):
        code, extra, dem = (line.split("\t") + ["", ""])[:3]
        for n in filter(None, extra.split("|")):
            names[n] = code
        for d in filter(None, dem.split("|")):
            demonyms[d] = code
    return names, demonyms


def version() -> str:
    """Short hash of every lexicon file, recorded with runs and records."""
    h = hashlib.sha256()
    for p in sorted(HERE.glob("*.t*")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:12]
