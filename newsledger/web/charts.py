"""Server-rendered SVG charts: counts over time and a speaker's timeline.

Every function returns SVG markup as ``markupsafe.Markup`` (a ``str`` that
Jinja2 inserts without escaping it again). The rules (docs/web.md, "Charts
and map"):

* every label, title and name is escaped; no script, no ``on*`` attribute,
  no ``style`` attribute (the CSP has ``style-src 'self'``): colours are SVG
  presentation attributes, which ``static/charts.css`` may override by class;
* links are kept only when they are paths on this site (``safe_href``);
* each chart is ``role="img"`` with an ``aria-label``, a ``<title>`` and a
  ``<desc>`` summarising the numbers, and one ``<title>`` per bar or dot for
  hover; an empty input gives a "No data" placeholder, never an error.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Iterable, Optional

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
# Series colours (Tableau 10, as style.css uses for speakers); charts.css
# repeats them as .series-N so a page can restyle them.
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
AXIS, MUTED = "#6b6b70", "#6b6b70"
FONT = 11  # px; the pages' small print
# Month series longer than this (15 years) are summed per year so that each
# bar stays at least ~3 px wide in a 720-px chart.
MAX_MONTH_BARS = 180
# A tick label needs about this many pixels to stay readable ("2024-03").
LABEL_PX = 56
DOT_R = 4  # timeline dot radius, px
_LOCAL_PATH = re.compile(r"^/(?![/\\])[^\s\x00-\x1f\x7f]*$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def fmt(x: float, digits: int = 1) -> str:
    """A coordinate for SVG: at most ``digits`` decimals, no trailing zeros."""
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def safe_href(value: object) -> Optional[str]:
    """``value`` if it is a path on this site (``/events?actor=USA``), else None.

    Anything with a scheme (``javascript:``, ``https:``), protocol-relative
    (``//host``), whitespace or control characters is dropped.
    """
    if isinstance(value, str) and _LOCAL_PATH.match(value):
        return value
    return None


def svg_open(cls: str, width: float, height: float, view_w: float, view_h: float,
             title: str, desc: str) -> str:
    """The opening ``<svg>`` with its accessible name and description."""
    return (f'<svg xmlns="{SVG_NS}" class="chart {cls}" width="{fmt(width)}" height="{fmt(height)}" '
            f'viewBox="0 0 {fmt(view_w)} {fmt(view_h)}" role="img" aria-label="{escape(title)}" '
            f'font-size="{FONT}" font-family="system-ui, sans-serif">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>")


def placeholder(cls: str, width: float, height: float, title: str, message: str = "No data") -> Markup:
    """An empty chart: the frame and a centred "No data" note."""
    return Markup(svg_open(cls, width, height, width, height, title, message)
                  + f'<rect class="frame" x="0.5" y="0.5" width="{fmt(width - 1)}" height="{fmt(height - 1)}" '
                  f'fill="none" stroke="#ddd"/>'
                  f'<text class="no-data" x="{fmt(width / 2)}" y="{fmt(height / 2)}" text-anchor="middle" '
                  f'dominant-baseline="middle" fill="{MUTED}">{escape(message)}</text></svg>')


def nice_max(value: float) -> tuple[float, float]:
    """(top, step): the axis top >= ``value`` on a 1-2-5 step, with 2 to 5 steps."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)  # counts: never a fractional tick
    return step * math.ceil(value / step), step


# -- counts over time ------------------------------------------------------

def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def periods(series: dict[str, list[tuple[str, int]]]) -> tuple[list[str], dict[str, dict[str, int]]]:
    """The x axis and each series' counts on it.

    Month labels (``YYYY-MM``) and year labels get every period between the
    first and last filled in with 0, so the axis is true to time; months
    spanning more than ``MAX_MONTH_BARS`` are summed per year. Other labels
    (days, weeks) are kept as given, in sorted order.
    """
    counts: dict[str, dict[str, int]] = {}
    for name, pairs in series.items():
        row = counts.setdefault(str(name), {})
        for label, n in pairs or ():
            if label is None:
                continue
            row[str(label)] = row.get(str(label), 0) + max(0, int(n or 0))
    labels = sorted({label for row in counts.values() for label in row})
    if labels and all(_MONTH.match(x) for x in labels):
        axis = _months(labels[0], labels[-1])
        if len(axis) <= MAX_MONTH_BARS:
            return axis, counts
        counts = {name: _by_year(row) for name, row in counts.items()}
        labels = sorted({label for row in counts.values() for label in row})
    if labels and all(_YEAR.match(x) for x in labels):
        return [str(y) for y in range(int(labels[0]), int(labels[-1]) + 1)], counts
    return labels, counts


def _by_year(row: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for label, n in row.items():
        out[label[:4]] = out.get(label[:4], 0) + n
    return out


def _y_axis(top: float, step: float, x0: float, x1: float, y_of) -> list[str]:
    parts = [f'<g class="axis y-axis" fill="{AXIS}">']
    tick = 0.0
    while tick <= top + 1e-9:
        y = y_of(tick)
        parts.append(f'<line x1="{fmt(x0)}" x2="{fmt(x1)}" y1="{fmt(y)}" y2="{fmt(y)}" stroke="#e5e5e5"/>'
                     f'<text x="{fmt(x0 - 4)}" y="{fmt(y + 4)}" text-anchor="end">{int(tick):,}</text>')
        tick += step
    parts.append("</g>")
    return parts


def _legend(names: list[str], x: float) -> list[str]:
    parts = ['<g class="legend">']
    for i, name in enumerate(names):
        cls, colour = f"series-{i % len(COLOURS)}", COLOURS[i % len(COLOURS)]
        parts.append(f'<rect class="{cls}" x="{fmt(x)}" y="3" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{fmt(x + 14)}" y="12" fill="{AXIS}">{escape(name)}</text>')
        x += 14 + 7 * len(name) + 16
    parts.append("</g>")
    return parts


def _summary(names: list[str], axis: list[str], counts: dict[str, dict[str, int]]) -> str:
    bits = []
    for name in names:
        row = counts[name]
        total = sum(row.values())
        if not total:
            bits.append(f"{name}: none")
            continue
        peak = max(axis, key=lambda p: (row.get(p, 0), p))
        bits.append(f"{name}: {total:,} in total, most {row.get(peak, 0):,} in {peak}")
    return f"From {axis[0]} to {axis[-1]}. " + "; ".join(bits) + "."


def time_chart(series: dict[str, list[tuple[str, int]]], *, width: int = 720, height: int = 180,
               title: str) -> Markup:
    """Grouped bars of counts per period, one colour per series.

    ``series`` maps a series name (``"statements"``) to ``(period, count)``
    pairs, e.g. ``{"statements": [("2024-01", 12), ...], "events": [...]}``.
    Periods are ``YYYY-MM`` months (gaps filled with 0), years, or any
    sortable labels.
    """
    axis, counts = periods(series or {})
    names = list(counts)
    if not axis or not any(sum(row.values()) for row in counts.values()):
        return placeholder("time-chart", width, height, title)
    top, step = nice_max(max(n for row in counts.values() for n in row.values()))
    left, right, bottom = 8 + 7 * len(f"{int(top):,}"), 8, 22
    head = 20 if len(names) > 1 else 8
    plot_w, plot_h = width - left - right, height - head - bottom

    def y_of(v: float) -> float:
        return head + plot_h * (1 - v / top)

    parts = [svg_open("time-chart", width, height, width, height, title, _summary(names, axis, counts))]
    parts += _y_axis(top, step, left, width - right, y_of)
    if len(names) > 1:
        parts += _legend(names, left)
    group = plot_w / len(axis)
    bar = max(group * 0.8 / max(len(names), 1), 0.5)
    for s, name in enumerate(names):
        cls, colour = f"series-{s % len(COLOURS)}", COLOURS[s % len(COLOURS)]
        parts.append(f'<g class="bars {cls}" fill="{colour}">')
        for i, period in enumerate(axis):
            n = counts[name].get(period, 0)
            if not n:
                continue
            x, y = left + i * group + group * 0.1 + s * bar, y_of(n)
            parts.append(f'<rect class="bar" x="{fmt(x, 2)}" y="{fmt(y)}" width="{fmt(bar, 2)}" '
                         f'height="{fmt(head + plot_h - y)}"><title>{escape(f"{period} · {name}: {n:,}")}'
                         "</title></rect>")
        parts.append("</g>")
    every = max(1, math.ceil(len(axis) / max(1, plot_w // LABEL_PX)))
    base = head + plot_h
    parts.append(f'<g class="axis x-axis" fill="{AXIS}"><line x1="{fmt(left)}" x2="{fmt(width - right)}" '
                 f'y1="{fmt(base)}" y2="{fmt(base)}" stroke="{AXIS}"/>')
    for i in range(0, len(axis), every):
        x = left + (i + 0.5) * group
        parts.append(f'<text x="{fmt(x)}" y="{fmt(base + 15)}" text-anchor="middle">{escape(axis[i])}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


# -- a speaker's timeline --------------------------------------------------

def parse_date(value: object) -> Optional[date]:
    """The date an ISO string starts with (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
    a partial date taken at its start), or None."""
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _time_ticks(first: date, last: date, plot_w: float) -> list[date]:
    """January 1sts (or first days of months when the span is short) in range, thinned to fit."""
    if (last - first).days > 400:
        ticks = [date(y, 1, 1) for y in range(first.year, last.year + 2)]
    else:
        ticks = [date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)]
    ticks = [t for t in ticks if first <= t <= last]
    every = max(1, math.ceil(len(ticks) / max(1, plot_w // LABEL_PX)))
    return ticks[::every]


def _stack(dated: list[tuple[date, int, str, Optional[str]]], x_of, rows: int) -> list[tuple]:
    """(x, row, count, tooltip, href, is_more) per dot: dots in one column of 2r px stack
    upwards; a column with more than ``rows`` dots ends in one "+N more" dot."""
    columns: dict[int, list] = {}
    for day, count, label, href in dated:
        x = x_of(day)
        columns.setdefault(int(x // (2 * DOT_R + 1)), []).append((x, day, count, label, href))
    dots = []
    for col in sorted(columns):
        items = columns[col]
        shown, rest = (items, []) if len(items) <= rows else (items[:rows - 1], items[rows - 1:])
        for row, (x, day, count, label, href) in enumerate(shown):
            dots.append((x, row, count, label, href, False))
        if rest:
            more = sum(item[2] for item in rest)
            span = f"{rest[0][1].isoformat()} to {rest[-1][1].isoformat()}"
            dots.append((rest[0][0], rows - 1, more, f"+{more:,} more, {span}", None, True))
    return dots


def timeline(points: list[dict], *, width: int = 720, height: int = 120,
             title: str = "Statements over time", unit: str = "statements") -> Markup:
    """One dot per dated item on a time axis (a speaker's statements).

    ``points``: dicts with ``date`` (ISO ``YYYY-MM-DD``; ``YYYY-MM`` and
    ``YYYY`` are drawn at their first day and shown as given), optionally
    ``count`` (items the dot stands for, default 1), ``label`` (hover text,
    e.g. the start of the quote) and ``href`` (its evidence URL, kept only
    if it is a path on this site). Undated points are counted in the
    description, not drawn.
    """
    dated = []
    for point in points or []:
        day = parse_date(point.get("date"))
        if day is None:
            continue
        count = max(1, int(point.get("count") or 1))
        label = f"{str(point.get('date'))[:10]} · " + (str(point["label"]) if point.get("label")
                                                       else f"{count:,} {unit}")
        dated.append((day, count, label, safe_href(point.get("href"))))
    if not dated:
        return placeholder("timeline", width, height, title)
    dated.sort(key=lambda d: d[0])
    undated = len(points) - len(dated)
    first, last = dated[0][0], dated[-1][0]
    pad = max(15, (last - first).days // 40)
    lo, hi = first.toordinal() - pad, last.toordinal() + pad
    left, right, head, bottom = 10, 10, 8, 22
    plot_w, base = width - left - right, height - bottom

    def x_of(day: date) -> float:
        return left + plot_w * (day.toordinal() - lo) / (hi - lo)

    rows = max(1, int((base - head) // (2 * DOT_R + 1)))
    total = sum(d[1] for d in dated)
    desc = (f"{total:,} {unit} from {first.isoformat()} to {last.isoformat()}"
            + (f"; {undated} undated not shown." if undated else "."))
    parts = [svg_open("timeline", width, height, width, height, title, desc)]
    parts.append(f'<g class="axis x-axis" fill="{AXIS}"><line x1="{left}" x2="{width - right}" '
                 f'y1="{fmt(base)}" y2="{fmt(base)}" stroke="{AXIS}"/>')
    for tick in _time_ticks(date.fromordinal(lo), date.fromordinal(hi), plot_w):
        x = x_of(tick)
        text = str(tick.year) if (last - first).days > 400 else tick.isoformat()[:7]
        parts.append(f'<line x1="{fmt(x)}" x2="{fmt(x)}" y1="{fmt(base)}" y2="{fmt(base + 4)}" stroke="{AXIS}"/>'
                     f'<text x="{fmt(x)}" y="{fmt(base + 16)}" text-anchor="middle">{text}</text>')
    parts.append(f'</g><g class="dots series-0" fill="{COLOURS[0]}" fill-opacity="0.75">')
    for x, row, count, label, href, more in _stack(dated, x_of, rows):
        y = base - DOT_R - 1 - row * (2 * DOT_R + 1)
        cls = "dot more" if more else "dot"
        dot = (f'<circle class="{cls}" cx="{fmt(x)}" cy="{fmt(y)}" r="{DOT_R}"'
               + (f' fill="{COLOURS[3]}"' if more else "")
               + f"><title>{escape(label)}</title></circle>")
        parts.append(f'<a href="{escape(href)}">{dot}</a>' if href else dot)
    parts.append("</g></svg>")
    return Markup("".join(parts))


def series_from_rows(rows: Iterable[dict], period_key: str, *names: str) -> dict[str, list[tuple[str, int]]]:
    """``time_chart`` input from listing rows: ``series_from_rows(per_month, "month",
    "statements", "events")`` for the rows of ``/api/overview``'s ``per_month``."""
    rows = list(rows)
    return {name: [(row[period_key], int(row.get(name) or 0)) for row in rows if row.get(period_key)]
            for name in names}
