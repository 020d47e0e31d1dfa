"""The dashboard's events: evidence highlighting, map positions, the bounded list of the latest."""

from __future__ import annotations

import pytest

from stream.web.events import RecentEvents, card, highlight, map_point

BODY = "Officials said on Monday that more than 20 people were killed in Gaza <script>alert(1)</script>."


def _claim(claim: str, trigger: str, sentence_start: int = 0, body: str = BODY) -> dict:
    start = body.index(claim)
    return {"start": start, "end": start + len(claim),
            "trigger": {"text": trigger, "start": body.index(trigger), "end": body.index(trigger) + len(trigger)},
            "evidence": {"text": body[sentence_start:], "start": sentence_start, "end": len(body)}}


def _joined(pieces: list[dict]) -> str:
    return "".join(piece["text"] for piece in pieces)


def test_web_highlight_marks_the_claims_words_and_its_trigger():
    pieces = highlight(_claim("more than 20 people were killed", "killed")["evidence"],
                       _claim("more than 20 people were killed", "killed"))
    assert pieces == [
        {"text": "Officials said on Monday that ", "mark": None},
        {"text": "more than 20 people were ", "mark": "claim"},
        {"text": "killed", "mark": "trigger"},
        {"text": " in Gaza <script>alert(1)</script>.", "mark": None},
    ]


def test_web_highlight_offsets_are_relative_to_the_evidence_start():
    body = "First sentence. " + BODY
    claim = _claim("20 people were killed", "killed", sentence_start=len("First sentence. "), body=body)
    pieces = highlight(claim["evidence"], claim)
    assert _joined(pieces) == BODY
    assert [p["text"] for p in pieces if p["mark"]] == ["20 people were ", "killed"]


def test_web_highlight_keeps_markup_as_plain_text_and_clips_spans_outside_the_evidence():
    claim = _claim("Officials said", "said")
    claim["start"] -= 5  # a span reaching before the sentence (never expected, never fatal)
    pieces = highlight(claim["evidence"], claim)
    assert _joined(pieces) == BODY  # untouched: escaping is the page's job (textContent)
    assert pieces[0] == {"text": "Officials ", "mark": "claim"}


def test_web_highlight_trigger_outside_the_claim_is_still_marked():
    claim = _claim("20 people", "killed")
    assert [p["mark"] for p in highlight(claim["evidence"], claim)] == [None, "claim", None, "trigger", None]


@pytest.mark.parametrize(("location", "point"), [
    ({"text": "Gaza", "latitude": 31.5, "longitude": 34.47}, {"x": 214.47, "y": 58.5}),
    ({"text": "somewhere", "latitude": -90, "longitude": -180}, {"x": 0, "y": 180}),
    ({"text": "Gaza"}, None),  # no coordinates (yet): nothing to plot
    ({"text": "Gaza", "latitude": None, "longitude": 34.5}, None),
    ({"text": "nowhere", "latitude": 91, "longitude": 0}, None),
    ({"text": "nowhere", "latitude": "31", "longitude": "34"}, None),
    (None, None),
])
def test_web_map_point_is_equirectangular_when_coordinates_are_known(location, point):
    assert map_point(location) == point


def _casualty(article_id: str, n: int, revision: int = 1) -> dict:
    claim = _claim("more than 20 people were killed", "killed")
    return {**claim, "event_id": f"cas-{article_id}-{n}", "article_id": article_id, "revision": revision,
            "status": "killed", "count": {"best": 21, "text": "more than 20"},
            "victims": {"text": "people", "kind": "people"}, "perpetrator": {"text": "Israeli forces",
                                                                              "canonical": "Israel"},
            "attribution": {"text": "Officials"}, "certainty": "reported", "time": {"date": "2024-10-21"},
            "location": {"text": "Gaza", "start": None, "end": None, "basis": "sentence"}, "counted": True}


def _attack(article_id: str, n: int) -> dict:
    claim = _claim("killed", "killed")
    return {**claim, "event_id": f"att-{article_id}-{n}", "article_id": article_id, "revision": 1,
            "attack_type": "airstrike", "actor": {"text": "Israeli jets", "canonical": None}, "target": None,
            "attribution": None, "certainty": "asserted", "time": {"date": None}, "location": None}


def _processed(article_id: str, casualties: int = 1, attacks: int = 1, revision: int = 1) -> dict:
    return {"article_id": article_id, "revision": revision, "title": f"<b>{article_id}</b>", "source": "Wire",
            "casualties": [_casualty(article_id, n, revision) for n in range(casualties)],
            "attacks": [_attack(article_id, n) for n in range(attacks)]}


def test_web_card_says_what_who_by_whom_where_and_when():
    event = card("casualty", _casualty("a1", 0), _processed("a1"), "2026-01-01T00:00:00+00:00")
    assert {k: event[k] for k in ("type", "what", "figure", "who", "by", "attribution", "place", "date", "counted",
                                  "title", "point")} == {
        "type": "casualty", "what": "killed", "figure": {"best": 21, "text": "more than 20"}, "who": "people",
        "by": "Israel", "attribution": "Officials", "place": "Gaza", "date": "2024-10-21", "counted": True,
        "title": "<b>a1</b>", "point": None}
    attack = card("attack", _attack("a1", 0), _processed("a1"), "2026-01-01T00:00:00+00:00")
    assert (attack["what"], attack["by"], attack["who"], attack["figure"], attack["place"]) == (
        "airstrike", "Israeli jets", None, None, None)


@pytest.mark.parametrize("precision", [1, 2, 3, None])
def test_web_card_carries_the_location_s_precision_for_the_map(precision):
    claim = _casualty("a1", 0)
    claim["location"] = {**claim["location"], "latitude": 31.5, "longitude": 34.47, "precision": precision}
    event = card("casualty", claim, _processed("a1"), "2026-01-01T00:00:00+00:00")
    assert event["precision"] == precision and event["point"] == {"x": 214.47, "y": 58.5}


def test_web_recent_events_newest_first_filtered_and_bounded():
    recent = RecentEvents(size=3)
    for n in range(4):
        recent.add(_processed(f"a{n}", casualties=1, attacks=1))
    assert [e["article_id"] for e in recent.latest("casualty", 10)] == ["a3", "a2", "a1"]
    assert [e["type"] for e in recent.latest(None, 4)] == ["attack", "casualty", "attack", "casualty"]
    assert [e["article_id"] for e in recent.latest("attack", 2)] == ["a3", "a2"]


def test_web_recent_events_a_revision_replaces_the_articles_earlier_events():
    recent = RecentEvents()
    recent.add(_processed("a1", casualties=3))
    recent.add(_processed("b1"))
    recent.add(_processed("a1", casualties=1, revision=2))
    casualties = recent.latest("casualty", 10)
    assert [(e["article_id"], e["revision"]) for e in casualties] == [("a1", 2), ("b1", 1)]
