"""The web pages in a real browser (issue 6, docs/web.md "Tests in a browser").

Playwright (from PyPI) drives Debian's chromium at /usr/bin/chromium,
headless, with its background networking off; every request that is not to
the test server is aborted and recorded, so "no external request" is checked,
not assumed. `.ci/run` installs chromium with apt-get when it is missing;
elsewhere these tests skip with a message. Never `playwright install`.

The ledger holds the seed article, a slice of the Wikinews corpus (when
../shared is here), the 80 hostile articles of test_web_hostile.py and its
5 MB hostile text. Screenshots of each page go to
tests/artifacts/.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from newsledger.ingest import ingest
from newsledger.settings import Settings
from tests.conftest import EXAMPLES
from tests.test_web_hostile import BIG_BYTES, hostile_rows, write_big_article

CHROMIUM = os.environ.get("NEWSLEDGER_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WIKINEWS_SLICE = 25  # Wikinews articles besides the seed: enough for every page to have content
TOKEN = "test-write-token"
# Chromium switches that stop it calling home (updates, sync, metrics, safe
# browsing) and resolve every host but the test server's to nothing.
NETWORK_OFF = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-default-apps", "--disable-sync", "--no-first-run", "--metrics-recording-only",
               "--disable-domain-reliability", "--disable-client-side-phishing-detection",
               "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]

pytestmark = pytest.mark.slow


def _chromium_or_skip():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed: pip install 'newsledger[test]'")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium (never `playwright install`)")


def _wikinews_slice(request, folder: Path) -> list[str]:
    try:
        shared = request.getfixturevalue("shared")
    except pytest.skip.Exception:
        return []
    rows = list(csv.DictReader(open(shared / "corpora" / "wikinews" / "wikinews_2019.csv", encoding="utf-8")))
    path = folder / "wikinews.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["url", "date", "title", "text"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in ("url", "date", "title", "text")} for r in rows[:WIKINEWS_SLICE])
    return [str(path)]


@pytest.fixture(scope="module")
def server(request, tmp_path_factory, nlp_extractor):
    """`newsledger serve --write-token` on a free loopback port, in a thread."""
    _chromium_or_skip()
    import uvicorn

    from newsledger.web.app import create_app

    folder = tmp_path_factory.mktemp("browser")
    hostile = folder / "hostile.jsonl"
    hostile.write_text("".join(json.dumps(r) + "\n" for r in hostile_rows()), encoding="utf-8")
    inputs = [str(EXAMPLES / "seed_article.txt"), *_wikinews_slice(request, folder), str(hostile)]
    db = folder / "browser.duckdb"
    ingest(inputs, str(db), Settings(), extractor=nlp_extractor)
    write_big_article(db)
    app = create_app(db, write_token=TOKEN)
    app.state.extractor = nlp_extractor  # the add form reuses the loaded model
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


class Watch:
    """What a page did that it must not: outside requests, script errors, CSP refusals, dialogs."""

    def __init__(self, page, base: str):
        self.outside, self.errors, self.console, self.dialogs = [], [], [], []
        host = urlparse(base).netloc
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda msg: self.console.append(msg.text) if msg.type in ("error", "warning") else None)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r):
            url = urlparse(r.request.url)
            if url.scheme in ("data", "blob") or url.netloc == host:
                return r.continue_()
            self.outside.append(r.request.url)
            return r.abort()

        page.route("**/*", route)

    def problems(self) -> list:
        refused = [c for c in self.console if "Content Security Policy" in c or "Refused" in c]
        return self.outside + self.errors + refused + self.dialogs


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=NETWORK_OFF)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    pg = context.new_page()
    pg.watch = Watch(pg, server)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def seed(server):
    import httpx

    items = httpx.get(server + "/api/articles?limit=500").json()["items"]
    [item] = [a for a in items if (a["title"] or "").startswith("Lukashenko")]
    return httpx.get(f"{server}/api/articles/{item['id']}").json()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_every_page_renders_inert_and_offline(page, seed):
    pages = {"overview": "/", "article": f"/article/{seed['id']}", "speaker": "/speaker/Lukashenko",
             "search": "/search?q=troops", "search-entities": "/search?q=Belarus&scope=entities",
             "search-articles": "/search?q=election&scope=articles", "events": "/events?include_hypothetical=true",
             "add": "/add", "docs": "/docs"}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1, #swagger-ui").first.is_visible(), url
        shot(page, name)
    assert page.locator(".swagger-ui").count() == 1  # /docs drew itself from the local bundle
    assert not page.watch.problems(), page.watch.problems()


def test_clicking_a_quote_shows_its_speaker(page, seed):
    page.goto(f"/article/{seed['id']}")
    quote = page.locator('#text .mk-quote[data-speaker="Alexander Lukashenko"]').first
    quote.click()
    assert page.locator("#panel").is_visible()
    assert page.locator('#panel [data-field="speaker"]').text_content() == "Alexander Lukashenko"
    assert page.locator('#panel [data-field="kind"]').text_content() in ("direct", "mixed", "indirect")
    assert not page.watch.problems()


def test_an_evidence_url_highlights_its_span(page, seed):
    q = next(q for q in seed["quotes"] if q["kind"] == "direct")
    start, end = q["content_start"], q["content_end"]
    page.goto(f"/article/{seed['id']}?span={start}-{end}#q{q['idx']}")
    marked = page.locator("#text .mk-highlight").evaluate_all("els => els.map(e => e.textContent).join('')")
    assert marked == seed["text"][start:end]
    assert page.locator("#panel").is_visible()  # the #qN fragment opened the quote too
    shot(page, "evidence")


def test_hypothetical_deployment_hidden_then_one_click_away(page):
    page.goto("/events")
    rows = page.locator('tr.event-row[data-type="MOBILIZE"][data-hypothetical="true"]')
    assert rows.count() == 0
    assert page.locator("tr.event-row[data-hypothetical]").count() == 0
    with page.expect_navigation():
        page.click("#show-hypothetical")
    assert rows.count() >= 1
    assert "troops" in rows.first.text_content() or "deploy" in rows.first.text_content().lower()
    assert page.locator("svg.world-map").count() == 1 and page.locator("svg.dyad-network").count() == 1
    shot(page, "events-hypothetical")


def test_keyboard_reaches_a_quote_and_opens_it(page, seed):
    page.goto(f"/article/{seed['id']}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a[data-mark-link]')"):
            break
    else:
        pytest.fail("no quote link reachable with Tab")
    page.keyboard.press("Enter")
    assert page.locator("#panel").is_visible()
    assert page.locator('#panel [data-field="speaker"]').text_content().strip()


@pytest.mark.parametrize("url", ["/article/{id}", "/search?q=troops", "/events", "/add"])
def test_every_control_has_a_label(page, seed, url):
    page.goto(url.format(id=seed["id"]))
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea, button'))
        .filter(el => el.type !== 'hidden')
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !(el.tagName === 'BUTTON' && el.textContent.trim()))
        .map(el => el.outerHTML)""")
    assert not unlabelled, unlabelled


