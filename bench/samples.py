"""Articles/s and produce-to-processed latency of the stream on the bundled samples.

    .venv/bin/python bench/samples.py --rounds 20 --latency-rounds 3

Starts a throw-away broker and one worker, then:
1. latency: sends one sample article at a time, paced (--interval), and reads each article's
   produce -> articles.processed time from the two records' Kafka timestamps;
2. throughput: sends --rounds copies of the samples (fresh ids) at once and times them from the
   first send to the last articles.processed record.
Not a test: numbers depend on the machine. The wire-length benchmark is bench/throughput.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import uuid
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Workers, local_broker, percentiles, run_load  # noqa: E402

from stream.demo import samples_dir  # noqa: E402


def copies(rounds: int, tag: str) -> list[dict]:
    samples = [orjson.loads(p.read_bytes()) for p in sorted(samples_dir().glob("*.json"))]
    return [{**a, "id": f"{a['id']}-{tag}{r}-{i}"} for r in range(rounds) for i, a in enumerate(samples)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="copies of the samples in the throughput burst")
    parser.add_argument("--latency-rounds", type=int, default=3, help="copies of the samples sent one at a time")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between articles when measuring latency")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "samples.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, local_broker(Path(tmp) / "kafka") as url:
        prefix = f"bench{uuid.uuid4().hex[:6]}."
        workers = Workers(url, prefix, Path(tmp))
        workers.start(1)
        try:
            bootstrap = url.removeprefix("kafka://")
            paced = asyncio.run(run_load(bootstrap, prefix, copies(args.latency_rounds, "lat"),
                                         rate=1 / args.interval, meter=None))
            burst = asyncio.run(run_load(bootstrap, prefix, copies(args.rounds, "b"), rate=None, meter=None))
        finally:
            workers.stop()
    latency = percentiles([(done - sent) * 1000 for sent, done in paced.values()])
    seconds = max(d for _, d in burst.values()) - min(s for s, _ in burst.values())
    result = {"latency_ms": latency, "throughput": {"articles": len(burst), "articles_per_s": len(burst) / seconds}}
    print(f"latency (produce -> articles.processed, {latency['n']} articles one at a time): "
          f"p50 {latency['p50']} ms, p95 {latency['p95']} ms, max {latency['max']} ms")
    print(f"throughput ({len(burst)} articles at once): {len(burst) / seconds:.1f} articles/s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
