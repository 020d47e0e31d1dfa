"""Small helpers over a spaCy dependency parse: phrases, clauses, distances."""

from __future__ import annotations

from spacy.tokens import Span, Token

# Dependents that belong to a noun's phrase when we quote it ("the leader of Hamas").
_PHRASE_LEFT = {"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "predet", "case", "npadvmod",
                "advmod", "nn"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "pcomp", "acl", "parataxis", "csubj"}


def lower(token: Token) -> str:
    return token.lower_


def phrase(token: Token, *, with_conj: bool = False, with_of: bool = True) -> Span:
    """The noun phrase headed by ``token``: its left modifiers, an "of" complement, optionally conjuncts."""
    left, right = token.i, token.i
    for child in token.children:
        if child.i < token.i and child.dep_ in _PHRASE_LEFT:
            left = min(left, child.left_edge.i)
        elif child.i > token.i and (
            (with_of and child.dep_ == "prep" and child.lower_ == "of")
            or (with_conj and child.dep_ in ("conj", "cc"))
            or child.dep_ in ("compound", "case")
        ):
            right = max(right, child.right_edge.i)
    doc = token.doc
    while right > left and (doc[right].is_punct or doc[right].dep_ == "cc" or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return doc[left:right + 1]


def ancestors_with_self(token: Token):
    yield token
    yield from token.ancestors


def clause_head(token: Token) -> Token:
    """The verb heading the clause ``token`` stands in (the token itself if it is one)."""
    for node in ancestors_with_self(token):
        if node.pos_ in ("VERB", "AUX") and node.dep_ in _CLAUSE_DEPS:
            return node
        if node.dep_ == "ROOT":
            return node
    return token


def governing_clauses(token: Token) -> set[int]:
    """Indices of the clauses whose time expressions date ``token``'s clause: its own, the clauses that
    report or continue it (ccomp, conj, xcomp, parataxis, a participle clause), and their conjoined verbs
    ("killed 12 and wounded 40 on Monday"); not the clauses it merely modifies ("since Israel killed X")."""
    heads = [clause_head(token)]
    while (heads[-1].dep_ in ("ccomp", "conj", "xcomp", "parataxis") or _is_participle_clause(heads[-1])) \
            and heads[-1].head is not heads[-1]:
        heads.append(clause_head(heads[-1].head))
    found = {h.i for h in heads}
    found |= {c.i for h in heads for c in h.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")}
    return found


def distance(a: Token, b: Token) -> int:
    """Edges on the dependency path between two tokens of one sentence."""
    depth_a = {t.i: d for d, t in enumerate(ancestors_with_self(a))}
    for d_b, node in enumerate(ancestors_with_self(b)):
        if node.i in depth_a:
            return depth_a[node.i] + d_b
    return 99


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def first_child(token: Token, *deps: str) -> Token | None:
    found = children(token, *deps)
    return found[0] if found else None


def conjuncts_with_self(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _is_participle_clause(verb: Token) -> bool:
    """"..., killing two people": a participle clause with no subject or conjunction of its own."""
    return (verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children))


def subject_of(verb: Token) -> Token | None:
    """Subject of a verb, inherited where English elides it: "killed five and wounded ten",
    "threatened to strike", "drones struck ..., killing two"."""
    subj = first_child(verb, "nsubj", "nsubjpass", "csubj")
    if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        return verb.head  # "Ivan Boiko, who died in a strike": the antecedent
    if subj is None and verb.dep_ == "acl" and first_child(verb, "dobj") is not None:
        return verb.head  # "strikes killed 17" parsed as a reduced relative on "strikes"
    if subj is None and (verb.dep_ in ("conj", "xcomp") or _is_participle_clause(verb)) and verb.head is not verb:
        return subject_of(verb.head)
    return subj


def is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if any(c.dep_ == "dobj" for c in verb.children):
        return False  # "strikes killed 17 people" misparsed as a reduced relative still has its object
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head is not verb and is_passive(verb.head):
        return True  # "was attacked and beaten to death"
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "conj") and verb.head.pos_ in ("NOUN", "PROPN", "NUM")


def in_span(token: Token, span: Span | None) -> bool:
    return span is not None and span.start <= token.i < span.end
