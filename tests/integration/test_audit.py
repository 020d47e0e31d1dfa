"""`stream audit` on a real broker: every raw record processed or dead-lettered, or reported (and re-submitted)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from stream import topics
from stream.kafka_io import bootstrap_servers
from tests.integration.faults import FAST_FAILOVER, account, articles

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def audit(pipe, *args: str) -> tuple[int, dict]:
    env = {**os.environ, **pipe.env}
    done = subprocess.run([sys.executable, "-m", "stream.cli", "audit", "--json", *args], env=env,
                          capture_output=True, timeout=120)
    assert done.stderr.count(b"Traceback") == 0, done.stderr.decode()
    return done.returncode, orjson.loads(done.stdout)


def unaccounted(report: dict, status: str) -> set[str]:
    return {u["article_id"] for p in report["partitions"] for u in p["unaccounted"] if u["status"] == status}


def commit_past_everything(pipe) -> None:
    """What a loss looks like to Kafka: the group's offsets moved past records nobody processed."""
    async def commit():
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(pipe.url), group_id=pipe.settings().faust_id,
                                    enable_auto_commit=False)
        await consumer.start()
        try:
            raw = pipe.topic(topics.RAW)
            tps = [TopicPartition(raw, p) for p in consumer.partitions_for_topic(raw) or (0, 1)]
            consumer.assign(tps)
            await consumer.commit(await consumer.end_offsets(tps))
        finally:
            await consumer.stop()
    asyncio.run(commit())


def test_audit_accounts_for_every_record_and_reports_those_sent_after_the_worker_stopped(pipeline):
    sent = articles("audited", 40, bad_every=10)
    asyncio.run(pipeline.produce(list(sent.values()), keys=[k.encode() for k in sent]))
    worker = pipeline.start_worker(**FAST_FAILOVER)
    asyncio.run(account(pipeline, sent))
    status, report = audit(pipeline)
    assert status == 0, report["totals"]
    assert report["totals"] == {"records": 40, "processed": 36, "dead_lettered": 4, "lost": 0, "pending": 0}

    worker.stop()
    late = articles("late", 6)
    asyncio.run(pipeline.produce(list(late.values()), keys=[k.encode() for k in late]))
    status, report = audit(pipeline)
    assert status == 1
    assert report["totals"]["pending"] == 6 and report["totals"]["lost"] == 0
    assert unaccounted(report, "pending") == set(late)
    assert audit(pipeline, "--pending-ok")[0] == 0
    only_first = audit(pipeline, "--partition", "0")[1]
    assert {p["partition"] for p in only_first["partitions"]} == {0}


def test_audit_reports_lost_records_and_resubmits_them(pipeline):
    sent = articles("lost", 12)
    asyncio.run(pipeline.produce(list(sent.values()), keys=[k.encode() for k in sent]))
    commit_past_everything(pipeline)  # no worker ever saw them
    status, report = audit(pipeline, "--resubmit")
    assert status == 1 and report["totals"]["lost"] == 12
    assert unaccounted(report, "lost") == set(sent)

    pipeline.start_worker(**FAST_FAILOVER)  # reads only the re-submitted copies (the group is past the originals)
    tally = asyncio.run(account(pipeline, sent))
    assert tally.lost == 0 and tally.processed == 12
    status, report = audit(pipeline)
    assert status == 0 and report["totals"]["processed"] == 24  # originals and copies, one article id each
