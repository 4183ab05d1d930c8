"""Bad input never crashes a run (issue 7, section 2): generated inputs at the reader level.

Every generated input goes through ``iter_documents`` and, for what it yields,
``to_article`` (trafilatura only in the HTML tests; no spaCy here). The checks:

- nothing raises, and every input yields at least one item;
- every Reject carries a stage, a short reason code and a one-line detail;
- the good rows or records written around a bad one are all read (for WARC,
  which cannot be resynchronised, every record before the break).

Examples per category (hypothesis, derandomize=True, so CI runs the same inputs):

    random bytes, 8 file kinds x 300 ......... 2,400
    wrong and mixed encodings ................ 1,500
    truncated gzip, 5 kinds x 400 ............ 2,000
    truncated and corrupted WARC ............. 1,500
    huge single lines, 5 kinds x 200 ......... 1,000
    deeply nested JSON / XML / HTML .......... 1,100 (200 of them HTML through trafilatura)
    zip-bomb-like gzip, 5 kinds .............. 120 (+ one 1 GiB bomb, asserted separately)
    CSV with broken quoting .................. 2,000
    total .................................... 11,620 (about 90 s on 2 busy cores)

``test_example_count`` checks the total once every category has run. The
end-to-end run over a folder mixing good and bad files is test_ingest_mixed_folder.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import re
import zlib
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from newsledger.article import Article
from newsledger.articles import to_article
from newsledger.ingest import ingest
from newsledger.settings import Settings
from newsledger.sources import RawDocument, Reject, iter_documents
from newsledger.sources.lines import BOMB_CHECK_BYTES, MAX_GZIP_RATIO

RUNS: Counter = Counter()  # examples run per category
CATEGORIES = ("bytes", "encodings", "gzip", "warc", "lines", "nesting", "bombs", "quoting")
SMALL = Settings(max_bytes=4000)  # small items so huge lines stay cheap to build
REASON = re.compile(r"^[a-z_]+$")
_names = itertools.count()


def fuzz(examples: int):
    return settings(
        max_examples=examples, derandomize=True, database=None, deadline=None, print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write(folder: Path, suffix: str, data: bytes) -> Path:
    path = folder / f"f{next(_names)}{suffix}"
    path.write_bytes(data)
    return path


def read(path: Path, config: Settings = SMALL, html: bool = False) -> list:
    """Items of one input as a run sees them: Articles/RawDocuments and checked Rejects."""
    found = []
    for item in iter_documents(str(path), config):
        if isinstance(item, RawDocument) and (item.kind != "html" or html):
            item = to_article(item, config)
        found.append(item)
    assert found, f"{path} yielded nothing"
    for item in found:
        assert isinstance(item, (Article, RawDocument, Reject)), type(item)
        if isinstance(item, Reject):
            assert item.stage in ("source", "article") and REASON.match(item.reason), item
            assert item.detail and "\n" not in item.detail, item
            assert item.item.startswith(str(path)), item
    return found


def rejects(found: list) -> list[Reject]:
    return [i for i in found if isinstance(i, Reject)]


def texts(found: list) -> str:
    """Everything read, as one string, to look good rows up by their marker."""
    out = []
    for item in found:
        if isinstance(item, Article):
            out.append(item.text)
        elif isinstance(item, RawDocument):
            out.append(item.data.decode("utf-8", "replace") if isinstance(item.data, bytes) else item.data)
    return "\n".join(out)


# ---- building blocks --------------------------------------------------------------------

WORDS = st.sampled_from("the council voted on a new tram line after months of debate in Minsk".split())


def good_text(n: int) -> str:
    return f"GOOD{n} story: the council voted on the tram line and the mayor spoke at length about it."


def jsonl_row(n: int) -> bytes:
    return json.dumps({"title": f"Title {n}", "text": good_text(n)}).encode() + b"\n"


def csv_row(n: int) -> bytes:
    return f'https://x.example/{n},Title {n},"{good_text(n)}"\n'.encode()


CSV_HEADER = b"url,title,text\n"


def warc_bytes(pages: int, gzipped: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for n in range(pages):
        body = f"<html><body><article><p>{good_text(n)}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://x.example/{n}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


def assert_all_good(found: list, good: list[int]) -> None:
    seen = texts(found)
    missing = [n for n in good if f"GOOD{n} story" not in seen]
    assert not missing, f"good rows lost: {missing}; rejects: {rejects(found)}"


# ---- 1. random bytes ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".html", ".csv", ".jsonl", ".rss", ".warc", ".gz", ""])
@fuzz(300)
@given(data=st.binary(min_size=1, max_size=2000))
def test_random_bytes(folder, suffix, data):
    RUNS["bytes"] += 1
    read(write(folder, suffix, data))


# ---- 2. wrong and mixed encodings ------------------------------------------------------------

ENCODINGS = st.sampled_from(["cp1252", "latin-1", "utf-16-le", "utf-16-be", "shift_jis", "koi8-r", "cp437"])
FOREIGN = st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0x4FF), min_size=1, max_size=40)


@fuzz(500)
@given(encoding=ENCODINGS, word=FOREIGN, where=st.integers(0, 5))
def test_mixed_encodings_in_jsonl_keep_the_good_rows(folder, encoding, word, where):
    RUNS["encodings"] += 1
    bad = f'{{"text": "Caf\u00e9 {word} story"}}'.encode(encoding, "replace")
    rows = [jsonl_row(n) for n in range(5)]
    rows.insert(where, bad + b"\n")
    found = read(write(folder, ".jsonl", b"".join(rows)))
    if b"\n" in bad:
        return  # the foreign bytes hold a line break, which splits the row in two
    assert_all_good(found, list(range(5)))


@fuzz(500)
@given(encoding=ENCODINGS, word=FOREIGN, where=st.integers(0, 5))
def test_mixed_encodings_in_csv_keep_the_good_rows(folder, encoding, word, where):
    RUNS["encodings"] += 1
    foreign = f"Caf\u00e9 {word}".encode(encoding, "replace")
    rows = [csv_row(n) for n in range(5)]
    rows.insert(where, b'https://x.example/bad,Title,"' + foreign + b' story"\n')
    found = read(write(folder, ".csv", CSV_HEADER + b"".join(rows)))
    if any(byte in foreign for byte in b'"\r\n'):
        return  # the foreign bytes hold a quote or line break: that is broken quoting (tested below)
    assert_all_good(found, list(range(5)))


@fuzz(500)
@given(encodings=st.lists(ENCODINGS, min_size=1, max_size=3), word=FOREIGN)
def test_wrong_encoding_text_file(folder, encodings, word):
    RUNS["encodings"] += 1
    data = b"".join(f"Headline {word}\nCaf\u00e9 society {word} and more text.\n".encode(e, "replace")
                    for e in encodings)
    read(write(folder, ".txt", data))


# ---- 3. truncated gzip ------------------------------------------------------------------------

GZ_SOURCES = {
    ".jsonl.gz": b"".join(jsonl_row(n) for n in range(40)),
    ".csv.gz": CSV_HEADER + b"".join(csv_row(n) for n in range(40)),
    ".txt.gz": ("Headline\n" + " ".join(good_text(n) for n in range(40))).encode(),
    ".html.gz": f"<html><body><p>{good_text(0)}</p></body></html>".encode(),
}


@pytest.mark.parametrize("suffix", sorted(GZ_SOURCES) + [".warc.gz"])
@fuzz(400)
@given(cut=st.floats(0.0, 0.999))
def test_truncated_gzip(folder, suffix, cut):
    RUNS["gzip"] += 1
    whole = warc_bytes(6, gzipped=True) if suffix == ".warc.gz" else gzip.compress(GZ_SOURCES[suffix])
    data = whole[: int(len(whole) * cut)]
    found = read(write(folder, suffix, data))
    if not _complete_gzip(data):  # a cut between two gzip members leaves a valid, shorter file
        assert rejects(found), "a truncated file must say so"
    seen = texts(found)
    numbers = sorted(int(n) for n in re.findall(r"GOOD(\d+) story", seen))
    assert numbers == sorted(set(numbers))  # nothing read twice, and
    if suffix in (".jsonl.gz", ".csv.gz"):
        assert numbers == list(range(len(numbers)))  # what was read is the rows before the cut


def _complete_gzip(data: bytes) -> bool:
    try:
        return bool(data) and gzip.decompress(data) is not None
    except (EOFError, OSError, zlib.error):
        return False


# ---- 4. truncated and corrupted WARC ----------------------------------------------------------

WARC = warc_bytes(6, gzipped=False)


@fuzz(500)
@given(cut=st.integers(1, len(WARC) - 1))
def test_truncated_warc_keeps_the_records_before(folder, cut):
    RUNS["warc"] += 1
    found = read(write(folder, ".warc", WARC[:cut]))
    seen = texts(found)
    numbers = [int(n) for n in re.findall(r"GOOD(\d+) story", seen)]
    assert numbers == list(range(len(numbers)))
    complete = WARC[:cut].count(b"</html>")  # records whose body is fully there
    assert len(numbers) >= complete - 1


WARC_GZ = warc_bytes(6, gzipped=True)


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
@fuzz(500)
@given(where=st.floats(0.0, 0.999), junk=st.binary(min_size=1, max_size=64))
def test_corrupted_warc_keeps_every_untouched_record(folder, gzipped, where, junk):
    """Junk over part of one or two records: every other record is still read
    (reading starts again at the next record after a broken one)."""
    RUNS["warc"] += 1
    whole = WARC_GZ if gzipped else WARC
    at = int(len(whole) * where)
    data = whole[:at] + junk + whole[at + len(junk):]
    found = read(write(folder, ".warc.gz" if gzipped else ".warc", data))
    starts = [m.start() for m in re.finditer(rb"\x1f\x8b\x08" if gzipped else rb"WARC/1\.", whole)] + [len(whole)]
    untouched = [n for n in range(6) if starts[n + 1] <= at or starts[n] >= at + len(junk)]
    assert_all_good(found, untouched)


# ---- 5. huge single lines ------------------------------------------------------------------------

LINE_LIMIT = SMALL.max_bytes + 64 * 1024


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt", ".jsonl.gz", ".csv.gz"])
@fuzz(200)
@given(piece=st.text(min_size=1, max_size=20), times=st.integers(1, 3), where=st.integers(0, 4), newline=st.booleans())
def test_huge_single_line(folder, suffix, piece, times, where, newline):
    RUNS["lines"] += 1
    huge = (piece.encode("utf-8") * (LINE_LIMIT * times // len(piece.encode()) + 1)).replace(b"\n", b" ")
    kind = suffix.split(".")[1]
    if kind == "txt":
        data = b"Headline\n" + huge + (b"\n" if newline else b"")
        found = read(write(folder, suffix, data))
        assert [r.reason for r in rejects(found)] == ["too_large"]
        return
    rows = [jsonl_row(n) if kind == "jsonl" else csv_row(n) for n in range(4)]
    rows.insert(where, huge + b"\n")
    data = (b"" if kind == "jsonl" else CSV_HEADER) + b"".join(rows)
    found = read(write(folder, suffix, gzip.compress(data, 1) if suffix.endswith(".gz") else data))
    assert_all_good(found, list(range(4)))
    assert any(r.reason in ("too_large", "bad_quoting") for r in rejects(found))


# ---- 6. deeply nested input ----------------------------------------------------------------------


@fuzz(600)
@given(depth=st.integers(1, 100_000), opener=st.sampled_from(['{"a":', "[", '{"text":[']), where=st.integers(0, 3))
def test_deeply_nested_json_rows(folder, depth, opener, where):
    RUNS["nesting"] += 1
    closer = {'{"a":': "}", "[": "]", '{"text":[': "]}"}[opener]
    nested = (opener * depth + "1" + closer * depth).encode() + b"\n"
    rows = [jsonl_row(n) for n in range(3)]
    rows.insert(where, nested)
    found = read(write(folder, ".jsonl", b"".join(rows)))
    assert_all_good(found, list(range(3)))
    read(write(folder, ".json", nested))  # a lone array/object file


@fuzz(300)
@given(depth=st.integers(1, 50_000), tag=st.sampled_from(["item", "x", "content"]))
def test_deeply_nested_feed(folder, depth, tag):
    RUNS["nesting"] += 1
    inner = f"<{tag}>" * depth + good_text(0) + f"</{tag}>" * depth
    feed = f"<rss><channel><item><description>{inner}</description></item></channel></rss>"
    read(write(folder, ".rss", feed.encode()))


@fuzz(200)
@given(depth=st.integers(1, 30_000), tag=st.sampled_from(["div", "b", "table", "p", "span"]), closed=st.booleans())
def test_deeply_nested_html(folder, depth, tag, closed):
    RUNS["nesting"] += 1
    page = "<html><body>" + f"<{tag}>" * depth + good_text(0) * 3
    page += (f"</{tag}>" * depth if closed else "") + "</body></html>"
    read(write(folder, ".html", page.encode()), html=True)


# ---- 7. zip-bomb-like gzip ------------------------------------------------------------------------


def bomb(unit: bytes, size: int) -> bytes:
    """gzip of ``unit`` repeated to ``size`` bytes, built in well under a second.

    One 1 MiB chunk is deflated once and ended with a full flush, which makes
    its compressed bytes independent of what came before, so repeating them
    is a valid deflate stream of the repeated chunk."""
    chunk = unit * (1024 * 1024 // len(unit))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // len(chunk)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # a final, empty block
    trailer = crc.to_bytes(4, "little") + (count * len(chunk) % 2**32).to_bytes(4, "little")
    return header + piece * count + end + trailer


BOMB_UNITS = {  # bombs of valid rows work too, but cost a row's parsing each
    ".jsonl.gz": b" ",
    ".csv.gz": b"\0",
    ".txt.gz": b"\0",
    ".html.gz": b"<p>spam</p>",
    ".warc.gz": b"a",
}


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    # 24 MiB inflated: past BOMB_CHECK_BYTES (16 MiB) with a ratio far over MAX_GZIP_RATIO
    return {suffix: bomb(unit, 24 * 1024 * 1024) for suffix, unit in BOMB_UNITS.items()}


@pytest.mark.parametrize("suffix", sorted(BOMB_UNITS))
@fuzz(24)
@given(good=st.integers(0, 3), noise=st.binary(max_size=40))
def test_gzip_bomb_is_rejected_and_good_rows_before_it_kept(folder, bombs, suffix, good, noise):
    RUNS["bombs"] += 1
    config = Settings(max_bytes=60 * 1024 * 1024)  # the item limit alone would not stop it
    if suffix == ".warc.gz":
        head = warc_bytes(good, gzipped=True)
        header = b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 99999999999\r\n\r\n"
        data = head + gzip.compress(header) + bombs[suffix]
    elif suffix in (".jsonl.gz", ".csv.gz"):
        rows = (CSV_HEADER if suffix == ".csv.gz" else b"") + b"".join(
            (csv_row if suffix == ".csv.gz" else jsonl_row)(n + 1) for n in range(good))
        noise = noise.replace(b"\n", b" ").replace(b'"', b" ")  # one bad row, quoting kept
        data = gzip.compress(rows + noise + b"\n") + bombs[suffix]  # a second gzip member: the bomb
    else:
        data = gzip.compress(noise) + bombs[suffix]
    found = read(write(folder, suffix, data), config)
    assert "gzip_bomb" in [r.reason for r in rejects(found)], rejects(found)
    if suffix != ".txt.gz" and suffix != ".html.gz":
        assert_all_good(found, list(range(1, good + 1)) if suffix != ".warc.gz" else list(range(good)))


def test_one_gib_bomb_is_stopped_early_in_bounded_memory(folder):
    """A ~1 MiB gzip that inflates to 1 GiB (DEFLATE tops out near 1032:1, so a
    1 KiB file cannot reach 1 GiB in one gzip layer) is stopped near
    BOMB_CHECK_BYTES, without holding the inflated bytes."""
    import tracemalloc

    data = bomb(b"\0", 1024 ** 3)
    assert len(data) < 2 * 1024 * 1024 and 1024 ** 3 / len(data) > MAX_GZIP_RATIO
    path = write(folder, ".jsonl.gz", data)
    tracemalloc.start()
    try:
        found = read(path, Settings())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [r.reason for r in rejects(found)] == ["gzip_bomb"]
    assert peak < 2 * BOMB_CHECK_BYTES


# ---- 8. CSV with broken quoting ------------------------------------------------------------------

BREAKS = st.sampled_from([
    'BAD,"unterminated {w}',           # a quote that never closes
    'BAD,"{w}" trailing,"x"',          # text after a closing quote
    'BAD,"{w}""',                      # an escaped quote where the closing one should be
    '"BAD,{w}',                        # a quote opening the first field
    'BAD,{w} "quoted" {w}',            # quotes inside an unquoted field (fine in CSV)
    'BAD,"{w}","{w}","{w}"',           # more cells than the header
    'BAD,"a\n{w}',                     # an unterminated quote with a line break
    '"',                               # a lone quote
    'BAD,"{w}"x"{w}',                  # a stray quote in the middle of a quoted field
])


@fuzz(2000)
@given(template=BREAKS, word=st.text(alphabet=st.characters(blacklist_characters='\r\n\x00',
                                                              blacklist_categories=("Cs",)), max_size=30),
       where=st.integers(0, 6), multiline=st.booleans())
def test_broken_quoting_keeps_the_good_rows(folder, template, word, where, multiline):
    RUNS["quoting"] += 1
    rows = [csv_row(n) for n in range(6)]
    if multiline:  # good rows with a line break inside their quoted text
        rows = [r.replace(b" story:", b" story:\n\nSecond paragraph.") for r in rows]
    rows.insert(where, template.format(w=word).encode("utf-8") + b"\n")
    found = read(write(folder, ".csv", CSV_HEADER + b"".join(rows)))
    assert_all_good(found, list(range(6)))


# ---- end to end -------------------------------------------------------------------------------------


def test_ingest_mixed_folder(tmp_path):
    """One ingest run over good and bad files: every good article is stored and
    every bad input has a reject row with a reason (model faked, readers real)."""
    from tests.test_ingest import FakeExtractor

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good1.txt").write_text("Headline one\n\n" + good_text(0) + "\n")
    (corpus / "good2.jsonl").write_bytes(jsonl_row(1) + b'{"text": [[[[\n' + jsonl_row(2))
    (corpus / "good3.csv").write_bytes(CSV_HEADER + csv_row(3) + b'BAD,"unterminated\n' + csv_row(4))
    (corpus / "good4.csv").write_bytes(CSV_HEADER + csv_row(5) + b'x,y,"caf\xe9 latin-1"\n' + csv_row(6))
    (corpus / "good5.warc").write_bytes(warc_bytes(1, gzipped=False))
    (corpus / "random.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "cut.jsonl.gz").write_bytes(gzip.compress(jsonl_row(99) * 50)[:40])
    (corpus / "bomb.jsonl.gz").write_bytes(bomb(b"\0", 64 * 1024 * 1024))
    (corpus / "deep.json").write_bytes(b"[" * 50_000 + b"]" * 50_000)
    (corpus / "huge.jsonl").write_bytes(b'{"text": "' + b"x" * 200_000 + b'"}\n')
    (corpus / "cut.warc").write_bytes(warc_bytes(1, gzipped=False)[:150])
    db = tmp_path / "l.duckdb"
    summary = ingest([str(corpus)], str(db), Settings(max_bytes=100_000), extractor=FakeExtractor())

    con = duckdb.connect(str(db), read_only=True)
    stored = "\n".join(t for (t,) in con.execute("SELECT text FROM articles").fetchall())
    rejected = con.execute("SELECT item, stage, reason, detail FROM rejects").fetchall()
    con.close()
    assert summary.status == "ok"
    assert [n for n in range(7) if f"GOOD{n} story" not in stored] == []
    assert summary.ingested == 7
    for bad in ("random.txt", "cut.jsonl.gz", "bomb.jsonl.gz", "deep.json", "huge.jsonl", "cut.warc",
                "good2.jsonl#row=2", "good3.csv#row=2", "good4.csv#row=2"):
        rows = [r for r in rejected if r[0].endswith(bad) or f"/{bad}" in r[0]]
        assert rows and all(r[2] and r[3] for r in rows), (bad, rejected)


def test_example_count():
    """At least 10,000 generated bad inputs ran (only when the whole module ran)."""
    if set(RUNS) != set(CATEGORIES):
        pytest.skip(f"only {sorted(RUNS)} ran")
    assert sum(RUNS.values()) >= 10_000, dict(RUNS)
