"""What surrounds a claim: who says so, how sure, when, where, and by whom.

Shared by casualty and attack claims. ``ArticleContext`` carries what one sentence
needs from the ones before it (the last named source, for "they said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
from stream.analysis.actors import describe
from stream.analysis.dates import resolve_time
from stream.analysis.mentions import place_mentions as mentions
from stream.analysis.mentions import span_containers, text_of
from stream.analysis.places import (LOCATION_FIELDS, Evidence, country_fields, country_name,
                                    geo_fields, is_country, is_feature_word)
from stream.analysis.syntax import (
    ancestors_with_self,
    children,
    clause_head,
    distance,
    first_child,
    governing_clauses,
    in_span,
    phrase,
)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
ACTOR_LABELS = {"ORG", "NORP", "GPE", "PERSON"}


@dataclass
class ArticleContext:
    """Article-level facts the sentence rules read, plus what earlier sentences established."""

    offset: int  # character offset of the current block in the body
    published: date | None
    historical_days: int
    dateline_place: str | None = None
    dateline_containers: tuple[str, ...] = ()  # "COLUMBUS, Ohio": the dateline's state or country
    main_place: tuple[str, tuple[str, ...]] | None = None  # the place the article is about, with its containers
    last_source: str | None = None  # last named attribution, for pronouns
    last_actor: str | None = None  # last organisation or group subject, for "it"
    last_place: tuple[str, tuple[str, ...]] | None = None  # the last place of an earlier sentence of the paragraph
    place_names: frozenset[str] = frozenset()  # names tagged as places somewhere in the article
    lede_time: dict | None = None  # the date the first sentence gives its story, for undated claims
    violent: bool = True  # some sentence of the article speaks of violence (see has_violence)
    quoting: str | None = None  # "Police said:" ended the last sentence: its quotation follows
    countries: Evidence = Evidence()  # what the article's places, demonyms and groups say of where it is
    geocoded: dict | None = None  # place name -> its entity's location fields (read with the text around it)
    mentions: dict = field(default_factory=dict)  # (document, start, end) of a sentence -> its place mentions

    def is_place(self, ent: Span) -> bool:
        """A place entity, or a name the article tags as a place elsewhere ("Kharkiv officials" as ORG)."""
        return (ent.label_ in PLACE_LABELS or ent.text in self.place_names) and _plausible_place(ent)
    sentence_index: int = 0

    def span_dict(self, span: Span) -> dict:
        return {"text": span.text, "start": span.start_char + self.offset, "end": span.end_char + self.offset}


# -- actors ------------------------------------------------------------------------------
def canonical_actor(span: Span) -> str | None:
    """One canonical name for an actor phrase: "Israeli forces" -> Israel, "Hezbollah" -> Hezbollah."""
    text = span.text.lower().replace("\u2019", "'").removeprefix("the ")
    if text in lx.ACTOR_ALIASES:
        return lx.ACTOR_ALIASES[text]
    if text in lx.DEMONYMS:
        return lx.DEMONYMS[text]
    for token in span:
        word = token.lower_
        if word in lx.ACTOR_ALIASES and (token.ent_type_ in ACTOR_LABELS or token.pos_ == "PROPN") \
                and not _opposed(token):
            return lx.ACTOR_ALIASES[word]
    for ent in span.ents:
        name = ent.text.lower().removeprefix("the ")
        if ent.label_ == "NORP" and name in lx.DEMONYMS:
            return lx.DEMONYMS[name]
        if ent.label_ == "GPE":
            return lx.COUNTRY_ALIASES.get(name, ent.text.removeprefix("the "))
        if ent.label_ == "ORG" and not name.endswith("-"):  # not the "anti-" of "anti-Houthi forces"
            first = ent[1] if ent[0].lower_ == "the" and len(ent) > 1 else ent[0]
            if name not in lx.ACTOR_ALIASES and first.lower_ in lx.DEMONYMS:
                return lx.DEMONYMS[first.lower_]  # "the Ukrainian Forces" tagged as one ORG
            return lx.ACTOR_ALIASES.get(name, ent.text.removeprefix("the "))
    for token in span:
        if token.lower_ in lx.DEMONYMS and token.pos_ in ("ADJ", "PROPN", "NOUN"):
            return lx.DEMONYMS[token.lower_]
    return None


def _opposed(token: Token) -> bool:
    """The "Houthi" of "anti-Houthi forces": the name of their enemy."""
    return token.i >= 2 and token.nbor(-1).text == "-" and token.nbor(-2).lower_ == "anti"


def actor_from(token: Token, ctx: ArticleContext) -> dict | None:
    """The actor a noun phrase names, if it names one (a group, a country's forces, a person)."""
    span = phrase(token)
    name = next((e for e in token.sent.ents if e.start <= token.i < e.end and e.start < span.start), None)
    if name is not None:
        span = token.doc[name.start:span.end]  # the name's first word misparsed off the phrase ("IS fighters")
    if token.lower_ in lx.PRONOUNS:
        return describe(token.text, ctx.last_actor) if ctx.last_actor else None
    if _denied(token):
        return None  # "No group has claimed responsibility"
    head = token.lower_
    is_actorish = (
        token.ent_type_ in ACTOR_LABELS
        or head in lx.FORCE_NOUNS
        or head in lx.ACTOR_ALIASES
        or lx.VICTIM_KINDS.get(head) in ("soldiers", "police", "militants")
        or (head in ("men", "man", "individuals") and any(c.lower_ in lx.ARMED_MODIFIERS for c in token.children))
        or any(t.ent_type_ in ("ORG", "NORP", "GPE") for t in span)
    )
    if not is_actorish:
        return None
    return describe(span.text, canonical_actor(span))


def _denied(token: Token) -> bool:
    return token.lower_ in ("nobody", "none", "no-one", "noone") or any(
        c.dep_ == "det" and c.lower_ in ("no", "none") for c in token.children)


def actor_in_modifiers(token: Token) -> Span | None:
    """An actor named inside an attack phrase: "Israeli air strikes" -> "Israeli", "a Hamas attack" -> "Hamas"."""
    for child in token.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod") and (
            child.ent_type_ in ("NORP", "ORG", "GPE") or child.lower_ in lx.DEMONYMS or child.lower_ in lx.ACTOR_ALIASES
        ):
            return phrase(child, with_of=False)
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            pobj = first_child(child, "pobj")
            if pobj is not None:
                return phrase(pobj)
    return None


