"""Faust's exactly_once guarantee under a worker kill, measured over several runs (it is not offered).

    .venv/bin/python bench/exactly_once.py --runs 4     # about a minute a run

Each run, on a broker of its own and fresh topics: one worker forced into exactly_once
(tests/integration/exactly_once/sitecustomize.py) gets ``--articles`` short articles (every
100th an empty body, a dead letter), is SIGKILLed once 100 are on `articles.processed`, and is
restarted. Then two readers count the articles accounted for (processed or dead-lettered):
one reading `read_committed`, as exactly_once consumers must, and one reading everything
written (`read_uncommitted`), each for up to ``--wait`` seconds. A run holds when the committed
view accounts for every article with no duplicate. The outcome varies from run to run, which
is why this is a benchmark and not a test (the test that shows exactly_once cannot be offered
is `tests/integration/test_faults_exactly_once.py`: two workers crash in a loop).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stream import topics  # noqa: E402
from tests.integration.conftest import new_pipeline  # noqa: E402
from tests.integration.faults import (EXACTLY_ONCE, accounted, articles, kill_worker, own_cluster,  # noqa: E402
                                      processed_count)

KILL_AFTER = 100


async def view(pipe, sent: dict[str, bytes], isolation_level: str, wait: float) -> dict:
    """What a reader with ``isolation_level`` sees of the articles sent within ``wait`` seconds."""
    names = (topics.PROCESSED, topics.DEADLETTER)
    out = await pipe.read(names, until=lambda r: accounted(r, set(sent)), timeout=wait,
                          isolation_level=isolation_level, raise_on_timeout=False)
    copies = Counter(r.value["article_id"] for r in out[topics.PROCESSED])
    dead = {r.value["article_id"] for r in out[topics.DEADLETTER]}
    return {"accounted": len((set(copies) | dead) & set(sent)), "duplicated": sum(n - 1 for n in copies.values()),
            "lost": len(set(sent) - set(copies) - dead)}


def one_run(pipe, tag: str, count: int, wait: float) -> dict:
    sent = articles(tag, count, bad_every=100)
    worker = pipe.start_worker(**EXACTLY_ONCE)
    if "processing_guarantee=exactly_once" not in worker.output():
        raise SystemExit("the worker did not run exactly_once: is tests/integration/exactly_once on PYTHONPATH?")
    asyncio.run(pipe.produce(list(sent.values())))
    before = processed_count(pipe, min(KILL_AFTER, count // 2))
    kill_worker(worker)
    pipe.start_worker(**EXACTLY_ONCE)
    started = time.monotonic()
    committed = asyncio.run(view(pipe, sent, "read_committed", wait))
    written = asyncio.run(view(pipe, sent, "read_uncommitted", wait))
    return {"sent": count, "processed_before_kill": before, "committed": committed, "written": written,
            "held": committed["lost"] == 0 and committed["duplicated"] == 0,
            "seconds_after_restart": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--wait", type=float, default=120, help="seconds each reader waits for every article")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "exactly_once.json")
    args = parser.parse_args(argv)

    runs = []
    with tempfile.TemporaryDirectory(prefix="exactly-once-") as tmp, own_cluster(Path(tmp)) as (cluster, first):
        for n in range(args.runs):
            pipe = first if n == 0 else new_pipeline(cluster.url(), Path(tmp) / f"run-{n}")
            pipe.home.mkdir(parents=True, exist_ok=True)
            try:
                runs.append(one_run(pipe, f"eos{n}", args.articles, args.wait))
            finally:
                for worker in pipe.workers:
                    worker.stop()
            print(f"run {n + 1}/{args.runs}: {json.dumps(runs[-1])}", flush=True)
    held = sum(r["held"] for r in runs)
    print(f"exactly_once held in {held} of {len(runs)} runs (committed view complete, no duplicate)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"measured": time.strftime("%Y-%m-%d %H:%M:%S"), "held": held, "runs": runs},
                                   indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
