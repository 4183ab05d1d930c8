"""Within-article coreference by rules over the parse.

No offline coreference model is packaged on PyPI, so pronouns and
descriptions are linked to the article's canonical entities (nlp/entities.py)
by rules, in one left-to-right pass:

1. every entity gets a profile: a gender from honorifics ("Mr.", "Mrs."),
   gendered role nouns ("spokeswoman"), given names (lexicons/gender.tsv) and
   the pronouns used in sentences where it is the only person named; an age
   from "X, 58," or "the 58-year-old X";
2. "he"/"she" and their forms link to the person of agreeing (or unknown)
   gender mentioned in the last few sentences, preferring the nearer
   sentence, then main-clause subjects, then other subjects ("Carter praised the plan. ... he said": Carter); an
   object pronoun never links to its own clause's subject;
   names inside quotation marks are never antecedents ("He added," after a
   quote that named Harris, is still the person quoted);
3. "it", "its", "they", "their", "them" link to the last organisation named
   nearby, when there is one;
4. a definite description links to the last entity it describes: "the
   minister"/"the Ukrainian President" to a person whose role has those
   words; "the 58-year-old" to the person of that age; "the company", "the
   agency" to the last organisation.

5. a capitalised word outside every mention (or a one-word place or
   organisation mention) that is the surname of a person named in full
   before it is that person ("West" after "Kanye West"): ``Coref.surnames``.

Anything else stays unlinked: a pronoun with no agreeing antecedent is left
null rather than guessed. ``resolve`` returns a ``Coref``: the links (char
offset of the pronoun or the description's head noun -> entity index) and each
entity's gender, kept in ``doc._.nl_coref``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from newsledger.nlp import lexicons
from newsledger.nlp.quotes.marks import find_quotes
from newsledger.records import Entity

PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}
ORG_PRONOUNS = {"it", "its", "they", "them", "their"}
OBJECT_DEPS = ("dobj", "pobj", "dative", "iobj")
# Nouns that, after "the", stand for the last organisation named.
ORG_NOUNS = {
    "company", "firm", "group", "organisation", "organization", "agency", "ministry", "party",
    "bank", "council", "committee", "commission", "department", "union", "campaign", "network",
    "website", "publication", "newspaper", "institute", "university", "court", "board", "office",
    "administration", "authority", "service", "centre", "center", "foundation", "association",
}
# How far back an antecedent may be, in sentences. News paragraphs are one or
# two sentences, and a pronoun rarely reaches past the previous paragraph or two.
MAX_SENTENCES_BACK = 4
# Ages a number apposition may give ("Smith, 58,"): outside this it is not an age.
AGES = range(16, 111)
YEAR_OLD = re.compile(r"^(\d{1,3})-year-old$")


@dataclass
class Coref:
    links: dict[int, int]  # char offset of a pronoun or description head -> entity index
    genders: list[str | None]  # per entity: "m", "f" or None (unknown, or not a person)
    # char offset of a surname the model did not tag ("West" after "Kanye West") -> entity index
    surnames: dict[int, int] = field(default_factory=dict)
    # char offset of a linked he/she -> (char offset of its antecedent mention, its salience)
    antecedents: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Profile:
    gender: str | None = None
    age: int | None = None
    votes: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _gender_words() -> dict[str, str]:
    out = {}
    for line in lexicons.words("gender.tsv"):
        word, _, gender = line.partition("\t")
        out[word] = gender
    return out


def resolve(doc, entities: list[Entity]) -> Coref:
    """Link the article's pronouns and descriptions to its entities."""
    owner = _token_owner(doc, entities)
    surnames = _untagged_surnames(doc, entities, owner)
    owner.update(surnames)
    profiles = _profiles(doc, entities, owner)
    antecedents: dict[int, tuple[int, int]] = {}
    links = _links(doc, entities, owner, profiles, antecedents)
    return Coref(links, [p.gender for p in profiles], {doc[i].idx: n for i, n in surnames.items()}, antecedents)


def link(doc, entities: list[Entity]) -> dict[int, int]:
    """Char offset of each linked pronoun or description head -> entity index."""
    return resolve(doc, entities).links


def _links(doc, entities, owner, profiles, antecedents) -> dict[int, int]:
    quoted = [(q.open, q.close) for q in find_quotes(doc.text) if q.depth == 0]
    history: list[tuple[int, int]] = []  # (token index, entity) of mentions so far
    links: dict[int, int] = {}
    for tok in doc:
        if any(o <= tok.idx < c for o, c in quoted):
            # inside a quotation: "He added" after Biden's quote is not someone Biden named
            ent = None if tok.i in owner else _resolve(tok, history, entities, profiles, antecedents)
            if ent is not None:
                links[tok.idx] = ent
            continue
        if tok.i in owner:
            if not history or history[-1][1] != owner[tok.i] or history[-1][0] < tok.i - 1:
                history.append((tok.i, owner[tok.i]))
            continue
        ent = _resolve(tok, history, entities, profiles, antecedents)
        if ent is not None:
            links[tok.idx] = ent
            history.append((tok.i, ent))
    return links


