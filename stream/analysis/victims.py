"""Victim phrases: who, how many, of what kind."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
from stream.analysis.actors import actor_type
from stream.analysis.quantities import Count, parse_count
from stream.analysis.syntax import first_child, phrase

_QUANTIFIER_WORDS = {"several", "many", "numerous", "multiple", "few", "both", "no", "a", "an", "one", "dozens",
                     "hundreds", "thousands", "scores", "some", "tens"}


@dataclass(frozen=True)
class Victims:
    head: Token  # the noun naming the victims ("people"), or the number standing for them ("Twelve")
    span: Span | None  # their phrase without the count ("people"); None when only a number names them
    count: Count | None
    count_span: Span | None
    kind: str

    @property
    def type(self) -> str:
        """civilians, security_forces, combatants, mixed (coordinated groups of different types) or unknown."""
        if self.span is None:
            return _KIND_TYPES.get(self.kind, "unknown")
        parts, current = [], []
        for token in self.span:
            if token.lower_ in ("and", "&") and current:
                parts.append(current)
                current = []
            elif not token.is_punct:
                current.append(token.lower_)
        types = {victim_type(words) for words in [*parts, current] if words} - {"unknown"}
        return types.pop() if len(types) == 1 else "mixed" if types else "unknown"

    def as_dict(self, offset: int) -> dict:
        text = self.span.text if self.span is not None else None
        return {"text": text, "kind": self.kind, "type": self.type}


_KIND_TYPES = {**dict.fromkeys(("civilians", "children", "women", "journalists", "aid_workers"), "civilians"),
               "soldiers": "security_forces", "police": "security_forces", "militants": "combatants"}
_ACTOR_VICTIM_TYPES = {**dict.fromkeys(("state_forces", "external_forces"), "security_forces"),
                       **dict.fromkeys(("protesters", "rioters", "civilians"), "civilians")}


def victim_type(words: list[str]) -> str:
    """The type of one victim group by its words: its head's kind ("Palestinian civilians", "police
    officers"), else the actor it names ("Hamas members", "regime forces": combatants, security forces)."""
    for word in reversed(words):
        if word in lx.VICTIM_KINDS:
            return _KIND_TYPES.get(lx.VICTIM_KINDS[word], "unknown")
    named = next((lx.ARMED_GROUP_NAMES[g] for n in (3, 2, 1) for g in map(" ".join, zip(*(words[i:] for i in range(n))))
                  if g in lx.ARMED_GROUP_NAMES), None)
    kind = actor_type(words, named)
    if kind is None:
        return "unknown"
    return _ACTOR_VICTIM_TYPES.get(kind, "combatants")


def _is_number(token: Token) -> bool:
    return token.like_num or token.pos_ == "NUM" or token.lower_ in ("dozen", "hundred", "thousand")


def _count_from_span(span: Span) -> Count | None:
    return parse_count(span.text) if len(span) else None


def _left_count_span(head: Token) -> Span | None:
    """The count words in front of a noun: nummod subtree, or quantifier determiners ("several", "no", "a")."""
    doc = head.doc
    nummods = [c for c in head.children if c.dep_ == "nummod" and c.i < head.i]
    if nummods:
        first = min(n.left_edge.i for n in nummods)
        last = max(n.right_edge.i for n in nummods)
        return doc[first:last + 1]
    quant = [c for c in head.children if c.i < head.i and c.dep_ in ("det", "amod", "predet", "quantmod")
             and c.lower_ in _QUANTIFIER_WORDS]
    if quant:
        return doc[quant[0].left_edge.i:max(q.i for q in quant) + 1]
    return None


def _victim_kind(head: Token, span: Span | None) -> str:
    words = [t.lower_ for t in span] if span is not None else [head.lower_]
    text = " ".join(words)
    if any(p in text for p in lx.AID_WORKER_PHRASES):
        return "aid_workers"
    # The head decides ("Palestinian civilians"); a modifier can refine ("police officers", "child soldiers").
    for word in reversed(words):
        if word in lx.VICTIM_KINDS:
            return lx.VICTIM_KINDS[word]
    return "people"


def _is_person(token: Token) -> bool:
    """People by name, by noun (a role, a relation, an occupation: "a judge", "his wife", "an activist"),
    by nationality used as a noun ("17 Palestinians"), or by age ("a 17-year-old")."""
    low = token.lower_
    by_suffix = len(low) >= 6 and low.endswith(lx.PERSON_SUFFIXES) and low not in lx.NON_PERSON_NOUNS
    return (token.ent_type_ == "PERSON" or low in lx.PERSON_NOUNS or by_suffix or _is_age(token)
            or (token.ent_type_ == "NORP" and token.tag_ in ("NNPS", "NNS")))


