"""The ingest orchestrator: inputs in, one auditable run in the ledger out.

``ingest`` reads like the flow chart it implements:

    1. expand inputs          (folders, globs -> files; a missing path is an error)
    2. open ledger, start run (code + model versions and settings recorded)
    3. read each file         (RawDocument -> Article; every Reject stored and counted)
    4. skip stored articles   (content-hash ids: a duplicate only adds its new source)
    5. extract in batches     (settings.batch_size articles per Extractor call)
    6. write each article     (one transaction each: a crash leaves no partial article)
    7. update the indexes     (speakers across articles, statements and search, folded events)
    8. finish run             (status and counts recorded, summary returned)

The library never prints: pass ``progress(kind, value)`` to hear about
"start" (the file list), "file" (a path done), "reject" (a Reject) and
"article" (an Article just stored).
"""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterator, Optional, Union

from newsledger.article import Article
from newsledger.records import Record
from newsledger.settings import Settings
from newsledger.sources.base import RawDocument, Reject
from newsledger.store.ledger import Ledger, open_ledger
from newsledger.store.writer import add_source, finish_run, start_run, stored_ids, write_article, write_reject

log = logging.getLogger(__name__)

Progress = Callable[[str, Any], None]


@dataclass
class RunSummary:
    """What one ingest run did. ``ingested`` counts articles newly stored,
    including those stored without NLP (``skipped_non_english``)."""

    run_id: Optional[int] = None
    status: str = "running"
    files: int = 0
    ingested: int = 0
    duplicates: int = 0
    skipped_non_english: int = 0
    rejected: Counter = field(default_factory=Counter)
    indexes: dict = field(default_factory=dict)  # index name -> its update's counts

    @property
    def total_rejected(self) -> int:
        return sum(self.rejected.values())

    def counts(self) -> dict:
        return {
            "files": self.files,
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "skipped_non_english": self.skipped_non_english,
            "rejected": dict(self.rejected),
            "indexes": self.indexes,
        }


def ingest(
    paths: list[str],
    db_path: str,
    settings: Optional[Settings] = None,
    extractor=None,
    progress: Optional[Progress] = None,
) -> RunSummary:
    """Ingest every article under ``paths`` into the ledger at ``db_path``."""
    settings = settings or Settings.from_env()
    files = _expand_inputs(paths)                                   # 1. expand inputs
    run = _Run(settings, extractor or _default_extractor(settings), progress)
    model = run.extractor.model_info  # loads the model: a missing one fails before the file is made
    with open_ledger(db_path) as ledger, run.recorded(ledger, files, model):  # 2. open + start run
        for path in files:
            for article in run.articles_in(path):                   # 3. read; rejects stored
                if run.already_stored(article):                     # 4. duplicate: source only
                    continue
                run.queue(article)                                  # 5.+6. extract + write per batch
            run.file_done(path)
        run.flush()
        run.index()                                                 # 7. speakers, statements, events
    return run.summary                                              # 8. finished in recorded()


