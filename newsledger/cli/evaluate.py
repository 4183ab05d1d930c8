"""`newsledger eval ...`: score the extractor on an evaluation corpus.

Thin over newsledger.evaluation (the rules are in docs/evaluation.md).
"""

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

eval_app = typer.Typer(
    name="eval",
    help="Score the extractor on an evaluation corpus.",
    epilog="Example: newsledger eval quotes --polnear ../shared/eval/quotes/polnear/polnear_dev.jsonl",
    no_args_is_help=True,
)

OUTPUT_FORMATS = ("table", "json")

# (group, figure) rows of the table, in order
TABLE_ROWS = [
    ("lenient", "direct"),
    ("lenient", "direct_mixed_speaker"),
    ("lenient", "indirect"),
    ("lenient", "all"),
    ("strict", "direct_mixed"),
    ("strict", "direct_mixed_speaker"),
    ("exact", "source"),
    ("exact", "cue"),
    ("exact", "content"),
]


def _table(result: dict) -> Table:
    table = Table(
        title=f"PolNeAR: {result['file']} ({result['articles']} articles)",
        caption="correct: correct / scored predictions; found: found / scored gold attributions",
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
    )
    for header in ("rules", "figure", "P", "R", "F1", "correct", "found"):
        left = header in ("rules", "figure")
        table.add_column(header, justify="left" if left else "right", no_wrap=True)
    for group, name in TABLE_ROWS:
        f = result[group][name]
        table.add_row(
            group, name, f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}",
            f"{f['tp']}/{f['predicted']}", f"{f['found']}/{f['gold']}",
        )
    return table


@eval_app.command(
    "quotes",
    epilog="Example: newsledger eval quotes --polnear ../shared/eval/quotes/polnear/polnear_dev.jsonl --format json",
)
@handle_errors
def quotes(
    polnear_file: Annotated[
        str, typer.Option("--polnear", metavar="FILE", help="PolNeAR JSONL: one article with its attributions per line.")
    ],
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json (one object).")] = "table",
) -> None:
    """Run the extractor on PolNeAR articles; print lenient, strict and exact-span figures.

    The rules of each figure are in docs/evaluation.md.
    """
    from newsledger.evaluation import polnear, polnear_strict

    if format not in OUTPUT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(OUTPUT_FORMATS)}", param_hint="--format")
    if not Path(polnear_file).is_file():
        raise InputNotFound(f"{polnear_file} does not exist or is not a file")
    settings = Settings.from_env(model=model)
    extractor = common.make_extractor(settings)
    gold_articles = polnear.load(polnear_file)
    result = {"file": polnear_file, **polnear_strict.evaluate_all(gold_articles, polnear.predict(extractor, gold_articles))}
    if format == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    common.stdout().print(_table(result))
    share = result["lenient"]["articles_with_direct_or_mixed"]
    common.stdout().print(
        f"articles with a gold direct/mixed quote that have one found: {share['found']} / {share['articles']}",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
