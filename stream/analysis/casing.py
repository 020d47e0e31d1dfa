"""All-capitals wire copy ("GUNMEN KILLED FIVE PEASANTS"): parse it in sentence case, report it as sent.

The model was trained on mixed case and tags shouted text badly. A shouted block is
lower-cased (sentence starts capitalised) for the model, whose annotations are then put
back on the original characters, so every text and offset we report is the body's own.
"""

from __future__ import annotations

import re

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


def recase(doc: Doc, original: str) -> Doc:
    """A copy of ``doc`` (parsed from ``sentence_case(original)``) whose token texts are ``original``'s."""
    words = [original[t.idx:t.idx + len(t)] for t in doc]
    ents = ["O"] * len(doc)
    for ent in doc.ents:
        ents[ent.start] = f"B-{ent.label_}"
        for i in range(ent.start + 1, ent.end):
            ents[i] = f"I-{ent.label_}"
    return Doc(
        doc.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in doc],
        tags=[t.tag_ for t in doc],
        pos=[t.pos_ for t in doc],
        morphs=[str(t.morph) for t in doc],
        heads=[t.head.i for t in doc],
        deps=[t.dep_ for t in doc],
        sent_starts=[bool(t.is_sent_start) for t in doc],
        ents=ents,
    )
