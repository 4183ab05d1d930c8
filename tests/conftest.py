"""Shared fixtures.

Tests that read ../shared use the ``shared`` fixture. With NEWSLEDGER_SHARED set
(as .ci/run does) the folder must exist and the test fails if it does not;
without it, ../shared is used when present and the test is skipped otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Ingest embeds statements when the semantic extra is installed; tests that
# want it ask for it explicitly (tests/test_search.py), the rest stay fast.
os.environ.setdefault("NEWSLEDGER_SEMANTIC", "0")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    env = os.environ.get("NEWSLEDGER_SHARED")
    if env:
        path = Path(env)
        if not path.is_absolute():
            path = (REPO / path).resolve()
        if not path.is_dir():
            pytest.fail(f"NEWSLEDGER_SHARED={env} is set but {path} does not exist")
        return path
    default = REPO.parent / "shared"
    if default.is_dir():
        return default
    pytest.skip("../shared is not here and NEWSLEDGER_SHARED is not set: skipping a test on shared data")


@pytest.fixture(scope="session")
def nlp_extractor():
    """One loaded extractor for the whole session (loading spaCy takes seconds)."""
    from newsledger.nlp.pipeline import Extractor
    from newsledger.settings import Settings

    return Extractor(Settings())


@pytest.fixture
def runner():
    """A typer CliRunner; the CLI's log handlers are put back afterwards."""
    import logging

    from typer.testing import CliRunner

    logger = logging.getLogger("newsledger")
    level, handlers = logger.level, list(logger.handlers)
    yield CliRunner()
    logger.setLevel(level)
    logger.handlers[:] = handlers
