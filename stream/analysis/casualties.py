"""Casualty claims: who was killed, injured, abducted, arrested, displaced or is missing, and how many.

Each rule starts from a trigger word and reads the parse around it:

* transitive verbs: "Israeli strikes killed 20 people" (object), "20 people were killed by X" (passive subject);
* intransitive verbs: "14 people died", "thousands fled";
* predicate adjectives: "left 7 dead", "a man was shot dead", "three remain missing";
* nouns: "45 fatalities", "the death of X", "the bodies of 12 people", "the death toll rose to 45";
* phrases: "taken hostage", "lost their lives", "lost its leader in an airstrike".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
from stream.analysis.claims import base_claim, is_attack_noun, responsible_actor
from stream.analysis.context import ArticleContext
from stream.analysis.quantities import Count, parse_count
from stream.analysis.syntax import first_child, is_passive, subject_of
from stream.analysis.victims import Victims, read_victims, subset_victims

_TOLL_VERBS = {"rose", "rise", "risen", "rises", "climbed", "climb", "climbs", "increased", "jumped", "reached",
               "reaches", "hit", "surged", "soared", "stood", "stands", "stand", "is", "was", "has", "had", "topped"}
_REVISION_VERBS = {"rose", "rise", "risen", "rises", "climbed", "climb", "climbs", "increased", "jumped", "surged",
                   "soared", "topped"}
_TAKE_VERBS = {"take", "taken", "took", "taking", "held", "hold", "holding", "seize", "seized", "captured", "capture"}
_LOSS_VERBS = {"lost", "lose", "loses", "losing"}
_FATAL_ADVERBS = {"fatally", "mortally"}
_SINGLE_DEATH_NOUNS = {"homicide", "murder", "killing", "slaying", "death", "assassination"}
_SHOOTING_VERBS = {"shot", "shoot", "shoots", "shooting", "stabbed", "stab", "stabbing"}
_SUFFER_VERBS = {"suffered", "suffer", "suffers", "sustained", "sustain", "received", "receiving", "suffering",
                 "sustaining"}
_ADDITIVE = {"other", "another", "also", "additional", "further", "more", "too"}
_NEGATABLE_TOLLS = {"casualties", "casualty", "fatalities", "deaths", "injuries", "dead"}


@dataclass
class Found:
    status: str
    trigger: Token
    victims: Victims | None
    count: Count | None
    agent: Token | None = None  # the phrase naming who did it (subject, "by" agent, cause)
    toll_update: bool = False
    bodies: bool = False
    subset: bool = False

    @property
    def additional(self) -> bool:
        """"two other policemen were killed", "another soldier died", "militants were also killed"."""
        tokens = list(self.victims.span) if self.victims and self.victims.span is not None else []
        if self.victims and self.victims.count_span is not None:
            tokens += list(self.victims.count_span)
        tokens += [c for c in self.trigger.children if c.dep_ == "advmod"]
        return any(t.lower_ in _ADDITIVE and not _bound(t) for t in tokens)


def _bound(token: Token) -> bool:
    """The "more" of "more than 20": a bound on the figure, not more victims."""
    return token.lower_ == "more" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "than"


def _agent(verb: Token) -> Token | None:
    by = first_child(verb, "agent")
    return first_child(by, "pobj") if by is not None else None


def _cause(verb: Token) -> Token | None:
    """What caused deaths named without an agent: "died in an Israeli strike", "after gunmen opened fire"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "by", "from", "after", "following", "amid"):
            pobj = first_child(child, "pobj")
            if pobj is not None and is_attack_noun(pobj):
                return pobj
        if child.dep_ == "advcl" and child.lower_ in lx.ATTACK_VERBS | {"opened", "open"}:
            return subject_of(child)
    return None


def _shared_object(verb: Token) -> Token | None:
    """The object of a verb, or the one it shares with its conjunct: "killing and wounding 12 fighters"."""
    obj = first_child(verb, "dobj")
    if obj is None and first_child(verb, "nsubj", "nsubjpass") is None:
        for conj in (c for c in verb.children if c.dep_ == "conj"):
            obj = first_child(conj, "dobj")
            if obj is not None:
                break
    return obj


