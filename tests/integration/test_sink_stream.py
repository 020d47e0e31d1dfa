"""`stream sink` on a real broker, into SQLite and a real PostgreSQL server: a worker's stream of articles with
revisions, a withdrawal and an incident merge ends in tables equal to what `stream extract --incidents` says is
current; SIGKILLs of the sink at several points (inside a transaction among them) change nothing; PostgreSQL
stopped for 10 s under a running sink loses nothing."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from stream import topics
from stream.ingest.files import read_items
from stream.kafka_io import bootstrap_servers
from stream.sink.store import topics_read
from stream.sink.tables import COLUMNS
from tests.integration.conftest import new_pipeline, wait_for
from tests.postgres import start_postgres

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sink"
COPIES = 30  # the stream is sent again this many times (as replays would): a longer run to kill the sink in
SINK_TOPICS = topics_read()


def _items(name: str):
    return list(read_items(str(FIXTURES / name)))


@pytest.fixture(scope="module")
def fed(kafka, tmp_path_factory):
    """The worker's output for the sink fixtures, then COPIES more copies of each record (same partition, same
    order) and one record from a producer that is not ours; returns (pipeline, end offsets)."""
    pipe = new_pipeline(kafka, tmp_path_factory.mktemp("sink"))
    pipe.env.update(STREAM_INCIDENT_TOMBSTONE_AFTER="2", STREAM_INCIDENT_SWEEP_SECONDS="1")
    worker = pipe.start_worker()
    sent = 0
    for batch in [_items("first.jsonl"), *([item] for item in _items("later.jsonl"))]:
        asyncio.run(pipe.produce([i.value for i in batch], [i.key for i in batch]))
        sent += len(batch)
        asyncio.run(pipe.read((topics.PROCESSED,), until=lambda r, n=sent: len(r[topics.PROCESSED]) >= n))
    asyncio.run(pipe.read((topics.INCIDENTS,), until=lambda r: sum(x.value is None for x in r[topics.INCIDENTS]) >= 2))
    worker.stop()
    asyncio.run(_copy(pipe))
    yield pipe, asyncio.run(_end_offsets(pipe))


async def _copy(pipe) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(pipe.url), group_id=None,
                                enable_auto_commit=False, max_partition_fetch_bytes=10 * 1024 * 1024)
    await consumer.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(pipe.url), acks="all",
                                max_request_size=10 * 1024 * 1024, linger_ms=20)
    await producer.start()
    try:
        ends = await _end_offsets(pipe)
        parts = list(ends)
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        records = {tp: [] for tp in parts}
        while any(len(records[tp]) < ends[tp] for tp in parts):
            for tp, recs in (await consumer.getmany(timeout_ms=500)).items():
                records[tp] += recs
        futures = []
        for _ in range(COPIES):
            for tp, recs in records.items():
                futures += [await producer.send(tp.topic, r.value, key=r.key, partition=tp.partition) for r in recs]
        futures.append(await producer.send(pipe.topic(topics.CASUALTIES), b'{"event_id": "cas-forged"}', key=b"x"))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
        await consumer.stop()


async def _end_offsets(pipe) -> dict:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(pipe.url), group_id=None)
    await consumer.start()
    try:
        parts = [TopicPartition(pipe.topic(t), p) for t in SINK_TOPICS
                 for p in consumer.partitions_for_topic(pipe.topic(t)) or await _partitions(consumer, pipe.topic(t))]
        return await consumer.end_offsets(parts)
    finally:
        await consumer.stop()


async def _partitions(consumer, topic: str) -> set[int]:
    await consumer._client.force_metadata_update()
    return consumer.partitions_for_topic(topic)


# --- the databases ---------------------------------------------------------------------------

class Sqlite:
    def __init__(self, folder: Path):
        self.folder = folder

    def new_database(self) -> str:
        return f"sqlite:///{self.folder / f'sink-{os.urandom(4).hex()}.db'}"

    def connect(self, url: str):
        return sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)

    def in_transaction(self, url: str) -> bool:
        """Whether the sink holds the write lock now (a write transaction is open)."""
        probe = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()


class Postgres:
    def __init__(self, server):
        self.server = server

    def new_database(self) -> str:
        return self.server.new_database()

    def connect(self, url: str):
        import psycopg

        return psycopg.connect(url, autocommit=True)

    def in_transaction(self, url: str) -> bool:
        with self.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stream-sink' "
                                "AND xact_start IS NOT NULL").fetchone()[0] > 0


@pytest.fixture(scope="module")
def postgres_server():
    server = start_postgres()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return Sqlite(tmp_path)
    return Postgres(request.getfixturevalue("postgres_server"))


def dump(db, url: str) -> dict[str, list[tuple]]:
    """Every row of every table, as plain values, sorted: two sinks' tables compare equal iff identical."""
    conn = db.connect(url)
    try:
        tables = {}
        for table, columns in COLUMNS.items():
            names = [n for n, _ in columns]
            rows = conn.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
            tables[table] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
        return tables
    finally:
        conn.close()


