"""The actor list, actor and victim types, and actors linked across claims."""

from __future__ import annotations

import json

import pytest

from stream.analysis import actors
from stream.analysis.actors import ACTOR_TYPES, actor_country, actor_type, build, describe, link_actors
from stream.analysis.article import Article

PUBLISHED = "2026-03-10T09:00:00Z"


@pytest.mark.parametrize(("canonical", "country"), [
    ("Taliban", "AF"), ("Israel", "IL"), ("Syria", "SY"), ("Palestine", "PS"), ("Houthis", "YE"),
    ("Islamic State", None), ("Ruritania", None), (None, None),
])
def test_actors_home_country(canonical, country):
    assert actor_country(canonical) == country


@pytest.mark.parametrize(("text", "canonical", "kind"), [
    ("Taliban militants", "Taliban", "rebel_group"),
    ("Israeli forces", "Israel", "state_forces"),
    ("Syrian rebels", "Syria", "rebel_group"),
    ("pro-government militia", None, "political_militia"),
    ("Fulani herdsmen", "Fulani militia", "identity_militia"),
    ("an angry mob", None, "rioters"),
    ("protesters", None, "protesters"),
    ("villagers", None, "civilians"),
    ("UN peacekeepers", "United Nations", "external_forces"),
    ("two armed men", None, "unidentified_armed_group"),
    ("security forces", None, "state_forces"),
    ("the committee", None, None),
])
def test_actors_type_of_each_kind(text, canonical, kind):
    record = describe(text, canonical)
    assert record["type"] == kind and record["canonical"] == canonical


def test_actors_every_listed_type_is_known():
    listed = actors.actor_list()
    assert {a.type for a in listed.by_alias.values()} <= set(ACTOR_TYPES)
    assert "isil" in listed.ruler and "is" not in listed.ruler  # common words are never forced on the tagger


def test_actors_user_file_adds_and_overrides(tmp_path, monkeypatch):
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"actors": [{"name": "Red Hand", "aliases": ["red hand brigade"],
                                             "type": "political_militia", "country": "RU"}],
                                 "generic": {"rioters": ["hooligans"]}}))
    monkeypatch.setenv(actors.USER_FILE_VARIABLE, str(extra))
    actors.actor_list.cache_clear()
    try:
        assert actors.known("Red Hand Brigade").type == "political_militia"
        assert actor_country("Red Hand") == "RU" and actor_type(["hooligans"], None) == "rioters"
        assert actors.known("Taliban").type == "rebel_group"  # the package's list still holds
    finally:
        monkeypatch.delenv(actors.USER_FILE_VARIABLE)
        actors.actor_list.cache_clear()


@pytest.mark.parametrize("entry, message", [
    ({"name": "X", "aliases": [], "type": "warlords", "country": None}, "type 'warlords'"),
])
def test_actors_bad_type_is_a_clear_error(tmp_path, entry, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"actors": [entry]}))
    with pytest.raises(ValueError, match=message):
        actors._read(path)


def test_actors_build_keeps_loose_aliases_out_of_the_ruler():
    listed = build([{"actors": [{"name": "Wagner Group", "aliases": ["wagner group"], "loose_aliases": ["wagner"],
                                 "type": "external_forces", "country": "RU"}]}])
    assert listed.by_alias["wagner"].name == "Wagner Group" and "wagner" not in listed.ruler


def _claim(sentence, **fields):
    return {"sentence": sentence, "perpetrator": None, "actor": None, "claimed_by": None} | fields


TALIBAN = {"text": "Taliban militants", "canonical": "Taliban", "type": "rebel_group", "country_code": "AF"}


@pytest.mark.parametrize(("attack_sentence", "field", "casualty_sentence", "linked"), [
    (0, "actor", 0, True), (0, "actor", 1, True), (0, "actor", 2, False),
    (1, "claimed_by", 0, True), (3, "claimed_by", 0, False), (1, "actor", 0, False),
])
def test_actors_casualty_takes_the_actor_of_a_nearby_attack(attack_sentence, field, casualty_sentence, linked):
    attack = _claim(attack_sentence, **{field: TALIBAN})
    casualty = _claim(casualty_sentence)
    link_actors([casualty], [attack])
    assert casualty["perpetrator"] == (TALIBAN if linked else None)


def test_actors_attack_takes_the_perpetrator_of_its_killing():
    casualty, attack = _claim(4, perpetrator=TALIBAN), _claim(4)
    link_actors([casualty], [attack])
    assert attack["actor"] == TALIBAN and attack["actor"] is not TALIBAN