def _verb_claim(token: Token, status: str) -> Found | None:
    if is_passive(token):
        subj = subject_of(token)  # shared in "were shot and killed", "was attacked and beaten to death"
        if subj is None and token.dep_ in ("acl", "amod"):
            subj = token.head  # "20 people killed in the raid"
        victims = read_victims(subj) if subj is not None else None
        return Found(status, token, victims, victims and victims.count, _agent(token) or _cause(token))
    obj = _shared_object(token)
    if obj is not None:
        victims = read_victims(obj)
        return Found(status, token, victims, victims and victims.count, subject_of(token))
    subj = first_child(token, "nsubj")
    if subj is not None and token.tag_ == "VBN":  # "... and 12 wounded"
        victims = read_victims(subj)
        return Found(status, token, victims, victims and victims.count, _cause(token))
    return None


def _intransitive_claim(token: Token, status: str) -> Found | None:
    if token.lower_ == "missing" and first_child(token, "dobj") is not None:
        return None  # "missing the deadline"
    subj = subject_of(token)
    if subj is not None and subj.dep_ not in ("nsubj", "nsubjpass") and token.dep_ == "relcl":
        subj = token.head
    if subj is None:
        return None
    victims = read_victims(subj)
    return Found(status, token, victims, victims and victims.count, _cause(token))


def _adjective_claim(token: Token, status: str) -> Found | None:
    """"left 7 dead", "was shot dead", "were found dead", "three remain missing", "at least 7 dead"."""
    nummod = first_child(token, "nummod")
    if nummod is not None:
        count = parse_count(token.doc[nummod.left_edge.i:nummod.i + 1].text)
        return Found(status, token, None, count, _cause(token.head))
    if token.dep_ == "amod" and token.head.dep_ == "dobj" and token.head.head.lower_ in lx.KILLING_VERBS_WITH_COMPLEMENT:
        verb = token.head.head  # "police shot dead two suspects"
        victims = read_victims(token.head)
        return Found(status, verb, victims, victims and victims.count, subject_of(verb))
    if token.dep_ not in ("oprd", "acomp", "xcomp", "ccomp", "conj", "attr", "advmod"):
        return None
    verb = token.head
    victims = _victims_of(verb)
    if victims is None:
        return None
    agent = subject_of(verb) if first_child(verb, "dobj") is not None else _agent(verb) or _cause(verb)
    return Found(status, verb if verb.lower_ in lx.KILLING_VERBS_WITH_COMPLEMENT else token, victims,
                 victims and victims.count, agent)


