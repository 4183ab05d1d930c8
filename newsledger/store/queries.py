"""Read queries over the ledger, shared by the CLI and the web page.

Every function takes an open Ledger and returns plain dicts (column -> value),
so callers can print a table, write JSON/CSV or render a template alike.
All user input reaches SQL as parameters.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Optional, Sequence

from newsledger.errors import NewsledgerError
from newsledger.records import PLACE_LEVELS
from newsledger.store.ledger import Ledger

TABLES = (
    "articles", "sources", "entities", "mentions", "quotes", "rejects", "runs", "schema_migrations",
    "speakers", "speaker_aliases", "speaker_roles", "speaker_entities", "quote_speakers", "speaker_redirects",
    "statements", "statement_sources", "events", "event_actors", "event_groups", "places", "times",
)


class ArticleNotFound(NewsledgerError):
    """`show` was given an id (prefix) that matches no article, or several."""

    exit_code = 2


class BadFilter(NewsledgerError):
    """A filter value that cannot be read (--near, --country, --level): one line, exit 2."""

    exit_code = 2


def _limit_clause(limit: Optional[int], params: list) -> str:
    if limit is None:
        return ""
    params.append(int(limit))
    return " LIMIT ?"


def _filtered(ledger: Ledger, select: str, where: list[str], order: str, params: list, limit: Optional[int]) -> list[dict]:
    """``select`` with the AND of ``where`` (SQL with ? parameters), ordered and limited."""
    sql = select + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY " + order
    return ledger.rows(sql + _limit_clause(limit, params), params)


def quotes(
    ledger: Ledger,
    speaker: Optional[str] = None,
    contains: Optional[str] = None,
    since: Optional[str] = None,
    article_id: Optional[str] = None,
    limit: Optional[int] = None,
) -> list[dict]:
    """Quotes with their speakers, newest articles first.

    ``speaker`` and ``contains`` match case-insensitively anywhere in the
    speaker's name (or mention) and the quote text; ``since`` is an ISO date
    compared with the article date.
    """
    where, params = [], []
    if speaker:
        where.append("(contains(lower(q.speaker_name), lower(?)) OR contains(lower(q.speaker_text), lower(?)))")
        params += [speaker, speaker]
    if contains:
        where.append("contains(lower(q.content_text), lower(?))")
        params.append(contains)
    if since:
        where.append("a.date >= ?")
        params.append(since)
    if article_id:
        where.append("q.article_id = ?")
        params.append(article_id)
    select = (
        "SELECT q.id, q.article_id, a.date, a.title, q.idx, q.kind, q.speaker_name, q.speaker_text,"
        " q.cue_text, q.cue_lemma, q.content_start, q.content_end, q.content_text, q.segments,"
        " q.speaker_start, q.speaker_end, q.run_id"
        " FROM quotes q JOIN articles a ON a.id = q.article_id"
    )
    return _filtered(ledger, select, where, "a.date DESC NULLS LAST, q.article_id, q.idx", params, limit)


def entities(
    ledger: Ledger, type: Optional[str] = None, limit: Optional[int] = None
) -> list[dict]:
    """Canonical entities (name, type, code, a role seen) with mention and article counts."""
    params: list = []
    where = ""
    if type:
        where = " WHERE e.type = ?"
        params.append(type.upper())
    sql = (
        "SELECT e.name, e.type, e.code, any_value(e.role) AS role, count(m.entity_id) AS mentions,"
        " count(DISTINCT e.article_id) AS articles"
        " FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id"
        + where
        + " GROUP BY e.name, e.type, e.code ORDER BY articles DESC, mentions DESC, e.name"
    )
    return ledger.rows(sql + _limit_clause(limit, params), params)


def find_article(ledger: Ledger, id_prefix: str) -> dict:
    """The one article whose id starts with ``id_prefix``."""
    # The id first, then the row: DuckDB reads every wide column (text) of
    # the rows it scans, so the prefix scan touches only ids (8 ms -> 2 ms
    # on the 296-article Wikinews ledger).
    ids = ledger.execute("SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 2",
                         [id_prefix]).fetchall()
    if not ids:
        raise ArticleNotFound(f"no article id starts with {id_prefix!r}")
    if len(ids) > 1:
        raise ArticleNotFound(f"article id prefix {id_prefix!r} is ambiguous: give more characters")
    return ledger.rows("SELECT * FROM articles WHERE id = ?", [ids[0][0]])[0]


def article_sources(ledger: Ledger, article_id: str) -> list[dict]:
    return ledger.rows(
        "SELECT origin, url, outlet, title, date, first_seen_run FROM sources"
        " WHERE article_id = ? ORDER BY first_seen_run, source_key",
        [article_id],
    )


def article_entities(ledger: Ledger, article_id: str) -> list[dict]:
    return ledger.rows(
        "SELECT e.id, e.idx, e.name, e.type, e.code, e.role, count(m.entity_id) AS mentions"
        " FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id"
        " WHERE e.article_id = ? GROUP BY ALL ORDER BY e.idx",
        [article_id],
    )


# -- events -------------------------------------------------------------------

# The actors and recipients of each event mention, in coded order.
EVENT_SIDES_SQL = """
SELECT event_id,
    list({'name': name, 'code': code, 'sector': sector, 'start': mention_start, 'end': mention_end,
          'text': mention_text, 'entity_id': entity_id} ORDER BY idx) FILTER (WHERE role = 'actor') AS actor,
    list({'name': name, 'code': code, 'sector': sector, 'start': mention_start, 'end': mention_end,
          'text': mention_text, 'entity_id': entity_id} ORDER BY idx) FILTER (WHERE role = 'recipient') AS recipient
