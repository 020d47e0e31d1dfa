"""Per-article totals, and why each casualty claim is or is not counted in them.

Rules (README, "Reading the numbers"):

* Not counted: negated, hypothetical and denied claims; background (cumulative tolls,
  past context); subsets ("including five children"); claims without a figure;
  implausible figures; repeated mentions of an earlier claim ("repeat").
* Historical claims (dated more than ``historical_days`` before publication) are left
  out when the article also reports newer claims of that status; a follow-up story
  about an older event still totals it.
* Totals are the article's lead incident: the first claim that can count, and the claims
  compatible with it in time and place; other incidents the article mentions are marked
  ``other_incident`` (they stay claims, with their own event ids).
* Claims compatible in time and place are one toll: the largest general figure stands (a
  precise figure over a vague one: "23 people" over "dozens"), unless distinct victim groups
  ("two policemen", "two militants were also killed") add up to more; the others are marked
  ``same_toll`` (bodies found never add to a toll).
  Distinct tolls (other places or days) add up.
"""

from __future__ import annotations

from datetime import date

STATUSES = ("killed", "injured", "missing", "kidnapped", "arrested", "displaced")
_PRECISE_PLACE = {"clause", "sentence", "source"}
_DATED = {"text", "lede"}
# Victim nouns that name nobody in particular: claims about them can restate any toll.
_GENERIC_VICTIMS = {"people", "persons", "person", "victims", "victim", "others", "other", "dead", "bodies",
                    "corpses", "casualties", "fatalities", "individuals", "lives"}
_GENERIC = {"people", "persons", "person", "others", "the", "a", "an", "of", "and", "them", "those", "their", "his",
            "her", "its"}


def _first_reason(claim: dict) -> str | None:
    if claim["certainty"] in ("negated", "hypothetical", "denied"):
        return claim["certainty"]
    if claim["background"]:
        return "background"
    if claim["subset"]:
        return "subset"
    if claim["count"] is None:
        return "no_count"
    if claim["count"]["implausible"]:
        return "implausible"
    if claim["count"]["best"] == 0:
        return "negated"
    return None


def _words(claim: dict) -> set[str]:
    victims = claim.get("victims") or {}
    text = (victims.get("text") or "").lower().replace("\u2019s", "").replace("'s", "")
    return {w for w in text.split() if w.isalpha() and w not in _GENERIC}


def _time_compatible(a: dict, b: dict) -> bool:
    if a.get("basis") not in _DATED or b.get("basis") not in _DATED or not a.get("date") or not b.get("date"):
        return True
    return date.fromisoformat(a["date"]) <= date.fromisoformat(b["date_end"]) and date.fromisoformat(
        b["date"]) <= date.fromisoformat(a["date_end"])


def _place_compatible(a: dict | None, b: dict | None) -> bool:
    if not a or not b or a["basis"] not in _PRECISE_PLACE or b["basis"] not in _PRECISE_PLACE:
        return True
    x, y = a["text"].lower(), b["text"].lower()
    return x in y or y in x


def _same_toll(a: dict, b: dict) -> bool:
    """Bodies found and "the toll rose to N" restate a toll whatever their own date and place."""
    if a["bodies"] or b["bodies"] or a["toll_update"] or b["toll_update"]:
        return True
    return _time_compatible(a["time"], b["time"]) and _place_compatible(a["location"], b["location"])


def _is_repeat(later: dict, earlier: dict) -> bool:
    """A later mention of the same victims: same figure, shared specific words ("Hamas leader Sinwar")."""
    if later["additional"] or later["status"] != earlier["status"] or (later["count"] or {}).get("best") != (earlier["count"] or {}).get("best"):
        return False
    a, b = _words(later), _words(earlier)
    return bool(a and b) and len(a & b) * 2 >= min(len(a), len(b))


def _mark_repeats(claims: list[dict]) -> None:
    for i, later in enumerate(claims):
        for earlier in claims[:i]:
            if earlier["not_counted_reason"] in ("negated", "hypothetical", "denied", "subset"):
                continue
            if _is_repeat(later, earlier) and later["not_counted_reason"] is None:
                later["not_counted_reason"] = "repeat"
                later["repeat_of"] = earlier["event_id"]
                if later["time"]["basis"] not in _DATED:  # a bare mention takes the date of the event it repeats
                    later["time"] = earlier["time"]
                    later["historical"] = earlier["historical"]
                break


