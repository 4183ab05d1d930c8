"""Score predicted quotes against the hand-annotated Wikinews attribution set.

The set (tests/data/wikinews_attributions.jsonl, described in tests/data/README.md)
holds, per article, its url, the sha256 of its text and its attributions: kind,
content segments (character offsets into ``Article.text``, never the text) and
the speaker's full canonical name. The articles themselves are read from the
Wikinews corpus in ../shared, exactly as ``newsledger ingest`` reads them.

The rules are in docs/evaluation.md ("Resolved speaker names on Wikinews"):
a gold attribution is **found** when the predictions whose speaker name is
right for it cover more than 30% of its content characters (the lenient rule
of the PolNeAR scorer); a prediction is **correct** when more than half of it
lies inside one gold content whose speaker its name is right for.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from newsledger.article import Article
from newsledger.errors import InputNotFound, NewsledgerError
from newsledger.evaluation.polnear import Tally, covered, matches
from newsledger.records import Quote
from newsledger.settings import Settings
from newsledger.sources.base import Reject

log = logging.getLogger(__name__)

DEFAULT_CORPUS = "../shared/corpora/wikinews"
# Marks that make an article a candidate for the set: straight and curly double
# quotes, and two apostrophes (a Wikinews/archive convention for a quote mark).
QUOTE_MARKS = ('"', "\u201c", "\u201d", "''")

KINDS = ("direct", "mixed", "indirect")
TURN_CUE = "label"  # the cue lemma of a transcript turn (nlp/quotes/transcript.py)
SPEAKER_TYPES = ("person", "organisation", "group", "none")


class GoldError(NewsledgerError):
    """The annotation file is malformed or no longer fits the corpus."""

    exit_code = 2


def text_sha256(text: str) -> str:
    """The hex sha256 of an article text (UTF-8): detects drift in the corpus or the reader."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def has_quote_mark(text: str) -> bool:
    return any(mark in text for mark in QUOTE_MARKS)


def corpus_articles(corpus: str | Path, settings: Optional[Settings] = None) -> Iterator[Article]:
    """The corpus's articles as ingest reads them: *.csv files by name, rows in order."""
    from newsledger.articles import to_article
    from newsledger.sources import iter_documents

    settings = settings or Settings()
    folder = Path(corpus)
    if not folder.is_dir():
        raise InputNotFound(f"Wikinews corpus folder {folder} does not exist")
    for path in sorted(folder.glob("*.csv")):
        for item in iter_documents(str(path), settings):
            if not isinstance(item, Reject):
                item = to_article(item, settings)
            if isinstance(item, Reject):
                log.warning("%s", item.message())
                continue
            yield item


# ---- the gold ----------------------------------------------------------------


def load(path: str | Path) -> list[dict]:
    """Read and check an annotation file: one article per line (tests/data/README.md)."""
    return read_checked(path, _problem, GoldError)


