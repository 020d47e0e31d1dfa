"""Events per second of `stream sink` into SQLite and PostgreSQL, and its memory.

    .venv/bin/python bench/sink.py --articles 2000        # --batch N, --out PATH, --only sqlite|postgresql

Starts a throw-away broker (and a PostgreSQL server as in the tests: tests/postgres.py), analyses the bundled
samples once with `stream extract --incidents`, and puts --articles copies of their messages (fresh article,
event and incident ids; articles.processed, events.casualties, events.attacks, events.incidents, as a worker
would) on the topics before any sink starts. Then it runs the sink over the backlog, once per database, and
times it from its first committed row to its last (start-up and the group join left out), sampling the RSS
of the sink process. Not a test: numbers depend on the machine. Writes bench/results/sink.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
from aiokafka import AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, local_broker, rss_mb  # noqa: E402

from stream import settings as settings_module  # noqa: E402
from stream import topics  # noqa: E402
from stream.demo import samples_dir  # noqa: E402
from stream.kafka_io import bootstrap_servers, ensure_topics  # noqa: E402
from tests.postgres import start_postgres  # noqa: E402


def analysed_samples() -> tuple[list[dict], list[dict]]:
    """The samples' processed messages and final incident records, from `stream extract --incidents`."""
    given = b"".join(orjson.dumps(orjson.loads(p.read_bytes())) + b"\n" for p in sorted(samples_dir().glob("*.json")))
    done = subprocess.run([sys.executable, "-m", "stream.cli", "extract", "--incidents", "-"], input=given,
                          capture_output=True, check=True, cwd=ROOT)
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    return [x for x in lines if "article_id" in x], [x["incident"] for x in lines if "incident" in x]


def _id(prefix: str, *parts: object) -> str:
    return prefix + hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=12).hexdigest()


def copies(processed: list[dict], incidents: list[dict], count: int):
    """(topic, key, value) of ``count`` articles: the samples again and again under fresh ids."""
    for n in range(count):
        article = dict(processed[n % len(processed)])
        article.pop("incident_ids", None)
        article["article_id"] = f"{article['article_id']}-{n}"
        for kind, topic in (("casualties", topics.CASUALTIES), ("attacks", topics.ATTACKS)):
            article[kind] = [{**c, "article_id": article["article_id"], "event_id": _id(c["event_id"][:4], c, n)}
                             for c in article[kind]]
            for claim in article[kind]:
                yield topic, article["article_id"], claim
        yield topics.PROCESSED, article["article_id"], article
        if n % 3 == 0 and incidents:  # about one incident record per three articles, as the samples give
            record = incidents[n % len(incidents)]
            record = {**record, "incident_id": _id("inc-", record["incident_id"], n)}
            yield topics.INCIDENTS, record["incident_id"], record


async def produce(url: str, prefix: str, messages) -> int:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(url), acks="all", linger_ms=20,
                                max_request_size=10 * 1024 * 1024)
    await producer.start()
    try:
        futures = [await producer.send(prefix + topic, orjson.dumps(value), key=key.encode())
                   for topic, key, value in messages]
        await asyncio.gather(*futures)
        return len(futures)
    finally:
        await producer.stop()


def written(connect, url: str) -> int:
    try:
        conn = connect(url)
        try:
            return int(conn.execute("SELECT coalesce(sum(next_offset), 0) FROM sink_offsets").fetchone()[0])
        finally:
            conn.close()
    except Exception:  # not created yet
        return 0


def run_sink(env: dict, url: str, connect, total: int, batch: int, log: Path) -> dict:
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "stream.cli", "sink", url, "--batch", str(batch),
                                 "--idle-exit", "3"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    first = None
    peak = 0.0
    while (done := written(connect, url)) < total:
        if proc.poll() is not None:
            raise RuntimeError(f"the sink exited early:\n{log.read_text()[-3000:]}")
        if done and first is None:
            first = (time.monotonic(), done)
        peak = max(peak, rss_mb(proc.pid))
        time.sleep(0.05)
    end = time.monotonic()
    peak = max(peak, rss_mb(proc.pid))
    proc.wait(60)
    seconds = end - first[0]
    return {"records": total - first[1], "seconds": round(seconds, 2),
            "records_per_s": round((total - first[1]) / seconds, 1), "peak_rss_mb": round(peak, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sink.json")
    args = parser.parse_args()
    processed, incidents = analysed_samples()
    messages = list(copies(processed, incidents, args.articles))
    events = sum(t in (topics.CASUALTIES, topics.ATTACKS) for t, _, _ in messages)
    with tempfile.TemporaryDirectory() as home, local_broker(Path(home) / "state") as url:
        prefix = "bench."
        env = {**__import__("os").environ, "STREAM_BROKER": url, "STREAM_TOPIC_PREFIX": prefix,
               "PYTHONPATH": str(ROOT)}
        asyncio.run(ensure_topics(settings_module.load(env), url))
        total = asyncio.run(produce(url, prefix, messages))
        results = {}
        if args.only in (None, "sqlite"):
            import sqlite3

            results["sqlite"] = run_sink(env, f"sqlite:///{home}/sink.db",
                                         lambda u: sqlite3.connect(u.removeprefix("sqlite:///")), total, args.batch,
                                         Path(home) / "sqlite.log")
        if args.only in (None, "postgresql"):
            import psycopg

            server = start_postgres()
            try:
                results["postgresql"] = run_sink(env, server.new_database(), psycopg.connect, total, args.batch,
                                                 Path(home) / "postgresql.log")
            finally:
                server.remove()
    for result in results.values():
        result["events_per_s"] = round(result["records_per_s"] * events / total, 1)
    report = {"articles": args.articles, "records": total, "events": events, "batch": args.batch, **results}
    print(json.dumps(report, indent=2))
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
