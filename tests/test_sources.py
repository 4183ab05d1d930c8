"""Source readers: every input type, every kind of bad input, and the good items around it."""

from __future__ import annotations

import gzip
import io
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from newsledger.errors import InputNotFound
from newsledger.settings import Settings
from newsledger.sources import RawDocument, Reject, expand_inputs, iter_documents

INGEST = Path(__file__).resolve().parent / "fixtures" / "ingest"
SETTINGS = Settings()


def items(path, settings: Settings = SETTINGS) -> list:
    return list(iter_documents(str(path), settings))


def docs(found: list) -> list[RawDocument]:
    return [i for i in found if isinstance(i, RawDocument)]


def rejects(found: list) -> list[Reject]:
    return [i for i in found if isinstance(i, Reject)]


def reasons(found: list) -> list[str]:
    return [r.reason for r in rejects(found)]


# ---- expand_inputs -------------------------------------------------------------


def test_expand_inputs_walks_directories_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["b/2.txt", "b/1.txt", "a.html", ".hidden.txt", ".git/config"]:
        (tmp_path / name).write_text("x")
    assert expand_inputs([str(tmp_path), "-"]) == [
        str(tmp_path / "a.html"),
        str(tmp_path / "b" / "1.txt"),
        str(tmp_path / "b" / "2.txt"),
        "-",
    ]


def test_walked_folder_skips_a_corpus_paperwork_but_explicit_paths_are_read(tmp_path):
    (tmp_path / "SOURCE.md").write_text("# Where these articles came from\n", encoding="utf-8")
    (tmp_path / "README").write_text("notes\n", encoding="utf-8")
    (tmp_path / "story.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    assert expand_inputs([str(tmp_path)]) == [str(tmp_path / "story.txt")]
    assert expand_inputs([str(tmp_path / "SOURCE.md")]) == [str(tmp_path / "SOURCE.md")]


def test_expand_inputs_keeps_explicit_files(tmp_path):
    target = tmp_path / "one.txt"
    target.write_text("x")
    assert expand_inputs([str(target)]) == [str(target)]


def test_expand_inputs_missing_path_raises(tmp_path):
    with pytest.raises(InputNotFound):
        expand_inputs([str(tmp_path / "nope.txt")])


# ---- one reader per input type -------------------------------------------------------


def test_plain_text_is_one_text_document():
    (doc,) = items(INGEST / "article.txt")
    assert doc.kind == "text" and isinstance(doc.data, str)
    assert doc.data.startswith("Harbour authority approves")


def test_html_page_is_one_html_document():
    (doc,) = items(INGEST / "page.html")
    assert doc.kind == "html" and isinstance(doc.data, bytes)


def test_gzipped_html_reads_like_the_plain_page(tmp_path):
    target = tmp_path / "page.html.gz"
    target.write_bytes(gzip.compress((INGEST / "page.html").read_bytes()))
    (doc,) = items(target)
    assert doc.kind == "html" and doc.data == (INGEST / "page.html").read_bytes()


def test_html_without_extension_is_sniffed(tmp_path):
    target = tmp_path / "download"
    shutil.copy(INGEST / "page.html", target)
    (doc,) = items(target)
    assert doc.kind == "html"


def test_csv_rows_with_a_bad_row_between_good_ones():
    found = items(INGEST / "articles.csv")
    assert [type(i).__name__ for i in found] == ["RawDocument", "Reject", "RawDocument"]
    first, bad, third = found
    assert first.kind == "fields" and first.title == "First story" and first.date == "2024-01-05"
    assert "second paragraph" in first.data
    assert bad.reason == "bad_row" and bad.item.endswith("articles.csv#row=2") and bad.stage == "source"
    assert third.date == "2024-01-07" and third.url == "https://news.example.org/three"


def test_csv_without_a_text_column_is_rejected(tmp_path):
    target = tmp_path / "list.csv"
    target.write_text("url,title\nhttps://x.example/1,Only a title\n")
    assert reasons(items(target)) == ["bad_row"]


def test_jsonl_broken_line_between_good_ones():
    found = items(INGEST / "articles.jsonl")
    assert [type(i).__name__ for i in found] == ["RawDocument", "Reject", "RawDocument"]
    assert found[0].tags == ["Budget", "Parliament"]
    assert found[1].reason == "bad_row" and found[1].item.endswith("#row=2")
    assert found[2].data.startswith("Story C")  # read from the "maintext" column


def test_rss_entries_become_fields():
    found = items(INGEST / "feed.rss")
    assert len(docs(found)) == 2 and not rejects(found)
    first, second = found
    assert first.title == "Flood barrier completed" and first.date == "2024-04-02"
    assert first.url == "https://wire.example.net/flood-barrier" and first.outlet == "Example Wire"
    assert first.tags == ["Floods"]
    assert "<p>" not in first.data and "\n\n" in first.data  # full content, paragraphs kept
    assert second.data.startswith("The city museum reopened")  # summary when no content


def test_atom_entries_become_fields():
    first, second = items(INGEST / "feed.atom")
    assert first.date == "2024-05-01" and first.author == "Lena Berg"
    assert first.data.startswith("The rail union called off")
    assert second.date == "2024-05-02" and second.title == "Bridge opens"


@pytest.mark.parametrize("content", [
    "<rss><channel><item><title>unclosed & broken",
    '<rss version="2.0"><channel><title>x</title></chan',
])
def test_broken_feed_is_rejected(tmp_path, content):
    target = tmp_path / "broken.rss"
    target.write_text(content)
    assert reasons(items(target)) == ["bad_feed"]


# ---- WARC ---------------------------------------------------------------------------


def write_warc(path: Path, gzipped: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (INGEST / "page.html").read_bytes()
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)

        def response(url: str, body: bytes, content_type: str):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)

        req_headers = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "herald.example.com")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://herald.example.com/a", "request",
                                                      payload=io.BytesIO(b""), http_headers=req_headers))
        writer.write_record(response("https://herald.example.com/a", page, "text/html; charset=utf-8"))
        writer.write_record(response("https://herald.example.com/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"))
        writer.write_record(response("https://herald.example.com/b", page, "text/html"))


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
def test_warc_yields_html_responses_only(tmp_path, gzipped):
    target = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(target, gzipped)
    found = items(target)
    assert not rejects(found)
    assert [d.url for d in found] == ["https://herald.example.com/a", "https://herald.example.com/b"]
    assert all(d.kind == "html" and b"tram network" in d.data for d in found)
    assert found[0].origin.endswith("crawl.warc.gz#record=2" if gzipped else "crawl.warc#record=2")


