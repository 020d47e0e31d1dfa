"""Scale-out on the local three-broker cluster (replication factor 3, min.insync.replicas 2).

Worker processes of one consumer group (one NLP process each) share 1,000 short articles:
two, then three, then two that get a third mid-run and lose one mid-run. Each run must end
with every article processed, every worker having held partitions and processed some, and
exactly the distinct event ids that `stream extract` (one process, same code) finds in the
same articles. Copies of an event after a rebalance are allowed, and counted.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from stream import settings as settings_module
from stream import topics
from stream.broker.local import LocalCluster
from stream.kafka_io import bootstrap_servers
from stream.topic_admin import plan
from tests.integration.conftest import Pipeline, Worker, wait_for
from tests.integration.faults import account, articles, assigned_inputs, get

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(600)]

ARTICLES = 1000
PARTITIONS = 6  # two workers hold 3 of each input topic, three hold 2
INPUTS = 2 * PARTITIONS  # articles.raw and articles.accepted
EVENTS = (topics.CASUALTIES, topics.ATTACKS)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> str:
    defaults = settings_module.load()
    local = LocalCluster(tmp_path_factory.mktemp("kafka3"), cache_dir=defaults.cache_dir,
                         maven_repo=defaults.maven_repo, nodes=3, port=0, partitions=PARTITIONS)
    url = local.start(timeout=180)
    yield url
    local.stop(delete=True)


@pytest.fixture(scope="module")
def sent() -> dict[str, bytes]:
    return articles("scale", ARTICLES)


@pytest.fixture(scope="module")
def reference(sent, tmp_path_factory) -> set[str]:
    """The distinct event ids of one process: `stream extract` over the same articles."""
    source = tmp_path_factory.mktemp("reference") / "articles.jsonl"
    source.write_bytes(b"\n".join(sent.values()) + b"\n")
    done = subprocess.run([sys.executable, "-m", "stream.cli", "extract", str(source)], capture_output=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    analyses = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert len(analyses) == ARTICLES
    ids = {claim["event_id"] for a in analyses for claim in a["casualties"] + a["attacks"]}
    assert len(ids) > ARTICLES / 2  # most articles report a claim
    return ids


def stream_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stream.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def group(cluster, tmp_path) -> Pipeline:
    """A fresh prefix (topics and consumer group) whose topics `stream topics create` made."""
    prefix = f"s{uuid.uuid4().hex[:8]}."
    pipe = Pipeline(cluster, prefix, tmp_path, env={
        "STREAM_BROKER": cluster, "STREAM_TOPIC_PREFIX": prefix, "STREAM_PARTITIONS": str(PARTITIONS),
        "STREAM_REPLICATION_FACTOR": "3", "STREAM_NLP_PROCESSES": "1"})
    created = stream_cli(pipe.env, "topics", "create")
    assert created.returncode == 0, created.stdout + created.stderr
    yield pipe
    for worker in pipe.workers:
        worker.stop()


def test_scale_out_topics_create_is_idempotent_and_describe_names_each_difference(group):
    again = stream_cli(group.env, "topics", "create")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "created topics" not in again.stderr
    assert f"all {len(plan(group.settings()))} topics as expected" in again.stdout

    described = stream_cli({**group.env, "STREAM_PARTITIONS": "12"}, "topics", "describe", "--json")
    assert described.returncode == 1, described.stdout + described.stderr
    rows = {row["topic"]: row for row in orjson.loads(described.stdout)}
    raw = rows[group.topic(topics.RAW)]
    assert (raw["partitions"], raw["replication_factor"], raw["in_sync_replicas"]) == (PARTITIONS, 3, 3)
    assert (raw["min_insync_replicas"], raw["cleanup_policy"], raw["retention"]) == ("2", "delete", "7 days")
    assert raw["differences"] == [f"{PARTITIONS} partitions, expected 12"]
    assert rows[group.topic(topics.PROCESSED)]["cleanup_policy"] == "compact,delete"


def start_workers(pipe: Pipeline, count: int) -> list[Worker]:
    """``count`` workers started together (each with its own state folder), once ready."""
    started = [pipe.start_worker(wait=False, STREAM_STATE_DIR=str(pipe.home / f"state-{len(pipe.workers)}"))
               for _ in range(count)]
    for worker in started:
        worker.wait_ready()
    return started


def wait_for_shares(workers: list[Worker]) -> list[int]:
    """Block until the workers hold every input partition between them, each some; return their shares."""
    def shares():
        held = [assigned_inputs(w) for w in workers]
        return held if all(held) and sum(held) == INPUTS else None
    return wait_for(shares, timeout=90, what=f"{len(workers)} workers to share the {INPUTS} input partitions")


def processed_by(worker: Worker) -> int:
    status, body = get(worker.web_url + "/api/stats")
    assert status == 200, body
    return orjson.loads(body)["totals"]["processed"]


def processed_count(pipe: Pipeline, at_least: int) -> int:
    out = asyncio.run(pipe.read((topics.PROCESSED,), until=lambda r: len(r[topics.PROCESSED]) >= at_least,
                                timeout=180))
    return len(out[topics.PROCESSED])


async def read_to_end(pipe: Pipeline, names: tuple[str, ...]) -> list[dict]:
    """Every value the topics hold now (from the first offset to the current end)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(pipe.url), group_id=None,
                                enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(pipe.topic(n), p) for n in names for p in range(PARTITIONS)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        values = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                values += [orjson.loads(r.value) for r in records]
        return values
    finally:
        await consumer.stop()


