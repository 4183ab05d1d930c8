"""Direct and mixed quotes: attach each quoted passage to its cue and speaker.

For every top-level quoted passage (nested ones stay inside their outer quote),
the cue is the first found of (see ``_find_cue``):
- a quotation standing as its own sentence: a speech verb just after it
  ("...," he said), one in a lead-in ending in a colon or comma (He said: "..."),
  one the quote hangs from in the parse, "according to X," before it, a dash
  byline ("..." ― Carla Sanchez), or a clause ending in a colon;
- a passage embedded in running prose (He called the plan "a disaster"): the
  speech verb it hangs from, "according to X", or the verb governing it when
  that verb has a person, organisation or country as subject, or a noun of
  words with an owner (his "promise" to ...). It is a mixed quote whose content
  is its clause. With no cue it is a scare quote, a title or a phrase no one is
  said to have said, and is dropped.
Then quotes split by their attribution ("A," he said, "B.") are merged into one
quote with segments, and a paragraph-opening quote with no cue continues the
previous quote's speaker. The speaker proposed here may be replaced by the
ranker (ranker.py).
"""

from __future__ import annotations

from newsledger.nlp import lexicons
from newsledger.nlp.quotes.bounds import settle
from newsledger.nlp.quotes.common import Draft, TokenIndex, is_cue, mention_span, speaker_like, subject_of
from newsledger.nlp.quotes.marks import QuoteSpan, paragraphs, trim_marks

# How far to look for a cue after a quote, in tokens ("...," Scott's niece,
# state Del. Marcia Price, shouted): stops earlier at a sentence end.
MAX_AFTER_TOKENS = 25
# How far up the parse a speech verb is looked for (the sentence root, in practice).
MAX_PARSE_STEPS = 12
# How many verbs up from an embedded quote its governing verb may be ("Kall
# compared Trump to a coach who is “working the referees”": is -> compared).
MAX_GOVERNING_VERBS = 2
# A mixed quote's content is its cue's complement clause unless that clause is
# more than this many times the quote's length (plus slack, in tokens).
MAX_CLAUSE_RATIO = 3
CLAUSE_SLACK = 10
# Children of a cue that are never its content.
SUBJECT_AND_FRAME = ("nsubj", "nsubjpass", "punct", "aux", "neg", "advmod")
# A quote in one of these complements of a verb of naming is about the verb's
# object, which joins the content ("called the senator a “nasty guy”").
PREDICATIVE = ("prep", "oprd", "xcomp", "attr", "acomp", "advcl")
# Entity types a governing verb's subject may have ("Japan branded North Korea
# an “outlaw nation”": a country speaking through its government).
GOVERNING_SUBJECTS = ("PERSON", "ORG", "NORP", "GPE")
# Paragraphs a speaker carries over to a following cue-less quote.
CONTINUATION_PARAGRAPHS = 1
SENTENCE_END = {".", "!", "?"}
DASHES = {"—", "–", "--"}
CONJUNCTIONS = {"and", "but", "or", "and then", "but also"}
POSSESSIVE_PRONOUNS = {"his", "her", "their", "its", "our", "my"}
# A quotation standing as its own sentence with no cue is kept (its speaker
# may come from the sentence before) from this many words. An embedded one
# with no cue (not even a noun of words, see _nominal_cue) is never kept: on
# PolNeAR dev those were scare quotes, titles and phrases no one in the text is
# said to have said (speaker F1 0.853 without them; 0.830 keeping them with no
# speaker, 0.848 with guessed speakers).
MIN_UNCUED_WORDS = 3
# Titles of shows, books and films in quotation marks are short and follow a
# possessive or one of these words.
MAX_TITLE_WORDS = 7
TITLE_WORDS = {"on", "in", "of", "episode", "broadcast", "titled", "entitled", "show", "program", "programme", "film", "movie", "book", "documentary", "series", "column", "headline", "song", "album"}