def read_checked(path: str | Path, problem_of, error: type = GoldError) -> list[dict]:
    """The items of a JSON-lines gold file, each checked by ``problem_of``
    (None when fine, else what is wrong); the first bad line raises ``error``."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(f"{path} does not exist or is not a file")
    items = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise error(f"{path} line {number}: not valid JSON ({exc})") from None
            problem = problem_of(item)
            if problem:
                raise error(f"{path} line {number}: {problem}")
            items.append(item)
    return items


def _problem(article) -> Optional[str]:
    """What is wrong with one annotated article, or None."""
    if not isinstance(article, dict) or not isinstance(article.get("url"), str):
        return "expected an object with a url"
    sha = article.get("text_sha256")
    if not (isinstance(sha, str) and len(sha) == 64):
        return "text_sha256 must be 64 hex digits"
    if not isinstance(article.get("attributions"), list):
        return "attributions must be a list"
    for n, a in enumerate(article["attributions"], start=1):
        problem = _attribution_problem(a)
        if problem:
            return f"attribution {n}: {problem}"
    return None


def _attribution_problem(a) -> Optional[str]:
    if not isinstance(a, dict) or a.get("kind") not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    content = a.get("content")
    if not content or not all(
        isinstance(seg, list) and len(seg) == 2 and all(isinstance(i, int) for i in seg) and 0 <= seg[0] < seg[1]
        for seg in content
    ):
        return "content must be a non-empty list of [start, end] offsets with start < end"
    if a.get("speaker_type") not in SPEAKER_TYPES:
        return f"speaker_type must be one of {', '.join(SPEAKER_TYPES)}"
    speaker = a.get("speaker")
    if (speaker is None) != (a["speaker_type"] == "none"):
        return 'speaker is null exactly when speaker_type is "none"'
    if speaker is not None and not (isinstance(speaker, str) and speaker.strip()):
        return "speaker must be a name or null"
    others = a.get("other_speakers", [])
    if not (isinstance(others, list) and all(isinstance(o, str) and o.strip() for o in others)):
        return "other_speakers must be a list of names"
    return None


def find_articles(
    gold_articles: list[dict], corpus: str | Path, settings: Optional[Settings] = None
) -> dict[str, Article]:
    """url -> Article for every annotated article; fails clearly when one is
    missing from the corpus or its text is not the text that was annotated."""
    wanted = {a["url"]: a for a in gold_articles}
    found: dict[str, Article] = {}
    for article in corpus_articles(corpus, settings):
        if article.url in wanted and article.url not in found:
            found[article.url] = article
    for url, gold in wanted.items():
        article = found.get(url)
        if article is None:
            raise GoldError(f"{url} is not in the corpus at {corpus}")
        sha = text_sha256(article.text)
        if sha != gold["text_sha256"]:
            raise GoldError(
                f"the text of {url} changed since it was annotated (sha256 {sha[:12]}, annotated "
                f"{gold['text_sha256'][:12]}): the corpus or the reader drifted; fix that or re-annotate"
            )
        end = max((e for a in gold["attributions"] for _, e in a["content"]), default=0)
        if end > len(article.text):
            raise GoldError(f"{url}: an annotated span ends at {end}, past the text's {len(article.text)} characters")
    return found


# ---- names -------------------------------------------------------------------

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i",
})
_NON_WORD = re.compile(r"[^\w]+|_")
DETERMINERS = frozenset({"the", "a", "an"})
# A speaker mention that is only one of these words names no one by itself.
PRONOUNS = frozenset("he she it they we i you him her them us me who which that this these those".split())

Name = tuple[str, ...]


def normalise_name(name: Optional[str]) -> Optional[Name]:
    """A name as comparable words: accents stripped, casefolded, punctuation as
    spaces, a leading "the"/"a"/"an" dropped. None (or nothing left) gives None."""
    if not name:
        return None
    plain = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = _NON_WORD.sub(" ", plain).split()
    if words and words[0] in DETERMINERS:
        words = words[1:]
    return tuple(words) or None


def predicted_name(quote: Quote) -> Optional[Name]:
    """The name a prediction gives its speaker: ``speaker.name``; with no name,
    the words of its speaker mention unless that is a pronoun (an unnamed
    group such as "police" keeps its words); else None."""
    name = normalise_name(quote.speaker.name)
    if name is not None:
        return name
    mention = quote.speaker.mention
    words = normalise_name(mention.text) if mention is not None else None
    if words is None or (len(words) == 1 and words[0] in PRONOUNS):
        return None
    return words


def same_speaker(predicted: Name, gold: Name) -> bool:
    """Equal, or the predicted words are the gold words with some left out and
    the same last word ("Trump", "John Bolton" for "John R. Bolton"); a
    different first name ("Hunter Biden" for "Joe Biden") is wrong."""
    if predicted == gold:
        return True
    if predicted[-1] != gold[-1]:
        return False
    rest = iter(gold)
    return all(word in rest for word in predicted)  # an ordered subsequence


# ---- scoring -----------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    kind: str
    content: frozenset[int]
    names: tuple[Name, ...]  # the speaker and any co-speakers; empty for a null speaker


@dataclass(frozen=True)
class Pred:
    kind: str
    content: frozenset[int]
    name: Optional[Name]


def gold_of(article: dict) -> list[Gold]:
    out = []
    for a in article["attributions"]:
        names = (normalise_name(n) for n in [a["speaker"], *a.get("other_speakers", [])] if n)
        out.append(Gold(a["kind"], _chars(a["content"]), tuple(n for n in names if n)))
    return out


def pred_of(quote: Quote) -> Pred:
    segments = [(s.start, s.end) for s in quote.segments] or [(quote.content.start, quote.content.end)]
    return Pred(quote.kind, _chars(segments), predicted_name(quote))


def is_turn(quote: Quote) -> bool:
    """A transcript turn (cue: its speaker label). The annotation guideline
    leaves interview turns out, so they are not scored either way."""
    return quote.cue is not None and quote.cue.lemma == TURN_CUE


def _chars(segments) -> frozenset[int]:
    return frozenset(i for start, end in segments for i in range(start, end))


def name_right(pred: Pred, gold: Gold) -> bool:
    """A null gold speaker wants no predicted name; otherwise the predicted name
    must be the same speaker as the gold speaker or one of its co-speakers."""
    if not gold.names:
        return pred.name is None
    return pred.name is not None and any(same_speaker(pred.name, g) for g in gold.names)


def _any_name(pred: Pred, gold: Gold) -> bool:
    return True


@dataclass(frozen=True)
class Figure:
    """``kinds``: the predicted kinds scored for precision and the gold kinds
    scored for recall; ``pair_ok``: the name test a prediction must pass."""

    kinds: tuple[str, ...]
    pair_ok: Callable[[Pred, Gold], bool]


DIRECT_OR_MIXED = ("direct", "mixed")

FIGURES: dict[str, Figure] = {
    "direct_mixed_speaker": Figure(DIRECT_OR_MIXED, name_right),
    "all_speaker": Figure(KINDS, name_right),
    "direct_mixed": Figure(DIRECT_OR_MIXED, _any_name),  # content only, for information
    "all": Figure(KINDS, _any_name),
}


def _score_article(fig: Figure, golds: list[Gold], preds: list[Pred], tally: Tally) -> None:
    # precision: a prediction of a scored kind is correct when it matches any gold
    # attribution (whatever its kind) whose speaker its name is right for
    scored = [p for p in preds if p.kind in fig.kinds]
    tally.add_predictions(any(matches(p, g) and fig.pair_ok(p, g) for g in golds) for p in scored)
    # recall: predictions of any kind with the right name may cover a gold attribution
    tally.add_gold(covered(g, (p for p in preds if fig.pair_ok(p, g))) for g in golds if g.kind in fig.kinds)


def score(gold_articles: list[dict], predictions: dict[str, list[Quote]]) -> dict[str, Any]:
    """Score ``predictions`` (url -> predicted Quotes) against annotated articles."""
    tallies = {name: Tally() for name in FIGURES}
    kinds = Counter()
    for article in gold_articles:
        golds = gold_of(article)
        kinds.update(g.kind for g in golds)
        preds = [pred_of(q) for q in predictions.get(article["url"], []) if not is_turn(q)]
        for name, fig in FIGURES.items():
            _score_article(fig, golds, preds, tallies[name])
    out: dict[str, Any] = {name: t.as_dict() for name, t in tallies.items()}
    out["articles"] = len(gold_articles)
    out["attributions"] = {kind: kinds[kind] for kind in KINDS}
    return out


def outcomes(gold_articles: list[dict], predictions: dict[str, list[Quote]]) -> Iterator[dict]:
    """Each gold attribution with whether it was found (content, any name) and
    found with the right name, and the names of the predictions covering it:
    the raw material for an error analysis."""
    for article in gold_articles:
        quotes = predictions.get(article["url"], [])
        preds = [pred_of(q) for q in quotes]
        for raw, gold in zip(article["attributions"], gold_of(article)):
            overlapping = [q for q, p in zip(quotes, preds) if p.content & gold.content]
            yield {
                "url": article["url"],
                "kind": raw["kind"],
                "content": raw["content"],
                "speaker": raw["speaker"],
                "found": covered(gold, preds),
                "right": covered(gold, (p for p in preds if name_right(p, gold))),
                "predicted": [
                    {"kind": q.kind, "name": q.speaker.name,
                     "mention": q.speaker.mention.text if q.speaker.mention else None}
                    for q in overlapping
                ],
            }


def predict(extractor, articles: dict[str, Article]) -> dict[str, list[Quote]]:
    """Run ``extractor.extract`` on the articles: url -> predicted quotes."""
    urls = {article.id: url for url, article in articles.items()}
    return {urls[article.id]: record.quotes for article, record in extractor.extract(list(articles.values()))}


def evaluate(path: str | Path, extractor, corpus: str | Path = DEFAULT_CORPUS) -> dict[str, Any]:
    """Load the annotation file at ``path``, read its articles from ``corpus``,
    run ``extractor`` on them and score it."""
    gold_articles = load(path)
    predictions = predict(extractor, find_articles(gold_articles, corpus))
    return score(gold_articles, predictions)
