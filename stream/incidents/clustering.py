"""Incidents built from candidate reports, one bucket (country) at a time, in arrival order.

State lives in four mappings, dicts in ``stream extract`` and Faust tables in the worker
(every value is replaced, never changed in place, so each write reaches the changelog):

* ``incidents``: incident id -> {id, bucket, revision, status, reports, profile, first_seen,
  last_seen, merged_into, closes_at, published (a digest of the last record's content)};
* ``index``: "bucket|week" -> ids of the incidents whose time touches that ISO week;
* ``articles``: "bucket|article id" -> {revision, incidents}: what an article contributed;
* ``buckets``: bucket -> {watermark, weeks, pending, arrivals}: the newest event day seen, the
  index keys in use, absorbed or withdrawn incidents waiting for their tombstone, and how many
  articles the bucket has had.

Applying an article's candidates replaces whatever that article contributed before, so a
replay changes nothing and a revision updates its incidents. A candidate joins the best
incident it matches; when it matches two, they merge into the older one, and the absorbed
one is published once more with ``merged_into``, then deleted (a tombstone) after
``tombstone_after`` seconds. Incidents whose time ended ``window_days`` before the newest
event of their bucket, and that none of the bucket's last ``idle_articles`` articles joined, are
closed: they leave the state, and their last record stands. The second condition is for input
out of time order (an archive sent incident after incident, a replay): the newest event moves
ahead of the incident being reported, which used to close it under its own next report.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import MutableMapping

import orjson

from stream.incidents.matching import FOLLOW_UP_DAYS, JOIN_SCORE, profile, score
from stream.incidents.records import incident_record

COMMON_NAME_INCIDENTS = 2  # a name in this many nearby incidents identifies none of them
IDLE_ARTICLES = 50  # an incident beyond the window stays while one of its bucket's last this many articles joined it
Update = tuple[str, dict | None]  # (incident id, its record; None: a tombstone)


@dataclass
class Stores:
    incidents: MutableMapping[str, dict]
    index: MutableMapping[str, list]
    articles: MutableMapping[str, dict]
    buckets: MutableMapping[str, dict]


def incident_id(bucket: str, article_id: str, index: int) -> str:
    return "inc-" + hashlib.blake2b(f"{bucket}\x1f{article_id}\x1f{index}".encode(), digest_size=12).hexdigest()


def _weeks(time: dict | None, fallback: str, slack: int = 1) -> list[str]:
    """ISO weeks a time range touches, ``slack`` days either side."""
    start = date.fromisoformat(time["start"] if time else fallback) - timedelta(days=slack)
    end = date.fromisoformat(time["end"] if time else fallback) + timedelta(days=slack)
    weeks, day = [], start
    while day <= end + timedelta(days=6 - end.weekday()):
        year, week, _ = day.isocalendar()
        weeks.append(f"{year}-W{week:02d}")
        day += timedelta(days=7)
    return sorted(set(weeks))


class Clusterer:
    def __init__(self, stores: Stores, *, window_days: int, tombstone_after: float, extractor_version: str,
                 idle_articles: int = IDLE_ARTICLES):
        self.s = stores
        self.window_days = window_days
        self.idle_articles = idle_articles
        self.tombstone_after = tombstone_after
        self.extractor_version = extractor_version

    # --- applying an article -----------------------------------------------------------------

    def apply(self, bucket: str, article_id: str, revision: int, candidates: list[dict], now: float) -> list[Update]:
        """Replace what ``article_id`` contributed to ``bucket`` with ``candidates``; the changed records."""
        state = self._bucket(bucket)
        self.s.buckets[bucket] = {**state, "arrivals": state.get("arrivals", 0) + 1}
        closed = self.sweep(bucket, now)  # first, so what this article joins stays until the next one
        key = f"{bucket}|{article_id}"
        previous = self.s.articles.get(key)
        if previous and previous["revision"] > revision:
            return closed  # an older revision arriving late: the newer one stands
        homes = [self._home(bucket, c) for c in candidates]
        touched = set(previous["incidents"]) if previous else set()
        seen = {}  # candidate index -> when its report of this revision first came
        for incident in previous["incidents"] if previous else ():
            seen.update(self._drop_reports(incident, article_id))
        joined: list[str] = []
        for candidate, home in zip(candidates, homes):
            first_seen = seen.get((candidate["index"], candidate["revision"]), now)
            target = self._join(bucket, {**candidate, "seen_at": first_seen}, home, now)
            joined.append(target)
            touched.add(target)
        merged = self._merge_matches(bucket, candidates, joined, homes, now)
        touched |= merged
        joined = [self._survivor(i) for i in joined]
        if joined:
            self.s.articles[key] = {"revision": revision, "incidents": list(dict.fromkeys(joined))}
        elif previous:
            del self.s.articles[key]
        updates = [self._settle(i, now) for i in sorted(touched)]
        self._advance(bucket, candidates, now)
        return closed + [u for u in updates if u]

    def incidents_of(self, bucket: str, article_id: str) -> list[str]:
        record = self.s.articles.get(f"{bucket}|{article_id}")
        return [self._survivor(i) for i in record["incidents"]] if record else []

    def _home(self, bucket: str, candidate: dict) -> list[tuple[float, str]]:
        """Matching incidents, best first: (score, id)."""
        nearby = self._nearby(bucket, candidate)
        named = Counter(n for incident in nearby for n in _distinctive(incident["profile"]))
        common = frozenset(n for n in _distinctive(candidate) if named[n] >= COMMON_NAME_INCIDENTS)
        found = [(points, incident["id"]) for incident in nearby
                 if (points := score(candidate, incident["profile"], common)) is not None and points >= JOIN_SCORE]
        return sorted(found, key=lambda f: (-f[0], f[1]))

    def _nearby(self, bucket: str, candidate: dict) -> list[dict]:
        """Active incidents of the bucket indexed under the weeks the candidate's time could reach."""
        ids = dict.fromkeys(i for week in _weeks(candidate["time"], candidate["published_at"] or "1970-01-01",
                                                 slack=FOLLOW_UP_DAYS)
                            for i in self.s.index.get(f"{bucket}|{week}", ()))
        incidents = (self.s.incidents.get(i) for i in ids)
        return [i for i in incidents if i is not None and i["status"] == "active"]

    def _join(self, bucket: str, candidate: dict, home: list[tuple[float, str]], now: float) -> str:
        target = next((i for _, i in home if self.s.incidents.get(i, {}).get("status") == "active"), None)
        if target is None:
            target = incident_id(bucket, candidate["article_id"], candidate["index"])
            existing = self.s.incidents.get(target)
            if existing is None or existing["status"] != "active":
                self._create(bucket, target, now)
        incident = dict(self.s.incidents[target])
        incident["reports"] = [r for r in incident["reports"] if _report_key(r) != _report_key(candidate)] + [candidate]
        incident["joined_at"] = self._bucket(bucket).get("arrivals", 0)
        self._store(incident)
        return target

    def _create(self, bucket: str, new_id: str, now: float) -> None:
        self.s.incidents[new_id] = {"id": new_id, "bucket": bucket, "revision": 0, "status": "active", "reports": [],
                                    "profile": profile([]), "first_seen": now, "last_seen": now,
                                    "merged_into": None, "closes_at": None, "published": None}

    def _drop_reports(self, incident_id_: str, article_id: str) -> dict[tuple[int, int], float]:
        """Take the article's reports out of the incident; when each (candidate, revision) was first seen."""
        incident = self.s.incidents.get(incident_id_)
        if incident is None:
            return {}
        kept = [r for r in incident["reports"] if r["article_id"] != article_id]
        if len(kept) != len(incident["reports"]):
            self._store({**incident, "reports": kept})
        return {(r["index"], r["revision"]): r["seen_at"] for r in incident["reports"] if r["article_id"] == article_id}

    def _store(self, incident: dict) -> None:
        """Write an incident with a fresh profile, and index it under the weeks of its time."""
        incident = {**incident, "profile": profile(incident["reports"])}
        self.s.incidents[incident["id"]] = incident
        if incident["status"] == "active" and incident["reports"]:
            for week in _weeks(incident["profile"]["time"], _first_published(incident)):
                key = f"{incident['bucket']}|{week}"
                ids = self.s.index.get(key, [])
                if incident["id"] not in ids:
                    self.s.index[key] = [*ids, incident["id"]]
                    self._note_week(incident["bucket"], key)

    def _note_week(self, bucket: str, key: str) -> None:
        state = self._bucket(bucket)
        if key not in state["weeks"]:
            self.s.buckets[bucket] = {**state, "weeks": sorted([*state["weeks"], key])}

    def _bucket(self, bucket: str) -> dict:
        return self.s.buckets.get(bucket) or {"watermark": None, "weeks": [], "pending": []}

    # --- merging -----------------------------------------------------------------------------

    def _merge_matches(self, bucket: str, candidates: list[dict], joined: list[str],
                       homes: list[list[tuple[float, str]]], now: float) -> set[str]:
        """A candidate that matched several incidents shows they are one: absorb the others into the oldest."""
        touched: set[str] = set()
        for target, home in zip(joined, homes):
            group = [i for i in {self._survivor(i) for _, i in home} | {self._survivor(target)}
                     if self.s.incidents.get(i, {}).get("status") == "active"]
            group.sort(key=lambda i: (self.s.incidents[i]["first_seen"], i))
            for absorbed in group[1:]:
                self._absorb(group[0], absorbed, now)
                touched |= {group[0], absorbed}
        return touched

    def _absorb(self, survivor_id: str, absorbed_id: str, now: float) -> None:
        survivor, absorbed = self.s.incidents[survivor_id], self.s.incidents[absorbed_id]
        moved = {_report_key(r) for r in absorbed["reports"]}
        reports = [r for r in survivor["reports"] if _report_key(r) not in moved] + absorbed["reports"]
        self._store({**survivor, "reports": reports, "first_seen": min(survivor["first_seen"], absorbed["first_seen"]),
                     "joined_at": max(survivor.get("joined_at", 0), absorbed.get("joined_at", 0))})
        self._retire(absorbed, now, status="merged", merged_into=survivor_id)
        for report in absorbed["reports"]:
            key = f"{absorbed['bucket']}|{report['article_id']}"
            record = self.s.articles.get(key)
            if record:
                ids = [survivor_id if i == absorbed_id else i for i in record["incidents"]]
                self.s.articles[key] = {**record, "incidents": list(dict.fromkeys(ids))}

    def _retire(self, incident: dict, now: float, *, status: str, merged_into: str | None = None) -> None:
        self.s.incidents[incident["id"]] = {**incident, "status": status, "merged_into": merged_into,
                                            "closes_at": now + self.tombstone_after}
        state = self._bucket(incident["bucket"])
        pending = [p for p in state["pending"] if p[0] != incident["id"]]
        self.s.buckets[incident["bucket"]] = {**state, "pending": [*pending, [incident["id"], now + self.tombstone_after]]}

    def _survivor(self, incident_id_: str) -> str:
        seen = set()
        while True:
            incident = self.s.incidents.get(incident_id_)
            if not incident or not incident["merged_into"] or incident_id_ in seen:
                return incident_id_
            seen.add(incident_id_)
            incident_id_ = incident["merged_into"]

    # --- publishing --------------------------------------------------------------------------

    def _settle(self, incident_id_: str, now: float) -> Update | None:
        """The incident's record if it changed (a new revision), or as it was (a replay re-publishes it)."""
        incident = self.s.incidents.get(incident_id_)
        if incident is None:
            return None
        if incident["status"] == "active" and not incident["reports"]:
            self._retire(incident, now, status="withdrawn")
            incident = self.s.incidents[incident_id_]
        content = hashlib.blake2b(orjson.dumps(incident_record(incident, self.extractor_version, content_only=True),
                                               option=orjson.OPT_SORT_KEYS), digest_size=16).hexdigest()
        if content != incident["published"]:
            last_seen = max([r["seen_at"] for r in incident["reports"]], default=incident["last_seen"])
            incident = {**incident, "revision": incident["revision"] + 1, "last_seen": last_seen, "published": content}
            self.s.incidents[incident_id_] = incident
        return incident_id_, incident_record(incident, self.extractor_version)

    # --- time: the window and the tombstones ---------------------------------------------------

    def _advance(self, bucket: str, candidates: list[dict], now: float) -> None:
        """Move the bucket's newest event day, never past tomorrow (a forged date cannot close everything)."""
        tomorrow = (datetime.fromtimestamp(now, timezone.utc).date() + timedelta(days=1)).isoformat()
        ends = [min(c["time"]["end"], tomorrow) for c in candidates if c["time"]]
        state = self._bucket(bucket)
        if ends and (state["watermark"] is None or max(ends) > state["watermark"]):
            self.s.buckets[bucket] = {**state, "watermark": max(ends)}

    def sweep(self, bucket: str, now: float) -> list[Update]:
        """Tombstones that are due, and incidents closed by the window leaving the state."""
        state = self._bucket(bucket)
        updates: list[Update] = []
        due = [p for p in state["pending"] if p[1] <= now]
        for incident_id_, _ in due:
            self._forget(incident_id_)
            updates.append((incident_id_, None))
        weeks = state["weeks"]
        if state["watermark"]:
            horizon = date.fromisoformat(state["watermark"]) - timedelta(days=self.window_days)
            recent = state.get("arrivals", 0) - 1 - self.idle_articles  # the article being applied is not one
            old = [w for w in weeks if _week_end(w.split("|")[1]) < horizon]
            for key in old:
                kept = [i for i in self.s.index.get(key, []) if self._close_or_keep(i, horizon, recent)]
                if kept:
                    self.s.index[key] = kept
                else:
                    self.s.index.pop(key, None)
            weeks = [w for w in weeks if w not in old or w in self.s.index]
        if due or weeks != state["weeks"]:
            pending = [p for p in state["pending"] if p[1] > now]
            self.s.buckets[bucket] = {**self._bucket(bucket), "pending": pending, "weeks": weeks}
        return updates

    def _close_or_keep(self, incident_id_: str, horizon: date, recent: int) -> bool:
        """Close the incident if its time ended before ``horizon``, unless an article joined it since ``recent``
        (a bucket arrival count): then it stays, indexed under the old week too (True)."""
        incident = self.s.incidents.get(incident_id_)
        if incident is None or incident["status"] != "active":
            return False
        if incident.get("joined_at", 0) > recent:
            return True
        time = incident["profile"]["time"]
        if time is None or date.fromisoformat(time["end"]) < horizon:
            self._forget(incident_id_)
        return False

    def _forget(self, incident_id_: str) -> None:
        incident = self.s.incidents.pop(incident_id_, None)
        if incident is None:
            return
        for report in incident["reports"]:
            key = f"{incident['bucket']}|{report['article_id']}"
            record = self.s.articles.get(key)
            if record:
                ids = [i for i in record["incidents"] if i != incident_id_]
                if ids:
                    self.s.articles[key] = {**record, "incidents": ids}
                else:
                    del self.s.articles[key]

    def active(self) -> list[dict]:
        """Every incident still in the state and not absorbed or withdrawn (``stream extract`` prints them)."""
        return [i for i in self.s.incidents.values() if i["status"] == "active"]


def _distinctive(features: dict) -> tuple[str, ...]:
    return (*features["names"], *features["terms"])


def _report_key(report: dict) -> tuple[str, int]:
    return report["article_id"], report["index"]


def _first_published(incident: dict) -> str:
    days = [r["published_at"][:10] for r in incident["reports"] if r["published_at"]]
    return min(days) if days else "1970-01-01"


def _week_end(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 7)
