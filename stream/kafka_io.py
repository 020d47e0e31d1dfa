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
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError, TopicAlreadyExistsError, UnknownTopicOrPartitionError

from stream.settings import Settings
from stream.topic_admin import CHECKED_CONFIG, ExistingTopic, plan

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


class TopicError(RuntimeError):
    """The cluster refused to create a topic; the message gives the broker's reason."""


async def ensure_topics(settings: Settings, broker_url: str) -> list[str]:
    """Create the missing topics of the plan (``stream.topic_admin``); return the names created.

    Idempotent: a topic that exists is left as it is (``stream topics describe`` shows how it differs).
    """
    admin = await _admin(client_kwargs(settings, broker_url))
    try:
        existing = set(await admin.list_topics())
        new = [NewTopic(topic.name, num_partitions=topic.partitions, replication_factor=topic.replication_factor,
                        topic_configs=topic.config)
               for topic in plan(settings) if topic.name not in existing]
        if not new:
            return []
        response = await admin.create_topics(new)
        created, refused = [], []
        for result in response.to_object()["topic_errors"]:
            if result["error_code"] == 0:
                created.append(result["topic"])
            elif result["error_code"] != TopicAlreadyExistsError.errno:  # another worker won the race
                refused.append(f"{result['topic']}: {result['error_message'] or result['error_code']}")
        if created:
            log.info("created topics: %s", ", ".join(created))
            await _wait_for_leaders(admin, created)
            await _wait_for_offsets(settings, broker_url, admin, created)
        if refused:
            raise TopicError("the cluster refused to create topic(s): " + "; ".join(refused))
        return created
    finally:
        await admin.close()


async def describe_topics(settings: Settings, broker_url: str, names: list[str]) -> dict[str, ExistingTopic]:
    """Partitions, replication and configuration of those of ``names`` that exist."""
    admin = await _admin(client_kwargs(settings, broker_url))
    try:
        described = [t for t in await admin.describe_topics(names)
                     if t["error_code"] != UnknownTopicOrPartitionError.errno and t["partitions"]]
        if not described:
            return {}
        configs = await _topic_configs(admin, [t["topic"] for t in described])
    finally:
        await admin.close()
    return {t["topic"]: ExistingTopic(t["topic"], partitions=len(t["partitions"]),
                                      replication_factor=min(len(p["replicas"]) for p in t["partitions"]),
                                      in_sync=min(len(p["isr"]) for p in t["partitions"]),
                                      config=configs.get(t["topic"], {}))
            for t in described}


async def _topic_configs(admin: AIOKafkaAdminClient, names: list[str], timeout: float = 15.0) -> dict[str, dict]:
    """The CHECKED_CONFIG values of each topic. A cluster that has just started can answer a
    resource with an error (its metadata is still loading): asked again until every one answers."""
    wanted = dict.fromkeys(CHECKED_CONFIG)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name, wanted)
                                                  for name in names])
        resources = [r for response in responses for r in response.to_object()["resources"]]
        failed = [f"{r['resource_name']} (error {r['error_code']}: {r['error_message']})"
                  for r in resources if r["error_code"]]
        if not failed:
            return {r["resource_name"]: {e["config_names"]: e["config_value"] for e in r["config_entries"]}
                    for r in resources}
        if asyncio.get_running_loop().time() >= deadline:
            raise KafkaError(f"the cluster did not describe the configuration of {', '.join(failed)}")
        await asyncio.sleep(0.5)


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


async def _wait_for_offsets(settings: Settings, broker_url: str, admin: AIOKafkaAdminClient, names: list[str],
                            timeout: float = 30.0) -> None:
    """New partitions answer offset requests a moment after the metadata names their leader (the leader
    has not taken the partition over yet): until they do, every consumer logs "Failed fetch offsets ...
    NotLeaderForPartitionError". Ask them here, quietly, so that a healthy start prints no error line."""
    tps = [TopicPartition(t["topic"], p["partition"]) for t in await admin.describe_topics(names)
           for p in t["partitions"]]
    consumer = AIOKafkaConsumer(group_id=None, enable_auto_commit=False, request_timeout_ms=int(timeout * 1000),
                                **client_kwargs(settings, broker_url))
    fetcher_log = logging.getLogger("aiokafka.consumer.fetcher")
    level = fetcher_log.level
    fetcher_log.setLevel(logging.CRITICAL)  # its retries while the leaders take over are expected here
    try:
        await consumer.start()
        await asyncio.wait_for(consumer.end_offsets(tps), timeout)
    except (KafkaError, asyncio.TimeoutError) as exc:
        log.warning("new topics' partitions did not answer offset requests within %.0fs: %r", timeout, exc)
    finally:
        fetcher_log.setLevel(level)
        await consumer.stop()


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


