"""Actor resolution (issue 4): an actor mention becomes ``Actor(name, code, sector, mention, entity)``.

``code`` is a country (ISO 3166 alpha-3) or a PLOVER non-state code (IGO,
UNO, EUR, NGO, IMG); ``sector`` a PLOVER sector (GOV, MIL, REB, ...). Either
stays None when the text and the lexicons (``actor_lexicon.py``) do not say.
The mention's **core** is its head and what describes the head itself
(modifiers, possessives, "of" phrases, appositions); other prepositional
phrases ("ethnic Albanians *in Serbia*") are its **periphery**.

The code is the first of:

1. a name at the head: a lexicon actor, country or city ("Kofi Annan" UNO,
   "Ukraine", "Tokyo" JPN), else the linked entity's name in the lexicon
   (full name; surname with first name; surname alone, which for a common
   surname needs an office title: "Jackson said" is nobody in particular);
2. a name in the core, left to right, places last ("Jordan's King Abdullah
   II" JOR, "Russian troops" RUS, "president of Belarus ..." BLR);
3. the linked entity's code, or a country in a person's role;
4. a place in the periphery ("ethnic Albanians in Serbia" SRB);
5. the head noun's fallback code ("human rights group" NGO);
6. the sentence's one country (SENTENCE_FALLBACK), for a description
   ("rebels", "police", "ethnic Albanians"), an organisation or a person with
   an office title the lexicons do not know; not when the mention says it
   is from elsewhere ("foreign troops"), and a country named as the event's
   target ("entered Ukraine", "gas to Ukraine") does not count.

A country word after "ethnic", "pro-" or "anti-" is not the actor's. A
regional construct ("the West", "Western", "Arab states") gives None and
stops steps 3-6: PLOVER does not code them as countries. Dependencies fold
into their controlling state, partially recognised entities into the state
that claims them. A city name shared by countries reads as the one the
sentence names, else the capital, else the most populous; misspellings one
edit from one known name are read ("Ethopia").

The sector is the first of: an override modifier ("*rebel* soldiers" REB,
"*police* chief" COP), unless the head is a GOV noun ("police minister");
the head noun (``data/sectors.tsv``: "troops" MIL); an office title before a
name ("General Michel Aoun" MIL); the named actor's lexicon sector; a
sector word among the modifiers ("*opposition* coalition" OPP, but
"government forces" stay MIL); a named organisation in the core ("Hamas
leader" REB); the person's role; a generic head's default ("officials"
GOV); JRN for a news outlet's name; for a mention that is only a place or a
people, a capital as subject or object GOV, another city CVL (the PLOVER
gold records' convention), a nationality or ethnic group in the plural
CVL. "former", "ousted" and the like, in the mention or the person's role,
turn GOV, MIL, LEG, JUD, COP and SPY into ELI; so does an article ``year``
after a dated lexicon row ends.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from newsledger.events import actor_lexicon as lex
from newsledger.events.candidates import sentence_of, text_of
from newsledger.events.actor_lexicon import ELI_SECTORS, NON_STATE, SECTOR_CODES, Row, choose, fold, fold_code, scan, sectors
from newsledger.records import Actor, Entity, Span

# Step 6 of the code rules: a mention with no code of its own takes the
# sentence's one country. The PLOVER gold records say their coders inferred
# codes from the sentence's place in some cases; on their 651 actors step 6
# gives 27 more right codes and 1 more wrong one. False turns it off.
SENTENCE_FALLBACK = True
# ... for an organisation, or a person with an office title, the lexicons do
# not know too (8 of those 27, and the 1 wrong). Never for an untitled
# person: "Hollande met Merkel in Berlin" makes no German of Hollande.
SENTENCE_FALLBACK_NAMES = True
PERIPHERY_PLACE_PREPS = {"in", "from", "at", "inside", "within", "across", "near", "throughout"}
DETERMINERS = {"the", "a", "an", "these", "those", "this", "that", "some", "many", "several", "all", "both", "its", "their", "his", "her"}
PRONOUNS = {"he", "she", "they", "we", "i", "you", "him", "them", "us", "me", "who", "whom"}
# Words that say a description's actor comes from elsewhere: no sentence fallback.
NOT_LOCAL = {"foreign", "international", "multinational", "overseas", "allied", "coalition", "external", "outside",
             "regional", "visiting", "exiled", "expatriate", "expat", "migrant", "immigrant"}
# A country word after these is not the actor's country: "ethnic Albanians",
# "pro-Iranian", "anti-Syria".
NOT_OWN_MARKERS = {"ethnic", "pro", "anti"}
# Prepositions whose object is the event's target, not the actor's home.
TARGET_PREPS = {"to", "into", "against", "toward", "towards", "onto", "with", "on", "over"}
# A representative's "for" phrase names whom they speak for ("a spokesman for the Pentagon").
REPRESENTATIVE_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "representative", "delegate", "lawyer",
                        "attorney", "adviser", "advisor", "aide", "envoy"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "madam", "mister"}


# --- resolution --------------------------------------------------------------

@dataclass
class _Name:
    """A name found in the mention: its rows' reading and where it sits."""

    code: Optional[str]
    sector: Optional[str]
    kind: str
    tokens: list  # the doc tokens it covers
    core: bool
    prep: Optional[str]  # the preposition it hangs from, when in the periphery
    marked: Optional[str] = None  # "ethnic", "pro", "anti": not the actor's own country


