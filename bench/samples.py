"""Articles/s and produce-to-processed latency of the stream on the bundled samples.

    .venv/bin/python bench/samples.py --rounds 20 --latency-rounds 3

Starts a throw-away embedded broker (its own state folder and ports) and one worker
(`stream worker`), then:
1. latency: sends one sample article at a time, paced (--interval), and reads each
   article's produce -> articles.processed time from the two records' Kafka timestamps;
2. throughput: sends --rounds copies of the samples (fresh ids) at once and times them
   from the first send to the last articles.processed record.
Not a test: numbers depend on the machine. Prints a table and writes JSON (--out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from stream import settings as settings_module  # noqa: E402
from stream.broker.local import LocalCluster  # noqa: E402
from stream.demo import samples_dir  # noqa: E402
from stream.kafka_io import ensure_topics  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample_articles() -> list[dict]:
    return [orjson.loads(p.read_bytes()) for p in sorted(samples_dir().glob("*.json"))]


def copies(articles: list[dict], tag: str) -> list[bytes]:
    return [orjson.dumps({**a, "id": f"{a['id']}-{tag}-{i}"}) for i, a in enumerate(articles)]


async def run(bootstrap: str, prefix: str, rounds: int, latency_rounds: int, interval: float) -> dict:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    consumer = AIOKafkaConsumer(prefix + "articles.processed", bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="latest", max_partition_fetch_bytes=10 * 1024 * 1024)
    await producer.start()
    await consumer.start()
    await consumer.seek_to_end()
    for tp in consumer.assignment():
        await consumer.position(tp)
    sent_at: dict[str, float] = {}
    done_at: dict[str, float] = {}

    async def send(values: list[bytes]) -> None:
        for value in values:
            meta = await (await producer.send(prefix + "articles.raw", value=value))
            sent_at[orjson.loads(value)["id"]] = meta.timestamp / 1000

    async def wait_for(ids: set[str]) -> None:
        while not ids <= done_at.keys():
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for rec in records:
                    done_at[orjson.loads(rec.value)["article_id"]] = rec.timestamp / 1000

    articles = sample_articles()
    warm = copies(articles, "warm")
    await send(warm)
    await wait_for({orjson.loads(v)["id"] for v in warm})

    latency_values = [v for r in range(latency_rounds) for v in copies(articles, f"lat{r}")]
    for value in latency_values:
        await send([value])
        await asyncio.sleep(interval)
    latency_ids = {orjson.loads(v)["id"] for v in latency_values}
    await wait_for(latency_ids)
    latencies = sorted((done_at[i] - sent_at[i]) * 1000 for i in latency_ids)

    burst = [v for r in range(rounds) for v in copies(articles, f"b{r}")]
    burst_ids = {orjson.loads(v)["id"] for v in burst}
    start = time.time()
    await send(burst)
    await wait_for(burst_ids)
    elapsed = max(done_at[i] for i in burst_ids) - min(sent_at[i] for i in burst_ids)
    await producer.stop()
    await consumer.stop()
    chars = sum(len(a["body"]) for a in articles) * rounds
    return {
        "latency_ms": {"n": len(latencies), "p50": statistics.median(latencies),
                       "p95": latencies[int(0.95 * (len(latencies) - 1))], "max": latencies[-1]},
        "throughput": {"articles": len(burst), "seconds": elapsed, "articles_per_s": len(burst) / elapsed,
                       "characters_per_s": chars / elapsed, "wall_seconds": time.time() - start},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="copies of the samples in the throughput burst")
    parser.add_argument("--latency-rounds", type=int, default=3, help="copies of the samples sent one at a time")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between articles when measuring latency")
    parser.add_argument("--out", type=Path, default=Path("bench/results/samples.json"))
    args = parser.parse_args()
    defaults = settings_module.load()
    with tempfile.TemporaryDirectory() as state:
        cluster = LocalCluster(Path(state), cache_dir=defaults.cache_dir, maven_repo=defaults.maven_repo, port=0)
        url = cluster.start()
        prefix = f"bench{uuid.uuid4().hex[:6]}."
        env = {**os.environ, "STREAM_BROKER": url, "STREAM_TOPIC_PREFIX": prefix, "STREAM_STATE_DIR": state,
               "STREAM_WEB_PORT": str(free_port())}
        asyncio.run(ensure_topics(settings_module.load(env), url))
        log = Path(state) / "worker.log"
        worker = subprocess.Popen([sys.executable, "-m", "stream.cli", "worker", "-l", "info"], env=env,
                                  stdout=log.open("wb"), stderr=subprocess.STDOUT)
        try:
            while "ready in" not in log.read_text() or "Worker]: Ready" not in log.read_text():
                if worker.poll() is not None:
                    raise SystemExit(log.read_text()[-3000:])
                time.sleep(0.2)
            result = asyncio.run(run(url.removeprefix("kafka://"), prefix, args.rounds, args.latency_rounds, args.interval))
        finally:
            worker.terminate()
            worker.wait(60)
            cluster.stop()
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    lat, thr = result["latency_ms"], result["throughput"]
    print(f"latency (produce -> articles.processed, {lat['n']} articles one at a time): "
          f"p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {lat['max']:.0f} ms")
    print(f"throughput ({thr['articles']} articles at once): {thr['articles_per_s']:.1f} articles/s "
          f"({thr['characters_per_s'] / 1000:.0f}k characters/s) over {thr['seconds']:.1f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
