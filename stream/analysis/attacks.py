"""Attack claims: what kind of attack, by whom, on what, with what.

Triggers are attack nouns ("air strikes", "a drone attack", "rockets" launched at a
place) and attack verbs ("shelled", "stormed", "opened fire"). The type comes from
the most specific marker word in the trigger's phrase (``lexicon.TYPE_MARKERS``).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
from stream.analysis.claims import base_claim, is_attack_noun, responsible_actor
from stream.analysis.context import ACTOR_LABELS, ArticleContext, has_violence
from stream.analysis.syntax import first_child, is_passive, phrase, subject_of

_TARGET_PREPS = {"on", "against", "at", "into", "targeting", "toward", "towards", "upon"}
_WEAPON_VERBS = lx.LAUNCH_VERBS | lx.ATTACK_VERBS | {"exploded", "explode", "went", "landed", "land", "fell",
                                                      "rained", "detonated", "hit", "struck", "killed", "kill",
                                                      "killing", "wounded", "injured", "slammed", "crashed",
                                                      "detonating", "caused", "destroyed", "damaged", "ripped",
                                                      "tore", "blew"}
# Weapons that start a claim only when something is done with them ("fired mortars", "a bomb exploded").
_WEAPON_NOUNS = {"dynamite", "drone", "drones", "missile", "missiles", "rocket", "rockets", "mortar", "mortars", "bomb", "bombs",
                 "shells", "grenade", "grenades", "launchers", "guns", "rifles", "machineguns", "arms", "weapons",
                 "artillery", "howitzers", "tanks", "explosives", "shots", "projectiles"}
_FIGHTING_VERBS = {"erupted", "broke", "continued", "continues", "raged", "rages", "intensified", "resumed", "flared",
                   "escalated", "erupt", "break", "rage", "ensued", "took"}
_FIGHTING_MODIFIERS = {"heavy", "fierce", "intense", "renewed", "sporadic", "deadly", "armed", "gun", "bloody"}
_FIRE_VERBS = {"fire", "fired", "firing", "fires"}
_FIRE_MODIFIERS = {"sniper", "artillery", "mortar", "rocket", "tank", "gun", "machine", "machinegun", "heavy",
                   "automatic", "indiscriminate", "small", "arms", "cross", "crossfire", "anti-aircraft", "naval"}
_OPERATION_MODIFIERS = {"military", "security", "counter-terrorism", "counterterrorism", "counter-insurgency",
                        "clearance", "joint", "search", "cordon", "combing", "anti-terror", "police", "army"}
_QUANTITY_NOUNS = lx.QUANTITY_HEADS | {"total", "series", "volley", "barrage", "wave", "salvo"}
_EVENT_VERBS = {"occurred", "occur", "occurs", "took", "rocked", "rocks", "shook", "heard", "ripped", "hit", "struck"}
_OBSERVE_VERBS = {"observed", "heard", "recorded", "reported", "registered", "exchanged"}
# Types a trigger has when nothing near it says more; a struck target or the verb "strike" says nothing.
_DEFAULT_TYPES = {"strike": "airstrike", "strikes": "airstrike", "bombed": "bombing",
                  "bomb": "bombing", "shelled": "shelling", "shoot": "shooting", "shot": "shooting",
                  "stabbed": "stabbing", "stab": "stabbing", "torched": "arson", "stormed": "ground_assault",
                  "raided": "ground_assault", "ambushed": "ground_assault", "clashed": "ground_assault",
                  "abducted": "kidnapping", "kidnapped": "kidnapping", "detonated": "bombing",
                  "exploded": "bombing", "firebombed": "arson", "pounded": "shelling", "pummelled": "airstrike",
                  "pummeled": "airstrike", "opened": "shooting", "open": "shooting", "set": "arson",
                  "sets": "arson", "fired": "shooting", "fire": "shooting", "firing": "shooting",
                  "kidnapping": "kidnapping", "abducting": "kidnapping", "fought": "ground_assault",
                  "exchanged": "ground_assault", "encountered": "ground_assault", "operation": "ground_assault",
                  "operations": "ground_assault", "encounter": "ground_assault", "shots": "shooting",
                  "bursts": "shooting", "fire": "shooting", "projectiles": "shelling", "shell": "shelling"}
_BOMB_WORDS = {"bomb", "bombs", "ied", "ieds", "explosive", "device", "car", "suicide", "landmine", "mine"}
_VIOLENT_MODIFIERS = frozenset().union(*(m for _, m in lx.TYPE_MARKERS)) | {
    "deadly", "terrorist", "terror", "armed", "militant", "lethal", "suicide", "violent", "bloody", "jihadist"}
_ARMED_CANONICAL = set(lx.ACTOR_ALIASES.values()) - {"United Nations", "UNRWA", "NATO"}
_UNARMED = {"government", "authorities", "group", "regime", "police"}
# Verbs whose subject carried out the attack they take as object ("conducted an airstrike").
_PERFORM_VERBS = {"conducted", "conduct", "conducting", "carried", "carry", "carrying", "staged", "stage", "mounted",
                  "mount", "waged", "executed", "perpetrated", "committed", "led", "leads"}
_INTERCEPTABLE = {"drone", "drones", "missile", "missiles", "rocket", "rockets", "projectile", "projectiles"}
_INTERCEPT_VERBS = {"intercepted", "intercept", "intercepts", "intercepting", "downed", "downing"}
_FOIL_WORDS = {"foiled", "foil", "foils", "foiling", "thwarted", "thwart", "thwarts", "thwarting", "prevented",
               "prevent", "prevents", "averted", "avert", "disrupted", "preempted", "pre-empted"}
_FAILED_WORDS = {"attempted", "attempt", "attempts", "attempting", "tried", "try", "trying", "failed", "fail", "fails",
                 "repelled", "repel", "repulsed", "repulse", "botched", "abortive", "unsuccessful"}
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
    if low == "shoot" and token.i + 2 < len(token.doc) and token.nbor(1).text == "-" and token.nbor(2).lower_ == "out":
        return True  # "a shoot-out", split by the tokenizer
    if token.pos_ not in ("NOUN", "PROPN") or (low not in lx.ATTACK_NOUNS and low not in _WEAPON_NOUNS):
        return False
    if token.dep_ in ("compound", "amod", "nmod") and token.head.lower_ in lx.ATTACK_NOUNS:
        return False  # the head noun carries the claim: "drone attack"
    if low in ("strike", "strikes"):
        return _strike_in_context(token)
    if low in ("bomber", "bombers"):  # a person, or a plane: an attack only as "suicide bomber"
        return any(c.lower_ == "suicide" for c in token.children)
    if low == "fire":  # "sniper fire", "heavy artillery fire", "exchange of fire"; not "a fire broke out"
        return (any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in _FIRE_MODIFIERS for c in token.children)
                or token.head.lower_ in ("exchanged", "exchange")
                or (token.head.lower_ == "of" and token.head.head.lower_ in ("exchange", "bursts")))
    if low in ("operation", "operations", "encounter"):  # a security operation, not a surgical one
        return (any(c.lower_ in _OPERATION_MODIFIERS for c in token.children)
                or any(c.dep_ == "prep" and c.lower_ == "by" and any(p.lower_ in lx.FORCE_NOUNS or
                                                                      p.ent_type_ in ("ORG", "NORP")
                                                                      for p in c.children) for c in token.children))
    if low in ("fighting", "battle", "battles"):  # not "fighting corruption", not "the battle for the title"
        return (token.head.lower_ in _FIGHTING_VERBS or any(c.lower_ in _FIGHTING_MODIFIERS for c in token.children)
                or any(c.dep_ == "prep" and c.lower_ in ("between", "with", "against") for c in token.children))
    if low in _WEAPON_NOUNS or low in ("ied", "ieds", "landmine", "landmines", "drone", "drones"):
        verb = _governing_verb(token)
        disarmed = verb is not None and token.dep_ in ("dobj", "nsubjpass", "pobj", "conj") and (
            verb.lower_ in lx.DISARMING_VERBS or any(c.lower_ == "down" for c in verb.children))
        if disarmed:  # "defused two IEDs": no attack; but "the bomb destroyed six booths"
            return _intercepted(token)  # "shot down a drone": an attack that was stopped
    if low in _WEAPON_NOUNS:
        verb = _governing_verb(token)
        if verb is not None and verb.lower_ in _OBSERVE_VERBS and low in ("shots", "projectiles", "bursts", "shells"):
            return True  # "observed a total of 15 shots": monitors' counts of fire
        return verb is not None and verb.lower_ in _WEAPON_VERBS and (
            low not in ("guns", "arms", "weapons", "tanks", "artillery") or verb.lower_ in _FIRE_VERBS | {"used"})
    return True


def _intercepted(token: Token) -> bool:
    """A drone, missile or rocket intercepted or shot down: an attack, stopped in flight."""
    verb = _governing_verb(token)
    return token.lower_ in _INTERCEPTABLE and verb is not None and (
        verb.lower_ in _INTERCEPT_VERBS or any(c.lower_ == "down" for c in verb.children))


def _outcome(trigger: Token, certainty: str) -> str:
    """completed, failed ("attempted to detonate", "repelled an attack"), intercepted (a weapon shot
    down), foiled ("thwarted a bombing"), or unknown (an attack only threatened, denied or negated)."""
    near = {c.lower_ for c in trigger.children if c.dep_ in ("amod", "compound", "acl", "relcl")}
    if trigger.pos_ in ("NOUN", "PROPN") and (_intercepted(trigger) or near & _INTERCEPT_VERBS):
        return "intercepted"  # "the army downed a drone", "a missile, which was intercepted"
    near |= {a.lower_ for a in list(trigger.ancestors)[:3]}
    if near & _FOIL_WORDS:
        return "foiled"
    if near & _FAILED_WORDS:
        return "failed"
    return "completed" if certainty in ("asserted", "reported", "claimed") else "unknown"


def _governing_verb(token: Token) -> Token | None:
    """The verb a noun hangs on, through coordination and quantities: "fired mortars and machine guns",
    "observed a total of 42 projectiles"."""
    while token.head is not token:
        if token.dep_ == "conj":
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lower_ in _QUANTITY_NOUNS:
            token = token.head.head
        else:
            break
    return token.head if token.head.pos_ in ("VERB", "AUX") else None


def _is_verb_trigger(token: Token) -> bool:
    low = token.lower_
    if not (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")) or token.dep_ in ("amod", "compound"):
        return False  # "the worst-hit areas"
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
    if low in _FIRE_VERBS and not any(c.dep_ == "prep" and c.lower_ in _TARGET_PREPS for c in token.children):
        return False  # "fired at/on the positions"; "fired the minister" is no attack
    if low in ("burned", "burnt", "burning", "torching"):  # arson: "burned several houses", not "burned calories"
        obj = first_child(token, "dobj") or (first_child(token, "nsubjpass") if is_passive(token) else None)
        return obj is not None and obj.lower_ in lx.BURNABLE
    if low in ("exchanged", "encountered"):  # "exchanged fire", "encountered LeT militants"
        obj = first_child(token, "dobj")
        return obj is not None and (obj.lower_ == "fire" or lx.VICTIM_KINDS.get(obj.lower_) == "militants"
                                    or obj.ent_type_ in ("ORG", "NORP"))
    args = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "agent")]
    if any(_is_noun_trigger(a) for a in args):
        return False  # "air strikes pummelled ...": the noun carries the claim
    subj = subject_of(token)
    obj = first_child(token, "dobj")
    if obj is not None and obj.lower_ in lx.MILITARY_TARGETS and low not in ("hit", "hits"):
        return True  # "attacked a military position"
    if low in ("hit", "hits", "struck", "strike", "target", "targeted", "targeting", "attacked", "attack"):
        return subj is not None and (subj.ent_type_ in ACTOR_LABELS or subj.lower_ in lx.FORCE_NOUNS
                                      or subj.lower_ in lx.ACTOR_ALIASES or is_attack_noun(subj)) or is_passive(token)
    return True


def _own_words(trigger: Token) -> list[Token]:
    """The trigger and its modifiers: "drone attack", "suicide car bomb", rockets with the verb that fired
    them and what they were dropped from ("grenades from a drone")."""
    words = [trigger, *(c for c in trigger.children if c.dep_ in ("compound", "amod", "nmod"))]
    verb = _governing_verb(trigger) if trigger.pos_ in ("NOUN", "PROPN") else None
    if verb is not None and verb.lower_ in _WEAPON_VERBS:
        words.append(verb)
        words += [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" for t in c.subtree]
    return words


def _context_words(trigger: Token) -> list[Token]:
    """Arguments that can tell the type when the trigger does not: "gunmen attacked", "struck with drones"."""
    words = [c for c in trigger.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "by"):
            words.extend(child.subtree)
    return words


def _clause_words(trigger: Token) -> list[Token]:
    """The words of the trigger's clause: "LNA air force targeted positions with heavy artillery fire"."""
    head = trigger if trigger.pos_ in ("VERB", "AUX") else (_governing_verb(trigger) or trigger)
    return list(head.subtree)


