"""Kafka connection settings, topic administration, producing, tailing and consumer lag (aiokafka).

The only module besides ``stream.agents`` and ``stream.broker`` that talks to Kafka.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from stream.settings import Settings
from stream.topics import TOPICS, TopicSpec

log = logging.getLogger(__name__)


def bootstrap_servers(url: str) -> str:
    """``kafka://h1:9092;kafka://h2:9092`` -> ``h1:9092,h2:9092``."""
    hosts = [part.strip().removeprefix("kafka://") for part in url.replace(",", ";").split(";") if part.strip()]
    return ",".join(hosts)


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if "SSL" not in settings.security_protocol.upper():
        return None
    context = ssl.create_default_context(cafile=settings.ssl_cafile or None)
    if settings.ssl_certfile:
        context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile or None)
    return context


def client_kwargs(settings: Settings, broker_url: str) -> dict:
    """Keyword arguments for any aiokafka client: address plus SASL/SSL."""
    kwargs: dict = {"bootstrap_servers": bootstrap_servers(broker_url)}
    if settings.security_protocol.upper() != "PLAINTEXT":
        kwargs["security_protocol"] = settings.security_protocol.upper()
        kwargs["ssl_context"] = ssl_context(settings)
    if settings.sasl_mechanism:
        kwargs.update(
            sasl_mechanism=settings.sasl_mechanism.upper(),
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=settings.sasl_password,
        )
    return kwargs


async def _admin(kwargs: dict) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(request_timeout_ms=10000, **kwargs)
    await admin.start()
    return admin


async def ensure_topics(settings: Settings, broker_url: str, specs: tuple[TopicSpec, ...] = TOPICS) -> list[str]:
    """Create the missing topics with their settings; return the names created. Idempotent."""
    admin = await _admin(client_kwargs(settings, broker_url))
    try:
        existing = set(await admin.list_topics())
        min_isr = 1 if settings.replication_factor == 1 else 2
        new = [
            NewTopic(
                settings.topic(spec.name),
                num_partitions=settings.partitions,
                replication_factor=settings.replication_factor,
                topic_configs=spec.config(settings.max_message_bytes, min_isr),
            )
            for spec in specs
            if settings.topic(spec.name) not in existing
        ]
        created = []
        for topic in new:
            try:
                await admin.create_topics([topic])
                created.append(topic.name)
            except TopicAlreadyExistsError:  # another worker won the race
                pass
        if created:
            log.info("created topics: %s", ", ".join(created))
            await _wait_for_leaders(admin, created)
        return created
    finally:
        await admin.close()


async def _wait_for_leaders(admin: AIOKafkaAdminClient, names: list[str], timeout: float = 30.0) -> None:
    """New topics are usable once every partition has a leader; clients started earlier would warn."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        described = await admin.describe_topics(names)
        if all(t["error_code"] == 0 and t["partitions"] and all(p["leader"] >= 0 for p in t["partitions"])
               for t in described):
            return
        await asyncio.sleep(0.1)
    log.warning("topics %s have no leader after %.0fs", ", ".join(names), timeout)


async def _node_ids(bootstrap: str) -> set[int]:
    admin = await _admin({"bootstrap_servers": bootstrap})
    try:
        cluster = await admin.describe_cluster()
        return {b["node_id"] for b in cluster["brokers"]}
    finally:
        await admin.close()


def cluster_node_ids(bootstrap: str) -> set[int]:
    """Ids of the brokers a cluster reports (raises while it is not reachable)."""
    return asyncio.run(asyncio.wait_for(_node_ids(bootstrap), timeout=15))


async def produce(settings: Settings, broker: str, topic: str, items, on_sent=None) -> int:
    """Send raw items (with ``key`` and ``value`` bytes) with acks=all; return how many were acknowledged."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(
        acks="all",
        enable_idempotence=True,
        max_request_size=settings.max_message_bytes,
        linger_ms=5,
        **client_kwargs(settings, broker),
    )
    await producer.start()
    try:
        pending = []
        for item in items:
            future = await producer.send(topic, value=item.value, key=item.key)
            if on_sent is not None:
                future.add_done_callback(lambda _f: on_sent())
            pending.append(future)
        await asyncio.gather(*pending)
        return len(pending)
    finally:
        await producer.stop()


async def consume(settings: Settings, broker: str, topic_names: list[str], *, from_beginning: bool):
    """Yield records of the topics (all partitions, no consumer group) until cancelled."""
    consumer = AIOKafkaConsumer(
        *topic_names,
        group_id=None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=settings.max_message_bytes,
        fetch_max_bytes=max(settings.max_message_bytes, 50 * 1024 * 1024),
        **client_kwargs(settings, broker),
    )
    await consumer.start()
    try:
        async for record in consumer:
            yield record
    finally:
        await consumer.stop()


@dataclass(frozen=True)
class PartitionOffsets:
    topic: str
    partition: int
    committed: int  # the group's committed offset; the first offset while it has committed none
    end: int

    @property
    def lag(self) -> int:
        return max(self.end - self.committed, 0)


class GroupOffsetReader:
    """A consumer group's committed offsets and its topics' end offsets, as Kafka reports them (lag).

    Keeps an admin client and a group-less consumer open between reads; after a failed read
    both are closed and the next read connects anew.
    """

    def __init__(self, settings: Settings, broker_url: str, group: str, topic_names: list[str]) -> None:
        self.kwargs = client_kwargs(settings, broker_url)
        self.group = group
        self.topic_names = topic_names
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None

    async def read(self) -> list[PartitionOffsets]:
        try:
            admin, consumer = await self._clients()
            described = await admin.describe_topics(self.topic_names)
            partitions = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]]
            committed = {tp: meta.offset for tp, meta in
                         (await admin.list_consumer_group_offsets(self.group, partitions=partitions)).items()
                         if meta.offset >= 0}
            ends = await consumer.end_offsets(partitions)
            unset = [tp for tp in partitions if tp not in committed]
            starts = await consumer.beginning_offsets(unset) if unset else {}
        except BaseException:
            await self.close()
            raise
        return [PartitionOffsets(tp.topic, tp.partition, committed.get(tp, starts.get(tp, 0)), ends[tp])
                for tp in sorted(partitions)]

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            self._admin = await _admin(self.kwargs)
        if self._consumer is None:
            self._consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False, **self.kwargs)
            await self._consumer.start()
        return self._admin, self._consumer

    async def close(self) -> None:
        admin, consumer, self._admin, self._consumer = self._admin, self._consumer, None, None
        if admin is not None:
            await admin.close()
        if consumer is not None:
            await consumer.stop()