def _clean_tokens(span) -> list:
    toks = list(span)
    while toks and (toks[0].lower_ in DETERMINERS or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].text in ("'s", "’s")):
        toks = toks[:-1]
    return toks or list(span)


def _attachment(tok, root, inside: set) -> tuple[bool, Optional[str]]:
    """(is the token in the core, the preposition it hangs from otherwise)."""
    t = tok
    while t.i != root.i and t.i in inside and t.head.i != t.i:
        if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ != "of" and not (
                t.head.lower_ == "for" and t.head.head.lemma_.lower() in REPRESENTATIVE_NOUNS):
            return False, t.head.lower_
        if t.dep_ in ("relcl", "acl", "advcl"):
            return False, None
        t = t.head
    return True, None


def _place_row(rows: list, tok, context: Optional[set]) -> Optional[Row]:
    """The reading of a place name: big enough (or tagged a place by spaCy),
    the country the sentence names if one reading has it, else the first."""
    tagged = tok.ent_type_ in ("GPE", "LOC")
    rows = [r for r in rows if r.kind == "capital" or r.population >= lex.CITY_MIN_POPULATION or tagged]
    if context:
        rows = [r for r in rows if r.code in context] or rows
    return rows[0] if rows else None


def _names(doc, toks, root, year, person_ranges, context: Optional[set] = None) -> list[_Name]:
    """Names in the tokens; ``root`` None skips the core/periphery test."""
    if not toks:
        return []
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    inside = {t.i for t in toks}
    out = []
    for h in scan(text_of(doc)[start:end], places=True, fuzzy=True):
        a, b = start + h.start, start + h.end
        covered = [t for t in toks if t.idx < b and a < t.idx + len(t.text)]
        if not covered or (h.fuzzy and covered[0].ent_type_ == "PERSON" and h.rows[0].kind != "named"):
            continue  # a person's name is not a misspelt country
        if h.rows[0].kind in ("place", "capital"):
            if covered[0].ent_type_ in ("PERSON", "NORP") or covered[0].pos_ != "PROPN":
                continue  # a city's name that is a person's ("Jackson") or a word
            row = _place_row(h.rows, covered[0], context)
            if row is None:
                continue
            code, sector, kind = row.code, None, row.kind
        else:
            code, sector, kind = choose(h.rows, year)
        if kind != "named" and any(s <= a and b <= e for s, e in person_ranges):
            continue  # "Jordan" in "Jordan Bardella", "West" in "Kanye West"
        core, prep = _attachment(covered[0], root, inside) if root is not None else (False, None)
        out.append(_Name(fold_code(code), sector, kind, covered, core, prep, _marker_before(doc, a)))
    return out


