"""The `batch` and `load` commands: extraction on Dask into Parquet, then into the ledger.

    newsledger batch news/ --out out/ --workers 2
    newsledger load out/ --db news.duckdb

Thin over newsledger/scale (docs/scale-out.md). Exit codes as elsewhere
(docs/cli.md): 1 when shards failed or items were rejected, 2 for a bad
folder, 4 when the scale extra is not installed.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsledger.cli import common
from newsledger.cli.common import DbOption, ModelOption, handle_errors
from newsledger.store.ledger import DEFAULT_DB

BATCH_EXAMPLE = "newsledger batch news/ --out out/ --workers 2 && newsledger load out/"
LOAD_EXAMPLE = "newsledger load out/ --db news.duckdb"


class _ShardProgress:
    """A bar over shards on stderr, and one line per failed shard."""

    def __init__(self, verb: str):
        self.err = common.stderr()
        self.verb = verb
        self.bar: Optional[Progress] = None
        self.task = None

    def __call__(self, kind: str, value) -> None:
        if kind in ("plan", "start"):
            total = value["shards"] if kind == "plan" else len(value)
            self.bar = Progress(TextColumn(self.verb), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=self.err, transient=True)
            self.task = self.bar.add_task("shards", total=total, completed=value["done"] if kind == "plan" else 0)
            self.bar.start()
        elif kind == "shard" and self.bar is not None:
            self.bar.update(self.task, advance=1)
        elif kind == "failed":
            shard, error = value
            self.err.print(f"shard {shard.name} failed: {error}", markup=False)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def batch(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or fsspec URLs (s3://, https://; globs allowed).")],
    out: Annotated[str, typer.Option("--out", "-o", help="Folder for the Parquet partitions and the manifest.")],
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-w", min=1, help="Worker processes of the local Dask cluster (default: one per core).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Address of a running Dask scheduler (tcp://host:8786) instead of a local cluster.")] = None,
    shard_size: Annotated[Optional[int], typer.Option(
        "--shard-size", min=1, help="Items per shard, the unit of retry (default 200).")] = None,
    reload_every: Annotated[Optional[int], typer.Option(
        "--reload-every", min=1, help="Documents a worker extracts before it reloads the model (default 2000).")] = None,
    model: ModelOption = None,
) -> None:
    """Extract articles on a Dask cluster into Parquet partitions under --out.

    Inputs are split into shards; each shard writes one Parquet file per table
    and then a manifest entry. Re-running the same command after a crash skips
    finished shards and redoes the rest. Load the result with `newsledger load`.
    """
    from newsledger.scale.run import batch as run_batch
    from newsledger.scale.shards import DEFAULT_SHARD_SIZE
    from newsledger.scale.worker import RELOAD_EVERY
    from newsledger.settings import Settings

    if workers and scheduler:
        raise typer.BadParameter("give --workers or --scheduler, not both", param_hint="--workers")
    progress = _ShardProgress("extracting")
    try:
        summary = run_batch(inputs, out, Settings.from_env(model=model), workers=workers, scheduler=scheduler,
                            shard_size=shard_size or DEFAULT_SHARD_SIZE, reload_every=reload_every or RELOAD_EVERY,
                            progress=progress)
    finally:
        progress.stop()
    rows = ", ".join(f"{table} {n}" for table, n in summary.rows.items())
    common.stdout().print(
        f"batch {summary.out}: {summary.shards} shards ({summary.done} done now, {summary.skipped} done before, "
        f"{len(summary.failed)} failed) in {summary.seconds:.1f} s; rows: {rows}", markup=False)
    if summary.failed:
        common.stderr().print(f"{len(summary.failed)} shards failed: run the same command again to retry them",
                              markup=False)
        raise typer.Exit(1)


def load(
    folder: Annotated[str, typer.Argument(help="A folder written by `newsledger batch --out`.")],
    db: DbOption = DEFAULT_DB,
    partial: Annotated[bool, typer.Option(
        "--partial", help="Load the done shards of an unfinished batch instead of refusing.")] = False,
) -> None:
    """Bring a batch's Parquet partitions into the ledger (safe to repeat: ids are content hashes).

    Exit 1 when the batch rejected any item.
    """
    from newsledger.cli.main import summary_line
    from newsledger.scale.load import load as run_load

    progress = _ShardProgress("loading")
    try:
        summary = run_load(folder, db, partial=partial, progress=progress)
    finally:
        progress.stop()
    common.stdout().print(summary_line(summary), markup=False)
    if summary.total_rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `batch` and `load` to the main app."""
    app.command(name="batch", epilog=f"Example: {BATCH_EXAMPLE}")(handle_errors(batch))
    app.command(name="load", epilog=f"Example: {LOAD_EXAMPLE}")(handle_errors(load))
