"""The actor-to-actor network of dyads as server-rendered SVG.

Nodes are the ``max_nodes`` most active actors (events sent plus received),
placed on a circle in order of activity (ties by name) with a golden-section
stride, so the busiest actors are spread round it and the same edges always
give the same picture. Each directed edge
is a slightly bent curve (so A -> B and B -> A stay apart) ending in an
arrow, its width growing with the count. Same safety rules as charts.py.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Optional
from urllib.parse import quote

from markupsafe import Markup, escape

from newsledger.web.charts import MUTED, fmt, placeholder, safe_href, svg_open

# Thirty labelled nodes is about what a 640-px circle holds without labels
# touching (2 * pi * 210 px / 30 = 44 px apart, two lines of 11-px text).
MAX_NODES = 30
LABEL_CHARS = 22  # longer names are cut with an ellipsis (full name on hover)
LABEL_MARGIN = 110  # px kept around the circle for labels
NODE_R = (4.0, 12.0)  # node radius for the least and the most active actor
STROKE = (1.0, 6.0)  # edge width for the smallest and the largest count
BEND = 0.12  # control-point offset as a share of the edge length
NODE_FILL, EDGE_STROKE = "#22303c", "#7a8a99"
_ID = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


def aggregate(edges: Iterable[tuple[str, str, int]]) -> tuple[dict[tuple[str, str], int], int]:
    """Counts per (source, target) summed over duplicates; self-loops and
    non-positive counts are dropped and the loops counted."""
    out: dict[tuple[str, str], int] = {}
    loops = 0
    for edge in edges or ():
        source, target, count = str(edge[0]), str(edge[1]), int(edge[2] or 0)
        if count <= 0 or not source or not target:
            continue
        if source == target:
            loops += 1
            continue
        out[(source, target)] = out.get((source, target), 0) + count
    return out, loops


def top_nodes(weights: dict[tuple[str, str], int], max_nodes: int) -> list[tuple[str, int, int]]:
    """(name, sent, received) of the ``max_nodes`` most active actors, most active first."""
    sent: dict[str, int] = {}
    received: dict[str, int] = {}
    for (source, target), n in weights.items():
        sent[source] = sent.get(source, 0) + n
        received[target] = received.get(target, 0) + n
    names = sorted(set(sent) | set(received),
                   key=lambda a: (-(sent.get(a, 0) + received.get(a, 0)), a))
    return [(a, sent.get(a, 0), received.get(a, 0)) for a in names[:max(1, max_nodes)]]


def slot_stride(n: int) -> int:
    """A step coprime to ``n`` near n * 0.382 (the golden section): the i-th node
    goes to slot ``i * stride % n``, so the most active actors, which share
    most edges, are spread round the circle instead of side by side."""
    stride = max(1, round(n * 0.382))
    while math.gcd(stride, n) != 1:
        stride += 1
    return stride


def circle_layout(n: int, cx: float, cy: float, radius: float) -> list[tuple[float, float, float]]:
    """(x, y, angle) of ``n`` nodes (most active first) on a circle: node 0 at
    the top, node i at slot ``i * slot_stride(n)``, slots clockwise."""
    out = []
    stride = slot_stride(n) if n > 0 else 1
    for i in range(n):
        angle = -math.pi / 2 + 2 * math.pi * (i * stride % n) / n
        out.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle))
    return out


def _scale(value: float, top: float, lo_hi: tuple[float, float]) -> float:
    lo, hi = lo_hi
    return lo + (hi - lo) * math.sqrt(value / top) if top > 0 else lo


def _edge_path(p1: tuple[float, float], p2: tuple[float, float], r1: float, r2: float) -> str:
    """A quadratic curve from circle 1 to circle 2, bent to its right, ending at
    the edge of circle 2 (plus room for the arrow head)."""
    (x1, y1), (x2, y2) = p1, p2
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    qx, qy = (x1 + x2) / 2 - dy * BEND, (y1 + y2) / 2 + dx * BEND

    def toward(x: float, y: float, r: float) -> tuple[float, float]:
        ux, uy = qx - x, qy - y
        norm = math.hypot(ux, uy) or length
        return x + ux / norm * r, y + uy / norm * r

    sx, sy = toward(x1, y1, r1)
    ex, ey = toward(x2, y2, r2 + 2)
    return f"M{fmt(sx)} {fmt(sy)}Q{fmt(qx)} {fmt(qy)} {fmt(ex)} {fmt(ey)}"


def _label(name: str, x: float, y: float, angle: float, r: float) -> str:
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "start" if cos > 0.15 else "end" if cos < -0.15 else "middle"
    lx, ly = x + cos * (r + 5), y + sin * (r + 5) + 4 + (6 if sin > 0.9 else -4 if sin < -0.9 else 0)
    short = name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "\u2026"
    return f'<text x="{fmt(lx)}" y="{fmt(ly)}" text-anchor="{anchor}">{escape(short)}</text>'


def dyad_network(edges: list[tuple[str, str, int]], *, max_nodes: int = MAX_NODES, width: int = 640,
                 height: Optional[int] = None, title: str = "Actor network", unit: str = "events",
                 link: Optional[str] = None, id_prefix: str = "dyad") -> Markup:
    """The directed network of ``(actor, recipient, count)`` edges.

    Only edges between the ``max_nodes`` most active actors are drawn (the
    description says how many were left out). ``link``, e.g.
    ``"/events?actor={}"``, makes each node a link with its URL-quoted name
    in place of ``{}``; it must give a path on this site. ``id_prefix``
    names the arrow marker; give each network on one page its own.
    """
    if not _ID.match(id_prefix):
        raise ValueError(f"bad id_prefix {id_prefix!r}: use lower-case letters, digits and '-'")
    height = height or width
    weights, loops = aggregate(edges)
    if not weights:
        return placeholder("dyad-network", width, height, title)
    nodes = top_nodes(weights, max_nodes)
    index = {name: i for i, (name, _, _) in enumerate(nodes)}
    shown = {k: n for k, n in weights.items() if k[0] in index and k[1] in index}
    all_actors = len({a for pair in weights for a in pair})
    radius = max(20.0, min(width, height) / 2 - LABEL_MARGIN)
    places = circle_layout(len(nodes), width / 2, height / 2, radius)
    top_node = max(s + r for _, s, r in nodes)
    top_edge = max(shown.values(), default=1)
    node_r = [_scale(s + r, top_node, NODE_R) for _, s, r in nodes]
    marker = f"{id_prefix}-arrow"
    heaviest = max(shown.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    desc = f"{len(nodes)} actors and {len(shown)} directed dyads"
    if len(nodes) < all_actors:
        desc += f" (the {len(nodes)} most active of {all_actors} actors)"
    if heaviest:
        (a, b), n = heaviest
        desc += f"; the largest is {a} to {b}, {n:,} {unit}"
    if loops:
        desc += f"; {loops} actor-to-itself pairs not drawn"
    parts = [svg_open("dyad-network", width, height, width, height, title, desc + ".")]
    parts.append(f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="8" refY="5" '
                 f'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
                 f'<path d="M0 0L10 5L0 10z" fill="{EDGE_STROKE}"/></marker></defs>')
    parts.append(f'<g class="edges" fill="none" stroke="{EDGE_STROKE}" stroke-opacity="0.8">')
    for (a, b), n in sorted(shown.items(), key=lambda kv: (kv[1], kv[0])):
        i, j = index[a], index[b]
        d = _edge_path(places[i][:2], places[j][:2], node_r[i], node_r[j])
        parts.append(f'<path class="edge" d="{d}" stroke-width="{fmt(_scale(n, top_edge, STROKE))}" '
                     f'marker-end="url(#{marker})"><title>{escape(f"{a} → {b}: {n:,} {unit}")}'
                     "</title></path>")
    parts.append(f'</g><g class="nodes" fill="{NODE_FILL}">')
    for (name, sent, received), (x, y, angle), r in zip(nodes, places, node_r):
        tip = escape(f"{name}: {sent + received:,} {unit} ({sent:,} sent, {received:,} received)")
        body = (f'<circle class="node" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"><title>{tip}</title></circle>'
                f'<g class="node-label" fill="{MUTED}">{_label(name, x, y, angle, r)}</g>')
        href = safe_href(link.replace("{}", quote(name, safe=""))) if link else None
        parts.append(f'<a href="{escape(href)}">{body}</a>' if href else f"<g>{body}</g>")
    parts.append("</g></svg>")
    return Markup("".join(parts))