async def wait_for_broker(settings: Settings, broker_url: str, say, *, max_delay: float = 30.0) -> None:
    """Return once the cluster answers with its brokers; until then ``say`` why and retry with backoff.

    A worker started before its broker (a machine booting, a cluster restarting) waits: no crash loop.
    """
    delay = 1.0
    while True:
        try:
            admin = await _admin(client_kwargs(settings, broker_url))
            try:
                if (await admin.describe_cluster())["brokers"]:
                    return
                reason = "no broker registered yet"
            finally:
                await admin.close()
        except (KafkaError, OSError) as exc:
            reason = type(exc).__name__
        say(f"broker {bootstrap_servers(broker_url)} unreachable ({reason}), retrying in {delay:.0f}s")
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)


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
            future = await producer.send(topic, value=item.value, key=item.key, headers=getattr(item, "headers", None))
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


class TopicMissing(LookupError):
    """The topic does not exist on the cluster."""


def _reader(settings: Settings, broker: str) -> AIOKafkaConsumer:
    """A consumer that reads partitions it is given, outside any group, with the largest messages."""
    return AIOKafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest",
                            max_partition_fetch_bytes=settings.max_message_bytes,
                            fetch_max_bytes=max(settings.max_message_bytes, 50 * 1024 * 1024),
                            **client_kwargs(settings, broker))


async def _partitions(settings: Settings, broker: str, topic: str) -> list[TopicPartition]:
    admin = await _admin(client_kwargs(settings, broker))
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if described["error_code"] == UnknownTopicOrPartitionError.errno or not described["partitions"]:
        raise TopicMissing(f"topic {topic} does not exist")
    return [TopicPartition(topic, p["partition"]) for p in sorted(described["partitions"], key=lambda p: p["partition"])]


async def read_topic(settings: Settings, broker: str, topic: str, *, partitions: list[int] | None = None,
                     since: float | None = None, until: float | None = None, on_ranges=None):
    """Yield every record of ``topic``, oldest first per partition, up to its end when called; then stop.

    ``partitions``: only these; ``since``/``until``: only records whose Kafka timestamp (seconds) is at or
    after ``since`` and before ``until`` (found with the time index, so the rest is not read);
    ``on_ranges``: called with {partition: (first offset, end offset)} before anything is read.
    """
    tps = await _partitions(settings, broker, topic)
    if partitions is not None:
        unknown = sorted(set(partitions) - {tp.partition for tp in tps})
        if unknown:
            raise TopicMissing(f"topic {topic} has no partition {', '.join(map(str, unknown))} (it has {len(tps)})")
        tps = [tp for tp in tps if tp.partition in partitions]
    consumer = _reader(settings, broker)
    await consumer.start()
    try:
        consumer.assign(tps)
        starts, ends = await _time_range(consumer, tps, since, until)
        if on_ranges is not None:
            on_ranges({tp.partition: (starts[tp], ends[tp]) for tp in tps})
        for tp in tps:
            consumer.seek(tp, starts[tp])
        remaining = {tp for tp in tps if ends[tp] > starts[tp]}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset < ends[tp]:
                        yield record
            # by position, not by the last record: compaction and transaction markers leave gaps
            remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()


async def _time_range(consumer: AIOKafkaConsumer, tps: list[TopicPartition], since: float | None,
                      until: float | None) -> tuple[dict, dict]:
    """Each partition's first offset at or after ``since`` and end before ``until`` (default: the whole log)."""
    starts, ends = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
    log_ends = dict(ends)
    for bound, offsets in ((since, starts), (until, ends)):
        if bound is not None:  # the first record at or after the bound; none: the bound is past the log's end
            found = await consumer.offsets_for_times({tp: int(bound * 1000) for tp in tps})
            offsets.update({tp: found[tp].offset if found.get(tp) is not None else log_ends[tp] for tp in tps})
    return starts, {tp: max(ends[tp], starts[tp]) for tp in tps}


async def fetch_record(settings: Settings, broker: str, topic: str, partition: int, offset: int):
    """The record at ``offset`` of ``topic``/``partition``; None once retention or compaction removed it."""
    tp = TopicPartition(topic, partition)
    if tp not in await _partitions(settings, broker, topic):
        return None
    consumer = _reader(settings, broker)
    await consumer.start()
    try:
        consumer.assign([tp])
        start, end = (await consumer.beginning_offsets([tp]))[tp], (await consumer.end_offsets([tp]))[tp]
        if not start <= offset < end:
            return None
        consumer.seek(tp, offset)
        while await consumer.position(tp) <= offset:
            for record in (await consumer.getmany(tp, timeout_ms=1000, max_records=1)).get(tp, []):
                return record if record.offset == offset else None
        return None
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

    @property
    def servers(self) -> str:
        return self.kwargs["bootstrap_servers"]

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


async def committed_offsets(settings: Settings, broker: str, group: str, topic: str) -> dict[int, int]:
    """The group's committed offset per partition of ``topic``; a partition it has committed nothing on is absent."""
    admin = await _admin(client_kwargs(settings, broker))
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=await _partitions(settings, broker, topic))
    finally:
        await admin.close()
    return {tp.partition: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}
