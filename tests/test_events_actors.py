"""Actor resolution (newsledger/events/actors.py) on hand-written sentences,
the seed article's actors, and the PLOVER gold records' floor."""

from __future__ import annotations

import re

import pytest

from newsledger.events import actor_lexicon, actors

pytestmark = pytest.mark.slow


def _span(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    m = list(re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text))[occurrence]
    return m.start(), m.end()


def _resolve(nlp_extractor, text: str, phrase: str, occurrence: int = 0, **kw):
    doc = nlp_extractor.nlp(text)
    start, end = _span(text, phrase, occurrence)
    return doc, actors.resolve(doc, start, end, doc._.nl_entities, **kw)


# --- the seed article ----------------------------------------------------------

@pytest.fixture(scope="module")
def seed(nlp_extractor):
    from tests.test_seed_golden import seed_article

    text = seed_article().text
    return text, nlp_extractor.nlp(text)


@pytest.mark.parametrize("phrase,code,sector,name", [
    ("Self-proclaimed president of Belarus Alexander Lukashenko", "BLR", "GOV", "Alexander Lukashenko"),
    ("Russian troops", "RUS", "MIL", "Russian troops"),
    ("Ukraine", "UKR", None, "Ukraine"),
    ("the Ukrainian President, Volodymyr Zelensky", "UKR", "GOV", "Volodymyr Zelensky"),
    ("NATO", "IGO", None, "NATO"),
    ("these Western scoundrels", None, None, "Western scoundrels"),
    ("Russian units and troops", "RUS", "MIL", "Russian units and troops"),
    ("the Belarusian armed forces", "BLR", "MIL", "Belarusian armed forces"),
    ("Frankfurter Allgemeine Zeitung", None, "JRN", "Frankfurter Allgemeine Zeitung"),
])
def test_seed_actors(seed, phrase, code, sector, name):
    text, doc = seed
    start, end = _span(text, phrase)
    a = actors.resolve(doc, start, end, doc._.nl_entities)
    assert (a.code, a.sector, a.name) == (code, sector, name)
    assert (a.mention.start, a.mention.end) == (start, end)


def test_seed_regional_and_pronoun(seed):
    text, doc = seed
    ents = doc._.nl_entities
    start, end = _span(text, "these Western scoundrels")
    assert actors.is_regional(doc, start, end, ents)
    assert not actors.is_regional(doc, *_span(text, "Russian troops"), ents)
    # "He said this at a meeting": no code of its own; with its referent, Lukashenko's
    start, end = _span(text, "He")
    assert actors.resolve(doc, start, end, ents).code is None
    luka = next(i for i, e in enumerate(ents) if e.name == "Alexander Lukashenko")
    a = actors.resolve(doc, start, end, ents, entity=luka)
    assert (a.code, a.sector, a.name, a.entity) == ("BLR", "GOV", "Alexander Lukashenko", luka)


def test_seed_is_actor(seed):
    text, doc = seed
    ents = doc._.nl_entities
    for phrase in ("Russian troops", "NATO", "Belarus", "he"):
        assert actors.is_actor(doc, *_span(text, phrase), ents), phrase
    for phrase in ("the military situation", "a meeting", "a Russian permanent military base"):
        assert not actors.is_actor(doc, *_span(text, phrase), ents), phrase


# --- hand-written sentences ----------------------------------------------------