@dataclass(frozen=True)
class Outcome:
    lost: int
    processed_copies: int  # extra copies on articles.processed
    event_copies: int  # extra copies of an event id on the event topics
    missing: set[str]  # event ids the reference has and the stream not
    extra: set[str]  # and the other way round
    retracted: int


def outcome(pipe: Pipeline, sent: dict[str, bytes], reference: set[str]) -> Outcome:
    tally = asyncio.run(account(pipe, sent))  # waits until every article is processed
    events = asyncio.run(read_to_end(pipe, EVENTS))
    ids = {e["event_id"] for e in events if not e["retracted"]}
    return Outcome(lost=tally.lost, processed_copies=tally.duplicated, event_copies=len(events) - len(ids),
                   missing=reference - ids, extra=ids - reference, retracted=sum(e["retracted"] for e in events))


def check(result: Outcome, name: str, **figures) -> None:
    print(f"\nSCALE {name}: lost={result.lost} processed_copies={result.processed_copies} "
          f"event_copies={result.event_copies} " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
    assert result.lost == 0
    assert not result.missing and not result.extra, (sorted(result.missing)[:5], sorted(result.extra)[:5])
    assert result.retracted == 0  # a replay repeats an article, it never revises it


@pytest.mark.parametrize("workers", [2, 3])
def test_scale_out_workers_in_one_group_share_the_work_and_find_the_same_events(group, sent, reference, workers):
    started = start_workers(group, workers)
    shares = wait_for_shares(started)
    began = time.monotonic()
    asyncio.run(group.produce(list(sent.values()), [i.encode() for i in sent]))
    result = outcome(group, sent, reference)
    seconds = time.monotonic() - began
    per_worker = [processed_by(w) for w in started]
    check(result, f"{workers}_workers", input_partitions=shares, processed_by_worker=per_worker,
          articles_per_s=round(ARTICLES / seconds, 1))
    assert all(per_worker), f"a worker processed nothing: {per_worker}"
    assert sum(per_worker) >= ARTICLES

    described = stream_cli(group.env, "topics", "describe")  # the workers' own topics are replicated too
    assert described.returncode == 0, described.stdout + described.stderr
    assert f"all {len(plan(group.settings()))} topics as expected" in described.stdout


def test_scale_out_a_worker_joins_and_another_leaves_mid_run(group, sent, reference):
    first, second = start_workers(group, 2)
    wait_for_shares([first, second])
    ids = list(sent)
    producing = threading.Thread(target=produce_steadily, args=(group, sent, ids, 25.0))
    producing.start()
    try:
        at_join = processed_count(group, 150)
        (joined,) = start_workers(group, 1)
        shares_after_join = wait_for_shares([first, second, joined])
        at_leave = processed_count(group, 450)
        left_after = processed_by(first)
        first.stop()  # SIGTERM: a graceful leave, its partitions move to the others
        shares_after_leave = wait_for_shares([second, joined])
    finally:
        producing.join()
    result = outcome(group, sent, reference)
    check(result, "join_and_leave", processed_when_joined=at_join, processed_when_left=at_leave,
          shares_after_join=shares_after_join, shares_after_leave=shares_after_leave)
    assert at_leave < ARTICLES  # both changes happened with articles still to process
    assert left_after > 0 and processed_by(joined) > 0 and processed_by(second) > 0


def produce_steadily(pipe: Pipeline, sent: dict[str, bytes], ids: list[str], per_second: float) -> None:
    """Send the articles at a steady rate (in chunks of 25), so workers can come and go while they arrive."""
    started = time.monotonic()
    for n in range(0, len(ids), 25):
        time.sleep(max(0.0, started + n / per_second - time.monotonic()))
        chunk = ids[n:n + 25]
        asyncio.run(pipe.produce([sent[i] for i in chunk], [i.encode() for i in chunk]))
