"""``stream status``: what it prints from a worker's /api/stats."""

from __future__ import annotations

import io

from rich.console import Console

from stream.status import render

STATS = {
    "worker": {"id": "host-1", "group": "conflict-stream", "extractor_version": "1.0.0+model-3.8.0",
               "uptime_seconds": 75.2, "ready": {"status": "ok", "checks": {}}},
    "totals": {"consumed": 15, "processed": 11, "dead_lettered": 4, "duplicates": 0, "casualty_claims": 20,
               "attack_claims": 17},
    "per_second": {"consumed": 0.25, "processed": 0.18, "dead_lettered": 0.07, "claims": 0.6},
    "dead_letters": {"not_json": 1, "missing_body": 3},
    "claims": {"casualty": {"killed": 20}, "attack": {"airstrike": 17}},
    "group": {"topics": {"articles.raw": {"lag": 12, "in_per_s": 2.0, "done_per_s": 1.5}},
              "partitions": [], "lag_total": 12, "error": None},
}


def _printed(stats: dict) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=120, color_system=None).print(render(stats))
    return buffer.getvalue()


def test_web_status_prints_readiness_counts_lag_and_dead_letters():
    text = _printed(STATS)
    assert "host-1 (group conflict-stream), up 75s" in text and "\nready\n" in text
    assert "consumed 15 (0.25/s), processed 11 (0.18/s), dead-lettered 4" in text
    assert "articles.raw" in text and "12" in text and "2.00/s" in text
    assert "dead letters: missing_body 3, not_json 1" in text


def test_web_status_says_why_a_worker_is_not_ready_and_when_lag_is_unknown():
    not_ready = {"status": "fail", "reason": "model: the model is loading"}
    stats = {**STATS, "worker": {**STATS["worker"], "ready": not_ready},
             "group": {"topics": {}, "partitions": [], "lag_total": 0, "error": "KafkaConnectionError"}}
    text = _printed(stats)
    assert "NOT READY: model: the model is loading" in text
    assert "group lag unknown: KafkaConnectionError" in text
