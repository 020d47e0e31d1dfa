"""Victim phrases: who, how many, of what kind."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
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

    def as_dict(self, offset: int) -> dict:
        text = self.span.text if self.span is not None else None
        return {"text": text, "kind": self.kind}


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
    """People by name, by noun, or by nationality used as a noun ("17 Palestinians")."""
    return (token.ent_type_ == "PERSON" or token.lower_ in lx.PERSON_NOUNS
            or (token.ent_type_ == "NORP" and token.tag_ in ("NNPS", "NNS")))


def read_victims(head: Token) -> Victims | None:
    """Victims named by ``head`` (the subject or object of a casualty trigger), with their count."""
    doc = head.doc
    of = first_child(head, "prep")
    of_pobj = first_child(of, "pobj") if of is not None and of.lower_ == "of" else None
    if _is_number(head) or head.lower_ in lx.QUANTITY_HEADS or head.lower_ in ("none", "nobody", "one", "no-one"):
        # "Twelve were killed", "Dozens of corpses", "20 of them", "No one was hurt"
        count_span = doc[head.left_edge.i:head.i + 1]
        count = _count_from_span(count_span)
        named = of_pobj if of_pobj is not None and of_pobj.lower_ not in ("them", "whom", "those") else None
        span = phrase(named) if named is not None else None
        return Victims(head, span, count, count_span, _victim_kind(named or head, span))
    if head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if head.pos_ == "PRON" and head.lower_ not in ("nobody", "none", "everyone", "no-one"):
        return None
    full = phrase(head)
    count_span = _left_count_span(head)
    count = _count_from_span(count_span) if count_span is not None else None
    if count is None and _is_person(head) and head.tag_ in ("NN", "NNP"):
        count = Count(1, 1, 1, text=head.text)  # "a man", "the leader of Hamas", "Hassan Nasrallah"
    if count_span is not None and count is not None and count_span.end <= head.i:
        span = doc[count_span.end:full.end]
    else:
        span = full
    counted_plural = count is not None and head.tag_ in ("NNS", "NNPS") and head.lower_ not in lx.NON_PERSON_NOUNS
    if not counted_plural and not any(_is_person(t) or t.lower_ in lx.NOUN_STATUS for t in span):
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
