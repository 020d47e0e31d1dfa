"""The latest casualty and attack events, as the dashboard shows them.

Every text here comes from an article and is untrusted: it is passed on as plain strings
(JSON), and the page puts it in with ``textContent``, never as markup.
"""

from __future__ import annotations

import itertools
from collections import deque
from datetime import datetime, timezone

from stream.web.world import map_xy

KINDS = ("casualty", "attack")


def highlight(evidence: dict, claim: dict) -> list[dict]:
    """The evidence sentence cut into pieces marked ``trigger``, ``claim`` (the claim's own words) or None.

    Offsets in a claim index the article body; the evidence is a slice of it starting at its ``start``.
    """
    text, base = evidence["text"], evidence["start"]
    spans = {"claim": (claim["start"] - base, claim["end"] - base),
             "trigger": (claim["trigger"]["start"] - base, claim["trigger"]["end"] - base)}
    cuts = sorted({0, len(text), *(min(max(edge, 0), len(text)) for span in spans.values() for edge in span)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        inside = [name for name, (lo, hi) in spans.items() if lo <= start and end <= hi]
        mark = "trigger" if "trigger" in inside else ("claim" if inside else None)
        if pieces and pieces[-1]["mark"] == mark:
            pieces[-1]["text"] += text[start:end]
        else:
            pieces.append({"text": text[start:end], "mark": mark})
    return pieces


def map_point(location: dict | None) -> dict | None:
    """The claim's position on the map (``map_xy``), if its coordinates are known."""
    latitude, longitude = (location or {}).get("latitude"), (location or {}).get("longitude")
    if not isinstance(latitude, (int, float)) or not isinstance(longitude, (int, float)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    x, y = map_xy(longitude, latitude)
    return {"x": round(x, 3), "y": round(y, 3)}


def _text(part: dict | None, *keys: str) -> str | None:
    """The first non-empty of ``keys`` in an optional part of a claim (actor, victims, target...)."""
    return next((part[key] for key in keys if part and part.get(key)), None)


def card(kind: str, claim: dict, article: dict, received_at: str) -> dict:
    """One event as the dashboard lists it."""
    casualty = kind == "casualty"
    count = claim.get("count") if casualty else None
    return {
        "type": kind,
        "event_id": claim["event_id"],
        "article_id": claim["article_id"],
        "revision": claim["revision"],
        "title": article.get("title"),
        "source": article.get("source"),
        "what": claim["status"] if casualty else claim["attack_type"],
        "figure": {"best": count["best"], "text": count["text"]} if count else None,
        "who": _text(claim.get("victims"), "text", "kind") if casualty else _text(claim.get("target"), "text"),
        "by": _text(claim.get("perpetrator") if casualty else claim.get("actor"), "canonical", "text"),
        "attribution": _text(claim.get("attribution"), "text"),
        "certainty": claim["certainty"],
        "place": _text(claim.get("location"), "text"),
        "date": (claim.get("time") or {}).get("date"),
        "counted": claim.get("counted"),
        "evidence": highlight(claim["evidence"], claim),
        "point": map_point(claim.get("location")),
        "precision": (claim.get("location") or {}).get("precision"),
        "received_at": received_at,
    }


class RecentEvents:
    """The newest events of each kind, at most ``size`` each; a new revision of an article replaces its events."""

    def __init__(self, size: int = 100) -> None:
        self.size = size
        self._added = itertools.count()  # orders events across kinds, also within one second
        self._events: dict[str, deque[tuple[int, dict]]] = {kind: deque(maxlen=size) for kind in KINDS}

    def add(self, processed: dict) -> None:
        received_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for kind, claims in (("casualty", processed["casualties"]), ("attack", processed["attacks"])):
            events = self._events[kind]
            kept = [entry for entry in events if entry[1]["article_id"] != processed["article_id"]]
            if len(kept) != len(events):
                events.clear()
                events.extend(kept)
            events.extend((next(self._added), card(kind, claim, processed, received_at)) for claim in claims)

    def latest(self, kind: str | None, limit: int) -> list[dict]:
        """Newest first; ``kind`` None for both kinds together."""
        entries = [entry for k in ([kind] if kind else KINDS) for entry in self._events[k]]
        entries.sort(key=lambda entry: entry[0], reverse=True)
        return [event for _, event in entries[:limit]]