def _marker_before(doc, char: int) -> Optional[str]:
    """"ethnic", "pro" or "anti" just before a name ("pro-Iranian"), else None."""
    folded = fold(text_of(doc)[max(0, char - 8) : char]).lower().split()
    return folded[-1] if folded and folded[-1] in NOT_OWN_MARKERS else None


def _sentence_codes(doc, start: int, end: int, entities: Sequence[Entity], year, person_ranges,
                    places: bool = True, targets: bool = False) -> set:
    """Countries the mention's sentence names outside the mention: entity
    codes and names in its words (countries, demonyms, agencies, and with
    ``places`` cities), leaving out names the event goes to unless ``targets``."""
    sent = sentence_of(doc.char_span(start, end, alignment_mode="expand")[0])
    codes = set()
    for e in entities:
        if e.type in ("GPE", "NORP") and e.code:
            for m in e.mentions:
                if sent.start_char <= m.start and m.end <= sent.end_char and not (m.start < end and start < m.end):
                    if _marker_before(doc, m.start) is None and (targets or not _is_target(doc, m.start)):
                        codes.add(fold_code(e.code))
    for a, b, code, kind, target in _sentence_names(doc, sent, year, tuple(person_ranges)):
        if not (a < end and start < b) and (places or kind not in ("place", "capital")) and (targets or not target):
            codes.add(code)
    return {c for c in codes if c not in NON_STATE}


def _sentence_names(doc, sent, year, person_ranges: tuple) -> list[tuple]:
    """(start, end, code, kind, is_target) of the country-giving names of a
    sentence, cached on the Doc: every mention of the sentence asks for them."""
    cache = doc.user_data.setdefault("newsledger.actors.sentences", {})
    key = (sent.start, year, person_ranges)
    if key not in cache:
        cache[key] = [(n.tokens[0].idx, n.tokens[-1].idx + len(n.tokens[-1].text), n.code, n.kind, _is_target(doc, n.tokens[0].idx))
                      for n in _names(doc, list(sent), None, year, list(person_ranges))
                      if n.code and not n.marked and n.kind != "region"]
    return cache[key]


def _is_target(doc, char: int) -> bool:
    """A country named as what the sentence's event goes to ("entered
    Ukraine", "gas to Ukraine"): not where the actor is from. A country word
    describing the object ("attacked Kenyan police", "Algeria's elections")
    still says where the event happens, and counts."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    t = span[0] if span is not None and len(span) else None
    while t is not None and t.dep_ in ("compound", "flat") and t.head.i != t.i:
        t = t.head  # the head word of "the United States"
    if t is None:
        return False
    return t.dep_ in ("dobj", "dative") or (t.dep_ == "pobj" and t.head.lower_ in TARGET_PREPS)


def _linked(toks, root, entities: Sequence[Entity]) -> Optional[int]:
    """The entity whose mention covers the mention's head (a person before a
    place); else, under a title head ("president of Belarus Alexander
    Lukashenko"), the one person named in the core, not as a possessive."""
    a, b = root.idx, root.idx + len(root.text)
    hits = [i for i, e in enumerate(entities) if any(m.start < b and a < m.end for m in e.mentions)]
    order = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3}
    if hits:
        return min(hits, key=lambda i: order.get(entities[i].type, 4))
    if _head_sector(toks, root) is None and root.lower_ not in _titles():
        return None
    inside = {t.i for t in toks}
    people = set()
    for t in toks:
        if t.ent_type_ == "PERSON" and t.dep_ != "poss" and _attachment(t, root, inside)[0]:
            people |= {i for i, e in enumerate(entities) if e.type == "PERSON" and any(m.start <= t.idx < m.end for m in e.mentions)}
    return people.pop() if len(people) == 1 else None


@lru_cache(maxsize=1)
def _outlets() -> frozenset:
    from newsledger.nlp import lexicons

    return lexicons.words("outlets.txt")


