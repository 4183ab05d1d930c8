"""The `newsledger` command: thin Typer commands over the library.

Exit codes (docs/cli.md): 0 ok; 1 some input was rejected; 2 bad usage or a
missing path; 3 database busy; 4 missing model or dependency; 130 interrupted.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import newsledger
from newsledger.cli import batch as batch_cli
from newsledger.cli import browse, common, evaluate, events, places, serve, speakers
from newsledger.cli import search as search_cli
from newsledger.cli.common import DbOption, ModelOption, handle_errors
from newsledger.cli.jsonl import extract_lines
from newsledger.ingest import RunSummary, ingest as run_ingest
from newsledger.settings import Settings
from newsledger.store.ledger import DEFAULT_DB

app = typer.Typer(
    name="newsledger",
    help="Raw news in, an auditable DuckDB ledger of who said what out.",
    epilog="Example: newsledger ingest examples/ && newsledger quotes --speaker Lukashenko",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"newsledger {newsledger.__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does to stderr.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Raw news in, an auditable DuckDB ledger of who said what out."""
    common.setup_logging(verbose)


# -- ingest -------------------------------------------------------------------


class _IngestProgress:
    """Progress callback: a bar over files (when there is more than one) and one
    stderr line per reject."""

    def __init__(self):
        self.err = common.stderr()
        self.bar: Optional[Progress] = None
        self.task = None

    def __call__(self, kind: str, value) -> None:
        if kind == "start" and len(value) > 1:
            self.bar = Progress(
                TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.fields[name]}"), console=self.err, transient=True,
            )
            self.task = self.bar.add_task("files", total=len(value), name="")
            self.bar.start()
        elif kind == "file" and self.bar is not None:
            self.bar.update(self.task, advance=1, name=str(value)[-40:])
        elif kind == "reject" and not logging.getLogger("newsledger.ingest").isEnabledFor(logging.WARNING):
            self.err.print(value.message(), markup=False)  # with --verbose the log line says it

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def summary_line(summary: RunSummary) -> str:
    rejected = ", ".join(f"{reason}: {n}" for reason, n in sorted(summary.rejected.items()))
    return (
        f"run {summary.run_id}: ingested {summary.ingested}, duplicates {summary.duplicates}, "
        f"skipped (not English) {summary.skipped_non_english}, "
        f"rejected {summary.total_rejected}" + (f" ({rejected})" if rejected else "")
    )


@app.command(epilog="Example: newsledger ingest examples/ news.jsonl --db news.duckdb")
@handle_errors
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs to read ('-' for stdin).")],
    db: DbOption = DEFAULT_DB,
    model: ModelOption = None,
) -> None:
    """Read articles, extract quotes and entities, and store them in the ledger.

    Re-running is safe: stored articles are skipped (a new source is still
    recorded). Exit 1 when any item was rejected.
    """
    settings = Settings.from_env(model=model)
    progress = _IngestProgress()
    try:
        summary = run_ingest(paths, db, settings, extractor=common.make_extractor(settings), progress=progress)
    finally:
        progress.stop()
    common.stdout().print(summary_line(summary), markup=False)
    folded = summary.indexes.get("events")
    if folded and folded.get("mentions"):
        common.stdout().print(
            f"events: {folded['mentions']} mentions, {folded['events']} after folding "
            f"({folded['multi_article']} reported by several articles)", markup=False)
    if summary.total_rejected:
        raise typer.Exit(1)


# -- extract ------------------------------------------------------------------


@app.command(
    epilog="Example: echo '{\"id\": \"a1\", \"text\": \"\\\"Hi,\\\" she said.\"}' | newsledger extract"
)
@handle_errors
def extract(model: ModelOption = None) -> None:
    """Extract from JSON lines on stdin; write one JSON record per line to stdout.

    Input lines: {"id", "text", optional "title", "date", "url"}. Offsets index
    into "text" as given. A bad line gives {"id": ..., "error": "..."}; the
    rest are still processed. No database is used.
    """
    settings = Settings.from_env(model=model)
    extractor = common.make_extractor(settings)
    extractor.model_info  # load the model now: a missing one fails before reading stdin
    out = sys.stdout
    for result in extract_lines(sys.stdin, extractor, settings.batch_size):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()


browse.register(app)
speakers.register(app)
search_cli.register(app)
evaluate.register(app)
events.register(app)
places.register(app)
serve.register(app)
batch_cli.register(app)


def main() -> None:
    app(prog_name="newsledger")


if __name__ == "__main__":
    main()
