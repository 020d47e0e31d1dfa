"""Which casualty claims count, and how an article's totals add up (claims built by hand)."""

from __future__ import annotations

from itertools import count as counter

import pytest

from stream.analysis.totals import mark_counted, totals


_IDS = counter(1)


def claim(best: int | None = 5, *, status="killed", certainty="reported", maximum="same", date="2026-03-10",
          basis="published_at", place="Gaza", place_basis="clause", victims="people", historical=False, **flags) -> dict:
    count = None if best is None else {
        "min": best, "max": best if maximum == "same" else maximum, "best": best, "text": str(best),
        "vague": flags.pop("vague", False), "approximate": False, "implausible": flags.pop("implausible", False)}
    number = next(_IDS)
    return {
        "event_id": f"cas-{number:024x}", "sentence": number, "status": status, "count": count, "certainty": certainty,
        "victims": {"text": victims, "kind": "people"},
        "time": {"text": None, "date": date, "date_end": date, "precision": "day", "basis": basis},
        "location": {"text": place, "start": None, "end": None, "basis": place_basis} if place else None,
        "historical": historical, "background": flags.pop("background", False), "subset": flags.pop("subset", False),
        "bodies": flags.pop("bodies", False), "toll_update": flags.pop("toll_update", False),
        "additional": flags.pop("additional", False),
    }


@pytest.mark.parametrize("kwargs, reason", [
    ({"certainty": "negated"}, "negated"),
    ({"certainty": "hypothetical"}, "hypothetical"),
    ({"certainty": "denied"}, "denied"),
    ({"background": True}, "background"),
    ({"subset": True}, "subset"),
    ({"best": None}, "no_count"),
    ({"implausible": True}, "implausible"),
    ({"best": 0}, "negated"),
])
def test_totals_excluded_claims_carry_their_reason(kwargs, reason):
    claims = [claim(**kwargs)]
    mark_counted(claims)
    assert (claims[0]["counted"], claims[0]["not_counted_reason"]) == (False, reason)
    assert totals(claims) == {}


@pytest.mark.parametrize("certainty", ["asserted", "reported", "claimed"])
def test_totals_counts_asserted_reported_and_claimed(certainty):
    claims = [claim(7, certainty=certainty)]
    mark_counted(claims)
    assert totals(claims)["killed"]["best"] == 7


def test_totals_same_toll_takes_the_largest_figure():
    claims = [claim(12), claim(21, maximum=None), claim(9)]
    mark_counted(claims)
    assert [c["not_counted_reason"] for c in claims] == ["same_toll", None, "same_toll"]
    assert totals(claims)["killed"] == {"min": 21, "max": None, "best": 21, "claims": [claims[1]["event_id"]],
                                       "by_victim_type": {"unknown": 21}}


@pytest.mark.parametrize("claims, expected", [
    ([(12, "people", True), (9, "people", False)], 9),  # "dozens were killed ... 9 people died": the precise figure
    ([(12, "people", True)], 12),  # a vague figure alone stands
    ([(12, "militants", True), (3, "soldiers", False)], 15),  # other victims: a vague group still adds
    ([(100, "people", True), (12, "people", True)], 100),  # vague against vague: the largest
])
def test_totals_precise_figure_stands_over_a_vague_one(claims, expected):
    built = [claim(best, victims=victims, vague=vague, maximum=None) for best, victims, vague in claims]
    mark_counted(built)
    assert totals(built)["killed"]["best"] == expected


@pytest.mark.parametrize("groups, expected", [
    ([("policemen", False), ("militants", False)], 4),  # two victim groups at one place and time add up
    ([("policemen", False), ("policemen", True)], 4),  # "two other policemen were killed" adds
    ([("policemen", False), ("policemen", False)], 2),  # the same policemen mentioned twice
    ([("people", False), ("policemen", False)], 2),  # a general toll covers the group it names
])
def test_totals_victim_groups(groups, expected):
    claims = [claim(2, victims=victims, additional=additional) for victims, additional in groups]
    mark_counted(claims)
    assert totals(claims)["killed"]["best"] == expected


def test_totals_general_toll_wins_when_larger_than_the_groups():
    claims = [claim(2, victims="soldiers"), claim(9, victims="people"), claim(3, victims="militants")]
    mark_counted(claims)
    assert totals(claims)["killed"]["best"] == 9


def test_totals_are_the_lead_incident():
    claims = [claim(4, place="Kharkiv"), claim(3, place="Odesa"), claim(2, place="Kharkiv city")]
    mark_counted(claims)
    assert [c["not_counted_reason"] for c in claims] == [None, "other_incident", "same_toll"]
    assert totals(claims)["killed"]["best"] == 4


def test_totals_other_days_are_other_incidents():
    claims = [claim(4, date="2026-03-08", basis="text"), claim(6, date="2026-03-09", basis="text")]
    mark_counted(claims)
    assert claims[1]["not_counted_reason"] == "other_incident"
    assert totals(claims)["killed"]["best"] == 4


@pytest.mark.parametrize("flag", ["bodies", "toll_update"])
def test_totals_bodies_and_toll_updates_restate_a_toll_anywhere(flag):
    claims = [claim(12, place="Burkina Faso", date="2026-05-12", basis="text"),
              claim(34, place="Ouagadougou", place_basis="dateline", date="2026-05-14", basis="text", **{flag: True})]
    mark_counted(claims)
    assert totals(claims)["killed"]["best"] == 34


def test_totals_historical_left_out_only_when_newer_claims_exist():
    old = claim(3, historical=True, date="2026-01-02", basis="text")
    claims = [old, claim(5)]
    mark_counted(claims)
    assert old["not_counted_reason"] == "historical" and totals(claims)["killed"]["best"] == 5
    follow_up = [claim(3, historical=True, date="2026-01-02", basis="text")]
    mark_counted(follow_up)
    assert totals(follow_up)["killed"]["best"] == 3  # a story about an older event still totals it


def test_totals_repeat_takes_the_date_of_the_claim_it_repeats():
    first = claim(1, victims="the leader of the group", date="2026-03-02", basis="text", historical=True)
    again = claim(1, victims="group leader Ahmed Noor")
    claims = [first, again]
    mark_counted(claims)
    assert again["not_counted_reason"] == "repeat" and again["repeat_of"] == first["event_id"]
    assert again["time"]["date"] == "2026-03-02" and again["historical"]


def test_totals_statuses_are_separate_and_max_is_open_when_any_is():
    claims = [claim(5, status="killed"), claim(8, status="injured", maximum=None, victims="soldiers"),
              claim(2, status="injured", victims="policemen")]
    mark_counted(claims)
    result = totals(claims)
    assert result["killed"]["best"] == 5
    assert (result["injured"]["min"], result["injured"]["max"], result["injured"]["best"]) == (10, None, 10)
