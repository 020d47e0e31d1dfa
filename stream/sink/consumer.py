"""``stream sink``: the Kafka side. A consumer group of its own reads the event topics and hands batches to the
store; where it starts on each partition is the offset stored in the database, never Kafka's."""

from __future__ import annotations

import asyncio
import logging
import time

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from stream.kafka_io import client_kwargs
from stream.settings import Settings
from stream.sink.store import Counts, DatabaseUnavailable, KafkaRecord, Store, topics_read

log = logging.getLogger(__name__)
REPORT_EVERY = 10.0  # seconds between progress lines


class _SeekToStored(ConsumerRebalanceListener):
    """On each assignment, seek every partition to the offset the database holds (its start if none)."""

    def __init__(self, consumer: AIOKafkaConsumer, store: Store):
        self.consumer = consumer
        self.store = store

    async def on_partitions_revoked(self, revoked) -> None:
        return None

    async def on_partitions_assigned(self, assigned) -> None:
        stored = await _with_database(self.store, self.store.offsets)
        for tp in assigned:
            if (tp.topic, tp.partition) in stored:
                self.consumer.seek(tp, stored[tp.topic, tp.partition])
            else:
                await self.consumer.seek_to_beginning(tp)
        log.info("assigned %d partition(s); resuming from the database's offsets", len(assigned))


async def _with_database(store: Store, call, *args, max_delay: float = 30.0):
    """Run a database call in a thread; while the database is unavailable, say so once per try and retry the
    same call with back-off (nothing is lost: the offsets are only ever stored with the rows)."""
    delay, failed_since = 1.0, None
    while True:
        try:
            if store.conn is None:
                await asyncio.to_thread(store.open)
            result = await asyncio.to_thread(call, *args)
        except DatabaseUnavailable as exc:
            store.close()
            failed_since = failed_since or time.monotonic()
            log.warning("database unavailable (%s): the sink waits and retries in %.0fs; nothing is skipped",
                        exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
            continue
        if failed_since is not None:
            log.warning("database answers again after %.1fs; the sink goes on", time.monotonic() - failed_since)
        return result


async def run_sink(settings: Settings, broker: str, store: Store, *, group: str, batch: int,
                   stop: asyncio.Event, idle_exit: float | None = None) -> Counts:
    """Consume until ``stop`` is set (or, with ``idle_exit``, after that many seconds with nothing new)."""
    names = [settings.topic(t) for t in topics_read()]
    await _with_database(store, lambda: None)  # tables created or migrated before anything is read
    consumer = AIOKafkaConsumer(group_id=group, enable_auto_commit=False, auto_offset_reset="earliest",
                                max_partition_fetch_bytes=settings.max_message_bytes,
                                fetch_max_bytes=settings.max_message_bytes,  # what a fetch may hold in memory
                                **client_kwargs(settings, broker))
    consumer.subscribe(names, listener=_SeekToStored(consumer, store))
    await consumer.start()
    total, reported, idle_since = Counts(), time.monotonic(), time.monotonic()
    try:
        while not stop.is_set():
            fetched = await consumer.getmany(timeout_ms=500, max_records=batch)
            records = [KafkaRecord(tp.topic.removeprefix(settings.topic_prefix), r.partition, r.offset, r.key, r.value)
                       for tp, recs in fetched.items() for r in recs]
            if not records:
                if idle_exit is not None and time.monotonic() - idle_since > idle_exit:
                    break
                continue
            idle_since = time.monotonic()
            total.add(await _with_database(store, store.write, records))
            await _commit_to_kafka(consumer, fetched)
            if time.monotonic() - reported > REPORT_EVERY:
                reported = time.monotonic()
                log.info("sink: %s", describe(total))
    finally:
        await consumer.stop()
        log.info("sink stopped: %s", describe(total))
    return total


async def _commit_to_kafka(consumer: AIOKafkaConsumer, fetched: dict) -> None:
    """Also commit to Kafka, for lag monitoring only: the database's offsets are the ones the sink resumes from."""
    offsets = {tp: recs[-1].offset + 1 for tp, recs in fetched.items() if recs}
    try:
        await consumer.commit({TopicPartition(tp.topic, tp.partition): o for tp, o in offsets.items()})
    except Exception as exc:  # a rebalance in between: harmless, the database holds the truth
        log.info("offsets not committed to Kafka (%s); the database has them", type(exc).__name__)


def describe(counts: Counts) -> str:
    written = ", ".join(f"{table} {n}" for table, n in sorted(counts.written.items())) or "nothing"
    return (f"written {written}; {counts.stale} older revision(s) skipped, {counts.replayed} replayed record(s) "
            f"skipped, {counts.rejected} set aside in sink_rejects")
