"""What a Dask worker runs: one shard in, Parquet partitions and a manifest entry out.

    entry = process_shard(shard.to_json(), "out/", settings.as_dict(), reload_every=2000)

``process_shard`` is a plain importable function (Dask pickles it by name) and
runs the same pure stages as ``ingest``: ``read_articles`` then
``extract_records`` (newsledger/ingest.py). Duplicates inside the shard are
kept as extra sources, as ingest keeps them.

Each worker process keeps one loaded model (``_MODELS``), so the model is
loaded once per process, not once per shard. spaCy's StringStore only grows:
every new word, name or number of every document adds a string that is never
freed. To keep memory flat however many articles a worker sees, the model is
dropped and loaded again after ``reload_every`` documents (see RELOAD_EVERY).

Test hooks (test-only; never set them in production): NEWSLEDGER_SCALE_TEST_KILL
holds comma-separated kill points. ``worker-doc:K`` makes a worker SIGKILL
itself after extracting its K-th document, ``worker-before-manifest:K`` just
before writing the manifest entry of its K-th shard (its Parquet files are
already written), and ``driver-shard:K`` makes the batch driver SIGKILL itself
after K shards finished (newsledger/scale/run.py). With
NEWSLEDGER_SCALE_TEST_KILL_ONCE=PREFIX each point fires once (it creates
PREFIX.<point> when it fires), so the retry lives.
"""

from __future__ import annotations

import gc
import logging
import os
import resource
import signal
import sys
import time
from typing import Optional

from newsledger.article import Article
from newsledger.scale import manifest
from newsledger.scale.partitions import shard_rows, write_partitions
from newsledger.scale.shards import Shard, read_shard
from newsledger.settings import Settings
from newsledger.sources.base import Reject

log = logging.getLogger(__name__)

# Documents a worker extracts before it reloads the model. A reload takes 3-5 s
# (en_core_web_sm with our components) and 2,000 documents take about 400 s on
# one core at 5 articles/s, so reloading costs about 1% of the time. Measured
# 2026-11-29 (bench/scale_bench.py): the StringStore grew from 87k to 100k
# strings over 2,000 synthetic articles, and a reload brings it back to 87k.
RELOAD_EVERY = 2000
# Libraries that start their own thread pools: one thread each, since Dask
# already runs one task per core (a pool per worker would oversubscribe the CPU).
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
              "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS")
KILL_ENV = "NEWSLEDGER_SCALE_TEST_KILL"
KILL_ONCE_ENV = "NEWSLEDGER_SCALE_TEST_KILL_ONCE"


class _Model:
    """The loaded extractor of this process and how many documents it has seen."""

    def __init__(self, settings: Settings):
        from newsledger.nlp.pipeline import Extractor

        self.extractor = Extractor(settings)
        self.info = self.extractor.model_info  # loads the model now
        self.docs = 0


_MODELS: dict[Settings, _Model] = {}
_COUNTS = {"loads": 0, "docs": 0, "shards": 0}


def model_for(settings: Settings, reload_every: int = RELOAD_EVERY) -> _Model:
    """This process's model for ``settings``, reloaded once it has seen ``reload_every`` documents."""
    model = _MODELS.get(settings)
    if model is not None and model.docs >= reload_every:
        log.info("reloading the model after %d documents (bounds the string store)", model.docs)
        del _MODELS[settings]
        model = None
        gc.collect()
    if model is None:
        model = _MODELS[settings] = _Model(settings)
        _COUNTS["loads"] += 1
    return model


def process_shard(shard_json: dict, out_dir: str, settings_json: dict, reload_every: int = RELOAD_EVERY) -> dict:
    """Extract one shard and write its partitions, then its manifest entry; returns the entry."""
    shard, settings = Shard.from_json(shard_json), Settings(**settings_json)
    done = manifest.finished_entry(out_dir, shard)
    if done is not None:  # an earlier attempt finished it (a retry after a lost driver)
        return done
    pin_threads()
    started = time.perf_counter()
    pairs, later, rejects = run_shard(shard, settings, reload_every)
    files = write_partitions(out_dir, shard.name, shard_rows(pairs, later, rejects))
    _COUNTS["shards"] += 1
    test_hook("worker-before-manifest", _COUNTS["shards"])
    return manifest.write_entry(out_dir, shard, files, _stats(settings, started, len(pairs)))


def run_shard(shard: Shard, settings: Settings, reload_every: int = RELOAD_EVERY):
    """(article, record) pairs, later copies and rejects of one shard, in reading order."""
    pairs: list = []
    later: list[Article] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    queued: list[Article] = []
    for item in read_shard(shard, settings):
        if isinstance(item, Reject):
            rejects.append(item)
        elif item.id in seen:
            later.append(item)
        else:
            seen.add(item.id)
            queued.append(item)
            if len(queued) >= settings.batch_size:
                _extract(queued, settings, reload_every, pairs, rejects)
                queued = []
    _extract(queued, settings, reload_every, pairs, rejects)
    return pairs, later, rejects


def _extract(articles: list[Article], settings: Settings, reload_every: int, pairs: list, rejects: list) -> None:
    from newsledger.ingest import extract_records

    if not articles:
        return
    model = model_for(settings, reload_every)
    done, failed = extract_records(model.extractor, articles)
    pairs.extend(done)
    rejects.extend(failed)
    for _ in articles:
        model.docs += 1
        _COUNTS["docs"] += 1
        test_hook("worker-doc", _COUNTS["docs"])


def _stats(settings: Settings, started: float, articles: int) -> dict:
    model = _MODELS.get(settings)
    peak, current = memory_mb()
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "articles": articles,
        "pid": os.getpid(),
        "peak_rss_mb": round(peak, 1),
        "rss_mb": round(current, 1),
        "model_loads": _COUNTS["loads"],
        "process_docs": _COUNTS["docs"],
        "strings": len(model.extractor.nlp.vocab.strings) if model else None,
        "model": model.info if model else None,
    }


def memory_mb() -> tuple[float, float]:
    """(peak, current) resident memory of this process in MB.

    From /proc/self/status (VmHWM, VmRSS) on Linux. Not ru_maxrss: Linux
    carries the parent's high-water mark over fork and exec into it, so a
    worker spawned by a big driver would report the driver's peak.
    Elsewhere ru_maxrss (KiB on Linux, bytes on macOS) stands in for both.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            fields = dict(line.split(":", 1) for line in f if line.startswith(("VmHWM", "VmRSS")))
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak_mb = peak / (1 << 20) if sys.platform == "darwin" else peak / 1024
        return peak_mb, peak_mb


_PINNED = False


def pin_threads() -> None:
    """One BLAS/OpenMP/torch thread in this process (once; env vars only help libraries not yet loaded)."""
    global _PINNED
    if _PINNED:
        return
    for name in THREAD_ENV:
        os.environ[name] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    _PINNED = True


def test_hook(point: str, count: int, env: Optional[dict] = None) -> None:
    """Test-only: SIGKILL this process at ``point`` when NEWSLEDGER_SCALE_TEST_KILL
    (comma-separated ``point:count`` items) says so, once per marker file."""
    env = os.environ if env is None else env
    wanted = f"{point}:{count}"
    if wanted not in env.get(KILL_ENV, "").split(","):
        return
    marker = env.get(KILL_ONCE_ENV)
    if marker:
        try:
            os.close(os.open(f"{marker}.{point}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    log.warning("test hook %s: SIGKILL to process %d", wanted, os.getpid())
    os.kill(os.getpid(), signal.SIGKILL)
