"""Offline gazetteer: GeoNames-derived places from PyPI packages, in one SQLite file.

See docs/gazetteer.md. ``Gazetteer.open()`` builds the file on first use.
"""

from newsledger.geo.build import BUILD_VERSION, build_gazetteer, default_path
from newsledger.geo.codes import alpha2, alpha3, fips
from newsledger.geo.gazetteer import Entry, Gazetteer, GazetteerError

__all__ = [
    "BUILD_VERSION",
    "Entry",
    "Gazetteer",
    "GazetteerError",
    "alpha2",
    "alpha3",
    "build_gazetteer",
    "default_path",
    "fips",
]