@pytest.mark.parametrize("gzipped,reason", [(True, "truncated_gzip"), (False, "bad_warc")], ids=["warc.gz", "warc"])
def test_truncated_warc_keeps_the_records_before_the_break(tmp_path, gzipped, reason):
    suffix = ".warc.gz" if gzipped else ".warc"
    whole = tmp_path / f"whole{suffix}"
    write_warc(whole, gzipped=gzipped)
    data = whole.read_bytes()
    target = tmp_path / f"cut{suffix}"
    target.write_bytes(data[: len(data) - 200])
    found = items(target)
    assert len(docs(found)) == 1 and docs(found)[0].url == "https://herald.example.com/a"
    assert reasons(found) == [reason]


def test_garbage_warc_is_rejected(tmp_path):
    target = tmp_path / "junk.warc"
    target.write_text("this is not a web archive\n" * 10)
    assert reasons(items(target)) == ["bad_warc"]


# ---- bad inputs -------------------------------------------------------------------------


def test_binary_junk_is_rejected(tmp_path):
    target = tmp_path / "junk.txt"
    target.write_bytes(bytes(range(256)) * 8)
    assert reasons(items(target)) == ["binary"]


def test_pdf_is_rejected_as_binary(tmp_path):
    target = tmp_path / "report"
    target.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert reasons(items(target)) == ["binary"]


def test_undecodable_bytes_are_rejected(tmp_path):
    target = tmp_path / "mangled.txt"
    target.write_bytes(bytes(range(0x80, 0x100)) * 8)
    assert reasons(items(target)) == ["undecodable"]


def test_latin1_text_is_decoded(tmp_path):
    target = tmp_path / "latin1.txt"
    target.write_bytes("Café reopens\n\nThe café on the square reopened, its owner said.".encode("latin-1"))
    (doc,) = items(target)
    assert "café on the square" in doc.data


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n"], ids=["empty", "whitespace"])
def test_empty_file_is_rejected(tmp_path, content):
    target = tmp_path / "empty.txt"
    target.write_bytes(content)
    assert reasons(items(target)) == ["empty"]


