"""Resolve each quote's speaker mention to the article's canonical entity.

Rules, in the order the code tries them:
1. "he"/"she" with a cue just after a person's quote: that person, when the
   gender agrees ("He added," after Biden's quote);
2. the mention holds entity mentions: of those that are not owners ("Heather
   Heyer's mother") nor modifiers of its head ("the Trump campaign"), the
   person nearest the head of its first comma-free stretch, else the nearest
   other entity; a place or nationality only when it is the whole mention;
3. a pronoun or description the coreference step linked (nlp/coref.py:
   gender and age agreement, subjects, recency): that entity;
4. a name the model did not tag ("Dr Gazzola"): the one person of the
   article with that surname;
5. a personal pronoun ("he", "she") left unlinked: the last person quoted
   before it, else the nearest person named before it;
6. "they"/"we": the last organisation or group quoted before it;
7. a description with a title ("the Ukrainian President", "the minister"):
   the nearest person named before it whose role holds that title;
8. otherwise no entity. The name is then the owner's name and the words
   after it when an entity owns the mention ("Amy Klobuchar's campaign" for
   "Senator Klobuchar's campaign"), the mention's own words when an entity
   only modifies it ("Trump campaign") or it is a title and a name
   ("Gazzola" for "Dr Gazzola"), else null; the mention is kept.

Rule 1 gives way when coreference linked the pronoun to the subject of a main
clause after that quote; rule 2 counts a surname the model missed
(``Coref.surnames``) as a person mention, and a name followed by a
preposition as the head ("Regina Ip from the pro-Beijing camp").
"""

from __future__ import annotations

from newsledger.nlp import lexicons
from newsledger.nlp.coref import PRONOUN_GENDER, Coref
from newsledger.nlp.quotes.common import Draft
from newsledger.records import Cue, Entity, Mention, Quote, Span, Speaker

POSSESSIVES = {"his", "her", "its", "their", "our", "my"}
PERSONAL = {"he", "she", "him", "her", "i", "who"}
GROUP = {"they", "we", "them", "it", "which", "that"}
# Words after a name that make it the head of its mention, not a modifier.
PREPOSITIONS = {"from", "of", "at", "with", "in", "on", "for"}
TYPE_PREFERENCE = {"PERSON": 0, "ORG": 1, "NORP": 2, "GPE": 3}
# How near a "he said" cue must follow the last person's quote to be theirs
# (about two short news paragraphs).
PREVIOUS_SPEAKER_CHARS = 400


def resolve(drafts: list[Draft], entities: list[Entity], text: str, coref: Coref | None = None) -> list[Quote]:
    quotes: list[Quote] = []
    last: dict[str, int] = {}  # type -> entity index of the last resolved speaker
    last_end = -1  # where the last quote with a resolved person speaker ended
    coref = coref or Coref({}, [None] * len(entities))
    for d in sorted(drafts, key=lambda d: d.start):
        entity = None
        if d.speaker:
            entity = _previous_speaker(d, text, last, last_end, coref)
            if entity is None:
                entity = _resolve_one(d.speaker, entities, text, last, coref)
        if entity is not None:
            last[entities[entity].type] = entity
            if entities[entity].type == "PERSON":
                last_end = d.end
        quote = _to_quote(d, entities, entity, text)
        owned = _owned_name(text, d.speaker, entities, coref) if entity is None and d.speaker else None
        if owned:
            quote.speaker.name = owned
        elif entity is None and d.speaker and _led_by_any(text, d.speaker, entities):
            quote.speaker.name = group_name(text, d.speaker)
        elif entity is None and d.speaker:
            quote.speaker.name = _titled_name(text[d.speaker[0] : d.speaker[1]])
        quotes.append(quote)
    return quotes


def _previous_speaker(d: Draft, text: str, last, last_end: int, coref: Coref) -> int | None:
    """ "..." Biden said. He added, "...": a he/she cue right after a person's
    quote is that person's when the gender agrees, whoever was named between."""
    pronoun = text[d.speaker[0] : d.speaker[1]].strip().lower()
    if pronoun not in PRONOUN_GENDER or "PERSON" not in last or d.cue is None:
        return None
    if d.start - last_end > PREVIOUS_SPEAKER_CHARS or last_end < 0:
        return None
    person = last["PERSON"]
    if _new_subject(d.speaker[0], person, last_end, coref):
        return None
    return person if coref.genders[person] in (None, PRONOUN_GENDER[pronoun]) else None


