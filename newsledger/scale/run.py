"""The batch orchestrator: inputs in, one folder of Parquet partitions out, on Dask.

``batch`` reads like the flow chart it implements:

    1. plan shards          (or reuse the folder's plan; another batch's folder is refused)
    2. skip done shards     (a verified manifest entry: all files with their hashes)
    3. connect to Dask      (--scheduler ADDRESS, else a LocalCluster of --workers processes)
    4. run the other shards (one task each; a lost worker's shard is retried by Dask)
    5. summarise            (rows per table over every done shard; failed shards named)

Re-running the same command after any crash finishes the job: done shards are
skipped, the others redone (newsledger/scale/manifest.py says why that is
exactly once). The library never prints: pass ``progress(kind, value)`` to hear
about "plan" ({"shards", "done"}), "shard" (a manifest entry) and "failed"
((shard, error)).
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from newsledger.errors import MissingDependency, NewsledgerError
from newsledger.scale import manifest
from newsledger.scale.partitions import TABLES
from newsledger.scale.shards import DEFAULT_SHARD_SIZE, Shard, expand_sources, file_stamp, is_url, plan_shards
from newsledger.scale.worker import RELOAD_EVERY, THREAD_ENV, process_shard, test_hook
from newsledger.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[str, Any], None]
INSTALL = "'newsledger[scale]'"
# Dask settings for batch runs: no profiler thread sampling every task's
# stack each 10 ms (it costs CPU and tells a batch run nothing).
DASK_CONFIG = {"distributed.worker.profile.enabled": False}


class SchedulerUnreachable(NewsledgerError):
    """--scheduler names an address where no Dask scheduler answers."""

    exit_code = 2


@dataclass
class BatchSummary:
    out: str
    shards: int = 0
    skipped: int = 0  # done by an earlier run
    done: int = 0  # done by this run
    failed: list = field(default_factory=list)  # (shard name, one-line error)
    rows: dict = field(default_factory=dict)  # table -> rows over every done shard
    seconds: float = 0.0
    workers: int = 0

    def counts(self) -> dict:
        return {"shards": self.shards, "skipped": self.skipped, "done": self.done,
                "failed": [list(f) for f in self.failed], "rows": self.rows,
                "seconds": round(self.seconds, 2), "workers": self.workers}


def batch(
    inputs: list[str],
    out_dir: str,
    settings: Optional[Settings] = None,
    workers: Optional[int] = None,
    scheduler: Optional[str] = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    reload_every: int = RELOAD_EVERY,
    progress: Optional[Progress] = None,
) -> BatchSummary:
    """Extract every article of ``inputs`` into Parquet partitions under ``out_dir``."""
    settings = settings or Settings.from_env()
    notify = progress or (lambda kind, value: None)
    out_dir = os.path.abspath(out_dir)  # workers may run elsewhere: they need the full path
    started, summary = time.perf_counter(), BatchSummary(out_dir)
    shards = plan_job(inputs, out_dir, settings, shard_size)             # 1. plan
    done = manifest.done_entries(out_dir, shards)                        # 2. skip done shards
    todo = [s for s in shards if s.id not in done]
    summary.shards, summary.skipped = len(shards), len(done)
    notify("plan", {"shards": len(shards), "done": len(done)})
    if todo:
        with dask_client(scheduler, workers) as client:                  # 3. connect
            summary.workers = len(client.scheduler_info()["workers"])
            for shard, entry, error in run_shards(client, todo, out_dir, settings, reload_every):  # 4. run
                if error is None:
                    done[shard.id] = entry
                    summary.done += 1
                    notify("shard", entry)
                    test_hook("driver-shard", summary.done)
                else:
                    summary.failed.append((shard.name, error))
                    notify("failed", (shard, error))
    summary.rows = {t: sum(e["rows"][t] for e in done.values()) for t in TABLES}   # 5. summarise
    summary.seconds = time.perf_counter() - started
    log.info("batch %s: %s", out_dir, summary.counts())
    return summary


def plan_job(inputs: list[str], out_dir: str, settings: Settings, shard_size: int) -> list[Shard]:
    """The folder's saved plan when it is for the same inputs and files, else a new one (saved)."""
    old = manifest.read_plan(out_dir)
    same_job = old is not None and (old["inputs"], old["shard_size"], old.get("settings")) == (
        list(inputs), shard_size, settings.as_dict())
    if same_job:
        shards = manifest.plan_shards_of(old)
        if _same_files(inputs, shards):
            return shards
    shards = plan_shards(inputs, settings, shard_size)
    manifest.check_same_batch(out_dir, old, shards, settings.as_dict())
    manifest.write_plan(out_dir, inputs, shard_size, shards, settings.as_dict())
    return shards


def _same_files(inputs: list[str], shards: list[Shard]) -> bool:
    """True when the inputs still expand to the planned files, each unchanged (size, mtime)."""
    planned = {p.source: p.stamp for s in shards for p in s.pieces}
    try:
        sources = expand_sources(inputs)
        current = {src: (None if is_url(src) else file_stamp(src)) for src in sources}
    except OSError:
        return False
    return current == planned


def run_shards(client, shards: list[Shard], out_dir: str, settings: Settings,
               reload_every: int) -> Iterator[tuple[Shard, Optional[dict], Optional[str]]]:
    """(shard, manifest entry, None) as each shard finishes, or (shard, None, error) when it fails."""
    from distributed import as_completed

    futures = {
        client.submit(process_shard, shard.to_json(), out_dir, settings.as_dict(), reload_every,
                      key=f"newsledger-{shard.name}", pure=False): shard
        for shard in shards
    }
    for future in as_completed(list(futures)):
        shard = futures.pop(future)
        try:
            yield shard, future.result(), None
        except Exception as exc:  # a task error, or a worker lost more often than Dask allows
            first = str(exc).splitlines()[0] if str(exc) else ""
            log.warning("shard %s failed: %s: %s", shard.name, type(exc).__name__, first)
            yield shard, None, f"{type(exc).__name__}: {first}".rstrip(": ")
        finally:
            future.release()


@contextmanager
def dask_client(scheduler: Optional[str], workers: Optional[int]) -> Iterator[Any]:
    """A Client of the scheduler at ``scheduler``, or of a new LocalCluster with
    ``workers`` single-threaded worker processes (default: one per core)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingDependency("dask (for newsledger batch)", INSTALL) from None
    with dask.config.set(DASK_CONFIG):
        if scheduler:
            try:
                client = Client(scheduler)
            except (OSError, TimeoutError) as exc:
                raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            with client:
                yield client
            return
        n = workers or os.cpu_count() or 1
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=logging.ERROR, env={name: "1" for name in THREAD_ENV}) as cluster, \
                Client(cluster) as client:
            yield client
