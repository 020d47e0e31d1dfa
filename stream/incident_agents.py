"""Faust wiring of the incident stage (``stream.incidents`` does the work):

    articles.processed ──► route ──► incidents.candidates ──► cluster ──► events.incidents
     (by article id)    candidates    (by bucket: country)   tables      (by incident id, compacted)

Both agents acknowledge an input only after everything it produced is acknowledged by the
broker, like the others. The clustering state is in Faust tables written in the partition
of the bucket being processed, so a bucket's incidents and its candidates always live on
one worker, and a restarted or new worker recovers them from the changelogs. A timer sends
each bucket with due tombstones a tick through the same topic, so the tombstones too are
decided in the bucket's partition.
"""

from __future__ import annotations

import logging
import time

import faust

from stream import topics
from stream.agents import _dead_letter_item, batches, runtime, send_all
from stream.app import SETTINGS, app, output_topics
from stream.incidents.candidates import candidates
from stream.incidents.clustering import Clusterer, Stores, Update
from stream.incidents.routing import bucket_of, route
from stream.ingest.reasons import Reason, Rejected
from stream.publish import SCHEMA_VERSION
from stream.schemas import validator

log = logging.getLogger("stream.incidents")

_SCHEMA = faust.Schema(key_serializer="utf8", value_serializer="orjson")


def _table(name: str, **options) -> faust.Table:
    return app.Table(name, default=None, schema=_SCHEMA, partitions=SETTINGS.partitions, **options)


# Keyed like articles.processed (article id), through the same partitioner.
routes_table = _table("incident-routes", use_partitioner=True)
# Keyed by incident id, "bucket|week", "bucket|article", bucket: written in the bucket's partition.
incidents_table = _table("incidents")
index_table = _table("incident-index")
articles_table = _table("incident-articles")
buckets_table = _table("incident-buckets")

clusterer = Clusterer(Stores(incidents_table, index_table, articles_table, buckets_table),
                      window_days=SETTINGS.incident_window_days, idle_articles=SETTINGS.incident_idle_articles,
                      tombstone_after=SETTINGS.incident_tombstone_after,
                      extractor_version=runtime.extractor_version)
_check_candidates = validator("incident_candidates.json")
_check_incident = validator("incident.json")


def _failure(event, error: Exception, what: str) -> tuple[str, bytes | None, dict]:
    log.exception("the incident stage failed on %s", what)
    article_id = (event.value or {}).get("article_id") if isinstance(event.value, dict) else None
    rejected = Rejected(Reason.ANALYSIS_FAILED,
                        f"the incident stage raised {type(error).__name__} on {what} (see the worker log); the "
                        "input is kept here so it can be replayed once the bug is fixed", article_id)
    return _dead_letter_item(rejected, event, "incidents")


def candidate_messages(processed: dict) -> list[tuple[str, bytes, dict]]:
    """The ``incidents.candidates`` items of one processed article (its old buckets withdrawn)."""
    article_id = processed["article_id"]
    previous = routes_table.get(article_id) or {"revision": 0, "buckets": []}
    if previous["revision"] > processed["revision"]:
        return []  # an older revision replayed after a newer one
    found = candidates(processed, SETTINGS.incident_undated_days)
    messages = route(article_id, processed["revision"], found, previous["buckets"])
    for message in messages:
        _check_candidates(message)
    lead = [bucket_of(found[0])] if found else []
    buckets = list(dict.fromkeys(lead + [m["bucket"] for m in messages if m["candidates"]]))
    routes_table[article_id] = {"revision": processed["revision"], "buckets": buckets}
    return [(topics.INCIDENT_CANDIDATES, m["bucket"].encode(), m) for m in messages]


@app.agent(output_topics[topics.PROCESSED], concurrency=1)
async def route_incidents(stream) -> None:
    """articles.processed -> each article's incident candidates, re-keyed by bucket. What is waiting is
    taken together (``batches``): the broker's acknowledgement is awaited once per batch."""
    manual = stream.noack()
    async for events in batches(manual.events(), SETTINGS.batch_size):
        items = []
        for event in events:
            try:
                items += candidate_messages(event.value)
            except Exception as error:  # noqa: BLE001 - a bug here must not stall the stage
                items.append(_failure(event, error, f"processed article {event.message.key!r}"))
        await send_all(items)
        for event in events:
            await manual.ack(event)


@app.agent(output_topics[topics.INCIDENT_CANDIDATES], concurrency=1)
async def cluster_incidents(stream) -> None:
    """incidents.candidates -> incidents joined, merged, revised and deleted on events.incidents; a batch
    of what is waiting at a time, each message in turn, acknowledged once its batch's output is."""
    manual = stream.noack()
    async for events in batches(manual.events(), SETTINGS.batch_size):
        items, updates = [], []
        for event in events:
            # The clustering tables write to the changelog partition of the event being handled, which
            # Faust knows only for the event its iteration gave last.
            manual._set_current_event(event)
            event_items, event_updates = _cluster(event)
            items += event_items
            updates += event_updates
        await send_all(items)
        runtime.incidents.update(updates)
        for event in events:
            await manual.ack(event)


def _cluster(event) -> tuple[list, list[Update]]:
    """One candidates message (or tombstone tick) through the clusterer: (items to send, updates)."""
    message, now = event.value, time.time()
    try:
        if message.get("tick"):
            updates = clusterer.sweep(message["bucket"], now)
        else:
            updates = clusterer.apply(message["bucket"], message["article_id"], message["revision"],
                                      message["candidates"], now)
        items = [_incident_item(update) for update in updates]
    except Exception as error:  # noqa: BLE001
        return [_failure(event, error, f"candidates of bucket {event.message.key!r}")], []
    if updates:  # one line per article would drown the batch lines at the info level
        log.log(logging.INFO if message.get("tick") else logging.DEBUG, "bucket %s: %d incident update(s)%s",
                message["bucket"], len(updates),
                f" for article {message['article_id']}" if "article_id" in message else " (tombstones)")
    return items, updates


def _incident_item(update: Update) -> tuple[str, bytes, dict | None]:
    incident_id, record = update
    if record is not None and SETTINGS.validate_output:
        _check_incident(record)
    return topics.INCIDENTS, incident_id.encode(), record


@app.timer(interval=SETTINGS.incident_sweep_seconds)
async def tombstone_ticks() -> None:
    """A tick to every bucket of this worker with a tombstone due."""
    now = time.time()
    due = [bucket for bucket, state in list(buckets_table.items())
           if state and any(at <= now for _, at in state["pending"])]
    if due:
        await send_all([(topics.INCIDENT_CANDIDATES, bucket.encode(),
                         {"schema_version": SCHEMA_VERSION, "bucket": bucket, "tick": True}) for bucket in due])
