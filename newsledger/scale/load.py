"""`newsledger load DIR`: a batch's Parquet partitions into the DuckDB ledger.

    summary = load("out/", "news.duckdb")

Shards are loaded in plan order (the order ``ingest`` reads the same inputs),
each article with the same ``write_article`` ingest uses, rebuilt from the
``articles.record`` JSON: the ledger gets the same rows as ``ingest`` would
have written. Ids are content hashes, so loading twice (or loading two
overlapping batches) adds nothing twice: a stored article only gains its new
sources, a reject is refreshed. Then the derived tables (speakers, statements,
folded events) are brought up to date as at the end of an ingest run.

Only verified shards are loaded (manifest entry present, every file with its
recorded hash). A batch with shards left to do is refused unless ``partial``.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Optional

from newsledger.errors import InputNotFound
from newsledger.ingest import RunSummary, update_indexes
from newsledger.scale import manifest
from newsledger.scale.partitions import article_from_row, read_partition, reject_from_row, source_from_row
from newsledger.settings import Settings
from newsledger.store.ledger import Ledger, open_ledger
from newsledger.store.writer import add_source, finish_run, start_run, write_article, write_reject

log = logging.getLogger(__name__)

Progress = Callable[[str, Any], None]


def load(out_dir: str, db_path: str, partial: bool = False, progress: Optional[Progress] = None) -> RunSummary:
    """Load every done shard under ``out_dir`` into the ledger at ``db_path``."""
    notify = progress or (lambda kind, value: None)
    plan = manifest.read_plan(out_dir)
    if plan is None:
        raise InputNotFound(f"{out_dir} holds no batch output ({manifest.PLAN_FILE} is missing): "
                            f"run `newsledger batch INPUTS --out {out_dir}` first")
    shards = manifest.plan_shards_of(plan)
    done = manifest.done_entries(out_dir, shards)
    if len(done) < len(shards) and not partial:
        raise manifest.BatchUnfinished(
            f"{len(shards) - len(done)} of {len(shards)} shards in {out_dir} are not done: run the same "
            "`newsledger batch` command again to finish them (or load what is done with --partial)")
    entries = [done[s.id] for s in shards if s.id in done]
    summary = RunSummary(files=len({p.source for s in shards for p in s.pieces}))
    model = next((e["stats"].get("model") for e in entries if e["stats"].get("model")), None)
    notify("start", entries)
    with open_ledger(db_path) as ledger:
        summary.run_id = start_run(ledger, Settings(**plan["settings"]), model, plan["inputs"])
        status = "failed"
        try:
            for entry in entries:
                load_shard(ledger, out_dir, entry, summary)
                notify("shard", entry)
            summary.indexes = update_indexes(ledger)
            status = "ok"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            summary.status = status
            finish_run(ledger, summary.run_id, status, summary.counts())
    return summary


def load_shard(ledger: Ledger, out_dir: str, entry: dict, summary: RunSummary) -> None:
    """One shard: its rejects, then its articles (one transaction each), then its later sources."""
    files = entry["files"]
    for row in read_partition(out_dir, files["rejects"]["file"]):
        reject = reject_from_row(row)
        write_reject(ledger, reject, summary.run_id)
        summary.rejected[reject.reason] += 1
    for row in read_partition(out_dir, files["articles"]["file"]):
        article, record = article_from_row(row)
        if write_article(ledger, article, record, summary.run_id):
            summary.ingested += 1
            summary.skipped_non_english += bool(record.skipped)
        else:
            summary.duplicates += 1
    for row in read_partition(out_dir, files["sources"]["file"]):
        add_source(ledger, source_from_row(row), summary.run_id)
        summary.duplicates += 1
    log.debug("loaded %s", os.path.basename(files["articles"]["file"]))
