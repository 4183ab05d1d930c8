"""The plan and the manifest of an output folder: which shards exist, which are done.

    OUT/_plan.json                          the inputs, shard size and shards of the batch
    OUT/_manifest/shard-000012-<id>.json    one entry per finished shard

A shard is done only when its manifest entry exists AND every file it names
still has the row count and SHA-256 it records. The worker writes the entry
last, after all the shard's Parquet files are in place, and atomically
(temporary file, fsync, rename). So after a crash at any point a shard is
either done, with all its files, or not done, and then re-running the batch
redoes it from scratch, overwriting whatever part of it was written. Nothing
is counted twice and nothing is skipped: exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from datetime import datetime, timezone
from typing import Optional

from newsledger.errors import NewsledgerError
from newsledger.scale.partitions import TABLES, file_sha256
from newsledger.scale.shards import Shard

log = logging.getLogger(__name__)

PLAN_FILE = "_plan.json"
MANIFEST_DIR = "_manifest"
FORMAT = 1  # version of the plan and manifest layout


class BatchConflict(NewsledgerError):
    """The output folder holds a batch of other inputs."""

    exit_code = 2


class BatchUnfinished(NewsledgerError):
    """``load`` was asked for a folder whose batch has shards left to do."""

    exit_code = 1


# -- the plan ---------------------------------------------------------------------


def read_plan(out_dir: str) -> Optional[dict]:
    path = os.path.join(out_dir, PLAN_FILE)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_plan(out_dir: str, inputs: list[str], shard_size: int, shards: list[Shard], settings: dict) -> dict:
    plan = {"format": FORMAT, "inputs": list(inputs), "shard_size": shard_size, "settings": settings,
            "shards": [s.to_json() for s in shards]}
    write_json_atomic(os.path.join(out_dir, PLAN_FILE), plan)
    return plan


def plan_shards_of(plan: dict) -> list[Shard]:
    return [Shard.from_json(s) for s in plan["shards"]]


def check_same_batch(out_dir: str, old: Optional[dict], shards: list[Shard], settings: dict) -> None:
    """Refuse to mix two batches in one folder: once any shard of the saved
    plan is done, the new plan must be the same shards with the same settings."""
    if old is None or ([s["id"] for s in old["shards"]], old.get("settings")) == ([s.id for s in shards], settings):
        return
    if read_entries(out_dir):
        raise BatchConflict(
            f"{out_dir} holds a batch of other inputs (or files changed since it ran): "
            "give a new --out folder, or delete this one to start again")


# -- entries ------------------------------------------------------------------------


def entry_path(out_dir: str, shard: Shard) -> str:
    return os.path.join(out_dir, MANIFEST_DIR, f"{shard.name}.json")


def write_entry(out_dir: str, shard: Shard, files: dict, stats: dict) -> dict:
    """Record ``shard`` as done: its files with row counts and hashes, and how it ran."""
    entry = {
        "format": FORMAT,
        "shard": shard.to_json(),
        "files": files,
        "rows": {table: files[table]["rows"] for table in TABLES},
        "stats": stats,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    write_json_atomic(entry_path(out_dir, shard), entry)
    return entry


def read_entries(out_dir: str) -> dict[str, dict]:
    """Every manifest entry in the folder, by shard id (unverified)."""
    folder = os.path.join(out_dir, MANIFEST_DIR)
    if not os.path.isdir(folder):
        return {}
    entries = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json") and not name.startswith("."):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                entry = json.load(f)
            entries[entry["shard"]["id"]] = entry
    return entries


def verified(out_dir: str, entry: dict) -> bool:
    """True when every file the entry names is there with the hash it records."""
    for table in TABLES:
        info = entry["files"].get(table)
        path = os.path.join(out_dir, info["file"]) if info else None
        if path is None or not os.path.exists(path) or file_sha256(path) != info["sha256"]:
            log.warning("shard %s: %s partition missing or changed; it will be redone",
                        entry["shard"]["id"], table)
            return False
    return True


def done_entries(out_dir: str, shards: list[Shard]) -> dict[str, dict]:
    """The verified entries of ``shards``, by shard id."""
    entries = read_entries(out_dir)
    return {s.id: entries[s.id] for s in shards if s.id in entries and verified(out_dir, entries[s.id])}


def finished_entry(out_dir: str, shard: Shard) -> Optional[dict]:
    """The shard's entry when an earlier attempt already finished it, else None."""
    path = entry_path(out_dir, shard)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        entry = json.load(f)
    return entry if verified(out_dir, entry) else None


def write_json_atomic(path: str, data: dict) -> None:
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.tmp-{uuid.uuid4().hex}")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
