"""What the fault tests share: short articles of our own, the accounting of every one, process handling.

Every fault test ends the same way: each article sent is on `articles.processed` or the
dead-letter topic (lost = 0), and every duplicate copy equals the first one (same event
ids). The figures are printed (run pytest with -s to see them) and kept in
``bench/results/faults.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import orjson
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from stream import settings as settings_module
from stream import topics
from stream.broker.local import LocalCluster, replication_for
from stream.kafka_io import bootstrap_servers
from tests.integration.conftest import Pipeline, new_pipeline

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "faults.json"

# Settings that make a fault show quickly: small batches and polls; a dead worker's partitions move
# after 10 s instead of Faust's 60 s (Faust reads its BROKER_* settings from the environment).
FAST_FAILOVER = {"STREAM_BATCH_SIZE": "8", "BROKER_MAX_POLL_RECORDS": "50", "BROKER_SESSION_TIMEOUT": "10",
                 "BROKER_HEARTBEAT_INTERVAL": "1", "BROKER_COMMIT_INTERVAL": "1"}
# The worker forced into Faust's exactly_once guarantee (which the project does not offer), to measure it.
EXACTLY_ONCE = {**FAST_FAILOVER, "PYTHONPATH": str(Path(__file__).parent / "exactly_once")}

_PLACES = ("Kaduna", "Mosul", "Kharkiv", "Goma", "Rafah", "Mogadishu", "Idlib", "Timbuktu")
_STORIES = (
    "Gunmen killed {n} villagers near {place} on Sunday, police said.",
    "A drone strike on {place} wounded {n} people on Monday, officials said.",
    "Rebels abducted {n} students from a school in {place}.",
    "Shelling of {place} on Tuesday killed {n} civilians and injured several more, medics said.",
    "The council in {place} approved a budget of {n} million for new roads.",
)


def articles(tag: str, count: int, *, bad_every: int = 0) -> dict[str, bytes]:
    """``count`` short articles, id -> the bytes sent; every ``bad_every``-th has an empty body (a dead letter)."""
    out = {}
    for n in range(count):
        article_id = f"{tag}-{n:05d}"
        body = _STORIES[n % len(_STORIES)].format(n=n % 40 + 2, place=_PLACES[n % len(_PLACES)])
        if bad_every and n % bad_every == bad_every - 1:
            body = "  "
        out[article_id] = orjson.dumps({"id": article_id, "body": body, "published_at": "2026-04-06"})
    return out


def bad_ids(sent: dict[str, bytes]) -> set[str]:
    return {i for i, raw in sent.items() if not orjson.loads(raw)["body"].strip()}


@dataclass(frozen=True)
class Tally:
    sent: int
    processed: int  # distinct articles on articles.processed
    dead_lettered: int  # distinct articles on the dead-letter topic
    duplicated: int  # extra copies on articles.processed
    lost: int

    def line(self, name: str) -> str:
        return (f"FAULT {name}: sent={self.sent} processed={self.processed} dead_lettered={self.dead_lettered} "
                f"duplicated={self.duplicated} lost={self.lost}")


def accounted(records: dict[str, list], wanted: set[str]) -> bool:
    seen = {r.value["article_id"] for name in (topics.PROCESSED, topics.DEADLETTER) for r in records[name]}
    return wanted <= seen


async def account(pipe, sent: dict[str, bytes], *, timeout: float = 240) -> Tally:
    """Read every output from the start until each article sent is processed or dead-lettered.

    Asserts what a replay must keep: each duplicate on `articles.processed` and on the event
    topics is identical to the first copy, and no article is both processed and dead-lettered.
    """
    wanted = set(sent)
    out = await pipe.read((topics.PROCESSED, topics.DEADLETTER, topics.CASUALTIES, topics.ATTACKS),
                          until=lambda r: accounted(r, wanted), timeout=timeout)
    processed = identical_copies(out[topics.PROCESSED], lambda v: v["article_id"])
    identical_copies(out[topics.CASUALTIES] + out[topics.ATTACKS], lambda v: v["event_id"])
    dead = {r.value["article_id"] for r in out[topics.DEADLETTER]} & wanted
    assert not dead & set(processed), f"processed and dead-lettered: {sorted(dead & set(processed))[:5]}"
    assert dead == bad_ids(sent), f"unexpected dead letters: {sorted(dead ^ bad_ids(sent))[:5]}"
    done = set(processed) & wanted
    return Tally(sent=len(sent), processed=len(done), dead_lettered=len(dead),
                 duplicated=sum(processed[i] - 1 for i in done), lost=len(wanted - done - dead))


def identical_copies(records: list, key) -> Counter:
    """How many copies each key has; asserts that the copies are equal (a replay repeats, it never differs)."""
    first: dict[str, dict] = {}
    copies: Counter = Counter()
    for record in records:
        k = key(record.value)
        copies[k] += 1
        first.setdefault(k, record.value)
        assert record.value == first[k], f"a replayed copy of {k} differs from the first"
    return copies


def record(name: str, tally: Tally, **extra) -> None:
    """Print the figures and keep them in bench/results/faults.json (one entry per fault)."""
    print("\n" + tally.line(name) + "".join(f" {k}={v}" for k, v in extra.items()), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = {**asdict(tally), **extra, "measured": time.strftime("%Y-%m-%d %H:%M:%S")}
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


@contextmanager
def own_cluster(home: Path, nodes: int = 1) -> Iterator[tuple[LocalCluster, Pipeline]]:
    """A local cluster of the test's own (its broker nodes may be stopped), with a pipeline's topics on it."""
    defaults = settings_module.load()
    cluster = LocalCluster(home / "kafka", cache_dir=defaults.cache_dir, maven_repo=defaults.maven_repo,
                           nodes=nodes, port=0, partitions=2)
    cluster.start(timeout=180)
    try:
        pipe = new_pipeline(cluster.url(), home, replication_factor=replication_for(nodes))
        try:
            yield cluster, pipe
        finally:
            for worker in pipe.workers:
                worker.stop()
    finally:
        cluster.stop(delete=True)


async def _admin_call(pipe: Pipeline, call):
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(pipe.url), request_timeout_ms=10000)
    await admin.start()
    try:
        return await call(admin)
    finally:
        await admin.close()


def replicas(pipe: Pipeline) -> dict[str, tuple[int, int, str]]:
    """Each of the pipeline's topics (Faust's own included): (fewest replicas, fewest in sync, min.insync.replicas)."""
    async def read(admin):
        names = [t for t in await admin.list_topics() if t.startswith(pipe.prefix)]
        described = await admin.describe_topics(names)
        configs = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n, {"min.insync.replicas": None})
                                                for n in names])
        min_isr = {r["resource_name"]: e["config_value"] for response in configs
                   for r in response.to_object()["resources"] for e in r["config_entries"]}
        return {t["topic"]: (min(len(p["replicas"]) for p in t["partitions"]),
                             min(len(p["isr"]) for p in t["partitions"]), min_isr[t["topic"]]) for t in described}
    return asyncio.run(_admin_call(pipe, read))


def group_coordinator(pipe: Pipeline) -> int:
    group = pipe.settings().faust_id
    return asyncio.run(_admin_call(pipe, lambda admin: admin.find_coordinator(group)))


# -- processes ------------------------------------------------------------------------------
def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def kill_worker(worker, *, orphan_grace: float = 10.0) -> None:
    """SIGKILL a worker as the kernel's OOM killer would; its NLP processes must then exit by themselves."""
    pool = children(worker.proc.pid)
    assert pool, "the worker has no NLP processes to check"
    worker.proc.send_signal(signal.SIGKILL)
    worker.proc.wait(30)
    deadline = time.monotonic() + orphan_grace
    while any(alive(p) for p in pool) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = [p for p in pool if alive(p)]
    for pid in orphans:  # leave no process behind, then fail
        os.kill(pid, signal.SIGKILL)
    assert not orphans, f"NLP process(es) {orphans} outlived their killed worker"


# -- the worker's web view ------------------------------------------------------------------
def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def metric_values(worker, name: str) -> dict[tuple, float]:
    """One metric of the worker's /metrics: labels (sorted) -> value."""
    from prometheus_client.parser import text_string_to_metric_families

    status, body = get(worker.web_url + "/metrics")
    assert status == 200
    out = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == name:
                out[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def skipped_resends(worker) -> int:
    """Articles the worker read again and skipped because the ledger had them (a replay's cost)."""
    return int(sum(metric_values(worker, "conflict_stream_articles_duplicate_total").values()))


def assigned_inputs(worker) -> int | None:
    """Input partitions the worker holds, from /health/ready (None while it is not ready)."""
    try:
        status, body = get(worker.web_url + "/health/ready")
    except OSError:
        return None
    if status != 200:
        return None
    detail = orjson.loads(body)["checks"]["partitions"]["detail"]
    return int(detail.split()[0])


def processed_count(pipe, at_least: int, timeout: float = 120) -> int:
    """Block until `articles.processed` holds ``at_least`` messages."""
    out = asyncio.run(pipe.read((topics.PROCESSED,), until=lambda r: len(r[topics.PROCESSED]) >= at_least,
                                timeout=timeout))
    return len(out[topics.PROCESSED])
