"""Statement commands: search, statements (read-only) and index (writes).

``search`` and ``statements`` open the ledger read-only, like the browse
commands. ``index`` brings statements and the search index up to date; ingest
does the same after every run, so it is only needed for a ledger written
before statements existed, after installing the semantic extra, or with
``--rebuild``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from newsledger import search as statement_search
from newsledger.cli import common
from newsledger.cli.common import DbOption, handle_errors, print_rows
from newsledger.store.ledger import DEFAULT_DB, open_ledger

FORMATS = ("table", "json", "jsonl")
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="table, json (one document) or jsonl (one object per line).")
]
# Characters of a statement shown in tables; json/jsonl give it whole.
TEXT_WIDTH = 100
STATEMENT_COLUMNS = [("n_articles", "articles"), ("n_quotes", "quotes"), ("speaker", "speaker"),
                     ("kind", "kind"), ("content", "statement"), ("first_date", "first"), ("id", "id")]


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    return fmt


def _short(text: Optional[str], width: int = TEXT_WIDTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _write_json(document) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")


def search(
    query: Annotated[str, typer.Argument(help="Words to find, or a question when searching by meaning.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N statements.")] = 10,
    mode: Annotated[str, typer.Option("--mode", "-m", help="auto, fulltext or semantic.")] = "auto",
    format: FormatOption = "table",
) -> None:
    """Find statements, best first, each with every source that reported it.

    auto searches by meaning when newsledger[semantic] is installed and the
    ledger is embedded, else by full text (and says so on stderr).
    """
    _check_format(format)
    with open_ledger(db, read_only=True) as ledger:
        used, note = statement_search.choose_mode(ledger, mode)
        used, hits = statement_search.search(ledger, query, limit=limit, mode=used)
    if note:
        common.stderr().print(note, markup=False)
    if format == "json":
        _write_json({"query": query, "mode": used, "note": note, "hits": hits})
    elif format == "jsonl":
        for hit in hits:
            _write_json({"mode": used, **hit})
    else:
        _print_hits(hits, used)


def _print_hits(hits: list[dict], mode: str) -> None:
    out = common.stdout()
    out.print(f"{len(hits)} statement(s), {mode} search", markup=False)
    for rank, hit in enumerate(hits, start=1):
        sources = f"{hit['n_articles']} article(s)" + (f", {hit['n_quotes']} quotes" if hit["n_quotes"] > hit["n_articles"] else "")
        out.print()
        out.print(f"{rank}. [{hit['score']:.3f}] {hit['speaker'] or '(unknown speaker)'} ({hit['kind']}; {sources})"
                  f"  statement {hit['statement_id'][:12]}", markup=False)
        out.print(f"   {_short(hit['content'])}", markup=False)
        for ev in hit["evidence"]:
            out.print("   - " + _evidence_line(ev), markup=False)


def _evidence_line(ev: dict) -> str:
    sources = ev["sources"] or [{}]
    where = "; ".join(
        " ".join(x for x in (s.get("outlet"), s.get("url") or s.get("origin")) if x) or "(no url)" for s in sources
    )
    return (f"{ev['date'] or 'undated'}  {where}  article {ev['article_id'][:12]}"
            f" chars {ev['content_start']}-{ev['content_end']}" + ("" if ev["match"] == "canonical" else f" ({ev['match']})"))


def statements(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker name contains this (any case).")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", min=1, help="Only statements reported by at least N articles.")] = 1,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N statements.")] = 20,
    format: FormatOption = "table",
) -> None:
    """List statements, those reported by the most articles first."""
    _check_format(format)
    with open_ledger(db, read_only=True) as ledger:
        rows = statement_search.list_statements(ledger, speaker=speaker, min_articles=min_articles, limit=limit,
                                           evidence=format != "table")
    if format == "json":
        _write_json(rows)
    elif format == "jsonl":
        for row in rows:
            _write_json(row)
    else:
        shown = [{**r, "id": r["statement_id"][:12], "speaker": r["speaker"] or "(unknown)",
                  "content": _short(r["content"])} for r in rows]
        print_rows(shown, "table", STATEMENT_COLUMNS, title="statements")


def index(
    db: DbOption = DEFAULT_DB,
    semantic: Annotated[
        Optional[bool],
        typer.Option("--semantic/--no-semantic", help="Embed statements (default: when the extra is installed)."),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Regroup every quote, not only new ones.")] = False,
) -> None:
    """Bring statements and the search index up to date (ingest does this after each run)."""
    with open_ledger(db) as ledger:
        counts = statement_search.update(ledger, semantic=semantic, rebuild=rebuild)
    common.stdout().print(
        f"statements {counts['statements']} ({counts['multi_source_statements']} from several articles), "
        f"written {counts['statements_written']}, removed {counts['statements_removed']}, "
        f"embedded {counts['embedded']}",
        markup=False,
    )


EXAMPLES = {
    search: "newsledger search \"what did Lukashenko say about Russian bases\" --limit 5",
    statements: "newsledger statements --min-articles 2 --speaker Lukashenko",
    index: "newsledger index --db news.duckdb --rebuild",
}


def register(app: typer.Typer) -> None:
    for fn, example in EXAMPLES.items():
        app.command(epilog=f"Example: {example}")(handle_errors(fn))
