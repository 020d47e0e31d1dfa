"""stream/analysis/tag_attributes.py: the attribute ruler's annotations without its Matcher, token for token."""

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from stream.analysis.tag_attributes import TagAttributes, compiled

WORDS = ["There", "is", "n't", "nothin'", "we", "do", " ", "about", "it", "."]
TAGS = ["EX", "VBZ", "RB", "NN", "PRP", "VBP", "_SP", "IN", "PRP", "."]
DEPS = ["expl", "ROOT", "neg", "attr", "nsubj", "relcl", "dep", "prep", "pobj", "punct"]
HEADS = [1, 1, 1, 1, 5, 3, 5, 5, 7, 1]


def _doc(vocab) -> Doc:
    return Doc(vocab, words=WORDS, spaces=[True] * len(WORDS), tags=TAGS, deps=DEPS, heads=HEADS)


def _ruler(vocab, rules) -> AttributeRuler:
    ruler = AttributeRuler(vocab)
    for patterns, attrs, index in rules:
        ruler.add(patterns, attrs, index)
    return ruler


def _annotations(doc: Doc) -> list[tuple]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


RULES = {
    "tag map": [([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"}, 0),
                ([[{"TAG": {"IN": ["VBZ", "VBP"]}}]], {"POS": "VERB"}, 0)],
    "a later rule wins": [([[{"TAG": "VBZ"}]], {"POS": "VERB"}, 0),
                          ([[{"LOWER": "is", "TAG": "VBZ"}]], {"POS": "AUX", "LEMMA": "be"}, 0)],
    "dependency and not-in tests": [([[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["relcl", "aux"]}}]],
                                     {"POS": "AUX"}, 0)],
    "two tokens, second one set": [([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], {"POS": "VERB"}, 1),
                                   ([[{"LOWER": "is"}, {"LOWER": {"REGEX": "^n'?t$"}}]], {"LEMMA": "be"}, -2)],
    "regular expression anywhere": [([[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], {"LEMMA": "nothing"}, 0)],
    "whitespace": [([[{"IS_SPACE": True}]], {"TAG": "_SP", "POS": "SPACE", "MORPH": "_"}, 0),
                   ([[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], {"DEP": "dep"}, 0)],
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_tag_attributes_annotate_as_the_ruler_does(name):
    vocab = spacy.blank("en").vocab
    ruler = _ruler(vocab, RULES[name])
    fast = compiled(ruler)
    assert isinstance(fast, TagAttributes)
    expected, seen = ruler(_doc(vocab)), fast(_doc(vocab))
    assert _annotations(seen) == _annotations(expected)
    assert _annotations(seen) != _annotations(_doc(vocab))  # the rules did something


def test_tag_attributes_leave_a_ruler_with_other_patterns_as_it_is():
    vocab = spacy.blank("en").vocab
    ruler = _ruler(vocab, [([[{"TAG": "NN"}, {"OP": "+", "TAG": "NN"}]], {"POS": "NOUN"}, 0),
                           ([[{"LENGTH": {">=": 3}}]], {"POS": "X"}, 0)])
    assert compiled(ruler) is ruler


@pytest.mark.slow
def test_tag_attributes_match_the_model_s_ruler_on_parsed_news(analyzer):
    nlp = analyzer.nlp
    text = ("Gunmen ain't stopped: they killed 12 people in Kaduna on Monday, and there were more attacks "
            "we're told of. \"It's nothin',\" he said; y'all should've known.  Two were wounded.")
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        doc = nlp(text)
    expected = nlp.get_pipe("attribute_ruler")(Doc(nlp.vocab).from_bytes(doc.to_bytes()))
    seen = compiled(nlp.get_pipe("attribute_ruler"))(Doc(nlp.vocab).from_bytes(doc.to_bytes()))
    assert isinstance(compiled(nlp.get_pipe("attribute_ruler")), TagAttributes)
    assert _annotations(seen) == _annotations(expected)
