"""Cost of building and using the offline gazetteer (newsledger.geo).

Builds the full gazetteer from the installed packages in a child process
(``python -m newsledger.geo PATH``, interpreter start-up and package
loading included) into a temporary folder and records:

* ``build_seconds`` and ``peak_rss_mb`` of that process (the issue's limits:
  under 120 s and under 1.5 GB);
* ``file_mb`` and the row counts the build wrote into its meta table;
* ``open_seconds``: Gazetteer.open on the built file;
* ``lookup_us``: median microseconds of ``candidates()`` over fixed names,
  first call (SQLite) and repeated call (LRU cache), and of ``is_name()``.

Needs no shared data.

    python -m bench.gazetteer_build

writes bench/results/gazetteer_build.json.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import write_result

LIMIT_SECONDS = 120  # issue 5: "the gazetteer build takes under 2 minutes"
LIMIT_RSS_MB = 1536  # issue 5: "memory stays under 1.5 GB"
NAMES = ["Paris", "Georgia", "Long Beach", "U.S.", "Ky.", "B.C.", "Moscow", "Kyiv", "Washington",
         "New York", "London", "Springfield", "Lagos", "Aleppo", "Nowhereville", "Zürich"]


def _median_us(fn, names: list[str]) -> float:
    times = []
    for name in names:
        started = time.perf_counter()
        fn(name)
        times.append((time.perf_counter() - started) * 1e6)
    return round(statistics.median(times), 1)


def run() -> dict:
    from newsledger.geo import Gazetteer

    with tempfile.TemporaryDirectory(prefix="gazetteer_bench_") as tmp:
        path = Path(tmp) / "gazetteer.sqlite"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsledger.geo", str(path)], check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        # ru_maxrss is in kB on Linux; the max over children, so a fresh process counts alone
        peak_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)

        started = time.perf_counter()
        gaz = Gazetteer.open(path, build=False)
        open_seconds = time.perf_counter() - started
        lookups = {
            "candidates_first": _median_us(gaz.candidates, NAMES),
            "candidates_cached": _median_us(gaz.candidates, NAMES),
            "is_name_first": _median_us(gaz.is_name, [n + " " for n in NAMES]),
        }
        meta = gaz.meta()
        gaz.close()
        file_mb = path.stat().st_size / 1e6

    peak_mb = peak_kb / 1024
    return {
        "build_seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "within_limits": seconds < LIMIT_SECONDS and peak_mb < LIMIT_RSS_MB,
        "limits": {"seconds": LIMIT_SECONDS, "rss_mb": LIMIT_RSS_MB},
        "file_mb": round(file_mb, 1),
        "open_seconds": round(open_seconds, 4),
        "lookup_us": lookups,
        "counts": {k[len("count_"):]: int(v) for k, v in meta.items() if k.startswith("count_")},
        "packages": {k[len("package_"):]: v for k, v in meta.items() if k.startswith("package_")},
        "build_version": meta.get("build_version"),
    }


def table(result: dict) -> str:
    counts = result["counts"]
    return "\n".join([
        "gazetteer build",
        f"  time {result['build_seconds']} s (limit {LIMIT_SECONDS}), peak RSS {result['peak_rss_mb']} MB "
        f"(limit {LIMIT_RSS_MB}), file {result['file_mb']} MB, open {result['open_seconds']} s",
        f"  rows: {counts.get('cities')} cities, {counts.get('admin1')} admin1, "
        f"{counts.get('countries')} countries, {counts.get('continents')} continents, {counts.get('names')} names, "
        f"{counts.get('demonyms')} demonyms",
        f"  candidates(): {result['lookup_us']['candidates_first']} us first call, "
        f"{result['lookup_us']['candidates_cached']} us cached",
    ])


def main() -> None:
    result = run()
    path = write_result("gazetteer_build.json", result)
    print(table(result))
    print(f"written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
