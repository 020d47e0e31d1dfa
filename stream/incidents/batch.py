"""The incident stage in one process: routing and clustering over plain dicts, in input order.

``stream extract --incidents`` and the evaluation use it; given the same articles in the
same order it builds the same incidents as the worker.
"""

from __future__ import annotations

from stream.incidents.candidates import candidates
from stream.incidents.clustering import IDLE_ARTICLES, Clusterer, Stores, Update
from stream.incidents.routing import bucket_of, route


class IncidentBuilder:
    def __init__(self, *, window_days: int, undated_days: int, extractor_version: str,
                 tombstone_after: float = 3600.0, idle_articles: int = IDLE_ARTICLES):
        self.clusterer = Clusterer(Stores({}, {}, {}, {}), window_days=window_days, tombstone_after=tombstone_after,
                                   extractor_version=extractor_version, idle_articles=idle_articles)
        self.undated_days = undated_days
        self.routes: dict[str, list[str]] = {}
        self.joined: dict[tuple[str, int], list[str]] = {}  # (article id, revision) -> incidents joined then
        self.records: dict[str, dict] = {}  # incident id -> its last record (until a tombstone)

    def add(self, processed: dict, now: float) -> list[Update]:
        """Route and cluster one processed article; the incident records that changed."""
        article_id = processed["article_id"]
        found = candidates(processed, self.undated_days)
        messages = route(article_id, processed["revision"], found, self.routes.get(article_id, []))
        lead = [bucket_of(found[0])] if found else []
        self.routes[article_id] = list(dict.fromkeys(lead + [m["bucket"] for m in messages if m["candidates"]]))
        updates: list[Update] = []
        for message in messages:
            updates += self.clusterer.apply(message["bucket"], article_id, message["revision"], message["candidates"],
                                            now)
        self.joined[article_id, processed["revision"]] = [i for bucket in self.routes[article_id]
                                                          for i in self.clusterer.incidents_of(bucket, article_id)]
        for incident_id, record in updates:
            if record is None:
                self.records.pop(incident_id, None)
            else:
                self.records[incident_id] = record
        return updates

    def incident_ids(self, article_id: str, revision: int = 1) -> list[str]:
        """The incidents a revision's candidates joined, followed through later merges, the lead one first."""
        return list(dict.fromkeys(self._survivor(i) for i in self.joined.get((article_id, revision), [])))

    def _survivor(self, incident_id: str) -> str:
        seen = set()
        while (record := self.records.get(incident_id)) and record["merged_into"] and incident_id not in seen:
            seen.add(incident_id)
            incident_id = record["merged_into"]
        return incident_id

    def final(self) -> list[dict]:
        """Every incident's last record, absorbed and withdrawn ones left out."""
        return [r for r in self.records.values() if r["status"] == "active"]
