"""A randomized fault campaign: scenarios drawn from seeds, each ending with `stream audit`.

    .venv/bin/python bench/chaos.py --runs 50                 # seeds 1..50, about a minute each
    .venv/bin/python bench/chaos.py --seeds 7,19 --verbose     # replay chosen seeds exactly

Each seed draws one scenario (``draw``): the consumer group (new, or one that committed offsets on
one partition of each input topic only, as a deployment's second day or the demo leaves it); when
the articles are produced (all before the worker starts, while it starts, or after it is ready);
how many (a backlog of up to 300); one to three workers joining, one of them leaving; a SIGKILL of
a worker at a random point, then a restart; the broker stopped for a few seconds, or, on a cluster
of three, one broker killed and restarted; and the committed-offset look-ups slowed (the start-up
race of issue 13 made wide). The outcome is the audit's: lost records (behind the group's committed
offset, with no output), and duplicates on `articles.processed`, each checked to be identical to
its first copy (same event ids). A failing seed prints its scenario and replays with ``--seeds``. A
worker that exits with an error (one started while the broker is away does) is started again, as
compose's restart policy or a Kubernetes Deployment would (``restarted_after_exit``).
Scenarios share one broker (a fresh topic prefix, so a fresh group, each) except the three-broker
ones, which start their own cluster. JSON in bench/results/chaos.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiokafka.errors import KafkaError  # noqa: E402

from stream import settings as settings_module  # noqa: E402
from stream import topics  # noqa: E402
from stream.audit_run import run_audit  # noqa: E402
from stream.broker.local import LocalCluster, replication_for  # noqa: E402
from tests.integration.conftest import Pipeline, new_pipeline, wait_for  # noqa: E402
from tests.integration.faults import (FAST_FAILOVER, accounted, articles, bad_ids, children,  # noqa: E402
                                      identical_copies, kill_worker, processed_count)
from tests.integration.test_faults_startup import SLOW_SEEK, same_partition  # noqa: E402


@dataclass(frozen=True)
class Scenario:
    seed: int
    group: str  # "new" | "partial": offsets committed on one partition of each input topic only
    timing: str  # "before" | "during" | "after": when the articles are produced
    articles: int
    workers: int  # 1..3, joining one after the other
    leave: bool  # one of them stops (SIGTERM) midway
    kill_at: float | None  # share of the articles processed when a worker is SIGKILLed (then restarted)
    broker: str  # "steady" | "pause" (stopped for a few seconds) | "kill-one-of-three"
    slow_seek: bool  # committed-offset look-ups slowed: the start-up race made wide
    pause_seconds: float


def draw(seed: int) -> Scenario:
    rng = random.Random(seed)
    workers = rng.choice((1, 1, 2, 3))
    return Scenario(seed=seed, group=rng.choice(("new", "partial")), timing=rng.choice(("before", "during", "after")),
                    articles=rng.choice((40, 80, 150, 300)), workers=workers,
                    leave=workers > 1 and rng.random() < 0.5,
                    kill_at=rng.choice((None, rng.uniform(0.05, 0.8))),
                    broker=rng.choices(("steady", "pause", "kill-one-of-three"), weights=(6, 3, 1))[0],
                    slow_seek=rng.random() < 0.5, pause_seconds=round(rng.uniform(2, 8), 1))


class Campaign:
    """Runs scenarios; keeps one single-broker cluster for those that need no cluster of their own."""

    def __init__(self, home: Path, verbose: bool, logs: Path | None = None) -> None:
        self.home = home
        self.verbose = verbose
        self.logs = logs
        self.stack = ExitStack()
        self._shared: LocalCluster | None = None

    def cluster(self, scenario: Scenario, scenario_stack: ExitStack) -> LocalCluster:
        """A cluster of three of the scenario's own (stopped with ``scenario_stack``), or the shared broker."""
        defaults = settings_module.load()
        if scenario.broker == "kill-one-of-three":
            cluster = LocalCluster(self.home / f"kafka-{scenario.seed}", cache_dir=defaults.cache_dir,
                                   maven_repo=defaults.maven_repo, nodes=3, port=0, partitions=2)
            cluster.start(timeout=180)
            scenario_stack.callback(cluster.stop, delete=True)
            return cluster
        if self._shared is None:
            self._shared = LocalCluster(self.home / "kafka", cache_dir=defaults.cache_dir,
                                        maven_repo=defaults.maven_repo, port=0, partitions=2)
            self._shared.start(timeout=180)
            self.stack.callback(self._shared.stop, delete=True)
        return self._shared

    def say(self, text: str) -> None:
        if self.verbose:
            print(f"  {text}", flush=True)

    def run(self, scenario: Scenario) -> dict:
        started = time.monotonic()
        with ExitStack() as scenario_stack:
            cluster = self.cluster(scenario, scenario_stack)
            home = self.home / f"seed-{scenario.seed}"
            home.mkdir(parents=True, exist_ok=True)
            pipe = new_pipeline(cluster.url(), home, replication_factor=replication_for(len(cluster.nodes())))
            stop = threading.Event()
            restarts: list[int] = []
            supervisor = threading.Thread(target=self._supervise, args=(scenario, pipe, stop, restarts), daemon=True)
            supervisor.start()
            try:
                sent = self._play(scenario, cluster, pipe)
                outcome = {**self._outcome(pipe, sent), "restarted_after_exit": len(restarts)}
            finally:
                stop.set()
                supervisor.join()
                for worker in pipe.workers:
                    worker.stop()
            if self.logs and failed(outcome):
                self._keep_logs(scenario, pipe)
        return {**asdict(scenario), **outcome, "seconds": round(time.monotonic() - started, 1)}

    def _supervise(self, scenario: Scenario, pipe: Pipeline, stop: threading.Event, restarts: list[int]) -> None:
        """What compose's restart policy or a Kubernetes Deployment does: a worker that exits with an error (one
        that lost the broker while it started does) is started again."""
        seen: set[int] = set()
        while not stop.wait(1.0):
            for worker in list(pipe.workers):
                code = worker.proc.poll()
                if code is not None and code > 0 and worker.proc.pid not in seen:
                    seen.add(worker.proc.pid)
                    restarts.append(code)
                    self.say(f"a worker exited with status {code}: started again, as its supervisor would")
                    pipe.start_worker(wait=False, **self._env(scenario))

    def _keep_logs(self, scenario: Scenario, pipe: Pipeline) -> None:
        kept = self.logs / f"seed-{scenario.seed}"
        kept.mkdir(parents=True, exist_ok=True)
        for log in sorted(pipe.home.glob("worker-*.log")):
            (kept / log.name).write_bytes(log.read_bytes())
        print(f"    the workers' logs are in {kept}", flush=True)

    def _env(self, scenario: Scenario) -> dict:
        return SLOW_SEEK if scenario.slow_seek else FAST_FAILOVER

    def _play(self, scenario: Scenario, cluster: LocalCluster, pipe: Pipeline) -> dict[str, bytes]:
        rng = random.Random(scenario.seed * 7919)
        partitions = int(pipe.env["STREAM_PARTITIONS"])
        sent: dict[str, bytes] = {}
        if scenario.group == "partial":
            first = same_partition(articles(f"s{scenario.seed}-early", 30), partitions)
            asyncio.run(pipe.produce(list(first.values()), keys=[next(iter(first)).encode()] * len(first)))
            worker = pipe.start_worker(**FAST_FAILOVER)
            processed_count(pipe, len(first))
            worker.stop()
            pipe.workers.clear()
            sent.update(first)
            self.say(f"group committed offsets on one partition per input topic ({len(first)} articles)")
        batch = articles(f"s{scenario.seed}", scenario.articles, bad_every=50)
        sent.update(batch)
        producer = threading.Thread(target=self._produce, args=(pipe, batch, rng.uniform(0.5, 4.0)))
        if scenario.timing == "before":
            self._produce(pipe, batch, 0)
        for n in range(scenario.workers):
            worker = pipe.start_worker(wait=scenario.timing != "during" and n == 0, **self._env(scenario))
            if scenario.timing == "during" and n == 0:
                producer.start()
            self.say(f"worker {n + 1} started")
            time.sleep(rng.uniform(0, 3))
        if scenario.timing == "after":
            pipe.workers[0].wait_ready()
            self._produce(pipe, batch, 0)
        events = [(scenario.kill_at, self._kill), (0.3 if scenario.leave else None, self._leave),
                  (rng.uniform(0.1, 0.6) if scenario.broker != "steady" else None, self._broker_fault)]
        for at, action in sorted((e for e in events if e[0] is not None), key=lambda e: e[0]):
            self._wait_processed(pipe, int(at * scenario.articles))
            action(scenario, cluster, pipe, rng)
        if scenario.timing == "during":
            producer.join()
        return sent

    def _produce(self, pipe: Pipeline, batch: dict[str, bytes], seconds: float) -> None:
        """Send ``batch`` keyed by id, spread over ``seconds`` (0: at once)."""
        items = list(batch.items())
        chunks = max(1, int(seconds * 4))
        size = -(-len(items) // chunks)
        for start in range(0, len(items), size):
            chunk = items[start:start + size]
            self._send(pipe, chunk)
            if seconds:
                time.sleep(seconds / chunks)

    def _send(self, pipe: Pipeline, chunk: list[tuple[str, bytes]], patience: float = 180) -> None:
        """Send, retrying while the broker is away (a producer's own retries end with its delivery timeout)."""
        deadline = time.monotonic() + patience
        while True:
            try:
                asyncio.run(pipe.produce([v for _, v in chunk], keys=[k.encode() for k, _ in chunk]))
                return
            except KafkaError:
                if time.monotonic() > deadline:
                    raise
                self.say("the broker did not take the articles: sending them again in 1 s")
                time.sleep(1)

    def _wait_processed(self, pipe: Pipeline, count: int) -> None:
        if count > 0:
            processed_count(pipe, count, timeout=300)

    def _kill(self, scenario, cluster, pipe, rng) -> None:
        # a worker whose NLP processes are up (kill_worker checks that they die with it)
        candidates = wait_for(lambda: [w for w in pipe.workers if w.proc.poll() is None and children(w.proc.pid)],
                              what="a running worker to kill", timeout=120)
        kill_worker(rng.choice(candidates))
        self.say("a worker SIGKILLed; restarting it")
        pipe.start_worker(wait=False, **self._env(scenario))

    def _leave(self, scenario, cluster, pipe, rng) -> None:
        running = [w for w in pipe.workers if w.proc.poll() is None]
        if len(running) > 1:
            running[-1].stop(signal.SIGTERM)
            self.say("a worker left the group")

    def _broker_fault(self, scenario, cluster, pipe, rng) -> None:
        if scenario.broker == "pause":
            cluster.stop()
            self.say(f"broker stopped for {scenario.pause_seconds} s")
            time.sleep(scenario.pause_seconds)
            cluster.start(timeout=180)
        else:
            victim = rng.choice([n.node_id for n in cluster.nodes()])
            cluster.stop_node(victim, sig=signal.SIGKILL)
            self.say(f"broker {victim} of 3 SIGKILLed")
            time.sleep(scenario.pause_seconds)
            cluster.start(timeout=180)

    def _outcome(self, pipe: Pipeline, sent: dict[str, bytes], timeout: float = 300) -> dict:
        wanted = set(sent)
        out = asyncio.run(pipe.read((topics.PROCESSED, topics.DEADLETTER, topics.CASUALTIES, topics.ATTACKS),
                                    until=lambda r: accounted(r, wanted), timeout=timeout, raise_on_timeout=False))
        copies = identical_copies(out[topics.PROCESSED], lambda v: v["article_id"])
        identical_copies(out[topics.CASUALTIES] + out[topics.ATTACKS], lambda v: v["event_id"])
        settings = pipe.settings()
        time.sleep(3)  # a commit interval, so the committed offsets have caught up with the outputs
        audit, _ = asyncio.run(run_audit(settings, pipe.url, group=settings.faust_id))
        totals = audit.totals()
        dead = {r.value["article_id"] for r in out[topics.DEADLETTER]}
        return {"sent": len(sent), "processed": len(set(copies) & wanted), "dead_lettered": len(dead & wanted),
                "expected_dead": len(bad_ids(sent)), "duplicated": sum(n - 1 for n in copies.values()),
                "lost": totals["lost"], "pending": totals["pending"],
                "unaccounted_ids": sorted(wanted - set(copies) - dead)[:20]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="seeds 1..N (with --first, FIRST..FIRST+N-1)")
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--seeds", type=lambda s: [int(x) for x in s.split(",") if x], default=None,
                        help="exactly these seeds, comma-separated")
    parser.add_argument("--verbose", action="store_true", help="say each step of each scenario")
    parser.add_argument("--logs", type=Path, default=None, help="keep the workers' logs of failing seeds here")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "chaos.json")
    args = parser.parse_args(argv)
    seeds = args.seeds or list(range(args.first, args.first + args.runs))
    results = []
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        campaign = Campaign(Path(tmp), args.verbose, args.logs)
        try:
            for n, seed in enumerate(seeds, 1):
                scenario = draw(seed)
                print(f"[{n}/{len(seeds)}] seed {seed}: {json.dumps(asdict(scenario))}", flush=True)
                result = campaign.run(scenario)
                results.append(result)
                verdict = "LOST " + ",".join(result["unaccounted_ids"]) if failed(result) else "ok"
                print(f"    sent {result['sent']} processed {result['processed']} dead-lettered "
                      f"{result['dead_lettered']} duplicated {result['duplicated']} lost {result['lost']} "
                      f"pending {result['pending']} in {result['seconds']} s"
                      + (f" (workers restarted after an error exit: {result['restarted_after_exit']})"
                         if result["restarted_after_exit"] else "") + f": {verdict}", flush=True)
                _write(args.out, results)  # after each scenario: a campaign cut short keeps what it measured
        finally:
            campaign.stack.close()
    lost = sum(max(r["lost"] + r["pending"], r["sent"] - r["processed"] - r["dead_lettered"]) for r in results)
    print(f"{len(results)} scenarios, {sum(r['sent'] for r in results)} articles: {lost} lost, "
          f"{sum(r['duplicated'] for r in results)} duplicated (identical copies); seeds {seeds[0]}..{seeds[-1]}")
    return 1 if lost else 0


def failed(result: dict) -> bool:
    """Lost or pending by the audit, or an article sent that has no output (the audit sees only what reached
    articles.raw)."""
    return bool(result["lost"] or result["pending"] or result["unaccounted_ids"])


def _write(path: Path, results: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"measured": time.strftime("%Y-%m-%d %H:%M:%S"), "scenarios": results}, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
