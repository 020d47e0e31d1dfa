"""Casualty and attack claims read from sentences (the real model: marked slow)."""

from __future__ import annotations

import pytest

from stream.analysis.article import Article

pytestmark = pytest.mark.slow
PUBLISHED = "2026-03-10T09:00:00Z"  # a Tuesday


def analyse(analyzer, body: str, published: str | None = PUBLISHED) -> dict:
    return analyzer.analyze(Article(id="t", body=body, published_at=published))


def casualty(analyzer, body: str, **kw) -> dict:
    claims = analyse(analyzer, body, **kw)["casualties"]
    assert len(claims) >= 1, f"no casualty claim in {body!r}"
    return claims[0]


@pytest.mark.parametrize("body, status, best, maximum, victims", [
    ("Israeli strikes killed at least 20 people in Gaza on Monday.", "killed", 20, None, "people"),
    ("More than 20 people were killed in the raid, officials said.", "killed", 21, None, "people"),
    ("Five soldiers were killed when a roadside bomb exploded.", "killed", 5, 5, "soldiers"),
    ("At least 14 people died after gunmen opened fire on a bus.", "killed", 14, None, "people"),
    ("A man was shot dead outside a mosque in Kano.", "killed", 1, 1, "man"),
    ("The blast left seven people dead.", "killed", 7, 7, "people"),
    ("Gunmen abducted 30 schoolchildren from a school in Zamfara state.", "kidnapped", 30, 30, "schoolchildren"),
    ("Police arrested 12 protesters in Nairobi.", "arrested", 12, 12, "protesters"),
    ("Three police officers were wounded in the clash.", "injured", 3, 3, "police officers"),
    ("Dozens of civilians were killed in the shelling.", "killed", 12, None, "civilians"),
    ("Between 4 and 7 fighters died in the ambush.", "killed", 4, 7, "fighters"),
    ("Thousands of residents fled the town overnight.", "displaced", 1000, None, "residents"),
    ("The death toll from the bombing rose to 45, officials said.", "killed", 45, 45, None),
    ("Two journalists are missing after the attack.", "missing", 2, 2, "journalists"),
    ("A 17-year-old was shot and killed outside a store, police said.", "killed", 1, 1, "17-year-old"),
    ("Two 19-year-olds were shot dead in Chicago on Monday.", "killed", 2, 2, "19-year-olds"),
    ("Police said a 23-year-old and a 31-year-old were wounded.", "injured", 2, 2, "23-year-old and a 31-year-old"),
])
def test_claims_casualty_status_count_and_victims(analyzer, body, status, best, maximum, victims):
    claim = casualty(analyzer, body)
    assert claim["status"] == status
    assert (claim["count"]["best"], claim["count"]["max"]) == (best, maximum)
    assert (claim["victims"] or {}).get("text") == victims


@pytest.mark.parametrize("body, additional", [
    ("Two other policemen were killed when they arrived.", True),
    ("Two more soldiers died in hospital on Tuesday.", True),
    ("Three militants were also killed in the clash.", True),
    ("More than 70 people were killed in the strikes.", False),  # a bound on the figure, not more victims
    ("Five soldiers were killed when a roadside bomb exploded.", False),
])
def test_claims_additional_victims(analyzer, body, additional):
    assert casualty(analyzer, body)["additional"] is additional


@pytest.mark.parametrize("body, kind", [
    ("Five Palestinian civilians were killed in the strike.", "civilians"),
    ("Israeli fire killed three children in Rafah.", "children"),
    ("Two aid workers were killed in the convoy attack.", "aid_workers"),
    ("Militants killed four soldiers at a checkpoint.", "soldiers"),
    ("The army said it killed 20 militants in the operation.", "militants"),
])
def test_claims_victim_kind(analyzer, body, kind):
    assert casualty(analyzer, body)["victims"]["kind"] == kind


@pytest.mark.parametrize("body, perpetrator", [
    ("Twelve people were killed by Russian forces in Kharkiv.", "Russian forces"),
    ("Hezbollah fighters killed two soldiers near the border.", "Hezbollah fighters"),
    ("Police shot dead two suspects in Lagos.", "Police"),
])
def test_claims_perpetrator_in_active_and_passive_voice(analyzer, body, perpetrator):
    assert casualty(analyzer, body)["perpetrator"]["text"] == perpetrator


@pytest.mark.parametrize("body, certainty", [
    ("Health officials said 15 people had been killed.", "reported"),
    ("Fifteen people were killed, according to the health ministry.", "reported"),
    ("No one was killed in the attack, the army said.", "negated"),
    ("The army denied that its troops killed 12 villagers.", "denied"),
    ("The group threatened to kill 50 hostages.", "hypothetical"),
    ("A strike could kill hundreds of people, the agency warned.", "hypothetical"),
    ("Gunmen killed nine villagers on Sunday.", "asserted"),
])
def test_claims_certainty(analyzer, body, certainty):
    assert casualty(analyzer, body)["certainty"] == certainty


def test_claims_attribution_pronoun_takes_the_last_named_source(analyzer):
    claims = analyse(analyzer, "Provincial officials said 11 people had been killed. "
                               "Dozens of bodies were found under the rubble, they said.")["casualties"]
    assert [c["attribution"]["text"] for c in claims] == ["Provincial officials", "Provincial officials"]