def _is_title(tok) -> bool:
    """An office title ("President", "Gen.", "minister"); not "Mr" or "Dr"."""
    if tok.lower_.rstrip(".") in HONORIFICS:
        return False
    entry = _word_sector(tok)
    return tok.lower_ in _titles() or f"{tok.lower_}." in _titles() or bool(entry and entry[0] and entry[1] == "head")


@lru_cache(maxsize=1)
def _titles() -> frozenset:
    from newsledger.nlp import lexicons

    return lexicons.words("titles.txt")


def _entity_reading(e: Entity, year, titled: bool = False) -> tuple[Optional[str], Optional[str]]:
    """Code and sector of an entity by its name in the lexicon; a person also
    by surname and first name, or by surname alone ("Putin said"), which for
    a common surname (data/common_surnames.tsv: "Jackson said", "Brown") needs
    an office title in the text (``titled``: "Prime Minister Brown")."""
    exact, lower, _ = lex.index()
    name = lex.key(e.name)
    rows = exact.get(name) or lower.get(name.lower()) or (lex.misspelt(name, {}) if " " in name else None)
    if not rows and e.type == "PERSON" and (" " in name or titled or name not in lex.common_surnames()):
        rows = lex.by_surname(name.split())
    if rows:
        code, sector, kind = choose(rows, year)
        if kind != "region":
            return fold_code(code), sector
    return None, None


def _role_reading(role: str, year) -> tuple[Optional[str], Optional[str]]:
    code = None
    for h in scan(role):
        c, _, kind = choose(h.rows, year)
        if kind != "region" and c:
            code = fold_code(c)
            break
    sector = None
    table = sectors()
    for w in role.lower().replace("-", " ").split():
        s = table.get(w) or table.get(w.rstrip("s"))
        if s and s[0] and s[1] != "weak":
            sector = s[0]
            break
    return code, sector


def _word_sector(tok) -> Optional[tuple]:
    table = sectors()
    return table.get(tok.lemma_.lower()) or table.get(tok.lower_)


def _head_sector(toks, root) -> Optional[tuple]:
    """The root's sector entry, trying "human rights group", "rights group", "group"."""
    table = sectors()
    before = [t for t in toks if t.i <= root.i][-3:]
    for n in range(len(before), 0, -1):
        words = before[-n:]
        if words[-1].i != root.i:
            continue
        for form in (" ".join(t.lemma_.lower() for t in words), " ".join(t.lower_ for t in words)):
            if form in table:
                return table[form]
    return None


def _outer_head(root, toks):
    """The noun a modifier-only mention describes ("Hungarian" in "Hungarian officials")."""
    inside = {t.i for t in toks}
    t = root
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.dep_ in ("amod", "compound", "nmod", "poss", "nummod") and t.head.i not in inside and t.head.pos_ in ("NOUN", "PROPN"):
        return t.head
    return None


def _code(toks, root, names, ent, reading, titled: bool, context: set, year) -> tuple[Optional[str], bool]:
    """(code, regional): the numbered rules of the module docstring."""
    regional = ethnic = False
    for n in names:  # 1. a name covering the head
        if root in n.tokens:
            if n.kind == "region":
                regional = True
            elif n.marked:
                ethnic = True  # "ethnic Albanians": an ethnicity, not Albania
            elif n.code:
                return n.code, False
    if ent is not None and not ethnic and reading[0]:
        return reading[0], False
    for kinds in (("named", "country", "region"), ("place", "capital")):  # 2. names in the core
        for n in names:
            if not n.core or n.kind not in kinds or n.marked:
                continue
            if n.kind == "region":
                regional = True
            elif n.code:
                return n.code, False
    if regional:
        return None, True
    if ent is not None and not ethnic:  # 3. the linked entity and a person's role
        code = fold_code(ent.code) or (_role_reading(ent.role, year)[0] if ent.role else None)
        if code:
            return code, False
    for n in names:  # 4. a place in the periphery
        if not n.core and n.prep in PERIPHERY_PLACE_PREPS and n.code and n.kind != "region" and not n.marked:
            return n.code, False
    head = _head_sector(toks, root)  # 5. the head noun's fallback code
    if head and head[2]:
        return head[2], False
    # 6. the sentence's one country, for a description ("rebels", "officials",
    # "ethnic Albanians") or a name the lexicons do not know, unless it says
    # it is from elsewhere ("foreign troops")
    if head is None and root.pos_ == "ADJ":
        outer = _outer_head(root, toks)
        head = _word_sector(outer) if outer is not None and outer.pos_ == "NOUN" else None
    description = ethnic or (ent is None and root.pos_ in ("NOUN", "ADJ") and head is not None)
    if ent is not None and ent.type == "NORP" and not ent.code:
        description = True  # "Moslem fundamentalist", "Hutu": a group with no country of its own
    unknown_name = SENTENCE_FALLBACK_NAMES and ent is not None and (ent.type == "ORG" or (ent.type == "PERSON" and titled))
    if SENTENCE_FALLBACK and (description or unknown_name) and len(context) == 1 and not any(t.lower_ in NOT_LOCAL for t in toks if t.i != root.i):
        return next(iter(context)), False
    return None, False


