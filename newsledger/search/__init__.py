"""Statements and statement search (docs/search.md).

* ``update(con)``: after each ingest, group new quotes into statements (one
  thing one speaker said, with every source), index them for full-text search
  and, with the semantic extra, embed them. Idempotent and incremental.
* ``search(con, query)``: ranked statements with their evidence, by meaning
  when the extra is installed and the ledger is embedded, else by full text.
* ``list_statements(con)``: statements with the most sources first.

``con`` is an open Ledger or a DuckDB connection to one.
"""

from __future__ import annotations

from typing import Optional

from newsledger.search import store
from newsledger.search.results import MODES, NOTE_NO_EXTRA, SearchUnavailable, choose_mode, semantic_status
from newsledger.search.results import list_statements, search

__all__ = ["update", "search", "list_statements", "semantic_status", "choose_mode", "MODES", "NOTE_NO_EXTRA",
           "SearchUnavailable"]


def update(con, semantic: Optional[bool] = None, rebuild: bool = False) -> dict:
    """Bring statements, the full-text index and (optionally) embeddings up to date.

    ``semantic``: None embeds when ``newsledger[semantic]`` is installed
    (NEWSLEDGER_SEMANTIC=0 turns that off), True requires it, False skips
    embedding. ``rebuild`` regroups everything.
    Returns counts (statements, multi_source_statements, statements_written,
    embedded, ...) and the seconds each part took. Call it outside any open
    transaction: it commits its own.
    """
    return store.update(con, semantic_mode=semantic, rebuild=rebuild)
