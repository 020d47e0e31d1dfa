"""Sentence starts the sentence recogniser cannot see, set after it runs.

Wire and web copy that arrives without line breaks still has its furniture: a headline
run into a full date ("... social movement Tuesday, September 22, 2015 News of ..."),
photo credits ("Image: Twitter / NASA."), and a quotation opened after a colon
("he wrote on his account: "Cool clock, Ahmed."").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# "Tuesday, September 22, 2015" standing alone between a headline and the story.
_FULL_DATE = re.compile(rf"\b{_WEEKDAY}, {_MONTH} \d{{1,2}}, \d{{4}}\b")
_CREDIT = re.compile(r"\b(?:Image|Photo|Picture|Photograph|Video|Credit|Source)s?: ")
_OPENING_QUOTES = {'"', "\u201c", "'"}


def _start_at(doc: Doc, char: int) -> None:
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is not None and token.start > 0:
        doc[token.start].is_sent_start = True


def furniture_boundaries(doc: Doc) -> Doc:
    text = doc.text
    for match in _FULL_DATE.finditer(text):
        before = text[:match.start()].rstrip()
        if before and before[-1] not in ".!?,;:(" and match.end() < len(text):
            _start_at(doc, match.start())
            _start_at(doc, match.end() + 1)
    for match in _CREDIT.finditer(text):
        _start_at(doc, match.start())
        end = text.find(". ", match.end())
        if end > 0:
            _start_at(doc, end + 2)
    for token in doc[1:-1]:
        if token.text in _OPENING_QUOTES and doc[token.i - 1].text == ":" and token.nbor(1).is_title:
            token.is_sent_start = True
    return doc


_ENDS = (".", "!", "?", ".\"", ".\u201d", "?\"", "!\"")


def repair_boundaries(doc: Doc) -> Doc:
    """Sentences start at a word's beginning: a start inside one ("Co|-founder", '"[|Ten] years') moves
    back to where the word begins if a sentence ended there, and is dropped if not ("[|sic] something")."""
    for token in doc[1:]:
        if not token.is_sent_start or doc[token.i - 1].whitespace_:
            continue
        first = token
        while first.i > 0 and not doc[first.i - 1].whitespace_:
            first = doc[first.i - 1]
        token.is_sent_start = False
        if first.i > 0 and doc[first.i - 1].text.endswith(_ENDS):
            first.is_sent_start = True
    return doc


# Longest sentence the models are given, in tokens. News sentences stay far below it (the longest of
# 21,553 first-pass sentences of the development news is 110 tokens); text without sentence ends
# would reach the block limit (about 1,000 tokens), and the parser's memory grows with a sentence's
# length: a 512 KB body without punctuation took the process from 145 to 664 MB.
MAX_SENTENCE_TOKENS = 200


def cap_sentence_length(doc: Doc, limit: int = MAX_SENTENCE_TOKENS) -> Doc:
    """Start a new sentence after every ``limit`` tokens of one that runs on."""
    run = 0
    for token in doc:
        if token.is_sent_start or run >= limit:
            token.is_sent_start = True
            run = 0
        run += 1
    return doc
