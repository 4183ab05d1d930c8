"""The `places` command: the places the articles name, most mentioned first.

One row per resolved place (a gazetteer entry), however many times and in
however many articles it was named, read from the `places` table that ingest
writes (docs/places.md). Metonymic mentions ("Moscow said") are counted with
the rest and also on their own.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.markup import escape

from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors, print_rows
from newsledger.records import PLACE_LEVELS
from newsledger.store import queries
from newsledger.store.ledger import DEFAULT_DB, open_ledger

# json and jsonl are the same here: one object per line, like every other command's json.
FORMATS = ("table", "json", "jsonl", "csv")
PLACE_COLUMNS = [("name", "place"), ("admin1", "admin1"), ("country", "country"), ("level", "level"),
                 ("point", "lat, lon"), ("geonameid", "GeoNames id"), ("mentions", "mentions"),
                 ("articles", "articles"), ("metonymic", "as actor")]
COORDINATE_DECIMALS = 4  # about 11 m: finer than any gazetteer point is worth


def _check_format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    return "json" if value == "jsonl" else value


def _display(row: dict) -> dict:
    point = ""
    if row["lat"] is not None and row["lon"] is not None:
        point = f"{row['lat']:.{COORDINATE_DECIMALS}f}, {row['lon']:.{COORDINATE_DECIMALS}f}"
    return {**{k: escape(v) if isinstance(v, str) else v for k, v in row.items()}, "point": point}


def places(
    db: DbOption = DEFAULT_DB,
    country: Annotated[Optional[str], typer.Option(
        "--country", "-c", help="Places in this country: ISO alpha-3 such as UKR or USA.")] = None,
    level: Annotated[Optional[str], typer.Option(
        "--level", "-l", help=f"Resolution level: {', '.join(PLACE_LEVELS)}.")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="table, json or jsonl (both one object per line) or csv.")] = "table",
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="At most N places.")] = None,
) -> None:
    """List the places the articles name, one row per resolved place, most mentioned first.

    Each row gives the gazetteer name, admin1 and country (ISO alpha-3), the
    resolution level (country, admin1, city or point), the coordinates and
    GeoNames id, how many mentions in how many articles, and how many of those
    mentions were metonymic ("Moscow said": the name stands for an actor; such
    a mention is never an event's location). Mentions no gazetteer entry was
    chosen for are not listed; a note on stderr counts them. Example, the 20
    most named cities in Ukraine as JSON lines:

        newsledger places --country UKR --level city --limit 20 -f jsonl
    """
    fmt = _check_format(format)
    country = queries.check_country(country) if country is not None else None
    level = queries.check_level(level) if level is not None else None
    with open_ledger(db, read_only=True) as ledger:
        rows = queries.places(ledger, country=country, level=level, limit=limit)
        unresolved = queries.unresolved_places(ledger)
    if unresolved:
        common.stderr().print(f"note: {unresolved} place mention(s) are unresolved and not listed", markup=False)
    if fmt == "table":
        print_rows([_display(r) for r in rows], "table", PLACE_COLUMNS, title="places")
    else:
        print_rows(rows, fmt, PLACE_COLUMNS)


EXAMPLE = "newsledger places --country UKR --level city --limit 20"


def register(app: typer.Typer) -> None:
    """Add `places` to the main app."""
    app.command(name="places", epilog=f"Example: {EXAMPLE}")(handle_errors(places))
