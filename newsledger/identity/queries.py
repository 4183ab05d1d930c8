"""Read queries over the speaker tables, for the CLI and the web page.

Functions take a Ledger (or a duckdb connection) and return plain dicts. A
name typed by a user ("lukashenko", "Aleksandr Lukashenko", an id prefix) is
resolved with ``find_speakers``; several matches raise AmbiguousSpeaker,
whose message lists them.
"""

from __future__ import annotations

import re
from typing import Optional

from newsledger.errors import NewsledgerError
from newsledger.identity.names import fold, parse_name

# Fewest hex characters taken as an id prefix rather than a name.
MIN_ID_PREFIX = 6
# Candidates named in an AmbiguousSpeaker message.
MAX_LISTED = 8

SPEAKER_COLUMNS = (
    "s.id, s.name, s.type, s.n_statements, s.n_articles, s.n_mentioned, s.countries, s.single_name,"
    " s.first_date, s.last_date,"
    " (SELECT list({'alias': a.alias, 'n_articles': a.n_articles} ORDER BY a.n_articles DESC, a.alias)"
    "  FROM speaker_aliases a WHERE a.speaker_id = s.id) AS aliases,"
    " (SELECT list({'role': r.role, 'n_articles': r.n_articles} ORDER BY r.n_articles DESC, r.role)"
    "  FROM speaker_roles r WHERE r.speaker_id = s.id) AS roles"
)


class SpeakerNotFound(NewsledgerError):
    """No speaker matches the name or id given."""

    exit_code = 2


class AmbiguousSpeaker(NewsledgerError):
    """Several speakers match; the message lists them with their ids."""

    exit_code = 2

    def __init__(self, text: str, candidates: list[dict]):
        listed = "; ".join(f"{c['name']} ({c['type']}, {c['n_statements']} statements, id {c['id'][:10]})"
                           for c in candidates[:MAX_LISTED])
        more = f"; and {len(candidates) - MAX_LISTED} more" if len(candidates) > MAX_LISTED else ""
        super().__init__(f"{text!r} matches {len(candidates)} speakers: {listed}{more}; "
                         "give the full name or an id")
        self.candidates = candidates


def _rows(con, sql: str, params: list) -> list[dict]:
    con = getattr(con, "con", con)
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def list_speakers(con, limit: Optional[int] = None, type: Optional[str] = None,
                  min_statements: int = 1) -> list[dict]:
    """Speakers by number of statements, with their aliases and roles."""
    where, params = ["s.n_statements >= ?"], [min_statements]
    if type:
        where.append("s.type = ?")
        params.append(type.upper())
    sql = (f"SELECT {SPEAKER_COLUMNS} FROM speakers s WHERE " + " AND ".join(where)
           + " ORDER BY s.n_statements DESC, s.n_articles DESC, s.name, s.id")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return _rows(con, sql, params)


def _by_ids(con, ids: list[str]) -> list[dict]:
    if not ids:
        return []
    return _rows(con, f"SELECT {SPEAKER_COLUMNS} FROM speakers s WHERE list_contains(?, s.id)"
                      " ORDER BY s.n_statements DESC, s.name, s.id", [ids])


def _ids(con, sql: str, params: list) -> list[str]:
    return [r["id"] for r in _rows(con, sql, params)]


def _match_id(con, text: str) -> list[str]:
    if not re.fullmatch(r"[0-9a-f]{%d,32}" % MIN_ID_PREFIX, text.lower()):
        return []
    ids = _ids(con, "SELECT id FROM speakers WHERE starts_with(id, ?)", [text.lower()])
    return ids or _ids(con, "SELECT DISTINCT new_id AS id FROM speaker_redirects WHERE starts_with(old_id, ?)",
                       [text.lower()])


def _match_name(con, text: str) -> list[str]:
    parsed = parse_name(text)
    if parsed is None:
        return []
    if parsed.is_bare:
        return _ids(con, "SELECT id FROM speakers WHERE type = 'PERSON' AND split_part(key, '|', 3) = ?",
                    [parsed.surname])
    given = "split_part(key, '|', 2)"
    cond = f"starts_with({given}, ?)" if parsed.initial else f"{given} = ?"
    return _ids(con, f"SELECT id FROM speakers WHERE type = 'PERSON' AND {cond} AND split_part(key, '|', 3) = ?",
                [parsed.given, parsed.surname])


def _match_alias(con, text: str) -> list[str]:
    return _ids(con, "SELECT DISTINCT speaker_id AS id FROM speaker_aliases WHERE strip_accents(lower(alias)) = ?",
                [fold(text)])


def _match_part(con, text: str) -> list[str]:
    return _ids(con, "SELECT DISTINCT speaker_id AS id FROM speaker_aliases"
                     " WHERE contains(strip_accents(lower(alias)), ?)", [fold(text)])


def find_speakers(con, text: str) -> list[dict]:
    """Speakers a user-typed name or id may mean, best kind of match first:
    an id (prefix), the same name key (spelling variants fold, a bare surname
    matches every full name with it), an alias, then part of an alias."""
    text = " ".join((text or "").split())
    if not text:
        raise SpeakerNotFound("give a speaker name or id")
    for match in (_match_id, _match_name, _match_alias, _match_part):
        ids = match(con, text)
        if ids:
            return _by_ids(con, ids)
    return []


def find_speaker(con, text: str) -> dict:
    """The one speaker ``text`` names; SpeakerNotFound or AmbiguousSpeaker otherwise."""
    found = find_speakers(con, text)
    if not found:
        total = _rows(con, "SELECT count(*) AS n FROM speakers", [])[0]["n"]
        hint = "" if total else " (the ledger has no speakers yet: run `newsledger ingest` to build them)"
        raise SpeakerNotFound(f"no speaker matches {text!r}{hint}")
    if len(found) > 1:
        raise AmbiguousSpeaker(text, found)
    return found[0]


def speaker_statements(con, name_or_id: str, limit: Optional[int] = None,
                       since: Optional[str] = None) -> tuple[dict, list[dict]]:
    """(the speaker, their statements oldest first) with article links and offsets."""
    speaker = find_speaker(con, name_or_id)
    params: list = [speaker["id"]]
    sql = (
        "SELECT a.date, a.outlet, q.kind, q.content_text, q.article_id, a.url, a.title, q.id AS quote_id,"
        " q.content_start, q.content_end, q.segments, q.cue_text, q.speaker_text, q.speaker_start,"
        " q.speaker_end, qs.via"
        " FROM quote_speakers qs JOIN quotes q ON q.id = qs.quote_id JOIN articles a ON a.id = q.article_id"
        " WHERE qs.speaker_id = ?"
    )
    if since:
        sql += " AND a.date >= ?"
        params.append(since)
    sql += " ORDER BY a.date NULLS LAST, q.article_id, q.idx"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return speaker, _rows(con, sql, params)