def _sector(toks, root, names, ent, reading, year) -> Optional[str]:
    """The sector rules of the module docstring, in order."""
    inside = {x.i for x in toks}
    named_toks = {t.i for n in names for t in n.tokens}
    mods = [t for t in toks if t.i != root.i and t.i not in named_toks and _attachment(t, root, inside)[0]]
    entries = [e for e in (_word_sector(t) for t in mods) if e]
    role_words = ent.role.lower().replace("-", " ").split() if ent is not None and ent.role else []
    eli = any(e[0] == "ELI" for e in entries) or any((sectors().get(w) or (None,))[0] == "ELI" for w in role_words)
    head = _head_sector(toks, root)
    if head is None and root.pos_ in ("ADJ", "PROPN", "NOUN"):
        outer = _outer_head(root, toks)
        head = _word_sector(outer) if outer is not None else None
    strong = head if head and head[0] and head[1] in ("head", "override") else None
    override = next((e[0] for e in entries if e[1] == "override" and e[0] != "ELI" and e[0]), None)
    named = next((n.sector for n in names if root in n.tokens and n.kind == "named" and n.sector), None)
    title = next((e[0] for e in entries if e[1] == "head" and e[0]), None) if root.pos_ == "PROPN" else None
    sector = None
    if override and not (strong and strong[0] == "GOV"):
        sector = override  # "rebel soldiers", "police chief"; not "police minister"
    elif strong:
        sector = strong[0]  # "troops", "president"
    elif title:
        sector = title  # "President Bouteflika", "General Michel Aoun"
    elif named:
        sector = named
    elif reading[1]:
        sector = reading[1]
    if sector is None:  # a sector word among the modifiers: "opposition coalition", "military officials";
        # "government" does not turn "government forces" into GOV
        weak_default = head[0] if head else None
        sector = next((e[0] for e in entries if e[1] == "head" and e[0] and not (e[0] == "GOV" and weak_default)), None)
    if sector is None:  # a named organisation in the core: "Hamas leader"
        sector = next((n.sector for n in names if n.core and n.kind == "named" and n.sector and root not in n.tokens), None)
    if sector is None and role_words:
        sector = _role_reading(ent.role, year)[1]
    if sector is None and head and head[0]:
        sector = head[0]  # a weak head's default: "officials" GOV
    if sector is None and ent is not None and ent.type == "ORG" and not named_toks and set(ent.name.split()) & _outlets():
        sector = "JRN"  # "Frankfurter Allgemeine Zeitung": a news outlet
    if sector is None:
        sector = _place_sector(toks, root, names)
    if eli and sector in ELI_SECTORS:
        sector = "ELI"
    return sector if sector in SECTOR_CODES or sector is None else None