def _plain(value):
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    if isinstance(value, str) and value[:1] in "[{":
        return orjson.dumps(orjson.loads(value), option=orjson.OPT_SORT_KEYS).decode()
    return int(value) if isinstance(value, bool) else value


def written_offsets(db, url: str) -> int:
    try:
        conn = db.connect(url)
    except Exception:
        return 0
    try:
        return int(conn.execute("SELECT coalesce(sum(next_offset), 0) FROM sink_offsets").fetchone()[0])
    except Exception:  # the tables are not there yet
        return 0
    finally:
        conn.close()


def start_sink(pipe, url: str, group: str, log: Path, *extra: str) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "stream.cli", "sink", url, "--group", group, *extra],
                                env={**os.environ, **pipe.env}, stdout=out, stderr=subprocess.STDOUT)


def run_sink(pipe, url: str, group: str, log: Path) -> None:
    proc = start_sink(pipe, url, group, log, "--idle-exit", "4")
    assert proc.wait(300) == 0, log.read_text()[-3000:]


# --- expectations ------------------------------------------------------------------------------

def current_by_extract() -> dict:
    """What `stream extract --incidents` says is current: each article's last revision, its claims, and the
    active incidents."""
    given = b"".join((FIXTURES / f).read_bytes() for f in ("first.jsonl", "later.jsonl"))
    done = subprocess.run([sys.executable, "-m", "stream.cli", "extract", "--incidents", "-"], input=given,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    articles = {line["article_id"]: line for line in lines if "article_id" in line}
    claims = {c["event_id"]: c for a in articles.values() for c in a["casualties"] + a["attacks"]}
    incidents = {line["incident"]["incident_id"]: line["incident"] for line in lines if "incident" in line}
    return {"articles": {k: a["revision"] for k, a in articles.items()}, "claims": claims,
            "incidents": {k: _incident(r) for k, r in incidents.items()}}


def _incident(record: dict) -> tuple:
    return (record["status"], record["revision"], sorted(s["article_id"] for s in record["sources"]),
            orjson.dumps(record["counts"], option=orjson.OPT_SORT_KEYS))


def current_in(db, url: str) -> dict:
    conn = db.connect(url)
    try:
        def records(table):
            return [orjson.loads(r[0]) if isinstance(r[0], str) else r[0]
                    for r in conn.execute(f"SELECT record FROM {table}").fetchall()]
        claims = {c["event_id"]: c for c in records("casualties") + records("attacks")}
        return {"articles": {a["article_id"]: a["revision"] for a in records("articles")}, "claims": claims,
                "incidents": {r["incident_id"]: _incident(r) for r in records("incidents")}}
    finally:
        conn.close()


# --- the tests ---------------------------------------------------------------------------------

def test_sink_stream_tables_equal_what_extract_says_is_current(fed, db, tmp_path):
    pipe, ends = fed
    url = db.new_database()
    run_sink(pipe, url, f"{pipe.prefix}sink-equal-{os.urandom(3).hex()}", tmp_path / "sink.log")
    expected = current_by_extract()
    assert len(expected["incidents"]) == 2 and len(expected["articles"]) == 5  # a merge and a withdrawal
    assert current_in(db, url) == expected
    assert written_offsets(db, url) == sum(ends.values())
    conn = db.connect(url)
    [(value, reason)] = conn.execute("SELECT value, reason FROM sink_rejects").fetchall()
    assert bytes(value) == b'{"event_id": "cas-forged"}' and "casualty.json" in reason
    conn.close()


def _kill_when(proc, condition, what: str) -> str:
    wait_for(lambda: condition() or proc.poll() is not None, what, timeout=120, every=0.005)
    assert proc.poll() is None, f"the sink exited before {what}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return what


def test_sink_stream_sigkill_at_six_points_then_restart_gives_identical_tables(fed, db, tmp_path):
    pipe, ends = fed
    total = sum(ends.values())
    reference = db.new_database()
    run_sink(pipe, reference, f"{pipe.prefix}sink-ref-{os.urandom(3).hex()}", tmp_path / "reference.log")

    url, group, log = db.new_database(), f"{pipe.prefix}sink-kill-{os.urandom(3).hex()}", tmp_path / "killed.log"
    points = [
        ("before its first transaction", lambda: True),
        ("a fifth of the way", lambda: written_offsets(db, url) >= total // 5),
        ("inside a transaction", lambda: db.in_transaction(url)),
        ("halfway", lambda: written_offsets(db, url) >= total // 2),
        ("inside a transaction, later", lambda: written_offsets(db, url) >= total * 0.6 and db.in_transaction(url)),
        ("inside a transaction, near the end", lambda: written_offsets(db, url) >= total * 0.8
         and db.in_transaction(url)),
    ]
    killed_at = []
    for what, condition in points:
        proc = start_sink(pipe, url, group, log, "--batch", "2")
        _kill_when(proc, condition, what)
        killed_at.append((what, written_offsets(db, url)))
    run_sink(pipe, url, group, log)
    print(f"\nsink SIGKILLed at (point, offsets written by then): {killed_at}; {total} records; rows: "
          f"{ {t: len(r) for t, r in dump(db, url).items()} }")
    assert dump(db, url) == dump(db, reference)
    assert written_offsets(db, url) == total


def test_sink_stream_postgres_stopped_for_10s_loses_nothing(fed, postgres_server, tmp_path):
    pipe, ends = fed
    total = sum(ends.values())
    db = Postgres(postgres_server)
    reference = db.new_database()
    run_sink(pipe, reference, f"{pipe.prefix}sink-ref-{os.urandom(3).hex()}", tmp_path / "reference.log")
    url, log = db.new_database(), tmp_path / "outage.log"
    proc = start_sink(pipe, url, f"{pipe.prefix}sink-outage-{os.urandom(3).hex()}", log, "--batch", "2")
    try:
        wait_for(lambda: written_offsets(db, url) >= total // 10, "the sink's first rows", timeout=120, every=0.01)
        postgres_server.stop()
        stopped = time.monotonic()
        time.sleep(10)
        postgres_server.start()
        assert proc.poll() is None, f"the sink exited during the outage:\n{log.read_text()[-3000:]}"
        wait_for(lambda: written_offsets(db, url) == total, "the sink to catch up", timeout=120)
        caught_up = time.monotonic() - stopped
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    text = log.read_text()
    unavailable = [line for line in text.splitlines() if "database unavailable" in line]
    print(f"\nPostgreSQL stopped 10 s: {len(unavailable)} 'unavailable' line(s), caught up {caught_up:.1f}s after "
          f"the stop; log lines of the outage:\n" + "\n".join(unavailable[:3]))
    assert unavailable and "database answers again" in text and "Traceback" not in text
    assert len(unavailable) <= 8  # one line per retry with back-off, not a flood
    assert dump(db, url) == dump(db, reference)


def test_sink_stream_example_consumer_prints_the_current_events(fed):
    pipe, _ = fed
    done = subprocess.run([sys.executable, str(Path(__file__).parents[2] / "examples" / "consumer.py"),
                           bootstrap_servers(pipe.url), "--prefix", pipe.prefix, "--idle", "4"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    events = {}
    for line in done.stdout.splitlines():
        event = orjson.loads(line)
        events[event["event_id"]] = event
    assert events == current_by_extract()["claims"]


def test_sink_stream_two_sinks_in_one_group_share_the_partitions(fed, db, tmp_path):
    pipe, ends = fed
    reference = db.new_database()
    run_sink(pipe, reference, f"{pipe.prefix}sink-ref-{os.urandom(3).hex()}", tmp_path / "reference.log")
    url, group = db.new_database(), f"{pipe.prefix}sink-pair-{os.urandom(3).hex()}"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    procs = [start_sink(pipe, url, group, log, "--batch", "2") for log in logs]
    try:
        wait_for(lambda: written_offsets(db, url) == sum(ends.values()), "the two sinks to catch up", timeout=180)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        assert [proc.wait(60) for proc in procs] == [0, 0]
    held = [int(re.findall(r"assigned (\d+) partition", log.read_text())[-1]) for log in logs]
    assert sum(held) == len(ends) and min(held) > 0, held  # each held a share at the end
    assert dump(db, url) == dump(db, reference)
