"""Scale-out on the local three-broker cluster: 1, 2 and 3 workers of one NLP process each, in one group.

    .venv/bin/python bench/scale_out.py                  # 2,000 articles per group size, about 10 minutes
    .venv/bin/python bench/scale_out.py --articles 300 --workers 2   # a quick look

For each group size, on fresh topics (6 partitions, replication factor 3, min.insync.replicas 2):
the workers start and settle on their partitions, a few articles warm them up, N articles of the
throughput corpus are sent at once, and the run ends when each one is on `articles.processed`. Reports articles/s (first send
to last result), articles lost, and the cores and peak RSS of the worker processes. The CI proof
of the same set-up, with event ids compared, is tests/integration/test_scale_out.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Meter, Workers, articles, local_broker, run_load  # noqa: E402

from stream.kafka_io import bootstrap_servers  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "throughput_corpus.jsonl"
PARTITIONS = 6
WARM_UP = 20  # articles sent (and not counted) first: steady state, not start-up
GROUP_ENV = {"STREAM_NLP_PROCESSES": "1", "STREAM_PARTITIONS": str(PARTITIONS), "STREAM_REPLICATION_FACTOR": "3"}


def group_run(url: str, home: Path, items: list[dict], workers: int) -> dict:
    prefix = f"x{uuid.uuid4().hex[:8]}."
    group = Workers(url, prefix, home / prefix.rstrip("."), env_extra=GROUP_ENV)
    group.home.mkdir(parents=True)
    group.start(workers)
    bootstrap = bootstrap_servers(url)
    try:
        warm = [{**item, "id": f"warm-{n}"} for n, item in enumerate(items[:WARM_UP])]
        asyncio.run(run_load(bootstrap, prefix, warm, rate=None, meter=None))
        meter = Meter(group.pids())
        times = asyncio.run(run_load(bootstrap, prefix, items, rate=None, meter=meter))
        usage = meter.result()
    finally:
        group.stop()
    first = min(sent for sent, _ in times.values())
    last = max(done for _, done in times.values())
    return {"workers": workers, "articles": len(times), "lost": len(items) - len(times),
            "articles_per_s": round(len(times) / (last - first), 1), **usage}


def render(runs: list[dict], cores: int) -> str:
    lines = [f"{'workers x 1 NLP process':24} {'articles/s':>10} {'lost':>5} {'cores busy':>10}  peak RSS MB"]
    for run in runs:
        lines.append(f"{run['workers']:<24} {run['articles_per_s']:>10} {run['lost']:>5} {run['cores_busy']:>10}  "
                     f"{', '.join(map(str, run['peak_rss_mb'].values()))}")
    lines.append(f"(three brokers and the workers share this machine's {cores} cores)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale_out.json")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    runs = []
    with tempfile.TemporaryDirectory() as tmp, local_broker(Path(tmp) / "kafka", nodes=3) as url:
        for count in args.workers:
            print(f"{count} worker(s)...", flush=True)
            runs.append(group_run(url, Path(tmp), articles(args.corpus, args.articles, f"w{count}"), count))
    print(render(runs, os.cpu_count() or 1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"partitions": PARTITIONS, "runs": runs}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
