"""The extraction contract as dataclasses.

Every span is a pair of character offsets into the article text the record
was extracted from (``Article.text``; for ``newsledger extract``, the given
``text``). ``to_json`` gives the stable JSON shape documented in
docs/extract-format.md; ``from_json`` reads it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

QUOTE_KINDS = ("direct", "mixed", "indirect")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Cue:
    start: int
    end: int
    text: str
    lemma: str


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Speaker:
    name: Optional[str] = None  # canonical name, or None when unknown
    entity: Optional[int] = None  # index into Record.entities
    mention: Optional[Mention] = None


@dataclass
class Quote:
    kind: str  # direct | mixed | indirect
    content: Mention  # first to last content character
    segments: list[Span]
    cue: Optional[Cue]
    speaker: Speaker
    date: Optional[str] = None  # when it was said, if the text says ("In 2017, X said"): ISO 8601

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content": asdict(self.content),
            "segments": [{"start": s.start, "end": s.end} for s in self.segments],
            "cue": asdict(self.cue) if self.cue else None,
            "speaker": {
                "name": self.speaker.name,
                "entity": self.speaker.entity,
                "mention": asdict(self.speaker.mention) if self.speaker.mention else None,
            },
            "date": self.date,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Quote":
        sp = d["speaker"]
        return cls(
            kind=d["kind"],
            content=Mention(**d["content"]),
            segments=[Span(**s) for s in d["segments"]],
            cue=Cue(**d["cue"]) if d.get("cue") else None,
            speaker=Speaker(
                name=sp.get("name"),
                entity=sp.get("entity"),
                mention=Mention(**sp["mention"]) if sp.get("mention") else None,
            ),
            date=d.get("date"),
        )


@dataclass
class Entity:
    name: str
    type: str  # PERSON | ORG | GPE | NORP
    code: Optional[str] = None  # ISO 3166 alpha-3 where it applies
    role: Optional[str] = None
    mentions: list[Span] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "code": self.code,
            "role": self.role,
            "mentions": [{"start": m.start, "end": m.end} for m in self.mentions],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Entity":
        return cls(
            name=d["name"],
            type=d["type"],
            code=d.get("code"),
            role=d.get("role"),
            mentions=[Span(**m) for m in d.get("mentions", [])],
        )


PLACE_LEVELS = ("country", "admin1", "city", "point")
TIME_KINDS = ("date", "range", "duration", "set")
TIME_ANCHORS = ("publication", "absolute", "none")


@dataclass
class Place:
    """One toponym mention and the gazetteer entry it resolved to (docs/places.md).

    Unresolved mentions keep their span with null name, id and coordinates.
    ``level`` is the resolution level (PLACE_LEVELS); a place below the
    gazetteer's coverage falls back to the coarsest level known and never gets
    an invented point. ``metonymic``: the name stands for an actor ("Moscow
    said"); it is still listed, but can't be an event's location.
    """

    start: int
    end: int
    text: str
    name: Optional[str] = None
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = None  # ISO 3166 alpha-3
    admin1: Optional[str] = None  # admin1 name ("Kentucky")
    feature: Optional[str] = None  # GeoNames feature class.code ("P.PPLA", "A.PCLI")
    level: Optional[str] = None
    metonymic: bool = False
    confidence: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Place":
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__ if k in d})


@dataclass
class Time:
    """One time expression: its span, kind (TIME_KINDS) and ISO 8601 value.

    ``value`` is a date ("2020-08-09", "2020-08", "2020"), a range
    ("2020-08-03/2020-08-09"), a duration ("PT24H", "P2W") or null.
    ``anchor`` says what it was read against: the publication date, nothing
    (an absolute date), or "none" when it could not be resolved.
    """

    start: int
    end: int
    text: str
    kind: str
    value: Optional[str]
    anchor: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Time":
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})


@dataclass
class Location:
    """Where an event happened, in the fields of PLOVER's ``event_loc``.

    ``place`` indexes Record.places. ``source`` says how close the evidence is:
    "clause" or "sentence" (the event's own), or "article" (a place named
    elsewhere in the article, used only when none is closer; weaker).
    """

    place: int
    extracted_place: str
    resolved_place: Optional[str]
    geonameid: Optional[int]
    lat: Optional[float]
    lon: Optional[float]
    province: Optional[str]
    country_code: Optional[str]
    feature_class: Optional[str]
    feature_code: Optional[str]
    resolution: Optional[str]
    source: str
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Location":
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})


@dataclass
class Actor:
    """One side of an event: an entity with its PLOVER actor code and sector."""

    name: str  # canonical name ("Alexander Lukashenko", "Russia", "Russian troops")
    code: Optional[str]  # ISO 3166 alpha-3, or IGO / NGO / ... ; None when unknown
    sector: Optional[str]  # GOV, MIL, REB, ... ; None when unknown
    mention: Span
    entity: Optional[int] = None  # index into Record.entities, when it is one

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "code": self.code,
            "sector": self.sector,
            "mention": {"start": self.mention.start, "end": self.mention.end},
            "entity": self.entity,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Actor":
        return cls(d["name"], d.get("code"), d.get("sector"), Span(**d["mention"]), d.get("entity"))


@dataclass
class Event:
    """A PLOVER event coded from one sentence (docs/events.md).

    ``modes`` holds the PLOVER modes of ``type`` and the auxiliary ones of
    ``plover.AUXILIARY_MODES``. ``quote`` is the index of the quote (Record.quotes) the
    event was stated in: then it is the speaker's claim, not the outlet's.
    ``date`` is the event's own date when the text states one ("in 2020"),
    ISO 8601 and as precise as stated; else the publication date, with
    ``date_source`` saying which ("text" or "publication"; None when neither
    is known). ``location`` is where it happened, when the article says.
    """

    type: str
    modes: list[str]
    contexts: list[str]
    quad: int
    score: float
    actor: list[Actor]
    recipient: list[Actor]
    trigger: Mention
    sentence: Span
    quote: Optional[int]
    confidence: float
    date: Optional[str] = None
    coder: str = ""  # coder and codebook version, e.g. "newsledger-events 1 (3f2a9c1d); PLOVER 2024"
    date_source: Optional[str] = None
    location: Optional[Location] = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "modes": list(self.modes),
            "contexts": list(self.contexts),
            "quad": self.quad,
            "score": self.score,
            "actor": [a.to_json() for a in self.actor],
            "recipient": [a.to_json() for a in self.recipient],
            "trigger": asdict(self.trigger),
            "sentence": {"start": self.sentence.start, "end": self.sentence.end},
            "quote": self.quote,
            "confidence": self.confidence,
            "date": self.date,
            "date_source": self.date_source,
            "location": self.location.to_json() if self.location else None,
            "coder": self.coder,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Event":
        return cls(
            type=d["type"],
            modes=list(d.get("modes", [])),
            contexts=list(d.get("contexts", [])),
            quad=d["quad"],
            score=d["score"],
            actor=[Actor.from_json(a) for a in d.get("actor", [])],
            recipient=[Actor.from_json(a) for a in d.get("recipient", [])],
            trigger=Mention(**d["trigger"]),
            sentence=Span(**d["sentence"]),
            quote=d.get("quote"),
            confidence=d["confidence"],
            date=d.get("date"),
            coder=d.get("coder", ""),
            date_source=d.get("date_source"),
            location=Location.from_json(d["location"]) if d.get("location") else None,
        )


@dataclass
class Record:
    """What extract() returns for one article."""

    id: str
    language: Optional[str]
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    skipped: Optional[str] = None  # why NLP was not run (e.g. non-English), else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "language": self.language,
            "quotes": [q.to_json() for q in self.quotes],
            "entities": [e.to_json() for e in self.entities],
            "events": [e.to_json() for e in self.events],
            "places": [p.to_json() for p in self.places],
            "times": [t.to_json() for t in self.times],
        }
        if self.skipped:
            out["skipped"] = self.skipped
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Record":
        return cls(
            id=d["id"],
            language=d.get("language"),
            quotes=[Quote.from_json(q) for q in d.get("quotes", [])],
            entities=[Entity.from_json(e) for e in d.get("entities", [])],
            events=[Event.from_json(e) for e in d.get("events", [])],
            places=[Place.from_json(p) for p in d.get("places", [])],
            times=[Time.from_json(t) for t in d.get("times", [])],
            skipped=d.get("skipped"),
        )
