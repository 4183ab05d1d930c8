"""Read-only snapshots of the ledger for a running web server (docs/web.md).

DuckDB lets one process hold a database file for writing, and while it does
no other process may open it, not even read-only. So `newsledger serve` never
reads the ledger itself: it reads a *snapshot*, a copy of the file published
next to it, and switches to a newer one atomically.

    news.duckdb                     the ledger (ingest, load and the CLI open it)
    news.duckdb.snapshots/
        SERVING                     pid of the server watching this folder
        CURRENT                     name of the newest snapshot (replaced atomically)
        snap-<n>-<hash>.duckdb      snapshots; the two newest are kept

Whoever writes the ledger publishes: when a writable ``Ledger`` closes while
a live server watches the folder, it checkpoints (all committed data is then
in the main file), copies the file to a new snapshot name, and only then
points CURRENT at it with ``os.replace``. A reader therefore sees either the
old snapshot or the whole new one, never a torn file. Nothing is published
when no server runs, so ingest pays nothing then.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

SUFFIX = ".snapshots"
CURRENT = "CURRENT"
SERVING = "SERVING"
# The snapshot CURRENT names and the one before it: a request that started
# on the previous one may still be reading it (unlinking an open file is
# safe on POSIX, but the server may reopen by name on a worker restart).
KEEP = 2


def folder(db_path: str | Path) -> Path:
    return Path(f"{db_path}{SUFFIX}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


def watched(db_path: str | Path) -> bool:
    """True while a live server watches this ledger's snapshot folder; a
    SERVING file left by a server that died is removed."""
    marker = folder(db_path) / SERVING
    try:
        pid = int(marker.read_text().strip() or 0)
    except (OSError, ValueError):
        return False
    if pid and _pid_alive(pid):
        return True
    marker.unlink(missing_ok=True)
    return False


def start_watching(db_path: str | Path) -> Path:
    """Mark the folder as watched by this process (the server calls it at start)."""
    snap_dir = folder(db_path)
    snap_dir.mkdir(exist_ok=True)
    _write_atomic(snap_dir / SERVING, str(os.getpid()))
    return snap_dir


def stop_watching(db_path: str | Path) -> None:
    marker = folder(db_path) / SERVING
    try:
        if int(marker.read_text().strip() or 0) == os.getpid():
            marker.unlink()
    except (OSError, ValueError):
        pass


def current(db_path: str | Path) -> Optional[Path]:
    """The snapshot CURRENT names, or None before the first is published."""
    snap_dir = folder(db_path)
    try:
        name = (snap_dir / CURRENT).read_text().strip()
    except OSError:
        return None
    path = snap_dir / name
    return path if name and path.exists() else None


def current_version(db_path: str | Path) -> Optional[int]:
    """A cheap change marker for CURRENT (its inode changes on every publish)."""
    try:
        return os.stat(folder(db_path) / CURRENT).st_ino
    except OSError:
        return None


def publish(con, db_path: str | Path) -> Path:
    """Checkpoint the writer's connection ``con`` and publish a copy of the file.

    Called by the process that holds the ledger for writing, so no other
    process changes the file while it is copied.
    """
    started = time.perf_counter()
    snap_dir = folder(db_path)
    snap_dir.mkdir(exist_ok=True)
    con.execute("CHECKPOINT")
    serial = time.time_ns()
    tmp = snap_dir / f".tmp-{os.getpid()}-{serial}.duckdb"
    shutil.copyfile(db_path, tmp)
    name = f"snap-{serial}-{_short_hash(tmp)}.duckdb"
    os.replace(tmp, snap_dir / name)
    _write_atomic(snap_dir / CURRENT, name)
    _prune(snap_dir, keep_name=name)
    log.info("published snapshot %s of %s in %.2f s", name, db_path, time.perf_counter() - started)
    return snap_dir / name


def _short_hash(path: Path) -> str:
    """A hash of the file's size and first MB: enough to name it, cheap to take."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:12]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _prune(snap_dir: Path, keep_name: str) -> None:
    snaps = sorted(snap_dir.glob("snap-*.duckdb"), key=lambda p: int(p.name.split("-")[1]))
    for old in snaps[:-KEEP]:
        if old.name != keep_name:
            old.unlink(missing_ok=True)
            Path(f"{old}.wal").unlink(missing_ok=True)
