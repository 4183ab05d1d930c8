"""Named schema migrations, applied in order, once each, and recorded.

A migration is an SQL file in ``store/migrations/`` named ``NNNN_what.sql``.
``apply_migrations`` runs every file not yet listed in ``schema_migrations``,
each in its own transaction together with the row that records it, so a
failed migration leaves no half-built schema behind. To change the schema,
add a new file with the next number; never edit an applied one.
"""

from __future__ import annotations

import logging
from importlib import resources

log = logging.getLogger(__name__)

_TRACKING_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    name        VARCHAR PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
)
"""


def available_migrations() -> list[tuple[str, str]]:
    """All bundled migrations as (name, sql), in the order they apply."""
    folder = resources.files("newsledger.store").joinpath("migrations")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name
    )
    return [(f.name[: -len(".sql")], f.read_text(encoding="utf-8")) for f in files]


def applied_migrations(con) -> list[str]:
    """Names of the migrations this database has, oldest first ([] for a new file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
        ["schema_migrations"],
    ).fetchone()[0]
    if not exists:
        return []
    rows = con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
    return [r[0] for r in rows]


def pending_migrations(con) -> list[str]:
    done = set(applied_migrations(con))
    return [name for name, _ in available_migrations() if name not in done]


def apply_migrations(con) -> list[str]:
    """Apply every pending migration; return the names applied now."""
    con.execute(_TRACKING_TABLE)
    done = set(applied_migrations(con))
    applied = []
    for name, sql in available_migrations():
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        log.info("applied migration %s", name)
        applied.append(name)
    return applied
