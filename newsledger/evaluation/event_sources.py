"""Read the event-coding data sets of ``../shared/eval/events`` as pairs.

Each loader returns ``Example`` objects: a text, the character spans of the
source and target in it (None when the data set gives none or the words
cannot be found), and the gold label the data set has. Only gold columns are
read: PLV's silver, prompt and modality columns come from another system and
are never touched.

- PLV (``plv/PLV_train.tsv``): ``sentence``, ``marked_sentence`` (source in
  <s>...</s>, target in <t>...</t>), ``gold_root`` (15 classes), ``gold_penta``
  (quad 1-4). See plv.py.
- PLOVER gold records (``plover_gsr/plover_gsr_normalized.jsonl``): 16 types,
  actor and recipient lists with country codes; the first actor and the first
  recipient whose text occurs in the sentence are the pair.
- ConfliBERT CAMEO sentences (``conflibert/cameo_class_train.jsonl``): five
  classes (0 neutral, 1 verbal cooperation, 2 material cooperation, 3 verbal
  conflict, 4 material conflict); source and target spans come from the
  CoNLL file ``cameo_ner_train.txt`` where its tokens spell the same sentence.
- NGEC synthetic stories (``ngec_synthetic/*.zip``): machine-written stories
  labelled with the PLOVER type of the headline that prompted them; the first
  paragraph is used, with no pair. Training only, never gold.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

Offsets = Optional[tuple[int, int]]
EVENTS = Path("eval") / "events"
# Characters of an NGEC story's first paragraph kept: about two sentences.
NGEC_MAX_CHARS = 600


@dataclass
class Example:
    source_name: str  # which data set
    id: str
    text: str
    source: Offsets
    target: Offsets
    label: Optional[str]  # PLOVER type or PLV class; for ConfliBERT the 5-way class as a string
    quad: Optional[int] = None  # gold quad when the data set gives one
    extra: dict = field(default_factory=dict)


def events_dir(shared: str | Path) -> Path:
    return Path(shared) / EVENTS


def _trim(text: str, span: Offsets) -> Offsets:
    """Drop the spaces a span starts or ends with (PLV's tags sometimes include one)."""
    if span is None:
        return None
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


_TAG = re.compile(r"</?[st]>")


def unmark(marked: str) -> tuple[str, Offsets, Offsets]:
    """PLV's marked sentence -> (plain text, source span, target span)."""
    plain: list[str] = []
    pos = last = 0
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for m in _TAG.finditer(marked):
        plain.append(marked[last : m.start()])
        pos += m.start() - last
        last = m.end()
        tag = m.group()
        if tag[1] == "/":
            if tag[2] in opened:
                spans[tag[2]] = (opened.pop(tag[2]), pos)
        else:
            opened[tag[1]] = pos
    plain.append(marked[last:])
    text = "".join(plain)
    return text, _trim(text, spans.get("s")), _trim(text, spans.get("t"))


def load_plv(path: str | Path) -> list[Example]:
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            text, s, t = unmark(row["marked_sentence"])
            if text != row["sentence"]:
                raise ValueError(f"PLV row {row['sentence_id']}: marked_sentence without tags differs from sentence")
            out.append(Example("plv", row["sentence_id"], text, s, t, row["gold_root"], int(row["gold_penta"])))
    return out


def _find(text: str, entities: list[dict]) -> Offsets:
    for e in entities:
        words = e.get("text")
        i = text.find(words) if words else -1
        if i >= 0:
            return (i, i + len(words))
    return None


def load_gsr(path: str | Path) -> list[Example]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        text = g["text"]
        out.append(Example("gsr", g["id"], text, _find(text, g["actor"]), _find(text, g["recipient"]), g["event"],
                           extra={"actor": g["actor"], "recipient": g["recipient"]}))
    return out


def _squash(s: str) -> str:
    return re.sub(r"\W", "", s)


def _conll_blocks(path: Path) -> dict[str, list[tuple[str, str]]]:
    blocks: dict[str, list[tuple[str, str]]] = {}
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        toks = [tuple(line.rsplit(" ", 1)) for line in block.split("\n") if " " in line]
        blocks.setdefault(_squash("".join(t for t, _ in toks)), toks)
    return blocks


def _conll_spans(text: str, toks: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """First S and T span of a CoNLL-tagged sentence, as offsets into ``text``."""
    spans: dict[str, list[list[int]]] = {}
    pos = 0
    for tok, tag in toks:
        i = text.find(tok, pos)
        if i < 0:
            break
        pos = i + len(tok)
        if tag == "O":
            continue
        kind = tag[2:]
        if tag.startswith("B-") or not spans.get(kind):
            spans.setdefault(kind, []).append([i, pos])
        else:
            spans[kind][-1][1] = pos
    return {k: (v[0][0], v[0][1]) for k, v in spans.items() if v}


def load_conflibert(class_path: str | Path, ner_path: str | Path | None = None) -> list[Example]:
    blocks = _conll_blocks(Path(ner_path)) if ner_path and Path(ner_path).exists() else {}
    out = []
    for line in Path(class_path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        c = json.loads(line)
        text = c["text"]
        toks = blocks.get(_squash(text))
        spans = _conll_spans(text, toks) if toks else {}
        out.append(Example("conflibert", c["id"], text, spans.get("S"), spans.get("T"), str(c["penta"])))
    return out


def load_ngec(zip_path: str | Path) -> list[Example]:
    out = []
    with zipfile.ZipFile(zip_path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".csv"))
        with zf.open(name) as raw:
            csv.field_size_limit(1 << 30)
            for i, row in enumerate(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))):
                para = row["text"].strip().split("\n")[0][:NGEC_MAX_CHARS]
                if para and row.get("label"):
                    out.append(Example("ngec", f"ngec-{i}", para, None, None, row["label"], extra={"mode": row.get("mode")}))
    return out


def load_all(shared: str | Path) -> dict[str, list[Example]]:
    """Every set that exists under ``shared`` (missing ones are left out)."""
    d = events_dir(shared)
    out: dict[str, list[Example]] = {}
    if (d / "plv" / "PLV_train.tsv").exists():
        out["plv"] = load_plv(d / "plv" / "PLV_train.tsv")
    if (d / "plover_gsr" / "plover_gsr_normalized.jsonl").exists():
        out["gsr"] = load_gsr(d / "plover_gsr" / "plover_gsr_normalized.jsonl")
    if (d / "conflibert" / "cameo_class_train.jsonl").exists():
        out["conflibert"] = load_conflibert(d / "conflibert" / "cameo_class_train.jsonl", d / "conflibert" / "cameo_ner_train.txt")
    zips = sorted((d / "ngec_synthetic").glob("*.zip")) if (d / "ngec_synthetic").is_dir() else []
    if zips:
        out["ngec"] = load_ngec(zips[0])
    return out
