"""Hostile articles through ingest and the reader: no markup from an article
ever becomes markup in a page (issue 6, section 2; docs/web.md).

The corpus is generated here (not shipped as files): script tags, event
handlers, javascript: URLs, SVG and MathML payloads, tag breakouts, quoted
speech made of payloads (so the quote extractor puts quote spans over them),
odd Unicode, and one 5 MB text.
"""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser

import pytest

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"https://evil.example/pixel.gif\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">CLICKME</math>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)' x='",
    "\" onfocus=\"alert(1)\" autofocus=\"",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x\">",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<form action=https://evil.example><button>go</button></form>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "{{ 7*7 }} {% raw %}{{ config }}{% endraw %}",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "\u202egnp.exe\u202c and \u2066isolate\u2069 and \u200b\u200d\ufeff",
    "\ufffd\ufffd broken \ufffd bytes \x01\x02\x1b[31m\x7f",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
]
LINKS = ["javascript:alert(1)", "https://ok.example/a?b=1&c=2", "https://ok.example/a?b=<c>&d=\"e\"", "data:text/html,<script>x</script>",
         "//evil.example/x", "https://ok.example/\" onclick=\"alert(1)"]
N_HOSTILE = 2 * len(PAYLOADS)  # 80: each payload in plain text and inside quoted speech
BIG_BYTES = 5_000_000
# Allow-lists for what a page may contain.
TAGS = {"html", "head", "meta", "title", "link", "script", "body", "header", "nav", "a", "main", "h1", "h2",
        "section", "dl", "div", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "p", "span", "ul",
        "ol", "li", "code", "strong", "aside", "input", "article", "form", "label", "select", "option", "button",
        "textarea", "blockquote", "mark", "br"}
ATTRS = {"class", "id", "href", "rel", "target", "lang", "charset", "name", "content", "src", "defer",
         "tabindex", "hidden", "readonly", "value", "method", "action", "type", "for", "role", "size",
         "placeholder", "selected", "checked", "required", "autocomplete", "enctype", "rows", "cols", "scope"}
# Charts, the map and the network are inline SVG (web/charts.py): these
# elements, with any presentation attribute except event handlers and style.
SVG_TAGS = {"svg", "g", "rect", "line", "polyline", "path", "circle", "text", "title", "desc", "defs", "marker",
            "a", "tspan"}
STYLESHEETS = {"/static/style.css", "/static/charts.css"}


def hostile_rows() -> list[dict]:
    rows = []
    for i, p in enumerate(PAYLOADS):
        rows.append({"title": f"{p} title {i}", "url": LINKS[i % len(LINKS)], "outlet": p, "author": p,
                     "tags": [p, "news"], "date": "2022-02-0" + str(1 + i % 9),
                     "text": f"Report {i}. Officials in Kyiv met on Monday. {p} The talks went on. {p}\n\nMore text {i}."})
        rows.append({"title": p, "url": LINKS[(i + 1) % len(LINKS)],
                     "text": f"Story {i}. \"We will not accept {p} at all,\" John Smith said on Tuesday. "
                             f"Maria Lopez told reporters that {p} was a threat. "
                             f"\"{p}\", she said in Berlin."})
    return rows


class PageCheck(HTMLParser):
    def __init__(self, own_url):
        super().__init__(convert_charrefs=True)
        self.own_url = own_url
        self.problems: list[str] = []
        self.scripts = 0

    svg_depth = 0

    def handle_starttag(self, tag, attrs):
        in_svg = self.svg_depth > 0 or tag == "svg"
        if tag == "svg":
            self.svg_depth += 1
        if tag not in (SVG_TAGS if in_svg else TAGS):
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            value = value or ""
            if in_svg and name not in ("style", "href", "src") and not name.startswith("on"):
                pass  # presentation attributes: x, y, fill, viewbox, ...
            elif not (name in ATTRS or name.startswith(("data-", "aria-"))):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "action" and not value.startswith("/"):
                self.problems.append(f"action={value!r}")
            if value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{name}={value!r}")
            if name in ("href", "src") and not value.startswith(("/", "#", "?")) and value != self.own_url:
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name in ("href", "src") and value.startswith("//"):
                self.problems.append(f"protocol-relative {name}={value!r}")
        if tag == "script":
            self.scripts += 1
            if dict(attrs).get("src") != "/static/app.js":
                self.problems.append(f"script {attrs}")
        if tag == "link" and dict(attrs).get("href") not in STYLESHEETS:
            self.problems.append(f"link {attrs}")

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1


def check_page(html: str, own_url=None) -> list[str]:
    checker = PageCheck(own_url)
    checker.feed(html)
    checker.close()
    if checker.scripts != 1 or html.lower().count("<script") != 1:
        checker.problems.append("script count")
    return checker.problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, nlp_extractor):
    from fastapi.testclient import TestClient

    from newsledger.ingest import ingest
    from newsledger.store.ledger import open_ledger
    from newsledger.web.app import create_app

    folder = tmp_path_factory.mktemp("webpages_hostile")
    src = folder / "hostile.jsonl"
    src.write_text("".join(json.dumps(row) + "\n" for row in hostile_rows()), "utf-8")
    db = folder / "hostile.duckdb"
    ingest([str(src)], str(db), extractor=nlp_extractor)
    with open_ledger(db, read_only=True) as led:
        articles = led.rows("SELECT id, url, length(text) AS n FROM articles ORDER BY id")
        n_hostile_quotes = led.execute("SELECT count(*) FROM quotes WHERE content_text LIKE '%<%'").fetchone()[0]
    return TestClient(create_app(db)), db, articles, n_hostile_quotes


