"""The speed benchmark keeps working (a tiny run; the real figures come from `bench/throughput.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "data" / "news" / "throughput_corpus.jsonl"


def test_bench_throughput_runs_end_to_end_and_loses_nothing(tmp_path):
    corpus = CORPUS
    if not corpus.exists():  # our own samples stand in for the corpus, so the benchmark still runs
        corpus = tmp_path / "corpus.jsonl"
        samples = sorted((ROOT / "stream" / "samples").glob("*.json"))
        corpus.write_text("\n".join(json.dumps({"text": json.loads(p.read_text())["body"], "conflict_domain": n % 2 == 0})
                                    for n, p in enumerate(samples)))
    out = tmp_path / "throughput.json"
    done = subprocess.run([sys.executable, "bench/throughput.py", "--articles", "16", "--latency-articles", "8",
                           "--mixes", "conflict,other", "--quick", "--corpus", str(corpus), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert list(result["mixes"]) == ["conflict", "other"]
    for mix in result["mixes"].values():
        assert mix["stream"]["sustained"]["lost"] == 0 and mix["stream"]["sustained"]["articles"] == 16
        assert all(mix["baselines"][name]["articles_per_s"] > 0 for name in ("a", "a2", "ner2"))
    assert {"latency_50", "latency_80"} <= result["mixes"]["conflict"]["stream"].keys()
    assert result["naive"]["articles_per_s"] > 0 and result["naive"]["lost"] == 0
    assert set(result["scaling"]) == {"1 worker x 1 NLP process", "2 workers x 1 NLP process"}
    assert "ratio of the stream to it" in done.stdout and "conflict mix" in done.stdout


def test_bench_exactly_once_accounts_for_a_killed_run(tmp_path):
    out = tmp_path / "exactly_once.json"
    done = subprocess.run([sys.executable, "bench/exactly_once.py", "--runs", "1", "--articles", "200",
                           "--wait", "60", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [run] = json.loads(out.read_text())["runs"]
    assert run["processed_before_kill"] >= 100
    assert run["written"]["accounted"] >= max(run["committed"]["accounted"], 100)  # the log keeps what was read
    assert run["held"] == (run["committed"]["lost"] == 0 and run["committed"]["duplicated"] == 0)
    assert "exactly_once held in" in done.stdout


def test_bench_chaos_fixed_seeds_lose_nothing(tmp_path):
    # seed 8: a group with offsets on one partition per input topic, articles produced while the worker
    # starts, committed-offset look-ups slowed (the start-up race); seed 7: two workers, one leaves, one
    # is SIGKILLed and restarted
    out, logs = tmp_path / "chaos.json", tmp_path / "logs"
    done = subprocess.run([sys.executable, "bench/chaos.py", "--seeds", "8,7", "--out", str(out), "--logs", str(logs)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:] + what_the_workers_said(logs)
    scenarios = json.loads(out.read_text())["scenarios"]
    assert [s["seed"] for s in scenarios] == [8, 7]
    assert scenarios[0]["group"] == "partial" and scenarios[0]["timing"] == "during" and scenarios[0]["slow_seek"]
    for s in scenarios:
        assert s["lost"] == 0 and s["pending"] == 0 and s["processed"] + s["dead_lettered"] == s["sent"], s
        assert s["dead_lettered"] == s["expected_dead"]
    assert "0 lost" in done.stdout


def what_the_workers_said(logs: Path) -> str:
    """The lines of a failing seed's worker logs that tell how its partitions were positioned and committed."""
    wanted = ("WARNING", "ERROR", "reading again", "Seek stream", "Resuming flow", "generation", "Ready")
    lines = [f"{log.parent.name}/{log.name}: {line}" for log in sorted(logs.glob("*/*.log"))
             for line in log.read_text(errors="replace").splitlines() if any(w in line for w in wanted)]
    return "\n".join(lines)[-6000:]
