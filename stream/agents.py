"""Faust agents: the wiring from topics to ``stream.process``. No analysis happens here.

Both agents acknowledge an input only after every message it produced is acknowledged
by the broker (``noack`` streams, manual ``ack``), and run with concurrency 1 so
offsets are committed in order (faust-streaming issue #606).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from dataclasses import dataclass, field
from typing import AsyncIterator

from aiokafka.errors import KafkaError

from stream import topics
from stream.analysis.pipeline import extractor_version
from stream.app import SETTINGS, accepted_topic, app, ledger_table, output_topics, raw_topic
from stream.ingest.decode import decode_article, decode_raw, encode_article
from stream.ingest.reasons import Rejected
from stream.nlp_pool import NlpPool
from stream.process import Outcome, Processor
from stream.publish import dead_letter
from stream.revisions import Ledger
from stream.web.events import RecentEvents
from stream.web.incidents import RecentIncidents
from stream.web.metrics import WorkerMetrics

log = logging.getLogger("stream.worker")


class Runtime:
    """What the agents and the web view share: the processor, the pool of NLP processes (each loads the
    model once), metrics and the latest events."""

    def __init__(self) -> None:
        self.pool = NlpPool(SETTINGS.model, processes=SETTINGS.nlp_processes, batch_size=SETTINGS.batch_size,
                            historical_days=SETTINGS.historical_days, time_budget=SETTINGS.article_time_budget,
                            budget_chars=SETTINGS.max_body_bytes)
        self.metrics = WorkerMetrics()
        self.recent = RecentEvents()
        self.incidents = RecentIncidents()
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}"
        self.started_at = time.time()
        self._processor: Processor | None = None
        self._loading = asyncio.Lock()

    async def processor(self) -> Processor:
        async with self._loading:
            if self._processor is None:
                started = time.perf_counter()
                version = await self.pool.start()
                self._processor = Processor(Ledger(ledger_table), extractor_version=version,
                                            max_message_bytes=SETTINGS.max_message_bytes,
                                            validate=SETTINGS.validate_output)
                log.info("model %s ready in %.1fs in %s (extractor %s)", SETTINGS.model,
                         time.perf_counter() - started,
                         f"{self.pool.processes} process(es)" if self.pool.processes else "a thread", version)
        return self._processor

    @property
    def model_loaded(self) -> bool:
        return self._processor is not None

    @property
    def extractor_version(self) -> str:
        return self._processor.extractor_version if self._processor else extractor_version(SETTINGS.model)


runtime = Runtime()


async def send_all(items: list[tuple[str, bytes | None, object]], timestamps: list[float] | None = None) -> None:
    """Send (topic, key, value) items and wait until the broker has acknowledged every one.

    ``timestamps`` (seconds, one per item) are the Kafka timestamps to give them; None: now.

    While the broker cannot take them, retry with backoff rather than crash: nothing is
    acknowledged upstream meanwhile, and a resend repeats identical event ids.
    """
    delay = 1.0
    while True:
        try:
            futures = []
            for (name, key, value), timestamp in zip(items, timestamps or [None] * len(items)):
                topic = accepted_topic if name == topics.ACCEPTED else output_topics[name]
                if value is None:  # a tombstone: a null value, which the topic's codec would write as "null"
                    futures.append(await app.producer.send(topic.get_topic_name(), key, None, partition=None,
                                                           timestamp=timestamp, headers=None))
                else:
                    futures.append(await topic.send(key=key, value=value, timestamp=timestamp))
            await asyncio.gather(*futures)
            return
        except KafkaError as exc:
            log.warning("could not publish %d message(s): %s: %s; retrying in %.0fs", len(items),
                        type(exc).__name__, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


def _source(event) -> dict:
    message = event.message
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset,
            "timestamp": message.timestamp}


def _dead_letter_item(rejected: Rejected, event, stage: str) -> tuple[str, bytes | None, dict]:
    message = dead_letter(rejected, raw=event.message.value, key=event.message.key, source=_source(event),
                          stage=stage, extractor_version=runtime.extractor_version,
                          max_message_bytes=SETTINGS.max_message_bytes)
    runtime.metrics.dead_lettered(rejected.reason.value, stage)
    log.warning("dead-lettered %s offset %s/%s (article %s): %s: %s", event.message.topic, event.message.partition,
                event.message.offset, rejected.article_id, rejected.reason.value, rejected.message)
    key = rejected.article_id.encode() if rejected.article_id else event.message.key
    return topics.DEADLETTER, key, message.value


@app.agent(raw_topic, concurrency=1)
async def ingest(stream) -> None:
    """articles.raw (our JSON, ninjs or NewsML-G2) -> validated and re-keyed by article id on articles.accepted,
    or the dead-letter topic. What is waiting is taken together (``batches``), so the broker's
    acknowledgement is awaited once per batch, not once per article."""
    manual = stream.noack()
    async for events in batches(manual.events(), SETTINGS.batch_size):
        items = []
        for event in events:
            runtime.metrics.consumed()
            try:
                article = decode_raw(event.message.value, event.headers, max_body_bytes=SETTINGS.max_body_bytes)
                items.append((topics.ACCEPTED, article.id.encode(), encode_article(article)))
            except Rejected as rejected:
                items.append(_dead_letter_item(rejected, event, "ingest"))
        # Each article keeps the time it reached articles.raw, so latency is measured from there.
        await send_all(items, timestamps=[event.message.timestamp for event in events])
        for event in events:
            await manual.ack(event)


async def batches(events: AsyncIterator, size: int) -> AsyncIterator[list]:
    """Adaptive batches: whatever is waiting, up to ``size``, without waiting for more.

    An idle worker handles an article the moment it arrives; a busy one takes bigger batches.
    """
    queue: asyncio.Queue = asyncio.Queue(maxsize=size)

    async def pump() -> None:
        async for event in events:
            await queue.put(event)

    pumping = asyncio.ensure_future(pump())
    try:
        while True:
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getter, pumping}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:
                getter.cancel()
                pumping.result()  # re-raises what stopped the stream
                return
            batch = [getter.result()]
            while len(batch) < size and not queue.empty():
                batch.append(queue.get_nowait())
            yield batch
    finally:
        pumping.cancel()


@dataclass
class Batch:
    """A batch on its way: its events, the articles read from them, their analysis (running in the pool)."""

    events: list
    started: float
    items: list = field(default_factory=list)  # dead letters so far
    origin: dict = field(default_factory=dict)  # id(article) -> event
    todo: list = field(default_factory=list)
    duplicates: int = 0
    analysis: asyncio.Future | None = None


@app.agent(accepted_topic, concurrency=1)
async def analyze(stream) -> None:
    """articles.accepted -> sentences, entities, claims and the processed analysis.

    Two batches overlap: while one is published, the next is already in the NLP pool, so the pool
    never waits for the broker. Publishing, ledger decisions and acknowledgements stay in order.
    """
    manual = stream.noack()
    publishing: asyncio.Future | None = None
    try:
        async for events in batches(manual.events(), SETTINGS.batch_size):
            batch = await start_batch(events)
            if publishing is not None:
                await publishing
            publishing = asyncio.ensure_future(finish_batch(batch, manual))
        if publishing is not None:
            await publishing
    finally:
        if publishing is not None and not publishing.done():
            publishing.cancel()  # its events stay unacknowledged: they are read again


async def start_batch(events: list) -> Batch:
    """Read the articles, set exact re-sends aside, and start their analysis in the pool."""
    processor = await runtime.processor()
    batch = Batch(events, time.perf_counter())
    articles = []
    for event in events:
        try:
            article = decode_article(event.message.value, max_body_bytes=SETTINGS.max_body_bytes)
        except Rejected as rejected:
            batch.items.append(_dead_letter_item(rejected, event, "analysis"))
            continue
        articles.append(article)
        batch.origin[id(article)] = event
    batch.todo, dupes = processor.fresh(articles)
    batch.duplicates = len(dupes)
    batch.analysis = asyncio.ensure_future(runtime.pool.analyze(batch.todo))
    return batch


async def finish_batch(batch: Batch, stream) -> None:
    """Decide, publish (articles.processed last), record in the ledger, then acknowledge."""
    processor = await runtime.processor()
    analyses = await batch.analysis
    nlp_seconds = time.perf_counter() - batch.started
    outcomes = processor.outcomes(batch.todo, analyses)
    items = list(batch.items)
    processed: list[tuple[str, bytes, object]] = []
    for outcome in outcomes:
        if outcome.rejected is not None:
            items.append(_dead_letter_item(outcome.rejected, batch.origin[id(outcome.article)], "analysis"))
        elif outcome.messages:
            key = outcome.article.id.encode()
            items += [(m.topic, key, m.value) for m in outcome.messages[:-1]]
            processed.append((topics.PROCESSED, key, outcome.messages[-1].value))
    try:
        await send_all(items)
        await send_all(processed)  # last, so a consumer that sees it knows the rest is out
    except BaseException:
        processor.ledger.discard()
        raise
    processor.ledger.commit()
    for event in batch.events:
        await stream.ack(event)
    done = [o for o in outcomes if o.messages]
    for outcome in done:
        runtime.metrics.published(outcome.processed, produced_at=batch.origin[id(outcome.article)].message.timestamp)
        runtime.recent.add(outcome.processed)
    for outcome in outcomes:
        if outcome.outdated:
            log.info("skipped %r as outdated: %s", outcome.article.id, outcome.why)
    duplicates = batch.duplicates + sum(o.duplicate for o in outcomes)
    runtime.metrics.batch(len(batch.events), nlp_seconds, duplicates)
    _log_batch(done, duplicates, len(batch.events), nlp_seconds, batch.started)


def _log_batch(done: list[Outcome], duplicates: int, received: int, nlp_seconds: float, started: float) -> None:
    casualties = sum(len(o.processed["casualties"]) for o in done)
    attacks = sum(len(o.processed["attacks"]) for o in done)
    log.info("batch of %d: %d processed (%d casualty, %d attack claims), %d duplicate(s) skipped, "
             "%d rejected; nlp %.0f ms, total %.0f ms", received, len(done), casualties, attacks, duplicates,
             received - len(done) - duplicates, nlp_seconds * 1000, (time.perf_counter() - started) * 1000)


@app.task
async def load_model() -> None:
    """Load the model as the worker starts, not on the first article."""
    await runtime.processor()


@app.on_before_shutdown.connect
async def stop_pool(app, **kwargs) -> None:
    runtime.pool.close()
