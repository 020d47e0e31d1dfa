"""From one article's analysis to its incident candidates: what it says about each real-world event.

The lead candidate holds the claims of the article's lead incident (the claims its totals
count, their repeats and restatements, and its current attack claims); every group of
claims the totals marked ``other_incident`` that agree in time and place is one more
candidate. Historical, background, negated, hypothetical and denied claims describe no
new incident and join none.

A candidate keeps only what matching and reconciling need: kinds, time range, place,
actors, victims, the names of people and streets it mentions, counts and claim ids with
their attribution. It is plain JSON: it travels on ``incidents.candidates``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from stream.analysis.places import likely_country
from stream.analysis.totals import STATUSES

NOT_AN_INCIDENT = {"other_incident", "historical", "background", "negated", "hypothetical", "denied"}
NOT_ASSERTED = {"negated", "hypothetical", "denied"}
_DATED = {"text", "lede"}
_TERM_LABELS = {"FAC", "LOC", "GPE", "ORG", "EVENT"}
MAX_TERMS = 40
_GUESS_LABELS = {"GPE", "LOC", "ORG", "FAC"}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central",
               "downtown", "greater", "northern", "southern", "eastern", "western"}
_INSTITUTIONS = {"police", "sheriff", "sheriff's", "county", "parish", "fire", "department", "metro", "city", "mayor",
                 "district", "hospital", "university", "school", "college", "news", "times", "post", "herald"}
MAX_DAYS = 4  # dated ranges a candidate keeps: the incident's day and what followed
_PLACE_ORDER = {"clause": 0, "sentence": 1, "source": 2, "dateline": 3, "context": 4, "article": 5}
_TITLES = {"mr", "mrs", "ms", "dr", "jr", "sr", "ii", "iii", "officer", "sgt", "det", "detective", "police", "chief",
           "lt", "capt", "deputy", "sheriff", "president", "minister", "gen", "col", "maj", "cpl", "pvt"}
_NAME_WORD = re.compile(r"[a-z][a-z'\-]+")
_STREET = re.compile(r"\b(street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
                     r"highway|hwy|parkway|pkwy|terrace|circle|square|bridge)\.?$", re.I)


def candidates(processed: dict, undated_days: int) -> list[dict]:
    """The article's incident candidates, the lead one first; none when it reports no incident.

    ``undated_days``: a candidate with no date of its own happened within this many days before
    publication (its time range)."""
    lead = [c for c in processed["casualties"] if c["not_counted_reason"] not in NOT_AN_INCIDENT]
    lead += [a for a in processed["attacks"] if _current_attack(a)]
    groups = [lead] if lead else []
    groups += _other_incidents([c for c in processed["casualties"] if c["not_counted_reason"] == "other_incident"])
    return [_candidate(processed, claims, index, undated_days) for index, claims in enumerate(groups)]


def _current_attack(claim: dict) -> bool:
    return not claim["historical"] and not claim["background"] and claim["certainty"] not in NOT_ASSERTED


def _other_incidents(claims: list[dict]) -> list[list[dict]]:
    """Claims of other incidents, grouped when their time and place agree."""
    groups: list[list[dict]] = []
    for claim in claims:
        home = next((g for g in groups if _same_setting(g[0], claim)), None)
        if home is None:
            groups.append([claim])
        else:
            home.append(claim)
    return groups


def _same_setting(a: dict, b: dict) -> bool:
    place_a, place_b = (a["location"] or {}).get("text"), (b["location"] or {}).get("text")
    return (a["time"] or {}).get("date") == (b["time"] or {}).get("date") and place_a == place_b


def _candidate(processed: dict, claims: list[dict], index: int, undated_days: int) -> dict:
    sentences = {c["sentence"] for c in claims}
    entities = processed["entities"] if index == 0 else [e for e in processed["entities"]
                                                          if e["sentence"] in sentences]
    casualties = [c for c in claims if "status" in c]
    return {
        "article_id": processed["article_id"],
        "revision": processed["revision"],
        "index": index,
        "published_at": processed.get("published_at"),
        "title": processed.get("title"),
        "source": processed.get("source"),
        "url": processed.get("url"),
        "claims": [_claim_ref(c) for c in claims],
        "types": sorted({c["attack_type"] for c in claims if "attack_type" in c}),
        "time": _time(claims, processed.get("published_at"), undated_days),
        "place": _place(claims),
        "country": (country := _country(claims, processed["entities"])),
        "country_guess": None if country else _country_guess(processed["entities"]),
        "actors": sorted({(c.get("perpetrator") or c.get("actor") or {}).get("canonical") or "" for c in claims} - {""}),
        "victims": sorted({(c.get("victims") or {}).get("text") or "" for c in casualties} - {""})[:10],
        "names": sorted(_person_names(entities)),
        "streets": sorted(_streets(entities)),
        "terms": sorted(_terms(entities))[:MAX_TERMS],
        "counts": _totals_counts(processed["totals"]) if index == 0 else _group_counts(casualties),
    }


def _claim_ref(claim: dict) -> dict:
    ref = {"event_id": claim["event_id"], "certainty": claim["certainty"],
           "attribution": (claim.get("attribution") or {}).get("text")}
    if "status" in claim:
        count = claim["count"] or {}
        ref.update(kind="casualty", status=claim["status"], count=count.get("best"), counted=claim["counted"])
    else:
        ref.update(kind="attack", attack_type=claim["attack_type"])
    return ref


def _time(claims: list[dict], published_at: str | None, undated_days: int) -> dict | None:
    """The days the claims are dated to (the violence first: attacks, killed, injured; an arrest or a
    death days later comes after it), or the days before publication, marked undated."""
    day = date.fromisoformat(published_at[:10]) if published_at else None
    ranges = list(dict.fromkeys((c["time"]["date"], c["time"]["date_end"] or c["time"]["date"])
                                for c in sorted(claims, key=_time_priority) if _dated(c["time"], day)))
    if ranges:
        start, end = ranges[0]
        return {"start": start, "end": end, "dated": True, "days": [list(r) for r in ranges[:MAX_DAYS]]}
    if day is None:
        return None
    return {"start": (day - timedelta(days=undated_days)).isoformat(), "end": day.isoformat(), "dated": False,
            "days": []}


def _time_priority(claim: dict) -> int:
    if "attack_type" in claim or claim["status"] in ("killed", "injured"):
        return 0 if claim.get("counted", True) else 1
    return 2


def _dated(time: dict | None, published: date | None) -> bool:
    """Dated by its text, and not after publication (a misread date must not move the window)."""
    if not time or time["basis"] not in _DATED or not time["date"]:
        return False
    return published is None or date.fromisoformat(time["date_end"] or time["date"]) <= published + timedelta(days=1)


def _place(claims: list[dict]) -> dict | None:
    places = sorted((c["location"] for c in claims if c["location"] and c["location"]["country_code"]),
                    key=lambda p: (p["latitude"] is None, _PLACE_ORDER.get(p["basis"], 9)))
    if not places:
        return None
    p = places[0]
    return {k: p[k] for k in ("text", "country_code", "latitude", "longitude", "resolution")}


def _country(claims: list[dict], entities: list[dict]) -> str | None:
    """The country of the claims' place, else the one the article's places name most."""
    place = _place(claims)
    if place:
        return place["country_code"]
    named = Counter(e["country_code"] for e in entities if e.get("country_code"))
    return named.most_common(1)[0][0] if named else None


def _country_guess(entities: list[dict]) -> str | None:
    """For an article whose places settle no country: the likely country of the place it names most
    ("Richmond": the biggest Richmond's). Reports of one incident name the same places, so they guess
    alike and meet in one bucket."""
    named = Counter(name for e in entities if e["label"] in _GUESS_LABELS and not e.get("country_code")
                    for name in _place_words(e["text"]))
    for name, _ in named.most_common():
        if country := likely_country(name):
            return country
    return None


def _place_words(text: str) -> list[str]:
    """Place names inside a name: "Southwest Baltimore" -> Baltimore, "the Montgomery Police Department"
    -> Montgomery."""
    words = text.removeprefix("the ").split()
    while words and words[0].lower() in _DIRECTIONS:
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if w.lower() in _INSTITUTIONS), len(words))
    return [" ".join(words[:cut])] if cut else []


def person_key(text: str) -> str | None:
    """"Officer John A. Smith Jr.'s" -> "john smith": first and last name, of a name of two words or more."""
    words = [w.removesuffix("'s").removesuffix("’s") for w in _NAME_WORD.findall(text.lower())]
    words = [w for w in words if w not in _TITLES and len(w) > 1]
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else None


def _person_names(entities: list[dict]) -> set[str]:
    return {key for e in entities if e["label"] == "PERSON" and (key := person_key(e["text"]))}


def _streets(entities: list[dict]) -> set[str]:
    return {_term(e["text"]) for e in entities
            if e["label"] in ("FAC", "GPE", "LOC", "ORG") and _STREET.search(e["text"].strip())}


def _terms(entities: list[dict]) -> set[str]:
    """Other names of places, buildings, groups and events ("Broad Ripple", "Cameo nightclub"): towns and
    countries with coordinates are left to the place."""
    return {_term(e["text"]) for e in entities if e["label"] in _TERM_LABELS and e.get("latitude") is None
            and not e.get("country_code") and not _STREET.search(e["text"].strip())} - {""}


def _term(text: str) -> str:
    words = [w.removesuffix("'s").removesuffix("\u2019s") for w in _NAME_WORD.findall(text.lower())]
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def _totals_counts(totals: dict) -> dict:
    return {status: {k: t[k] for k in ("min", "max", "best")} for status, t in totals.items()}


def _group_counts(casualties: list[dict]) -> dict:
    """An other incident's figures: the largest of its claims per status."""
    counts = {}
    for status in STATUSES:
        figures = [c["count"] for c in casualties if c["status"] == status and c["count"] and c["count"]["best"]]
        if figures:
            top = max(figures, key=lambda f: f["best"])
            counts[status] = {"min": top["min"], "max": top["max"], "best": top["best"]}
    return counts