def attack_type(trigger: Token) -> str:
    """The most specific type its own words give, else its arguments', else its clause's, else the
    trigger's default; an unspecified attack on soldiers' positions is a ground assault."""
    if "both directions" in trigger.sent.text:
        return "ground_assault"  # fire "in both directions of the frontline": an exchange, a clash
    if trigger.lower_ == "explosions" and not {t.lower_ for t in _own_words(trigger)} & _BOMB_WORDS:
        return "shelling"  # counted explosions along a front line are shells, not planted bombs
    if trigger.lower_ == "shoot":
        return "shooting"  # "a shoot-out"
    for words in (_own_words(trigger), _context_words(trigger), _clause_words(trigger)):
        lowered = {t.lower_ for t in words}
        for kind, markers in lx.TYPE_MARKERS:
            if lowered & markers:
                return kind
    if trigger.pos_ == "VERB" and trigger.lower_ in ("strike", "strikes"):
        return "other"
    target = _target(trigger)
    if target is not None and target.root.lower_ in lx.MILITARY_TARGETS:
        return "ground_assault"
    actor = _actor_token(trigger)
    actor_span = range(actor.left_edge.i, actor.right_edge.i + 1) if actor is not None else range(0)
    if any(lx.VICTIM_KINDS.get(t.lower_) in ("soldiers", "police", "militants") for t in trigger.sent
           if t.i not in actor_span and t.pos_ == "NOUN"):
        return "ground_assault"  # "2 soldiers were killed following an attack by militants": an armed clash
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
        if trigger.dep_ == "dobj" and trigger.head.lower_ in lx.LAUNCH_VERBS and not _intercepted(trigger):
            return subject_of(trigger.head)  # who shot a drone down is not who sent it
        return None
    if is_passive(trigger):
        agent = first_child(trigger, "agent")
        return first_child(agent, "pobj") if agent is not None else None
    return subject_of(trigger)