def find_marked(doc, quotes: list[QuoteSpan], idx: TokenIndex | None = None) -> list[Draft]:
    idx = idx or TokenIndex(doc)
    text = idx.text
    paras = paragraphs(text)
    top = [q for q in quotes if q.depth == 0]
    drafts: list[Draft] = []
    for n, q in enumerate(top):
        prev_close = top[n - 1].close if n else 0
        next_open = top[n + 1].open if n + 1 < len(top) else len(text)
        draft = _attribute(doc, idx, q, top, prev_close, next_open)
        if draft is not None:
            draft.quote_ids = [n]
            drafts.append(draft)
    drafts = _merge_split(drafts, top, text)
    drafts = settle(_merge_same_clause(drafts, text), top)
    _continue_speakers(drafts, top, paras)
    return drafts + _nested_with_their_own_speaker(doc, idx, quotes, top)


def _nested_with_their_own_speaker(doc, idx: TokenIndex, quotes: list[QuoteSpan], top) -> list[Draft]:
    """A quotation inside a quote that names its own speaker is that speaker's
    too (Bolton tweeted: "... and President Trump said, 'Let's talk about it
    tomorrow.'"). It stays inside the outer quote as well; only a named speaker
    with a cue next to the inner quotation counts, never a pronoun."""
    out = []
    inner = [q for q in quotes if q.depth == 1]
    for n, q in enumerate(inner):
        outer = next((o for o in top if o.open < q.open and q.close <= o.close), None)
        if outer is None:
            continue
        prev_close = max([outer.open] + [o.close for o in inner[:n] if o.close <= q.open])
        next_open = min([outer.close] + [o.open for o in inner[n + 1 :] if o.open >= q.close])
        cue = _cue_after(doc, idx, q, next_open) or _cue_before(doc, idx, q, prev_close)
        subj = subject_of(cue) if cue is not None else None
        if subj is None or subj.ent_type_ not in ("PERSON", "ORG") or not (outer.open < subj.idx < outer.close):
            continue
        draft = Draft(kind="direct", pieces=list(q.pieces), how="nested")
        draft.cue = (cue.idx, cue.idx + len(cue.text), cue.lemma_.lower())
        draft.speaker = mention_span(subj)
        out.append(draft)
    return out


def _embedded(text: str, q: QuoteSpan) -> bool:
    """Is the passage part of a running sentence rather than a quoted utterance?"""
    i = q.open - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    before = text[i] if i >= 0 else "\n"
    if before.isalnum() or before in "’'":
        return True
    last = text[q.end - 1] if q.end > 0 else "."
    j = q.close
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    after = text[j] if j < len(text) else "\n"
    return last not in ".!?,…—-" and text[q.end:q.close].strip("”»\"’ ") == "" and after.islower()


def _attribute(doc, idx: TokenIndex, q: QuoteSpan, top, prev_close: int, next_open: int) -> Draft | None:
    embedded = _embedded(idx.text, q)
    content = idx.text[q.start : q.end]
    if not any(c.isalpha() for c in content) or (embedded and _is_title(idx.text, q)):
        return None  # a number (a tweet id), the title of a show, a book, a film
    how, cue = _find_cue(doc, idx, q, top, prev_close, next_open, embedded)
    if cue is None and (embedded or len(content.split()) < MIN_UNCUED_WORDS):
        return None  # a scare quote, a nickname, a phrase no one is said to have said
    draft = Draft(kind="mixed" if embedded else "direct", pieces=list(q.pieces), how=how)
    if cue is None and not embedded:
        draft.speaker = _previous_sentence_subject(doc, idx, q, prev_close)
    if how == "dash":
        dash, name = cue
        draft.cue = (dash, dash + 1, "—")
        draft.speaker = mention_span(name)
    elif how in ("nominal", "adjacent"):
        word, owner = cue
        draft.cue = (word.idx, word.idx + len(word.text), word.lemma_.lower())
        draft.speaker = mention_span(owner)
        if how == "nominal" and _that_clause(word, q):  # "Trump's claim that there have been “...”"
            draft.pieces = _clause(doc, idx.text, word, q) or draft.pieces
        if how == "adjacent":  # the parse failed: the content runs from the verb to the quote
            after = doc[word.i + 1]
            draft.pieces = [(after.idx, q.close)] if after.idx < q.open else draft.pieces
    elif how == "according":
        to, obj = cue
        draft.cue = (to.idx - len("according "), to.idx + 2, "according to")
        draft.speaker = mention_span(obj)
    elif cue is not None:
        draft.cue = (cue.idx, cue.idx + len(cue.text), cue.lemma_.lower())
        draft.speaker = _speaker(doc, cue, q, embedded)
        if embedded:
            draft.pieces = _clause(doc, idx.text, cue, q) or draft.pieces
        elif how == "before" and (lead := _reported_lead_in(idx.text, cue, q)) is not None:
            draft.kind, draft.pieces = "mixed", [(lead, q.close)]
    return draft