def _place_sector(toks, root, names) -> Optional[str]:
    """A mention that is only a place or a people: a capital as subject or
    object is GOV, another city CVL (the PLOVER gold records' convention); a
    nationality or ethnic group in the plural ("Palestinians", "ethnic
    Albanians", "Iraqi Kurds") is CVL; a partially recognised entity PRE."""
    at_root = next((n for n in names if root in n.tokens), None)
    if at_root is None:
        return "CVL" if root.ent_type_ == "NORP" and root.tag_ in ("NNS", "NNPS") else None
    if at_root.kind in ("country", "named") and root.tag_ in ("NNS", "NNPS"):
        return "CVL"
    if len(toks) != len(at_root.tokens):
        return None
    if at_root.kind == "capital":
        return "GOV" if root.dep_ in ("nsubj", "nsubjpass", "dobj") else "CVL"
    return "CVL" if at_root.kind == "place" else at_root.sector


def _prepare(doc, start: int, end: int):
    if not (0 <= start < end <= len(text_of(doc))):
        raise ValueError(f"actor mention {start}:{end} is not inside the text (0:{len(text_of(doc))})")
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span) or all(t.is_space for t in span):
        raise ValueError(f"actor mention {start}:{end} covers no word")
    toks = _clean_tokens(span)
    root = doc[toks[0].i : toks[-1].i + 1].root
    return span, toks, root


def _resolve(doc, start, end, entities, entity, year) -> tuple[Actor, bool]:
    span, toks, root = _prepare(doc, start, end)
    if entity is not None and not 0 <= entity < len(entities):
        raise ValueError(f"entity {entity} is not an index into the {len(entities)} entities")
    linked = entity if entity is not None else _linked(toks, root, entities)
    ent = entities[linked] if linked is not None else None
    person_ranges = [(m.start, m.end) for e in entities if e.type == "PERSON" for m in e.mentions]
    countries = _sentence_codes(doc, start, end, entities, year, person_ranges, places=False, targets=True)
    names = _names(doc, toks, root, year, person_ranges, countries)
    context = _sentence_codes(doc, start, end, entities, year, person_ranges)
    titled = bool(ent is not None and ent.role) or any(_is_title(t) for t in toks)
    reading = _entity_reading(ent, year, titled) if ent is not None else (None, None)
    code, regional = _code(toks, root, names, ent, reading, titled, context, year)
    sector = _sector(toks, root, names, ent, reading, year)
    name = ent.name if ent is not None else text_of(doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
    return Actor(name, code, sector, Span(start, end), linked), regional


def resolve(doc, start: int, end: int, entities: Sequence[Entity], entity: Optional[int] = None,
            *, year: Optional[int] = None) -> Actor:
    """The actor at characters [start, end) of ``doc`` (the article's spaCy Doc).

    ``entities`` are the article's (``doc._.nl_entities``); ``entity`` is the
    index of the entity the mention refers to when the caller knows it (a
    pronoun resolved by coreference); ``year`` (the article's) picks between
    a lexicon name's dated rows, and marks office holders whose rows ended
    before it as ELI. Raises ValueError for offsets outside the text or
    covering no word, and for an ``entity`` that is not an index.
    """
    return _resolve(doc, start, end, entities, entity, year)[0]


def is_regional(doc, start: int, end: int, entities: Sequence[Entity]) -> bool:
    """True when the mention is a regional construct ("the West", "Arab
    states"): PLOVER codes no event for it."""
    return _resolve(doc, start, end, entities, None, None)[1]


def is_actor(doc, start: int, end: int, entities: Sequence[Entity]) -> bool:
    """Cheap test: could this noun phrase be a PLOVER actor at all? People,
    organisations, countries, groups and their pronouns; not "the plan"."""
    span, toks, root = _prepare(doc, start, end)
    if root.lower_ in PRONOUNS and root.pos_ == "PRON":
        return True
    if root.pos_ == "PROPN" or root.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or _linked(toks, root, entities) is not None:
        return True
    if _head_sector(toks, root) is not None or _word_sector(root) is not None:
        return True
    a, b = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return any(h.start <= root.idx - a < h.end for h in scan(text_of(doc)[a:b]))  # a name at the head: "Palestinians"
