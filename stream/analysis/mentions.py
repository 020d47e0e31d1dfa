"""Where a sentence names a place: the tagger's places, and the names the words around them frame as places.

The small model tags many villages as organisations, people or works of art, or not at all ("near Hnutove",
"in the area of Yasynuvata"), and cuts names at their lower-case particles ("Madinat as Saleh", "Foz do
Iguacu"). A capitalised name is a place mention here when the text frames it as one:

* ``locative`` (``near`` for the prepositions that take nothing but places): after a locative preposition, past "the" and direction words ("near Hnutove", "in northern
  Kolofata"), or after one in a list ("near Opytne and Avdiivka");
* ``of``: after a place noun and "of" ("the city of Dar'a", "the outskirts of Tarhuna", "north of Saraqab");
* ``feature``: before a feature word or after a prefix one ("Bayt Maghari village", "Mankote sector area",
  "Barangay Daro", "Colonia La Jauja");
* ``container``: before the region or country that contains it ("Namava (Pemba-Metuge, Cabo Delgado)");
* ``institution``: an institution named after it ("Reno Police Department", "Greenwood police", "Stamford
  Hospital": the place, where the gazetteer knows it).

The last three frame a place even where the gazetteer does not hold the name (it then stays unknown, its text
kept); a bare locative needs the gazetteer to agree ("in Congress" is not a place). Names of known armed groups
and nationality adjectives are never places ("in Taliban attacks", "in Israeli strikes"). Nothing here needs the
parse, so unparsed sentences find their places the same way; the tagger's places keep their span, lengthened
over a particle it cut off.
"""

from __future__ import annotations

from spacy.tokens import Span

from stream.analysis import lexicon as lx
from stream.analysis.places import (Evidence, MAX_NAME, containers, group_country, is_feature_word, resolve)

PLACE_LABELS = ("GPE", "LOC", "FAC")
NOT_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
LOCATIVES = frozenset({"in", "near", "at", "outside", "inside", "into", "around", "across", "towards", "toward",
                       "between", "from", "to", "on", "nearby", "within", "throughout", "along", "outskirts"})
# Of those, the ones that take nothing but a place: "near Congress" would be a place, "in Congress" is not.
SPATIAL = frozenset({"near", "outside", "around", "towards", "toward", "between", "nearby", "along", "outskirts"})
# Nouns that, with "of", put the name after them in a place: "the city of", "the outskirts of", "north of".
OF_NOUNS = frozenset("""city town village hamlet district province governorate region county state area areas
outskirts suburbs suburb vicinity countryside environs neighbourhood neighborhood municipality prefecture locality
north south east west northeast northwest southeast southwest centre center heart edge parts part border
borders""".split())
# Words between a locative and the name: "in the northern", "near rural", "in far-western".
SKIPPED = frozenset("""the a northern southern eastern western central rural north south east west northeast
northwest southeast southwest north-east north-west south-east south-west northeastern northwestern southeastern
southwestern north-eastern north-western south-eastern south-western far extreme upper lower greater downtown
restive volatile remote embattled besieged occupied nearby neighbouring neighboring""".split())
# Feature words written before a name: "Barangay Daro", "Colonia La Jauja".
PREFIX_FEATURES = frozenset({"barangay", "colonia", "bairro", "kebele", "aldea", "vereda", "corregimiento",
                             "township", "mohalla", "moshav", "kibbutz", "tehsil", "upazila"})
# Words after a name that make it a place of some kind ("Mankote sector", "Al Zayaynya area").
AFTER_FEATURES = frozenset({"sector", "area", "areas", "camp", "neighbourhood", "neighborhood", "crossing",
                            "checkpoint", "frontline", "front", "axis", "junction", "outskirts", "suburb", "suburbs",
                            "countryside", "village", "villages", "town", "city", "district", "province", "region"})
# Institutions named after their place: "Reno Police Department", "Stamford Hospital", "Greenwood police".
INSTITUTION_WORDS = frozenset("""police sheriff sheriff's sheriff’s sheriffs department dept fire coroner coroner's
coroner’s hospital medical court council jail prison university college school schools prosecutor prosecutors
detention correctional emergency ems""".split())
PARTICLES = frozenset("""al el as ash ad ar at az an ul ud de del della der di do da dos das du des la le les
los las van von bin ibn wa e y sur upon am im""".split())
ARTICLES = frozenset({"al", "el", "as", "ash", "ad", "ar", "at", "az", "an"})
ROMAN = frozenset({"I", "II", "III", "IV", "V"})
NOT_NAMES = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday the a an this that these those his her their its our my
i we he she they it christmas ramadan eid easter covid-19 covid coronavirus""".split())
LIST_WORDS = frozenset({"and", "or", ",", "&", "("})  # a list, or the containers of "X (Y, Z)"
_TEXT = "stream.text"  # the key of a document's joined text in its user data
MIN_POPULATION = 50_000  # a name after a bare locative that the gazetteer places, unvouched, must be this big


def text_of(doc) -> str:
    """A document's text, joined once (``Doc.text`` joins its tokens again at every read)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def span_containers(span: Span) -> tuple[str, ...]:
    """The names the text says contain the span's ("Bama, Borno State")."""
    return containers(text_of(span.doc), span.start_char, span.end_char)