def _reported_lead_in(text: str, cue, q: QuoteSpan) -> int | None:
    """Where a reported clause before a colon starts, when the quote completes
    it ("said she has the essential quality for the job: “Steadiness ...”"):
    the clause and the quote are one mixed quote."""
    between = [c for c in cue.children if c.dep_ == "ccomp" and cue.i < c.i and c.idx < q.open]
    if not between:
        return None
    clause = sorted(between[0].subtree, key=lambda t: t.i)
    gap = text[clause[-1].idx + len(clause[-1].text) : q.open].strip()
    if gap not in (":", ",:", "") or len(clause) < 3:
        return None
    start = clause[0]
    return start.idx + (len(start.text) + 1 if start.lower_ == "that" else 0)


def _is_title(text: str, q: QuoteSpan) -> bool:
    """A short Title Case passage after a possessive or a title word:
    Fox News’s “Fox and Friends”, the documentary “13th”."""
    words = text[q.start : q.end].split()
    if len(words) > MAX_TITLE_WORDS:
        return False
    major = [w for w in words if len(w) > 3]
    if any(not w[0].isupper() and not w[0].isdigit() for w in major):
        return False
    before = text[max(0, q.open - 25) : q.open].lower().split()
    return bool(before) and (before[-1].endswith(("’s", "'s")) or before[-1] in TITLE_WORDS)


def _previous_sentence_subject(doc, idx: TokenIndex, q: QuoteSpan, prev_close: int):
    """ "His partner, Lawrence Cummings, called him a master. “He showed ...”":
    a cue-less quote inside a paragraph speaks for the person the sentence
    before it is about (its root's subject, when that is a name or pronoun)."""
    para_start = idx.text.rfind("\n", 0, q.open) + 1
    toks = [t for t in idx.between(max(prev_close, para_start), q.open) if not t.is_space]
    if not toks:
        return None
    root = toks[-1].sent.root
    subj = subject_of(root) if root.pos_ in ("VERB", "AUX") else None
    if subj is not None and subj.idx >= prev_close and (subj.ent_type_ in ("PERSON", "ORG") or speaker_like(subj)):
        return mention_span(subj)
    return None


