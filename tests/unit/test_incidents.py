"""The incident stage's pure library: candidates, matching, clustering, records (no model, no broker).

Processed articles are built by hand here: only the fields the stage reads.
"""

from __future__ import annotations

import itertools

import pytest

from stream.incidents.batch import IncidentBuilder
from stream.incidents.candidates import candidates, person_key
from stream.incidents.clustering import Clusterer, Stores
from stream.incidents.matching import profile, score
from stream.incidents.routing import UNKNOWN_BUCKET, bucket_of, route
from stream.schemas import validator

NOW = 1_800_000_000.0  # 2027-01-15, after every date used here
_ids = itertools.count()
KHARKIV = {"text": "Kharkiv", "country_code": "UA", "latitude": 49.98, "longitude": 36.25, "resolution": "unique",
           "basis": "clause", "start": 0, "end": 7}
ODESA = {**KHARKIV, "text": "Odesa", "latitude": 46.48, "longitude": 30.72}
LVIV = {**KHARKIV, "text": "Lviv", "latitude": 49.84, "longitude": 24.03}
UKRAINE = {**KHARKIV, "text": "Ukraine", "latitude": None, "longitude": None, "resolution": "country"}


def when(day: str | None, basis: str = "text") -> dict:
    return {"text": day, "date": day, "date_end": day, "precision": "day", "basis": basis if day else "published_at",
            "start": None, "end": None}


def casualty(status="killed", best=3, day="2026-03-02", place=KHARKIV, reason=None, sentence=0, victims="civilians",
             by=None) -> dict:
    return {"event_id": f"cas-{next(_ids):024x}", "status": status, "sentence": sentence, "certainty": "reported",
            "count": {"min": best, "max": best, "best": best, "text": str(best), "vague": False, "approximate": False,
                      "implausible": False},
            "victims": {"text": victims, "kind": "people"}, "perpetrator": {"text": by, "canonical": by} if by else None,
            "attribution": {"text": "officials"}, "time": when(day), "location": place,
            "not_counted_reason": reason, "counted": reason is None}


def attack(kind="drone_strike", day="2026-03-02", place=KHARKIV, by="Russia", historical=False, sentence=0) -> dict:
    return {"event_id": f"att-{next(_ids):024x}", "attack_type": kind, "sentence": sentence, "certainty": "asserted",
            "actor": {"text": by, "canonical": by} if by else None, "attribution": None, "time": when(day),
            "location": place, "historical": historical, "background": False}


def person(name: str, sentence: int = 0) -> dict:
    return {"text": name, "label": "PERSON", "sentence": sentence, "country_code": None, "latitude": None}


def article(article_id: str, claims: list[dict], *, published="2026-03-03", entities=(), revision=1,
            title=None) -> dict:
    casualties = [c for c in claims if "status" in c]
    totals = {}
    for c in casualties:
        if c["counted"]:
            totals[c["status"]] = {"min": c["count"]["min"], "max": c["count"]["max"], "best": c["count"]["best"],
                                   "claims": [c["event_id"]]}
    return {"article_id": article_id, "revision": revision, "published_at": published, "title": title or article_id,
            "source": "Wire", "url": None, "casualties": casualties,
            "attacks": [c for c in claims if "attack_type" in c], "totals": totals, "entities": list(entities)}


def builder(**options) -> IncidentBuilder:
    return IncidentBuilder(**{"window_days": 14, "undated_days": 7, "extractor_version": "test",
                              "tombstone_after": 60.0, **options})


# --- candidates ------------------------------------------------------------------------------

def test_incidents_candidates_lead_and_other_incidents():
    doc = article("a", [casualty(best=5), attack(), casualty(best=2, reason="other_incident", place=ODESA,
                                                                day="2026-03-01", sentence=4)])
    lead, other = candidates(doc, 7)
    assert (lead["index"], lead["counts"]["killed"]["best"], lead["types"]) == (0, 5, ["drone_strike"])
    assert (other["index"], other["counts"]["killed"]["best"], other["place"]["text"]) == (1, 2, "Odesa")


@pytest.mark.parametrize("claim", [
    casualty(reason="historical"), casualty(reason="negated"), casualty(reason="background"), attack(historical=True),
])
def test_incidents_candidates_leave_out_what_is_no_new_incident(claim):
    assert candidates(article("a", [claim]), 7) == []


@pytest.mark.parametrize(("day", "basis", "expected"), [
    ("2026-03-02", "text", {"start": "2026-03-02", "end": "2026-03-02", "dated": True}),
    (None, "published_at", {"start": "2026-02-24", "end": "2026-03-03", "dated": False}),
    ("2031-01-01", "text", {"start": "2026-02-24", "end": "2026-03-03", "dated": False}),  # after publication: misread
])
def test_incidents_candidates_time(day, basis, expected):
    claim = casualty(day=day)
    claim["time"] = when(day, basis)
    time = candidates(article("a", [claim]), 7)[0]["time"]
    assert {k: time[k] for k in expected} == expected