class _Run:
    """The state of one run; each method is one stage of ``ingest``."""

    def __init__(self, settings: Settings, extractor, progress: Optional[Progress]):
        self.settings = settings
        self.extractor = extractor
        self.notify: Progress = progress or (lambda kind, value: None)
        self.summary = RunSummary()
        self.ledger: Optional[Ledger] = None
        self.batch: dict[str, Article] = {}
        self.later_sources: list[Article] = []

    @contextmanager
    def recorded(self, ledger: Ledger, files: list[str], model: dict) -> Iterator["_Run"]:
        """Start the run, and whatever happens, finish it with a status and counts."""
        self.ledger = ledger
        self.summary.run_id = start_run(ledger, self.settings, model, files)
        self.summary.files = len(files)
        self.notify("start", files)
        status = "failed"
        try:
            yield self
            status = "ok"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.summary.status = status
            finish_run(ledger, self.summary.run_id, status, self.summary.counts())
            log.info("run %s %s: %s", self.summary.run_id, status, self.summary.counts())

    def articles_in(self, path: str) -> Iterator[Article]:
        """Articles read from one file; rejects are stored, counted and logged."""
        for item in read_articles(path, self.settings):
            if isinstance(item, Reject):
                self.reject(item)
            else:
                yield item

    def reject(self, reject: Reject) -> None:
        write_reject(self.ledger, reject, self.summary.run_id)
        self.summary.rejected[reject.reason] += 1
        log.warning("%s", reject.message())
        self.notify("reject", reject)

    def already_stored(self, article: Article) -> bool:
        """True for an article stored before or queued in this batch (its source is kept)."""
        if article.id in self.batch:
            self.later_sources.append(article)
        elif stored_ids(self.ledger, [article.id]):
            add_source(self.ledger, article, self.summary.run_id)
        else:
            return False
        self.summary.duplicates += 1
        return True

    def queue(self, article: Article) -> None:
        self.batch[article.id] = article
        if len(self.batch) >= self.settings.batch_size:
            self.flush()

    def flush(self) -> None:
        """Extract the queued batch and write each article in its own transaction."""
        if not self.batch:
            return
        try:
            for article, record in self._extract(list(self.batch.values())):
                if write_article(self.ledger, article, record, self.summary.run_id):
                    self.summary.ingested += 1
                    self.summary.skipped_non_english += bool(record.skipped)
                    self.notify("article", article)
                else:
                    self.summary.duplicates += 1
        finally:
            for article in self.later_sources:
                add_source(self.ledger, article, self.summary.run_id)
            self.batch, self.later_sources = {}, []

    def _extract(self, articles: list[Article]) -> list:
        done, rejects = extract_records(self.extractor, articles)
        for reject in rejects:
            self.reject(reject)
        return done

    def index(self) -> None:
        self.summary.indexes.update(update_indexes(self.ledger))

    def file_done(self, path: str) -> None:
        self.notify("file", path)


# -- the pure stages, shared with the Dask worker of `newsledger batch` (newsledger/scale)


def read_articles(
    path: str, settings: Settings, start: int = 0, stop: Optional[int] = None
) -> Iterator[Union[Article, Reject]]:
    """The items of one input in order, each an Article or a Reject saying why
    not; ``start``/``stop`` keep the reader's items [start, stop) (a batch shard),
    skipping the others before they are decoded."""
    for item in islice(_read_file(path, settings), start, stop):
        yield _to_article(item, settings) if isinstance(item, RawDocument) else item


def extract_records(extractor, articles: list[Article]) -> tuple[list[tuple[Article, Record]], list[Reject]]:
    """(article, record) pairs in input order, and the nlp rejects: if the batch
    fails, article by article, and an article that still fails becomes an nlp
    reject instead of ending the run."""
    try:
        return list(extractor.extract(articles)), []
    except Exception:
        log.warning("extraction failed for a batch; retrying article by article", exc_info=True)
    done, rejects = [], []
    for article in articles:
        try:
            done.extend(extractor.extract([article]))
        except Exception as exc:
            detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            rejects.append(Reject(article.origin or article.id, "nlp", "extract_failed", detail))
    return done, rejects


def update_indexes(ledger: Ledger) -> dict:
    """Bring the derived tables up to date with what is stored: the
    cross-article speakers first, since statements are grouped by them;
    then the same event reported by several articles folded into one.
    Returns each index's update counts by name."""
    from newsledger import identity, search
    from newsledger.events import fold

    return {"speakers": identity.update(ledger), "statements": search.update(ledger), "events": fold.fold(ledger)}


# -- the stages other modules provide (imported late: spaCy and readers are heavy)


def _default_extractor(settings: Settings):
    from newsledger.nlp.pipeline import Extractor

    return Extractor(settings)


def _expand_inputs(paths: list[str]) -> list[str]:
    from newsledger.sources import expand_inputs

    return expand_inputs(paths)


def _read_file(path: str, settings: Settings) -> Iterator[Union[RawDocument, Reject]]:
    """The file's documents; a file that cannot be read at all becomes one Reject."""
    from newsledger.sources import iter_documents

    try:
        yield from iter_documents(path, settings)
    except OSError as exc:
        yield Reject(item=path, stage="source", reason="unreadable", detail=exc.strerror or str(exc))


def _to_article(raw: RawDocument, settings: Settings) -> Union[Article, Reject]:
    from newsledger.articles import to_article

    return to_article(raw, settings)
