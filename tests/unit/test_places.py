"""The geoparser: the gazetteer's candidates, resolution with context, containers in the text, bad input.

The gazetteer is the real one (built from the installed packages, read from the disk cache); the texts
are our own.
"""

from __future__ import annotations

import time

import pytest

from stream.analysis import gazetteer as gz
from stream.analysis.places import (
    Evidence,
    article_evidence,
    containers,
    geo_fields,
    group_country,
    mission_countries,
    resolve,
    shared_region,
    split_feature,
)


def located(name, evidence=Evidence(), around=()):
    found = resolve(name, evidence, around)
    entry = found.entry
    return (entry.country_code, entry.kind) if entry else (None, found.candidates)


@pytest.mark.parametrize(("name", "around", "country", "admin1"), [
    ("Springfield", ("Illinois",), "US", "US.IL"),
    ("Springfield", ("Massachusetts",), "US", "US.MA"),
    ("Richmond", ("Virginia",), "US", "US.VA"),
    ("Bali Doogle", ("Wanla Weyne", "Lower Shabelle"), "SO", "SO.14"),  # unknown village, placed by its district
    ("Tripoli", ("Lebanon",), "LB", None),
])
def test_places_containers_choose_among_namesakes(name, around, country, admin1):
    found = resolve(name, Evidence(), around)
    assert found.entry.country_code == country
    assert admin1 is None or found.entry.admin1_code == admin1


@pytest.mark.parametrize("name", ["Springfield", "Richmond", "Tripoli"])
def test_places_namesakes_without_evidence_stay_unresolved(name):
    found = resolve(name)
    assert found.entry is None and len(found.candidates) >= 2 and found.why


@pytest.mark.parametrize(("name", "countries", "country"), [
    ("Richmond", ("GB",), "GB"),
    ("Tripoli", ("LY",), "LY"),
    ("Tripoli", ("LB",), "LB"),
])
def test_places_article_countries_choose_among_namesakes(name, countries, country):
    assert located(name, Evidence.of(countries))[0] == country


@pytest.mark.parametrize(("adjectives", "groups", "country"), [
    (["Somali"], [], "SO"),
    (["Afghan"], [], "AF"),
    (["Turkish"], [], "TR"),
    ([], ["al-Shabaab"], "SO"),
    ([], ["Al Shabab"], "SO"),
    ([], ["Boko Haram"], "NG"),
])
def test_places_demonyms_and_groups_are_country_evidence(adjectives, groups, country):
    assert article_evidence([], adjectives, groups).main_country() == country


def test_places_group_country_unknown_is_none():
    assert group_country("the local football club") is None


@pytest.mark.parametrize(("name", "country", "kind"), [
    ("Kaduna State", "NG", "admin1"),
    ("Lower Shabelle", "SO", "admin1"),  # GeoNames spells it Lower Shabeelle
    ("Jubbada Hoose", "SO", "admin1"),
    ("Khyber Pakhtunkhwa", "PK", "admin1"),
    ("Kharkiv region", "UA", "admin1"),
    ("Kharkiv", "UA", "town"),  # a region named after its city: the city
    ("Ar-Raqqa", "SY", "town"),
    ("Urozgan", "AF", "admin1"),  # a transliteration of Oruzgan
    ("Northern Iraq", "IQ", "country"),
    ("Donetsk", "UA", "town"),
])
def test_places_regions_towns_and_spellings(name, country, kind):
    assert located(name) == (country, kind)


@pytest.mark.parametrize(("name", "country", "admin1_name"), [
    ("North Sinai", "EG", "Muhafazat Shamal Sina'"),  # GeoNames gives the Arabic name only
    ("Extreme-Nord", "CM", "Far North"),  # the French name of an English one
    ("Hauts-Bassins", "BF", "High-Basins"),
])
def test_places_region_names_in_other_languages(name, country, admin1_name):
    found = resolve(name)
    assert (found.entry.country_code, found.entry.kind, found.entry.admin1_name) == (country, "admin1", admin1_name)


@pytest.mark.parametrize(("name", "expected"), [
    ("Muhafazat Shamal Sina'", {"Shamal Sina'", "north sina", "nord sina"}),
    ("North-West Province", {"North-West", "north west", "nord ouest"}),
    ("Kaduna State", {"Kaduna"}),
    ("Province du Seno", {"Seno"}),
])
def test_places_region_spellings(name, expected):
    assert expected <= set(gz.region_spellings(name))


def test_places_region_spellings_of_a_plain_name_are_itself():
    assert gz.region_spellings("Donetsk") == ["Donetsk", "donetsk"]


def test_places_a_namesake_of_the_container_holds_the_place():
    """"Rafah (Rafah, North Sinai)": the container's Egyptian governorate, not a Mexican namesake of it."""
    found = resolve("Rafah", Evidence(), ("Rafah", "North Sinai"))
    assert found.entry.country_code == "EG" and found.entry.kind == "town"