# -- attribution -----------------------------------------------------------------------------
def _can_speak(token: Token) -> bool:
    """A source is a person, an office or a group, never an attack ("strikes said" is a misparse)."""
    if token.lower_ in lx.ATTACK_NOUNS or token.lower_ in lx.WEAPON_WORDS or token.like_num:
        return False
    return token.pos_ in ("NOUN", "PROPN", "PRON")


def _speech_source(verb: Token, ctx: ArticleContext) -> str | None:
    agent = first_child(verb, "agent")
    candidates = [*children(verb, "nsubj", "nsubjpass"), *([first_child(agent, "pobj")] if agent is not None else []),
                  *(c for c in verb.children if c.dep_ in ("npadvmod", "dep", "attr") and c.i < verb.i)]
    subj = next((c for c in candidates if c is not None and _can_speak(c)), None)
    if subj is None:
        return None
    if subj.lower_ in lx.PRONOUNS:
        return ctx.last_source
    return phrase(subj).text


def attribution(trigger: Token, sent: Span, ctx: ArticleContext) -> dict | None:
    """Who the sentence says reported the claim: "X said ...", "..., X said", "according to X"."""
    for node in ancestors_with_self(trigger):
        if node.lower_ in lx.SPEECH_VERBS and node.pos_ in ("VERB", "AUX") and node is not trigger:
            source = _speech_source(node, ctx)
            if source:
                return {"text": source, "verb": node.text}
    for token in sent:
        if token.lower_ == "according":
            to = first_child(token, "prep")
            pobj = first_child(to, "pobj") if to is not None else None
            if pobj is not None:
                return {"text": phrase(pobj).text, "verb": "according to"}
        if token.dep_ == "parataxis" and token.lower_ in lx.SPEECH_VERBS:
            source = _speech_source(token, ctx)
            if source:
                return {"text": source, "verb": token.text}
    if ctx.quoting:
        return {"text": ctx.quoting, "verb": "quoted"}  # the quotation a "X said:" sentence opened
    return None


