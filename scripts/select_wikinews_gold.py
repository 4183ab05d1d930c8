"""Choose the Wikinews articles of the hand-annotated attribution set, mechanically.

    .venv/bin/python scripts/select_wikinews_gold.py [--corpus ../shared/corpora/wikinews] [--every 10] [--at-least 24]

Articles are read exactly as ``newsledger ingest`` reads them (the CSV reader,
then ``to_article``), so offsets in tests/data/wikinews_attributions.jsonl point
into ``Article.text``. Files are taken in name order and rows in file order;
only articles whose text holds a quotation mark (" \u201c \u201d or '') are kept,
and of those every tenth (indexes 0, 10, 20, ...) is chosen until at least
``--at-least`` are chosen (all of them, if the corpus runs out first).

Prints one line per chosen article: its index among the kept articles, url,
sha256 of its text and its title. With ``--skeleton FILE`` it also writes an
empty annotation file (one line per article, no attributions yet) to fill in.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsledger.evaluation.wikinews import DEFAULT_CORPUS, corpus_articles, has_quote_mark, text_sha256  # noqa: E402


def select(corpus: str, every: int, at_least: int) -> list[tuple[int, object]]:
    """(index among articles with a quote mark, Article) for every ``every``-th one."""
    chosen = []
    quoted = (a for a in corpus_articles(corpus) if has_quote_mark(a.text))
    for index, article in enumerate(quoted):
        if index % every == 0:
            chosen.append((index, article))
    if len(chosen) < at_least:
        print(f"only {len(chosen)} articles chosen (asked for at least {at_least})", file=sys.stderr)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(REPO / DEFAULT_CORPUS), help="folder of Wikinews CSV files")
    parser.add_argument("--every", type=int, default=10, help="take every N-th article with a quote mark")
    parser.add_argument("--at-least", type=int, default=24, help="warn when fewer are chosen")
    parser.add_argument("--skeleton", help="also write an annotation file with no attributions yet")
    args = parser.parse_args()
    chosen = select(args.corpus, args.every, args.at_least)
    for index, article in chosen:
        print(f"{index}\t{article.url}\t{text_sha256(article.text)[:12]}\t{article.title}")
    if args.skeleton:
        with open(args.skeleton, "w", encoding="utf-8") as out:
            for _, article in chosen:
                line = {"url": article.url, "text_sha256": text_sha256(article.text), "attributions": []}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
