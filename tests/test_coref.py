"""Within-article coreference rules (nlp/coref.py) on hand-written sentences."""

from __future__ import annotations

import pytest

from newsledger.nlp.coref import link

FAR = " ".join(f"The river rose {n} inches." for n in range(1, 7))

CASES = [
    # gender agreement: "Carter praised ... He" / "She" -> the woman
    ("Mayor John Carter met Governor Lisa Park on Monday. Carter praised the plan. He said it would work. She disagreed.", "He", 0, "John Carter"),
    ("Mayor John Carter met Governor Lisa Park on Monday. Carter praised the plan. He said it would work. She disagreed.", "She", 0, "Lisa Park"),
    # an honorific gives the gender
    ("Mrs. Okafor met Mr. Haddad in Lagos. She said the talks went well.", "She", 0, "Okafor"),
    # an object pronoun is not its own clause's subject
    ("Peter Hall spoke to Tom Reed on Friday. Reed thanked him.", "him", 0, "Peter Hall"),
    # "the 62-year-old" -> the person of that age
    ("Mr. Clarke, 62, bought the mine in 2015. The 62-year-old told reporters it would reopen.", "old", 0, "Clarke"),
    # a title description -> the person holding that role
    ("Ukrainian President Volodymyr Zelensky met reporters in Kyiv. The Ukrainian President said the army was ready.", "President", 1, "Volodymyr Zelensky"),
    # "the commission" is the organisation with that word in its name, however far back
    (f"The European Commission fined Acme Corp on Monday. {FAR} The commission said it would appeal.", "commission", 0, "European Commission"),
    # no person named: null, not a guess
    ("The storm hit the coast on Monday. He said the damage was severe.", "He", 0, None),
    # the only person is too many sentences back
    (f"John Carter arrived on Monday. {FAR} He said the town was safe.", "He", 0, None),
]


@pytest.mark.parametrize("text,word,occurrence,expected", CASES)
def test_links(nlp_extractor, text, word, occurrence, expected):
    pos = [i for i in range(len(text)) if text.startswith(word, i)][occurrence]
    doc = nlp_extractor.nlp(text)
    entities = doc._.nl_entities
    ent = link(doc, entities).get(pos)
    assert (entities[ent].name if ent is not None else None) == expected


def test_a_surname_the_model_missed_is_the_person_named_in_full_first(nlp_extractor):
    from newsledger.nlp.coref import resolve
    from newsledger.records import Entity, Span

    text = "Rapper Kanye Weston met Jade Simmonds in Ohio. Weston praised Simmonds. Later, Weston said he was tired."
    doc = nlp_extractor.nlp(text)
    at = lambda word, n=0: [i for i in range(len(text)) if text.startswith(word, i)][n]
    # only the full names are entity mentions, as when the model misses the surnames
    entities = [
        Entity(name="Kanye Weston", type="PERSON", mentions=[Span(at("Kanye Weston"), at("Kanye Weston") + 12)]),
        Entity(name="Jade Simmonds", type="PERSON", mentions=[Span(at("Jade Simmonds"), at("Jade Simmonds") + 13)]),
    ]
    coref = resolve(doc, entities)
    assert coref.surnames.get(at("Weston", 1)) == 0 and coref.surnames.get(at("Weston", 2)) == 0
    assert coref.surnames.get(at("Simmonds", 1)) == 1
    assert coref.links.get(at("he")) == 0  # the subject, not the object named last


def test_two_people_with_one_surname_the_first_named_keeps_it(nlp_extractor):
    from newsledger.nlp.coref import resolve
    from newsledger.records import Entity, Span

    text = "Donald Harte spoke in Ohio. Later, Mary Harte released a book. Harte denied it."
    doc = nlp_extractor.nlp(text)
    at = lambda word: text.index(word)
    entities = [
        Entity(name="Donald Harte", type="PERSON", mentions=[Span(at("Donald Harte"), at("Donald Harte") + 12)]),
        Entity(name="Mary Harte", type="PERSON", mentions=[Span(at("Mary Harte"), at("Mary Harte") + 10)]),
    ]
    assert resolve(doc, entities).surnames.get(at("Harte denied")) == 0