def _find_cue(doc, idx, q, top, prev_close, next_open, embedded):
    """(rule name, what it found) by the rules in the module docstring, in order."""
    if embedded:
        steps = [
            ("parse", lambda: _cue_by_parse(doc, idx, q, top, aside=True)),
            ("according", lambda: _according_before(doc, idx, q, prev_close, embedded=True)),
            ("governing", lambda: _governing_verb(doc, idx, q, top)),
            ("nominal", lambda: _nominal_cue(idx, q)),
            ("adjacent", lambda: _verb_just_before(idx, q)),
        ]
    else:
        steps = [
            ("after", lambda: _cue_after(doc, idx, q, next_open)),
            ("before", lambda: _cue_before(doc, idx, q, prev_close)),
            ("parse", lambda: _cue_by_parse(doc, idx, q, top)),
            ("according", lambda: _according_before(doc, idx, q, prev_close)),
            ("dash", lambda: _dash_byline(doc, idx, q)),
            ("colon", lambda: _colon_lead_in(doc, idx, q, prev_close)),
        ]
    for how, find in steps:
        found = find()
        if found is not None and how == "governing":
            # "Politifact did a fact-check on Trump's claim that there have been
            # “thousands of shootings”": a noun of words below the verb is the cue
            nominal = _nominal_cue(idx, q)
            if nominal is not None and found.is_ancestor(nominal[0]) and _that_clause(nominal[0], q):
                return "nominal", nominal
        if found is not None:
            return how, found
    return "", None


def _cue_by_parse(doc, idx: TokenIndex, q: QuoteSpan, top, aside: bool = False):
    """The nearest speech verb the quote hangs from, up to its sentence root in
    the same paragraph ("Trump tweeted, saying that Clinton had shown bad
    judgment in using her “as a paragon”": saying). A plain one ("said") wins
    over a verb that only counts with a clause ("believe"). With ``aside``
    (an embedded quote), a plain speech verb set aside in the clause it hangs
    from counts too ("Mr. Obama said, a majority of Americans have come to
    believe “...”": said, the parse's parataxis)."""
    in_quote = lambda t: q.open <= t.idx < q.close
    best, weak = None, None
    for tok in idx.between(q.open, q.close):
        head = tok.head
        if in_quote(head):
            continue  # only the quote's exits to the rest of the sentence matter
        for _ in range(MAX_PARSE_STEPS):
            if in_quote(head) or any(o.open <= head.idx < o.close for o in top) or "\n" in idx.text[min(head.idx, q.open) : max(head.idx, q.open)]:
                break
            if is_cue(head):
                best = head
                break
            said = _aside(head, q) if aside else None
            if said is not None:
                best = said
                break
            if weak is None and is_cue(head, clausal=True):
                weak = head
            if head is head.head:
                break
            head = head.head
        if best is not None:
            return best
    return weak


def _aside(head, q: QuoteSpan):
    """A plain speech verb with a subject, set off by commas before the quote
    as a parataxis of ``head``."""
    for c in head.children:
        if c.dep_ == "parataxis" and c.idx < q.open and is_cue(c) and subject_of(c) is not None:
            return c
    return None


def _verb_just_before(idx: TokenIndex, q: QuoteSpan):
    """(verb, subject) when the parse failed but the words did not: a name or
    pronoun, then a verb of saying or naming, then the rest of the sentence up
    to the quote ("Trump lauded Cain as a “powerful voice of freedom.”")."""
    toks = [t for t in idx.between(idx.text.rfind("\n", 0, q.open) + 1, q.open) if not t.is_space]
    cut = max((n + 1 for n, t in enumerate(toks) if t.text in SENTENCE_END), default=0)
    toks = toks[cut:]
    for n in range(len(toks) - 1, 0, -1):
        verb, subj = toks[n], toks[n - 1]
        if verb.tag_ in ("VBD", "VBZ", "VBP", "VBN") and is_cue(verb, clausal=True):
            return (verb, subj) if subj.ent_type_ in ("PERSON", "ORG") or speaker_like(subj) else None
    return None


def _governing_verb(doc, idx: TokenIndex, q: QuoteSpan, top):
    """A quote embedded in what someone did with words ("Reid has gone after
    Trump as a “human leech”", "Cruz exhorted Republicans to “vote your
    conscience”"): the verb it hangs from, when that verb has a person, an
    organisation or a personal pronoun as subject."""
    in_quote = lambda t: q.open <= t.idx < q.close
    for tok in idx.between(q.open, q.close):
        head = tok.head
        if in_quote(head) or _across_paragraph(idx.text, head, q):
            continue
        verbs = 0
        for _ in range(MAX_PARSE_STEPS):
            if head.pos_ == "VERB" and not in_quote(head):
                subj = subject_of(head)
                if subj is not None and (subj.ent_type_ in GOVERNING_SUBJECTS or speaker_like(subj)):
                    return head
                verbs += 1
                if verbs > MAX_GOVERNING_VERBS:
                    break
            if head is head.head or "\n" in head.whitespace_:
                break
            head = head.head
    return None