def test_the_hostile_corpus_is_ingested_with_quotes_over_payloads(hostile):
    _, _, articles, n_hostile_quotes = hostile
    assert len(articles) == N_HOSTILE >= 50
    assert n_hostile_quotes >= 20


def test_every_hostile_article_page_is_inert(hostile):
    from newsledger.web.render import safe_url

    client, _, articles, _ = hostile
    for art in articles:
        for query in ("", "?span=0-40"):
            r = client.get(f"/article/{art['id']}{query}")
            assert r.status_code == 200, art
            problems = check_page(r.text, safe_url(art["url"]))
            assert not problems, (art, problems[:5])
            assert "evil.example/x.js\"" not in r.text


def test_overview_with_hostile_titles_is_inert(hostile):
    client = hostile[0]
    r = client.get("/")
    assert r.status_code == 200
    assert not check_page(r.text)


def test_explore_pages_with_hostile_data_are_inert(hostile):
    client = hostile[0]
    speakers = client.get("/api/speakers?limit=500").json()["items"]
    assert speakers
    urls = [f"/speaker/{s['id']}" for s in speakers[:20]]
    urls += ["/search?q=script", "/search?q=alert&scope=entities", "/search?q=img&scope=articles",
             "/events", "/events?include_hypothetical=true", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
             "/add"]
    for url in urls:
        r = client.get(url)
        assert r.status_code in (200, 403), url
        problems = check_page(r.text)
        assert not problems, (url, problems[:5])


def test_javascript_urls_are_text_and_http_urls_are_noopener_links(hostile):
    client, _, articles, _ = hostile
    for art in articles:
        html = client.get(f"/article/{art['id']}").text
        if art["url"] == "https://ok.example/a?b=1&c=2":
            assert '<a href="https://ok.example/a?b=1&amp;c=2" rel="noopener noreferrer"' in html
        elif art["url"].startswith("https://ok.example/a?b=<"):  # not a well-formed URL: text only
            assert 'href="https://ok.example/a?b=' not in html
        elif art["url"] == "javascript:alert(1)":
            assert '<span class="url-text">javascript:alert(1)</span>' in html


def write_big_article(db) -> str:
    """A BIG_BYTES hostile text, written with a cheap record (a quote, a place
    and an event span every ~100 kB) instead of NLP; returns its id."""
    from newsledger.article import Article
    from newsledger.events import fold
    from newsledger.records import Cue, Mention, Place, Quote, Record, Span, Speaker
    from newsledger.settings import Settings
    from newsledger.store import writer
    from newsledger.store.ledger import open_ledger

    chunk = "Paragraph <b>bold</b> & <script>alert(1)</script> \"quoted\" text. " * 8 + "\n\n"
    text = (chunk * (BIG_BYTES // len(chunk) + 1))[:BIG_BYTES]
    art = Article.from_text(text, title="<script>big</script>", url="https://ok.example/big")
    quotes, places = [], []
    for n, at in enumerate(range(0, len(text) - 200, 100_000)):
        quotes.append(Quote(kind="direct", content=Mention(at + 10, at + 60, text[at + 10:at + 60]),
                            segments=[Span(at + 10, at + 60)], cue=Cue(at + 61, at + 65, text[at + 61:at + 65], "say"),
                            speaker=Speaker(name=f'Speaker "{n}" <x>')))
        places.append(Place(at + 30, at + 80, text[at + 30:at + 80]))
    record = Record(id=art.id, language="en", quotes=quotes, places=places)
    with open_ledger(db) as led:
        writer.write_article(led, art, record, writer.start_run(led, Settings(), None, []))
        fold.fold(led)
    return art.id


@pytest.mark.slow
def test_a_5_mb_article_renders(hostile):
    """The page's cost is what is measured: the record is cheap (write_big_article)."""
    client, db, _, _ = hostile
    art_id = write_big_article(db)
    started = time.perf_counter()
    r = client.get(f"/article/{art_id}?span=4000000-4000100#q3")
    seconds = time.perf_counter() - started
    assert r.status_code == 200
    assert not check_page(r.text, "https://ok.example/big")
    assert 'id="q49"' in r.text and 'id="hl"' in r.text
    assert seconds < 30, seconds


def test_a_lone_surrogate_in_json_input_is_read(tmp_path, nlp_extractor):
    """A JSON \\ud800 escape no text can hold becomes U+FFFD; the row is kept."""
    from newsledger.ingest import ingest
    from newsledger.store.ledger import open_ledger

    src = tmp_path / "surrogate.jsonl"
    src.write_text('{"title": "x\\ud800y", "text": "Lone \\ud800 surrogate. \\"We go now,\\" Bob Smith said."}\n', "utf-8")
    ingest([str(src)], str(tmp_path / "s.duckdb"), extractor=nlp_extractor)
    with open_ledger(tmp_path / "s.duckdb", read_only=True) as led:
        (title, text), = led.execute("SELECT title, text FROM articles").fetchall()
    assert title == "x\ufffdy" and text.startswith("Lone \ufffd surrogate.")
