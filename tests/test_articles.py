"""RawDocument -> Article: title/body split, furniture, metadata, language, ids, rejects."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from newsledger.article import Article
from newsledger.articles import split_furniture, tag_line, to_article
from newsledger.settings import Settings
from newsledger.sources import RawDocument, Reject, iter_documents

REPO = Path(__file__).resolve().parent.parent
INGEST = Path(__file__).resolve().parent / "fixtures" / "ingest"
SETTINGS = Settings()


def article_from(path: Path) -> Article:
    (raw,) = list(iter_documents(str(path), SETTINGS))
    result = to_article(raw, SETTINGS)
    assert isinstance(result, Article), result
    return result


def text_doc(data, **kw) -> RawDocument:
    return RawDocument(origin="test", kind="text", data=data, **kw)


# ---- plain text ------------------------------------------------------------------------


def test_seed_article():
    article = article_from(REPO / "examples" / "seed_article.txt")
    assert article.title == "Lukashenko ready to allow Russian troops into Belarus if necessary"
    assert article.tags == ["Lukashenko", "Belarus", "Russia", "Ukraine"]
    assert "Comments" not in article.text
    assert "Lukashenko, Belarus, Russia, Ukraine" not in article.text
    assert article.date is None
    assert article.text.startswith("Self-proclaimed president")
    assert article.text.endswith("Frankfurter Allgemeine Zeitung.")
    assert article.furniture == ["Lukashenko, Belarus, Russia, Ukraine", "Comments"]
    assert article.language == "en" and article.language_reason.startswith("py3langid: en")
    assert article.origin.endswith("seed_article.txt")


def test_text_furniture_anywhere_and_at_the_end():
    article = article_from(INGEST / "article.txt")
    assert article.title == "Harbour authority approves new ferry terminal"
    assert article.tags == ["Harbour", "Ferries", "Transport"]
    assert article.furniture == [
        "Advertisement", "Share this article", "Follow us on Twitter", "Harbour, Ferries, Transport", "Comments",
    ]
    assert "Advertisement" not in article.text and "Share" not in article.text
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[-1].startswith("Opponents had argued")


@pytest.mark.parametrize("last", [
    "He said the talks, which began in May, would continue.",
    "Reporting by John Smith, Editing by Jane Doe",
    "Share prices fell 3% in London, Paris and Frankfurt on the news.",
    "Comments from the minister were not immediately available, officials said.",
])
def test_a_real_last_paragraph_is_kept(last):
    article = to_article(text_doc(f"Title\n\nFirst paragraph of the story.\n\n{last}\n"), SETTINGS)
    assert article.text.endswith(last)
    assert article.tags == [] and article.furniture == []


@pytest.mark.parametrize("line,tags", [
    ("  Lukashenko, Belarus, Russia, Ukraine", ["Lukashenko", "Belarus", "Russia", "Ukraine"]),
    ("Tags: Bank of England, Interest Rates", ["Bank of England", "Interest Rates"]),
    ("Belarus", None),  # one word is not a tag line
    ("Monday, March 15, 2021", None),  # a dateline
    ("Friday, 4 January, 2019", None),
    ("Paris, London and Berlin all said no.", None),
    ("Reporting by John Smith, Editing by Jane Doe", None),
])
def test_tag_line(line, tags):
    assert tag_line(line) == tags


def test_crlf_and_trailing_whitespace_are_normalised():
    article = to_article(text_doc("Title\r\n\r\nFirst line.   \r\nSecond line.\t\r\n"), SETTINGS)
    assert article.text == "First line.\nSecond line."


def test_single_line_is_a_body_without_title():
    article = to_article(text_doc("Just one line of text that says something."), SETTINGS)
    assert article.title is None and article.text == "Just one line of text that says something."


def test_nothing_left_after_furniture_is_empty():
    result = to_article(text_doc("A headline\n\nShare\nComments\nAdvertisement\n"), SETTINGS)
    assert isinstance(result, Reject) and result.reason == "empty" and result.stage == "article"


def test_syndicated_copy_with_other_whitespace_has_the_same_id():
    one = to_article(text_doc("Wire story\n\nThe minister said on Monday that talks would resume.\n\nMore text."),
                     SETTINGS)
    two = to_article(text_doc("Wire story\r\n\r\n\r\nThe  minister said on Monday\nthat talks would resume.\r\n"
                              "\r\nMore   text.   \r\n"), SETTINGS)
    assert one.id == two.id and one.text != two.text


def test_bytes_are_decoded_and_junk_rejected():
    latin = to_article(text_doc("Café\n\nLe café du coin a rouvert ses portes lundi matin.".encode("latin-1")),
                       SETTINGS)
    assert "café du coin" in latin.text
    bom = to_article(text_doc(b"\xef\xbb\xbfTitle\n\nBody text here."), SETTINGS)
    assert bom.title == "Title"
    binary = to_article(text_doc(bytes(range(256)) * 4), SETTINGS)
    assert isinstance(binary, Reject) and binary.reason == "binary"
    mangled = to_article(text_doc(bytes(range(0x80, 0x100)) * 4), SETTINGS)
    assert isinstance(mangled, Reject) and mangled.reason == "undecodable"


# ---- language ---------------------------------------------------------------------------


def test_non_english_is_kept_with_its_language():
    body = ("Die Bundesregierung hat am Montag ein neues Klimaschutzgesetz beschlossen. "
            "Der Bundestag soll im Herbst darüber abstimmen, sagte ein Sprecher in Berlin.")
    article = to_article(text_doc(f"Klimaschutz\n\n{body}"), SETTINGS)
    assert article.language == "de" and article.language_reason.startswith("py3langid: de")


def test_short_text_defaults_to_english():
    article = to_article(text_doc("Kurz\n\nJa, sagte er."), SETTINGS)
    assert article.language == "en" and article.language_reason == "too short to identify"


# ---- fields (CSV / JSONL / feeds) ---------------------------------------------------------


def test_fields_keep_row_metadata_and_outlet_from_host():
    raw = RawDocument(origin="rows.csv#row=1", kind="fields", url="https://www.example.org/a/b",
                      title="Row title", date="2024-01-05",
                      data="A row body that is long enough to be identified as English text.\n\nShare\n")
    article = to_article(raw, SETTINGS)
    assert (article.title, article.date, article.url) == ("Row title", "2024-01-05", "https://www.example.org/a/b")
    assert article.outlet == "example.org" and article.furniture == ["Share"]
    assert article.text == "A row body that is long enough to be identified as English text."


def test_every_fixture_item_becomes_an_article_or_a_reject():
    for path in sorted(INGEST.iterdir()):
        for raw in iter_documents(str(path), SETTINGS):
            if isinstance(raw, RawDocument):
                assert isinstance(to_article(raw, SETTINGS), (Article, Reject))


# ---- HTML -------------------------------------------------------------------------------------


def test_html_page_metadata_and_body():
    article = article_from(INGEST / "page.html")
    assert article.title == "City council votes to expand tram network"
    assert article.date == "2024-03-14"
    assert article.author == "Anna Okafor"
    assert article.outlet == "The Riverside Herald"
    assert article.tags == ["Trams", "Transport", "City Council"]
    assert article.url == "https://herald.example.com/news/2024/03/14/trams"
    assert article.text.startswith("The city council voted on Wednesday")
    assert "Privacy" not in article.text and "About us" not in article.text
    assert article.text.rstrip().endswith("along the route are complete.")


def test_html_without_an_article_is_rejected():
    (raw,) = list(iter_documents(str(INGEST / "noarticle.html"), SETTINGS))
    result = to_article(raw, SETTINGS)
    assert isinstance(result, Reject) and result.reason == "no_article"


def test_unknown_kind_is_rejected():
    result = to_article(RawDocument(origin="x", kind="pdf", data=b"%PDF"), SETTINGS)
    assert isinstance(result, Reject) and result.reason == "unknown_kind"


# ---- real text from ../shared -----------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.parametrize("year", [2019, 2020])
def test_wikinews_last_paragraphs_survive_furniture_stripping(shared, year):
    csv.field_size_limit(10_000_000)
    with open(shared / "corpora" / "wikinews" / f"wikinews_{year}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for number, row in enumerate(rows, start=1):
        raw = RawDocument(origin=f"wikinews_{year}.csv#row={number}", kind="fields", data=row["text"],
                          url=row["url"], title=row["title"], date=row["date"])
        article = to_article(raw, SETTINGS)
        assert isinstance(article, Article), article
        last = [line.strip() for line in row["text"].splitlines() if line.strip()][-1]
        assert article.text.rstrip().endswith(last), (number, last, article.furniture)
        assert article.tags == [], (number, article.tags)


def test_split_furniture_keeps_paragraph_breaks():
    body, tags, furniture = split_furniture("One.\n\n\nTwo.\n\nAdvertisement\n\nThree.\n")
    assert body == "One.\n\n\nTwo.\n\nThree." and tags == [] and furniture == ["Advertisement"]
