"""Canonical entities per article: cluster PERSON, ORG, GPE and NORP mentions.

- People cluster on surname with compatible given names; the longest full name
  is the canonical one ("Lukashenko" -> "Alexander Lukashenko").
- Countries, and demonyms tied to countries, get ISO 3166 alpha-3 codes;
  intergovernmental organisations get IGO.
- The small model's label errors that would corrupt attribution are corrected
  by general rules: a "PERSON" holding an outlet word ("Frankfurter Allgemeine
  Zeitung") or standing in an outlet context ("an interview with X") is an ORG;
  a "PERSON" or "ORG" that is a country name is a GPE.
- A person's role or title is kept where the text gives one, from the words
  before the name ("Self-proclaimed president of Belarus Alexander Lukashenko")
  or an apposition ("the Ukrainian President, Volodymyr Zelensky").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as DocSpan

from newsledger.nlp import lexicons
from newsledger.records import Entity, Span

TYPES = ("PERSON", "ORG", "GPE", "NORP")
# Words just before a name that mark it as a news outlet.
OUTLET_CONTEXT = {"newspaper", "paper", "magazine", "daily", "weekly", "outlet", "broadcaster", "agency", "channel", "tabloid"}
OUTLET_PHRASES = ("interview with", "interview to", "told the", "published by", "reported by", "wrote in")
FOREIGN_ARTICLES = {"Der", "Die", "Das", "Le", "La", "Les", "El", "Il", "Al"}
# Labels the small model gives a person's surname in some sentences ("Biden
# said" as ORG); such a mention joins the article's one person of that name.
MISLABELLED_PEOPLE = ("ORG", "NORP", "LOC")
# Longest role kept, in tokens: longer stretches are clauses, not titles.
MAX_ROLE_TOKENS = 8


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    label: str
    tokens: list[str]
    token_start: int
    token_end: int


@dataclass
class _Cluster:
    label: str
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def best(self) -> _Mention:
        return max(self.mentions, key=lambda m: (len(m.tokens), len(m.text), -m.start))


def _is_outlet(ent, doc) -> bool:
    outlet_words = lexicons.words("outlets.txt")
    toks = [t.text for t in ent]
    if any(t in outlet_words for t in toks) or (len(toks) > 1 and toks[0] in FOREIGN_ARTICLES):
        return True
    left = doc[max(0, ent.start - 3) : ent.start].text.lower()
    if ent.start > 0 and doc[ent.start - 1].lower_ in OUTLET_CONTEXT:
        return True
    return any(left.endswith(p) or left.endswith(p + " the") for p in OUTLET_PHRASES)


def _label(ent, doc) -> str | None:
    names, demonyms = lexicons.countries()
    text = _clean_text(ent.text)
    label = ent.label_
    if label not in TYPES:
        # the small model calls some outlets FAC or WORK_OF_ART ("Le Monde")
        return "ORG" if _is_outlet(ent, doc) and ent[0].pos_ == "PROPN" else None
    if label in ("PERSON", "ORG", "NORP") and text in names:
        return "GPE"
    if label in ("PERSON", "ORG", "GPE") and text in demonyms and text not in names:
        return "NORP"  # "Ukrainian officials": a nationality, whatever the model said
    if label == "PERSON" and _is_outlet(ent, doc):
        return "ORG"
    return label


def _clean_text(text: str) -> str:
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if text.lower().startswith("the "):
        text = text[4:]
    return text.strip()


def _mention(ent, label: str) -> _Mention:
    names, demonyms = lexicons.countries()
    toks = list(ent)
    while toks and (toks[0].lower_ == "the" or toks[0].is_punct):
        toks = toks[1:]
    # "president of Belarus Alexander Lukashenko": the model may pull the
    # country into the person's name; it belongs to the role
    while label == "PERSON" and len(toks) > 2 and (toks[0].text in names or toks[0].text in demonyms):
        toks = toks[1:]
    # "Sheriff Lee", "Senator Klobuchar": the title is the role, not the name
    titles = lexicons.words("titles.txt")
    while label == "PERSON" and len(toks) > 1 and toks[0].lower_ in titles:
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].text in ("'s", "’s", "'", "’")):
        toks = toks[:-1]
    if not toks:
        toks = list(ent)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return _Mention(start, end, "".join(t.text_with_ws for t in toks).strip(), label, [t.text for t in toks], toks[0].i, toks[-1].i + 1)


def _person_key_match(m: _Mention, c: _Cluster) -> bool:
    best = c.best.tokens
    if m.tokens[-1].lower() != best[-1].lower():
        return len(m.tokens) == 1 and m.tokens[0] == best[0] and len(best) > 1
    if len(m.tokens) == 1 or len(best) == 1:
        return True
    a, b = m.tokens[0].rstrip("."), best[0].rstrip(".")
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _acronyms(text: str, mentions: list[_Mention]) -> dict[str, str]:
    """Short form -> long form for "Pacific Gas and Electric Company (PG&E)"."""
    by_start = {m.start: m for m in mentions if m.label == "ORG"}
    out = {}
    for m in mentions:
        if m.label != "ORG" or text[m.end : m.end + 2] != " (":
            continue
        short = by_start.get(m.end + 2)
        if short is not None and text[short.end : short.end + 1] == ")" and len(short.tokens) < len(m.tokens):
            out[_clean_text(short.text).lower()] = _clean_text(m.text).lower()
    return out


def _cluster(mentions: list[_Mention], acronyms: dict[str, str] | None = None) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    by_key: dict[tuple[str, str], _Cluster] = {}
    acronyms = acronyms or {}
    names, _ = lexicons.countries()
    # Longest names first, so that a bare surname joins its full name.
    for m in sorted(mentions, key=lambda m: (-len(m.tokens), m.start)):
        if m.label == "PERSON":
            fits = [c for c in clusters if c.label == "PERSON" and _person_key_match(m, c)]
            if fits:
                # several people share the surname: take the one named nearest
                target = min(fits, key=lambda c: min(abs(m.start - x.start) for x in c.mentions))
                target.mentions.append(m)
                continue
            clusters.append(_Cluster("PERSON", [m]))
            continue
        text = _clean_text(m.text)
        person = _person_named(m, text, clusters) if m.label in MISLABELLED_PEOPLE else None
        if person is not None:
            person.mentions.append(m)  # "Biden said", tagged ORG, in an article naming Joe Biden
            continue
        if m.label not in TYPES:
            continue
        code = names.get(text) if m.label == "GPE" else None
        key = (m.label, code or acronyms.get(text.lower(), text.lower()))
        if key not in by_key:
            by_key[key] = _Cluster(m.label)
            clusters.append(by_key[key])
        by_key[key].mentions.append(m)
    return clusters


def _person_named(m: _Mention, text: str, clusters: list[_Cluster]) -> _Cluster | None:
    """The one person cluster whose full name or surname this ORG/NORP mention
    is, unless the text is a country, nationality, organisation or outlet word."""
    names, demonyms = lexicons.countries()
    if text in names or text in demonyms or text in lexicons.words("igos.txt") or text in lexicons.words("outlets.txt"):
        return None
    people = [
        c for c in clusters
        if c.label == "PERSON" and len(c.best.tokens) > 1 and (m.tokens == c.best.tokens or m.tokens == c.best.tokens[-1:])
    ]
    return people[0] if len(people) == 1 else None


def _code(c: _Cluster) -> str | None:
    names, demonyms = lexicons.countries()
    igos = lexicons.words("igos.txt")
    for m in sorted(c.mentions, key=lambda m: -len(m.text)):
        text = _clean_text(m.text)
        if c.label == "GPE" and text in names:
            return names[text]
        if c.label == "NORP" and text in demonyms:
            return demonyms[text]
        if c.label == "ORG" and text in igos:
            return "IGO"
    return None


def _role_before(doc, m: _Mention) -> str | None:
    titles = lexicons.words("titles.txt")
    names, _ = lexicons.countries()
    i = m.token_start - 1
    toks = []
    while i >= 0 and len(toks) < MAX_ROLE_TOKENS:
        t = doc[i]
        hyphenated = (i > 0 and doc[i - 1].text in "-–") or (i + 1 < len(doc) and doc[i + 1].text in "-–")
        if t.pos_ in ("VERB", "AUX") and (hyphenated or t.dep_ == "amod"):
            pass  # "self-proclaimed", "newly-elected"
        elif t.is_space or t.is_sent_end or t.pos_ in ("VERB", "AUX", "PRON", "CCONJ", "SCONJ", "NUM") or t.dep_ == "case":
            break
        if t.is_punct and t.text not in ("-", "–"):
            break
        if (t.ent_type_ == "PERSON" and t.text not in names) or t.lower_ in ("the", "a", "an", "to"):
            break
        toks.insert(0, t)
        i -= 1
    while toks and toks[0].pos_ == "ADP":
        toks = toks[1:]
    if toks and any(t.lower_ in titles for t in toks):
        return doc[toks[0].i : toks[-1].i + 1].text
    return None


def _role_apposition(doc, m: _Mention) -> str | None:
    titles = lexicons.words("titles.txt")
    # "the Ukrainian President, Volodymyr Zelensky": a title phrase, then a comma, then the name
    if m.token_start >= 2 and doc[m.token_start - 1].text == ",":
        j, toks = m.token_start - 2, []
        while j >= 0 and len(toks) < MAX_ROLE_TOKENS and not doc[j].is_punct and doc[j].lower_ not in ("the", "a", "to", "of") and doc[j].pos_ not in ("VERB", "AUX"):
            toks.insert(0, doc[j])
            j -= 1
        if toks and toks[-1].lower_ in titles:
            return doc[toks[0].i : toks[-1].i + 1].text
    # "Volodymyr Zelensky, the Ukrainian president,"
    if m.token_end + 1 < len(doc) and doc[m.token_end].text == ",":
        j, toks = m.token_end + 1, []
        while j < len(doc) and len(toks) < MAX_ROLE_TOKENS and not doc[j].is_punct and doc[j].pos_ not in ("VERB", "AUX"):
            toks.append(doc[j])
            j += 1
        while toks and toks[0].lower_ in ("the", "a", "an"):
            toks = toks[1:]
        if toks and any(t.lower_ in titles for t in toks) and toks[0].ent_type_ != "PERSON":
            return doc[toks[0].i : toks[-1].i + 1].text
    return None


def _role(doc, c: _Cluster) -> str | None:
    for m in sorted(c.mentions, key=lambda m: m.start):
        role = _role_before(doc, m) or _role_apposition(doc, m)
        if role:
            return role
    return None


def _lone_outlets(doc) -> list:
    """Outlet names the model tagged as nothing ("Kommersant reported ...")."""
    outlet_words = lexicons.words("outlets.txt")
    return [
        doc[t.i : t.i + 1]
        for t in doc
        if not t.ent_type_ and t.pos_ == "PROPN" and t.text in outlet_words and t.text[:1].isupper()
    ]


def _split_open_brackets(ents):
    """"National Hurricane Center (NHC" tagged as one entity, its bracket left
    open: the long form and the acronym, so that the acronym joins its long
    form ("(PG&E)" below) instead of naming a third organisation."""
    for ent in ents:
        opens = [t.i for t in ent if t.text == "("]
        if opens and not any(t.text == ")" for t in ent) and opens[0] > ent.start:
            i = opens[0]
            yield DocSpan(ent.doc, ent.start, i, label=ent.label_)
            if i + 1 < ent.end:
                yield DocSpan(ent.doc, i + 1, ent.end, label=ent.label_)
            continue
        yield ent


def build_entities(doc) -> list[Entity]:
    """Canonical entities of one parsed article, in order of first mention."""
    mentions = []
    for ent in _split_open_brackets(doc.ents):
        label = _label(ent, doc)
        if label:
            mentions.append(_mention(ent, label))
        elif ent.label_ == "LOC" and len(ent) == 1 and ent.start > 0 and doc[ent.start - 1].lower_ != "the":
            mentions.append(_mention(ent, "LOC"))  # "West" of Kanye West; kept only if a person has that name
    mentions += [_mention(span, "ORG") for span in _lone_outlets(doc)]
    clusters = _cluster(mentions, _acronyms(doc.text, mentions))
    clusters.sort(key=lambda c: min(m.start for m in c.mentions))
    out = []
    for c in clusters:
        best = c.best
        name = _clean_text(best.text) if c.label != "PERSON" else best.text
        out.append(
            Entity(
                name=name,
                type=c.label,
                code=_code(c),
                role=_role(doc, c) if c.label == "PERSON" else None,
                mentions=sorted(Span(m.start, m.end) for m in c.mentions),
            )
        )
    return out
