"""`newsledger eval geo` and `newsledger eval times`: places and dates scored
on the shared dev data (docs/evaluation.md, "Places" and "Times")."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from newsledger.cli import common
from newsledger.cli.common import ModelOption, handle_errors
from newsledger.errors import InputNotFound
from newsledger.settings import Settings

SharedOption = Annotated[
    str, typer.Option("--shared", metavar="DIR", envvar="NEWSLEDGER_SHARED",
                      help="The shared data folder (default: $NEWSLEDGER_SHARED or ../shared).")
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or json (one object).")]

# (data set, part, figure, issue 5's target)
GEO_ROWS = [
    ("gwn", "given_spans", "acc_161km", 0.80),
    ("gwn", "given_spans", "geonameid_accuracy", 0.70),
    ("gwn", "end_to_end", "acc_161km", 0.70),
    ("gwn", "recognition_literal", "f1", 0.80),
    ("geovirus", "given_spans", "acc_161km", 0.80),
    ("geovirus", "end_to_end", "acc_161km", None),
]


def geo(
    shared: SharedOption = "../shared",
    end_to_end: Annotated[bool, typer.Option("--end-to-end/--given-only",
                                             help="Also run the whole pipeline (a minute or two).")] = True,
    model: ModelOption = None,
    format: FormatOption = "table",
) -> None:
    """Score the geoparser on GeoWebNews and GeoVirus: resolution given the gold
    spans (within 161 km; exact GeoNames id), end to end, and literal-toponym
    recognition F1. The gazetteer is built on first use (docs/gazetteer.md)."""
    from newsledger.evaluation import geo as geo_eval
    from newsledger.geo.gazetteer import shared_gazetteer

    folder = geo_eval.geo_dir(shared)
    if not folder.is_dir():
        raise InputNotFound(f"{folder} does not exist: give --shared DIR")
    extractor = common.make_extractor(Settings.from_env(model=model)) if end_to_end else None
    report = geo_eval.run(shared, shared_gazetteer(), extractor)
    if format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    table = Table(title="Places", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, caption="target: issue 5's figure to reach")
    for header in ("data", "part", "figure", "value", "target"):
        table.add_column(header, justify="right" if header in ("value", "target") else "left", no_wrap=True)
    for name, part, key, target in GEO_ROWS:
        value = report.get(name, {}).get(part, {}).get(key)
        table.add_row(name, part, key, "-" if value is None else f"{value:.3f}", "" if target is None else f"{target:.2f}")
    common.stdout().print(table)


def times(
    shared: SharedOption = "../shared",
    model: ModelOption = None,
    format: FormatOption = "table",
) -> None:
    """Score time normalisation on the hand-labelled Wikinews expressions
    (tests/data/wikinews_times.jsonl), with and without the publication date."""
    from newsledger.evaluation import times as times_eval

    corpus = Path(shared, "corpora", "wikinews")
    if not corpus.is_dir():
        raise InputNotFound(f"{corpus} does not exist: give --shared DIR")
    extractor = common.make_extractor(Settings.from_env(model=model))
    report = times_eval.score_times(times_eval.DEFAULT_SET, extractor.nlp, corpus=corpus)
    if format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    common.stdout().print_json(json.dumps(report, ensure_ascii=False))


def register(eval_app: typer.Typer) -> None:
    eval_app.command("geo", epilog="Example: newsledger eval geo --shared ../shared")(handle_errors(geo))
    eval_app.command("times", epilog="Example: newsledger eval times --shared ../shared")(handle_errors(times))
