"""Tests for stream.analysis.quantities: quantity phrases coded as conservative counts."""
from dataclasses import FrozenInstanceError

import pytest

from stream.analysis.quantities import (
    BOUND_WORDS, NUMBER_WORDS, PLAUSIBLE_MAX, Count, parse_count, parse_number,
)


def coded(text):
    c = parse_count(text)
    assert c is not None, f"{text!r} was not read as a count"
    return c.min, c.max, c.best


@pytest.mark.parametrize(("text", "expected"), [
    ("20", 20), ("1,200", 1200), ("12,000", 12000), ("12 000", 12000), ("1.2 million", 1_200_000),
    ("20 thousand", 20_000), ("2.5 thousand", 2500), ("0", 0),
    ("two", 2), ("eleven", 11), ("nineteen", 19), ("twenty-one", 21), ("twenty one", 21),
    ("twenty\u2013one", 21), ("ninety-nine", 99), ("three hundred", 300), ("a hundred", 100),
    ("one hundred and fifty", 150), ("a hundred and fifty", 150), ("two thousand", 2000),
    ("two thousand five hundred", 2500), ("one hundred and fifty thousand", 150_000),
    ("a thousand", 1000), ("a million", 1_000_000), ("a dozen", 12), ("two dozen", 24),
    ("half a dozen", 6), ("half a million", 500_000), ("zero", 0), ("  Twenty-One  ", 21),
])
def test_quantities_parse_number_words(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", [
    "", "a", "an", "the", "first", "11th", "twenty-first", "1.5", "1,2", "hundred", "dozens",
    "20 people", "one two", "twenty thirty", "one hundred and", "several", "many",
])
def test_quantities_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("20", (20, 20, 20)), ("1,200", (1200, 1200, 1200)), ("twenty-one", (21, 21, 21)),
    ("three hundred", (300, 300, 300)), ("a dozen", (12, 12, 12)), ("half a dozen", (6, 6, 6)),
    ("two thousand", (2000, 2000, 2000)), ("20 people", (20, 20, 20)),
    ("a", (1, 1, 1)), ("an", (1, 1, 1)), ("one", (1, 1, 1)), ("a single", (1, 1, 1)),
    ("lone", (1, 1, 1)), ("a lone", (1, 1, 1)), ("a man", (1, 1, 1)), ("A", (1, 1, 1)),
    ("a well-known journalist", (1, 1, 1)),
    ("both", (2, 2, 2)), ("a pair of", (2, 2, 2)), ("a couple of", (2, 2, 2)), ("a couple", (2, 2, 2)),
])
def test_quantities_parse_count_exact(text, expected):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == expected
    assert not c.vague and not c.approximate and not c.implausible


@pytest.mark.parametrize(("text", "expected"), [
    ("more than 20", (21, None, 21)), ("over 20", (21, None, 21)), ("above 20", (21, None, 21)),
    ("upwards of 20", (21, None, 21)), ("in excess of 20", (21, None, 21)),
    ("More Than twenty", (21, None, 21)), ("more than a dozen", (13, None, 13)),
    ("more than two dozen", (25, None, 25)), ("over a hundred", (101, None, 101)),
    ("at least 20", (20, None, 20)), ("a minimum of 20", (20, None, 20)),
    ("no fewer than 20", (20, None, 20)), ("no less than 20", (20, None, 20)),
    ("at least a dozen", (12, None, 12)), ("at least one", (1, None, 1)),
    ("20 or more", (20, None, 20)), ("100+", (100, None, 100)), ("100-plus", (100, None, 100)),
])
def test_quantities_parse_count_bounds(text, expected):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == expected
    assert not c.approximate and not c.vague


@pytest.mark.parametrize(("text", "expected"), [
    ("up to 20", (1, 20, 20)), ("as many as 20", (1, 20, 20)), ("at most 20", (1, 20, 20)),
    ("no more than 20", (1, 20, 20)), ("up to a dozen", (1, 12, 12)),
    ("fewer than 20", (1, 19, 19)), ("less than 20", (1, 19, 19)), ("under 20", (1, 19, 19)),
    ("nearly 20", (20, 20, 20)), ("almost 20", (20, 20, 20)), ("close to 20", (20, 20, 20)),
    ("just under 20", (20, 20, 20)),
    ("about 20", (20, 20, 20)), ("around 20", (20, 20, 20)), ("approximately 20", (20, 20, 20)),
    ("roughly 20", (20, 20, 20)), ("some 20", (20, 20, 20)), ("an estimated 20", (20, 20, 20)),
    ("approx. 20", (20, 20, 20)), ("circa 20", (20, 20, 20)), ("some twenty", (20, 20, 20)),
    ("about 4 to 7", (4, 7, 4)), ("20-odd", (20, 20, 20)), ("20 or so", (20, 20, 20)),
])
def test_quantities_parse_count_approximate(text, expected):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == expected
    assert c.approximate and not c.vague