def _mark_other_incidents(claims: list[dict]) -> None:
    """Totals are the article's lead incident: the first claim that could count, and what is
    compatible with it in time and place; other incidents the article mentions stay claims."""
    candidates = [c for c in claims if c["not_counted_reason"] is None]
    if not candidates:
        return
    lead = min(candidates, key=lambda c: c["sentence"])
    for claim in candidates:
        if claim is not lead and not _same_toll(claim, lead):
            claim["not_counted_reason"] = "other_incident"


def mark_counted(claims: list[dict]) -> None:
    """Set ``counted`` and ``not_counted_reason`` on every casualty claim (in place)."""
    for claim in claims:
        claim["not_counted_reason"] = _first_reason(claim)
        claim["repeat_of"] = None
    _mark_repeats(claims)
    for status in STATUSES:
        eligible = [c for c in claims if c["status"] == status and c["not_counted_reason"] is None]
        if any(not c["historical"] for c in eligible):
            for claim in eligible:
                if claim["historical"]:
                    claim["not_counted_reason"] = "historical"
    _mark_other_incidents(claims)
    for status in STATUSES:
        eligible = [c for c in claims if c["status"] == status and c["not_counted_reason"] is None]
        for group in _groups(eligible):
            kept = _toll_of(group)
            for claim in group:
                if all(claim is not k for k in kept):
                    claim["not_counted_reason"] = "same_toll"
    for claim in claims:
        claim["counted"] = claim["not_counted_reason"] is None


def _identity(claim: dict) -> str | None:
    """Whose deaths a claim counts: None for anyone ("20 people", bodies, a toll), else a group
    ("soldiers", "policemen"); claims about an additional group ("two other policemen") are their own."""
    if claim["additional"]:
        return claim["event_id"]
    victims = claim.get("victims") or {}
    if claim["bodies"] or claim["toll_update"] or not victims.get("text"):
        return None
    if claim["count"]["best"] == 1:
        return None  # one person named twice ("a woman", "the victim", "Jones, 18") is the usual case
    if victims["kind"] != "people":
        return victims["kind"]
    head = victims["text"].lower().split()[-1]
    return None if head in _GENERIC_VICTIMS else head


def _best(claims: list[dict]) -> dict:
    """The figure that stands for the same victims: the largest precise one, a vague one ("dozens",
    "hundreds") only when none is precise: "dozens were killed ... 23 people died" is 23."""
    precise = [c for c in claims if not c["count"]["vague"]]
    return max(precise or claims, key=lambda c: c["count"]["best"])


def _toll_of(group: list[dict]) -> list[dict]:
    """The claims one toll is made of: the general figure, or the sum over distinct victim groups
    (one figure each) when that is larger: "2 policemen ... 2 militants were also killed" is 4."""
    by_group: dict[str, list[dict]] = {}
    general = []
    for claim in group:
        key = _identity(claim)
        (general if key is None else by_group.setdefault(key, [])).append(claim)
    specific = [_best(claims) for claims in by_group.values()]
    toll = _best(general) if general else None
    if toll is not None and toll["count"]["best"] >= sum(c["count"]["best"] for c in specific):
        return [toll]
    return specific


def _groups(claims: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for claim in claims:
        home = next((g for g in groups if all(_same_toll(claim, other) for other in g)), None)
        if home is None:
            groups.append([claim])
        else:
            home.append(claim)
    return groups


def totals(claims: list[dict]) -> dict:
    """``{status: {min, max, best, claims, by_victim_type}}`` over the counted claims (statuses without one are absent)."""
    out = {}
    for status in STATUSES:
        counted = [c for c in claims if c["status"] == status and c["counted"]]
        if not counted:
            continue
        maxes = [c["count"]["max"] for c in counted]
        out[status] = {
            "min": sum(c["count"]["min"] for c in counted),
            "max": None if None in maxes else sum(maxes),
            "best": sum(c["count"]["best"] for c in counted),
            "claims": [c["event_id"] for c in counted],
            "by_victim_type": _by_victim_type(counted),
        }
    return out


def _by_victim_type(counted: list[dict]) -> dict[str, int]:
    """The best figure split by victim type (civilians, security_forces, combatants, mixed, unknown); the
    parts add up to the total's ``best``."""
    split: dict[str, int] = {}
    for claim in counted:
        kind = (claim.get("victims") or {}).get("type", "unknown")
        split[kind] = split.get(kind, 0) + claim["count"]["best"]
    return split
