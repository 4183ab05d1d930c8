"""Full-text search over statements: our own inverted index inside the ledger.

DuckDB's ``fts`` extension is not in the duckdb wheel, ``INSTALL fts``
downloads it (which fails offline) and the PyPI builds of it stop at duckdb
1.5, older than ours. So the index is two plain columns in the ledger file:
``search_postings(term, statement_id, tf)`` and ``statements.n_terms`` (the
document length), written in the same transaction as the statements, and
ranked with Okapi BM25 in one SQL query (docs/search.md says why not SQLite
FTS5).

A statement's document is its canonical content followed by its speaker's
name, so "Lukashenko Russian bases" finds what Lukashenko said about bases.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent

# Okapi BM25 parameters: the usual defaults (Robertson & Zaragoza 2009,
# "The Probabilistic Relevance Framework: BM25 and Beyond", section 3.3).
K1 = 1.2
B = 0.75
# Shorter words are not stemmed: "is", "us", "gas" keep their s.
MIN_STEM_LENGTH = 4

_WORD = re.compile(r"\w+(?:'\w+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    lines = (HERE / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _fold(word: str) -> str:
    """Drop accents from a word that is Latin script once they are gone
    ("lukašenka" -> "lukasenka"); leave other scripts as they are (their vowel
    signs are combining marks too)."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return stripped if stripped.isascii() else word


def stem(word: str) -> str:
    """The S-stemmer (Harman 1991, "How effective is suffixing?"): plural -s only."""
    if len(word) < MIN_STEM_LENGTH or not word.isascii():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "'s")):
        return word[:-1]
    return word


def terms(text: Optional[str]) -> list[str]:
    """Index terms of ``text``, in order: folded, stemmed, stopwords left out."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    out = []
    stop = stopwords()
    for word in _WORD.findall(text):
        if word.endswith("'s"):
            word = word[:-2]
        word = _fold(word)
        if word and word not in stop:
            out.append(stem(word))
    return out


def document_terms(content: Optional[str], speaker_name: Optional[str]) -> Counter:
    """Term frequencies of a statement's document (content, then speaker name)."""
    return Counter(terms(content) + terms(speaker_name))


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, in order."""
    return list(dict.fromkeys(terms(query)))


# One query: BM25 with Lucene's non-negative idf, log(1 + (N - df + .5) / (df + .5)).
BM25_SQL = f"""
WITH q AS (SELECT unnest(?::VARCHAR[]) AS term),
stats AS (SELECT count(*) AS n, avg(n_terms) AS avgdl FROM statements),
df AS (
    SELECT p.term, count(*) AS df FROM search_postings p JOIN q ON q.term = p.term GROUP BY p.term
)
SELECT p.statement_id,
       sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
           * p.tf * ({K1} + 1)
           / (p.tf + {K1} * (1 - {B} + {B} * s.n_terms / greatest(stats.avgdl, 1)))) AS score
FROM search_postings p
JOIN df ON df.term = p.term
JOIN statements s ON s.id = p.statement_id
CROSS JOIN stats
GROUP BY p.statement_id, s.n_articles
ORDER BY score DESC, s.n_articles DESC, p.statement_id
LIMIT ?
"""


def rank(con, query: str, limit: int) -> list[tuple[str, float]]:
    """(statement id, BM25 score) of the best ``limit`` statements for ``query``."""
    qterms = query_terms(query)
    if not qterms:
        return []
    return [(sid, float(score)) for sid, score in con.execute(BM25_SQL, [qterms, int(limit)]).fetchall()]