def test_truncated_gzip_is_rejected(tmp_path):
    data = gzip.compress((INGEST / "article.txt").read_bytes() * 20)
    target = tmp_path / "article.txt.gz"
    target.write_bytes(data[: len(data) // 2])
    assert reasons(items(target)) == ["truncated_gzip"]


def test_truncated_gzip_jsonl_keeps_the_rows_before_the_break(tmp_path):
    row = (INGEST / "articles.jsonl").read_text().splitlines()[0] + "\n"
    data = gzip.compress((row * 200).encode())
    target = tmp_path / "rows.jsonl.gz"
    target.write_bytes(data[: len(data) - 40])
    found = items(target)
    assert len(docs(found)) > 100
    assert reasons(found) == ["truncated_gzip"]


def test_too_large_file_is_rejected_before_reading():
    small = Settings(max_bytes=100)
    assert reasons(items(INGEST / "article.txt", small)) == ["too_large"]
    assert reasons(items(INGEST / "page.html", small)) == ["too_large"]


def test_too_large_csv_row_is_rejected_and_others_kept(tmp_path):
    target = tmp_path / "rows.csv"
    target.write_text('title,text\nShort,"A short text."\nLong,"' + "word " * 100 + '"\nAlso short,"Another."\n')
    found = items(target, Settings(max_bytes=100))
    assert [type(i).__name__ for i in found] == ["RawDocument", "Reject", "RawDocument"]
    assert found[1].reason == "too_large"


def test_unreadable_path_is_rejected_not_raised(tmp_path):
    assert reasons(items(tmp_path)) == ["unreadable"]  # a directory cannot be opened as a file


@pytest.mark.parametrize("suffix", [".txt", ".html", ".csv", ".jsonl", ".rss", ".warc", ".gz", ""])
@given(data=st.binary(max_size=300))
@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_never_raise(tmp_path, suffix, data):
    target = tmp_path / f"fuzz{suffix}"
    target.write_bytes(data)
    for item in iter_documents(str(target), SETTINGS):
        assert isinstance(item, (RawDocument, Reject))


# ---- stdin ---------------------------------------------------------------------------------


def fake_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text_is_one_article(monkeypatch):
    fake_stdin(monkeypatch, (INGEST / "article.txt").read_bytes())
    (doc,) = items("-")
    assert doc.kind == "text" and doc.origin == "<stdin>"


def test_stdin_jsonl_is_read_as_rows(monkeypatch):
    fake_stdin(monkeypatch, (INGEST / "articles.jsonl").read_bytes())
    found = items("-")
    assert len(docs(found)) == 2 and reasons(found) == ["bad_row"]
    assert found[0].origin == "<stdin>#row=1"


def test_stdin_empty_and_too_large(monkeypatch):
    fake_stdin(monkeypatch, b"")
    assert reasons(items("-")) == ["empty"]
    fake_stdin(monkeypatch, b"x" * 500)
    assert reasons(items("-", Settings(max_bytes=100))) == ["too_large"]


def test_json_array_file_is_read_as_rows(tmp_path):
    target = tmp_path / "rows.json"
    target.write_text('[{"title": "A", "text": "Body of A."}, 7, {"title": "C", "body": "Body of C."}]')
    found = items(target)
    assert [type(i).__name__ for i in found] == ["RawDocument", "Reject", "RawDocument"]
    assert found[1].reason == "bad_row" and found[2].data == "Body of C."


def test_tsv_rows(tmp_path):
    target = tmp_path / "rows.tsv"
    target.write_text("title\ttext\nA\tBody of A.\n")
    (doc,) = items(target)
    assert doc.title == "A" and doc.data == "Body of A."


def test_json_array_after_a_byte_order_mark_and_blank_lines(tmp_path):
    path = tmp_path / "dump.json"
    body = '\n\n[{"url": "https://example.org/a", "title": "A", "text": "Alpha said things."},\n {"url": "https://example.org/b", "title": "B", "text": "Beta said more."}]\n'
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    items = list(iter_documents(str(path), Settings()))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument"], items
