"""Build the spaCy pipeline and run extract(): Articles in, Records out.

extract() is pure: no database, no printing. ingest, `newsledger extract`,
and later batch and the web page all call it, so one article gives the same
record everywhere.
"""

from __future__ import annotations

import logging
from typing import Iterable, Iterator

from newsledger.article import Article
from newsledger.records import Record
from newsledger.settings import Settings

log = logging.getLogger(__name__)


class Extractor:
    """Holds the loaded model; call ``extract`` on batches of articles."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._nlp = None

    @property
    def model_info(self) -> dict:
        from newsledger.nlp import lexicons
        from newsledger.events import coder
        from newsledger.nlp.quotes import cues, ranker

        nlp = self.nlp
        return {
            "name": f"{nlp.meta['lang']}_{nlp.meta['name']}",
            "version": nlp.meta["version"],
            # versions of the rules and data that shape every record
            "rules": {"lexicons": lexicons.version(), "speaker_ranker": ranker.version(), "cue_detector": cues.version(),
                      "event_coder": coder.version()},
        }

    @property
    def nlp(self):
        if self._nlp is None:
            from newsledger.nlp.components import add_components
            from newsledger.nlp.model import load_model

            self._nlp = add_components(load_model(self.settings.model))
        return self._nlp

    def extract(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Record]]:
        """Yield (article, record) pairs in input order. Non-English articles are
        not run through the English model: their record says why (``skipped``)."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.settings.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[tuple[Article, Record]]:
        english = [a for a in batch if is_english(a)]
        docs = dict(zip((a.id for a in english), self.nlp.pipe((self.make_doc(a) for a in english), batch_size=self.settings.batch_size)))
        for a in batch:
            doc = docs.get(a.id)
            if doc is None:
                yield a, Record(id=a.id, language=a.language, skipped=f"not English ({a.language_reason or a.language})")
                continue
            yield a, Record(id=a.id, language=a.language or "en", quotes=doc._.nl_quotes, entities=doc._.nl_entities,
                            events=doc._.nl_events or [], places=doc._.nl_places or [], times=doc._.nl_times or [])

    def make_doc(self, article: Article):
        """A tokenised Doc carrying the publication date the event coder reads."""
        doc = self.nlp.make_doc(article.text)
        if article.date:
            doc.user_data["published"] = article.date
        return doc

    def extract_text(self, text: str, article_id: str = "-") -> Record:
        """One text in, one record out (tests, the web page)."""
        article = Article(id=article_id, text=text, language="en")
        return next(self.extract([article]))[1]


def is_english(article: Article) -> bool:
    return article.language in (None, "en")
