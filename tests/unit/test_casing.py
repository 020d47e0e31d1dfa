"""stream/analysis/casing.py: shouted copy is parsed in sentence case and reported in its own characters."""

import pytest
import spacy
from spacy.tokens import Doc

from stream.analysis.casing import is_shouting, recase, sentence_case

ORIGINAL = "GUNMEN KILLED FIVE PEASANTS IN BOGOTA. POLICE SAID."
WORDS = ["GUNMEN", "KILLED", "FIVE", "PEASANTS", "IN", "BOGOTA", ".", "POLICE", "SAID", "."]
SPACES = [True, True, True, True, True, False, True, True, False, False]


@pytest.mark.parametrize(("text", "shouting"), [
    (ORIGINAL, True),
    ("Gunmen killed five peasants in Bogota, police said.", False),
    ("NATO and the UN met.", False),  # acronyms are not shouting
    ("KILLED", False),  # too few letters to tell
])
def test_casing_is_shouting_needs_mostly_capitals_and_enough_letters(text, shouting):
    assert is_shouting(text) is shouting


def test_casing_sentence_case_keeps_length_and_capitalises_sentence_starts():
    cased = sentence_case(ORIGINAL)
    assert len(cased) == len(ORIGINAL) and cased == "Gunmen killed five peasants in bogota. Police said."


def _seen(parsed: bool, entities: bool = True) -> Doc:
    vocab = spacy.blank("en").vocab
    words = [w.lower() for w in WORDS]
    words[0], words[7] = "Gunmen", "Police"
    annotations = dict(tags=["NNS", "VBD", "CD", "NNS", "IN", "NNP", ".", "NNS", "VBD", "."],
                       pos=["NOUN", "VERB", "NUM", "NOUN", "ADP", "PROPN", "PUNCT", "NOUN", "VERB", "PUNCT"],
                       morphs=["Number=Plur", "Tense=Past", "NumType=Card", "Number=Plur", "", "Number=Sing",
                               "PunctType=Peri", "Number=Plur", "Tense=Past", "PunctType=Peri"])
    if parsed:
        annotations.update(heads=[1, 1, 3, 1, 1, 4, 1, 8, 8, 8],
                           deps=["nsubj", "ROOT", "nummod", "dobj", "prep", "pobj", "punct", "nsubj", "ROOT", "punct"])
    else:
        annotations.update(sent_starts=[True] + [False] * 6 + [True, False, False])
    if entities:
        annotations.update(ents=["O", "O", "O", "O", "O", "B-GPE", "O", "O", "O", "O"])
    return Doc(vocab, words=words, spaces=SPACES, **annotations)


def _annotations(doc: Doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.head.i, t.dep_, bool(t.is_sent_start), t.ent_iob_, t.ent_type_,
             t.whitespace_) for t in doc]


@pytest.mark.parametrize("parsed", [True, False])
def test_casing_recase_gives_the_original_characters_with_the_same_annotations(parsed):
    seen = _seen(parsed)
    copy = recase(seen, ORIGINAL)
    assert copy.text == ORIGINAL and [t.text for t in copy] == WORDS
    assert _annotations(copy) == _annotations(seen)
    assert [s.text for s in copy.sents] == ["GUNMEN KILLED FIVE PEASANTS IN BOGOTA.", "POLICE SAID."]


def test_casing_recase_marks_every_token_outside_an_entity_when_none_were_looked_for():
    copy = recase(_seen(parsed=True, entities=False), ORIGINAL)
    assert {t.ent_iob_ for t in copy} == {"O"} and not copy.ents
    assert [(e.text, e.label_) for e in recase(_seen(parsed=False), ORIGINAL).ents] == [("BOGOTA", "GPE")]