def _nominal_cue(idx: TokenIndex, q: QuoteSpan):
    """(noun, owner) for a quote that hangs from a noun of words with an owner:
    "his promise to “drain the swamp”", "Eliminating “the scourge of war” is one
    of the original goals of the United Nations" (through the copula)."""
    in_quote = lambda t: q.open <= t.idx < q.close
    for tok in idx.between(q.open, q.close):
        head = tok.head
        if in_quote(head) or _across_paragraph(idx.text, head, q):
            continue
        path = []
        for _ in range(MAX_PARSE_STEPS):
            path.append(head)
            if head is head.head or "\n" in head.whitespace_:
                break
            head = head.head
        for node in path:
            nouns = [node]
            if node.lemma_ == "be":  # the quote is (in) the subject: look in the predicate
                nouns = [t for c in node.children if c.dep_ in ("attr", "acomp") for t in c.subtree]
            for noun in nouns:
                owner = _owner(noun) if noun.lemma_.lower() in lexicons.words("nominal_cues.txt") else None
                if owner is not None:
                    return noun, owner
    return None


def _that_clause(noun, q: QuoteSpan) -> bool:
    """Does the quote stand in a "that" clause of the noun ("the claim that ...")?"""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
            return any(q.open <= t.idx < q.close for t in child.subtree)
    return False


def _across_paragraph(text: str, tok, q: QuoteSpan) -> bool:
    """A parse link from a quotation to a word beyond a paragraph break is a parse error."""
    lo, hi = (tok.idx, q.open) if tok.idx < q.open else (q.close, tok.idx)
    return "\n" in text[lo:hi]


def _owner(noun):
    """Whose words a noun of words are: its possessive, or "of" + a name."""
    for child in noun.children:
        if child.dep_ == "poss" and (child.ent_type_ in GOVERNING_SUBJECTS or child.lower_ in POSSESSIVE_PRONOUNS):
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in GOVERNING_SUBJECTS:
                    return obj
    return None


def _ends_sentence(text: str, q: QuoteSpan) -> bool:
    """Does the quote close on a full stop ("... escalation.")? Then what follows
    is a new sentence: news style puts a comma, not a stop, before "he said"."""
    inner = text[q.open : q.close].rstrip("”»\"’' \n")
    return inner.endswith(".") and not inner.endswith("...")


def _cue_after(doc, idx: TokenIndex, q: QuoteSpan, next_open: int):
    if _ends_sentence(idx.text, q):
        return None
    for n, tok in enumerate(idx.between(q.close, next_open)):
        if n >= MAX_AFTER_TOKENS or tok.text in SENTENCE_END or "\n" in tok.text:
            return None
        if is_cue(tok):
            return tok
    return None


def _lead_in(doc, idx: TokenIndex, q: QuoteSpan, prev_close: int):
    """Tokens of the clause just before a quote, if it ends in ':' or ','."""
    toks = idx.between(prev_close, q.open)
    while toks and toks[-1].is_space:
        toks = toks[:-1]  # "Caddell continued:" may stand in the paragraph before
    cut = 0
    for n, tok in enumerate(toks):
        if tok.text in SENTENCE_END or "\n" in tok.text:
            cut = n + 1
    toks = toks[cut:]
    if not toks or toks[-1].text not in (":", ","):
        return []
    return toks


def _cue_before(doc, idx: TokenIndex, q: QuoteSpan, prev_close: int):
    for tok in reversed(_lead_in(doc, idx, q, prev_close)):
        if is_cue(tok, clausal=True):
            return tok
    return None


