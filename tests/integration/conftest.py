"""A real Apache Kafka broker for the whole session, and real worker processes per test.

The broker is the project's own embedded one (``LocalCluster``) in a temporary state
folder on free ports; jars come from the normal cache, so only the first run downloads.
Every test gets its own topic prefix (so its own topics and consumer group).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from stream import settings as settings_module
from stream import topics
from stream.broker.local import LocalCluster
from stream.kafka_io import bootstrap_servers, ensure_topics
from stream.schemas import validator

pytestmark = pytest.mark.integration
READY_TIMEOUT = 120


@pytest.fixture(scope="session")
def kafka(tmp_path_factory) -> str:
    defaults = settings_module.load()
    cluster = LocalCluster(tmp_path_factory.mktemp("kafka"), cache_dir=defaults.cache_dir,
                           maven_repo=defaults.maven_repo, port=0, partitions=2)
    url = cluster.start(timeout=180)
    yield url
    cluster.stop(delete=True)


def wait_for(condition, what: str, *, timeout: float = 60, every: float = 0.5):
    """Poll ``condition`` until it returns something true, and return that; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path
    web_url: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.output()
            if "ready in" in text and "Worker]: Ready" in text:
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{text[-4000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker not ready after {timeout}s:\n{self.output()[-4000:]}")

    def stop(self, sig: int = 15) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Pipeline:
    """One test's slice of the cluster: its prefix, its workers, a producer and a validating reader."""

    url: str
    prefix: str
    home: Path
    env: dict = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)

    def topic(self, name: str) -> str:
        return self.prefix + name

    def settings(self):
        return settings_module.load({**os.environ, **self.env})

    def start_worker(self, *, wait: bool = True, **extra_env: str) -> Worker:
        """A `stream worker` process; ``wait``: return once it is ready (else at once: it may wait for a broker)."""
        log = self.home / f"worker-{len(list(self.home.glob('worker-*.log')))}.log"  # workers removed keep theirs
        env = {**os.environ, **self.env, "STREAM_WEB_PORT": str(free_port()), **extra_env}
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "stream.cli", "worker", "-l", "info"], env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
        worker = Worker(proc, log, f"http://127.0.0.1:{env['STREAM_WEB_PORT']}")
        self.workers.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    async def produce(self, values: list[bytes | None], keys: list[bytes | None] | None = None,
                      topic: str = topics.RAW) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(self.url), acks="all",
                                    max_request_size=10 * 1024 * 1024)
        try:
            await producer.start()  # inside: a start that fails (no broker) still closes the producer
            keys = keys or [None] * len(values)
            futures = [await producer.send(self.topic(topic), value=v, key=k) for v, k in zip(values, keys)]
            await asyncio.gather(*futures)
        finally:
            await producer.stop()

    async def read(self, names: tuple[str, ...], *, until, timeout: float = 90,
                   isolation_level: str = "read_uncommitted", raise_on_timeout: bool = True) -> dict[str, list]:
        """All records of the topics from the start until ``until(records)`` holds; each value validated.

        On timeout it raises, or, with ``raise_on_timeout=False``, returns what it read so far.
        """
        consumer = AIOKafkaConsumer(*(self.topic(n) for n in names), bootstrap_servers=bootstrap_servers(self.url),
                                    group_id=None, auto_offset_reset="earliest", enable_auto_commit=False,
                                    max_partition_fetch_bytes=10 * 1024 * 1024, isolation_level=isolation_level)
        await consumer.start()
        records: dict[str, list] = {n: [] for n in names}
        deadline = time.monotonic() + timeout
        try:
            while not until(records):
                if time.monotonic() > deadline:
                    if not raise_on_timeout:
                        break
                    raise AssertionError(f"timed out; got { {k: len(v) for k, v in records.items()} }\n"
                                         + "\n".join(w.output()[-3000:] for w in self.workers))
                batch = await consumer.getmany(timeout_ms=500)
                for tp, recs in batch.items():
                    name = tp.topic.removeprefix(self.prefix)
                    for rec in recs:
                        value = None if rec.value is None else orjson.loads(rec.value)  # None: a tombstone
                        if value is not None:
                            validator(topics.BY_NAME[name].schema)(value)
                        records[name].append(Record(rec.key, value, rec.partition, rec.offset, rec.timestamp))
        finally:
            await consumer.stop()
        return records


@dataclass(frozen=True)
class Record:
    key: bytes | None
    value: dict | None  # None: a tombstone (events.incidents)
    partition: int
    offset: int
    timestamp: int


def new_pipeline(kafka: str, home: Path, replication_factor: int = 1) -> Pipeline:
    """A fresh topic prefix (so fresh topics and consumer group) on the session's broker, topics created."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    pipe = Pipeline(kafka, prefix, home, env={
        "STREAM_BROKER": kafka, "STREAM_TOPIC_PREFIX": prefix, "STREAM_PARTITIONS": "2", "STREAM_NLP_PROCESSES": "1",
        "STREAM_STATE_DIR": str(home / "state"), "STREAM_REPLICATION_FACTOR": str(replication_factor),
    })
    asyncio.run(ensure_topics(pipe.settings(), kafka))
    return pipe


@pytest.fixture
def pipeline(kafka, tmp_path) -> Pipeline:
    pipe = new_pipeline(kafka, tmp_path)
    yield pipe
    for worker in pipe.workers:
        worker.stop()
