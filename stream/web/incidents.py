"""The incidents this worker's partitions hold, as ``/api/incidents`` and the dashboard show them.

Built from the records the incident stage publishes: the latest record of each incident
replaces the one before, a tombstone removes it. Article text in them is untrusted: the
page puts it in with ``textContent`` only.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Iterable

from stream.web.events import map_point

STATUSES = ("active", "merged", "withdrawn")


def card(record: dict) -> dict:
    """One incident as the dashboard lists it: what, when, where, how many, and every source."""
    return {
        "incident_id": record["incident_id"],
        "revision": record["revision"],
        "status": record["status"],
        "merged_into": record["merged_into"],
        "types": record["types"],
        "time": record["time"],
        "place": (record["place"] or {}).get("text"),
        "point": map_point(record["place"]),
        "actors": record["actors"][:3],
        "counts": {status: {k: c[k] for k in ("best", "min", "max", "reports")} for status, c in record["counts"].items()},
        "sources": [{k: s[k] for k in ("article_id", "title", "source", "url", "published_at")} for s in record["sources"]],
        "last_seen": record["last_seen"],
    }


class RecentIncidents:
    """The ``size`` incidents updated last, newest first."""

    def __init__(self, size: int = 200) -> None:
        self.size = size
        self._records: OrderedDict[str, dict] = OrderedDict()

    def update(self, updates: Iterable[tuple[str, dict | None]]) -> None:
        for incident_id, record in updates:
            self._records.pop(incident_id, None)
            if record is not None:
                self._records[incident_id] = record
        while len(self._records) > self.size:
            self._records.popitem(last=False)

    def latest(self, status: str | None, limit: int) -> list[dict]:
        records = (r for r in reversed(self._records.values()) if status is None or r["status"] == status)
        return [card(r) for _, r in zip(range(limit), records)]