# -- certainty ---------------------------------------------------------------------------------
def _negated(trigger: Token, victim: Token | None) -> bool:
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    aux_neg = any(c.dep_ == "neg" for aux in children(trigger, "aux", "auxpass") for c in aux.children)
    if aux_neg:
        return True
    if victim is not None and (victim.lower_ in ("no", "none", "nobody", "noone", "no-one") or any(
        c.lower_ in ("no", "zero") and c.dep_ in ("det", "nummod") for c in victim.children
    )):
        return True
    return any(c.lower_ in ("no", "zero") and c.dep_ == "det" for c in trigger.children)


def certainty(trigger: Token, victim: Token | None, source: dict | None) -> str:
    """asserted | reported | claimed | denied | negated | hypothetical (checked in that order of strength)."""
    if _negated(trigger, victim):
        return "negated"
    chain = list(ancestors_with_self(trigger))[:6]
    for node in chain:
        if node.lower_ in lx.DENIAL_VERBS:
            return "denied"
    for node in chain:
        words = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass", "mark")}
        if words & {"could", "would", "might", "may", "should", "if", "unless", "can", "must"}:
            return "hypothetical"
        if node is not trigger and node.lower_ in lx.HYPOTHETICAL_VERBS and node.pos_ in ("VERB", "AUX"):
            return "hypothetical"
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if node.pos_ in ("VERB", "AUX") and node.dep_ in ("ccomp", "advcl", "ROOT", "relcl", "parataxis", "conj") \
                and not infinitive:
            break  # the modality of an enclosing clause is not this claim's, but "thwarted a plot to kill" is
    for node in chain:
        if node.lower_ in lx.CLAIM_VERBS and node is not trigger:
            return "claimed"
    return "reported" if source else "asserted"


# -- time ----------------------------------------------------------------------------------------
def _is_future(trigger: Token) -> bool:
    head = clause_head(trigger)
    return any(c.lower_ in ("will", "'ll", "shall") and c.dep_ in ("aux", "auxpass") for c in (*trigger.children, *head.children))


def claim_time(trigger: Token, sent: Span, ctx: ArticleContext) -> dict:
    """The time of the claim: the nearest resolvable DATE/TIME of its own (or its reporting) clause; else
    the date the article's first sentence gives its story (later sentences usually tell the same event);
    else the publication day."""
    own = _time_in(trigger, sent, ctx)
    if own is not None:
        return own
    if ctx.lede_time is not None:
        return {**ctx.lede_time, "basis": "lede"}
    if ctx.published is None:
        return {"text": None, "date": None, "date_end": None, "precision": None, "basis": None, "start": None,
                "end": None}
    day = ctx.published.isoformat()
    return {"text": None, "date": day, "date_end": day, "precision": "day", "basis": "published_at", "start": None,
            "end": None}


def lede_time(sent: Span, ctx: ArticleContext) -> dict | None:
    """The date of the first sentence's main clause: "On 29 April, gunmen killed ..." dates the story."""
    return _time_in(sent.root, sent, ctx)


def _time_in(trigger: Token, sent: Span, ctx: ArticleContext) -> dict | None:
    best = None
    clauses = governing_clauses(trigger)
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME") or clause_head(ent.root).i not in clauses:
            continue
        resolved = resolve_time(ent.text, ctx.published, future=_is_future(trigger))
        if resolved is None:
            continue
        score = distance(ent.root, trigger)
        if best is None or score < best[0]:
            best = (score, ent, resolved)
    if best is not None:
        _, ent, resolved = best
        return {"text": ent.text, "date": resolved.start.isoformat(), "date_end": resolved.end.isoformat(),
                "precision": resolved.precision, "basis": "text", "start": ent.start_char + ctx.offset,
                "end": ent.end_char + ctx.offset}
    return None