@pytest.mark.parametrize(("name", "around", "admin1"), [
    ("Huntsville", ("AL",), "US.AL"),
    ("Toledo, OH", (), "US.OH"),
])
def test_places_postal_codes_as_containers(name, around, admin1):
    assert resolve(name, Evidence(), around).entry.admin1_code == admin1


@pytest.mark.parametrize(("name", "around", "admin1"), [
    ("Lansing", ("Mich",), "US.MI"),  # an AP abbreviation that lost its stop
    ("Mt. Pleasant", ("Pennsylvania",), "US.PA"),  # GeoNames writes "Mount"
    ("St. Cloud", ("Minnesota",), "US.MN"),
])
def test_places_abbreviations(name, around, admin1):
    assert resolve(name, Evidence(), around).entry.admin1_code == admin1


def test_places_namesakes_in_one_country_the_much_bigger_one():
    found = resolve("Columbus")  # Ohio's is over three times Georgia's and every namesake is in the US
    assert found.entry.admin1_code == "US.OH" and found.how == "largest" and "all in US" in found.why


@pytest.mark.parametrize(("name", "kind"), [("Southeast Fresno", "town"), ("South Church Street", None)])
def test_places_a_leading_direction_word_before_a_big_town_only(name, kind):
    entry = resolve(name).entry
    assert (entry.kind if entry else None) == kind


def test_places_small_towns_that_only_bear_the_name_are_no_evidence():
    assert article_evidence(["Hnutove"]).countries == ()  # a village of 800 people in Ukraine, by name alone


@pytest.mark.parametrize(("text", "countries"), [
    ("On Monday the OSCE SMM observed 12 explosions near Qwertzivka.", ["UA"]),
    ("MONUSCO and UNMISS peacekeepers", ["CD", "SS"]),
    ("an osce smm report", []),  # as written: not a name in lower case
    ("the OSCE said", []),  # the organisation works in many countries
])
def test_places_missions_name_their_country(text, countries):
    assert mission_countries(text) == countries


def test_places_a_mission_is_article_evidence():
    evidence = article_evidence([], missions=mission_countries("The OSCE SMM observed shelling."))
    assert evidence.main_country() == "UA"


def test_places_a_towns_region_holds_what_the_text_puts_in_the_town():
    found = resolve("Orikhove", Evidence(), ("Luhansk",))  # not the Orikhove of Crimea
    assert found.entry.admin1_name == "Luhansk"


def test_places_a_region_the_text_names_before_namesakes_all_over_the_country():
    found = resolve("Pisky", Evidence(), ("Donetsk",))
    assert found.entry.admin1_name == "Donetsk" and found.how == "container"


def test_places_a_small_town_elsewhere_in_the_articles_country_is_not_its_place():
    orlando = resolve("Orlando").entry
    evidence = Evidence.of(["US"]).at_home(orlando)
    found = resolve("Parramore", evidence)  # an Orlando neighbourhood; GeoNames knows only a Texan hamlet
    assert found.entry is None and found.candidates == ("US",) and "elsewhere" in found.why
    assert resolve("Parramore", evidence, ("Texas",)).entry is not None  # unless the text puts it there


def test_places_external_forces_are_no_evidence_of_where():
    assert group_country("Saudi-led coalition") is None and group_country("Houthis") == "YE"


def test_places_the_texts_own_chain_over_the_articles_country():
    found = resolve("Baqim", Evidence.of(["SA"]), ("Sadah",))  # both small, both in Yemen's Sa'dah
    assert found.entry.country_code == "YE" and found.entry.admin1_name == "Sa'dah"


@pytest.mark.parametrize("name", ["Middle East", "the Balkans", "Horn of Africa"])
def test_places_regions_of_the_world_are_not_one_place(name):
    found = resolve(name)
    assert found.entry is None and "region of the world" in found.why


@pytest.mark.parametrize(("name", "kind", "admin1"), [
    ("Municipality of Alvaro Obregon", "admin2", "Michoacan"),  # a feature word and "of" before the name
    ("the Province of Kandahar", "admin1", "Kandahar"),
])
def test_places_a_feature_word_of_the_name(name, kind, admin1):
    entry = resolve(name, Evidence(), ("Michoacan",) if kind == "admin2" else ()).entry
    assert (entry.kind, entry.admin1_name) == (kind, admin1)


def test_places_a_postal_code_alone_is_not_a_place():
    assert resolve("OH").entry is None


@pytest.mark.parametrize(("names", "region"), [
    (["Cook County", "Englewood", "South Aberdeen"], "US.IL"),  # each ambiguous; one state holds them all
    (["Riverside County", "Perris", "French Valley"], "US.CA"),
    (["Springfield"], None),  # one name alone settles nothing
    (["Montgomery County", "Franklin"], None),  # several states hold both: nothing is settled
])
def test_places_shared_region_of_namesakes(names, region):
    assert shared_region(names) == region