@pytest.mark.parametrize("text", [
    "4-7", "4\u20137", "4\u20147", "4 - 7", "4 to 7", "between 4 and 7", "from 4 to 7", "from 4-7",
    "four to seven", "between four and seven", "4-7 people",
])
def test_quantities_parse_count_ranges(text):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == (4, 7, 4)
    assert not c.vague and not c.approximate


@pytest.mark.parametrize(("text", "expected"), [
    ("4 or 5", (4, 5, 4)), ("four or five", (4, 5, 4)), ("seven to ten", (7, 10, 7)),
    ("one or two", (1, 2, 1)), ("twenty-thirty", (20, 30, 20)), ("20-30", (20, 30, 20)),
    ("5-5", (5, 5, 5)),
])
def test_quantities_parse_count_other_ranges(text, expected):
    assert coded(text) == expected


@pytest.mark.parametrize("text", ["7-4", "seven to four", "between 7 and 4", "from 10 to 2", "5 or 4"])
def test_quantities_rejects_reversed_ranges(text):
    assert parse_count(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("dozens", 12), ("dozens of", 12), ("Dozens of", 12), ("dozens more", 12), ("scores", 20),
    ("scores of", 20), ("hundreds", 100), ("hundreds of", 100), ("thousands", 1000),
    ("tens of thousands", 10_000), ("hundreds of thousands", 100_000), ("millions", 1_000_000),
    ("several", 3), ("several hundred", 300), ("several dozen", 36), ("a few", 2), ("few", 2),
    ("a few hundred", 200), ("a number of", 2), ("a handful of", 2), ("many", 2),
    ("many people", 2), ("numerous", 2), ("multiple", 2),
])
def test_quantities_parse_count_vague(text, expected):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == (expected, None, expected)
    assert c.vague and not c.approximate


@pytest.mark.parametrize(("text", "expected"), [
    ("at least dozens", (12, None, 12)), ("more than dozens", (13, None, 13)),
    ("some dozens", (12, None, 12)), ("up to dozens", (1, 12, 12)),
])
def test_quantities_parse_count_bounded_vague(text, expected):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == expected
    assert c.vague


@pytest.mark.parametrize("text", [
    "no", "none", "zero", "nobody", "no one", "No one", "no-one", "not a single", "no civilians",
])
def test_quantities_parse_count_zero(text):
    c = parse_count(text)
    assert (c.min, c.max, c.best) == (0, 0, 0)


@pytest.mark.parametrize("text", [
    "", "   ", "the", "his", "Tuesday", "11th", "first", "twenty-first", "year-long", "some",
    "some people", "20-year-old", "a 20-year-old", "people", "more than", "at least",
    "between 4", "from 4", "fewer than 1", "less than one", "up to 0", "1.5", "two men and three women",
    "-5", "-", "of",
])
def test_quantities_rejects_non_counts(text):
    assert parse_count(text) is None


@pytest.mark.parametrize(("text", "implausible"), [
    ("1.2 million", True), ("millions", True), ("100,001", True), ("more than 100,000", True),
    ("a million", True), ("100,000", False), ("hundreds of thousands", False),
    ("up to 100,000", False), ("tens of thousands", False), ("20", False),
])
def test_quantities_flags_implausible(text, implausible):
    c = parse_count(text)
    assert c.implausible is implausible
    assert PLAUSIBLE_MAX == 100_000


def test_quantities_text_is_stripped_and_curly_quotes_tolerated():
    c = parse_count("  \u2018dozens\u2019 of \n")
    assert c.text == "\u2018dozens\u2019 of"
    assert (c.min, c.max, c.best, c.vague) == (12, None, 12, True)
    assert parse_count("\u00a0more than 20\u00a0").text == "more than 20"


def test_quantities_count_as_dict_and_frozen():
    c = parse_count("more than 20")
    assert c.as_dict() == {"min": 21, "max": None, "best": 21, "text": "more than 20",
                           "vague": False, "approximate": False, "implausible": False}
    assert c == Count(21, None, 21, "more than 20")
    with pytest.raises(FrozenInstanceError):
        c.best = 3  # type: ignore[misc]


def test_quantities_vocabulary_sets():
    for word in ("one", "twenty", "ninety", "hundred", "thousand", "million", "dozen", "dozens",
                 "scores", "several", "both", "a", "an", "few", "handful", "of", "and", "no"):
        assert word in NUMBER_WORDS
    for word in ("people", "the", "killed", "-"):
        assert word not in NUMBER_WORDS
    for phrase in ("more than", "at least", "up to", "as many as", "no fewer than", "in excess of",
                   "upwards of", "a minimum of", "fewer than", "about", "nearly", "between"):
        assert phrase in BOUND_WORDS
    assert isinstance(NUMBER_WORDS, frozenset) and isinstance(BOUND_WORDS, frozenset)
