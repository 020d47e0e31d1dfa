"""What the benchmarks share: a throw-away broker, worker processes, producing and timing articles.

Times come from Kafka record timestamps (the producer's CreateTime on `articles.raw`, the
worker's on `articles.processed`), both taken on this machine's clock.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stream import settings as settings_module  # noqa: E402
from stream.broker.local import LocalCluster  # noqa: E402
from stream.kafka_io import ensure_topics  # noqa: E402

MAX_BYTES = 10 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_broker(state: Path, nodes: int = 1) -> Iterator[str]:
    """A broker (or cluster of ``nodes``) of its own for one benchmark run (its folder, free ports); yields
    its kafka:// address."""
    defaults = settings_module.load()
    cluster = LocalCluster(state, cache_dir=defaults.cache_dir, maven_repo=defaults.maven_repo, port=0, nodes=nodes)
    url = cluster.start()
    try:
        yield url
    finally:
        cluster.stop(delete=True)


def broker_pid(state: Path) -> int | None:
    pid_file = state / "broker" / "node-1" / "pid"
    return int(pid_file.read_text()) if pid_file.exists() else None


@dataclass
class Workers:
    """Worker processes of one consumer group, started with ``command`` (default `stream worker`)."""

    url: str
    prefix: str
    home: Path
    env_extra: dict = field(default_factory=dict)
    procs: list[subprocess.Popen] = field(default_factory=list)

    def env(self) -> dict:
        return {**os.environ, "STREAM_BROKER": self.url, "STREAM_TOPIC_PREFIX": self.prefix,
                "STREAM_STATE_DIR": str(self.home), "STREAM_WEB_PORT": str(free_port()), **self.env_extra}

    def start(self, count: int, command: list[str] | None = None, ready: str = "ready in") -> None:
        asyncio.run(ensure_topics(settings_module.load(self.env()), self.url))
        logs = []
        for n in range(count):
            log = self.home / f"worker-{len(self.procs)}.log"
            cmd = command or [sys.executable, "-m", "stream.cli", "worker", "-l", "info"]
            self.procs.append(subprocess.Popen(cmd, env=self.env(), cwd=ROOT, stdout=log.open("wb"),
                                               stderr=subprocess.STDOUT))
            logs.append(log)
        for proc, log in zip(self.procs[-count:], logs):
            deadline = time.monotonic() + 180
            while not (ready in log.read_text(errors="replace") and "Worker]: Ready" in log.read_text(errors="replace")):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
        time.sleep(3)  # let the group settle on its partitions

    def pids(self) -> list[int]:
        """Every worker process and its children (the NLP pool)."""
        out = []
        for proc in self.procs:
            out.append(proc.pid)
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            if children.exists():
                out += [int(p) for p in children.read_text().split()]
        return out

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()


