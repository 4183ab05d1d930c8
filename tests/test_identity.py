"""Cross-article speaker identity (newsledger.identity).

Unit tests on hand-written name sets need no model. The end-to-end tests
ingest the hand-written articles in tests/fixtures/identity (a title line,
then the body; all people and quotes invented) with the real pipeline:
one man as "Alexander Lukashenko", "Aleksandr Lukashenko", "President
Lukashenko" and "Lukashenko"; Senator John Smith and Judge Mary Smith, a bare
"Smith" nothing decides and a "Senator Smith" whose title does; two Ahmed
Hassans, Egyptian and Somali; and Zelensky / Zelenskyy.
"""

from __future__ import annotations

import json
import logging
import random
import shutil

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from newsledger import identity
from newsledger.cli import speakers as speakers_cli
from newsledger.identity.names import names_compatible, parse_name, token_key
from newsledger.identity.resolve import Occurrence, disambiguate, resolve
from newsledger.identity.roles import role_info, sectors_conflict
from newsledger.ingest import ingest
from newsledger.settings import Settings
from tests.conftest import FIXTURES

ARTICLES = FIXTURES / "identity"


# -- names ------------------------------------------------------------------------


@pytest.mark.parametrize("variants", [
    ["Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskii", "Zelenskij"],
    ["Alexander", "Aleksandr", "Alexandr"],
    ["Dmitry", "Dmitri", "Dmitriy"],
    ["Yevgeny", "Evgeny", "Yevgeniy"],
    ["Sergei", "Sergey", "Sergej"],
    ["Mohammed", "Muhammad", "Mohamed"],
    ["Gaddafi", "Qaddafi", "Kadhafi"],
    ["Erdoğan", "Erdogan", "ERDOGAN".title()],
])
def test_spelling_variants_fold_to_one_key(variants):
    assert len({token_key(v) for v in variants}) == 1


@pytest.mark.parametrize("a, b", [("Volodymyr", "Vladimir"), ("Oleksandr", "Alexander"), ("Mary", "Maria"),
                                  ("John", "Joan")])
def test_different_names_keep_different_keys(a, b):
    assert token_key(a) != token_key(b)


def test_titles_are_stripped_into_roles():
    p = parse_name("President Aleksandr Lukashenko")
    assert (p.key, p.titles) == ("alexander|lukashenko", ("President",))
    bare = parse_name("President Lukashenko")
    assert bare.is_bare and bare.surname == p.surname
    assert parse_name("Mrs. Smith").gender == "f"


def test_name_parts():
    assert parse_name("Kim Jong-un").surname == parse_name("Kim").surname == "kim"
    assert parse_name("Kim Kardashian").surname == token_key("Kardashian")
    assert parse_name("Bashar al-Assad").surname == parse_name("Assad").surname
    assert parse_name("Mohammed bin Salman").surname != parse_name("Salman").surname
    assert parse_name("Rocky De La Fuente").surname == parse_name("De La Fuente").surname
    assert parse_name("Donald Trump Jr.").suffix == "jr"
    assert parse_name("UC Davis") is None and parse_name("ET") is None


@pytest.mark.parametrize("a, b, same", [
    ("Alexander Lukashenko", "Aleksandr Lukashenko", True),
    ("Alexander Lukashenko", "Lukashenko", True),
    ("J. Smith", "John Smith", True),
    ("J. Smith", "Mary Smith", False),
    ("John Smith", "Mary Smith", False),
    ("George W. Bush", "George H. W. Bush", False),
    ("Donald J. Trump", "Donald John Trump", True),
    ("Donald Trump", "Donald Trump Jr.", False),
    ("Mr. Smith", "Mrs. Smith", False),
])
def test_names_compatible(a, b, same):
    assert names_compatible(parse_name(a), parse_name(b)) is same


def test_roles_give_sectors_and_countries():
    r = role_info("Self-proclaimed president of Belarus")
    assert (r.sectors, r.countries) == ({"public"}, {"BLR"})
    assert role_info("the Ukrainian President").countries == {"UKR"}
    assert role_info("US ambassador to Russia").countries == {"USA"}  # sent to Russia, not from it
    assert role_info("Last year US President").text == "US President"
    assert sectors_conflict({"judiciary"}, {"public"})
    assert not sectors_conflict({"security"}, {"public"})  # a general may become a minister
    assert not sectors_conflict(set(), {"public"})


# -- resolve on hand-written occurrences ----------------------------------------------------


def occ(i: int, name: str, role: str | None = None, article: str | None = None, type: str = "PERSON") -> Occurrence:
    return Occurrence(id=f"e{i:03d}", article_id=article or f"a{i:03d}", type=type, name=name, role=role)


def partition(occs: list[Occurrence]) -> set[frozenset[str]]:
    clusters, _ = resolve(occs)
    return {frozenset(m.id for m in c.members) for c in clusters}


LUKASHENKO = [occ(1, "Alexander Lukashenko", "Belarusian President"), occ(2, "Aleksandr Lukashenko"),
              occ(3, "Lukashenko", "President"), occ(4, "Lukashenko")]
