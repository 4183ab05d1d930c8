"""Who is who across articles: per-article entities clustered into speakers.

Inside one article newsledger.nlp.entities already made "President
Lukashenko" and "Lukashenko" one entity named "Alexander Lukashenko". Here the
entities of all articles are clustered, people in three passes:

1. Full names. Entities whose names have the same key (given name and surname,
   spelling variants folded, see names.py) are one person, unless middle names,
   generational suffixes (Jr.), honorifics (Mr / Mrs) or countries conflict.
   Roles do not split full names: careers change.
2. An initial and a surname ("J. Smith") joins a full name with that initial.
3. A bare surname, with or without a title ("President Lukashenko"), joins a
   full-name person with that surname only when the choice is unambiguous:
   exactly one compatible person, or exactly one among several whose role
   sector or country matches. Conflicting roles, countries or honorifics rule a
   person out. Anything undecided stays apart, as a speaker known only by the
   surname ("Smith"), which the bare mentions of other articles share unless
   they conflict.

Decisions in passes 2 and 3 are made against the people built by the passes
before, in a fixed order, so the result does not depend on ingest order.
Organisations, places and nationalities are one speaker per type and name
(or country code).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from newsledger.identity.names import ParsedName, fold, names_compatible, parse_name
from newsledger.identity.roles import RoleInfo, countries_conflict, role_info, sectors_conflict, titles_info

# How an occurrence joined its speaker, recorded in speaker_entities.how.
HOW_NAME = "same name"
HOW_INITIAL = "initial, only candidate"
HOW_SURNAME = "surname, only candidate"
HOW_ROLE = "surname, role matches"
HOW_COUNTRY = "surname, country matches"
HOW_UNDECIDED = "one name only, undecided"
HOW_NAME_UNDECIDED = "same name, undecided which person"
HOW_NEW = "first seen"
HOW_OTHER = "same name and type"
HOW_RETYPED = "same article names this person"
# Entity types that the model sometimes gives to a person ("Trump said" as ORG);
# such an entity joins a person named in the same article (see resolve()).
RETYPABLE = ("ORG", "GPE")


@dataclass
class Occurrence:
    """One entity of one article (or an unlinked speaker mention)."""

    id: str
    article_id: str
    type: str
    name: str
    role: Optional[str] = None
    code: Optional[str] = None
    aliases: tuple[str, ...] = ()
    date: Optional[str] = None
    parsed: Optional[ParsedName] = field(default=None, init=False)
    roles: tuple[RoleInfo, ...] = field(default=(), init=False)

    def __post_init__(self):
        self.parsed = parse_name(self.name) if self.type == "PERSON" else None
        infos = [role_info(self.role)]
        if self.parsed:
            infos.append(titles_info(self.parsed.titles))
        self.roles = tuple(i for i in infos if i)

    @property
    def sectors(self) -> set[str]:
        return {s for r in self.roles for s in r.sectors}

    @property
    def countries(self) -> set[str]:
        return {c for r in self.roles for c in r.countries}

    @property
    def genders(self) -> set[str]:
        out = {r.gender for r in self.roles if r.gender}
        if self.parsed and self.parsed.gender:
            out.add(self.parsed.gender)
        return out


@dataclass
class Cluster:
    """One speaker: its occurrences, and how each one joined."""

    type: str
    base_key: str
    members: list[Occurrence] = field(default_factory=list)
    how: dict[str, str] = field(default_factory=dict)
    single_name: bool = False
    sectors: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)
    names: set[ParsedName] = field(default_factory=set)

    def add(self, occ: Occurrence, how: str) -> None:
        self.members.append(occ)
        self.how[occ.id] = how
        self.sectors |= occ.sectors
        self.countries |= occ.countries
        self.genders |= occ.genders
        if occ.parsed:
            self.names.add(occ.parsed)

    def conflicts(self, occ: Occurrence, use_sectors: bool = True) -> bool:
        if occ.parsed and any(not names_compatible(occ.parsed, n) for n in self.names):
            return True
        if countries_conflict(self.countries, occ.countries):
            return True
        if self.genders and occ.genders and not (self.genders & occ.genders):
            return True
        return use_sectors and sectors_conflict(self.sectors, occ.sectors)

    def evidence(self, occ: Occurrence) -> Optional[str]:
        """What, beyond the name, says ``occ`` is this person."""
        if self.countries & occ.countries:
            return HOW_COUNTRY
        if self.sectors & occ.sectors:
            return HOW_ROLE
        return None

    @property
    def articles(self) -> set[str]:
        return {m.article_id for m in self.members}


def _order(occ: Occurrence) -> tuple:
    """Occurrences that carry the most evidence go first; the rest is a stable tie-break."""
    return (-len(occ.countries), -len(occ.sectors), occ.date or "", occ.article_id, occ.id)


def _choose(candidates: list[Cluster], occ: Occurrence, only: str) -> tuple[Optional[Cluster], Optional[str]]:
    """The one candidate ``occ`` belongs to, and why; (None, None) when there is
    none, (None, "ambiguous") when several fit and nothing decides."""
    if not candidates:
        return None, None
    if len(candidates) == 1:
        return candidates[0], only
    supported = [(c, c.evidence(occ)) for c in candidates]
    supported = [(c, why) for c, why in supported if why]
    if len(supported) == 1:
        return supported[0]
    return None, "ambiguous"


def _signature(candidates: list[Cluster]) -> tuple[str, ...]:
    """The people an undecided occurrence could be, as a stable tuple."""
    return tuple(sorted(min(m.id for m in c.members) for c in candidates))


def _pool(left: list[tuple[Occurrence, tuple]], key_of, clusters: list[Cluster], how: str, single_name: bool) -> None:
    """Undecided occurrences grouped by name key and by the people they could
    be (so "Smith" that may be John or Mary is not merged with a "Smith" who
    can be neither); within a group, conflicting ones stay apart."""
    pools: dict[tuple, list[Cluster]] = defaultdict(list)
    for occ, could_be in sorted(left, key=lambda x: _order(x[0])):
        group = (key_of(occ), could_be)
        fits = [c for c in pools[group] if not c.conflicts(occ)]
        target, _ = _choose(fits, occ, how)
        if target is None:
            target = Cluster("PERSON", group[0], single_name=single_name)
            pools[group].append(target)
            clusters.append(target)
            target.add(occ, HOW_NEW)
        else:
            target.add(occ, how)


def _attach(occs: list[Occurrence], candidates_of, only: str) -> tuple[list, list[tuple], int]:
    """Decide each occurrence against the clusters as they are now, then apply."""
    decided, left, ambiguous = [], [], 0
    for occ in sorted(occs, key=_order):
        candidates = candidates_of(occ)
        target, why = _choose(candidates, occ, only)
        if target is None:
            ambiguous += why == "ambiguous"
            left.append((occ, _signature(candidates)))
        else:
            decided.append((target, occ, why))
    for target, occ, why in decided:
        target.add(occ, why)
    return decided, left, ambiguous


def resolve_people(occs: Iterable[Occurrence]) -> tuple[list[Cluster], dict]:
    """Cluster PERSON occurrences (each must have a parsed name)."""
    occs = list(occs)
    full = [o for o in occs if o.parsed.is_full]
    initials = [o for o in occs if o.parsed.initial]
    bare = [o for o in occs if o.parsed.is_bare]
    clusters: list[Cluster] = []
    by_key: dict[str, list[Cluster]] = defaultdict(list)
    undecided = []
    for occ in sorted(full, key=_order):  # pass 1: full names, the ones with most evidence first
        fits = [c for c in by_key[occ.parsed.key] if not c.conflicts(occ, use_sectors=False)]
        target, why = _choose(fits, occ, HOW_NAME)
        if why == "ambiguous":
            undecided.append((occ, _signature(fits)))
            continue
        if target is None:
            target = Cluster("PERSON", "person|" + occ.parsed.key)
            by_key[occ.parsed.key].append(target)
            clusters.append(target)
            why = HOW_NEW
        target.add(occ, why if why == HOW_NEW else HOW_NAME)
    _pool(undecided, lambda o: "person|" + o.parsed.key, clusters, HOW_NAME_UNDECIDED, single_name=False)

    surnames: dict[str, list[Cluster]] = defaultdict(list)

    def index(start: int) -> None:
        for c in clusters[start:]:
            surnames[next(iter(c.names)).surname].append(c)

    def by_surname(occ):
        return [c for c in surnames[occ.parsed.surname] if not c.conflicts(occ)]

    index(0)
    _, left_initials, amb_i = _attach(initials, by_surname, HOW_INITIAL)  # pass 2
    start = len(clusters)
    _pool(left_initials, lambda o: "person|" + o.parsed.key, clusters, HOW_INITIAL, single_name=False)
    index(start)
    joined, left_bare, amb_b = _attach(bare, by_surname, HOW_SURNAME)  # pass 3
    _pool(left_bare, lambda o: "person||" + o.parsed.surname, clusters, HOW_UNDECIDED, single_name=True)
    stats = {"surname_joined": len(joined), "undecided": amb_b + amb_i + len(undecided),
             "single_name_speakers": sum(c.single_name for c in clusters)}
    return clusters, stats


def _other_key(occ: Occurrence) -> str:
    name = fold(occ.name)
    if name.startswith("the "):
        name = name[4:]
    return f"{occ.type.lower()}|{occ.code if occ.code and occ.type in ('GPE', 'NORP') else name}"


def resolve(occs: Iterable[Occurrence]) -> tuple[list[Cluster], dict]:
    """All speakers: people by name evidence, everything else by type and name."""
    occs = list(occs)
    people = [o for o in occs if o.type == "PERSON" and o.parsed is not None]
    in_article: dict[str, list[Occurrence]] = defaultdict(list)
    for o in people:
        in_article[o.article_id].append(o)
    others, retyped = defaultdict(list), []
    for occ in occs:
        if occ.type == "PERSON" and occ.parsed is not None:
            continue
        person = resolve_mention(occ.name, in_article[occ.article_id]) if occ.type in RETYPABLE and not occ.code else None
        if person is not None:
            retyped.append((occ, person))
        else:
            others[_other_key(occ)].append(occ)
    clusters, stats = resolve_people(people)
    cluster_of = {m.id: c for c in clusters for m in c.members}
    for occ, person in retyped:
        cluster_of[person.id].add(occ, HOW_RETYPED)
    stats["retyped_as_person"] = len(retyped)
    for key, group in sorted(others.items()):
        c = Cluster(group[0].type, key)
        for occ in sorted(group, key=_order):
            c.add(occ, HOW_OTHER if c.members else HOW_NEW)
        clusters.append(c)
    return clusters, stats


def resolve_mention(text: Optional[str], article_people: list[Occurrence]) -> Optional[Occurrence]:
    """The one person of the same article an unlinked speaker mention names
    ("Pelosi" when the article has "Nancy Pelosi"); None unless exactly one."""
    parsed = parse_name(text)
    if parsed is None or not _looks_like_name(parsed.text):
        return None
    fits = [o for o in article_people if o.parsed and names_compatible(parsed, o.parsed)]
    return fits[0] if len(fits) == 1 else None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words if w.lower() not in ("de", "van", "von", "bin", "al"))


# -- naming and ids ----------------------------------------------------------------


def display_name(c: Cluster) -> str:
    """The name the most articles used, a full name if there is one: first from
    the PERSON entities, then from the ORG-labelled copies of the person; ties
    go to the longer name, then alphabetical order."""
    names: list[tuple[int, str]] = []
    for m in c.members:
        parsed = m.parsed or (parse_name(m.name) if c.type == "PERSON" else None)
        names.append((0 if m.parsed else 1, parsed.text if parsed else m.name))
    for rank in (0, 1):
        full = Counter(n for r, n in names if r == rank and (c.type != "PERSON" or len(n.split()) > 1))
        if full:
            break
    counts = full or Counter(n for _, n in names)
    return min(counts, key=lambda n: (-counts[n], -len(n), n))


def disambiguate(clusters: list[Cluster], held=None) -> dict[int, str]:
    """Final keys: a key several clusters share is kept by the one that held it
    before (``held(cluster, key)`` counts its quotes that had that key's id),
    else the one seen in the most articles; the others add what sets them
    apart (middle name, suffix, country, sector), then an ordinal."""
    held = held or (lambda c, key: 0)
    groups: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters:
        groups[c.base_key].append(c)
    keys: dict[int, str] = {}
    for base, group in groups.items():
        group.sort(key=lambda c: (-held(c, base), -len(c.articles), min(m.id for m in c.members)))
        taken = {base}
        keys[id(group[0])] = base
        for n, c in enumerate(group[1:], start=1):
            key = base + "|" + _tag(c)
            if key in taken:
                key = f"{key}|{n}"
            taken.add(key)
            keys[id(c)] = key
    return keys


def _tag(c: Cluster) -> str:
    middles = sorted({n.middle[0] for n in c.names if n.middle})
    suffixes = sorted({n.suffix for n in c.names if n.suffix})
    parts = middles[:1] + suffixes[:1] + sorted(c.countries)[:1] + sorted(c.sectors)[:1] + sorted(c.genders)[:1]
    return ",".join(parts) or "other"