def _analyse(analyzer, body):
    return analyzer.analyze(Article(id="t", body=body, published_at=PUBLISHED))


@pytest.mark.slow
@pytest.mark.parametrize(("body", "canonical", "kind"), [
    ("Taliban militants ambushed a police checkpoint in Baghlan on Monday. Four policemen were killed.",
     "Taliban", "rebel_group"),
    ("A shopkeeper was killed by two armed men in the market on Sunday.", None, "unidentified_armed_group"),
    ("A car bomb killed 12 soldiers near the base on Monday. The Islamic State group claimed responsibility "
     "for the attack.", "Islamic State", "rebel_group"),
    ("Israeli air strikes killed nine people in Rafah on Monday.", "Israel", "state_forces"),
])
def test_actors_perpetrator_of_the_lead_claim(analyzer, body, canonical, kind):
    claim = next(c for c in _analyse(analyzer, body)["casualties"] if c["counted"])
    assert claim["perpetrator"]["canonical"] == canonical and claim["perpetrator"]["type"] == kind


@pytest.mark.slow
def test_actors_a_denial_is_no_actor(analyzer):
    result = _analyse(analyzer, "A bomb exploded at a bus stop on Monday, killing five people. No group has "
                                "claimed responsibility for the attack.")
    assert all((a["actor"] or {}).get("text") != "No group" and a["claimed_by"] is None for a in result["attacks"])
    assert all(c["perpetrator"] is None for c in result["casualties"])


@pytest.mark.slow
@pytest.mark.parametrize(("body", "expected"), [
    ("Three fighters of the armed group were killed in the clashes on Monday.", {"combatants": 3}),
    ("Two civilians were killed when a shell hit their home on Monday.", {"civilians": 2}),
    ("Four policemen were killed in the ambush on Monday.", {"security_forces": 4}),
    ("Two soldiers and a civilian were killed in the shelling on Monday.", {"mixed": 3}),
    ("Five people were killed in the shelling on Monday.", {"unknown": 5}),
])
def test_actors_killed_split_by_victim_type(analyzer, body, expected):
    assert _analyse(analyzer, body)["totals"]["killed"]["by_victim_type"] == expected


@pytest.mark.slow
@pytest.mark.parametrize(("body", "kind", "outcome"), [
    ("Security forces intercepted an explosives-laden drone targeting the airport on Monday.", "drone_strike",
     "intercepted"),
    ("Police foiled a bomb attack on a church on Sunday.", "bombing", "foiled"),
    ("Two militants attempted to detonate explosive devices near the checkpoint on Monday.", "bombing", "failed"),
    ("Troops repelled an attack by militants on a base on Monday.", "ground_assault", "failed"),
    ("A suicide bomber killed 12 people at a market on Monday.", "suicide_bombing", "completed"),
])
def test_actors_attack_outcome(analyzer, body, kind, outcome):
    attack = next(a for a in _analyse(analyzer, body)["attacks"] if a["attack_type"] == kind)
    assert attack["outcome"] == outcome


@pytest.mark.slow
def test_actors_who_downs_a_drone_did_not_send_it(analyzer):
    [attack] = _analyse(analyzer, "The army shot down two drones over the city on Monday.")["attacks"]
    assert attack["outcome"] == "intercepted" and attack["actor"] is None


@pytest.mark.slow
def test_actors_a_foiled_attack_counts_no_casualties(analyzer):
    result = _analyse(analyzer, "Police said they had thwarted a plot to kill 20 worshippers at a mosque on Friday.")
    assert "killed" not in result["totals"]


@pytest.mark.slow
@pytest.mark.parametrize(("title", "body", "killed", "reason"), [
    ("Teen shot dead in Chicago", "Police are investigating a shooting on the South Side on Monday night. "
     "The gunman fled, police said.", 1, None),
    ("Two killed in Chicago shooting", "Two men were killed in a shooting on Monday, police said.", 2, "headline"),
    ("Band's farewell tour kills it: three sold-out nights", "The band played its last show on Sunday. Fans "
     "sang along to every song.", None, "headline"),
])
def test_actors_headline_counts_only_with_body_support(analyzer, title, body, killed, reason):
    result = analyzer.analyze(Article(id="t", title=title, body=body, published_at=PUBLISHED))
    assert result["totals"].get("killed", {}).get("best") == killed
    headline = [c for c in result["casualties"] if c["headline"]]
    assert all(c["not_counted_reason"] == reason for c in headline)