def is_historical(time: dict, ctx: ArticleContext) -> bool:
    if not time.get("date") or ctx.published is None or time["basis"] not in ("text", "lede"):
        return False
    # A difference of two dates, never a date minus days: that overflows for a publication in year 1.
    return (ctx.published - date.fromisoformat(time["date"])).days > ctx.historical_days


# -- background ----------------------------------------------------------------------------------
def is_background(trigger: Token, sent: Span, time: dict, victim: Token | None = None) -> bool:
    """Cumulative tolls and past context: "since the war began", "have been killed since Saturday",
    "even after assassinating ...", "protested against the killing of ...", and "the death of <a named
    person>" with no date of its own (a reference to an event already known)."""
    clause = clause_head(trigger)
    scope = clause.doc[clause.left_edge.i:clause.right_edge.i + 1].text.lower()
    if any(marker in scope for marker in lx.CUMULATIVE_MARKERS):
        return True
    if any(c.lower_ == "since" and c.dep_ == "prep" for node in (trigger, *_enclosing(clause)) for c in node.children):
        return True  # a toll counted since some time ("since Saturday") is cumulative
    if any(node.lower_ in lx.COMMEMORATION_WORDS for node in trigger.ancestors):
        return True
    if time.get("basis") == "text":
        return False
    if trigger.pos_ == "NOUN" and victim is not None and victim.ent_type_ == "PERSON":
        return True
    for node in ancestors_with_self(trigger):
        if node.dep_ == "pcomp" and node.head.lower_ in lx.CONTEXT_PREPOSITIONS:
            return True
        if node is clause:
            break
    return False


def _enclosing(clause: Token) -> list[Token]:
    """A clause and, for a relative clause, the clauses it describes a noun of: "Since Monday the army
    has carried out raids that killed 40" counts the 40 since Monday."""
    clauses = [clause]
    while clauses[-1].dep_ == "relcl":
        clauses.append(clause_head(clauses[-1].head))
    return clauses


# -- place -----------------------------------------------------------------------------------------
def _plausible_place(ent: Span) -> bool:
    """NER calls "Gunmen" at a sentence start a place now and then: a common noun of ours is not one."""
    low = ent.text.lower().removeprefix("the ")
    return not (low in lx.PERSON_NOUNS or low in lx.FORCE_NOUNS or low in lx.ATTACK_NOUNS)


def claim_place(
    trigger: Token, sent: Span, ctx: ArticleContext, avoid: list[Span], demote: list[Span], prefer: list[Span] = ()
) -> dict | None:
    """The claim's place: nearest place in its clause or sentence, then the place its source speaks for,
    an earlier sentence of the paragraph, the dateline, the article's main place. Places inside the target win; places in the source's phrase
    lose; places that only modify another noun ("U.S. push", "Gaza health officials") do not count."""
    ranked = []
    source_place = None
    for ent in _innermost(place_mentions(sent, ctx)):
        if any(in_span(ent.root, s) for s in avoid) or ent.root.dep_ in ("nsubj", "nsubjpass"):
            continue  # "Russia launched missiles": a subject is an actor, not a place
        if any(in_span(ent.root, s) for s in demote):
            source_place = source_place or ent  # "Gaza health officials": where the source speaks for
            continue
        preferred = any(in_span(ent.root, s) for s in prefer)
        modifier = ent.root.dep_ in ("compound", "amod", "nmod", "npadvmod") and ent.root.head.ent_type_ not in PLACE_LABELS \
            and not is_feature_word(ent.root.head.lower_)  # "Bali Doogle village" is a place
        if modifier and not preferred and ent.root.head is not trigger:
            continue
        ranked.append((distance(ent.root, trigger) - (3 if preferred else 0) + (3 if is_country(ent.text) else 0), ent))
    ranked.sort(key=lambda se: se[0])
    places = [_place(ent, ctx, "clause" if score <= 4 else "sentence") for score, ent in ranked]
    known = next((p for p in places if _known(p)), None)
    if known is not None:  # the nearest place the gazetteer knows
        return known
    if source_place is not None:
        source = _place(source_place, ctx, "source")
        if _known(source) or not places:
            return source
    around = _around(ctx)
    if places:  # named but not known ("Coastland Center Mall"): in the place around it, where one is known
        return _borrowed(places[0], around) if around is not None and _known(around) else places[0]
    if around is not None:
        return around
    country = ctx.countries.main_country()  # no place named: the country the article's demonyms or groups say
    return None if country is None else {"text": country_name(country), "start": None, "end": None, "basis": "article",
                                         **country_fields(country)}


