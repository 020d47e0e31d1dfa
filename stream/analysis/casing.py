"""All-capitals wire copy ("GUNMEN KILLED FIVE PEASANTS"): parse it in sentence case, report it as sent.

The model was trained on mixed case and tags shouted text badly. A shouted block is
lower-cased (sentence starts capitalised) for the model, whose annotations are then put
back on the original characters, so every text and offset we report is the body's own.
"""

from __future__ import annotations

import re

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, MORPH, POS, SENT_START, TAG
from spacy.tokens import Doc

_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def is_shouting(text: str) -> bool:
    """Mostly capitals, with enough letters to tell (a headline word or an acronym is not shouting)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def sentence_case(text: str) -> str:
    """Same length, lower case but for sentence starts (characters whose lower case is longer are kept)."""
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), lowered)


# What a re-cased copy keeps: tags, morphology, the parse, sentence starts and entities.
_PARSED = [TAG, POS, MORPH, HEAD, DEP, ENT_IOB, ENT_TYPE]
_UNPARSED = [TAG, POS, MORPH, SENT_START, ENT_IOB, ENT_TYPE]


def recase(doc: Doc, original: str) -> Doc:
    """A copy of ``doc`` (parsed from ``sentence_case(original)``) whose token texts are ``original``'s.

    The annotations go across as arrays (``Doc.to_array``/``from_array``): one call, not a string per
    token and attribute. A parsed document's sentence starts come with its heads."""
    words = [original[t.idx:t.idx + len(t)] for t in doc]
    copy = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    attrs = _PARSED if doc.has_annotation("DEP") else _UNPARSED
    copy.from_array(attrs, doc.to_array(attrs))
    if not doc.has_annotation("ENT_IOB"):
        copy.ents = []  # every token outside an entity, as the recogniser would have said
    return copy