def _token_owner(doc, entities: list[Entity]) -> dict[int, int]:
    """Token index -> entity for every token inside an entity mention."""
    starts = [t.idx for t in doc]
    owner: dict[int, int] = {}
    for n, e in enumerate(entities):
        for m in e.mentions:
            i = bisect_left(starts, m.start)
            while i < len(doc) and starts[i] < m.end:
                owner[i] = n
                i += 1
    return owner


def _untagged_surnames(doc, entities: list[Entity], owner: dict[int, int]) -> dict[int, int]:
    """Token index -> person for a capitalised word outside every entity mention
    that is the surname of a person named in full before it ("Kanye West ...
    West said", the model having missed the second "West"; or tagged it a
    place or organisation). When two people
    named before share the surname, the one named first: news introduces the
    person it goes on calling by surname first, and names the other in full."""
    firsts: dict[str, list[tuple[int, int]]] = {}  # surname -> (char offset of first full mention, entity)
    for n, e in enumerate(entities):
        words = e.name.split() if e.type == "PERSON" and e.name else []
        full = [m.start for m in e.mentions if len(words) > 1 and m.end - m.start >= len(e.name)]
        if full:
            firsts.setdefault(words[-1], []).append((min(full), n))
    if not firsts:
        return {}
    out: dict[int, int] = {}
    for tok in doc:
        if tok.text not in firsts or tok.pos_ != "PROPN" or not _retaggable(tok, owner, entities):
            continue
        before = [(at, n) for at, n in firsts[tok.text] if at < tok.idx]
        if before:
            out[tok.i] = min(before)[1]
    return out


def _retaggable(tok, owner: dict[int, int], entities: list[Entity]) -> bool:
    """Outside every mention, or a one-word non-person entity with the
    surname's text (the model's "Trump" tagged ORG after "Donald Trump")."""
    if tok.i not in owner:
        return True
    e = entities[owner[tok.i]]
    return e.type != "PERSON" and e.name == tok.text


def _resolve(tok, history, entities, profiles, antecedents) -> int | None:
    word = tok.lower_
    if word in PRONOUN_GENDER and tok.pos_ == "PRON":
        return _person_antecedent(tok, PRONOUN_GENDER[word], history, entities, profiles, antecedents)
    if word in ORG_PRONOUNS and tok.pos_ == "PRON":
        return _last(tok, history, entities, lambda e: e.type == "ORG")
    age = _described_age(tok)
    if age is not None:
        return _last_in_article(history, lambda n: entities[n].type == "PERSON" and profiles[n].age == age)
    if tok.pos_ in ("NOUN", "PROPN") and any(c.lower_ == "the" and c.dep_ == "det" for c in tok.children):
        return _description(tok, history, entities)
    return None


def _person_antecedent(tok, gender, history, entities, profiles, antecedents) -> int | None:
    doc = tok.doc
    sents = _sentence_starts(doc)
    here = sents.get(tok.sent.start, 0)
    bound = _clause_subject(tok) if tok.dep_ in OBJECT_DEPS else None
    best, best_key = None, None
    for pos, ent in reversed(history):
        e = entities[ent]
        gap = here - sents.get(doc[pos].sent.start, 0)
        if gap > MAX_SENTENCES_BACK:
            break
        if e.type != "PERSON" or profiles[ent].gender not in (None, gender):
            continue
        if bound is not None and bound.i == pos:
            continue
        key = (gap, _salience(doc, pos))
        if best_key is None or key < best_key:
            best, best_key, best_pos = ent, key, pos
    if best is not None:
        antecedents[tok.idx] = (doc[best_pos].idx, best_key[1])
    return best


def _salience(doc, pos: int) -> int:
    """0 for the subject of a sentence's main verb, 1 for another subject, 2
    for any other mention (lower is preferred as an antecedent)."""
    t = doc[pos]
    for _ in range(4):
        if t.dep_ in ("nsubj", "nsubjpass"):
            main = t.head.dep_ == "ROOT" or (t.head.dep_ == "conj" and t.head.head.dep_ == "ROOT")
            return 0 if main else 1
        if t.dep_ not in ("compound", "flat", "appos") or t.head is t:
            return 2
        t = t.head
    return 2


def _clause_subject(tok):
    for child in tok.head.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _sentence_starts(doc) -> dict[int, int]:
    cache = doc.user_data.get("nl_sent_index")
    if cache is None:
        cache = {s.start: n for n, s in enumerate(doc.sents)}
        doc.user_data["nl_sent_index"] = cache
    return cache


