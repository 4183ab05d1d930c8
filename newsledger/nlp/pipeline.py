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
        nlp = self.nlp
        return {"name": f"{nlp.meta['lang']}_{nlp.meta['name']}", "version": nlp.meta["version"]}

    @property
    def nlp(self):
        if self._nlp is None:
            from newsledger.nlp.model import load_model

            self._nlp = load_model(self.settings.model)
        return self._nlp

    def extract(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Record]]:
        """Yield (article, record) pairs in input order. Non-English articles are
        not run through the English model: their record says why (``skipped``)."""
        raise NotImplementedError  # filled in by the nlp stages