def _victims_of(verb: Token) -> Victims | None:
    """Victims held by a verb ("left 7 dead", "a man was found dead"): its object, else its subjects from
    the nearest out (a misparse can hang a date's number on the verb as a second subject), else the
    subject it shares ("sustained wounds and was pronounced dead")."""
    holders = [c for c in verb.children if c.dep_ == "dobj"]
    holders += sorted((c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")), key=lambda c: -c.i)
    if not holders and (shared := subject_of(verb)) is not None:
        holders.append(shared)
    return next((v for v in map(read_victims, holders) if v is not None), None)


def _toll_count(toll: Token) -> tuple[Count | None, bool]:
    """The figure a toll noun is given: "rose to 45", "reached 45", "a toll of 45", "the toll is 45"."""
    of = first_child(toll, "prep")
    if of is not None and of.lower_ in ("of", "at"):
        pobj = first_child(of, "pobj")
        if pobj is not None and pobj.like_num:
            return parse_count(toll.doc[pobj.left_edge.i:pobj.right_edge.i + 1].text), False
    verb = toll.head
    if toll.dep_ in ("nsubj", "nsubjpass") and verb.lower_ in _TOLL_VERBS:
        for child in verb.children:
            target = first_child(child, "pobj") if child.dep_ == "prep" and child.lower_ in ("to", "at") else (
                child if child.dep_ in ("dobj", "attr", "npadvmod") else None)
            if target is not None and (target.like_num or target.pos_ == "NUM"):
                span = toll.doc[target.left_edge.i:target.right_edge.i + 1]
                return parse_count(span.text), verb.lower_ in _REVISION_VERBS
    return None, False


def _no_casualties(token: Token) -> Found | None:
    """"no casualties", "without casualties": a negated claim that anyone was killed."""
    if any(c.lower_ in ("no", "zero") for c in token.children) or token.head.lower_ == "without":
        return Found("killed", token, None, Count(0, 0, 0, text="no"))
    return None


def _noun_claim(token: Token, status: str) -> Found | None:
    if status == "injured" and (hurt := _suffered(token, status)) is not None:
        return hurt
    bodies = token.lower_ in lx.BODY_NOUNS
    parent = token.head
    if token.dep_ == "pobj" and parent.lower_ == "of" and (
        parent.head.like_num or parent.head.lower_ in lx.QUANTITY_HEADS
    ):  # "Dozens of corpses"
        victims = read_victims(parent.head)
        return Found(status, token, victims, victims and victims.count, bodies=bodies)
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = first_child(of, "pobj") if of is not None else None
    if pobj is not None:
        victims = read_victims(pobj)  # "the death of Hamas leader Yahya Sinwar", "the bodies of 12 people"
        if victims is not None and victims.count is not None:
            return Found(status, token, victims, victims.count, bodies=bodies)
    single = _one_death(token)
    if single is not None:
        return single
    nummod = first_child(token, "nummod")
    if nummod is not None:  # "45 fatalities", "two deaths", "12 bodies"
        count = parse_count(token.doc[nummod.left_edge.i:nummod.i + 1].text)
        return Found(status, token, None, count, bodies=bodies)
    if status == "kidnapped" and token.dep_ in ("dobj", "oprd", "attr", "npadvmod") and token.head.lower_ in _TAKE_VERBS:
        return _verb_claim(token.head, status)  # "took 30 hostages" is read as taking victims
    return None


def _one_death(token: Token) -> Found | None:
    """One death named by a noun: "a homicide", "the killing", "her death" (count 1); a
    "murder-suicide" is two."""
    if token.lower_ not in _SINGLE_DEATH_NOUNS or token.dep_ in ("compound", "amod") or token.tag_ != "NN":
        return None
    if any(c.dep_ in ("nummod", "prep") and (c.lower_ == "of" or c.like_num) for c in token.children):
        return None  # "the death of X", "two deaths": read elsewhere
    marked = [c for c in token.children if c.dep_ in ("det", "poss") and c.lower_ not in ("no", "any", "every")]
    if not marked:
        return None  # "charged with murder"
    suicide = token.i + 2 < len(token.doc) and token.nbor(1).text == "-" and token.nbor(2).lower_ == "suicide"
    count = Count(2, 2, 2, text="murder-suicide") if suicide else Count(1, 1, 1, text=token.text)
    return Found("killed", token, None, count)


def _toll_claim(token: Token) -> Found | None:
    words = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod", "nmod")}
    if words and not words & {"death", "casualty", "fatality", "civilian", "human", "the"}:
        return None
    count, revision = _toll_count(token)
    if count is None:
        return None
    return Found("killed", token, None, count, toll_update=revision)


def _phrase_claim(token: Token) -> Found | None:
    """"taken hostage", "lost their lives", "lost its leader in an airstrike"."""
    low = token.lower_
    if low in _TAKE_VERBS:
        for child in token.children:
            word = child.lower_
            target = first_child(child, "pobj") if child.dep_ == "prep" and word == "into" else child
            if target is not None and target.lower_ in lx.TAKEN_AS and target is not first_child(token, "dobj"):
                return _verb_claim(token, lx.TAKEN_AS[target.lower_])
    if low in _LOSS_VERBS:
        obj = first_child(token, "dobj")
        if obj is not None and obj.lower_ in lx.LIFE_NOUNS:
            return _intransitive_claim(token, "killed")
        cause = _cause(token)
        if obj is not None and cause is not None:
            victims = read_victims(obj)
            if victims is not None and victims.count is not None:
                return Found("killed", token, victims, victims.count, cause)
    return None


def _shot_claim(verb: Token) -> Found | None:
    """"were shot", "stabbed a man": wounded, unless the sentence says they died ("shot dead", "shot and
    killed"), which other rules read."""
    fatal = {c.lower_ for c in verb.children} | {c.lower_ for conj in verb.conjuncts for c in conj.children}
    if fatal & lx.KILLING_COMPLEMENTS or any(c.lower_ in lx.TRANSITIVE_STATUS or c.lower_ in
                                             lx.INTRANSITIVE_STATUS for c in verb.conjuncts):
        return None
    if any(c.lower_ == "down" for c in verb.children):
        return None  # "shot down a drone"
    return _verb_claim(verb, "injured")


def _suffered(token: Token, status: str) -> Found | None:
    """"Three people suffered gunshot wounds", "he sustained serious injuries": the subject is hurt;
    "fatal injuries", "mortal wounds": killed."""
    if token.dep_ != "dobj" or token.head.lower_ not in _SUFFER_VERBS:
        return None
    if any(c.lower_ in ("fatal", "mortal", "deadly", "lethal") for c in token.children):
        status = "killed"
    subj = subject_of(token.head)
    victims = read_victims(subj) if subj is not None else None
    return Found(status, token.head, victims, victims and victims.count, _cause(token.head)) if victims else None


def _to_death(verb: Token) -> bool:
    """"shot two men to death", "was beaten to death"."""
    return any(c.dep_ == "prep" and c.lower_ == "to" and any(p.lower_ == "death" for p in c.children)
               for c in verb.children)


def _find(token: Token) -> Found | None:
    low = token.lower_
    is_verb = token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")
    if is_verb and low in lx.KILLING_VERBS_WITH_COMPLEMENT and _to_death(token):
        return _verb_claim(token, "killed")
    if is_verb and any(c.lower_ in _FATAL_ADVERBS for c in token.children):
        return _verb_claim(token, "killed")  # "was fatally shot", "mortally wounded"
    if is_verb and low in _SHOOTING_VERBS:
        return _shot_claim(token)
    if low == "death" and token.head.lower_ == "to" and token.head.head.lower_ in lx.KILLING_VERBS_WITH_COMPLEMENT:
        return None  # read from the verb
    if low in lx.TOLL_NOUNS:
        return _toll_claim(token)
    if is_verb and low in lx.TRANSITIVE_STATUS:
        return _verb_claim(token, lx.TRANSITIVE_STATUS[low])
    if is_verb and low in lx.INTRANSITIVE_STATUS:
        return _intransitive_claim(token, lx.INTRANSITIVE_STATUS[low])
    if low in lx.ADJECTIVE_STATUS and (token.pos_ == "ADJ" or token.dep_ in ("oprd", "acomp")):
        return _adjective_claim(token, lx.ADJECTIVE_STATUS[low])
    if low in _NEGATABLE_TOLLS and (none := _no_casualties(token)) is not None:
        return none
    if token.pos_ in ("NOUN", "PROPN") and low in lx.NOUN_STATUS:
        return _noun_claim(token, lx.NOUN_STATUS[low])
    if is_verb:
        return _phrase_claim(token)
    return None


def find_casualties(sent: Span) -> list[Found]:
    """Every casualty claim in the sentence (before context), including "including ..." subsets."""
    found: list[Found] = []
    seen: set[tuple[str, int]] = set()
    for token in sent:
        claim = _find(token)
        if claim is None or (claim.victims is None and claim.count is None):
            continue
        key = (claim.status, claim.victims.head.i if claim.victims else claim.trigger.i)
        if key in seen:
            continue
        seen.add(key)
        found.append(claim)
        for sub in subset_victims(claim.victims) if claim.victims else ():
            found.append(Found(claim.status, claim.trigger, sub, sub.count, claim.agent, subset=True))
    return found


def _plausible(found: Found, sent: Span, ctx: ArticleContext) -> bool:
    """Deaths in accidents are no casualty claims; words that only report a death ("died", "bodies") need
    an article about violence and no natural cause ("has died aged 84", "died of cancer")."""
    text = sent.text.lower()
    if found.status == "killed" and any(marker in text for marker in lx.ACCIDENTS):
        return False
    if found.trigger.lower_ in lx.DEATH_WORDS or found.trigger.lower_ in lx.DEATH_REPORTING_VERBS:
        return ctx.violent and not any(marker in text for marker in lx.NATURAL_DEATH)
    return True


def casualty_claims(sent: Span, ctx: ArticleContext) -> list[dict]:
    claims = []
    for f in (f for f in find_casualties(sent) if _plausible(f, sent, ctx)):
        perpetrator, actor_span = responsible_actor(f.agent, ctx)
        parts = [t for t in (f.victims.head if f.victims else None,) if t is not None]
        if f.victims and f.victims.span is not None:
            parts += [f.victims.span[0], f.victims.span[-1]]
        if f.victims and f.victims.count_span is not None:
            parts += [f.victims.count_span[0], f.victims.count_span[-1]]
        avoid = [actor_span] if actor_span is not None else []
        claim = {
            "status": f.status,
            "count": f.count.as_dict() if f.count else None,
            "victims": f.victims.as_dict(ctx.offset) if f.victims else None,
            "perpetrator": perpetrator,
            **base_claim(f.trigger, parts, sent, ctx, victim=f.victims.head if f.victims else None, avoid=avoid),
            "toll_update": f.toll_update,
            "bodies": f.bodies,
            "subset": f.subset,
            "additional": f.additional,
        }
        claims.append(claim)
    return claims