def _is_age(token: Token) -> bool:
    """An age standing for a person: the "old" of "a 17-year-old" (an adjective to the tagger), "two 19-year-olds"."""
    return token.lower_ in ("old", "olds") and any(c.lower_ in ("year", "years") for c in token.children)


def read_victims(head: Token) -> Victims | None:
    """Victims named by ``head`` (the subject or object of a casualty trigger), with their count;
    coordinated victims add up ("a councilor and his wife": 2)."""
    first = _read_one(head)
    if first is None or first.count is None:
        return first
    total, last = first.count, first.span
    for conj in (c for c in head.children if c.dep_ == "conj"):
        more = _read_one(conj)
        if more is None or more.count is None:
            continue
        total = Count(total.min + more.count.min, None if total.max is None or more.count.max is None
                      else total.max + more.count.max, total.best + more.count.best,
                      text=f"{total.text} + {more.count.text}", vague=total.vague or more.count.vague)
        last = more.span or last
    if total is first.count:
        return first
    span = head.doc[first.span.start:last.end] if first.span is not None and last is not None else first.span
    return Victims(first.head, span, total, first.count_span, first.kind)


_ONE_PERSON_PRONOUNS = {"he", "she", "him", "her", "himself", "herself"}
_NOT_VICTIM_ENTITIES = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
# "a family of three", "a group of five"
_GROUP_NOUNS = {"family", "families", "group", "couple"}


def _read_one(head: Token) -> Victims | None:
    doc = head.doc
    if head.ent_type_ in _NOT_VICTIM_ENTITIES and not _is_age(head):  # the tagger calls "17-year-old" a DATE
        return None  # "Around 8 May" misparsed as the subject
    of = first_child(head, "prep")
    of_pobj = first_child(of, "pobj") if of is not None and of.lower_ == "of" else None
    if _is_number(head) or head.lower_ in lx.QUANTITY_HEADS or head.lower_ in ("none", "nobody", "one", "no-one"):
        # "Twelve were killed", "Dozens of corpses", "20 of them", "No one was hurt"
        count_span = doc[head.left_edge.i:head.i + 1]
        count = _count_from_span(count_span)
        named = of_pobj if of_pobj is not None and of_pobj.lower_ not in ("them", "whom", "those") else None
        span = phrase(named) if named is not None else None
        return Victims(head, span, count, count_span, _victim_kind(named or head, span))
    if head.lower_ in ("other", "others") and head.pos_ == "ADJ":
        pass  # "the other died"
    elif head.pos_ not in ("NOUN", "PROPN", "PRON") and not _is_age(head):
        return None
    if head.pos_ == "PRON" and head.lower_ in _ONE_PERSON_PRONOUNS:
        return Victims(head, doc[head.i:head.i + 1], Count(1, 1, 1, text=head.text), None, "people")  # "he died"
    if head.pos_ == "PRON" and head.lower_ not in ("nobody", "none", "everyone", "no-one"):
        return None
    full = phrase(head)
    if head.lower_ in _GROUP_NOUNS and of_pobj is not None and _is_number(of_pobj):
        count_span = doc[of_pobj.left_edge.i:of_pobj.i + 1]  # "a family of three"
        return Victims(head, full, _count_from_span(count_span), count_span, "civilians")
    count_span = _left_count_span(head)
    count = _count_from_span(count_span) if count_span is not None else None
    named = head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "NORP", "DATE", "EVENT")
    if count is None and (_is_person(head) or named) and (head.tag_ in ("NN", "NNP") or head.lower_ in ("other", "old")):
        count = Count(1, 1, 1, text=head.text)  # "a man", "the leader of Hamas", "Hassan Nasrallah", "the 17-year-old"
    if count_span is not None and count is not None and count_span.end <= head.i:
        span = doc[count_span.end:full.end]
    else:
        span = full
    # "30 pupils", "3 Fulani": a counted noun after a casualty verb is people, unless it is livestock or things
    counted_plural = (count is not None and (head.tag_ in ("NNS", "NNPS") or count.best > 1)
                      and head.lower_ not in lx.NON_PERSON_NOUNS)
    if not (counted_plural or named) and not any(_is_person(t) or t.lower_ in lx.NOUN_STATUS for t in span):
        return None  # "killed the project", "injured his leg", "killed 30 cattle": not people
    return Victims(head, span, count, count_span, _victim_kind(head, span))


def subset_victims(victims: Victims) -> list[Victims]:
    """Subsets named after the victims: "14 people, including five children" -> five children."""
    found = []
    for child in victims.head.children:
        if child.dep_ == "prep" and child.lower_ in lx.SUBSET_HEADS:
            for pobj in (t for t in child.children if t.dep_ == "pobj"):
                for item in (pobj, *pobj.conjuncts):
                    sub = read_victims(item)
                    if sub is not None and sub.count is not None:
                        found.append(sub)
    return found