def _new_subject(at: int, person: int, last_end: int, coref: Coref) -> bool:
    """Did the coreference step link the pronoun at ``at`` to someone else,
    the subject of a main clause after the last quote ("Campbell was working
    on a sculpt. After the convention, he told Wikinews")? Then the narrative
    has moved on to that person."""
    ent, found = coref.links.get(at), coref.antecedents.get(at)
    return ent is not None and ent != person and found is not None and found[0] > last_end and found[1] == 0


def _resolve_one(span, entities, text, last, coref: Coref) -> int | None:
    start, end = span
    words = text[start:end].split()
    head = text[start:end].strip().lower()
    surnames = {pos: n for pos, n in coref.surnames.items() if start <= pos < end}
    overlapping = [
        (TYPE_PREFERENCE[e.type], m.start, n)
        for n, e in enumerate(entities) for m in e.mentions
        if m.start < end and start < m.end and not _owner_in(text, m.end, end) and m.start not in surnames
    ]
    # a surname the model missed or mistook for a place ("West", "Trump"): the person
    named = [(0, pos, n) for pos, n in surnames.items() if not _owner_in(text, _word_end(text, pos), end)]
    # a place or nationality inside a longer mention ("the Ukrainian President")
    # does not make the place the speaker, nor a person their campaign; an
    # owner ("Susan Bro, Heather Heyer's mother") is never the speaker
    overlapping = [
        (p, at, n) for p, at, n in overlapping
        if (p <= 1 and not _led_by(text, start, end, _inside_end(entities[n], start, end)))
        or _is_whole(entities[n], start, end)
    ] + [(p, at, n) for p, at, n in named if not _led_by(text, start, end, _word_end(text, at))]
    if overlapping:
        # the head of an English noun phrase is its last word: the name nearest
        # the end of the mention's first comma-free stretch ("Clinton campaign
        # spokesman Brian Fallon", "Susan Bro, Heather Heyer's mother")
        head_end = text.find(",", start, end)
        head_end = end if head_end < 0 else head_end
        people = [o for o in overlapping if o[0] == 0]
        return min(people or overlapping, key=lambda o: (o[1] >= head_end, -o[1], o[0]))[2]
    # "its source", "his spokesman": a possessive names the owner, not the speaker
    links = coref.links
    linked = [links[pos] for pos in links if start <= pos < end and not _possessive_modifier(text, pos, end)]
    if linked:
        return linked[-1]
    surname = _by_surname(entities, words)
    if surname is not None:
        return surname
    if head in PERSONAL:
        if "PERSON" in last:
            return last["PERSON"]
        return _nearest_before(entities, start, lambda e: e.type == "PERSON")
    if head in GROUP:
        for kind in ("ORG", "NORP", "GPE"):
            if kind in last:
                return last[kind]
        return None
    titles = lexicons.words("titles.txt")
    # a title inside an owner is the owner's ("Senator Klobuchar's campaign")
    title_words = {w.lower().strip(",.") for w in _after_owner(words)} & titles
    described = _described(entities, text[start:end])
    if described is not None:
        return described
    if title_words:
        return _nearest_before(
            entities, start, lambda e: e.type == "PERSON" and e.role and title_words & set(e.role.lower().split())
        )
    return None


def _word_end(text: str, pos: int) -> int:
    """Where the name word starting at ``pos`` ends."""
    end = pos
    while end < len(text) and (text[end].isalnum() or text[end] == "-"):
        end += 1
    return end


def _after_owner(words: list[str]) -> list[str]:
    """The words after the last possessive ("campaign" of "Senator Klobuchar's campaign")."""
    for i in range(len(words) - 1, -1, -1):
        if words[i].endswith(("'s", "’s", "s'", "s’")):
            return words[i + 1 :]
    return words


def _owned_name(text: str, span, entities, coref: Coref) -> str | None:
    """ "Amy Klobuchar's campaign" for "Senator Klobuchar's campaign": a
    speaker whose first comma-free stretch is an owner the article names and a
    head noun, named by the owner's canonical name and the words after it."""
    start, end = span
    comma = text.find(",", start, end)
    stop = end if comma < 0 else comma
    owners = [(m.end, n) for n, e in enumerate(entities) for m in e.mentions
              if start <= m.start and m.end < stop and e.type in ("PERSON", "ORG") and _possessive_at(text, m.end)]
    owners += [(_word_end(text, pos), n) for pos, n in coref.surnames.items()
               if start <= pos < stop and _possessive_at(text, _word_end(text, pos))]
    if not owners:
        return None
    at, owner = max(owners)
    rest = text[at:stop].lstrip("'’").split()
    if rest and rest[0] == "s":
        rest = rest[1:]
    if not rest or not rest[-1][:1].islower():
        return None
    return f"{entities[owner].name}'s {' '.join(rest)}"