CASES = [
    # a possessive country; a person the lexicon knows
    ("Jordan's King Abdullah II met Israeli Prime Minister Benjamin Netanyahu in Amman.", "Jordan's King Abdullah II", "JOR", "GOV"),
    ("Jordan's King Abdullah II met Israeli Prime Minister Benjamin Netanyahu in Amman.", "Israeli Prime Minister Benjamin Netanyahu", "ISR", "GOV"),
    ("President Abdelaziz Bouteflika imposed a curfew.", "President Abdelaziz Bouteflika", "DZA", "GOV"),
    # near names are not misspellings of each other
    ("Iraq and Iran signed a border deal on Monday.", "Iraq", "IRQ", None),
    ("Iraq and Iran signed a border deal on Monday.", "Iran", "IRN", None),
    # a misspelt country is read
    ("Ethopia has agreed to re-open its borders.", "Ethopia", "ETH", None),
    # a description takes the sentence's one country
    ("Rebels attacked an army post in Darfur, Sudanese officials said.", "Rebels", "SDN", "REB"),
    # ... unless it says it is from elsewhere
    ("Foreign troops arrived in Kabul on Monday.", "Foreign troops", None, "MIL"),
    # an ethnic group is coded where it lives, not by its name
    ("Ethnic Albanians in southern Serbia demanded autonomy.", "Ethnic Albanians in southern Serbia", "SRB", "CVL"),
    # regional constructs are not countries
    ("The West imposed new sanctions on Russia.", "The West", None, None),
    # a capital stands for its government
    ("Tokyo protested on Friday.", "Tokyo", "JPN", "GOV"),
    # a city shared by two countries: the one the sentence names
    ("Police in Tripoli, Lebanon, arrested two men.", "Police in Tripoli", "LBN", "COP"),
    ("Police in Tripoli, Libya, arrested two men.", "Police in Tripoli", "LBY", "COP"),
    # former office holders are ELI
    ("Former president Boris Yeltsin criticised the plan.", "Former president Boris Yeltsin", "RUS", "ELI"),
    # armed groups, IGOs, NGOs
    ("Hamas gunmen fired rockets at Israel.", "Hamas gunmen", "PSE", "REB"),
    ("UN peacekeepers left the town.", "UN peacekeepers", "UNO", "MIL"),
    ("Human Rights Watch accused the army of torture.", "Human Rights Watch", "NGO", None),
    ("A human rights group said the vote was rigged.", "A human rights group", "NGO", "SOC"),
    ("Al-Qaeda claimed the attack.", "Al-Qaeda", "IMG", "REB"),
    # a dependency folds into its controlling state
    ("Puerto Rico's governor declared an emergency.", "Puerto Rico's governor", "USA", "GOV"),
    # a country word in a person's name is not a country
    ("Kanye West praised the album.", "Kanye West", None, None),
    # "pro-" and "anti-" name someone else's country
    ("Pro-Iranian militias attacked the base.", "Pro-Iranian militias", None, "REB"),
]


@pytest.mark.parametrize("text,phrase,code,sector", CASES)
def test_sentences(nlp_extractor, text, phrase, code, sector):
    _, a = _resolve(nlp_extractor, text, phrase)
    assert (a.code, a.sector) == (code, sector)


def test_year_picks_the_row(nlp_extractor):
    text = "Boris Yeltsin met the Taliban."
    assert _resolve(nlp_extractor, text, "Boris Yeltsin", year=1995)[1].sector == "GOV"
    assert _resolve(nlp_extractor, text, "Boris Yeltsin", year=2005)[1].sector == "ELI"
    assert _resolve(nlp_extractor, text, "Taliban", year=2010)[1].sector == "REB"
    assert _resolve(nlp_extractor, text, "Taliban", year=1998)[1].sector == "GOV"
    assert _resolve(nlp_extractor, text, "Taliban")[1].code == "AFG"


def test_is_actor_and_bad_offsets(nlp_extractor):
    text = "The plan failed, but the rebels and the police agreed."
    doc = nlp_extractor.nlp(text)
    ents = doc._.nl_entities
    assert not actors.is_actor(doc, *_span(text, "The plan"), ents)
    assert actors.is_actor(doc, *_span(text, "the rebels"), ents)
    assert actors.is_actor(doc, *_span(text, "the police"), ents)
    with pytest.raises(ValueError, match="not inside the text"):
        actors.resolve(doc, 10, 500, ents)


def test_data_files_use_known_codes():
    import pycountry

    iso = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    for f in actor_lexicon.tsv("actors.tsv"):
        assert f[1] in iso | actor_lexicon.NON_STATE | {".", "-"}, f
        assert len(f) < 3 or f[2] == "." or f[2] in actor_lexicon.SECTOR_CODES, f
    for sector, role, _ in actor_lexicon.sectors().values():
        assert sector is None or sector in actor_lexicon.SECTOR_CODES
        assert role in ("head", "weak", "override")


# --- the PLOVER gold records -----------------------------------------------------

@pytest.mark.shared
def test_gsr_actor_floor(shared):
    """Issue 4's floor is 0.85 actor-country accuracy; measured 0.939 (sector
    0.752) when this test was written. About 10 s."""
    from newsledger.evaluation import event_sources, gsr_actors
    from newsledger.events import classify

    d = event_sources.events_dir(shared)
    gsr = event_sources.load_gsr(d / "plover_gsr" / "plover_gsr_normalized.jsonl")
    r = gsr_actors.evaluate(gsr, classify.parse([e.text for e in gsr]))
    assert r["n"] == 651
    assert r["country_accuracy"] >= 0.93, r
    assert r["sector_accuracy"] >= 0.74, r