def _dash_byline(doc, idx: TokenIndex, q: QuoteSpan):
    """ "...” ― Carla Sanchez": a dash and a name right after the quote."""
    text = idx.text
    j = q.close
    while j < len(text) and text[j] in " \t\u00a0":
        j += 1
    if j >= len(text) or text[j] not in "―—–-":
        return None
    dash = j
    names = [t for t in idx.between(j + 1, j + 60) if not t.is_space]
    if names and "\n" not in text[j : names[0].idx]:
        if names[0].pos_ == "PROPN" or names[0].ent_type_ in ("PERSON", "ORG"):
            return dash, names[0]
    return None


def _colon_lead_in(doc, idx: TokenIndex, q: QuoteSpan, prev_close: int):
    """ "Sanders made the following comment: “...”": a clause ending in a colon
    introduces the quote; its verb is the cue and its subject the speaker."""
    toks = _lead_in(doc, idx, q, prev_close)
    if not toks or toks[-1].text != ":":
        return None
    for tok in reversed(toks):
        if tok.pos_ in ("VERB", "AUX") and subject_of(tok) is not None:
            return tok
    return None


def _according_before(doc, idx, q, prev_close, embedded: bool = False):
    toks = idx.between(max(prev_close, q.open - 300), q.open) if embedded else _lead_in(doc, idx, q, prev_close)
    if embedded:
        cut = max((n + 1 for n, t in enumerate(toks) if t.text in SENTENCE_END or "\n" in t.text), default=0)
        toks = toks[cut:]
    for tok in toks:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if objs:
                return to, objs[0]
    return None