def _around(ctx: ArticleContext) -> dict | None:
    """Where the sentence is when it names no place: the paragraph's last place, the dateline's, the article's
    main place; the first of them the gazetteer knows, else the first named."""
    chain = ((*(ctx.last_place or (None, ())), "previous_sentence"),
             (ctx.dateline_place, ctx.dateline_containers, "dateline"), (*(ctx.main_place or (None, ())), "article"))
    places = [{"text": name, "start": None, "end": None, "basis": basis, **_geo(name, ctx, around)}
              for name, around, basis in chain if name]
    return next((p for p in places if _known(p)), places[0] if places else None)


def _borrowed(place: dict, around: dict) -> dict:
    """An unknown place's name and offsets with the location fields of the known place around it, at the
    precision of a region at best (the name is somewhere in or near it)."""
    fields = {k: around[k] for k in LOCATION_FIELDS}
    return {**place, **fields, "precision": max(around["precision"] or 3, 2), "resolution": "article_place",
            "candidate_countries": place["candidate_countries"]}


def _known(place: dict) -> bool:
    """The place's own name was resolved (not only the article's country put in for it)."""
    return place["resolution"] not in (None, "article_country")


def _geo(name: str, ctx: ArticleContext, around: tuple[str, ...] = ()) -> dict:
    """The place's location fields; if it is unknown or ambiguous, the country the article is about."""
    geo = geo_fields(name, ctx.countries, around)
    if geo["country_code"] is None and name in (ctx.geocoded or {}):
        geo = dict(ctx.geocoded[name])  # "Zainapora" alone, placed where the text said "Zainapora town (Shopian, J&K)"
    country = ctx.countries.main_country()
    if geo["country_code"] is None and country is not None:
        geo.update(country_fields(country), candidate_countries=geo["candidate_countries"])
    return geo


def _place(ent: Span, ctx: ArticleContext, basis: str) -> dict:
    text = ent.text.removeprefix("the ")
    return {"text": text, "start": ent.start_char + ctx.offset, "end": ent.end_char + ctx.offset, "basis": basis,
            **_geo(text, ctx, span_containers(ent))}


def place_mentions(sent: Span, ctx: ArticleContext) -> list[Span]:
    """The sentence's places: tagged ones, and towns the tagger missed (found once per sentence)."""
    key = (id(sent.doc), sent.start, sent.end)
    if key not in ctx.mentions:
        ctx.mentions[key] = mentions(sent, ctx.countries, ctx.is_place)
    return ctx.mentions[key]


def remember(sent: Span, ctx: ArticleContext) -> None:
    """Carry the sentence's named source, organisation subject and last place to the next sentences."""
    ctx.quoting = None
    speaker = next((t for t in sent if t.lower_ in lx.SPEECH_VERBS and t.pos_ == "VERB"), None)
    if speaker is not None and sent.text.rstrip().endswith(":"):
        ctx.quoting = _speech_source(speaker, ctx)
    for token in sent:
        if token.dep_ not in ("nsubj", "nsubjpass") or token.lower_ in lx.PRONOUNS:
            continue
        if token.head.lower_ in lx.SPEECH_VERBS:
            ctx.last_source = phrase(token).text
        if token.ent_type_ in ("ORG", "GPE", "NORP"):
            span = phrase(token)
            ctx.last_actor = canonical_actor(span) or span.text
    _remember_place(sent, ctx)


