"""The attribute ruler's work (fine tags -> POS and morphology, with its exceptions) without its Matcher.

spaCy's AttributeRuler tries every one of its patterns at every token (en_core_web_sm: 179
patterns, a seventh of the second pass on conflict news). Its patterns are one or two tokens
with equality, IN, NOT_IN and REGEX tests on a token's lower-case form, tag, dependency or
whitespace, so each token need only try the patterns its lower-case form or its tag can
match. They are applied as the ruler applies them (in the order they were added, later ones
winning), with the ruler's own attributes: the annotations are the same, token by token
(tested). A ruler with a pattern of another kind runs as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

_READ: dict[str, Callable[[Token], object]] = {
    "LOWER": lambda t: t.lower_, "ORTH": lambda t: t.text, "TEXT": lambda t: t.text, "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_, "IS_SPACE": lambda t: t.is_space,
}


@dataclass(frozen=True)
class _Pattern:
    rule: int  # the ruler's attribute id: its order, and which attributes to set
    tokens: tuple[tuple[tuple[Callable[[Token], object], Callable[[object], bool]], ...], ...]
    anchored: bool = False  # its one test is the lookup that found it: no test left to run

    def matches(self, doc: Doc, start: int) -> bool:
        if self.anchored:
            return True
        if start + len(self.tokens) > len(doc):
            return False
        return all(test(read(doc[start + n])) for n, spec in enumerate(self.tokens) for read, test in spec)


def _test(value) -> Callable[[object], bool] | None:
    if isinstance(value, (str, bool)):
        return lambda seen: seen == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            return frozenset(arg).__contains__
        if op == "NOT_IN":
            return lambda seen, banned=frozenset(arg): seen not in banned
        if op == "REGEX":
            return lambda seen, found=re.compile(arg).search: bool(found(seen))
    return None


# Where a pattern is filed: the first of these its first token tests for given values.
_ANCHORS = ("LOWER", "TAG", "DEP", "IS_SPACE")


class TagAttributes:
    """Callable on a tagged and parsed Doc, like the ruler it was compiled from."""

    def __init__(self, filed: dict[str, dict[object, list[_Pattern]]], anywhere: list[_Pattern], ruler: AttributeRuler):
        self._filed, self._anywhere = filed, anywhere
        self._attrs, self._indices = ruler.attrs, ruler.indices

    def _candidates(self, token: Token) -> list[_Pattern]:
        filed = self._filed
        return [*filed["LOWER"].get(token.lower_, ()), *filed["TAG"].get(token.tag_, ()),
                *filed["DEP"].get(token.dep_, ()), *filed["IS_SPACE"].get(token.is_space, ()), *self._anywhere]

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for token in doc:
            for pattern in self._candidates(token):
                if pattern.anchored or pattern.matches(doc, token.i):
                    found.append((pattern.rule, token.i, token.i + len(pattern.tokens)))
        for rule, start, end in sorted(found):
            index = self._indices[rule]
            position = start + index if index >= 0 else end + index
            if not start <= position < end:
                raise IndexError(f"attribute rule {rule} sets token {index} of a match of {end - start}")
            set_token_attrs(doc[position], self._attrs[rule])
        return doc


def _filed_under(spec: dict) -> tuple[str, list] | None:
    """(attribute, the values a token must have for it) to file a pattern under by its first token."""
    upper = {k.upper(): v for k, v in spec.items()}
    for key in _ANCHORS:
        value = upper.get(key)
        if isinstance(value, (str, bool)):
            return key, [value]
        if isinstance(value, dict) and list(value) == ["IN"]:
            return key, list(value["IN"])
    return None


@lru_cache(maxsize=4)
def compiled(ruler: AttributeRuler) -> TagAttributes | AttributeRuler:
    """The fast form of ``ruler``, or ``ruler`` itself when a pattern is of a kind not handled here."""
    filed: dict[str, dict[object, list[_Pattern]]] = {key: {} for key in _ANCHORS}
    anywhere: list[_Pattern] = []
    for rule, entry in enumerate(ruler.patterns):  # entry n holds the patterns of attribute id n
        for tokens in entry["patterns"]:
            specs = []
            for spec in tokens:
                tests = [(_READ.get(key.upper()), _test(value)) for key, value in spec.items()]
                if not tests or any(read is None or test is None for read, test in tests):
                    return ruler
                specs.append(tuple(tests))
            under = _filed_under(tokens[0])
            pattern = _Pattern(rule, tuple(specs), anchored=under is not None and len(tokens) == 1 and len(tokens[0]) == 1)
            if under is None:
                anywhere.append(pattern)
                continue
            key, values = under
            for value in values:
                filed[key].setdefault(value, []).append(pattern)
    return TagAttributes(filed, anywhere, ruler)
