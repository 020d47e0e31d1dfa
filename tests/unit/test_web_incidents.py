"""What /api/incidents and the dashboard show: the latest record of each incident, tombstones removed."""

from __future__ import annotations

import pytest

from stream.web.api import DEFAULT_LIMIT, BadQuery, filter_query
from stream.web.incidents import STATUSES, RecentIncidents, card
from tests.unit.test_incidents import NOW, ODESA, article, builder, casualty, person


def records() -> list[tuple[str, dict]]:
    """Two incidents from the real stage: Kharkiv reported twice, Odesa once."""
    b = builder()
    updates = []
    named = [person("Olena Kovalenko")]
    for doc in (article("a", [casualty(best=3)], entities=named), article("b", [casualty(best=4)], entities=named),
                article("c", [casualty(best=2, place=ODESA)])):
        updates += b.add(doc, NOW)
    return updates


def test_web_incidents_card_keeps_counts_place_and_every_source():
    latest = {incident_id: record for incident_id, record in records()}
    kharkiv = next(card(r) for r in latest.values() if r["place"]["text"] == "Kharkiv")
    assert [s["article_id"] for s in kharkiv["sources"]] == ["a", "b"]
    assert kharkiv["counts"]["killed"] == {"best": 4, "min": 3, "max": 4, "reports": 2}
    assert kharkiv["place"] == "Kharkiv" and kharkiv["point"] is not None
    assert kharkiv["status"] == "active" and kharkiv["revision"] == 2


def test_web_incidents_latest_record_replaces_and_tombstone_removes():
    recent = RecentIncidents(size=10)
    recent.update(records())
    assert [c["place"] for c in recent.latest(None, 10)] == ["Odesa", "Kharkiv"]
    kharkiv = next(c["incident_id"] for c in recent.latest(None, 10) if c["place"] == "Kharkiv")
    recent.update([(kharkiv, None)])
    assert [c["place"] for c in recent.latest(None, 10)] == ["Odesa"]


def test_web_incidents_filter_by_status_and_bounded():
    recent = RecentIncidents(size=1)
    updates = records()
    merged = {**updates[-1][1], "status": "merged"}
    recent.update(updates + [(updates[-1][0], merged)])
    assert len(recent.latest(None, 10)) == 1
    assert recent.latest("active", 10) == [] and recent.latest("merged", 10)[0]["status"] == "merged"


@pytest.mark.parametrize(("query", "expected"), [
    ({}, (None, DEFAULT_LIMIT)), ({"status": "withdrawn", "limit": "5"}, ("withdrawn", 5)), ({"limit": "200"}, (None, 200)),
])
def test_web_incidents_query(query, expected):
    assert filter_query(query, "status", STATUSES, 200) == expected


@pytest.mark.parametrize("query", [{"status": "lost"}, {"limit": "0"}, {"limit": "201"}, {"limit": "many"}])
def test_web_incidents_query_rejects_what_it_cannot_serve(query):
    with pytest.raises(BadQuery):
        filter_query(query, "status", STATUSES, 200)
