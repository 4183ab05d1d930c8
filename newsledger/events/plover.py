"""The PLOVER ontology as newsledger uses it: types, quads, scores, codes.

Everything here is read from small data files next to this module, written
for newsledger from the PLOVER manual (see their headers):

- ``data/plover_types.tsv``: the 16 event types with their quad category
  (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4
  material conflict), base conflict-cooperation score, whether a recipient is
  required, PLV's 15-class name and the CAMEO root code;
- ``data/plover_modes.tsv``: each type's modes with their scores and CAMEO
  codes.

``load_cameo2plover`` reads the manual's own CAMEO->PLOVER table from
``../shared`` (it is CC BY-SA and is not copied into the repository).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA = Path(__file__).resolve().parent / "data"
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
# PLV's class that covers PLOVER's CONCEDE and RETREAT.
PLV_YIELD = "YIELD"
# Auxiliary modes of the manual (§"Auxiliary modes"), kept in the same list as
# the PLOVER modes of an event.
AUXILIARY_MODES = ("historical", "future", "hypothetical", "negation")


@dataclass(frozen=True)
class EventType:
    name: str
    quad: int
    score: float
    requires_recipient: bool
    plv_class: str
    cameo_root: str


@dataclass(frozen=True)
class Mode:
    event: str
    name: str
    score: Optional[float]
    cameo: Optional[str]


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


@lru_cache(maxsize=1)
def types() -> dict[str, EventType]:
    """The 16 PLOVER event types, in the manual's order."""
    out = {}
    for name, quad, score, required, plv, cameo in _rows("plover_types.tsv"):
        out[name] = EventType(name, int(quad), float(score), required == "yes", plv, cameo)
    return out


@lru_cache(maxsize=1)
def modes() -> dict[tuple[str, str], Mode]:
    out = {}
    for event, name, score, cameo in _rows("plover_modes.tsv"):
        out[(event, name)] = Mode(event, name, float(score) if score else None, cameo or None)
    return out


TYPES: tuple[str, ...] = tuple(types())
PLV_CLASSES: tuple[str, ...] = tuple(dict.fromkeys(t.plv_class for t in types().values()))


def event_type(name: str) -> EventType:
    try:
        return types()[name]
    except KeyError:
        raise ValueError(f"unknown PLOVER event type {name!r} (expected one of {', '.join(TYPES)})") from None


def quad(name: str) -> int:
    """Quad class 1-4 of a PLOVER type, or of PLV's YIELD (material cooperation, 2)."""
    if name == PLV_YIELD:
        return 2
    return event_type(name).quad


def score(name: str, mode: Optional[str] = None) -> float:
    """Conflict-cooperation score (-10..+10): the mode's value when the manual
    gives one, else the type's base value."""
    base = event_type(name)
    m = modes().get((name, mode)) if mode else None
    return m.score if m is not None and m.score is not None else base.score


def plv_class(name: str) -> str:
    """PLV's 15-class name of a PLOVER type (CONCEDE and RETREAT are YIELD)."""
    if name == PLV_YIELD:
        return name
    return event_type(name).plv_class


def cameo_code(name: str, mode: Optional[str] = None) -> str:
    """A CAMEO code (a string: leading zeros matter) for a PLOVER type and mode."""
    m = modes().get((name, mode)) if mode else None
    return m.cameo if m is not None and m.cameo else event_type(name).cameo_root


def modes_of(name: str) -> tuple[str, ...]:
    return tuple(m.name for (event, _), m in modes().items() if event == name)


_C2P_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?(?:#\s*(.*))?$")


def load_cameo2plover(path: str | Path) -> dict[str, dict]:
    """Parse the manual's CAMEO->PLOVER table (``CAMEO2PLOVER-2021.txt`` in
    ``../shared/eval/events/ontology``) into ``{cameo code: {"event", "mode",
    "contexts", "label"}}``. Root lines ("04: CONSULT") give the root's event
    alone; codes the table drops (01, 02) are absent. A later line for the
    same code (the table repeats 175) replaces the earlier one."""
    out: dict[str, dict] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        m = _C2P_LINE.match(raw)
        if not m:
            continue
        code, event, mode, contexts, label = m.groups()
        if event not in types():
            continue
        mode = (mode or "").strip() or None
        ctx = [c.strip() for c in re.split(r"[;\s]+", contexts or "") if c.strip()]
        out[code] = {"event": event, "mode": mode, "contexts": ctx, "label": (label or "").strip() or None}
    return out
