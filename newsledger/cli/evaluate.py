"""`newsledger eval ...`: score the extractor on an evaluation corpus.

Thin over newsledger.evaluation (the rules are in docs/evaluation.md): PolNeAR
(--polnear) or the hand-annotated Wikinews set (--wikinews, tests/data/README.md);
the event coder on ../shared/eval/events (`eval events`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table

from newsledger.cli import common
from newsledger.cli.common import ModelOption, handle_errors
from newsledger.errors import InputNotFound
from newsledger.evaluation import wikinews
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


WIKINEWS_ROWS = ["direct_mixed_speaker", "all_speaker", "direct_mixed", "all"]


def _wikinews_table(result: dict) -> Table:
    counts = result["attributions"]
    table = Table(
        title=(
            f"Wikinews: {result['file']} ({result['articles']} articles; "
            f"{counts['direct']} direct, {counts['mixed']} mixed, {counts['indirect']} indirect)"
        ),
        caption="_speaker: with the right resolved name; correct: correct / scored predictions; found: found / gold",
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
    )
    for header in ("figure", "P", "R", "F1", "correct", "found"):
        table.add_column(header, justify="left" if header == "figure" else "right", no_wrap=True)
    for name in WIKINEWS_ROWS:
        f = result[name]
        table.add_row(
            name, f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}",
            f"{f['tp']}/{f['predicted']}", f"{f['found']}/{f['gold']}",
        )
    return table


@eval_app.command(
    "quotes",
    epilog=(
        "Example: newsledger eval quotes --polnear ../shared/eval/quotes/polnear/polnear_dev.jsonl --format json\n\n"
        "Example: newsledger eval quotes --wikinews tests/data/wikinews_attributions.jsonl"
    ),
)
@handle_errors
def quotes(
    polnear_file: Annotated[
        Optional[str],
        typer.Option("--polnear", metavar="FILE", help="PolNeAR JSONL: one article with its attributions per line."),
    ] = None,
    wikinews_file: Annotated[
        Optional[str],
        typer.Option(
            "--wikinews", metavar="FILE",
            help="Wikinews annotation JSONL (tests/data/README.md): url, text hash and attributions per line.",
        ),
    ] = None,
    corpus: Annotated[
        str, typer.Option("--corpus", metavar="DIR", help="The Wikinews corpus the --wikinews file points into.")
    ] = wikinews.DEFAULT_CORPUS,
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json (one object).")] = "table",
) -> None:
    """Run the extractor on PolNeAR articles (lenient, strict and exact-span figures)
    or on annotated Wikinews articles (resolved speaker names).

    The rules of each figure are in docs/evaluation.md.
    """
    if format not in OUTPUT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(OUTPUT_FORMATS)}", param_hint="--format")
    if (polnear_file is None) == (wikinews_file is None):
        raise typer.BadParameter("give exactly one of --polnear FILE or --wikinews FILE", param_hint="--polnear/--wikinews")
    gold_file = polnear_file or wikinews_file
    if not Path(gold_file).is_file():
        raise InputNotFound(f"{gold_file} does not exist or is not a file")
    settings = Settings.from_env(model=model)
    if wikinews_file is not None:
        _wikinews(wikinews_file, corpus, settings, format)
    else:
        _polnear(polnear_file, settings, format)


def _polnear(polnear_file: str, settings: Settings, format: str) -> None:
    from newsledger.evaluation import polnear, polnear_strict

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


def _wikinews(wikinews_file: str, corpus: str, settings: Settings, format: str) -> None:
    gold_articles = wikinews.load(wikinews_file)  # checked before the model loads
    articles = wikinews.find_articles(gold_articles, corpus, settings)
    extractor = common.make_extractor(settings)
    result = {"file": wikinews_file, "corpus": corpus,
              **wikinews.score(gold_articles, wikinews.predict(extractor, articles))}
    if format == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    common.stdout().print(_wikinews_table(result))


EVENT_ROWS = [
    ("PLV (given pairs, 5-fold CV)", "plv_root_accuracy", "root accuracy", 0.78),
    ("", "plv_macro_f1", "macro-F1", 0.75),
    ("", "plv_quad_accuracy", "quad accuracy", 0.88),
    ("PLOVER gold records", "gsr_type_accuracy", "event type accuracy (CV)", None),
    ("", "gsr_actor_country_accuracy", "actor country accuracy", 0.85),
    ("ConfliBERT five-way (coder)", "conflibert_five_way_accuracy", "accuracy", None),
    ("", "conflibert_five_way_macro_f1", "macro-F1", None),
]


@eval_app.command("events", epilog="Example: newsledger eval events --shared ../shared --format json")
@handle_errors
def events(
    shared: Annotated[
        str, typer.Option("--shared", metavar="DIR", envvar="NEWSLEDGER_SHARED",
                          help="The shared data folder holding eval/events/ (default: $NEWSLEDGER_SHARED or ../shared).")
    ] = "../shared",
    minilm: Annotated[
        Optional[bool], typer.Option("--minilm/--no-minilm", help="Score the MiniLM model (default: when the semantic extra is installed).")
    ] = None,
    cv: Annotated[bool, typer.Option("--cv/--no-cv", help="Run the classifier cross-validation (minutes; needs scikit-learn).")] = True,
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json (one object).")] = "table",
) -> None:
    """Score the event coder: PLV (given pairs) root accuracy, macro-F1 and quad
    accuracy; the PLOVER gold records' event type and actor country accuracy;
    ConfliBERT's five CAMEO classes with the whole coder.

    PLV and the gold records are cross-validated (the classifier is refitted on
    the other folds, so nothing is scored that the model saw); the ConfliBERT
    sentences are never trained on. The rules are in docs/events.md.
    """
    from newsledger.events import classify
    from newsledger.evaluation import events as ev

    if format not in OUTPUT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(OUTPUT_FORMATS)}", param_hint="--format")
    if not Path(shared, "eval", "events").is_dir():
        raise InputNotFound(f"{Path(shared, 'eval', 'events')} does not exist: give --shared DIR")
    use_minilm = classify.minilm_available() if minilm is None else minilm
    extractor = common.make_extractor(Settings.from_env(model=model))
    report = ev.run(shared, extractor, minilm=use_minilm, classifier=cv)
    report["headline"] = ev.headline(report)
    if format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    common.stdout().print(_events_table(report))


def _events_table(report: dict) -> Table:
    table = Table(title=f"Events ({'MiniLM' if report['minilm'] else 'lite'} model)", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, caption="floor: issue 4's target")
    for header in ("data", "figure", "value", "floor"):
        table.add_column(header, justify="right" if header in ("value", "floor") else "left", no_wrap=True)
    for group, key, label, floor in EVENT_ROWS:
        value = report["headline"].get(key)
        table.add_row(group, label, "-" if value is None else f"{value:.3f}", "" if floor is None else f"{floor:.2f}")
    return table


def register(app: typer.Typer) -> None:
    from newsledger.cli import evaluate_where

    evaluate_where.register(eval_app)
    app.add_typer(eval_app, name="eval")