@pytest.mark.parametrize(("text", "key"), [
    ("Officer John A. Smith Jr.", "john smith"),
    ("John Smith's", "john smith"),
    ("Smith", None),
    ("Det. Mary-Ann O'Neil", "mary-ann o'neil"),
])
def test_incidents_candidates_person_key(text, key):
    assert person_key(text) == key


@pytest.mark.parametrize(("country", "guess", "bucket"), [("UA", None, "UA"), (None, "US", "US"),
                                                          (None, None, UNKNOWN_BUCKET)])
def test_incidents_routing_bucket(country, guess, bucket):
    assert bucket_of({"country": country, "country_guess": guess}) == bucket


def test_incidents_routing_withdraws_from_buckets_left():
    messages = route("a", 2, [{"country": "UA", "country_guess": None}], ["SY"])
    assert [(m["bucket"], len(m["candidates"])) for m in messages] == [("SY", 0), ("UA", 1)]


# --- matching --------------------------------------------------------------------------------

def _candidate(claims, entities=(), published="2026-03-03"):
    return candidates(article(f"m{next(_ids)}", claims, entities=entities, published=published), 7)[0]


@pytest.mark.parametrize(("mine", "theirs", "joins"), [
    # the same day, place and kind of attack
    (([casualty(), attack()],), ([casualty(best=7), attack()],), True),
    # a shared name is enough, with no date of its own
    (([casualty(day=None)], [person("Olena Kovalenko")]), ([casualty()], [person("Olena Kovalenko")]), True),
    # another day, both dated: two incidents
    (([casualty(), attack()],), ([casualty(day="2026-02-26"), attack(day="2026-02-26")],), False),
    # another city far away, same day and kind
    (([casualty(place=LVIV), attack(place=LVIV)],), ([casualty(), attack()],), False),
    # a follow-up ten days later about the same named victim
    (([casualty(status="arrested", day="2026-03-12")], [person("Olena Kovalenko")]),
     ([casualty()], [person("Olena Kovalenko")]), True),
])
def test_incidents_matching_join(mine, theirs, joins):
    points = score(_candidate(*mine), profile([_candidate(*theirs)]))
    assert (points is not None and points >= 3) == joins


def test_incidents_matching_other_country_contradicts():
    syria = {**KHARKIV, "text": "Aleppo", "country_code": "SY", "latitude": 36.2, "longitude": 37.16}
    names = [person("Olena Kovalenko")]
    assert score(_candidate([casualty(place=syria)], names), profile([_candidate([casualty()], names)])) is None


def test_incidents_matching_common_names_identify_nothing():
    spokesman = [person("Ivan Petrenko")]
    mine, theirs = _candidate([casualty(day=None)], spokesman), profile([_candidate([casualty()], spokesman)])
    assert score(mine, theirs) >= 3
    assert score(mine, theirs, frozenset({"ivan petrenko"})) < 3


# --- clustering --------------------------------------------------------------------------------

def test_incidents_clustering_reports_join_and_counts_reconcile():
    b = builder()
    b.add(article("early", [casualty(best=3), attack()], published="2026-03-02"), NOW)
    updates = b.add(article("later", [casualty(best=5), attack()], published="2026-03-03"), NOW + 1)
    [(incident_id, record)] = updates
    assert b.incident_ids("early") == b.incident_ids("later") == [incident_id]
    assert record["revision"] == 2
    assert record["counts"]["killed"] == {"min": 3, "max": 5, "best": 5, "reports": 2, "best_from": "later"}
    assert [s["article_id"] for s in record["sources"]] == ["early", "later"]


def test_incidents_clustering_replay_changes_nothing():
    b = builder()
    doc = article("a", [casualty(), attack()])
    [(incident_id, first)] = b.add(doc, NOW)
    [(same_id, again)] = b.add(doc, NOW + 5)
    assert (same_id, again) == (incident_id, first)


def test_incidents_clustering_revision_updates_then_withdraws():
    b = builder(tombstone_after=60.0)
    [(incident_id, first)] = b.add(article("a", [casualty(best=3), attack()]), NOW)
    [(_, revised)] = b.add(article("a", [casualty(best=4), attack()], revision=2), NOW + 1)
    assert (revised["revision"], revised["counts"]["killed"]["best"]) == (2, 4)
    [(_, withdrawn)] = b.add(article("a", [], revision=3), NOW + 2)
    assert (withdrawn["status"], withdrawn["revision"]) == ("withdrawn", 3)
    clusterer = b.clusterer
    assert clusterer.sweep("UA", NOW + 10) == []
    assert clusterer.sweep("UA", NOW + 63) == [(incident_id, None)]
    assert incident_id not in clusterer.s.incidents


