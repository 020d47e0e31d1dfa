"""Entity records from hand-built docs (the model is not the point here)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from stream.analysis.entities import entity_records


def records(words: list[str], tags: list[str], offset: int = 0) -> list[dict]:
    doc = Doc(Vocab(), words=words, sent_starts=[True] + [False] * (len(words) - 1), ents=tags)
    return entity_records(doc, offset, {0: 0})


@pytest.mark.parametrize(("words", "tags", "text", "canonical"), [
    (["Fighters", "of", "the", "Taliban", "attacked"], ["O", "O", "B-ORG", "I-ORG", "O"], "Taliban", "Taliban"),
    (["Israel", "'s", "army", "struck"], ["B-GPE", "I-GPE", "O", "O"], "Israel", "Israel"),
    (["the", "Gaza", "Strip", "'s", "south"], ["B-GPE", "I-GPE", "I-GPE", "I-GPE", "O"], "Gaza Strip", "Gaza Strip"),
    (["The", "Hague", "court", "ruled"], ["B-GPE", "I-GPE", "O", "O"], "The Hague", "The Hague"),
    (["Hamas", "said"], ["B-ORG", "O"], "Hamas", "Hamas"),
])
def test_entities_records_hold_the_name_without_article_or_possessive(words, tags, text, canonical):
    [entity] = records(words, tags)
    assert entity["text"] == text
    assert (entity["canonical"] or entity["text"]) == canonical


def test_entities_offsets_point_at_the_trimmed_name():
    words = ["Troops", "of", "the", "Houthis", "'s", "allies"]
    [entity] = records(words, ["O", "O", "B-ORG", "I-ORG", "I-ORG", "O"], offset=100)
    body = " ".join(words)
    assert body[entity["start"] - 100:entity["end"] - 100] == "Houthis"
