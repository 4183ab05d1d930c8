"""Paths shared by the bench scripts."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def shared_dir() -> Path:
    """$NEWSLEDGER_SHARED (relative paths are from the repo root), default ../shared."""
    env = os.environ.get("NEWSLEDGER_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not path.is_absolute():
        path = (REPO / path).resolve()
    return path


def shared_path(*parts: str) -> Path:
    """A path under the shared folder; exit with a clear message when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        sys.exit(
            f"bench: {path} not found. The benchmarks read evaluation data from the shared "
            f"folder: set NEWSLEDGER_SHARED to it (default ../shared next to the repo)."
        )
    return path


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path
