"""The DuckDB ledger: schema and named migrations, the idempotent writer,
the read queries the CLI and web share, and exports."""

from newsledger.store.ledger import DEFAULT_DB, Ledger, open_ledger

__all__ = ["DEFAULT_DB", "Ledger", "open_ledger"]