def _speaker(doc, cue, q: QuoteSpan, embedded: bool = False) -> tuple[int, int] | None:
    # a passive cue's agent speaks ("he was told by Minister X of “...”")
    subj = next((g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    subj = subj if subj is not None else subject_of(cue)
    if subj is not None and not (q.open <= subj.idx < q.close):
        return mention_span(subj)
    if embedded:
        return None  # no guessing by proximity inside running prose
    # "...," Smith's spokesman said: the nearest name or pronoun between the
    # quote and its cue; else right after the cue ("...," said Smith)
    between = [t for t in doc[max(0, cue.i - 6) : cue.i] if t.idx >= q.close]
    after = [t for t in doc[cue.i + 1 : cue.i + 4] if t.idx >= q.close]
    for t in list(reversed(between)) + after:
        if speaker_like(t):
            return mention_span(t)
    return None


def _clause(doc, text: str, cue, q: QuoteSpan) -> list[tuple[int, int]] | None:
    """The complement clause of ``cue`` that holds the quote (mixed quotes);
    when that clause is far longer than the quote, the smallest clause around
    the quote instead ("described her as a “disgrace” after she attacked
    officers and blamed shootings on “implicit bias”": blamed ...). What a
    verb of naming says is about its object, which is content too ("described
    Clinton as a “disgrace”", "exhorted Republicans to “vote your conscience”")."""
    for child in cue.children:
        if child.dep_ in SUBJECT_AND_FRAME:
            continue
        toks = sorted(child.subtree, key=lambda t: t.i)
        if not any(q.open <= t.idx < q.close for t in toks):
            continue
        quote_len = sum(1 for t in toks if q.open <= t.idx < q.close)
        if len(toks) > MAX_CLAUSE_RATIO * (quote_len + CLAUSE_SLACK):
            toks = _smallest_clause(doc, q) or toks
        elif child.dep_ in PREDICATIVE:
            objects = [t for c in cue.children if c.dep_ in ("dobj", "dative") and c.i < child.i for t in c.subtree]
            toks = sorted(objects + toks, key=lambda t: t.i)
        # a conjoined speech verb after the quote (", and later joked") is not its content
        tail = {t.i for c in child.children if c.dep_ == "conj" and c.idx >= q.close and is_cue(c, clausal=True) for t in c.subtree}
        tail |= {c.i for c in child.children if c.dep_ == "cc" and c.idx >= q.close and any(c.i + 1 == x for x in tail)}
        toks = _cut_trailer([t for t in toks if t.i not in tail], q)
        while toks and (toks[0].lower_ == "that" or toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        while toks and (toks[-1].is_punct or toks[-1].is_space):
            toks = toks[:-1]
        if toks:
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            if start < q.open and end >= q.end:
                # paraphrase around a quotation: the quotation keeps both its marks
                return [(start, max(end, q.close))]
            if start < q.open:  # the clause stops inside the quotation: the whole quotation is content
                return [(start, q.close)]
            return [trim_marks(text, start, end)]
    return None


def _cut_trailer(toks, q: QuoteSpan):
    """A clause ends before what trails the quote after a dash or after a comma
    and a participle: "“suburbs of St. Petersburg” — a metaphor for ...",
    "a “personal insult” if ..., implicitly putting his name on the line"."""
    for n, t in enumerate(toks):
        if t.idx < q.close or n + 1 >= len(toks):
            continue
        after = toks[n + 1]
        if t.text in DASHES or (t.text == "," and after.tag_ == "VBG"):
            return toks[:n]
    return toks


def _smallest_clause(doc, q: QuoteSpan):
    """The subtree of the nearest verb above the quote, outside it."""
    for tok in doc:
        if q.open <= tok.idx < q.close and not (q.open <= tok.head.idx < q.close):
            head = tok.head
            while head.pos_ not in ("VERB", "AUX") and head is not head.head:
                head = head.head
            if head.pos_ in ("VERB", "AUX"):
                return sorted(head.subtree, key=lambda t: t.i)
    return None


def _merge_split(drafts: list[Draft], top, text: str) -> list[Draft]:
    """ "A," he said, "B."  ->  one quote with two segments."""
    out: list[Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, d, top, text):
            prev.pieces += d.pieces
            prev.quote_ids += d.quote_ids
            continue
        out.append(d)
    return out


def _continues(prev: Draft, d: Draft, top, text: str) -> bool:
    if d.kind != "direct" or prev.cue is None:
        return False
    gap_start, gap_end = top[prev.quote_ids[-1]].close, top[d.quote_ids[0]].open
    if "\n" in text[gap_start:gap_end] or not (gap_start <= prev.cue[0] < gap_end):
        return False
    return d.cue is None or d.cue == prev.cue or d.how == "parse"


def _merge_same_clause(drafts: list[Draft], text: str) -> list[Draft]:
    """Several fragments in one mixed clause are one quote, and so are two
    clauses of one cue joined by a conjunction ("said she wanted to speak
    “directly to white people” and let them know that “this is not who we are”")."""
    out: list[Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if prev and d.kind == "mixed" and prev.kind == "mixed" and d.cue == prev.cue and d.cue is not None:
            if d.pieces == prev.pieces:
                prev.quote_ids += d.quote_ids
                continue
            if text[prev.end : d.start].strip(" ,;").lower() in CONJUNCTIONS:
                prev.pieces = [(prev.start, d.end)]
                prev.quote_ids += d.quote_ids
                continue
        out.append(d)
    return out


def _continue_speakers(drafts: list[Draft], top, paras) -> None:
    """A paragraph-opening quote with no cue continues the previous speaker."""
    para_of = lambda pos: next((n for n, (s, e) in enumerate(paras) if s <= pos < e), -1)
    for prev, d in zip(drafts, drafts[1:]):
        if d.cue is not None or d.kind != "direct" or prev.speaker is None:
            continue
        q = top[d.quote_ids[0]]
        pn, dn = para_of(prev.end), para_of(q.open)
        if q.open == paras[dn][0] and 0 < dn - pn <= CONTINUATION_PARAGRAPHS:
            d.speaker, d.inherited = prev.speaker, True
