"""New topics serve offset requests as soon as `ensure_topics` returns: a healthy start logs no error line."""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from stream import settings as settings_module
from stream.kafka_io import bootstrap_servers, ensure_topics

pytestmark = pytest.mark.integration


def test_topics_created_answer_offset_requests_without_errors(kafka, caplog):
    settings = settings_module.load({"STREAM_BROKER": kafka, "STREAM_TOPIC_PREFIX": f"t{uuid.uuid4().hex[:10]}.",
                                     "STREAM_PARTITIONS": "8"})

    async def create_then_read() -> int:
        created = await ensure_topics(settings, kafka)
        consumer = AIOKafkaConsumer(*created, bootstrap_servers=bootstrap_servers(kafka), group_id=None)
        await consumer.start()
        try:
            while not all(consumer.partitions_for_topic(t) for t in created):
                await asyncio.sleep(0.1)
            tps = [TopicPartition(t, p) for t in created for p in consumer.partitions_for_topic(t)]
            await consumer.end_offsets(tps)
            return len(tps)
        finally:
            await consumer.stop()

    with caplog.at_level(logging.INFO, logger="aiokafka"):
        partitions = asyncio.run(create_then_read())
    assert partitions > 8 * 10  # every topic of the plan, Faust's changelogs included
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[:3]