def _first_party(trigger: Token) -> Token | None:
    """Who carried out an attack named by a noun ("forces conducted an airstrike"), used a weapon
    ("shells fired by X", "a landmine planted by X"), or is the first side of a fight ("clashes
    (erupted) between X and Y" -> X). Not read for the type: the others in the clause are the
    fight's other side ("rebels conducted attacks on the army" is a clash)."""
    if trigger.dep_ == "dobj" and trigger.head.lower_ in _PERFORM_VERBS:
        return subject_of(trigger.head)
    for verb in (c for c in trigger.children if c.dep_ == "acl"):
        agent = first_child(verb, "agent")
        if agent is not None and first_child(agent, "pobj") is not None:
            return first_child(agent, "pobj")
    holders = [trigger, trigger.head] if trigger.dep_ == "nsubj" else [trigger]
    between = next((c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "between"), None)
    return first_child(between, "pobj") if between is not None else None


def find_attacks(sent: Span) -> list[Token]:
    return [t for t in sent if _is_noun_trigger(t) or _is_verb_trigger(t)]


def _armed(actor: dict | None) -> bool:
    """An actor known to bear arms: a state's forces or an armed group."""
    if not actor:
        return False
    head = actor["text"].lower().split()[-1]
    return actor.get("canonical") in _ARMED_CANONICAL or (head in lx.FORCE_NOUNS and head not in _UNARMED)


