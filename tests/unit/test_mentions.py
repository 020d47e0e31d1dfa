"""Place mentions: the tagger's places and the names the words around them frame as places.

Documents are built by hand (words and the tagger's labels), so the rules are tested without the model.
"""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Doc

from stream.analysis.mentions import place_mentions
from stream.analysis.places import Evidence

_VOCAB = spacy.blank("en").vocab


def doc_of(text: str) -> Doc:
    """Words split at spaces and before punctuation; ``[Name|LABEL]`` marks what the tagger found."""
    words, spaces, ents = [], [], []
    for match in re.finditer(r"\[([^\]|]+)\|([A-Z_]+)\]|([\w'’-]+|[^\w\s])(\s?)", text):
        if match.group(1):
            parts = match.group(1).split(" ")
            for k, part in enumerate(parts):
                words.append(part)
                spaces.append(k < len(parts) - 1 or text[match.end():match.end() + 1] == " ")
                ents.append(("B-" if k == 0 else "I-") + match.group(2))
        else:  # a hyphen between letters is a token of its own, as the model's tokenizer makes it
            parts = re.split(r"(?<=\w)(-)(?=\w)", match.group(3))
            words += parts
            spaces += [False] * (len(parts) - 1) + [bool(match.group(4))]
            ents += ["O"] * len(parts)
    return Doc(_VOCAB, words=words, spaces=spaces, ents=ents)


def names(text: str, evidence: Evidence = Evidence()) -> list[str]:
    doc = doc_of(text)
    return [span.text for span in place_mentions(doc[:], evidence)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Observers counted 12 explosions near [Hnutove|WORK_OF_ART] on Friday .", ["Hnutove"]),
    ("Observers counted 12 explosions near [Hnutove|ORG] on Friday .", ["Hnutove"]),  # "near" takes only places
    ("Forces fired mortars in the area of [Yasynuvata|ORG] , [Donetsk|GPE] .", ["Yasynuvata", "Donetsk"]),
    ("Gunmen shot a lieutenant in the city of Dar'a .", ["Dar'a"]),
    ("Militants attacked a base on the northern outskirts of Tarhuna .", ["Tarhuna"]),
    ("Forces attacked fighters in Bayt Maghari village ( Hays , Al Hudaydah ) .", ["Bayt Maghari", "Hays",
                                                                                  "Al Hudaydah"]),
    ("A reporter was shot in Barangay Daro , Dumaguete , Negros Oriental .", ["Daro", "Dumaguete",
                                                                              "Negros Oriental"]),
    ("Militants attacked Namava ( Metuge , Cabo Delgado ) at night .", ["Namava", "Metuge", "Cabo Delgado"]),
])
def test_mentions_framed_names_the_tagger_missed(text, expected):
    assert names(text) == expected


def test_mentions_particles_lengthen_a_cut_name():
    assert names("Two forces clashed in [Madinat|GPE] as Saleh on Tuesday .") == ["Madinat as Saleh"]


def test_mentions_hyphens_and_numerals_belong_to_the_name():
    assert names("Shells fell near Ar-Raqqa and in Bala Duri I area .") == ["Ar-Raqqa", "Bala Duri I"]


def test_mentions_a_name_that_opens_with_its_article():
    assert names("Forces shelled a village in al-Hasakeh and near al Bab .") == ["al-Hasakeh", "al Bab"]


def test_mentions_a_list_after_a_locative():
    assert names("Shelling was heard near [Opytne|GPE] and Avdiivka .", Evidence.of(["UA"])) == ["Opytne", "Avdiivka"]


@pytest.mark.parametrize("text", [
    "Six were killed in [Taliban|ORG] attacks on Monday .",
    "Two died in Israeli strikes overnight .",
    "The bill was debated in [Congress|ORG] on Monday .",
    "He was killed in May .",
    "Fighting broke out in Zzyzqxville on Monday .",  # no place of that name, and nothing frames it
])
def test_mentions_what_is_not_a_place(text):
    assert names(text) == []


def test_mentions_an_unknown_name_framed_as_a_place_is_kept():
    assert names("Gunmen raided Qwrtzabad village at dawn .") == ["Qwrtzabad"]


def test_mentions_a_bare_locative_small_town_needs_the_articles_country():
    text = "Two were shot dead in Tarhunah on Monday ."
    assert names(text, Evidence.of(["LY"])) == ["Tarhunah"]


@pytest.mark.parametrize(("text", "expected"), [
    ("[Reno Police Department|ORG] said a boy was killed .", ["Reno"]),
    ("Greenwood police arrested a suspect .", ["Greenwood"]),  # namesakes: a place, not known which yet
    ("The victim died at [Stamford Hospital|FAC] .", ["Stamford"]),
    ("The victim died at [Qwertz Hospital|FAC] .", ["Qwertz Hospital"]),  # an unknown place keeps its name
])
def test_mentions_institutions_name_their_place(text, expected):
    assert names(text) == expected


def test_mentions_tagged_places_side_by_side_are_one_where_the_gazetteer_knows_them():
    assert names("Shots in [Tijuana|GPE] , [Baja|GPE] [California|GPE] .") == ["Tijuana", "Baja California"]


def test_mentions_a_prefix_feature_tagged_alone_takes_its_name():
    assert names("A body was found in [Colonia|GPE] Jardines de la Mesa .") == ["Jardines de la Mesa"]
