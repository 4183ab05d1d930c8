"""Exactly once: a worker SIGKILLed during a run, then the whole run killed at a
random point; re-running the same `newsledger batch` command finishes the job,
and `load` gives exactly the rows `ingest` gives: 0 lost, 0 duplicated.

The kills use the test-only hooks of newsledger/scale/worker.py
(NEWSLEDGER_SCALE_TEST_KILL), except one scenario that SIGKILLs the driver's
whole process group from outside after a random delay.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from newsledger.ingest import ingest  # noqa: E402
from newsledger.scale import manifest  # noqa: E402
from newsledger.scale.load import load  # noqa: E402
from newsledger.scale.partitions import TABLES  # noqa: E402
from newsledger.settings import Settings  # noqa: E402
from tests.test_scale_same import ledger_rows, write_slice  # noqa: E402

ARTICLES = 10  # + two copies and an empty row: 13 items, 5 shards of up to 3
SHARD_SIZE = 3
SHARDS = 5
RUN_TIMEOUT = 240
SEED = 20261129
rng = random.Random(SEED)

# (worker kill points, how the whole run dies): "driver-shard:K" kills the
# driver after K finished shards (K drawn at random); "external" SIGKILLs the
# process group from outside after a random delay.
SCENARIOS = {
    "worker-mid-shard": ("worker-doc:2", f"driver-shard:{rng.randint(1, SHARDS - 1)}"),
    "worker-before-manifest": ("worker-before-manifest:1", f"driver-shard:{rng.randint(1, SHARDS - 1)}"),
    # the first shards hold 3 articles: a worker reaches document 1 or 2 before any shard is done
    "worker-then-external": (f"worker-doc:{rng.randint(1, 2)}", "external"),
}
EXTERNAL_DELAY = rng.uniform(0.0, 5.0)  # seconds after the first shard is done
POLL_SECONDS = 0.1


@pytest.fixture(scope="module")
def expected(shared, tmp_path_factory, nlp_extractor):
    tmp = tmp_path_factory.mktemp("scale_once")
    corpus = write_slice(shared, tmp / "wikinews_slice.csv", n=ARTICLES)
    ingest([str(corpus)], str(tmp / "ingest.duckdb"), Settings(), extractor=nlp_extractor)
    return corpus, ledger_rows(str(tmp / "ingest.duckdb"))


def _batch_cmd(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "newsledger.cli.main", "batch", str(corpus), "--out", str(out),
            "--workers", "2", "--shard-size", str(SHARD_SIZE)]


def _run(cmd: list[str], env: dict, kill_when=None) -> int:
    """Run the batch in its own process group; SIGKILL the group as soon as
    ``kill_when()`` is true, and in any case when it ends (no orphaned Dask workers)."""
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if kill_when is not None and kill_when():
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(POLL_SECONDS)
        out, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    print(out)
    return proc.returncode


def _after_first_shard(out: Path, extra: float):
    """A kill condition: ``extra`` seconds after the first manifest entry appears."""
    seen: list[float] = []

    def ready() -> bool:
        if not seen and any((out / manifest.MANIFEST_DIR).glob("*.json")):
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] >= extra
    return ready


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_killed_runs_finish_exactly_once(scenario, expected, tmp_path):
    corpus, ingested = expected
    worker_kill, run_kill = SCENARIOS[scenario]
    out = tmp_path / "out"
    env = {**os.environ, "NEWSLEDGER_SEMANTIC": "0",
           "NEWSLEDGER_SCALE_TEST_KILL": ",".join(k for k in (worker_kill, run_kill) if k != "external"),
           "NEWSLEDGER_SCALE_TEST_KILL_ONCE": str(tmp_path / "fired")}

    external = _after_first_shard(out, EXTERNAL_DELAY) if run_kill == "external" else None
    first = _run(_batch_cmd(corpus, out), env, external)
    assert first == -signal.SIGKILL, "the whole run should have been killed"
    assert (tmp_path / f"fired.{worker_kill.split(':')[0]}").exists(), "the worker should have been killed"

    second = _run(_batch_cmd(corpus, out), env)  # the same command, the hooks already spent
    assert second == 0

    plan = manifest.read_plan(str(out))
    shards = manifest.plan_shards_of(plan)
    done = manifest.done_entries(str(out), shards)
    assert len(shards) == SHARDS and set(done) == {s.id for s in shards}
    for table in TABLES:  # no partition of a killed attempt is left beside the finished ones
        listed = {os.path.basename(e["files"][table]["file"]) for e in done.values()}
        assert {p.name for p in (out / table).glob("*.parquet")} == listed
    assert sum(e["rows"]["articles"] for e in done.values()) == ARTICLES + 1  # the copy of row 2 sits in another shard

    db = str(tmp_path / "batch.duckdb")
    summary = load(str(out), db)
    assert summary.ingested == ARTICLES
    assert ledger_rows(db) == ingested