def _crowd_control(trigger: Token) -> bool:
    """Tear gas and rubber bullets against a crowd: an intervention, not an attack."""
    head = trigger if trigger.pos_ in ("VERB", "AUX") else (_governing_verb(trigger) or trigger)
    text = head.doc[head.left_edge.i:head.right_edge.i + 1].text.lower()
    return any(marker in text for marker in lx.CROWD_CONTROL)


def _credible(trigger: Token, actors: list[dict | None], target: Span | None) -> bool:
    """Everyday attack words ("attacked the plan", "stormed to victory") count only near violence: a
    weapon or violent word on them ("drone attack", "deadly attack"), a cue in the sentence, an armed
    actor or claimant, or a military target."""
    if trigger.lower_ not in lx.AMBIGUOUS_ATTACK_WORDS or has_violence(trigger.sent, besides=trigger):
        return True
    if trigger.lower_ == "shoot" and trigger.i + 2 < len(trigger.doc) and trigger.nbor(2).lower_ == "out":
        return True  # "a shoot-out" is never a figure of speech
    if {t.lower_ for t in _own_words(trigger)[1:]} & _VIOLENT_MODIFIERS:
        return True
    verb = _governing_verb(trigger) if trigger.pos_ in ("NOUN", "PROPN") else None
    if verb is not None and (verb.lower_ in _OBSERVE_VERBS or verb.lower_ in _EVENT_VERBS and trigger.dep_ == "nsubj"):
        return True  # "observed a total of 12 explosions", "an explosion took place", "a blast rocked the town"
    return any(map(_armed, actors)) or (target is not None and target.root.lower_ in lx.MILITARY_TARGETS)