FROM event_actors GROUP BY event_id
"""


# A folded event's location: that of one member mention, the closest
# evidence first (clause, then sentence, then a place named elsewhere in the
# article), then in the fold's member order (article date, article id, index).
LOCATION_SOURCES = ("clause", "sentence", "article")
_SOURCE_RANK = " ".join(f"WHEN '{source}' THEN {n}" for n, source in enumerate(LOCATION_SOURCES))
def event_location_sql(extra: str = "") -> str:
    """EVENT_LOCATION_SQL, with ``extra`` (SQL over ``e``, e.g. a group filter)
    applied before the ranking: a group's rank depends on its own rows only."""
    return f"""
SELECT * EXCLUDE (loc_rank) FROM (
    SELECT e.group_id, e.id AS loc_event, e.article_id AS loc_article, e.loc_start, e.loc_end, e.loc_text,
        e.loc_name, e.loc_geonameid, e.loc_lat, e.loc_lon, e.loc_admin1, e.loc_country, e.loc_feature_class,
        e.loc_feature_code, e.loc_resolution, e.loc_source, e.loc_confidence,
        row_number() OVER (PARTITION BY e.group_id ORDER BY
            CASE e.loc_source {_SOURCE_RANK} ELSE {len(LOCATION_SOURCES)} END,
            a.date NULLS LAST, e.article_id, e.idx) AS loc_rank
    FROM events e JOIN articles a ON a.id = e.article_id
    WHERE e.group_id IS NOT NULL AND (e.loc_start IS NOT NULL OR e.loc_text IS NOT NULL){extra}
) WHERE loc_rank = 1
"""


EVENT_LOCATION_SQL = event_location_sql()


# Up to this many values, a filter is written as equalities (any_of).
ANY_OF_MAX = 100


def any_of(column: str, values: Sequence) -> tuple[str, list]:
    """A filter keeping rows whose ``column`` is one of ``values``, and its
    parameters. Up to ANY_OF_MAX values it is ``(column = ? OR ...)``: DuckDB
    pushes equalities into the scan and reads wide columns (article text) for
    the matching rows only, where an IN list or list_contains reads them for
    every row (22 ms -> 7 ms for 20 articles of the 296-article ledger)."""
    if len(values) <= ANY_OF_MAX:
        return "(" + " OR ".join([f"{column} = ?"] * len(values)) + ")", list(values)
    return f"list_contains(?::VARCHAR[], {column})", [list(values)]


# Great-circle distance in km (haversine) from the row's {lat}, {lon} to a
# point given as three parameters: lat, lat, lon. 6371.0088 km is the IUGG
# mean Earth radius; least() keeps rounding from leaving asin's domain.
EARTH_RADIUS_KM = 6371.0088
HAVERSINE_KM_SQL = (
    f"(2 * {EARTH_RADIUS_KM} * asin(sqrt(least(1.0, pow(sin(radians({{lat}} - ?) / 2), 2)"
    " + cos(radians(?)) * cos(radians({lat})) * pow(sin(radians({lon} - ?) / 2), 2)))))"
)


class Near(NamedTuple):
    """A point and a radius: ``--near LAT,LON,KM``."""

    lat: float
    lon: float
    km: float


def parse_near(value: str) -> Near:
    """``"50.45,30.52,100"`` -> Near(50.45, 30.52, 100.0), or BadFilter saying what is wrong."""
    parts = [p.strip() for p in (value or "").split(",")]
    try:
        lat, lon, km = (float(p) for p in parts) if len(parts) == 3 else (None, None, None)
    except ValueError:
        lat = lon = km = None
    if lat is None or any(x != x or x in (float("inf"), float("-inf")) for x in (lat, lon, km)):
        raise BadFilter(f"--near {value!r}: give LAT,LON,KM in decimal degrees and kilometres, e.g. 50.45,30.52,100")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadFilter(f"--near {value!r}: latitude must be within -90..90 and longitude within -180..180")
    if km <= 0:
        raise BadFilter(f"--near {value!r}: the distance must be more than 0 km")
    return Near(lat, lon, km)