def test_search_by_keyboard(page):
    page.goto("/search")
    page.focus("#search-q")
    page.keyboard.type("Lukashenko")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".results li.result").count() >= 1
    shot(page, "search-keyboard")


def test_hostile_articles_run_no_script(page, server):
    """Every hostile article (80, and the 5 MB one) opens, draws its text and
    runs nothing: no dialog, no script error, no request elsewhere."""
    import httpx

    items = httpx.get(server + "/api/articles?limit=500").json()["items"]
    hostile = [a for a in items if a["outlet"] != "en.wikinews.org" and not (a["title"] or "").startswith("Lukashenko")]
    assert len(hostile) >= 80
    for art in hostile:
        page.goto(f"/article/{art['id']}?span=0-40")
        assert page.locator("#text").is_visible()
        assert page.evaluate("typeof window.__pwned") == "undefined"
    big = next(a for a in hostile if a["title"] == "<script>big</script>")
    page.goto(f"/article/{big['id']}?span=4000000-4000100#q3")
    assert len(page.locator("#text").text_content()) == BIG_BYTES
    for url in ("/", "/events?include_hypothetical=true", "/search?q=alert&scope=articles"):
        page.goto(url)
    assert not page.watch.problems(), page.watch.problems()
    shot(page, "hostile-search")


def test_adding_an_article_needs_the_token(page):
    text = "Mayor Jane Doe said on Monday: \"The bridge will reopen in May.\" Officials in Riga agreed."
    page.goto("/add")
    page.fill("#add-title", "Bridge to reopen")
    page.fill("#add-text", text)
    page.fill("#add-token", "wrong")
    page.click("button[type=submit]")
    assert "wrong or missing write token" in page.locator("[role=alert]").text_content()
    page.fill("#add-title", "Bridge to reopen")
    page.fill("#add-text", text)
    page.fill("#add-token", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url("**/article/*")
    assert page.locator("h1").text_content() == "Bridge to reopen"
    assert page.locator("#text .mk-quote").count() >= 1
    shot(page, "added")


def teardown_module(module):
    """Keep only PNGs in tests/artifacts (the folder is git-ignored)."""
    if ARTIFACTS.exists():
        for p in ARTIFACTS.iterdir():
            if p.suffix != ".png":
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