def _last(tok, history, entities, ok) -> int | None:
    doc = tok.doc
    sents = _sentence_starts(doc)
    here = sents.get(tok.sent.start, 0)
    for pos, ent in reversed(history):
        if here - sents.get(doc[pos].sent.start, 0) > MAX_SENTENCES_BACK:
            return None
        if ok(entities[ent]):
            return ent
    return None


def _description(tok, history, entities) -> int | None:
    """ "the minister", "the Ukrainian President", "the company"."""
    word = tok.lower_
    if any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in tok.children):
        return None  # "the Biden campaign" is named by its modifier, not a description
    if word in ORG_NOUNS:
        # "the commission" after "the European Commission", however far back;
        # else the last organisation named nearby
        named = _last_in_article(history, lambda n: entities[n].type == "ORG" and word in entities[n].name.lower().split())
        return named if named is not None else _last(tok, history, entities, lambda e: e.type == "ORG")
    if word not in lexicons.words("titles.txt"):
        return None
    modifiers = [c for c in tok.children if c.i < tok.i and c.dep_ in ("amod", "compound")]
    wanted = {word} | {m.lower_ for m in modifiers if m.pos_ in ("ADJ", "PROPN", "NOUN")}
    return _last_in_article(
        history, lambda n: entities[n].type == "PERSON" and entities[n].role and wanted <= set(entities[n].role.lower().split())
    )


def _described_age(tok) -> int | None:
    """58 for "the 58-year-old", tokenised as one word or as "58 - year - old"."""
    doc, i = tok.doc, tok.i
    found = YEAR_OLD.match(tok.lower_)
    if found and i > 0 and doc[i - 1].lower_ == "the":
        return int(found.group(1))
    if tok.lower_ == "old" and i >= 5 and doc[i - 5].lower_ == "the" and doc[i - 2].lower_ == "year":
        if doc[i - 4].text.isdigit() and doc[i - 3].text == "-" and doc[i - 1].text == "-":
            return int(doc[i - 4].text)
    return None


def _last_in_article(history, ok) -> int | None:
    for _, ent in reversed(history):
        if ok(ent):
            return ent
    return None


def _profiles(doc, entities: list[Entity], owner: dict[int, int]) -> list[Profile]:
    profiles = [Profile() for _ in entities]
    words = _gender_words()
    for n, e in enumerate(entities):
        if e.type != "PERSON":
            continue
        first = e.name.split()[0].lower() if e.name else ""
        _vote(profiles[n], words.get(first), 2)
        for w in (e.role or "").lower().split():
            _vote(profiles[n], words.get(w), 2)
    for i, ent in owner.items():
        if entities[ent].type != "PERSON" or (i > 0 and owner.get(i - 1) == ent):
            continue
        if i > 0:
            _vote(profiles[ent], words.get(doc[i - 1].lower_), 3)  # "Mr. Clarke"
        _age_from_apposition(doc, i, owner, profiles[ent])
    _pronoun_votes(doc, entities, owner, profiles)
    for p in profiles:
        if p.votes:
            ranked = sorted(p.votes.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                p.gender = ranked[0][0]
    return profiles


def _vote(profile: Profile, gender: str | None, weight: int) -> None:
    if gender:
        profile.votes[gender] = profile.votes.get(gender, 0) + weight


def _age_from_apposition(doc, i: int, owner, profile: Profile) -> None:
    """ "Smith, 58," after the name, or "58-year-old Smith" before it."""
    j = i
    while j + 1 < len(doc) and owner.get(j + 1) == owner[i]:
        j += 1
    if j + 3 < len(doc) and doc[j + 1].text == "," and doc[j + 2].like_num and doc[j + 3].text in (",", "."):
        if doc[j + 2].text.isdigit() and int(doc[j + 2].text) in AGES:
            profile.age = int(doc[j + 2].text)
    before = doc[max(0, i - 5) : i].text.replace(" ", "")
    found = re.search(r"(\d{1,3})-year-old$", before)
    if found and int(found.group(1)) in AGES:
        profile.age = int(found.group(1))


def _pronoun_votes(doc, entities, owner, profiles) -> None:
    """In a sentence naming exactly one person, the gendered pronouns after the
    name are most likely that person's."""
    for sent in doc.sents:
        people = {owner[t.i] for t in sent if t.i in owner and entities[owner[t.i]].type == "PERSON"}
        if len(people) != 1:
            continue
        (ent,) = people
        first = min(t.i for t in sent if owner.get(t.i) == ent)
        for t in sent:
            if t.i > first and t.pos_ == "PRON" and t.lower_ in PRONOUN_GENDER:
                _vote(profiles[ent], PRONOUN_GENDER[t.lower_], 1)