class Meter:
    """Peak RSS and CPU seconds of a set of processes, sampled while a measurement runs; ``named`` processes
    (the broker) are reported apart and not counted in the total."""

    def __init__(self, pids: list[int], named: dict[str, int] | None = None):
        self.pids = pids
        self.named = named or {}
        watched = pids + list(self.named.values())
        self.peak_rss: dict[int, float] = {pid: 0.0 for pid in watched}  # MB
        self.cpu_start = {pid: self._cpu(pid) for pid in watched}
        self.roles = {pid: _role(pid) for pid in pids}
        self.started = time.monotonic()

    @staticmethod
    def _cpu(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        for pid in self.peak_rss:
            self.peak_rss[pid] = max(self.peak_rss[pid], rss_mb(pid))

    def _cores(self, pid: int, wall: float) -> float:
        return round((self._cpu(pid) - self.cpu_start[pid]) / wall, 2) if wall else 0.0

    def result(self) -> dict:
        wall = time.monotonic() - self.started
        cpu = sum(self._cpu(pid) - self.cpu_start[pid] for pid in self.pids)
        return {"peak_rss_mb": {str(pid): round(self.peak_rss[pid]) for pid in self.pids},
                "cpu_seconds": round(cpu, 1), "cores_busy": round(cpu / wall, 2) if wall else 0.0,
                "cores_by_process": {**{f"{self.roles[pid]} {pid}": self._cores(pid, wall) for pid in self.pids},
                                     **{name: self._cores(pid, wall) for name, pid in self.named.items()}}}


def _role(pid: int) -> str:
    """What a worker process is, from its command line: the worker, an NLP pool process, or a helper."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "resource_tracker" in cmdline:
        return "resource tracker"
    return "nlp" if "multiprocessing" in cmdline else "worker"


def _corpus_rows(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def _article(row: dict, tag: str, n: int) -> dict:
    return {"id": f"{tag}-{n}", "title": row.get("title"), "body": row.get("text") or row.get("body")}


def articles(path: Path, count: int, tag: str) -> list[dict]:
    """``count`` articles from a JSON-lines corpus (``text`` or ``body``), cycled, with fresh ids."""
    rows = _corpus_rows(path)
    return [_article(rows[n % len(rows)], tag, n) for n in range(count)]


MIXES = {"conflict": lambda row: row.get("conflict_domain") is True,
         "other": lambda row: row.get("conflict_domain") is False,
         "even": lambda row: True}


def sampled_articles(path: Path, count: int, tag: str, mix: str, seed: int = 0) -> list[dict]:
    """``count`` articles taken evenly across the corpus rows of ``mix`` (``MIXES``): every (rows/count)-th
    row from a start the seed draws within the first step, so every part of the corpus is represented;
    cycled when the mix has fewer rows. A corpus without ``conflict_domain`` has every row in the even mix."""
    rows = [row for row in _corpus_rows(path) if MIXES[mix](row)]
    if not rows:
        return []
    step = len(rows) / count
    start = random.Random(seed).random() * step if step > 1 else 0.0
    return [_article(rows[int(start + n * step) % len(rows)], tag, n) for n in range(count)]


async def run_load(bootstrap: str, prefix: str, items: list[dict], *, rate: float | None, meter: Meter | None,
                   result_topic: str = "articles.processed", id_field: str = "article_id",
                   timeout: float = 1800) -> dict[str, tuple[float, float]]:
    """Send ``items`` to articles.raw (as fast as possible, or at ``rate`` per second) and wait for each
    id on ``result_topic`` (or the dead-letter topic); return id -> (sent, done) times in seconds."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=2, max_request_size=MAX_BYTES)
    consumer = AIOKafkaConsumer(prefix + result_topic, prefix + "articles.deadletter", bootstrap_servers=bootstrap,
                                group_id=None, auto_offset_reset="latest", max_partition_fetch_bytes=MAX_BYTES,
                                fetch_max_bytes=50 * MAX_BYTES)
    await producer.start()
    await consumer.start()
    await consumer.seek_to_end()
    for tp in consumer.assignment():
        await consumer.position(tp)
    sent: dict[str, float] = {}
    done: dict[str, float] = {}

    async def send_all() -> None:
        start = time.monotonic()
        futures = []
        for n, item in enumerate(items):
            if rate:
                await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            futures.append((item["id"], await producer.send(prefix + "articles.raw", value=orjson.dumps(item),
                                                            key=item["id"].encode())))
        for ident, future in futures:
            sent[ident] = (await future).timestamp / 1000

    async def collect() -> None:
        wanted = {item["id"] for item in items}
        deadline = time.monotonic() + timeout
        while not wanted <= done.keys():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out: {len(done)} of {len(wanted)} accounted for")
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    # outputs are keyed by article id: no need to decode (and pay for) the whole analysis
                    ident = record.key.decode() if record.key else orjson.loads(record.value).get(id_field)
                    if ident in wanted:
                        done.setdefault(ident, record.timestamp / 1000)
            if meter is not None:
                meter.sample()

    try:
        await asyncio.gather(send_all(), collect())
    finally:
        await producer.stop()
        await consumer.stop()
    return {ident: (sent[ident], done[ident]) for ident in done}


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "p50": round(at(0.50), 1), "p95": round(at(0.95), 1), "p99": round(at(0.99), 1),
            "max": round(ordered[-1], 1)}
