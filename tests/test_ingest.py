"""The ingest orchestrator, with fake readers and a fake Extractor (no spaCy).

The fakes live here and are reused by test_store.py and test_cli.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from newsledger import ingest as ingest_mod
from newsledger.article import Article
from newsledger.errors import InputNotFound
from newsledger.ingest import ingest
from newsledger.records import Cue, Entity, Mention, Quote, Record, Span, Speaker
from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.store import writer

NAMES = ("Lukashenko", "Zelensky", "Belarus")
QUOTE = re.compile(r'"([^"]+)," (\w+) (said)')


def fake_record(article: Article) -> Record:
    """Entities for each known name; a quote per `"...," Name said`."""
    text = article.text
    if article.language not in (None, "en"):
        return Record(id=article.id, language=article.language, skipped="non_english")
    entities = []
    for name in NAMES:
        spans = [Span(m.start(), m.end()) for m in re.finditer(name, text)]
        if spans:
            entities.append(Entity(name=name, type="GPE" if name == "Belarus" else "PERSON", mentions=spans))
    index = {e.name: i for i, e in enumerate(entities)}
    quotes = []
    for m in QUOTE.finditer(text):
        quotes.append(Quote(
            kind="direct",
            content=Mention(m.start(1), m.end(1), m.group(1)),
            segments=[Span(m.start(1), m.end(1))],
            cue=Cue(m.start(3), m.end(3), "said", "say"),
            speaker=Speaker(name=m.group(2), entity=index.get(m.group(2)),
                            mention=Mention(m.start(2), m.end(2), m.group(2))),
        ))
    return Record(id=article.id, language="en", quotes=quotes, entities=entities)


class FakeExtractor:
    """Stands in for nlp.pipeline.Extractor. ``fail_on`` makes extract raise
    when it reaches an article whose text contains that string."""

    model_info = {"name": "fake_model", "version": "0.0"}

    def __init__(self, fail_on: str | None = None):
        self.fail_on = fail_on
        self.batches: list[int] = []

    def extract(self, articles):
        articles = list(articles)
        self.batches.append(len(articles))
        for article in articles:
            if self.fail_on and self.fail_on in article.text:
                raise RuntimeError("simulated crash")
            yield article, fake_record(article)


# -- fake readers: a .txt file is "title\nbody"; REJECT in it makes a Reject ---


def fake_expand(paths):
    files = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise InputNotFound(f"{p} does not exist")
        files += sorted(str(f) for f in path.glob("*.txt")) if path.is_dir() else [str(path)]
    return files


def fake_read(path, settings):
    data = Path(path).read_text()
    if "REJECT" in data:
        yield Reject(item=path, stage="source", reason="binary", detail="looks binary")
        return
    url = None
    if data.startswith("URL "):
        url, data = data.split("\n", 1)
        url = url[4:]
    yield RawDocument(origin=path, kind="text", data=data, url=url)


def fake_to_article(raw, settings):
    title, _, body = raw.data.partition("\n")
    if not body.strip():
        return Reject(item=raw.origin, stage="article", reason="empty", detail="no body")
    lang = "de" if " und " in body else "en"
    return Article.from_text(body, title=title, url=raw.url, origin=raw.origin, language=lang)


@pytest.fixture
def fake_stages(monkeypatch):
    monkeypatch.setattr(ingest_mod, "_expand_inputs", fake_expand)
    monkeypatch.setattr(ingest_mod, "_read_file", fake_read)
    monkeypatch.setattr(ingest_mod, "_to_article", fake_to_article)


STORY = 'Lukashenko spoke in Minsk.\n"We are ready," Lukashenko said. Belarus agrees.\n'
OTHER = 'Kyiv responded.\n"It is dangerous," Zelensky said.\n'


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("Story A\n" + STORY)
    (folder / "b.txt").write_text("Story B\n" + OTHER)
    (folder / "c.txt").write_text("Nachricht\nDer Text ist hier und dort.\n")
    (folder / "d.txt").write_text("REJECT me")
    (folder / "e.txt").write_text("Only a title\n")
    return folder


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "sources", "entities", "mentions", "quotes", "rejects", "runs")}
    finally:
        con.close()


def test_ingest_counts_everything(tmp_path, fake_stages):
    corpus = write_corpus(tmp_path / "in")
    events = []
    summary = ingest([str(corpus)], str(tmp_path / "l.duckdb"), Settings(batch_size=2),
                     extractor=FakeExtractor(), progress=lambda k, v: events.append(k))
    assert summary.status == "ok"
    assert (summary.ingested, summary.duplicates, summary.skipped_non_english) == (3, 0, 1)
    assert summary.rejected == {"binary": 1, "empty": 1}
    assert events.count("reject") == 2 and events.count("file") == 5 and events[0] == "start"
    c = counts(tmp_path / "l.duckdb")
    assert (c["articles"], c["sources"], c["quotes"], c["rejects"], c["runs"]) == (3, 3, 2, 2, 1)


def test_run_records_versions_settings_and_counts(tmp_path, fake_stages):
    corpus = write_corpus(tmp_path / "in")
    db = tmp_path / "l.duckdb"
    ingest([str(corpus)], str(db), Settings(batch_size=7), extractor=FakeExtractor())
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("SELECT status, code_version, model_name, model_version, settings->>'batch_size',"
                      " counts->>'ingested', finished_at IS NOT NULL FROM runs").fetchone()
    con.close()
    import newsledger
    assert row == ("ok", newsledger.__version__, "fake_model", "0.0", "7", "3", True)


def test_ingest_twice_is_idempotent(tmp_path, fake_stages):
    corpus = write_corpus(tmp_path / "in")
    db = tmp_path / "l.duckdb"
    ingest([str(corpus)], str(db), Settings(), extractor=FakeExtractor())
    first = counts(db)
    again = ingest([str(corpus)], str(db), Settings(), extractor=FakeExtractor())
    second = counts(db)
    assert again.ingested == 0 and again.duplicates == 3
    assert {k: v for k, v in second.items() if k != "runs"} == {k: v for k, v in first.items() if k != "runs"}
    assert second["runs"] == 2


def test_syndicated_copy_is_one_article_two_sources(tmp_path, fake_stages):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("URL https://one.example/x\nStory\n" + STORY)
    # same story, different line breaks and title, another outlet: same content hash
    (corpus / "b.txt").write_text("URL https://two.example/y\nSame story\n" + STORY.replace("\n", "\n\n"))
    db = tmp_path / "l.duckdb"
    summary = ingest([str(corpus)], str(db), Settings(), extractor=FakeExtractor())
    assert (summary.ingested, summary.duplicates) == (1, 1)
    c = counts(db)
    assert (c["articles"], c["sources"]) == (1, 2)
    con = duckdb.connect(str(db), read_only=True)
    urls = sorted(r[0] for r in con.execute("SELECT url FROM sources").fetchall())
    con.close()
    assert urls == ["https://one.example/x", "https://two.example/y"]
    # a later run sees it a third time from a new url: one more source, still one article
    (corpus / "c.txt").write_text("URL https://three.example/z\nStory\n" + STORY)
    again = ingest([str(corpus)], str(db), Settings(), extractor=FakeExtractor())
    assert again.duplicates == 3 and counts(db)["sources"] == 3 and counts(db)["articles"] == 1


def test_an_article_the_extractor_fails_on_is_rejected_and_the_run_goes_on(tmp_path, fake_stages):
    corpus = write_corpus(tmp_path / "in")
    (corpus / "f.txt").write_text('Boom\nBOOM "Later," Zelensky said.\n')
    db = tmp_path / "l.duckdb"
    summary = ingest([str(corpus)], str(db), Settings(batch_size=10), extractor=FakeExtractor(fail_on="BOOM"))
    assert summary.status == "ok" and summary.rejected["extract_failed"] == 1
    con = duckdb.connect(str(db), read_only=True)
    reject = con.execute("SELECT stage, reason FROM rejects").fetchall()
    orphans = con.execute("SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    con.close()
    assert ("nlp", "extract_failed") in reject and orphans == 0
    assert counts(db)["articles"] == 3  # a, b, c stored, each complete
    # once the extractor works, a re-run stores the rejected article and nothing twice
    summary = ingest([str(corpus)], str(db), Settings(batch_size=10), extractor=FakeExtractor())
    assert summary.ingested == 1 and summary.duplicates == 3
    con = duckdb.connect(str(db), read_only=True)
    settled = con.execute("SELECT resolved_run FROM rejects WHERE reason = 'extract_failed'").fetchall()
    con.close()
    assert settled == [(summary.run_id,)]  # kept as history, marked resolved by the run that stored it
    clean = tmp_path / "clean.duckdb"
    ingest([str(corpus)], str(clean), Settings(batch_size=10), extractor=FakeExtractor())
    assert {k: v for k, v in counts(db).items() if k not in ("runs", "rejects")} == \
        {k: v for k, v in counts(clean).items() if k not in ("runs", "rejects")}


def test_crash_while_writing_an_article_leaves_no_partial_rows(tmp_path, fake_stages, monkeypatch):
    corpus = write_corpus(tmp_path / "in")
    db = tmp_path / "l.duckdb"
    real = writer._insert_quotes

    def insert_quotes_then_die(ledger, article, record, run_id):
        real(ledger, article, record, run_id)
        if "Zelensky" in article.text:
            raise KeyboardInterrupt  # Ctrl-C after entities, mentions and quotes went in

    monkeypatch.setattr(writer, "_insert_quotes", insert_quotes_then_die)
    with pytest.raises(KeyboardInterrupt):
        ingest([str(corpus)], str(db), Settings(batch_size=10), extractor=FakeExtractor())
    con = duckdb.connect(str(db), read_only=True)
    texts = [r[0] for r in con.execute("SELECT text FROM articles").fetchall()]
    zel = con.execute("SELECT count(*) FROM mentions WHERE text = 'Zelensky'").fetchone()[0]
    zq = con.execute("SELECT count(*) FROM quotes WHERE speaker_name = 'Zelensky'").fetchone()[0]
    status = con.execute("SELECT status FROM runs").fetchone()[0]
    con.close()
    assert status == "interrupted"
    assert not any("Zelensky" in t for t in texts) and zel == 0 and zq == 0
    monkeypatch.setattr(writer, "_insert_quotes", real)
    summary = ingest([str(corpus)], str(db), Settings(batch_size=10), extractor=FakeExtractor())
    assert summary.ingested >= 1
    assert counts(db)["articles"] == 3 and counts(db)["quotes"] == 2


def test_batches_follow_settings(tmp_path, fake_stages):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(5):
        (corpus / f"{i}.txt").write_text(f"T{i}\nStory number {i} about Belarus.\n")
    fake = FakeExtractor()
    summary = ingest([str(corpus)], str(tmp_path / "l.duckdb"), Settings(batch_size=2), extractor=fake)
    assert summary.ingested == 5 and fake.batches == [2, 2, 1]


def test_duplicate_inside_one_batch_keeps_both_sources(tmp_path, fake_stages):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("URL https://a.example\nT\n" + STORY)
    (corpus / "b.txt").write_text("URL https://b.example\nT\n" + STORY)
    db = tmp_path / "l.duckdb"
    summary = ingest([str(corpus)], str(db), Settings(batch_size=10), extractor=FakeExtractor())
    assert (summary.ingested, summary.duplicates) == (1, 1)
    assert counts(db)["sources"] == 2


def test_missing_input_raises_before_touching_the_db(tmp_path, fake_stages):
    with pytest.raises(InputNotFound):
        ingest([str(tmp_path / "nope")], str(tmp_path / "l.duckdb"), Settings(), extractor=FakeExtractor())
    assert not (tmp_path / "l.duckdb").exists()


def test_unreadable_file_is_a_reject(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_mod, "_expand_inputs", lambda paths: list(paths))

    def broken(path, settings):
        raise PermissionError(13, "Permission denied")
        yield  # pragma: no cover

    import newsledger.sources as sources
    monkeypatch.setattr(sources, "iter_documents", broken)
    summary = ingest(["x.txt"], str(tmp_path / "l.duckdb"), Settings(), extractor=FakeExtractor())
    assert summary.rejected == {"unreadable": 1}


def test_real_readers_with_fake_extractor(tmp_path):
    """The real sources/articles stages wired in (only the model is faked)."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Minsk talks\n\n" + STORY)
    (corpus / "copy.txt").write_text("Minsk talks\n\n" + STORY.replace("\n", "\n\n"))
    (corpus / "empty.txt").write_text("")
    db = tmp_path / "l.duckdb"
    summary = ingest([str(corpus)], str(db), Settings(), extractor=FakeExtractor())
    assert (summary.ingested, summary.duplicates, summary.total_rejected) == (1, 1, 1)
    con = duckdb.connect(str(db), read_only=True)
    title, text = con.execute("SELECT title, text FROM articles").fetchone()
    start, end, content = con.execute("SELECT content_start, content_end, content_text FROM quotes").fetchone()
    con.close()
    assert title == "Minsk talks" and text[start:end] == content == "We are ready"
    assert counts(db)["sources"] == 2
