"""Run every benchmark (`make bench`): results in bench/results/*.json, a short table on stdout."""

from __future__ import annotations

import sys

from bench import gazetteer_build, scale_bench, search_bench, textacy_baseline, throughput, web_bench
from bench.common import write_result


def main() -> None:
    print("quotes on PolNeAR dev: textacy baseline and our Extractor ...", file=sys.stderr)
    quotes = textacy_baseline.run()
    print("throughput on Wikinews: bare nlp.pipe vs newsledger extract ...", file=sys.stderr)
    speed = throughput.run()
    write_result("throughput.json", speed)
    print()
    print(textacy_baseline.table(quotes))
    print()
    print(throughput.table(speed))
    print()
    print("statements and search ...", file=sys.stderr)
    print(search_bench.report())
    print("gazetteer build (time and peak memory) ...", file=sys.stderr)
    built = gazetteer_build.run()
    write_result("gazetteer_build.json", built)
    print(gazetteer_build.table(built))
    print("newsledger serve on loopback (pages p95, API requests/s) ...", file=sys.stderr)
    web = web_bench.run()
    write_result("web.json", web)
    print(web_bench.table(web))
    print("batch on Dask: 1 vs 2 workers, vs ingest, peak RSS per worker at 1k and 20k articles (long) ...",
          file=sys.stderr)
    print(scale_bench.table(scale_bench.run()))  # writes scale.json itself, after each part


if __name__ == "__main__":
    main()
