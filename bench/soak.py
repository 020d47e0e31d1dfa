"""The soak benchmark: a worker under a steady load for minutes; its memory must not creep, its lag stay bounded.

    .venv/bin/python bench/soak.py --minutes 10          # half the sustained rate, about 11 minutes in all
    .venv/bin/python bench/soak.py --minutes 1 --rate 5  # a quick look

Starts a broker of its own and one `stream worker` (the default NLP processes), warms it up,
then sends articles of ../shared/data/news/throughput_corpus.jsonl (its even mix, as
bench/throughput.py samples it) at ``--rate`` per second (default: half the even mix's
sustained rate in bench/results/throughput.json) for ``--minutes``, every
article accounted for. Every ``--every`` seconds it samples the RSS of the worker and its NLP
processes and the worker's lag metric (`conflict_stream_consumer_lag` on /metrics). Reports
RSS a minute into the paced load and at its end (growth must stay under 10%), the largest
lag and the machine's load average (the machine is shared: a lag that grows means the
worker did not get the cores for the rate), and writes them to JSON (--out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Workers, free_port, local_broker, rss_mb, run_load, sampled_articles  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "throughput_corpus.jsonl"
THROUGHPUT = ROOT / "bench" / "results" / "throughput.json"
LAG = "conflict_stream_consumer_lag"
WARM_UP = 100  # articles sent at once before the paced load
SETTLE_SECONDS = 60  # into the paced load, where RSS growth is measured from


def half_sustained_rate() -> float:
    sustained = json.loads(THROUGHPUT.read_text())["mixes"]["even"]["stream"]["sustained"]["articles_per_s"]
    return round(sustained / 2, 1)


def lag_of(web_url: str) -> int:
    """The worker's summed consumer lag over its partitions, from its Prometheus metrics."""
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(web_url + "/metrics", timeout=5) as response:
        text = response.read().decode()
    return int(sum(s.value for f in text_string_to_metric_families(text) for s in f.samples if s.name == LAG))


class Sampler:
    """RSS per worker process and lag, every ``every`` seconds (called from run_load's collect loop)."""

    def __init__(self, pids: list[int], web_url: str, every: float) -> None:
        self.pids, self.web_url, self.every = pids, web_url, every
        self.samples: list[dict] = []
        self.started = time.monotonic()
        self._next = 0.0

    def sample(self) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.every
        sample = {"s": round(now - self.started), "rss_mb": [round(rss_mb(p), 1) for p in self.pids],
                  "lag": lag_of(self.web_url), "load": round(os.getloadavg()[0], 1)}
        self.samples.append(sample)
        print(f"  {sample['s']:>5}s  RSS {sum(sample['rss_mb']):7.1f} MB {sample['rss_mb']}  lag {sample['lag']}"
              f"  machine load {sample['load']}", flush=True)


def soak(url: str, home: Path, items: list[dict], rate: float, every: float) -> dict:
    port = free_port()
    prefix = f"s{uuid.uuid4().hex[:8]}."
    group = Workers(url, prefix, home / prefix.rstrip("."),
                    env_extra={"STREAM_PARTITIONS": "4", "STREAM_WEB_PORT": str(port)})
    group.home.mkdir(parents=True)
    group.start(1)
    bootstrap = url.removeprefix("kafka://")
    try:
        warm = sampled_articles(CORPUS, WARM_UP, "warm", "even", seed=1)
        asyncio.run(run_load(bootstrap, prefix, warm, rate=None, meter=None))
        sampler = Sampler(group.pids(), f"http://127.0.0.1:{port}", every)
        sampler.sample()
        # the last articles get as long to drain as the whole run took to send
        times = asyncio.run(run_load(bootstrap, prefix, items, rate=rate, meter=sampler,
                                     timeout=2 * len(items) / rate + 60))
        sampler._next = 0.0
        sampler.sample()
    finally:
        group.stop()
    # the start is a minute in: by then every lazy load (the language model, the incident stage) is done
    first = next(s for s in sampler.samples if s["s"] >= SETTLE_SECONDS)
    last = sampler.samples[-1]
    start, end = sum(first["rss_mb"]), sum(last["rss_mb"])
    return {"articles": len(items), "accounted_for": len(times), "lost": len(items) - len(times),
            "rss_mb_first_sample": round(sum(sampler.samples[0]["rss_mb"]), 1),
            "rss_mb_start": round(start, 1), "rss_mb_end": round(end, 1),
            "rss_growth_pct": round(100 * (end - start) / start, 1),
            "rss_mb_start_per_process": first["rss_mb"], "rss_mb_end_per_process": last["rss_mb"],
            "max_lag": max(s["lag"] for s in sampler.samples), "end_lag": last["lag"],
            "machine_load": [min(s["load"] for s in sampler.samples), max(s["load"] for s in sampler.samples)],
            "samples": sampler.samples}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=None, help="articles per second (default: half sustained)")
    parser.add_argument("--every", type=float, default=10, help="seconds between samples")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: still stop the worker and the broker
    if not CORPUS.exists():
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    rate = args.rate or half_sustained_rate()
    items = sampled_articles(CORPUS, int(rate * args.minutes * 60), "soak", "even")
    print(f"soak: {len(items)} articles at {rate}/s for {args.minutes} min", flush=True)
    with tempfile.TemporaryDirectory() as tmp, local_broker(Path(tmp) / "kafka") as url:
        result = {"minutes": args.minutes, "rate_per_s": rate, **soak(url, Path(tmp), items, rate, args.every)}
    print(f"\nSOAK: {result['articles']} articles at {rate}/s for {args.minutes} min, lost {result['lost']}; "
          f"RSS {result['rss_mb_start']} -> {result['rss_mb_end']} MB ({result['rss_growth_pct']:+}%); "
          f"max lag {result['max_lag']}, lag at the end {result['end_lag']}; "
          f"machine load {result['machine_load'][0]}-{result['machine_load'][1]} on {os.cpu_count()} cores")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0 if result["lost"] == 0 and result["rss_growth_pct"] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