def _remember_place(sent: Span, ctx: ArticleContext) -> None:
    """The sentence's last place the gazetteer knows, else its last place, for the sentences after it."""
    places = [(ent, _place(ent, ctx, "sentence")) for ent in _innermost(place_mentions(sent, ctx))]
    known = [p for p in places if _known(p[1])]
    if places:
        ent, geo = known[-1] if known else places[-1]
        inner = [e for e, g in known if _inside(g, geo)]
        last = inner[-1] if inner else ent
        ctx.last_place = (last.text.removeprefix("the "), span_containers(last))


def _innermost(mentions: list[Span]) -> list[Span]:
    """The mentions but those the text gives as the container of the one before ("in Tonala, Jalisco": the
    town, not its state; the town is read inside its state)."""
    return [m for k, m in enumerate(mentions) if k == 0 or not _contains(mentions[k - 1], m)]


_CONTAINER_LINK = re.compile(r"\s*(?:,|\(|\bin\b)\s*(?:the\s+)?$", re.I)


def _contains(before: Span, after: Span) -> bool:
    """The text puts ``before`` in ``after``: "Tonala, Jalisco", "Namava (Cabo Delgado)", "Jurdi in Deir-ez-Zor"."""
    return bool(_CONTAINER_LINK.fullmatch(text_of(before.doc)[before.end_char:after.start_char]))


def _inside(inner: dict, outer: dict) -> bool:
    return inner["country_code"] == outer["country_code"] and inner["precision"] < outer["precision"] and (
        outer["admin1_code"] is None or inner["admin1_code"] == outer["admin1_code"])


def remember_unparsed(sent: Span, ctx: ArticleContext) -> None:
    """What an unparsed sentence (no claim word) leaves for the next: its last place, and, if it speaks
    ("X said ..."), its last named person or organisation as the source of what follows."""
    ctx.quoting = None
    _remember_place(sent, ctx)
    if any(t.lower_ in lx.SPEECH_VERBS for t in sent):
        named = [e for e in sent.ents if e.label_ in ("PERSON", "ORG", "NORP")]
        if named:
            ctx.last_source = named[-1].text


def _violent_token(token: Token) -> bool:
    low = token.lower_
    if low in lx.VIOLENCE_CUES:
        return True
    if low in ("shot", "shoot") and token.pos_ == "VERB":  # "was shot", "shot a man"; not "took a shot"
        return any(c.dep_ in ("nsubjpass", "auxpass") or c.lower_ == "dead" for c in token.children) or any(
            c.dep_ == "dobj" and (c.ent_type_ == "PERSON" or c.lower_ in lx.PERSON_NOUNS) for c in token.children)
    if low in lx.ARMED_COLLECTIVES and token.pos_ in ("NOUN", "PROPN"):
        return any(c.dep_ in ("compound", "amod", "nmod", "poss") and (c.ent_type_ in ("NORP", "ORG", "GPE")
                   or c.pos_ == "PROPN" or c.lower_ in _ARMED_WORDS) for c in token.children)
    return False


_ARMED_WORDS = {"security", "armed", "government", "rebel", "military", "special", "pro-government", "regime",
                "allied", "coalition", "opposition", "joint", "enemy", "federal", "state", "militia", "police"}


def has_violence(sent: Span, *, besides: Token | None = None) -> bool:
    """A violence cue in the sentence (other than ``besides``): weapons, armed men, killings."""
    if any((besides is None or t.i != besides.i) and _violent_token(t) for t in sent):
        return True
    text = sent.text.lower()
    return any(phrase in text for phrase in lx.VIOLENCE_PHRASES)