def test_places_shared_region_is_article_evidence():
    evidence = article_evidence(["Cook County", "Englewood", "South Aberdeen"])
    assert "US.IL" in evidence.regions and evidence.weight("US") >= 1
    assert resolve("Englewood", evidence).entry.admin1_code == "US.IL"


def test_places_region_fields_have_coordinates_and_precision_two():
    fields = geo_fields("Kaduna State")
    assert fields["precision"] == 2 and fields["admin1_code"] == "NG.23" and fields["town"] is None
    assert 9 < fields["latitude"] < 12 and 6 < fields["longitude"] < 9


def test_places_town_fields_carry_the_geonames_id_and_region():
    fields = geo_fields("Mogadishu")
    assert fields["precision"] == 1 and fields["town"] == "Mogadishu" and fields["geonameid"] == 53654
    assert fields["admin1_code"] == "SO.02" and fields["resolution"] == "unique"


def test_places_a_namesake_abroad_yields_to_the_container():
    """The text puts it in a Yemeni governorate: a town of a similar name elsewhere is not the place."""
    found = resolve("Al Jabaliyah", Evidence(), ("Al Hudaydah",))
    assert found.entry.country_code == "YE" and found.how == "container"


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("near Bali Doogle village (Wanla Weyne, Lower Shabelle).", "Bali Doogle", ("Wanla Weyne", "Lower Shabelle")),
    ("in Kupwara district, J&K, on Monday", "Kupwara", ("J&K",)),
    ("the village of Sollé in northern Burkina Faso's Loroum province", "Sollé", ("Burkina Faso", "Loroum")),
    ("northern Burkina Faso's Loroum province", "Loroum province", ("Burkina Faso",)),
    ("the Zap district of Dahuk, Northern Iraq", "Zap", ("Dahuk", "Northern Iraq")),  # resolves to Iraq
    ("near Loka West (Central Equatoria state)", "Loka West", ("Central Equatoria",)),  # a name, not a direction
    ("near Taramchuk, Donetsk. During the day", "Taramchuk", ("Donetsk",)),
    ("in Kabul on Monday", "Kabul", ()),
    ("in Denver's Whittier neighborhood", "Denver", ()),  # what follows lies in the name
])
def test_places_containers_in_the_text(text, name, expected):
    start = text.index(name)
    assert containers(text, start, start + len(name)) == expected


@pytest.mark.parametrize(("name", "bare", "kind"), [
    ("Kaduna State", "Kaduna", "admin1"), ("Nad Ali district", "Nad Ali", "admin2"), ("Bama town", "Bama", "town"),
    ("Aleppo countryside", "Aleppo", "admin1"), ("Kabul", "Kabul", None), ("State", "State", None),
])
def test_places_split_feature(name, bare, kind):
    assert split_feature(name) == (bare, kind)


@pytest.mark.parametrize("name", [
    "A" * 10_000, "Москва", "北京", "القاهرة", "", "   ", "!!!", "\u202e\u0000", "Kabul" * 3_000,
])
def test_places_bad_names_are_unknown_not_errors(name):
    started = time.monotonic()
    fields = geo_fields(name)
    assert time.monotonic() - started < 1.0
    assert fields["country_code"] is None and fields["candidate_countries"] is not None


def test_places_many_names_resolve_within_budget():
    names = [f"Place{i} Town" for i in range(2_500)] + ["Kabul", "Mogadishu"] * 1_250
    started = time.monotonic()
    evidence = article_evidence(names)
    text = ", ".join(names)
    found = [containers(text, i * 7, i * 7 + 5) for i in range(5_000)]
    assert time.monotonic() - started < 10 and evidence.main_country() in ("AF", "SO", None) and len(found) == 5_000


@pytest.mark.parametrize(("latitude", "longitude"), [(90.0, 0.0), (-90.0, 180.0), (0.0, 180.0), (0.0, -180.0),
                                                     (float("nan"), 0.0)])
def test_places_poles_and_the_date_line(latitude, longitude):
    assert gz.gazetteer().nearest_admin1("FJ", latitude, longitude) in (None, *gz.gazetteer().admin1_names)


def test_places_region_centre_across_the_date_line():
    lat, lon = gz._centre([(-17.0, 179.5), (-17.0, -179.5)])
    assert lat == pytest.approx(-17.0, abs=0.01) and abs(lon) == pytest.approx(180.0, abs=0.01)


@pytest.mark.parametrize(("a", "b"), [("Ar-Raqqa", "Raqqah"), ("Lower Shabelle", "Lower Shabeelle"),
                                      ("Urozgan", "Oruzgan")])
def test_places_loose_keys_meet_transliterations(a, b):
    assert gz.loose(gz.normalize(a)) == gz.loose(gz.normalize(b))


def test_places_cache_file_is_versioned(tmp_path, monkeypatch):
    monkeypatch.setenv("STREAM_CACHE_DIR", str(tmp_path))
    path = gz.cache_path()
    assert path.parent == tmp_path and f"-v{gz.VERSION}-" in path.name and path.suffix == ".sqlite"
