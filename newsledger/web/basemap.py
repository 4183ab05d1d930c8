"""An offline world map: country shapes from ``countryinfo``, event circles on top.

The basemap is built once per process (``country_paths``, cached) from the
border polygons the ``countryinfo`` package ships (Natural Earth 1:110m
outlines, one ``geoJSON`` FeatureCollection per country file), in an
equirectangular (plate carrée) projection whose SVG user units are degrees:
``x = lon + 180``, ``y = 90 - lat``, so the viewBox is ``0 0 360 180`` and the
``width`` argument only scales it. Coordinates are rounded to
``PRECISION_DEG`` and simplified with Douglas-Peucker, which keeps the whole
map well under ``MAX_BASEMAP_BYTES``.

Nothing is fetched at run time, and every string drawn (country names, place
names) is escaped; links are only kept when they are paths on this site.
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from typing import Any, Iterable, Optional

from markupsafe import Markup, escape

from newsledger.web.charts import fmt, safe_href, svg_open

log = logging.getLogger(__name__)

VIEW_W, VIEW_H = 360.0, 180.0  # degrees of longitude and latitude
# 0.1 degree is ~11 km at the equator, far below one pixel of a 960-px-wide
# map (0.375 degree per pixel), so rounding to it loses nothing visible.
PRECISION_DEG = 0.1
# Douglas-Peucker tolerance: a quarter of a degree is under 0.7 px at 960 px
# wide; it halves the point count of the 1:110m outlines.
SIMPLIFY_DEG = 0.25
# The budget for the map page: the basemap must stay below this.
MAX_BASEMAP_BYTES = 300_000
# Circle radius (in degrees, i.e. user units) for the smallest and the
# largest count; the area grows with the count.
R_MIN, R_MAX = 1.0, 5.0
# Choropleth shades: counts fall into SHADES log-spaced buckets (shade-1 ..
# shade-5 in charts.css); five is what the eye ranks reliably.
SHADES = 5
SHADE_FILL = ("#dbe9f6", "#b3d1ea", "#7fb0d9", "#4a88c2", "#1f5f9e")
LAND_FILL, BORDER = "#e4e4df", "#ffffff"


def project(lon: float, lat: float, width: float = VIEW_W) -> tuple[float, float]:
    """(x, y) of a point on a plate carrée map ``width`` wide (and width/2 high).

    Longitude -180 is the left edge, 180 the right; latitude 90 the top, -90
    the bottom. Raises ValueError for a coordinate outside those ranges.
    """
    lon, lat = float(lon), float(lat)
    if not (-180.0 <= lon <= 180.0) or not (-90.0 <= lat <= 90.0):
        raise ValueError(f"not a longitude/latitude: ({lon}, {lat})")
    scale = width / VIEW_W
    return (lon + 180.0) * scale, (90.0 - lat) * scale


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on one ring (iterative, keeps first and last point)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                dist = math.hypot(px - x1, py - y1)
            else:
                dist = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if dist > best:
                best, index = dist, i
        if index >= 0 and best > tol:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep) if k]


def _ring_path(ring: Iterable[Any]) -> str:
    """One closed ring as ``M x y x y ... Z`` in map units, or "" when it vanishes."""
    pts: list[tuple[float, float]] = []
    for coord in ring:
        try:
            lon, lat = float(coord[0]), float(coord[1])
        except (TypeError, ValueError, IndexError):
            continue
        lon, lat = max(-180.0, min(180.0, lon)), max(-90.0, min(90.0, lat))
        x, y = project(lon, lat)
        pt = (round(x / PRECISION_DEG) * PRECISION_DEG, round(y / PRECISION_DEG) * PRECISION_DEG)
        if not pts or pt != pts[-1]:
            pts.append(pt)
    pts = _simplify(pts, SIMPLIFY_DEG)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(set(pts)) < 3:
        return ""  # an islet smaller than the rounding
    return "M" + " ".join(f"{fmt(x)} {fmt(y)}" for x, y in pts) + "Z"


def geometry_path(geometry: dict) -> str:
    """The SVG path data of a GeoJSON Polygon or MultiPolygon ("" for anything else)."""
    kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return "".join(_ring_path(ring) for polygon in polygons for ring in polygon)


@lru_cache(maxsize=1)
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """(alpha-3, name, path data) for every country countryinfo has a border for, by code."""
    from newsledger.geo.sources import load_countryinfo  # countryinfo: a core dependency

    out = []
    for code, record in sorted(load_countryinfo().items()):
        features = (record.get("geoJSON") or {}).get("features") or []
        d = "".join(geometry_path(f.get("geometry")) for f in features)
        if d:
            out.append((code, str(record.get("name") or code), d))
    log.debug("basemap: %d countries, %d bytes of path data", len(out), sum(len(d) for _, _, d in out))
    return tuple(out)


def shade(count: int, max_count: int) -> int:
    """The choropleth bucket (1..SHADES) of ``count``, log-spaced up to ``max_count``; 0 for none."""
    if count <= 0 or max_count <= 0:
        return 0
    if max_count == 1:
        return SHADES
    level = 1 + int(math.log(count) / math.log(max_count) * (SHADES - 1) + 1e-9)
    return max(1, min(SHADES, level))


def _countries(highlight: dict[str, int]) -> list[str]:
    top = max(highlight.values(), default=0)
    parts = ['<g class="countries" fill="%s" stroke="%s" stroke-width="0.2">' % (LAND_FILL, BORDER)]
    for code, name, d in country_paths():
        count = int(highlight.get(code) or 0)
        level = shade(count, top)
        cls, fill, label = "country", "", escape(name)
        if level:
            cls += f" shade-{level}"
            fill = f' fill="{SHADE_FILL[level - 1]}"'
            label = escape(f"{name}: {count:,}")
        parts.append(f'<path class="{cls}" data-iso3="{escape(code)}"{fill} d="{d}"><title>{label}</title></path>')
    parts.append("</g>")
    return parts


def _located(points: list[dict]) -> list[tuple[float, float, int, str, Optional[str]]]:
    """(x, y, count, name, href) for every point with a valid lat/lon; the rest are skipped."""
    out = []
    for point in points:
        try:
            x, y = project(point["lon"], point["lat"])
            count = int(point.get("count") or 1)
        except (KeyError, TypeError, ValueError):
            continue
        out.append((x, y, max(count, 1), str(point.get("name") or ""), safe_href(point.get("href"))))
    return sorted(out, key=lambda p: (-p[2], p[3], p[0], p[1]))  # big circles first, small on top


def world_map(points: list[dict], *, width: int = 960, title: str = "Event locations",
              highlight_countries: Optional[dict[str, int]] = None, unit: str = "events") -> Markup:
    """The world basemap with a circle per located point.

    ``points``: dicts with ``lat``, ``lon`` (degrees), ``count`` (default 1),
    ``name`` (shown on hover) and optionally ``href`` (kept only if it is a
    path on this site, e.g. ``/events?country=FRA``). Points without a valid
    coordinate are left out, never guessed. ``highlight_countries`` maps
    alpha-3 codes to counts for a choropleth shade.
    """
    highlight = {str(k).upper(): int(v or 0) for k, v in (highlight_countries or {}).items()}
    located = _located(points or [])
    top = max((p[2] for p in located), default=0)
    skipped = len(points or []) - len(located)
    if located:
        desc = (f"World map with {len(located)} located places, up to {top:,} {unit} at one place"
                + (f"; {skipped} without coordinates not shown." if skipped else "."))
    else:
        desc = f"World map: no located {unit}."
    parts = [svg_open("world-map", width, width / 2, VIEW_W, VIEW_H, title, desc)]
    parts.append(f'<rect class="sea" x="0" y="0" width="{fmt(VIEW_W)}" height="{fmt(VIEW_H)}" fill="#f3f7fa"/>')
    parts.extend(_countries(highlight))
    parts.append('<g class="places" fill="#c0392b" fill-opacity="0.6" stroke="#7b241c" stroke-width="0.25">')
    for x, y, count, name, href in located:
        r = R_MIN + (R_MAX - R_MIN) * math.sqrt(count / top)
        label = escape(f"{name}: {count:,} {unit}" if name else f"{count:,} {unit}")
        circle = f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"><title>{label}</title></circle>'
        parts.append(f'<a href="{escape(href)}">{circle}</a>' if href else circle)
    parts.append("</g>")
    if not located:
        parts.append(f'<text class="no-data" x="180" y="172" text-anchor="middle" font-size="6" '
                     f'fill="#6b6b70">No data: no located {escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