def _owner_in(text: str, pos: int, end: int) -> bool:
    """Is the name ending at ``pos`` the owner of more words of the mention
    ("Heather Heyer's mother"), not the whole mention ("Trump's" of "Trump's
    claim that ...", whose owner speaks)?"""
    if not _possessive_at(text, pos):
        return False
    skip = 2 if text[pos : pos + 2] in ("'s", "’s") else 1
    return bool(text[pos + skip : end].strip())


def _possessive_at(text: str, pos: int) -> bool:
    """Does a possessive 's follow the name ending at ``pos``?"""
    return text[pos : pos + 2] in ("'s", "’s") or (text[pos : pos + 1] in ("'", "’") and text[pos - 1 : pos] == "s")


def _possessive_modifier(text: str, pos: int, end: int) -> bool:
    word = text[pos:end].split()[0].lower() if text[pos:end].split() else ""
    return word in POSSESSIVES and len(text[pos:end].split()) > 1


def _led_by_any(text: str, span, entities) -> bool:
    start, end = span
    return any(
        e.type in ("PERSON", "ORG") and _led_by(text, start, end, _inside_end(e, start, end))
        for e in entities if any(m.start < end and start < m.end for m in e.mentions)
    )


def _inside_end(entity: Entity, start: int, end: int) -> int:
    """Where the entity's last mention inside ``start``-``end`` ends."""
    return max(m.end for m in entity.mentions if m.start < end and start < m.end)


def _led_by(text: str, start: int, end: int, name_end: int) -> bool:
    """Is the name ending at ``name_end`` only a modifier of the mention's head
    noun ("the Trump campaign", "Biden's spokesman"): the mention ends in a
    lower-case word after it? A name followed by a preposition is the head
    ("Regina Ip from the pro-Beijing camp")."""
    tail = text[name_end:end].strip(" ’'s").split()
    if tail and tail[0] in PREPOSITIONS:
        return False
    return bool(tail) and tail[-1][:1].islower() and "," not in text[start:end]


def group_name(text: str, span) -> str | None:
    """The name a speaker led by an entity goes by: its words without the article."""
    words = text[span[0] : span[1]].split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words) or None


def _titled_name(mention: str) -> str | None:
    """ "Dr Gazzola" the model did not tag as a person: the name after the
    title, as written ("Gazzola"), when the mention is a title and names only."""
    words = mention.split()
    titles = lexicons.words("titles.txt")
    if len(words) < 2 or words[0].lower().rstrip(".") not in titles | {w.rstrip(".") for w in titles}:
        return None
    names = words[1:]
    ok = all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in names)
    return " ".join(names) if ok and len(names) <= 3 else None


def _by_surname(entities, words: list[str]) -> int | None:
    """ "Dr Gazzola" the model did not tag: the one person of the article whose
    name ends in that capitalised word."""
    last = words[-1].strip(",.") if words else ""
    if not last[:1].isupper() or last.lower() in PERSONAL | GROUP:
        return None
    found = [
        n for n, e in enumerate(entities)
        if e.type == "PERSON" and len(e.name.split()) > 1 and e.name.split()[-1] in (last, last.title())
    ]  # "PENCE:" in a transcript is Mike Pence
    return found[0] if len(found) == 1 else None


def _is_whole(entity: Entity, start: int, end: int) -> bool:
    return any(m.start <= start and end <= m.end for m in entity.mentions)


def _described(entities, mention: str) -> int | None:
    """A person whose recorded role is this description ("the Ukrainian President")."""
    words = mention.lower().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    wanted = " ".join(words)
    for n, e in enumerate(entities):
        if e.type == "PERSON" and e.role and e.role.lower() == wanted:
            return n
    return None


def _nearest_before(entities, pos: int, ok) -> int | None:
    best, best_pos = None, -1
    for n, e in enumerate(entities):
        if not ok(e):
            continue
        for m in e.mentions:
            if m.start < pos and m.start > best_pos:
                best, best_pos = n, m.start
    return best


def _to_quote(d: Draft, entities, entity: int | None, text: str) -> Quote:
    start, end = d.start, d.end
    cue = None
    if d.cue is not None:
        cs, ce, lemma = d.cue
        cue = Cue(cs, ce, text[cs:ce], lemma)
    mention = Mention(d.speaker[0], d.speaker[1], text[d.speaker[0] : d.speaker[1]]) if d.speaker else None
    return Quote(
        kind=d.kind,
        content=Mention(start, end, text[start:end]),
        segments=[Span(s, e) for s, e in d.pieces],
        cue=cue,
        speaker=Speaker(
            name=entities[entity].name if entity is not None else None,
            entity=entity,
            mention=mention,
        ),
    )
