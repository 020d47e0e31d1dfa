"""Whether a candidate report describes an incident already known, scored from what both say.

An incident's profile pools its reports: their time ranges, places, names, figures, kinds
and actors. A candidate that contradicts the profile (another country; another day when
both are dated, or a place far away, unless a shared name vouches for it) cannot join it. Otherwise every agreement adds evidence, every soft
disagreement takes some away, and the candidate joins the best incident whose score
reaches ``JOIN_SCORE``:

| evidence | points |
|---|---|
| a person named in both (two words or more: "John Smith") | +3 |
| a street or building named in both | +2 |
| the same day, both dated by their text | +1 |
| places within ``NEAR_KM`` | +1 |
| the same attack type (not "other") | +1 |
| the same actor | +1 |
| the same figure killed / injured | +1 / +0.5 |
| places more than ``FAR_KM`` apart | -1, and no match unless a name or street is shared |
| attack types or actors that differ | -1 |

A candidate must share something that identifies the incident with it: a name, a street, a
term (a building, a neighbourhood) or a place within ``NEAR_KM``; a day and a figure alone
are not enough. So two reports join on a shared name, or on the same day, place and kind of
attack.
"""

from __future__ import annotations

import math
from datetime import date

from stream.incidents.candidates import MAX_DAYS

JOIN_SCORE = 3.0
NEAR_KM = 30.0
FAR_KM = 100.0
FOLLOW_UP_DAYS = 14  # a story about the same people this much later can still be the same incident
FOLLOW_UP_PENALTY = 1.0
TERM_POINTS = 1.0
MAX_GAP_DAYS = 1  # dated reports a day apart can be one incident (a night, time zones)
_OTHER_TYPES = {"other"}


def profile(reports: list[dict]) -> dict:
    """What an incident's reports say together, in the form ``score`` reads."""
    dated = [r["time"] for r in reports if r["time"] and r["time"]["dated"]]
    undated = [r["time"] for r in reports if r["time"] and not r["time"]["dated"]]
    return {
        "time": _pooled_time(dated, undated),
        "dated": bool(dated),
        "days": sorted({tuple(d) for t in dated for d in t["days"]})[:4 * MAX_DAYS],
        "coords": sorted({(r["place"]["latitude"], r["place"]["longitude"]) for r in reports
                          if r["place"] and r["place"]["latitude"] is not None}),
        "countries": sorted({r["country"] for r in reports if r["country"]}),
        "names": sorted({n for r in reports for n in r["names"]}),
        "streets": sorted({s for r in reports for s in r["streets"]}),
        "terms": sorted({t for r in reports for t in r["terms"]}),
        "types": sorted({t for r in reports for t in r["types"]} - _OTHER_TYPES),
        "actors": sorted({a for r in reports for a in r["actors"]}),
        "killed": sorted({r["counts"]["killed"]["best"] for r in reports if "killed" in r["counts"]}),
        "injured": sorted({r["counts"]["injured"]["best"] for r in reports if "injured" in r["counts"]}),
    }


def _pooled_time(dated: list[dict], undated: list[dict]) -> dict | None:
    """Dated reports: the span of their incident days. Undated ones only bound it: the event came
    before the earliest of them was published."""
    if dated:
        return {"start": min(t["start"] for t in dated), "end": max(t["end"] for t in dated)}
    if undated:
        end = min(t["end"] for t in undated)
        return {"start": min(max(t["start"] for t in undated), end), "end": end}
    return None


def score(candidate: dict, incident: dict, common: frozenset[str] = frozenset()) -> float | None:
    """The evidence that ``candidate`` reports the incident of profile ``incident``; None if they contradict.

    ``common``: names and terms too common around here to tell incidents apart (a police
    spokesman quoted in every story, the city's police department)."""
    if candidate["country"] and incident["countries"] and candidate["country"] not in incident["countries"]:
        return None
    named = bool((set(candidate["names"]) & set(incident["names"])) - common)
    terms = len((set(candidate["terms"]) & set(incident["terms"])) - common)
    streets = bool(set(candidate["streets"]) & set(incident["streets"]))
    both_dated = bool(candidate["time"] and candidate["time"]["dated"] and incident["dated"])
    gap = _days_gap(candidate["time"]["days"], incident["days"]) if both_dated else _gap_days(
        candidate["time"], incident["time"])
    points = 0.0
    if gap is not None and gap > (MAX_GAP_DAYS if both_dated else 0):
        if not (named or streets) or gap > FOLLOW_UP_DAYS:
            return None
        points -= FOLLOW_UP_PENALTY  # a follow-up story (an arrest, a funeral, a trial) about the same people
    if named:
        points += 3
    if streets:
        points += 2
    points += min(terms, 2) * TERM_POINTS
    if gap == 0 and both_dated and _one_day(candidate["time"]):
        points += 1
    place = _place_points(candidate["place"], incident["coords"])
    if place < 0 and not (named or streets):
        return None  # far apart, and nothing names them one (a misplaced town can, by a shared name)
    if place <= 0 and not (named or streets or terms):
        return None  # nothing places or names them together: a day and a figure are not enough
    points += place
    points += _overlap_points(set(candidate["types"]) - _OTHER_TYPES, set(incident["types"]))
    points += _overlap_points(set(candidate["actors"]), set(incident["actors"]))
    for status, weight in (("killed", 1.0), ("injured", 0.5)):
        if status in candidate["counts"] and candidate["counts"][status]["best"] in incident[status]:
            points += weight
    return points


def _gap_days(a: dict | None, b: dict | None) -> int | None:
    if not a or not b:
        return None
    return max((date.fromisoformat(a["start"]) - date.fromisoformat(b["end"])).days,
               (date.fromisoformat(b["start"]) - date.fromisoformat(a["end"])).days, 0)


def _days_gap(mine: list, theirs: list) -> int:
    """The nearest two of their dated ranges: a follow-up dated by a death or an arrest still meets
    the report of the attack when it also names the attack's day."""
    return min(_gap_days({"start": a, "end": b}, {"start": c, "end": d}) for a, b in mine for c, d in theirs)


def _one_day(time: dict) -> bool:
    return time["start"] == time["end"]


def _place_points(place: dict | None, coords: list) -> float:
    if not place or place["latitude"] is None or not coords:
        return 0.0
    nearest = min(km((place["latitude"], place["longitude"]), c) for c in coords)
    return 1.0 if nearest <= NEAR_KM else -1.0 if nearest > FAR_KM else 0.0


def _overlap_points(mine: set, theirs: set) -> float:
    if not mine or not theirs:
        return 0.0
    return 1.0 if mine & theirs else -1.0


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in kilometres (equirectangular: exact enough under a few hundred km)."""
    (lat1, lon1), (lat2, lon2) = a, b
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))
