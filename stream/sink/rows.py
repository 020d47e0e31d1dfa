"""Kafka records to table rows: pure, no Kafka, no database.

``parse`` turns one record of a topic the sink reads into an ``Upsert``, a ``Retire`` (a retraction, a merged
or withdrawn incident, a tombstone) or a ``Reject`` (bytes that are not JSON, a value that fails its schema).
``decide`` applies the ordering rule to what a table holds for the key: an older revision never overwrites a
newer one, and a replay of the same revision changes nothing but is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from stream import topics
from stream.analysis.pipeline import SCHEMA_VERSION
from stream.schemas import SchemaError, validator

ARTICLES, CASUALTIES, ATTACKS, INCIDENTS = "articles", "casualties", "attacks", "incidents"
TABLE_OF_TOPIC = {topics.PROCESSED: ARTICLES, topics.CASUALTIES: CASUALTIES, topics.ATTACKS: ATTACKS,
                  topics.INCIDENTS: INCIDENTS}
KEY_FIELD = {ARTICLES: "article_id", CASUALTIES: "event_id", ATTACKS: "event_id", INCIDENTS: "incident_id"}
# Parts of an articles.processed message the articles table leaves out: its events have tables of their own,
# and sentences, entities and text can be read from the topic.
_ARTICLE_HEAVY = ("sentences", "entities", "casualties", "attacks", "text")


@dataclass(frozen=True)
class Upsert:
    table: str
    key: str
    revision: int
    row: dict  # column -> value, ``record`` (the JSON kept whole) included


@dataclass(frozen=True)
class Retire:
    """The key is no longer current: a retraction (``reason`` revised/withdrawn), an incident merged or
    withdrawn (``row``: its last record, kept in mark mode) or a tombstone (``revision`` None)."""
    table: str
    key: str
    revision: int | None
    reason: str
    row: dict | None = None


@dataclass(frozen=True)
class Reject:
    reason: str


Action = Upsert | Retire | Reject


@dataclass(frozen=True)
class State:
    """What a table holds for a key: the revision of its row (``live``) or of its retirement."""
    revision: int
    live: bool


def parse(topic: str, key: bytes | None, value: bytes | None) -> Action:
    """The action one record of ``topic`` (unprefixed) asks for."""
    table = TABLE_OF_TOPIC.get(topic)
    if table is None:
        return Reject(f"not a topic the sink reads: {topic}")
    if value is None:
        if table != INCIDENTS or not key:
            return Reject(f"a null value (tombstone) on {topic}, which has none" if table != INCIDENTS
                          else "a tombstone without a key")
        return Retire(INCIDENTS, key.decode("utf-8", "replace"), None, "tombstone")
    try:
        message = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        return Reject(f"not JSON: {exc}")
    if not isinstance(message, dict):
        return Reject(f"not a JSON object but {type(message).__name__}")
    problem = schema_problem(topic, message)
    if problem:
        return Reject(problem)
    if table == INCIDENTS and key is not None and key.decode("utf-8", "replace") != message["incident_id"]:
        return Reject(f"key {key!r} is not the incident id {message['incident_id']!r}")
    return _action(table, message)


def schema_problem(topic: str, message: dict) -> str | None:
    """Why ``message`` fails its topic's schema, or None. A message of a newer minor schema version (new optional
    fields, new enum values) is accepted when the fields the tables need are there: its JSON is kept whole."""
    try:
        validator(topics.BY_NAME[topic].schema)(message)
        return None
    except SchemaError as exc:
        if _newer_minor(message.get("schema_version")) and _has_keys(TABLE_OF_TOPIC[topic], message):
            return None
        return str(exc)


def _newer_minor(version: object) -> bool:
    ours = [int(p) for p in SCHEMA_VERSION.split(".")]
    parts = version.split(".") if isinstance(version, str) else []
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return False
    return int(parts[0]) == ours[0] and int(parts[1]) > ours[1]


def _has_keys(table: str, message: dict) -> bool:
    return isinstance(message.get(KEY_FIELD[table]), str) and isinstance(message.get("revision"), int)


def _action(table: str, message: dict) -> Action:
    key = message[KEY_FIELD[table]]
    if table in (CASUALTIES, ATTACKS) and message.get("retracted"):
        return Retire(table, key, message["revision"], message.get("reason") or "revised")
    row = COLUMNS_OF[table](message)
    if table == INCIDENTS and message["status"] != "active":
        return Retire(table, key, message["revision"], message["status"], row)
    return Upsert(table, key, message["revision"], row)


def decide(state: State | None, action: Upsert | Retire) -> bool:
    """Whether ``action`` is applied over what the table holds for its key.

    A tombstone always applies (the incident is gone; its id may start a new incident later). Otherwise a
    higher revision applies; at an equal revision a replay of the same kind applies again (same content), and
    a row never comes back over the retirement of its own revision."""
    if state is None or action.revision is None:
        return True
    if action.revision != state.revision:
        return action.revision > state.revision
    return isinstance(action, Retire) or state.live


def _get(message: dict, *path: str):
    for part in path:
        if not isinstance(message, dict):
            return None
        message = message.get(part)
    return message


def _json(value) -> str:
    return orjson.dumps(value).decode()


def _claim_columns(m: dict) -> dict:
    return {
        "article_id": m["article_id"], "revision": m["revision"], "extractor_version": m["extractor_version"],
        "certainty": m.get("certainty"), "date": _get(m, "time", "date"), "date_end": _get(m, "time", "date_end"),
        "time_precision": _get(m, "time", "precision"), "place": _get(m, "location", "text"),
        "country_code": _get(m, "location", "country_code"), "latitude": _get(m, "location", "latitude"),
        "longitude": _get(m, "location", "longitude"), "geo_resolution": _get(m, "location", "resolution"),
        "attribution": _get(m, "attribution", "text"), "evidence": _get(m, "evidence", "text"),
        "historical": m.get("historical"), "background": m.get("background"),
    }


def casualty_columns(m: dict) -> dict:
    return {
        "event_id": m["event_id"], **_claim_columns(m), "status": m.get("status"),
        "count_best": _get(m, "count", "best"), "count_min": _get(m, "count", "min"),
        "count_max": _get(m, "count", "max"), "count_text": _get(m, "count", "text"),
        "victims_kind": _get(m, "victims", "kind"), "perpetrator": _get(m, "perpetrator", "canonical")
        or _get(m, "perpetrator", "text"), "counted": m.get("counted"),
        "not_counted_reason": m.get("not_counted_reason"), "record": _json(m),
    }


def attack_columns(m: dict) -> dict:
    return {
        "event_id": m["event_id"], **_claim_columns(m), "attack_type": m.get("attack_type"),
        "actor": _get(m, "actor", "canonical") or _get(m, "actor", "text"),
        "claimed_by": _get(m, "claimed_by", "canonical") or _get(m, "claimed_by", "text"),
        "target": _get(m, "target", "text"), "weapon": _get(m, "weapon", "text"), "record": _json(m),
    }


def article_columns(m: dict) -> dict:
    totals = m.get("totals") or {}
    return {
        "article_id": m["article_id"], "revision": m["revision"], "extractor_version": m["extractor_version"],
        "content_hash": m.get("content_hash"), "title": m.get("title"), "source": m.get("source"),
        "url": m.get("url"), "published_at": m.get("published_at"), "language": m.get("language"),
        "pubstatus": m.get("pubstatus"), "version": m.get("version"),
        "killed_best": _get(totals, "killed", "best"), "injured_best": _get(totals, "injured", "best"),
        "casualty_claims": len(m.get("casualties") or []), "attack_claims": len(m.get("attacks") or []),
        "record": _json({k: v for k, v in m.items() if k not in _ARTICLE_HEAVY}),
    }


def incident_columns(m: dict) -> dict:
    counts = m.get("counts") or {}
    return {
        "incident_id": m["incident_id"], "revision": m["revision"], "status": m["status"],
        "merged_into": m.get("merged_into"), "bucket": m.get("bucket"), "types": _json(m.get("types") or []),
        "statuses": _json(m.get("statuses") or []), "time_start": _get(m, "time", "start"),
        "time_end": _get(m, "time", "end"), "dated": _get(m, "time", "dated"), "place": _get(m, "place", "text"),
        "country_code": _get(m, "place", "country_code"), "latitude": _get(m, "place", "latitude"),
        "longitude": _get(m, "place", "longitude"), "actors": _json(m.get("actors") or []),
        "killed_best": _get(counts, "killed", "best"), "killed_min": _get(counts, "killed", "min"),
        "killed_max": _get(counts, "killed", "max"), "injured_best": _get(counts, "injured", "best"),
        "reports": len(m.get("sources") or []), "first_seen": m.get("first_seen"), "last_seen": m.get("last_seen"),
        "record": _json(m),
    }


COLUMNS_OF = {ARTICLES: article_columns, CASUALTIES: casualty_columns, ATTACKS: attack_columns,
              INCIDENTS: incident_columns}