def place_mentions(sent: Span, evidence: Evidence = Evidence(), is_place=None) -> list[Span]:
    """The sentence's place mentions in text order: the tagger's (``is_place`` says which of its entities
    count; by default those of a place label), and the framed names it missed."""
    is_place = is_place or (lambda ent: ent.label_ in PLACE_LABELS)
    parsed = sent[0].dep_ != "" if len(sent) else False  # has_annotation("DEP") reads the whole document
    tagged = {}
    for ent in _joined([e for e in sent.ents if is_place(e)], evidence):
        span, _ = _without_prefix(_lengthened(ent, sent))
        place, institution = _without_institution(span or ent)
        known = institution and _in_gazetteer(place, evidence)  # "Stamford Hospital": Stamford
        tagged[ent.start] = place if known else span or ent
    found: list[Span] = []
    framed_end = -1  # where the last framed mention ended, for "near Opytne and Avdiivka"
    i = sent.start
    while i < sent.end:
        if i in tagged:
            span = tagged[i]
            found.append(span)
            if _frame_before(span.doc, span.start, sent.start, framed_end):
                framed_end = span.end
            i = span.end
            continue
        run = _name_run(sent, i)
        if run is None:
            i += 1
            continue
        span, prefixed = _without_prefix(run)
        span, institution = _without_institution(span) if span is not None else (None, False)
        frame = None if span is None or _is_actor(span, institution) else "feature" if prefixed else (
            "institution" if institution else _frame(span, sent, framed_end, parsed))
        if frame and _accepted(span, frame, evidence):
            found.append(span)
            framed_end = span.end if frame != "modifier" else framed_end
            i = span.end
        else:  # on to the tagger's place inside the run, if any
            i = next((k for k in range(run.start + 1, run.end) if k in tagged), run.end)
    return found


def _name_like(token) -> bool:
    text = token.text
    return (text[:1].isupper() and any(ch.isalpha() for ch in text) and token.lower_ not in NOT_NAMES
            and token.ent_type_ not in NOT_NAME_LABELS and len(text) <= MAX_NAME)


def _name_run(sent: Span, i: int) -> Span | None:
    """The capitalised name starting at token ``i``, over hyphens ("Ar-Raqqa"), particles ("Foz do Iguacu") and
    a closing numeral ("Bala Duri I"); None if none starts there."""
    doc = sent.doc
    if _article_prefix(sent, i):
        j = i + 1
    elif not _name_like(doc[i]) or (i == sent.start and doc[i].text in ("The", "A", "An")):
        return None
    else:
        j = i + 1
    while j < sent.end:
        token = doc[j]
        if _name_like(token) or (token.text in ROMAN and j > i):
            j += 1
        elif token.text == "-" and not doc[j - 1].whitespace_ and not token.whitespace_ and j + 1 < sent.end \
                and doc[j + 1].is_alpha:
            j += 2
        elif _particles(sent, j):  # "de la Mesa"
            j += _particles(sent, j) + 1
        else:
            break
    return doc[i:j]


def _particles(sent: Span, j: int) -> int:
    """How many lower-case particles start at ``j`` before a capitalised word ("do Galho": 1, "de la Mesa": 2)."""
    doc = sent.doc
    for n in (1, 2):
        if j + n >= sent.end or not all(t.lower_ in PARTICLES and t.text.islower() for t in doc[j:j + n]):
            return 0
        if _name_like(doc[j + n]):
            return n
    return 0


def _article_prefix(sent: Span, i: int) -> bool:
    """The Arabic article that opens a name in lower case: "al-Hasakeh", "as-Saan", "al Abbarah"."""
    doc = sent.doc
    if doc[i].lower_ not in ARTICLES or not doc[i].text.islower() or i + 2 >= sent.end:
        return False
    hyphen = doc[i + 1].text == "-" and not doc[i].whitespace_ and not doc[i + 1].whitespace_
    return _name_like(doc[i + 2]) if hyphen else doc[i].lower_ in ("al", "el") and _name_like(doc[i + 1])


def _joined(ents: list[Span], evidence: Evidence) -> list[Span]:
    """Tagged places side by side as one, where the gazetteer knows them so: "Baja" "California"."""
    out: list[Span] = []
    for ent in ents:
        if out and out[-1].end == ent.start and _in_gazetteer(ent.doc[out[-1].start:ent.end], evidence):
            out[-1] = ent.doc[out[-1].start:ent.end]
        else:
            out.append(ent)
    return out


