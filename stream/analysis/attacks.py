"""Attack claims: what kind of attack, by whom, on what, with what.

Triggers are attack nouns ("air strikes", "a drone attack", "rockets" launched at a
place) and attack verbs ("shelled", "stormed", "opened fire"). The type comes from
the most specific marker word in the trigger's phrase (``lexicon.TYPE_MARKERS``).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
from stream.analysis.claims import base_claim, is_attack_noun, responsible_actor
from stream.analysis.context import ACTOR_LABELS, ArticleContext
from stream.analysis.syntax import first_child, is_passive, phrase, subject_of

_TARGET_PREPS = {"on", "against", "at", "into", "targeting", "toward", "towards", "upon"}
_WEAPON_VERBS = lx.LAUNCH_VERBS | lx.ATTACK_VERBS | {"exploded", "explode", "went", "landed", "land", "fell",
                                                      "rained", "detonated", "hit", "struck", "killed", "kill",
                                                      "killing", "wounded", "injured", "slammed", "crashed"}
_WEAPON_NOUNS = {"drone", "drones", "missile", "missiles", "rocket", "rockets", "mortar", "mortars", "bomb", "bombs",
                 "ied", "ieds", "shells", "grenade", "grenades"}
# Types a trigger has when nothing near it says more; a struck target or the verb "strike" says nothing.
_DEFAULT_TYPES = {"strike": "airstrike", "strikes": "airstrike", "bombed": "bombing",
                  "bomb": "bombing", "shelled": "shelling", "shoot": "shooting", "shot": "shooting",
                  "stabbed": "stabbing", "stab": "stabbing", "torched": "arson", "stormed": "ground_assault",
                  "raided": "ground_assault", "ambushed": "ground_assault", "clashed": "ground_assault",
                  "abducted": "kidnapping", "kidnapped": "kidnapping", "detonated": "bombing",
                  "exploded": "bombing", "firebombed": "arson", "pounded": "shelling", "pummelled": "airstrike",
                  "pummeled": "airstrike", "opened": "shooting", "open": "shooting", "set": "arson",
                  "sets": "arson"}
_CLAIMING_VERBS = lx.CLAIM_VERBS | {"take", "took", "taken", "assumed", "assume", "accepted"}


def _strike_in_context(token: Token) -> bool:
    """A military strike, not a labour one: military words near it, or an actor's name on it, and no
    labour words ("a two-week strike at its German plant")."""
    near = {t.lower_ for t in token.subtree} | {token.head.lower_} | {t.lower_ for t in token.head.children}
    if near & lx.LABOUR_CONTEXT:
        return False
    named = any(c.dep_ in ("amod", "compound", "nmod", "poss") and (c.ent_type_ in ("NORP", "GPE", "ORG")
                or c.lower_ in lx.DEMONYMS) for c in token.children)
    return named or bool(near & lx.STRIKE_CONTEXT)


def _is_noun_trigger(token: Token) -> bool:
    low = token.lower_
    if token.pos_ not in ("NOUN", "PROPN") or low not in lx.ATTACK_NOUNS:
        return False
    if token.dep_ in ("compound", "amod", "nmod") and token.head.lower_ in lx.ATTACK_NOUNS:
        return False  # the head noun carries the claim: "drone attack"
    if low in ("strike", "strikes"):
        return _strike_in_context(token)
    if low in ("bomber", "bombers"):  # a person, or a plane: an attack only as "suicide bomber"
        return any(c.lower_ == "suicide" for c in token.children)
    if low in _WEAPON_NOUNS:
        return token.head.lower_ in _WEAPON_VERBS
    return True


def _is_verb_trigger(token: Token) -> bool:
    low = token.lower_
    if not (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")):
        return False
    if low in ("opened", "open", "opening") and any(c.lower_ == "fire" for c in token.children):
        return True
    if low in ("blew", "blow", "blown", "blows") and any(c.lower_ == "up" for c in token.children):
        return True  # "blew himself up", "blew up the bridge"
    if low in ("shot", "shoot", "shooting") and any(c.lower_ == "down" for c in token.children):
        return False  # "shot down 41 drones" is an interception
    if low in ("set", "sets") and any(c.lower_ in ("fire", "ablaze") for c in token.subtree):
        return True
    if low not in lx.ATTACK_VERBS:
        return False
    args = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "agent")]
    if any(_is_noun_trigger(a) for a in args):
        return False  # "air strikes pummelled ...": the noun carries the claim
    subj = subject_of(token)
    if low in ("hit", "hits", "struck", "strike", "target", "targeted", "targeting", "attacked", "attack"):
        return subj is not None and (subj.ent_type_ in ACTOR_LABELS or subj.lower_ in lx.FORCE_NOUNS
                                      or subj.lower_ in lx.ACTOR_ALIASES or is_attack_noun(subj)) or is_passive(token)
    return True


def _own_words(trigger: Token) -> list[Token]:
    """The trigger and its modifiers: "drone attack", "suicide car bomb", rockets with the verb that fired them."""
    words = [trigger, *(c for c in trigger.children if c.dep_ in ("compound", "amod", "nmod"))]
    if trigger.dep_ in ("dobj", "nsubj", "nsubjpass") and trigger.head.lower_ in _WEAPON_VERBS:
        words.append(trigger.head)
    return words


def _context_words(trigger: Token) -> list[Token]:
    """Arguments that can tell the type when the trigger does not: "gunmen attacked", "struck with drones"."""
    words = [c for c in trigger.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "by"):
            words.extend(child.subtree)
    return words


def attack_type(trigger: Token) -> str:
    """The most specific type its own words give, else its arguments', else the trigger's default."""
    for words in (_own_words(trigger), _context_words(trigger)):
        lowered = {t.lower_ for t in words}
        for kind, markers in lx.TYPE_MARKERS:
            if lowered & markers:
                return kind
    if trigger.pos_ == "VERB" and trigger.lower_ in ("strike", "strikes"):
        return "other"
    if trigger.lower_ in ("blew", "blow", "blown", "blows"):
        reflexive = any(c.lower_ in ("himself", "herself", "themselves") for c in trigger.children)
        return "suicide_bombing" if reflexive else "bombing"
    return _DEFAULT_TYPES.get(trigger.lower_, "other")


def _weapon(trigger: Token) -> dict | None:
    for token in (*_own_words(trigger), *_context_words(trigger)):
        if token.lower_ in lx.WEAPON_WORDS:
            span = phrase(token, with_of=False)
            return {"text": span.text}
    return None


def _target(trigger: Token) -> Span | None:
    def from_preps(node: Token) -> Span | None:
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
                pobj = first_child(child, "pobj")
                if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
                    return phrase(pobj, with_conj=True)
        return None

    if trigger.pos_ in ("NOUN", "PROPN"):
        found = from_preps(trigger)
        if found is not None:
            return found
        verb = trigger.head
        if trigger.dep_ in ("nsubj",):
            obj = first_child(verb, "dobj")
            return phrase(obj, with_conj=True) if obj is not None else from_preps(verb)
        if trigger.dep_ == "dobj" and verb.lower_ in lx.LAUNCH_VERBS:
            return from_preps(verb)
        return None
    obj = first_child(trigger, "dobj") or (first_child(trigger, "nsubjpass") if is_passive(trigger) else None)
    if obj is not None and obj.lower_ != "fire":
        return phrase(obj, with_conj=True)
    return from_preps(trigger)


def _claimant(trigger: Token) -> Token | None:
    """Who claimed responsibility: "X claimed responsibility for the attack", "X claimed the bombing"."""
    for node in trigger.ancestors:
        if node.lower_ == "responsibility" and node.head.lower_ in _CLAIMING_VERBS:
            return subject_of(node.head)
        if node.lower_ in lx.CLAIM_VERBS and first_child(node, "dobj") is not None:
            obj = first_child(node, "dobj")
            if obj.i == trigger.i or obj.lower_ == "responsibility":
                return subject_of(node)
    if trigger.dep_ == "dobj" and trigger.head.lower_ in lx.CLAIM_VERBS:
        return subject_of(trigger.head)
    return None


def _resolve_pronoun(token: Token | None, ctx: ArticleContext) -> Token | None:
    """"it claimed responsibility": the nearest earlier organisation subject in the sentence."""
    if token is None or token.lower_ not in lx.PRONOUNS:
        return token
    for earlier in reversed(list(token.sent[: token.i - token.sent.start])):
        if earlier.dep_ == "nsubj" and earlier.ent_type_ in ("ORG", "GPE", "NORP"):
            return earlier
    return token  # left to actor_from, which falls back to the article's last actor


def _actor_token(trigger: Token) -> Token | None:
    if trigger.pos_ in ("NOUN", "PROPN"):
        if any(c.dep_ in ("amod", "compound", "poss", "nmod") and (
            c.ent_type_ in ("NORP", "ORG", "GPE") or c.lower_ in lx.DEMONYMS or c.lower_ in lx.ACTOR_ALIASES)
               for c in trigger.children) or any(c.dep_ == "prep" and c.lower_ == "by" for c in trigger.children):
            return trigger  # responsible_actor reads the actor inside "Israeli air strikes"
        if trigger.dep_ == "dobj" and trigger.head.lower_ in lx.LAUNCH_VERBS:
            return subject_of(trigger.head)
        return None
    if is_passive(trigger):
        agent = first_child(trigger, "agent")
        return first_child(agent, "pobj") if agent is not None else None
    return subject_of(trigger)


def find_attacks(sent: Span) -> list[Token]:
    return [t for t in sent if _is_noun_trigger(t) or _is_verb_trigger(t)]


def attack_claims(sent: Span, ctx: ArticleContext) -> list[dict]:
    claims: dict[str, dict] = {}
    for trigger in find_attacks(sent):
        kind = attack_type(trigger)
        actor, actor_span = responsible_actor(_resolve_pronoun(_actor_token(trigger), ctx), ctx)
        claimant, _ = responsible_actor(_resolve_pronoun(_claimant(trigger), ctx), ctx)
        target = _target(trigger)
        if kind in claims:  # one attack of a kind per sentence: later mentions only fill gaps
            earlier = claims[kind]
            earlier["actor"] = earlier["actor"] or actor
            earlier["claimed_by"] = earlier["claimed_by"] or claimant
            if earlier["target"] is None and target is not None:
                earlier["target"] = ctx.span_dict(target)
            continue
        parts = [target[0], target[-1]] if target is not None else []
        claim = {
            "attack_type": kind,
            "actor": actor or claimant,
            "target": ctx.span_dict(target) if target is not None else None,
            "weapon": _weapon(trigger),
            "claimed_by": claimant,
            **base_claim(trigger, parts, sent, ctx, avoid=[actor_span] if actor_span is not None else [],
                         prefer=[target] if target is not None else []),
        }
        if claimant and claim["certainty"] in ("asserted", "reported"):
            claim["certainty"] = "claimed"
        claims[kind] = claim
    return list(claims.values())
