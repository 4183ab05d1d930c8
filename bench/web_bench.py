"""Loopback load on `newsledger serve`: page p95 and JSON API requests per second.

Builds a ledger from the seed article and the whole Wikinews corpus
(``$NEWSLEDGER_SHARED/corpora/wikinews``, 295 articles), starts ``newsledger
serve`` on 127.0.0.1 as a separate process, then:

0. **crawl**: every page and API listing once, for every article and the
   top speakers: the count of non-200 answers must be 0 ("all pages and the
   API work on the Wikinews corpus");

1. **pages**: each page kind (overview, article reader, reader with an
   evidence span) is fetched ``PAGE_REQUESTS`` times one after another; the
   p50 and p95 latencies are reported (issue 6: p95 under 200 ms);
2. **API**: ``WORKERS`` threads keep requesting a mix of quote search by
   speaker, article detail and event filtering for ``SECONDS`` seconds (a
   bounded loop: each worker waits for its answer before asking again);
   requests per second and errors are reported (issue 6: at least 200/s for
   30 s with 0 errors).

Writes bench/results/web.json. Run: ``python -m bench.web_bench``.
"""

from __future__ import annotations

import csv
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import REPO, shared_path, write_result

WIKINEWS_FILES = ("wikinews_2019.csv", "wikinews_2020.csv")  # the whole corpus, besides the seed
CRAWL_SPEAKERS = 100  # speaker pages the crawl opens (most statements first)
PAGE_REQUESTS = 50  # sequential requests per page kind
SECONDS = 30.0  # the API load, as issue 6 asks
WORKERS = 8  # concurrent clients in the bounded loop
SPEAKERS = ("Lukashenko", "Trump", "police", "Johnson")
NL = REPO / ".venv" / "bin" / "newsledger"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_ledger(folder: Path) -> Path:
    """The seed plus the whole Wikinews corpus, ingested as CSV."""
    rows = [r for name in WIKINEWS_FILES
            for r in csv.DictReader(open(shared_path("corpora", "wikinews", name), encoding="utf-8"))]
    src = folder / "wikinews.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["url", "date", "title", "text"])
        w.writeheader()
        w.writerows({k: r[k] for k in ("url", "date", "title", "text")} for r in rows)
    db = folder / "web.duckdb"
    subprocess.run([str(NL), "ingest", str(REPO / "examples" / "seed_article.txt"), str(src), "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL)
    return db


def _article_ids(db: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    finally:
        con.close()


def _wait_up(base: str, proc: subprocess.Popen) -> None:
    import httpx

    for _ in range(200):
        if proc.poll() is not None:
            sys.exit(f"bench: newsledger serve exited with {proc.returncode}")
        try:
            httpx.get(base + "/api/overview", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    sys.exit("bench: newsledger serve did not answer in 20 s")


def crawl(base: str, ids: list[str]) -> dict:
    """Every page and API listing once; the answers that were not 200."""
    import http.client

    import httpx

    speakers = httpx.get(f"{base}/api/speakers?limit={CRAWL_SPEAKERS}", timeout=30).json()["items"]
    types = ("ASSAULT", "PROTEST", "CONSULT", "ACCUSE", "SUPPORT")
    paths = ["/", "/events", "/events?include_hypothetical=true", "/search", "/add", "/docs", "/openapi.json",
             "/api/overview", "/api/articles?limit=500", "/api/quotes?limit=500", "/api/speakers?limit=500",
             "/api/events?limit=500&include_hypothetical=true", "/api/places?limit=500", "/api/events/map",
             "/api/events/dyads", "/api/quotes?format=csv&limit=500", "/api/events?format=csv&limit=500"]
    paths += [f"/events?type={t}&include_hypothetical=true" for t in types]
    paths += [f"/events?mode={m}" for m in ("hypothetical", "negated", "future", "historical", "factual")]
    for q in ("police", "election", "Trump said", "climate change", "Lukashenko"):
        paths += [f"/search?q={q}&scope={s}" for s in ("statements", "entities", "articles")]
        paths += [f"/api/search?q={q}", f"/api/search/entities?q={q}", f"/api/search/articles?q={q}"]
    for i in ids:
        paths += [f"/article/{i}", f"/article/{i}?span=0-40#q0", f"/api/articles/{i}"]
    for s in speakers:
        paths += [f"/speaker/{s['id']}", f"/api/speakers/{s['id']}"]
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    failed = []
    started = time.perf_counter()
    for path in paths:
        conn.request("GET", path.replace(" ", "+"))
        r = conn.getresponse()
        r.read()
        if r.status != 200 and not (path == "/add" and r.status == 403):
            failed.append((path, r.status))
    conn.close()
    return {"requests": len(paths), "not_ok": len(failed), "failed": failed[:20],
            "seconds": round(time.perf_counter() - started, 1)}


def page_latencies(base: str, ids: list[str]) -> dict:
    import httpx

    kinds = {
        "overview": lambda i: "/",
        "article": lambda i: f"/article/{ids[i % len(ids)]}",
        "evidence": lambda i: f"/article/{ids[i % len(ids)]}?span=0-40#q0",
    }
    out = {}
    with httpx.Client(base_url=base, timeout=10.0) as client:
        for name, path in kinds.items():
            ms, errors = [], 0
            for i in range(PAGE_REQUESTS):
                t = time.perf_counter()
                r = client.get(path(i))
                ms.append((time.perf_counter() - t) * 1000)
                errors += r.status_code != 200
            ms.sort()
            out[name] = {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * len(ms)) - 1], 1),
                         "errors": errors}
    return out


def api_load(base: str, ids: list[str]) -> dict:
    """WORKERS threads, each with one keep-alive connection (http.client: the
    lightest client in the standard library, so the load loop takes as little
    of the 2 cores as it can)."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    paths = []
    for i in range(len(ids)):
        paths += [f"/api/quotes?speaker={SPEAKERS[i % len(SPEAKERS)]}&limit=20", f"/api/articles/{ids[i]}",
                  "/api/events?type=ASSAULT&limit=20"]
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.perf_counter() + SECONDS

    def worker(k: int) -> None:
        ok = bad = 0
        conn = http.client.HTTPConnection(host, int(port), timeout=10.0)
        n = k
        while time.perf_counter() < stop:
            try:
                conn.request("GET", paths[n % len(paths)])
                r = conn.getresponse()
                r.read()
                ok, bad = (ok + 1, bad) if r.status == 200 else (ok, bad + 1)
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10.0)
            n += WORKERS
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["errors"] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "workers": WORKERS, "requests": counts["ok"] + counts["errors"],
            "errors": counts["errors"], "requests_per_second": round(counts["ok"] / seconds, 1)}


def serve_and_measure(db: Path, ids: list[str], cache: bool) -> dict:
    """Start `newsledger serve` with the response cache on or off; (uncached: the
    crawl first,) pages, then the API mix."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, NEWSLEDGER_WEB_CACHE="1" if cache else "0")
    proc = subprocess.Popen([str(NL), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        _wait_up(base, proc)
        out = {} if cache else {"crawl": crawl(base, ids)}
        return {**out, "pages": page_latencies(base, ids), "api": api_load(base, ids)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run() -> dict:
    """Uncached first (every request queries DuckDB), then with the response
    cache (web/cache.py), which is how `newsledger serve` runs by default."""
    with tempfile.TemporaryDirectory(prefix="nl_web_bench_") as tmp:
        db = build_ledger(Path(tmp))
        ids = _article_ids(db)
        uncached = serve_and_measure(db, ids, cache=False)
        cached = serve_and_measure(db, ids, cache=True)
    worst_p95 = max(p["p95_ms"] for p in uncached["pages"].values())
    api = cached["api"]
    return {
        "articles": len(ids), "uncached": uncached, "cached": cached,
        "targets": {"page_p95_ms": 200, "api_requests_per_second": 200, "api_errors": 0},
        "meets_targets": worst_p95 < 200 and api["requests_per_second"] >= 200 and api["errors"] == 0
        and uncached["api"]["errors"] == 0 and uncached["crawl"]["not_ok"] == 0,
    }


def table(result: dict) -> str:
    c = result["uncached"]["crawl"]
    lines = [f"web on loopback ({result['articles']} articles)",
             f"  crawl: {c['requests']} pages and API calls, {c['not_ok']} not 200 ({c['seconds']} s)"]
    for label in ("uncached", "cached"):
        lines.append(f"  {label}:")
        for name, p in result[label]["pages"].items():
            lines.append(f"    page {name:9s} p50 {p['p50_ms']:7.1f} ms  p95 {p['p95_ms']:7.1f} ms  "
                         f"errors {p['errors']}")
        a = result[label]["api"]
        lines.append(f"    API mix: {a['requests_per_second']} req/s over {a['seconds']} s with {a['workers']} "
                     f"clients, {a['errors']} errors of {a['requests']}")
    lines.append(f"  targets (p95 < 200 ms uncached, >= 200 req/s, 0 errors) met: {result['meets_targets']}")
    return "\n".join(lines)


def main() -> None:
    result = run()
    path = write_result("web.json", result)
    print(table(result))
    print(f"written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
