"""Place-name normalisation shared by the gazetteer build and its lookups.

Both sides go through :func:`normalize_name`, so "Zürich", "ZURICH" and
"Zurich" meet on one key, as do "U.S." and "US" and "The Hague" and "Hague".
Short all-capital forms ("US", "LA", "NYC") and AP abbreviations ("Ky.",
"Miss.") collide with ordinary words once lowercased ("us", "la", "miss"), so
the gazetteer also keeps a case-sensitive :func:`cased_form` for them and a
query must match it too (see docs/gazetteer.md).
"""

from __future__ import annotations

import unicodedata
from typing import Optional

# Letters that NFKD does not split into a base letter plus a combining mark.
_FOLD = str.maketrans(
    {
        "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ƒ": "f",
    }
)
# Apostrophes, okinas and dashes as they appear in names and in typeset news.
_PUNCT = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "`": "'", "\u00b4": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    }
)
_LEADING_THE = "the "
# Longest all-capital form treated as an acronym ("U.S.A." -> "USA", "HKSAR").
# Five letters covers every code-like alias in the sources we index; longer
# capitalised words are names set in capitals ("PARIS"), not codes.
ACRONYM_MAX_LETTERS = 5


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _surface(text: str) -> str:
    """Punctuation and spacing made uniform; case and letters untouched."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PUNCT)
    return " ".join(text.replace(".", " ").replace(",", " ").replace("-", " ").split())


def normalize_name(text: str) -> str:
    """The lookup key: casefolded, ASCII-folded where possible, no dots, no leading "the"."""
    key = _surface(text).casefold()
    if not key.isascii():
        key = " ".join(_strip_marks(key).translate(_FOLD).split())
    if key.startswith(_LEADING_THE) and len(key) > len(_LEADING_THE):
        key = key[len(_LEADING_THE):]
    # "U S" (from "U. S.") and "US" are the same code.
    if len(key) <= 2 * ACRONYM_MAX_LETTERS and " " in key and all(len(p) == 1 for p in key.split(" ")):
        key = key.replace(" ", "")
    return key


def index_key(text: str) -> Optional[str]:
    """The key a name is indexed under, or None for names outside the Latin script.

    English news writes places in Latin letters, so names that are still not
    ASCII after folding (Cyrillic, Han, Arabic ...) are not indexed.
    """
    if not text:
        return None
    key = normalize_name(text)
    if not key or not key.isascii():
        return None
    return key


def cased_form(text: str) -> str:
    """The case-sensitive form a query must share with an acronym or abbreviation."""
    surface = _strip_marks(_surface(text))
    if len(surface) <= 2 * ACRONYM_MAX_LETTERS and " " in surface and all(len(p) == 1 for p in surface.split(" ")):
        surface = surface.replace(" ", "")
    return surface


def is_acronym(text: str) -> bool:
    """"US", "U.S.", "NYC", "HKSAR": capitals only, at most ACRONYM_MAX_LETTERS letters."""
    letters = cased_form(text).replace(" ", "")
    return 0 < len(letters) <= ACRONYM_MAX_LETTERS and letters.isalpha() and letters.isupper()
