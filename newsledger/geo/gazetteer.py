"""Look places up in the offline gazetteer (one SQLite file; build.py makes it).

    gaz = Gazetteer.open()              # builds on first use (about 25 s)
    gaz.candidates("Paris")             # [Paris FR (PPLC), ..., Paris TX, ...]
    gaz.candidates("Ky.")               # [Kentucky]
    gaz.country("USA"), gaz.admin1("USA", "KY"), gaz.demonym("Russians")

Names are matched exactly after normalisation (newsledger.geo.names):
casefold, ASCII-fold, no dots, no leading "the". Acronyms and abbreviations
must also match case-sensitively ("US" and "U.S." find the United States,
"us" does not). Candidates come most populous first; population is only a
prior, the geoparser decides. One read-only connection per Gazetteer,
usable from several threads; lookups are cached.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from newsledger.errors import NewsledgerError
from newsledger.geo.build import BUILD_VERSION, build_gazetteer, default_path, file_version
from newsledger.geo.names import cased_form, normalize_name

log = logging.getLogger(__name__)

# Distinct queries remembered per Gazetteer. A news corpus has a few thousand
# distinct toponym strings per 10,000 articles; 65,536 entries hold them all
# in a few tens of MB.
CACHE_SIZE = 65_536
_COLUMNS = ("geonameid, name, feature_class, feature_code, level, country, admin1_code, admin1, "
            "lat, lon, population")


class GazetteerError(NewsledgerError):
    """The gazetteer file is missing, outdated or unreadable."""

    exit_code = 2


@dataclass(frozen=True)
class Entry:
    geonameid: int
    name: str
    feature_class: str  # "P", "A" or "L" (continents)
    feature_code: str  # "PPL", "PPLC", "PCLI" (dissolved: "PCLH"), "ADM1", "CONT"
    level: str  # "city" | "admin1" | "country" | "continent"
    country: Optional[str]  # ISO 3166-1 alpha-3
    admin1_code: Optional[str]  # GeoNames admin1 code: "KY"
    admin1: Optional[str]  # admin1 name: "Kentucky"
    lat: Optional[float]
    lon: Optional[float]
    population: int


class Gazetteer:
    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.path = path
        self._db = connection
        self._lock = threading.Lock()
        self._candidates = lru_cache(maxsize=CACHE_SIZE)(self._query_candidates)
        self._is_name = lru_cache(maxsize=CACHE_SIZE)(self._query_is_name)
        self._demonym = lru_cache(maxsize=4096)(self._query_demonym)

    @classmethod
    def open(cls, path: Optional[Path] = None, build: bool = True) -> "Gazetteer":
        """Open the gazetteer at ``path`` (default: default_path()), building it first if needed.

        With ``build=False`` a missing or outdated file raises GazetteerError.
        """
        path = Path(path) if path else default_path()
        if file_version(path) != BUILD_VERSION:
            if not build:
                raise GazetteerError(
                    f"gazetteer {path} is missing or was built by another version: "
                    "run `python -m newsledger.geo` to build it"
                )
            build_gazetteer(path)
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            db.execute("SELECT 1 FROM places LIMIT 1")
        except sqlite3.Error as err:
            raise GazetteerError(f"gazetteer {path} is unreadable ({err}): delete it to rebuild") from err
        return cls(db, path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Gazetteer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------- lookups

    def candidates(self, name: str, limit: int = 50) -> list[Entry]:
        """Places called ``name`` (exact match after normalisation), most populous first.

        On equal population a city comes before a division or a country.
        """
        return list(self._candidates(name or "", int(limit)))

    def is_name(self, name: str) -> bool:
        """Whether any place is called ``name``: the same match as candidates(), cheaper."""
        return self._is_name(name or "")

    def get(self, geonameid: int) -> Optional[Entry]:
        return self._one(f"SELECT {_COLUMNS} FROM places WHERE geonameid = ?", (int(geonameid),))

    def country(self, alpha3: str) -> Optional[Entry]:
        return self._one(f"SELECT {_COLUMNS} FROM places WHERE country = ? AND level = 'country'",
                         ((alpha3 or "").strip().upper(),))

    def admin1(self, alpha3: str, admin1_code: str) -> Optional[Entry]:
        """The first-level division ``admin1_code`` ("KY"; "US.KY" is accepted too) of a country."""
        code = (admin1_code or "").strip()
        code = code.split(".", 1)[1] if code[:3].endswith(".") else code
        return self._one(
            f"SELECT {_COLUMNS} FROM places WHERE country = ? AND level = 'admin1' AND admin1_code = ?",
            ((alpha3 or "").strip().upper(), code),
        )

    def demonym(self, word: str) -> Optional[str]:
        """Country alpha-3 of a demonym or national adjective: "Russian(s)" -> "RUS"."""
        key = normalize_name(word or "")
        return self._demonym(key) if key else None

    def meta(self) -> dict[str, str]:
        """Build facts: version, date, package versions, row counts."""
        with self._lock:
            return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    # ------------------------------------------------------------ queries

    def _query_candidates(self, name: str, limit: int) -> tuple[Entry, ...]:
        key, cased = normalize_name(name), cased_form(name)
        if not key:
            return ()
        sql = (f"SELECT {_COLUMNS} FROM places WHERE geonameid IN ("
               "SELECT geonameid FROM names WHERE name_norm = ? AND (cased = '' OR cased = ?)) "
               "ORDER BY population DESC, level = 'city' DESC, geonameid LIMIT ?")
        with self._lock:
            rows = self._db.execute(sql, (key, cased, limit)).fetchall()
        return tuple(Entry(*row) for row in rows)

    def _query_is_name(self, name: str) -> bool:
        key, cased = normalize_name(name), cased_form(name)
        if not key:
            return False
        sql = "SELECT 1 FROM names WHERE name_norm = ? AND (cased = '' OR cased = ?) LIMIT 1"
        with self._lock:
            return self._db.execute(sql, (key, cased)).fetchone() is not None

    def _query_demonym(self, key: str) -> Optional[str]:
        tries = [key]
        if key.endswith("s"):  # "Russians", "Americans"
            tries.append(key[:-1])
        with self._lock:
            for k in tries:
                row = self._db.execute("SELECT alpha3 FROM demonyms WHERE demonym = ?", (k,)).fetchone()
                if row:
                    return row[0]
        return None

    def _one(self, sql: str, params: tuple) -> Optional[Entry]:
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return Entry(*row) if row else None


_SHARED: Optional[Gazetteer] = None


def shared_gazetteer() -> Gazetteer:
    """The process's one open gazetteer (built on first use), shared by every
    pipeline in the process and by each worker of a batch run."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Gazetteer.open()
    return _SHARED