_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")


def check_country(value: str) -> str:
    """An ISO 3166 alpha-3 code, upper-cased, or BadFilter."""
    if not _ALPHA3.match(value or ""):
        raise BadFilter(f"--country {value!r}: give an ISO 3166 alpha-3 country code such as UKR or USA")
    return value.upper()


def check_level(value: str) -> str:
    if value not in PLACE_LEVELS:
        raise BadFilter(f"--level {value!r}: use one of {', '.join(PLACE_LEVELS)}")
    return value


def events(
    ledger: Ledger,
    actor: Optional[str] = None,
    type: Optional[str] = None,
    since: Optional[str] = None,
    include_hypothetical: bool = False,
    limit: Optional[int] = None,
    country: Optional[str] = None,
    near: Optional["Near"] = None,
) -> list[dict]:
    """Folded events (event_groups), newest first, each with its first
    evidence (the first mention's article, sentence, trigger and sides) and
    its location (``loc_*`` columns, EVENT_LOCATION_SQL; NULL when unknown).

    ``actor`` matches an actor or recipient code (any case); ``type`` a PLOVER
    type; ``since`` an ISO date compared with the event's date (its own, else
    its first article's). ``country`` (ISO alpha-3) matches the country of
    the event's location, never its actors'; ``near`` keeps events whose
    location has coordinates within ``near.km`` of the point, and adds
    ``distance_km``. Hypothetical and negated events are left out unless
    ``include_hypothetical``.
    """
    rows, _ = events_page(ledger, limit, 0, actor=actor, type=type, since=since,
                          include_hypothetical=include_hypothetical, country=country, near=near)
    return rows


EVENT_ORDER = "g.date DESC NULLS LAST, g.n_articles DESC, g.n_mentions DESC, g.id"


def events_page(ledger: Ledger, limit: Optional[int], offset: int = 0, where: Sequence[str] = (),
                params: Sequence = (), *, actor: Optional[str] = None, type: Optional[str] = None,
                since: Optional[str] = None, include_hypothetical: bool = False, country: Optional[str] = None,
                near: Optional["Near"] = None) -> tuple[list[dict], int]:
    """(a page of ``events``, how many match) in two steps: the ids of the
    matching groups, in order, from event_groups alone (and the location
    when a place filter asks for it); then the evidence of one page of them.
    ``where``/``params`` add conditions on event_groups' columns."""
    conds, values = _event_conditions(actor, type, since, include_hypothetical, country, near)
    conds, values = conds + list(where), values + list(params)
    located = country is not None or near is not None
    ids_sql = ("SELECT g.id FROM event_groups g"
               + (f" LEFT JOIN ({EVENT_LOCATION_SQL}) l ON l.group_id = g.id" if located else "")
               + (" WHERE " + " AND ".join(conds) if conds else "") + " ORDER BY " + EVENT_ORDER)
    ids = [r[0] for r in ledger.execute(ids_sql, values).fetchall()]
    page = ids[offset:] if limit is None else ids[offset:offset + int(limit)]
    if not page:
        return [], len(ids)
    distance, dparams = "", []
    if near is not None:
        distance = f", {HAVERSINE_KM_SQL.format(lat='l.loc_lat', lon='l.loc_lon')} AS distance_km"
        dparams = [near.lat, near.lat, near.lon]
    by_group, group_params = any_of("g.id", page)
    firsts = ledger.execute("SELECT g.first_event, e.article_id FROM event_groups g JOIN events e"
                            f" ON e.id = g.first_event WHERE {by_group}", group_params).fetchall()
    events_, articles_ = [r[0] for r in firsts], sorted({r[1] for r in firsts})
    sides_f, sides_p = any_of("event_id", events_)
    page_f, page_p = any_of("id", page)
    events_f, events_p = any_of("id", events_)
    arts_f, arts_p = any_of("id", articles_)
    loc_f, loc_p = any_of("e.group_id", page)
    select = (
        f"WITH sides AS ({EVENT_SIDES_SQL.replace('GROUP BY', f'WHERE {sides_f} GROUP BY')}),"
        f" page AS (SELECT * FROM event_groups WHERE {page_f})"
        " SELECT g.*, s.actor AS first_actor, s.recipient AS first_recipient, e.modes AS first_modes,"
        " e.sentence_start, e.sentence_end,"
        " substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text,"
        " e.trigger_start, e.trigger_end, e.trigger_text, e.quote_id, q.speaker_name AS claimed_by,"
        f" a.title, a.url, a.outlet, a.date AS article_date, l.* EXCLUDE (group_id){distance}"
        f" FROM page g JOIN (SELECT * FROM events WHERE {events_f}) e ON e.id = g.first_event"
        f" JOIN (SELECT id, title, url, outlet, date, text FROM articles WHERE {arts_f}) a ON a.id = e.article_id"
        " LEFT JOIN sides s ON s.event_id = e.id LEFT JOIN quotes q ON q.id = e.quote_id"
        f" LEFT JOIN ({event_location_sql(' AND ' + loc_f)}) l ON l.group_id = g.id"
        " ORDER BY " + EVENT_ORDER
    )
    params = [*sides_p, *page_p, *dparams, *events_p, *arts_p, *loc_p]  # in text order
    return ledger.rows(select, params), len(ids)