SMITHS = [occ(10, "John Smith", "Senator"), occ(11, "Mary Smith", "Judge"), occ(12, "Smith"),
          occ(13, "Smith", "Senator"), occ(14, "Smith", "the judge"), occ(15, "Smith", "Professor")]


def test_one_man_under_four_names_is_one_speaker():
    assert partition(LUKASHENKO) == {frozenset({"e001", "e002", "e003", "e004"})}


def test_same_surname_is_kept_apart_without_evidence():
    parts = partition(SMITHS)
    assert frozenset({"e010", "e013"}) in parts  # "Senator Smith": the one senator
    assert frozenset({"e011", "e014"}) in parts  # "Smith, the judge": the one judge
    assert frozenset({"e012"}) in parts  # no evidence: a speaker known only as "Smith"
    assert frozenset({"e015"}) in parts  # a professor is neither, and not the undecided one either
    assert len(parts) == 4


def test_evidence_picks_one_of_several_candidates():
    people = [occ(1, "Donald Trump", "US President"), occ(2, "Melania Trump"), occ(3, "Mary Trump", "author"),
              occ(4, "Trump", "President"), occ(5, "Trump")]
    parts = partition(people)
    assert frozenset({"e001", "e004"}) in parts and frozenset({"e005"}) in parts


def test_same_full_name_from_two_countries_is_two_people():
    people = [occ(1, "Ahmed Hassan", "Egyptian Foreign Minister"), occ(2, "Ahmed Hassan", "Somali Health Minister"),
              occ(3, "Ahmed Hassan", "Egypt's foreign minister"), occ(4, "Ahmed Hassan")]
    parts = partition(people)
    assert frozenset({"e001", "e003"}) in parts and frozenset({"e002"}) in parts
    assert frozenset({"e004"}) in parts  # the same name, but which of the two: undecided


def test_initials_join_only_an_unambiguous_full_name():
    assert partition([occ(1, "John Smith"), occ(2, "J. Smith")]) == {frozenset({"e001", "e002"})}
    parts = partition([occ(1, "John Smith"), occ(2, "Jane Smith"), occ(3, "J. Smith")])
    assert frozenset({"e003"}) in parts and len(parts) == 3


def test_an_org_label_on_a_person_in_the_same_article_is_the_person():
    people = [occ(1, "Donald Trump", article="x"), occ(2, "Trump", type="ORG", article="x"),
              occ(3, "Trump", type="ORG", article="y")]
    assert partition(people) == {frozenset({"e001", "e002"}), frozenset({"e003"})}


def test_result_does_not_depend_on_order():
    everything = LUKASHENKO + SMITHS + [occ(20, "Ahmed Hassan", "Egyptian minister"),
                                        occ(21, "Ahmed Hassan", "Somali minister"), occ(22, "Hassan")]
    expected = partition(everything)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = everything[:]
        rng.shuffle(shuffled)
        assert partition(shuffled) == expected


def test_shared_keys_are_made_unique():
    clusters, _ = resolve([occ(1, "Ahmed Hassan", "Egyptian minister"), occ(2, "Ahmed Hassan", "Somali minister")])
    keys = disambiguate(clusters)
    assert len(set(keys.values())) == 2 and f"person|ahmed|{token_key('Hassan')}" in keys.values()


# -- end to end: ingest the hand-written articles -----------------------------------------------


def _ingest(files, db, extractor):
    summary = ingest([str(ARTICLES / f) for f in files], str(db), Settings(), extractor=extractor)
    assert summary.total_rejected == 0
    con = duckdb.connect(str(db))
    try:
        return identity.update(con)
    finally:
        con.close()


ALL = sorted(p.name for p in ARTICLES.glob("*.txt"))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, nlp_extractor):
    db = tmp_path_factory.mktemp("identity") / "ledger.duckdb"
    _ingest(ALL, db, nlp_extractor)
    return db


@pytest.fixture
def con(ledger):
    c = duckdb.connect(str(ledger), read_only=True)
    yield c
    c.close()


def by_name(con) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in identity.list_speakers(con):
        out.setdefault(row["name"], []).append(row)
    return out


def test_transliteration_variants_are_one_speaker(con):
    speakers = by_name(con)
    luk = speakers.get("Aleksandr Lukashenko") or speakers["Alexander Lukashenko"]
    assert len(luk) == 1 and (luk[0]["n_statements"], luk[0]["n_articles"]) == (6, 4)  # 5 quotes and "presented the budget"
    aliases = {a["alias"] for a in luk[0]["aliases"]}
    assert {"Alexander Lukashenko", "Aleksandr Lukashenko", "Lukashenko"} <= aliases
    assert luk[0]["countries"] == ["BLR"]
    assert {r["role"] for r in luk[0]["roles"]} >= {"Belarusian President", "President"}
    zel = [s for name, rows in speakers.items() if "Zelensk" in name for s in rows]
    assert len(zel) == 1 and zel[0]["n_statements"] == 3  # two quotes and "welcomed the extension"