def test_incidents_clustering_a_report_naming_both_merges_them():
    b = builder(tombstone_after=60.0)
    b.add(article("x", [casualty(place=ODESA)], entities=[person("Olena Kovalenko")]), NOW)
    b.add(article("y", [casualty(place=LVIV)], entities=[person("Petro Bondar")]), NOW + 1)
    first, second = b.incident_ids("x")[0], b.incident_ids("y")[0]
    assert first != second
    updates = dict(b.add(article("z", [casualty(place=UKRAINE)],
                                 entities=[person("Olena Kovalenko"), person("Petro Bondar")]), NOW + 2))
    assert updates[second]["status"] == "merged" and updates[second]["merged_into"] == first
    assert {s["article_id"] for s in updates[first]["sources"]} == {"x", "y", "z"}
    assert b.incident_ids("y") == b.incident_ids("z") == [first]
    assert b.clusterer.sweep("UA", NOW + 100) == [(second, None)]


def test_incidents_clustering_window_closes_old_incidents():
    b = builder(window_days=14, idle_articles=1)
    [(old, _)] = b.add(article("old", [casualty(day="2026-03-02")], published="2026-03-02"), NOW)
    b.add(article("new", [casualty(day="2026-04-20", place=LVIV)], published="2026-04-20"), NOW + 1)
    b.add(article("newer", [casualty(day="2026-04-21", place=ODESA)], published="2026-04-21"), NOW + 2)
    assert old not in b.clusterer.s.incidents
    assert [r["incident_id"] for r in b.final()][0] == old  # its last record stands


@pytest.mark.parametrize("idle_articles", [1, 3])
def test_incidents_clustering_backfill_out_of_time_order_keeps_an_incident_its_articles_join(idle_articles):
    # an archive sent incident after incident: a newer incident first moves the bucket's newest event past
    # the window of the older one reported next; its second report must still find it
    b = builder(window_days=14, idle_articles=idle_articles)
    b.add(article("new", [casualty(day="2026-04-20", place=LVIV)], published="2026-04-20"), NOW)
    b.add(article("old-1", [casualty(day="2026-03-02")], published="2026-03-02"), NOW + 1)
    b.add(article("old-2", [casualty(day="2026-03-02")], published="2026-03-03"), NOW + 2)
    assert b.incident_ids("old-1") == b.incident_ids("old-2")
    for n in range(idle_articles + 1):  # the bucket moves on: the old incident closes once idle
        b.add(article(f"later-{n}", [casualty(day="2026-04-21", place=ODESA)], published="2026-04-21"), NOW + 3 + n)
    assert b.incident_ids("old-1")[0] not in b.clusterer.s.incidents


def test_incidents_clustering_without_idle_articles_a_late_report_of_an_old_incident_starts_its_own():
    b = builder(window_days=14, idle_articles=0)
    b.add(article("new", [casualty(day="2026-04-20", place=LVIV)], published="2026-04-20"), NOW)
    b.add(article("old-1", [casualty(day="2026-03-02")], published="2026-03-02"), NOW + 1)
    b.add(article("old-2", [casualty(day="2026-03-02")], published="2026-03-03"), NOW + 2)
    assert b.incident_ids("old-1") != b.incident_ids("old-2")


def test_incidents_clustering_forged_dates_do_not_close_everything():
    b = builder()
    b.add(article("a", [casualty(day="2026-03-02")], published="2026-03-02"), NOW)
    forged = casualty(day="2999-01-01", place=LVIV)
    b.add(article("forged", [forged], published="2999-01-02"), NOW + 1)
    assert b.clusterer.s.buckets["UA"]["watermark"] <= "2027-01-16"
    assert len(b.clusterer.active()) == 2


def test_incidents_clustering_older_revision_is_ignored():
    clusterer = Clusterer(Stores({}, {}, {}, {}), window_days=14, tombstone_after=60.0, extractor_version="test")
    new = candidates(article("a", [casualty(best=9)], revision=3), 7)
    old = candidates(article("a", [casualty(best=1)], revision=2), 7)
    [(incident_id, record)] = clusterer.apply("UA", "a", 3, new, NOW)
    assert clusterer.apply("UA", "a", 2, old, NOW + 1) == []
    assert clusterer.s.incidents[incident_id]["reports"][0]["counts"]["killed"]["best"] == 9


def test_incidents_records_and_messages_match_their_schemas():
    b = builder()
    docs = [article("a", [casualty(), attack()], entities=[person("Olena Kovalenko")]),
            article("b", [casualty(best=6, by="Russia"), casualty(status="injured", best=20)])]
    check_record, check_message = validator("incident.json"), validator("incident_candidates.json")
    for doc in docs:
        for message in route(doc["article_id"], 1, candidates(doc, 7), []):
            check_message(message)
        for _, record in b.add(doc, NOW):
            check_record(record)
    check_message({"schema_version": "1.0", "bucket": "UA", "tick": True})