def _event_conditions(actor, type, since, include_hypothetical, country, near) -> tuple[list[str], list]:
    where, params = [], []
    if country:
        where.append("l.loc_country = ?")
        params.append(check_country(country))
    if near is not None:
        where.append(f"l.loc_lat IS NOT NULL AND {HAVERSINE_KM_SQL.format(lat='l.loc_lat', lon='l.loc_lon')} <= ?")
        params += [near.lat, near.lat, near.lon, near.km]
    if not include_hypothetical:
        where.append("NOT g.hypothetical AND NOT g.negated")
    if actor:
        where.append("(list_contains(g.actor_codes, ?) OR list_contains(g.recipient_codes, ?))")
        params += [actor.upper(), actor.upper()]
    if type:
        where.append("g.type = ?")
        params.append(type.upper())
    if since:
        where.append("g.date >= left(?, length(g.date))")  # "2022" is not before 2022-01-01
        params.append(since)
    return where, params


# -- places ---------------------------------------------------------------------


def places(
    ledger: Ledger, country: Optional[str] = None, level: Optional[str] = None, limit: Optional[int] = None
) -> list[dict]:
    """Resolved places, one row per gazetteer entry (name, id, country, admin1,
    level, point), most mentioned first, with ``mentions``, ``articles`` and
    ``metonymic`` (mentions where the name stands for an actor) counts.
    Unresolved mentions (no name) are left out: ``unresolved_places`` counts them."""
    where, params = ["p.name IS NOT NULL"], []
    if country:
        where.append("p.country = ?")
        params.append(check_country(country))
    if level:
        where.append("p.level = ?")
        params.append(check_level(level))
    sql = (
        "SELECT p.name, p.geonameid, p.country, p.admin1, p.level, p.lat, p.lon, count(*) AS mentions,"
        " count(DISTINCT p.article_id) AS articles, count(*) FILTER (WHERE p.metonymic) AS metonymic"
        " FROM places p WHERE " + " AND ".join(where)
        + " GROUP BY ALL ORDER BY mentions DESC, articles DESC, p.name, p.geonameid NULLS LAST"
    )
    return ledger.rows(sql + _limit_clause(limit, params), params)


def unresolved_places(ledger: Ledger) -> int:
    """Toponym mentions no gazetteer entry was chosen for."""
    return ledger.execute("SELECT count(*) FROM places WHERE name IS NULL").fetchone()[0]


def unfolded_events(ledger: Ledger) -> int:
    """Event mentions the folding pass has not grouped yet (an interrupted ingest)."""
    return ledger.execute("SELECT count(*) FROM events WHERE group_id IS NULL").fetchone()[0]


def table_counts(ledger: Ledger) -> dict[str, int]:
    # Table names come from the fixed TABLES tuple, never from input.
    return {t: ledger.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def rejects_by_reason(ledger: Ledger) -> list[dict]:
    return ledger.rows(
        "SELECT stage, reason, count(*) AS n FROM rejects WHERE resolved_run IS NULL"
        " GROUP BY stage, reason ORDER BY n DESC, reason"
    )


def runs(ledger: Ledger, limit: Optional[int] = 20) -> list[dict]:
    params: list = []
    sql = (
        "SELECT id, started_at, finished_at, status, code_version, model_name, model_version, counts"
        " FROM runs ORDER BY id DESC"
    )
    return ledger.rows(sql + _limit_clause(limit, params), params)


def stats(ledger: Ledger) -> dict:
    """Counts per table, rejects by reason and the latest runs."""
    return {
        "tables": table_counts(ledger),
        "rejects": rejects_by_reason(ledger),
        "runs": runs(ledger),
    }


def plain(value: Any) -> Any:
    """A value as JSON can hold it: dates, decimals and the like become strings."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return str(value)
