"""The server reads snapshots (newsledger.store.snapshot, web.deps.Snapshots),
so ingest and the CLI keep the ledger file while it runs (docs/web.md,
"Working alongside ingest")."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient

from newsledger.store import snapshot
from newsledger.store.ledger import open_ledger
from newsledger.web.app import create_app
from tests.test_ingest import OTHER, STORY
from tests.test_store import article, held_by_another_process, store

# A writer in another process: opens the ledger, says so, waits for a line on
# stdin, stores one article and closes (which publishes, as ingest does).
WRITER = """
import sys
from tests.test_store import article, store
from newsledger.store.ledger import open_ledger
led = open_ledger(sys.argv[1])
print('ready', flush=True)
sys.stdin.readline()
store(led, article(sys.argv[2], origin='w.txt'))
led.close()
print('done', flush=True)
"""


def make_db(path, *texts):
    with open_ledger(path) as led:
        for i, text in enumerate(texts):
            store(led, article(text, origin=f"{i}.txt"))
    return path


def n_articles(client) -> int:
    r = client.get("/api/overview")
    assert r.status_code == 200, r.text
    return r.json()["counts"]["articles"]


def test_server_reads_a_snapshot_while_another_process_holds_the_ledger(tmp_path):
    db = make_db(tmp_path / "l.duckdb", STORY)
    client = TestClient(create_app(db))
    with held_by_another_process(db):
        assert n_articles(client) == 1
        assert client.get("/").status_code == 200
    assert snapshot.current(db).name.startswith("snap-")


def test_a_write_publishes_and_the_server_switches(tmp_path):
    db = make_db(tmp_path / "l.duckdb", STORY)
    client = TestClient(create_app(db))
    assert n_articles(client) == 1
    with open_ledger(db) as led:  # the CLI and ingest open the file itself
        store(led, article(OTHER, origin="b.txt"))
    assert n_articles(client) == 2
    assert len(list(snapshot.folder(db).glob("snap-*.duckdb"))) <= snapshot.KEEP


def test_cli_query_commands_work_while_the_server_runs(tmp_path, runner):
    from newsledger.cli.main import app as cli_app

    db = make_db(tmp_path / "l.duckdb", STORY)
    client = TestClient(create_app(db))
    assert n_articles(client) == 1
    result = runner.invoke(cli_app, ["quotes", "--db", str(db)])
    assert result.exit_code == 0, result.output


def test_no_publishing_without_a_live_server(tmp_path):
    db = make_db(tmp_path / "l.duckdb", STORY)
    assert not snapshot.folder(db).exists()
    snapshot.folder(db).mkdir()
    (snapshot.folder(db) / snapshot.SERVING).write_text("999999999")  # a server that died
    make_db(db, OTHER)
    assert snapshot.current(db) is None and not snapshot.watched(db)


def test_started_while_a_writer_holds_it_503_then_its_snapshot(tmp_path):
    db = make_db(tmp_path / "l.duckdb", STORY)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), OTHER],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        client = TestClient(create_app(db))  # starts: cannot publish, no snapshot yet
        r = client.get("/api/quotes")
        assert r.status_code == 503 and r.headers["retry-after"] == "1"
        assert "busy" in r.json()["error"]
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "done"
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    assert n_articles(client) == 2  # the writer published when it closed


@pytest.mark.slow
def test_ingest_and_page_requests_at_the_same_time(tmp_path):
    """Three ingest runs in another process while pages are requested: every
    response is 200, counts never go back, and each listed article opens."""
    db = make_db(tmp_path / "l.duckdb", STORY)
    client = TestClient(create_app(db))
    inputs = []
    for i in range(3):
        folder = tmp_path / f"in{i}"
        folder.mkdir()
        for j in range(2):
            (folder / f"{j}.txt").write_text(f"Story {i}-{j}.\n\n{OTHER}\n\nIt was the {i * 2 + j}th day.")
        inputs.append(folder)
    seen, errors = [], []

    def ingest_runs():
        for folder in inputs:
            subprocess.run([sys.executable, "-m", "newsledger.cli.main", "ingest", str(folder), "--db", str(db)],
                           check=True, capture_output=True, timeout=600)

    writer = threading.Thread(target=ingest_runs)
    writer.start()
    while writer.is_alive() or len(seen) < 5:
        for url in ("/", "/api/quotes", "/api/events?include_hypothetical=true"):
            r = client.get(url)
            if r.status_code != 200:
                errors.append((url, r.status_code, r.text[:200]))
        items = client.get("/api/articles?limit=500").json()
        seen.append(items["total"])
        for item in items["items"]:
            if client.get(f"/api/articles/{item['id']}").status_code != 200:
                errors.append(("article", item["id"]))
        time.sleep(0.05)
    writer.join()
    assert not errors, errors[:5]
    assert seen == sorted(seen), seen  # never a step back
    assert n_articles(client) == 7
