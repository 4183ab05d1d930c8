"""What every command shares: consoles, logging, error handling, row output.

Only the CLI prints. Each expected error (a NewsledgerError) becomes one
``error: ...`` line on stderr and the error's exit code; no traceback.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import sys
from datetime import date
from typing import Annotated, Callable, Iterable, Optional

import typer
from rich.console import Console
from rich.table import Table

from newsledger.errors import NewsledgerError
from newsledger.settings import Settings
from newsledger.store.queries import plain as _plain

EXIT_INTERRUPTED = 130
# An error newsledger did not expect: still one line, and the log has the rest.
EXIT_UNEXPECTED = 5

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="NEWSLEDGER_DB", help="The ledger file."),
]
ModelOption = Annotated[
    Optional[str],
    typer.Option("--model", help="spaCy model name or path (env NEWSLEDGER_MODEL; default en_core_web_sm)."),
]


def stdout() -> Console:
    # Built per call so test runners that swap sys.stdout see the output.
    return Console(file=sys.stdout, soft_wrap=True, highlight=False)


def stderr() -> Console:
    return Console(file=sys.stderr, soft_wrap=True, highlight=False)


def make_extractor(settings: Settings):
    """The Extractor the commands use (tests replace this with a fake)."""
    from newsledger.nlp.pipeline import Extractor

    return Extractor(settings)


# -- logging ------------------------------------------------------------------


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time of each record."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


_handler = _StderrHandler()
_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))


def setup_logging(verbose: bool) -> None:
    """Quiet by default (the CLI reports rejects itself); --verbose shows INFO logs."""
    logger = logging.getLogger("newsledger")
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
    logger.setLevel(logging.INFO if verbose else logging.ERROR)


# -- errors -------------------------------------------------------------------


def fail(message: str, code: int) -> typer.Exit:
    stderr().print(f"error: {message}", markup=False)
    return typer.Exit(code)


def handle_errors(fn: Callable) -> Callable:
    """Turn expected errors into one stderr line and their exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsledgerError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted; finished articles are stored, run again to continue",
                       EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:  # a database or library error we did not foresee
            if type(exc).__module__.startswith(("typer", "click")):
                raise  # usage errors and exits keep their own message and code
            logging.getLogger("newsledger").info("unexpected error", exc_info=True)
            message = f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            raise fail(message.rstrip(": ") + " (run with --verbose for details)", EXIT_UNEXPECTED) from None

    return wrapper


# -- rows out -----------------------------------------------------------------

FORMATS = ("table", "json", "csv")




def print_rows(rows: list[dict], fmt: str, columns: Iterable[tuple[str, str]], title: str = "") -> None:
    """Rows as a rich table (chosen columns), JSON lines or CSV (all columns)."""
    if fmt == "json":
        out = sys.stdout
        for row in rows:
            out.write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return
    table = Table(title=title or None, show_lines=False)
    for key, header in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(k) is None else str(row.get(k)) for k, _ in columns))
    stdout().print(table)
    if not rows:
        stdout().print("(no rows)")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    return fmt


QUOTE_WIDTH = 90  # characters of a quote shown in a table cell


def short(text: Optional[str], width: int = QUOTE_WIDTH) -> str:
    """One line of at most ``width`` characters, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def iso_date(value: Optional[str], option: str = "--since") -> Optional[str]:
    """A user's date as ISO 8601, or a usage error naming ``option``."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-01-31", param_hint=option) from None