def attack_claims(sent: Span, ctx: ArticleContext) -> list[dict]:
    claims: dict[str, dict] = {}
    for trigger in find_attacks(sent):
        kind = attack_type(trigger)
        actor, actor_span = responsible_actor(_resolve_pronoun(_actor_token(trigger), ctx), ctx)
        if actor is None and trigger.pos_ in ("NOUN", "PROPN"):
            actor, actor_span = responsible_actor(_first_party(trigger), ctx)
        claimant, _ = responsible_actor(_resolve_pronoun(_claimant(trigger), ctx), ctx)
        if not _credible(trigger, [actor, claimant], _target(trigger)) or _crowd_control(trigger):
            continue
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
        claim["outcome"] = _outcome(trigger, claim["certainty"])
        claims[kind] = claim
    return list(claims.values())


# Killings that are attacks in themselves, and the type their verb gives.
_KILLING_TYPES = {
    **dict.fromkeys("shot shoot shooting gunned".split(), "shooting"),
    **dict.fromkeys("stabbed stab stabbing hacked".split(), "stabbing"),
    **dict.fromkeys("""killed kill kills killing killings murdered murder murders murdering assassinated assassinate
                       assassination massacred massacre executed execution beheaded lynched slain slaying
                       slew""".split(), "other"),
}


def killing_attacks(sent: Span, casualties: list[dict], attacks: list[dict], ctx: ArticleContext) -> list[dict]:
    """An attack claim for a killing the sentence reports with no attack word ("gunmen shot 16 peasants",
    "the assassination of Dr X"): the killing is the attack; its perpetrator is the actor."""
    if attacks:
        return []
    for claim in casualties:
        trigger = sent.doc.char_span(claim["trigger"]["start"] - ctx.offset, claim["trigger"]["end"] - ctx.offset)
        kind = _KILLING_TYPES.get(trigger.root.lower_) if trigger is not None else None
        if trigger is not None and claim["status"] == "kidnapped":
            kind = "kidnapping"  # "held several ambassadors hostage"
        if kind is None or claim["background"] or claim["certainty"] in ("negated", "hypothetical", "denied"):
            continue
        attack = {"attack_type": kind, "actor": claim["perpetrator"], "target": None, "weapon": None,
                  "claimed_by": None, **base_claim(trigger.root, [], sent, ctx)}
        attack["outcome"] = _outcome(trigger.root, attack["certainty"])
        return [attack]
    return []
