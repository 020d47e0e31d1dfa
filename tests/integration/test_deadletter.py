"""`stream deadletter list|replay` against a real broker and real workers: counts by reason, the original
bytes re-submitted (also those cut to fit, read again from their source), and a second replay that the
worker's ledger skips, so no event is duplicated."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections import Counter

import orjson
import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete

from stream import topics
from stream.kafka_io import read_topic
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CLAIM = "Gunmen killed 12 people in Kaduna on Monday and wounded 3 others, police said."
# 5,000 bytes of body: over the first worker's 4 KB limit (body_too_large), fine once the limit is raised.
LONG = orjson.dumps({"id": "long-1", "published_at": "2024-10-22",
                     "body": CLAIM + " " + "The market reopened after the holiday. " * 125})
# 800 KB, mostly an unknown field: too large for a 4 KB body limit to parse (too_large), and larger than a
# dead letter can carry under a 1 MiB message limit, so its dead letter is cut and replay reads the source.
PADDED = orjson.dumps({"id": "padded-1", "published_at": "2024-10-22", "body": CLAIM, "notes": "n" * 800_000})
GARBAGE = b"\xff\xfe not an article"
BROKEN = {"STREAM_MAX_BODY_BYTES": "4096", "STREAM_MAX_MESSAGE_BYTES": str(1024 * 1024)}


def cli(pipeline, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stream.cli", *args], env={**os.environ, **pipeline.env},
                          capture_output=True, text=True, timeout=120)


def skipped_duplicates(worker) -> int:
    return sum(int(n) for n in re.findall(r"(\d+) duplicate\(s\) skipped", worker.output()))


async def read_raw(pipeline) -> list[tuple[bytes | None, bytes]]:
    return [(r.key, r.value) async for r in read_topic(pipeline.settings(), pipeline.url, pipeline.topic(topics.RAW))]


async def delete_all_records(pipeline, name: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=pipeline.url.removeprefix("kafka://"))
    await admin.start()
    try:
        described = await admin.describe_topics([pipeline.topic(name)])
        partitions = [TopicPartition(pipeline.topic(name), p["partition"]) for p in described[0]["partitions"]]
        await admin.delete_records({tp: RecordsToDelete(-1) for tp in partitions})  # -1: up to the end
    finally:
        await admin.close()


def test_deadletter_list_replay_and_replay_again(pipeline):
    worker = pipeline.start_worker(**BROKEN)
    asyncio.run(pipeline.produce([LONG, PADDED, GARBAGE], [b"long-1", b"padded-1", None]))
    asyncio.run(pipeline.read((topics.DEADLETTER,), until=lambda r: len(r[topics.DEADLETTER]) >= 3))

    listed = cli(pipeline, "deadletter", "list")
    assert listed.returncode == 0, listed.stderr
    assert "3 dead letter(s)" in listed.stdout
    for reason in ("body_too_large", "too_large", "not_utf8"):
        assert re.search(rf"{reason}\s*│\s*1\s*│", listed.stdout), listed.stdout
    chosen = cli(pipeline, "deadletter", "list", "--json", "--reason", "too_large", "--since", "1h")
    [padded] = [orjson.loads(line) for line in chosen.stdout.splitlines()]
    assert padded["article_id"] is None and padded["original"]["truncated"] and padded["stage"] == "ingest"
    assert cli(pipeline, "deadletter", "list", "--json", "--id", "long-1").stdout.count("\n") == 1

    refused = cli(pipeline, "deadletter", "replay")
    assert refused.returncode == 2 and "--all" in refused.stderr  # nothing chosen: nothing sent

    worker.stop()
    fixed = pipeline.start_worker()  # the fix: default limits
    replayed = cli(pipeline, "deadletter", "replay", "--reason", "body_too_large", "--reason", "too_large")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "re-submitted 2 of 2" in replayed.stderr
    out = asyncio.run(pipeline.read((topics.PROCESSED, topics.CASUALTIES),
                                    until=lambda r: len(r[topics.PROCESSED]) >= 2))
    assert sorted(r.value["article_id"] for r in out[topics.PROCESSED]) == ["long-1", "padded-1"]
    raw = Counter(asyncio.run(read_raw(pipeline)))  # the originals, and once more with the same bytes and keys
    assert raw == {(b"long-1", LONG): 2, (b"padded-1", PADDED): 2, (None, GARBAGE): 1}
    events = sorted(r.value["event_id"] for r in out[topics.CASUALTIES])
    assert events

    again = cli(pipeline, "deadletter", "replay", "--reason", "body_too_large", "--reason", "too_large")
    assert again.returncode == 0 and "re-submitted 2 of 2" in again.stderr
    wait_for(lambda: skipped_duplicates(fixed) >= 2, "the worker to skip the replayed duplicates", timeout=90)
    out = asyncio.run(pipeline.read((topics.PROCESSED, topics.CASUALTIES, topics.DEADLETTER),
                                    until=lambda r: len(r[topics.PROCESSED]) >= 2))
    assert len(out[topics.PROCESSED]) == 2  # the second replay published nothing new
    assert sorted(r.value["event_id"] for r in out[topics.CASUALTIES]) == events
    assert len(out[topics.DEADLETTER]) == 3

    asyncio.run(delete_all_records(pipeline, topics.RAW))  # as retention would, in time
    gone = cli(pipeline, "deadletter", "replay", "--reason", "too_large")
    assert gone.returncode == 1
    assert "refused" in gone.stdout and "is gone from" in gone.stdout and "re-submitted 0 of 1" in gone.stderr
