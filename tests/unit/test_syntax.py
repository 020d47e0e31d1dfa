"""Parse helpers on dependency trees built by hand (no model: the tree is the point)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from stream.analysis.syntax import distance, governing_clauses, is_passive, phrase, subject_of


VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_, is_punct), no model


def parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str] | None = None,
           pos: list[str] | None = None) -> Doc:
    return Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags, pos=pos)


# "Gunmen killed the leader of the group and wounded two guards ."
KILLED = parsed(
    ["Gunmen", "killed", "the", "leader", "of", "the", "group", "and", "wounded", "two", "guards", "."],
    [1, 1, 3, 1, 3, 6, 4, 1, 1, 10, 8, 1],
    ["nsubj", "ROOT", "det", "dobj", "prep", "det", "pobj", "cc", "conj", "nummod", "dobj", "punct"],
    ["NNS", "VBD", "DT", "NN", "IN", "DT", "NN", "CC", "VBD", "CD", "NNS", "."],
    ["NOUN", "VERB", "DET", "NOUN", "ADP", "DET", "NOUN", "CCONJ", "VERB", "NUM", "NOUN", "PUNCT"],
)


def test_syntax_phrase_keeps_modifiers_and_of_complement():
    assert phrase(KILLED[3]).text == "the leader of the group"
    assert phrase(KILLED[3], with_of=False).text == "the leader"
    assert phrase(KILLED[10]).text == "two guards"


def test_syntax_subject_is_inherited_by_a_conjoined_verb():
    assert subject_of(KILLED[8]).text == "Gunmen"


@pytest.mark.parametrize("a, b, edges", [(1, 3, 1), (3, 6, 2), (6, 10, 5), (0, 0, 0)])
def test_syntax_distance_counts_edges(a, b, edges):
    assert distance(KILLED[a], KILLED[b]) == edges


# "Officials said five people were killed on Monday ."
REPORTED = parsed(
    ["Officials", "said", "five", "people", "were", "killed", "on", "Monday", "."],
    [1, 1, 3, 5, 5, 1, 5, 6, 1],
    ["nsubj", "ROOT", "nummod", "nsubjpass", "auxpass", "ccomp", "prep", "pobj", "punct"],
    ["NNS", "VBD", "CD", "NNS", "VBD", "VBN", "IN", "NNP", "."],
    ["NOUN", "VERB", "NUM", "NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
)


def test_syntax_passive_and_reported_clauses():
    killed = REPORTED[5]
    assert is_passive(killed)
    assert governing_clauses(killed) == {5, 1}  # the ccomp, and the clause that reports it


# "Israel killed a commander since he planned attacks ." -- "since" clauses do not lend their time
SINCE = parsed(
    ["Talks", "stalled", "since", "Israel", "killed", "a", "commander", "."],
    [1, 1, 4, 4, 1, 6, 4, 1],
    ["nsubj", "ROOT", "mark", "nsubj", "advcl", "det", "dobj", "punct"],
    ["NNS", "VBD", "IN", "NNP", "VBD", "DT", "NN", "."],
    ["NOUN", "VERB", "SCONJ", "PROPN", "VERB", "DET", "NOUN", "PUNCT"],
)


def test_syntax_modifying_clause_is_not_a_governing_clause():
    assert governing_clauses(SINCE[4]) == {4}
    assert not is_passive(SINCE[4])