def test_same_surname_people_are_kept_apart(con):
    speakers = by_name(con)
    assert speakers["John Smith"][0]["n_statements"] == 3  # his article (two statements) and "Senator Smith"'s
    assert speakers["Mary Smith"][0]["n_statements"] == 2  # a quote and "rejected the appeal"
    bare = speakers["Smith"]
    assert len(bare) == 1 and bare[0]["single_name"] and bare[0]["n_statements"] == 1
    hassans = speakers["Ahmed Hassan"]
    assert sorted(h["countries"][0] for h in hassans) == ["EGY", "SOM"]


def test_every_quote_with_a_speaker_entity_is_mapped(con):
    unmapped = con.execute("SELECT count(*) FROM quotes q LEFT JOIN quote_speakers s ON s.quote_id = q.id"
                           " WHERE q.speaker_entity_id IS NOT NULL AND s.quote_id IS NULL").fetchone()[0]
    assert unmapped == 0


def test_lookup_by_name_spelling_and_id(con):
    luk = identity.find_speakers(con, "lukashenko")
    assert len(luk) == 1
    assert identity.find_speakers(con, "Alexander Lukashenko") == luk
    assert identity.find_speakers(con, luk[0]["id"][:8]) == luk
    with pytest.raises(identity.AmbiguousSpeaker) as err:
        identity.speaker_statements(con, "smith")
    assert "John Smith" in str(err.value) and "Mary Smith" in str(err.value)
    with pytest.raises(identity.SpeakerNotFound):
        identity.speaker_statements(con, "Nobody Atall")


def test_statements_point_at_their_article_text(con):
    speaker, rows = identity.speaker_statements(con, "Lukashenko")
    assert len(rows) == speaker["n_statements"] == 6
    for row in rows:
        text = con.execute("SELECT text FROM articles WHERE id = ?", [row["article_id"]]).fetchone()[0]
        assert text[row["content_start"]:row["content_end"]] == row["content_text"]


def dump(db) -> dict:
    c = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(c.execute(f"SELECT * EXCLUDE (n_mentioned) FROM {t}" if t == "speakers"
                                    else f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("speakers", "speaker_aliases", "speaker_roles", "speaker_entities", "quote_speakers")}
    finally:
        c.close()


def test_update_is_idempotent(ledger, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(ledger, copy)
    before = dump(copy)
    con = duckdb.connect(str(copy))
    identity.update(con)
    con.close()
    assert dump(copy) == before


def test_ids_survive_more_articles_and_redirect_when_a_full_name_arrives(tmp_path, nlp_extractor, ledger):
    db = tmp_path / "grown.duckdb"
    _ingest(["luk3.txt", "luk4.txt", "smith1.txt"], db, nlp_extractor)
    con = duckdb.connect(str(db))
    (bare,) = [r for r in identity.list_speakers(con) if r["name"] == "Lukashenko"]
    john = identity.find_speakers(con, "John Smith")[0]["id"]
    con.close()
    assert bare["single_name"]
    counts = _ingest([f for f in ALL if f not in ("luk3.txt", "luk4.txt", "smith1.txt")], db, nlp_extractor)
    assert counts["redirects"] == 1
    con = duckdb.connect(str(db))
    assert identity.find_speakers(con, "John Smith")[0]["id"] == john  # Mary Smith's arrival changes nothing
    speaker, rows = identity.speaker_statements(con, bare["id"])  # the old id still finds him
    assert speaker["name"].endswith("Lukashenko") and not speaker["single_name"] and len(rows) == 6
    con.close()
    assert dump(db) == dump(ledger)  # same articles, other ingest order: same speakers and ids


# -- CLI --------------------------------------------------------------------------------------


@pytest.fixture
def cli():
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        pass

    speakers_cli.register(app)
    logger = logging.getLogger("newsledger")
    level, handlers = logger.level, list(logger.handlers)
    yield lambda *args: CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    logger.setLevel(level)
    logger.handlers[:] = handlers


def test_cli_speakers(cli, ledger):
    table = cli("speakers", "--db", str(ledger))
    assert table.exit_code == 0, table.output
    assert "Lukashenko" in table.output and "Mary Smith" in table.output
    rows = [json.loads(line) for line in cli("speakers", "--db", str(ledger), "-f", "jsonl", "-n", "1").output.splitlines()]
    assert len(rows) == 1 and rows[0]["n_statements"] == 6 and rows[0]["aliases"]


def test_cli_speaker(cli, ledger):
    shown = cli("speaker", "aleksandr lukashenko", "--db", str(ledger))
    assert shown.exit_code == 0, shown.output
    assert "6 statements in 4 articles" in shown.output and "Every factory" in shown.output
    rows = [json.loads(line) for line in cli("speaker", "Lukashenko", "--db", str(ledger), "-f", "json").output.splitlines()]
    assert len(rows) == 6 and all({"date", "outlet", "kind", "content_text", "article_id", "url",
                                   "content_start", "content_end"} <= set(r) for r in rows)
    ambiguous = cli("speaker", "smith", "--db", str(ledger))
    assert ambiguous.exit_code == 2 and "matches 3 speakers" in ambiguous.output