def _lengthened(ent: Span, sent: Span) -> Span:
    """A tagged place with the particle and words the tagger cut off: "Madinat" of "Madinat as Saleh", and a
    prefix feature word tagged alone with its name: "Colonia" of "Colonia Jardines de la Mesa"."""
    if len(ent) == 1 and ent[0].lower_ in PREFIX_FEATURES and ent.end < sent.end:
        run = _name_run(sent, ent.end)
        return ent.doc[ent.start:run.end] if run is not None else ent
    doc, end, limit = ent.doc, ent.end, sent.end
    while end + 1 < limit and _particles(sent, end):
        end += _particles(sent, end) + 1
        while end < limit and _name_like(doc[end]) and not doc[end].ent_type_:
            end += 1
    return ent if end == ent.end else doc[ent.start:end]


def _without_prefix(span: Span) -> tuple[Span | None, bool]:
    """"Barangay Daro" -> ("Daro", True); a name without a prefix feature word -> (itself, False)."""
    if span[0].lower_ in PREFIX_FEATURES:
        return (span[1:] if len(span) > 1 else None), True
    return span, False


def _in_gazetteer(span: Span, evidence: Evidence) -> bool:
    """The gazetteer places the name, or holds namesakes of it."""
    hit = resolve(span.text, evidence)
    return hit.entry is not None or bool(hit.candidates)


def _without_institution(span: Span) -> tuple[Span | None, bool]:
    """"Reno Police Department" -> ("Reno", True); "Greenwood" before "police" -> (itself, True); a name that
    names no institution -> (itself, False)."""
    cut = next((k for k in range(1, len(span)) if span[k].lower_ in INSTITUTION_WORDS), None)
    if cut is not None:
        return span[:cut], True
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return span, after is not None and after.lower_ in INSTITUTION_WORDS and after.is_lower and span[0].lower_ \
        not in INSTITUTION_WORDS


def _is_actor(span: Span, institution: bool = False) -> bool:
    """A known armed group, a nationality adjective, or (but for an institution's place: "Reno Police") a name
    the tagger calls a group that leads a force noun ("in Houthi shelling"): not a place."""
    low = span.text.lower()
    if low in lx.ACTOR_ALIASES or low in lx.DEMONYMS or group_country(span.text) is not None:
        return True
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return not institution and after is not None and after.lower_ in lx.FORCE_NOUNS and \
        span[-1].ent_type_ in ("NORP", "ORG")


def _frame(span: Span, sent: Span, framed_end: int, parsed: bool) -> str | None:
    return _frame_before(span.doc, span.start, sent.start, framed_end) or _frame_after(span, sent, parsed)


def _frame_before(doc, start: int, sent_start: int, framed_end: int) -> str | None:
    j = start - 1
    while j >= sent_start and doc[j].lower_ in SKIPPED:
        j -= 1
    if j < sent_start:
        return None
    word = doc[j].lower_
    if word in LOCATIVES:
        return "near" if word in SPATIAL else "locative"
    if word == "of":
        k = j - 1
        while k >= sent_start and doc[k].lower_ in SKIPPED:
            k -= 1
        return "of" if k >= sent_start and doc[k].lower_ in OF_NOUNS else None
    if word in LIST_WORDS and framed_end >= 0 and framed_end in (j, j - 1):
        return "locative"  # the next of a list the first of which was framed
    return None


def _frame_after(span: Span, sent: Span, parsed: bool) -> str | None:
    doc = span.doc
    after = doc[span.end] if span.end < sent.end else None
    if after is not None and (after.lower_ in AFTER_FEATURES or is_feature_word(after.text)) and after.is_lower:
        return "feature"
    around = span_containers(span) if after is not None and after.text in (",", "(") else ()
    if around:
        hit = resolve(around[0], Evidence(), around[1:])
        if hit.entry is not None and hit.entry.kind in ("admin1", "admin2", "country"):
            return "container"
    if parsed and span.root.dep_ in ("compound", "nmod", "poss"):
        return "modifier"  # "Kharkiv regional officials": a big town only
    return None


def _accepted(span: Span, frame: str, evidence: Evidence) -> bool:
    """Whether a framed name is a place: always where the frame is strong; after a bare locative or before an
    institution, when the gazetteer places it (a region, a big town, the article's country, the only place of
    that name, or namesakes; not, after "in", "at" and the like, a name the tagger calls a person or
    organisation only because some small town bears it: "in Congress"); as a modifier, only a big town."""
    around = span_containers(span)
    hit = resolve(span.text, evidence, around)
    entry = hit.entry
    if frame == "modifier":
        return entry is not None and entry.kind == "town" and entry.population >= 2 * MIN_POPULATION \
            and not span[0].ent_type_
    if frame in ("of", "feature", "container"):
        return True
    named_otherwise = span[0].ent_type_ in ("PERSON", "ORG") and frame not in ("near", "institution")
    if entry is None:
        return bool(hit.candidates) and not named_otherwise
    vouched = hit.how == "container" or evidence.weight(entry.country_code) > 0 or any(
        r.entry is not None and r.entry.country_code == entry.country_code for r in map(resolve, around))
    return entry.kind != "town" or entry.population >= MIN_POPULATION or vouched or (
        hit.how == "unique" and not named_otherwise)
