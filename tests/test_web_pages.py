"""The HTML pages on the seed article, and the span marker (newsledger/web/render.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newsledger.web.render import Mark, parse_span, render_marked, safe_url

SEED = "examples/seed_article.txt"
VOID = {"meta", "link", "input", "br", "img", "hr"}


class Tree(HTMLParser):
    """Checks the tag stack balances; collects the text inside each data-mark key."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.marked: dict[str, str] = {}
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unbalanced </{tag}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        for key in {a.get("data-mark") for _, a in self.stack if a.get("data-mark")}:
            self.marked[key] = self.marked.get(key, "") + data


def parse(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    assert not tree.errors and not tree.stack, (tree.errors, tree.stack)
    return tree


@pytest.fixture(scope="module")
def client(tmp_path_factory, nlp_extractor):
    from fastapi.testclient import TestClient

    from newsledger.ingest import ingest
    from newsledger.web.app import create_app

    db = tmp_path_factory.mktemp("webpages") / "seed.duckdb"
    ingest([SEED], str(db), extractor=nlp_extractor)
    return TestClient(create_app(db))


@pytest.fixture(scope="module")
def seed(client):
    from newsledger.store.ledger import open_ledger

    with open_ledger(client.app.state.db_path, read_only=True) as led:
        art = led.rows("SELECT id, text FROM articles")[0]
        art["quotes"] = led.rows("SELECT idx, content_start, content_end FROM quotes WHERE article_id = ? ORDER BY idx",
                                 [art["id"]])
        art["n_events"] = led.execute("SELECT count(*) FROM events").fetchone()[0]
    return art


# -- pages ------------------------------------------------------------------------


def test_overview_renders_counts_latest_and_speakers(client, seed):
    r = client.get("/")
    assert r.status_code == 200
    assert f'href="/article/{seed["id"]}"' in r.text
    assert "Alexander Lukashenko" in r.text and "Top speakers" in r.text
    parse(r.text)


def test_reader_marks_every_quote_with_its_id(client, seed):
    r = client.get(f"/article/{seed['id']}")
    assert r.status_code == 200
    tree = parse(r.text)
    assert seed["quotes"], "the seed has quotes"
    for q in seed["quotes"]:
        key = f"q{q['idx']}"
        assert f'id="{key}"' in r.text
        assert tree.marked[key] == seed["text"][q["content_start"]:q["content_end"]]
    for i in range(seed["n_events"]):
        assert f'id="e{i}"' in r.text and f"#e{i}" in r.text
    assert re.search(r'class="mk mk-quote spk-0"', r.text)
    assert "Removed as site furniture" in r.text


def test_span_parameter_marks_exactly_that_text(client, seed):
    r = client.get(f"/article/{seed['id']}?span=100-188")
    assert r.status_code == 200
    assert parse(r.text).marked["hl"] == seed["text"][100:188]
    assert r.text.count('id="hl"') == 1


@pytest.mark.parametrize("span", ["188-100", "0-999999", "x", "5-5", "-1-3"])
def test_bad_span_renders_unmarked_with_a_note(client, seed, span):
    r = client.get(f"/article/{seed['id']}", params={"span": span})
    assert r.status_code == 200
    assert 'data-mark="hl"' not in r.text and "not inside this article" in r.text


def test_article_by_prefix_and_unknown_article_is_a_404_page(client, seed):
    assert client.get(f"/article/{seed['id'][:8]}").status_code == 200
    r = client.get("/article/ffffnothere")
    assert r.status_code == 404 and "Not found" in r.text and "<html" in r.text


def test_security_headers_on_pages_and_static(client, seed):
    for path in ("/", f"/article/{seed['id']}", "/article/nothere", "/static/app.js", "/static/style.css"):
        r = client.get(path)
        assert "script-src 'self'" in r.headers["content-security-policy"], path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_static_assets_have_no_inline_code_or_external_origins():
    from pathlib import Path

    import newsledger.web as web

    root = Path(web.__file__).parent
    for tpl in (root / "templates").glob("*.html"):
        html = tpl.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", html), tpl
        assert not re.search(r"\son\w+=|\sstyle=", html), tpl
        assert "http://" not in html and "https://" not in html, tpl
    assert "innerHTML" not in (root / "static" / "app.js").read_text("utf-8")


# -- render.py --------------------------------------------------------------------


def test_text_is_escaped():
    out = render_marked("a <script>alert(1)</script> & b", [Mark(2, 10, "quote", "q0")])
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp; b" in out
    assert parse(str(out)).marked["q0"] == "<script>"


def test_overlapping_and_nested_marks_are_well_formed():
    text = "abcdefghijklmnopqrstuvwxyz"
    marks = [Mark(0, 10, "quote", "q0"), Mark(5, 15, "quote", "q1"), Mark(7, 9, "place", "p0"),
             Mark(12, 20, "time", "d0"), Mark(12, 20, "highlight", "hl"), Mark(3, 3, "cue"), Mark(24, 40, "actor", "a0-0")]
    tree = parse(str(render_marked(text, marks)))
    assert tree.marked == {"q0": text[0:10], "q1": text[5:15], "p0": text[7:9], "d0": text[12:20],
                           "hl": text[12:20], "a0-0": text[24:26]}
    assert str(render_marked(text, marks)).count('id="q1"') == 1


def test_attribute_values_stay_inside_their_attribute():
    name = '" onmouseover="alert(1)" x="'
    out = str(render_marked("Hello there", [Mark(0, 5, "quote", "q0", {"speaker": name})]))
    tree = parse(out)
    tag, attrs = tree.tags[0]
    assert dict(attrs)["data-speaker"] == name
    assert [a for a, _ in attrs] == ["class", "id", "data-mark", "data-speaker"]


def test_bad_names_and_kinds_are_refused():
    with pytest.raises(ValueError):
        render_marked("x", [Mark(0, 1, "script")])
    with pytest.raises(ValueError):
        render_marked("x", [Mark(0, 1, "quote", 'q" onclick="')])
    with pytest.raises(ValueError):
        render_marked("x", [Mark(0, 1, "quote", "q0", {"on click": "x"})])


def test_broken_unicode_keeps_offsets_and_encodes():
    text = "a\ud800b\x00c\u202ed"
    out = str(render_marked(text, [Mark(2, 5, "quote", "q0")]))
    out.encode("utf-8")
    assert parse(out).marked["q0"] == "b\ufffdc"


def test_parse_span_and_safe_url():
    assert parse_span("120-188", 200) == (120, 188)
    assert parse_span("120-188", 150) is None and parse_span("", 10) is None
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:x", "data:text/html,x", "//evil.example", "http://x\" onclick=\"y"):
        assert safe_url(bad) is None, bad
