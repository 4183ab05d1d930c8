"""Typed errors. The CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class NewsledgerError(Exception):
    """Base class for every error newsledger raises on purpose."""

    exit_code = 1


class DatabaseBusy(NewsledgerError):
    """Another process holds the DuckDB file (DuckDB allows one writer, no readers)."""

    exit_code = 3

    def __init__(self, path: str):
        super().__init__(
            f"database {path} is busy: another newsledger process has it open; "
            "wait for it to finish and try again"
        )
        self.path = path


class MissingDependency(NewsledgerError):
    """An optional dependency is not installed; the message says what to install."""

    exit_code = 4

    def __init__(self, what: str, pip_spec: str):
        super().__init__(f"{what} is not installed: run `pip install {pip_spec}`")
        self.pip_spec = pip_spec


class ModelNotFound(NewsledgerError):
    """The configured spaCy model cannot be loaded."""

    exit_code = 4


class InputNotFound(NewsledgerError):
    """A path given on the command line does not exist."""

    exit_code = 2
