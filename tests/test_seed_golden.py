"""The seed article (examples/seed_article.txt) end to end: ingest, then extract.

Three parts, so that each runs wherever it can:

* ingest side (no spaCy, no ../shared): the body, title, tags and furniture
  that ``to_article`` gives;
* golden file (spaCy, no ../shared): the whole extracted record compared with
  ``tests/golden/seed_article.record.json``, a snapshot of what the pipeline
  produces, reviewed by hand when it was written;
* expected extraction (spaCy and ../shared): the hand-made expectations in
  ``shared/gold/seed_article.expected.json`` (quotes by first/last words, kind,
  cue, speaker; entities by name, type and code).

Regenerating the golden file after an intended change in the output:

    NEWSLEDGER_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_seed_golden.py

then read ``git diff tests/golden/`` before committing: every change in it is
a change in what ``newsledger extract`` prints for this article.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from newsledger.article import Article
from newsledger.articles import to_article
from newsledger.records import Record
from newsledger.settings import Settings
from newsledger.sources.base import RawDocument

from tests.conftest import EXAMPLES

SEED = EXAMPLES / "seed_article.txt"
GOLDEN = Path(__file__).resolve().parent / "golden" / "seed_article.record.json"
REGEN_ENV = "NEWSLEDGER_REGEN_GOLDEN"

TITLE = "Lukashenko ready to allow Russian troops into Belarus if necessary"
TAGS = ["Lukashenko", "Belarus", "Russia", "Ukraine"]
NOT_BODY_TEXT = ["Comments", "Lukashenko, Belarus, Russia, Ukraine"]

PRONOUNS = frozenset("i me my we us our you your he him his she her it its they them their one".split())
# How many lines of a golden-file diff the failure message shows.
MAX_DIFF_LINES = 120


def norm(text: str) -> str:
    """Case-folded, whitespace-normalised text for containment tests."""
    return " ".join(text.split()).casefold()


def seed_article() -> Article:
    result = to_article(RawDocument(origin="examples/seed_article.txt", kind="text", data=SEED.read_bytes()), Settings())
    assert isinstance(result, Article), f"the seed article was rejected: {result}"
    return result


@pytest.fixture(scope="module")
def article() -> Article:
    return seed_article()


@pytest.fixture(scope="module")
def record(article, nlp_extractor) -> Record:
    pairs = list(nlp_extractor.extract([article]))
    assert len(pairs) == 1
    return pairs[0][1]


# ---- ingest side: no spaCy, no ../shared ------------------------------------


def test_seed_ingest_body_title_tags(article):
    assert article.title == TITLE
    assert article.date is None  # the article has no date: none may be invented
    assert article.tags == TAGS
    assert article.language == "en"
    lines = [line.strip() for line in article.text.split("\n")]
    for furniture in NOT_BODY_TEXT:
        assert furniture not in lines, f"{furniture!r} is still a line of the body"
    assert "Lukashenko, Belarus, Russia, Ukraine" not in article.text
    assert article.text.startswith("Self-proclaimed president of Belarus Alexander Lukashenko said")
    assert article.text.endswith("in a recent interview with Frankfurter Allgemeine Zeitung.")
    assert sorted(article.furniture) == sorted(NOT_BODY_TEXT)


@pytest.mark.shared
def test_seed_ingest_matches_expected_article_block(shared, article):
    expected = json.loads((shared / "gold" / "seed_article.expected.json").read_text("utf-8"))["article"]
    assert article.title == expected["title"]
    assert article.date == expected["publication_date"]
    assert article.tags == expected["tags"]
    lines = [line.strip() for line in article.text.split("\n")]
    for furniture in expected["not_body_text"]:
        assert furniture not in lines


# ---- golden file: spaCy, no ../shared ----------------------------------------


def _dump(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _golden_diff(expected: dict, actual: dict) -> str:
    lines = list(
        difflib.unified_diff(
            _dump(expected).splitlines(),
            _dump(actual).splitlines(),
            fromfile=f"golden: {GOLDEN.relative_to(GOLDEN.parents[2])}",
            tofile="now: extract(examples/seed_article.txt)",
            lineterm="",
            n=2,
        )
    )
    shown = "\n".join(lines[:MAX_DIFF_LINES])
    if len(lines) > MAX_DIFF_LINES:
        shown += f"\n... {len(lines) - MAX_DIFF_LINES} more diff lines"
    summary = (
        f"quotes golden {len(expected.get('quotes', []))} / now {len(actual.get('quotes', []))}; "
        f"entities golden {len(expected.get('entities', []))} / now {len(actual.get('entities', []))}"
    )
    return (
        "the extract output for the seed article differs from the golden file.\n"
        f"{summary}\n{shown}\n"
        f"If the change is intended, regenerate with: {REGEN_ENV}=1 .venv/bin/python -m pytest "
        "tests/test_seed_golden.py  (then review git diff tests/golden/)"
    )


@pytest.mark.slow
def test_seed_record_matches_golden_file(record, article):
    actual = record.to_json()
    if os.environ.get(REGEN_ENV) == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(_dump(actual), encoding="utf-8")
        pytest.skip(f"{REGEN_ENV}=1: wrote {GOLDEN}; review the diff before committing")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing; create it with {REGEN_ENV}=1 pytest tests/test_seed_golden.py"
    expected = json.loads(GOLDEN.read_text("utf-8"))
    assert actual == expected, _golden_diff(expected, actual)


@pytest.mark.slow
def test_seed_golden_file_is_consistent_with_the_text(article):
    """The golden file itself obeys the contract (it is hand-reviewed, so check it)."""
    golden = Record.from_json(json.loads(GOLDEN.read_text("utf-8")))
    assert golden.id == article.id
    text = article.text
    for q in golden.quotes:
        assert text[q.content.start : q.content.end] == q.content.text
        if q.cue:
            assert text[q.cue.start : q.cue.end] == q.cue.text
        if q.speaker.mention:
            m = q.speaker.mention
            assert text[m.start : m.end] == m.text
        if q.speaker.entity is not None:
            assert golden.entities[q.speaker.entity].name == q.speaker.name


# ---- expected extraction: spaCy and ../shared ---------------------------------


@pytest.fixture(scope="module")
def expected(shared) -> dict:
    return json.loads((shared / "gold" / "seed_article.expected.json").read_text("utf-8"))


def _describe(record: Record) -> str:
    return "\n".join(
        f"  {q.kind:8} cue={q.cue.text if q.cue else None!r} speaker={q.speaker.name!r} "
        f"content={q.content.text[:50]!r}...{q.content.text[-30:]!r}"
        for q in record.quotes
    )


def _required_quotes(expected: dict) -> list[dict]:
    return [q for q in expected["quotes"] if not q.get("optional")]


@pytest.mark.shared
@pytest.mark.slow
def test_seed_expected_quotes_found(expected, record):
    missing = []
    for want in _required_quotes(expected):
        hits = [
            q
            for q in record.quotes
            if norm(want["starts"]) in norm(q.content.text)
            and norm(want["ends"]) in norm(q.content.text)
            and q.kind == want["kind"]
            and q.cue is not None
            and norm(want["cue"]) in norm(q.cue.text)
            and q.speaker.name == want["speaker"]
        ]
        if not hits:
            missing.append(f"{want['kind']} {want['starts']!r}...{want['ends']!r} by {want['speaker']} ({want['cue']})")
    assert not missing, "expected quotes not found:\n  " + "\n  ".join(missing) + "\npredicted:\n" + _describe(record)


@pytest.mark.shared
@pytest.mark.slow
def test_seed_expected_entities_found(expected, record):
    by_name = {e.name: e for e in record.entities}
    problems = []
    for want in expected["entities"]:
        got = by_name.get(want["name"])
        if got is None:
            problems.append(f"{want['name']}: missing")
            continue
        if got.type != want["type"]:
            problems.append(f"{want['name']}: type {got.type}, expected {want['type']}")
        if want.get("code") and got.code != want["code"]:
            problems.append(f"{want['name']}: code {got.code}, expected {want['code']}")
    found = ", ".join(f"{e.name} {e.type} {e.code}" for e in record.entities)
    assert not problems, "; ".join(problems) + f"\nentities: {found}"


@pytest.mark.slow
def test_seed_lukashenko_role_and_newspaper_not_person(record):
    lukashenko = [e for e in record.entities if e.name == "Alexander Lukashenko"]
    assert len(lukashenko) == 1
    assert lukashenko[0].role and "president of belarus" in lukashenko[0].role.lower()
    persons = [e.name for e in record.entities if e.type == "PERSON"]
    assert not any("Frankfurter" in name for name in persons), persons
    faz = [e for e in record.entities if e.name == "Frankfurter Allgemeine Zeitung"]
    assert faz and faz[0].type == "ORG"


@pytest.mark.slow
def test_seed_no_pronoun_speaker_names(record):
    for q in record.quotes:
        assert q.speaker.name is None or q.speaker.name.lower() not in PRONOUNS, q.speaker


@pytest.mark.slow
def test_seed_nested_quote_inside_outer(record, article):
    outers = [q for q in record.quotes if norm("Although these Western scoundrels") in norm(q.content.text)]
    assert len(outers) == 1, _describe(record)
    outer = outers[0]
    # the outer survives whole: it runs past the nested quote to its own last words
    assert norm("Oh, Belarus is becoming") in norm(outer.content.text)
    assert norm(outer.content.text).endswith(norm("You look at yourself"))
    nested_at = article.text.index("Oh, Belarus is becoming")
    assert outer.content.start < nested_at < outer.content.end
    for q in record.quotes:
        if q is not outer and norm("Oh, Belarus is becoming") in norm(q.content.text):
            assert outer.content.start <= q.content.start and q.content.end <= outer.content.end, q
