"""`stream audit` on a large topic: its time and peak memory for N raw records (default 100,000).

    .venv/bin/python bench/audit.py                      # about 5 minutes here, most of it producing
    .venv/bin/python bench/audit.py --records 20000

On a broker of its own, with a fresh prefix: N raw articles on `articles.raw` (8 partitions),
an `articles.processed` message for all but 0.5% of them, of ``--processed-bytes`` each (an
analysis is about 12 KB: the audit must read them, though it parses only their keys), and a
dead letter for 0.1%; the group's offsets committed past every raw record, so the rest are
lost. Then `stream audit --json` runs as a user would run it; its wall time and peak RSS are
reported, and its counts checked against what was written. JSON in bench/results/audit.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402

from stream import settings as settings_module  # noqa: E402
from stream import topics  # noqa: E402
from stream.broker.local import LocalCluster  # noqa: E402
from stream.kafka_io import bootstrap_servers, ensure_topics  # noqa: E402

PARTITIONS = 8


def raw_value(n: int) -> bytes:
    return orjson.dumps({"id": f"audit-{n:07d}", "published_at": "2026-04-06",
                         "body": f"Gunmen killed {n % 40 + 2} villagers near a market on Sunday, police said. " * 12})


async def fill(url: str, prefix: str, records: int, processed_bytes: int, group: str) -> dict:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(url), acks=1, linger_ms=20,
                                max_batch_size=1 << 20, max_request_size=2 << 20)
    await producer.start()
    padding = "x" * processed_bytes
    counts = {"processed": 0, "dead_lettered": 0, "missing": 0}
    try:
        pending = []
        for n in range(records):
            article_id = f"audit-{n:07d}"
            pending.append(await producer.send(prefix + topics.RAW, raw_value(n), key=article_id.encode()))
            if n % 1000 == 7:
                letter = orjson.dumps({"article_id": article_id, "reason": "analysis_timeout"})
                pending.append(await producer.send(prefix + topics.DEADLETTER, letter, key=article_id.encode()))
                counts["dead_lettered"] += 1
            elif n % 200 == 3:
                counts["missing"] += 1
            else:
                value = orjson.dumps({"article_id": article_id, "analysis": padding})
                pending.append(await producer.send(prefix + topics.PROCESSED, value, key=article_id.encode()))
                counts["processed"] += 1
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
                print(f"  produced {n + 1:,} of {records:,}", flush=True)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(url), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(prefix + topics.RAW, p) for p in range(PARTITIONS)]
        consumer.assign(tps)
        await consumer.commit(await consumer.end_offsets(tps))
    finally:
        await consumer.stop()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--processed-bytes", type=int, default=12_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "audit.json")
    args = parser.parse_args(argv)
    defaults = settings_module.load()
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as tmp:
        cluster = LocalCluster(Path(tmp) / "kafka", cache_dir=defaults.cache_dir, maven_repo=defaults.maven_repo,
                               port=0, partitions=PARTITIONS)
        url = cluster.start(timeout=180)
        try:
            prefix = "bench."
            env = {**os.environ, "STREAM_BROKER": url, "STREAM_TOPIC_PREFIX": prefix,
                   "STREAM_PARTITIONS": str(PARTITIONS)}
            settings = settings_module.load(env)
            asyncio.run(ensure_topics(settings, url))
            print(f"producing {args.records:,} raw records and their outputs...", flush=True)
            expected = asyncio.run(fill(url, prefix, args.records, args.processed_bytes, settings.faust_id))
            began = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "stream.cli", "audit", "--json", "--limit", "100"], env=env,
                                  capture_output=True, timeout=1800)
            seconds = time.monotonic() - began
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the audit: the broker still runs
        finally:
            cluster.stop(delete=True)
    report = orjson.loads(done.stdout)
    totals = report["totals"]
    result = {"measured": time.strftime("%Y-%m-%d %H:%M:%S"), "records": args.records,
              "processed_bytes": args.processed_bytes, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb),
              "exit_status": done.returncode, "totals": totals, "expected": expected,
              "counts_right": (totals["processed"], totals["dead_lettered"], totals["lost"])
              == (expected["processed"], expected["dead_lettered"], expected["missing"])}
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0 if result["counts_right"] and done.returncode == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
