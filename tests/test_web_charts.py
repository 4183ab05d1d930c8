"""The SVG charts, the world map and the dyad network (newsledger/web/charts.py,
basemap.py, network.py): well-formed, escaped, script-free, and right."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from newsledger.web import basemap, charts, network

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"
EVIL_ATTR = '"><svg onload=alert(1)>'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(NS + "title") is not None and root.find(NS + "desc") is not None
    return root


def assert_safe(svg: str) -> None:
    """No script, no event handler, no inline style, no link off the site."""
    root = parse(svg)
    assert "<script" not in svg.lower()
    for el in root.iter():
        assert el.tag.replace(NS, "") not in {"script", "foreignObject", "iframe", "image", "use"}
        for name, value in el.attrib.items():
            local = name.split("}")[-1].lower()
            assert not local.startswith("on"), (el.tag, name)
            assert local != "style", el.tag
            if local == "href":
                assert value.startswith("/") and not value.startswith("//"), value
            assert "javascript:" not in value.lower()
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]


def texts(svg: str) -> list[str]:
    return ["".join(el.itertext()) for el in ET.fromstring(svg).iter() if el.tag in (NS + "text", NS + "title")]


# -- time_chart ------------------------------------------------------------

SERIES = {"statements": [("2023-01", 5), ("2023-04", 30), ("2023-03", 0)], "events": [("2023-02", 3)]}


def test_time_chart_bars_axis_and_gaps():
    svg = charts.time_chart(SERIES, title="Statements and events per month")
    assert isinstance(svg, Markup)
    assert_safe(svg)
    bars = [el for el in ET.fromstring(svg).iter(NS + "rect") if el.get("class") == "bar"]
    assert len(bars) == 3  # zero counts draw nothing
    titles = texts(svg)
    assert "2023-04 · statements: 30" in titles and "2023-02 · events: 3" in titles
    assert charts.periods(SERIES)[0] == ["2023-01", "2023-02", "2023-03", "2023-04"]
    tallest = max(bars, key=lambda b: float(b.get("height")))
    assert "30" in "".join(tallest.itertext())
    desc = ET.fromstring(svg).find(NS + "desc").text
    assert "statements: 35 in total, most 30 in 2023-04" in desc


def test_long_month_series_are_summed_per_year():
    months = [(f"{y}-{m:02d}", 1) for y in range(2000, 2020) for m in range(1, 13)]
    axis, counts = charts.periods({"s": months})
    assert axis == [str(y) for y in range(2000, 2020)]
    assert counts["s"]["2010"] == 12


def test_nice_axis_top():
    assert charts.nice_max(30) == (30, 10)
    assert charts.nice_max(7) == (8, 2)
    assert charts.nice_max(1) == (1, 1)
    assert charts.nice_max(0) == (1, 1)


def test_time_chart_escapes_titles_and_series_names():
    svg = charts.time_chart({EVIL: [("2024-01", 2)], EVIL_ATTR: [(EVIL, 1)]}, title=EVIL)
    assert_safe(svg)
    assert EVIL in texts(svg)


@pytest.mark.parametrize("series", [{}, {"s": []}, {"s": [("2024-01", 0)]}])
def test_time_chart_empty_is_a_placeholder(series):
    svg = charts.time_chart(series, title="Per month")
    assert_safe(svg)
    assert "No data" in texts(svg)


def test_series_from_rows():
    rows = [{"month": "2024-01", "statements": 3, "events": 0}, {"month": None, "statements": 9, "events": 1}]
    assert charts.series_from_rows(rows, "month", "statements", "events") == {
        "statements": [("2024-01", 3)], "events": [("2024-01", 0)]}


# -- timeline ---------------------------------------------------------------

def test_timeline_dots_links_and_undated():
    points = [{"date": "2024-03-05", "label": EVIL, "href": "/article/ab12?span=10-40#q0"},
              {"date": "2024-05-01T10:00:00", "href": "javascript:alert(1)"},
              {"date": "2023-11", "count": 3},
              {"date": None}, {"date": "someday"}]
    svg = charts.timeline(points, title=f"Statements by {EVIL}")
    assert_safe(svg)
    root = ET.fromstring(svg)
    dots = list(root.iter(NS + "circle"))
    assert len(dots) == 3
    links = [a.get("href") for a in root.iter(NS + "a")]
    assert links == ["/article/ab12?span=10-40#q0"]  # the javascript: link is dropped
    assert "2024-03-05 · " + EVIL in texts(svg)
    assert "2 undated not shown" in root.find(NS + "desc").text
    xs = {d.find(NS + "title").text.split(" · ")[0]: float(d.get("cx")) for d in dots}
    assert xs["2023-11"] < xs["2024-03-05"] < xs["2024-05-01"]  # "2024-05-01T10:00:00" shown as a day


def test_timeline_crowded_column_ends_in_more():
    svg = charts.timeline([{"date": "2024-01-01"}] * 50, height=60)
    assert_safe(svg)
    more = [c for c in ET.fromstring(svg).iter(NS + "circle") if c.get("class") == "dot more"]
    assert len(more) == 1 and "more" in more[0].find(NS + "title").text
    assert charts.parse_date("2024-02-30") is None
    assert charts.parse_date("2024-02") == charts.parse_date("2024-02-01")


def test_timeline_empty():
    assert "No data" in texts(charts.timeline([]))
    assert "No data" in texts(charts.timeline([{"date": ""}]))


def test_safe_href():
    assert charts.safe_href("/events?actor=USA") == "/events?actor=USA"
    for bad in ("//evil.example/x", "/\\evil", "https://x", "javascript:alert(1)", "/a b", "/a\nb", None, 3):
        assert charts.safe_href(bad) is None


# -- world map --------------------------------------------------------------

@pytest.mark.parametrize("lon,lat,xy", [(-180, 90, (0, 0)), (180, -90, (360, 180)), (0, 0, (180, 90)),
                                        (2.35, 48.85, (182.35, 41.15)), (-74.0, 40.7, (106.0, 49.3))])
def test_projection(lon, lat, xy):
    assert basemap.project(lon, lat) == pytest.approx(xy)
    x, y = basemap.project(lon, lat, width=960)
    assert (x, y) == pytest.approx((xy[0] * 960 / 360, xy[1] * 960 / 360))


@pytest.mark.parametrize("lon,lat", [(181, 0), (0, -91), ("x", 0)])
def test_projection_rejects_bad_coordinates(lon, lat):
    with pytest.raises(ValueError):
        basemap.project(lon, lat)


def test_simplify_keeps_corners_and_drops_near_collinear_points():
    square = [(0, 0), (1, 0.01), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert basemap._simplify(square, 0.1) == [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]


def test_basemap_countries_and_size():
    paths = basemap.country_paths()
    codes = {code for code, _, _ in paths}
    assert len(paths) > 150 and {"FRA", "USA", "BRA", "AUS", "JPN", "ZAF"} <= codes
    svg = basemap.world_map([])
    assert len(svg.encode()) < basemap.MAX_BASEMAP_BYTES
    assert_safe(svg)
    assert "No data" in "".join(texts(svg))
    # every country path is inside the viewBox
    for _, _, d in paths:
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        assert min(nums) >= 0 and max(nums[0::2]) <= 360 and max(nums[1::2]) <= 180


def test_france_path_is_where_france_is():
    d = dict((code, d) for code, _, d in basemap.country_paths())["FRA"]
    nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs, ys = nums[0::2], nums[1::2]
    # mainland France spans about 5W..8E, 42N..51N; Corsica reaches 9.6E
    assert 174 <= min(xs) and max(xs) <= 190 and 38 <= min(ys) and max(ys) <= 49


def test_world_map_points_choropleth_and_escaping():
    points = [{"lat": 48.85, "lon": 2.35, "name": "Paris", "count": 12, "href": "/events?country=FRA"},
              {"lat": -33.9, "lon": 151.2, "name": EVIL, "count": 3, "href": "https://evil.example/"},
              {"lat": None, "lon": 3.0, "name": "nowhere"}, {"lat": 95, "lon": 0}]
    svg = basemap.world_map(points, highlight_countries={"fra": 12, "AUS": 3, "XXX": 1})
    assert_safe(svg)
    root = ET.fromstring(svg)
    circles = [c for c in root.iter(NS + "circle")]
    assert [c.find(NS + "title").text for c in circles] == ["Paris: 12 events", EVIL + ": 3 events"]
    paris, sydney = circles
    assert (float(paris.get("cx")), float(paris.get("cy"))) == pytest.approx((182.35, 41.15), abs=0.06)
    assert float(paris.get("r")) == pytest.approx(basemap.R_MAX)
    assert float(sydney.get("r")) < float(paris.get("r"))
    assert [a.get("href") for a in root.iter(NS + "a")] == ["/events?country=FRA"]
    shaded = {p.get("data-iso3"): p.get("class") for p in root.iter(NS + "path") if "shade" in p.get("class")}
    assert shaded == {"FRA": "country shade-5", "AUS": f"country shade-{basemap.shade(3, 12)}"}
    assert "2 without coordinates not shown" in root.find(NS + "desc").text


def test_shade_buckets():
    assert basemap.shade(0, 10) == 0
    assert basemap.shade(1, 1) == basemap.SHADES
    assert basemap.shade(1, 1000) == 1 and basemap.shade(1000, 1000) == basemap.SHADES
    assert [basemap.shade(n, 10_000) for n in (1, 10, 100, 1000, 10_000)] == [1, 2, 3, 4, 5]


# -- dyad network -----------------------------------------------------------

EDGES = [("USA", "RUS", 10), ("RUS", "USA", 4), ("USA", "RUS", 2), ("UKR", "UKR", 5),
         (EVIL, "USA", 3), ("CHN", EVIL_ATTR, 1), ("FRA", "DEU", 0)]


def test_dyad_network_nodes_edges_and_escaping():
    svg = network.dyad_network(EDGES, link="/events?actor={}")
    assert_safe(svg)
    root = ET.fromstring(svg)
    nodes = [c for c in root.iter(NS + "circle") if c.get("class") == "node"]
    edges = [p for p in root.iter(NS + "path") if p.get("class") == "edge"]
    assert len(nodes) == 5 and len(edges) == 4  # no self-loop, no zero count
    titles = texts(svg)
    assert "USA → RUS: 12 events" in titles and f"{EVIL} → USA: 3 events" in titles
    assert all(e.get("marker-end") == "url(#dyad-arrow)" for e in edges)
    widths = {"".join(e.itertext()): float(e.get("stroke-width")) for e in edges}
    assert widths["USA → RUS: 12 events"] == pytest.approx(network.STROKE[1])
    assert widths["USA → RUS: 12 events"] > widths["RUS → USA: 4 events"]
    hrefs = [a.get("href") for a in root.iter(NS + "a")]
    assert "/events?actor=USA" in hrefs and "/events?actor=%3Cscript%3Ealert%281%29%3C%2Fscript%3E" in hrefs
    assert "1 actor-to-itself pairs not drawn" in root.find(NS + "desc").text


def test_dyad_network_caps_nodes_and_is_deterministic():
    edges = [(f"A{i:02d}", f"A{(i + 1) % 50:02d}", i + 1) for i in range(50)]
    svg = network.dyad_network(edges, max_nodes=10)
    assert svg == network.dyad_network(list(reversed(edges)), max_nodes=10)
    root = ET.fromstring(svg)
    assert len([c for c in root.iter(NS + "circle")]) == 10
    assert "the 10 most active of 50 actors" in root.find(NS + "desc").text


def test_circle_layout_spreads_the_busiest():
    assert network.slot_stride(30) == 11 and network.slot_stride(2) == 1
    places = network.circle_layout(30, 100, 100, 50)
    assert places[0][:2] == pytest.approx((100, 50))
    slots = {round(((p[2] + 3.1416 / 2) % 6.2832) / 6.2832 * 30) % 30 for p in places}
    assert slots == set(range(30))  # every slot used once


def test_dyad_network_empty_and_bad_prefix():
    assert "No data" in texts(network.dyad_network([]))
    assert "No data" in texts(network.dyad_network([("A", "A", 3), ("B", "C", 0)]))
    with pytest.raises(ValueError):
        network.dyad_network(EDGES, id_prefix='x" onload="')