@pytest.mark.parametrize("body, date, precision, historical", [
    ("Gunmen killed nine villagers on Sunday.", "2026-03-08", "day", False),
    ("A drone strike killed two soldiers last week.", "2026-03-02", "week", True),
    ("The commander was killed in a Feb. 14 airstrike.", "2026-02-14", "day", True),
    ("Eleven people were killed on Oct. 7 last year.", "2025-10-07", "day", True),
    ("Seven people were killed in the attack.", "2026-03-10", "day", False),
])
def test_claims_time_resolves_against_publication(analyzer, body, date, precision, historical):
    claim = casualty(analyzer, body)
    assert (claim["time"]["date"], claim["time"]["precision"], claim["historical"]) == (date, precision, historical)


def test_claims_time_without_publication_date_is_unknown(analyzer):
    claim = casualty(analyzer, "Gunmen killed nine villagers on Sunday.", published=None)
    assert claim["time"]["date"] is None and claim["historical"] is False


@pytest.mark.parametrize("body, background", [
    ("More than 30,000 people have been killed since the war began.", True),
    ("The army has kept up its raids even after killing several commanders.", True),
    ("Since Monday, the army has carried out raids that killed 40 militants, officials said.", True),
    ("Airstrikes that killed 9 civilians on Thursday hit the market, the monitor said.", False),
    ("The gunmen who killed 12 people on Sunday have not been found since.", False),
])
def test_claims_background_context_is_marked(analyzer, body, background):
    assert casualty(analyzer, body)["background"] is background


def test_claims_subset_is_marked_and_not_counted(analyzer):
    result = analyse(analyzer, "Air strikes killed 14 people, including five children, in the camp.")
    subset = [c for c in result["casualties"] if c["subset"]]
    assert [(c["count"]["best"], c["victims"]["kind"], c["counted"]) for c in subset] == [(5, "children", False)]
    assert result["totals"]["killed"]["best"] == 14


@pytest.mark.parametrize("body", [
    "Hospitals ran out of coffins to bury the dead.",
    "The company killed the project after the merger.",
    "He injured his knee in the second half.",
    "The striker hurt his wrist in training and missed the final.",
    "Workers at the plant went on a two-week strike over pay.",
    "Shares in the carmaker rose 3 percent on Monday.",
])
def test_claims_none_from_ordinary_sentences(analyzer, body):
    result = analyse(analyzer, body)
    assert result["casualties"] == [] and result["attacks"] == []


@pytest.mark.parametrize("body, attack_type, actor", [
    ("Israeli air strikes pounded the southern suburbs of Beirut.", "airstrike", "Israel"),
    ("Hezbollah launched rockets into Haifa and Tel Aviv.", "rocket_attack", "Hezbollah"),
    ("Russia fired ballistic missiles at Dnipro overnight.", "missile_strike", "Russia"),
    ("Ukrainian drones struck an oil depot in Belgorod.", "drone_strike", "Ukraine"),
    ("Artillery shelling hit a market in the town.", "shelling", None),
    ("A suicide bomber blew himself up at a checkpoint.", "suicide_bombing", None),
    ("A car bomb exploded near the ministry.", "bombing", None),
    ("Gunmen opened fire on worshippers at a church.", "shooting", None),
    ("Militants stormed a military base near the border.", "ground_assault", None),
    ("A man stabbed three people at a bus station.", "stabbing", None),
    ("Gunmen kidnapped 12 students from their dormitory.", "kidnapping", None),
])
def test_claims_attack_type_and_actor(analyzer, body, attack_type, actor):
    attacks = analyse(analyzer, body)["attacks"]
    assert attack_type in [a["attack_type"] for a in attacks]
    if actor:
        claim = next(a for a in attacks if a["attack_type"] == attack_type)
        assert claim["actor"]["canonical"] == actor


def test_claims_attack_target_and_claimed_responsibility(analyzer):
    attacks = analyse(analyzer, "The group said on Tuesday it claimed responsibility for a drone attack "
                                "on an air base on Saturday.")["attacks"]
    claim = next(a for a in attacks if a["attack_type"] == "drone_strike")
    assert claim["target"]["text"] == "an air base"
    assert claim["certainty"] == "claimed"
    assert claim["time"]["date"] == "2026-03-07"


def test_claims_offsets_point_into_the_body(analyzer):
    body = "KABUL (Wire) - A bomb killed 6 people at a market in Kabul on Friday, police said."
    result = analyse(analyzer, body)
    for claim in result["casualties"] + result["attacks"]:
        assert body[claim["trigger"]["start"]:claim["trigger"]["end"]] == claim["trigger"]["text"]
        assert body[claim["evidence"]["start"]:claim["evidence"]["end"]] == claim["evidence"]["text"]
        assert claim["evidence"]["start"] <= claim["start"] < claim["end"] <= claim["evidence"]["end"]
        if claim["location"] and claim["location"]["start"] is not None:
            assert body[claim["location"]["start"]:claim["location"]["end"]] == claim["location"]["text"]
