"""The article's geography: its main place and the evidence its places give (no model: names given by hand)."""

from __future__ import annotations

from stream.analysis.geography import main_place
from stream.analysis.places import Evidence, article_evidence


def test_geography_main_place_is_the_most_named_resolved_place():
    named = [("Qwertzabad", ()), ("Kandahar", ()), ("Kabul", ()), ("Kandahar", ())]
    assert main_place(named, Evidence.of(["AF"])) == ("Kandahar", ())


def test_geography_a_big_town_outweighs_a_neighbourhood_named_as_often():
    named = [("Northside", ()), ("Cincinnati", ())]  # GeoNames' Northside is a small town elsewhere
    assert main_place(named, article_evidence(["Northside", "Cincinnati"])) == ("Cincinnati", ())


def test_geography_a_town_before_its_country():
    named = [("Afghanistan", ()), ("Afghanistan", ()), ("Kandahar", ())]
    assert main_place(named, Evidence.of(["AF"])) == ("Kandahar", ())


def test_geography_no_place_resolves():
    assert main_place([("Qwertzabad", ())], Evidence()) is None
