"""The worker's Prometheus metrics and the consumer group's progress, without a worker or a broker."""

from __future__ import annotations

import time

from prometheus_client.parser import text_string_to_metric_families

from stream.kafka_io import PartitionOffsets
from stream.web.metrics import LiveState, RecentRate, WorkerMetrics
from stream.web.progress import GroupProgress


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _processed(statuses: list[str], attack_types: list[str]) -> dict:
    return {"casualties": [{"status": s} for s in statuses], "attacks": [{"attack_type": t} for t in attack_types]}


def _families(metrics: WorkerMetrics) -> dict:
    return {family.name: family for family in text_string_to_metric_families(metrics.render().decode())}


def _value(families: dict, sample_name: str, **labels: str) -> float:
    family = families[sample_name.removesuffix("_total").removesuffix("_count").removesuffix("_sum")]
    return sum(s.value for s in family.samples if s.name == sample_name and labels.items() <= s.labels.items())


def _recorded() -> WorkerMetrics:
    metrics = WorkerMetrics()
    for _ in range(3):
        metrics.consumed()
    metrics.dead_lettered("not_json", "ingest")
    metrics.dead_lettered("not_json", "ingest")
    metrics.dead_lettered("analysis_failed", "analysis")
    metrics.published(_processed(["killed", "killed", "injured"], ["airstrike"]), produced_at=time.time() - 0.2)
    metrics.published(_processed([], []), produced_at=None)
    metrics.batch(size=3, nlp_seconds=0.04, duplicates=1)
    return metrics


def test_web_metrics_render_parses_with_the_client_parser():
    families = _families(_recorded())
    assert _value(families, "conflict_stream_articles_consumed_total") == 3
    assert _value(families, "conflict_stream_articles_processed_total") == 2
    assert _value(families, "conflict_stream_articles_duplicate_total") == 1
    assert _value(families, "conflict_stream_articles_dead_lettered_total", reason="not_json", stage="ingest") == 2
    assert _value(families, "conflict_stream_articles_dead_lettered_total", reason="analysis_failed") == 1
    assert _value(families, "conflict_stream_casualty_claims_total", status="killed") == 2
    assert _value(families, "conflict_stream_attack_claims_total", attack_type="airstrike") == 1
    assert _value(families, "conflict_stream_processing_latency_seconds_count") == 1  # the second had no timestamp
    assert 0.2 <= _value(families, "conflict_stream_processing_latency_seconds_sum") < 5
    assert _value(families, "conflict_stream_batch_size_sum") == 3
    assert _value(families, "conflict_stream_nlp_seconds_sum") == 0.04
    assert families["process_resident_memory_bytes"].samples[0].value > 0


def test_web_metrics_api_figures_are_the_same_counters():
    metrics = _recorded()
    assert metrics.totals() == {"consumed": 3, "processed": 2, "dead_lettered": 3, "duplicates": 1,
                                "casualty_claims": 3, "attack_claims": 1}
    assert metrics.dead_letters() == {"not_json": 2, "analysis_failed": 1}
    assert metrics.claims() == {"casualty": {"killed": 2, "injured": 1}, "attack": {"airstrike": 1}}


def test_web_metrics_each_worker_has_its_own_registry():
    first, second = WorkerMetrics(), WorkerMetrics()  # the global registry would refuse the second
    first.consumed()
    assert first.totals()["consumed"] == 1 and second.totals()["consumed"] == 0
    assert b"conflict_stream_articles_consumed_total 0.0" in second.render()


def test_web_metrics_live_state_is_read_at_scrape_time():
    metrics, lag, rebalances = WorkerMetrics(), {}, [0]
    metrics.registry.register(LiveState(rebalances=lambda: rebalances[0], lag=lambda: lag,
                                        extractor_version=lambda: "1.0.0+model-3.8.0"))
    lag[("articles.raw", 1)] = 7
    rebalances[0] = 2
    families = _families(metrics)
    (sample,) = families["conflict_stream_consumer_lag"].samples
    assert (sample.labels, sample.value) == ({"topic": "articles.raw", "partition": "1"}, 7)
    assert _value(families, "conflict_stream_rebalances_total") == 2
    assert families["conflict_stream_worker_info"].samples[0].labels == {"extractor_version": "1.0.0+model-3.8.0"}
    lag.clear()  # a lag Kafka no longer reports is not kept
    assert not _families(metrics)["conflict_stream_consumer_lag"].samples


def test_web_recent_rate_counts_the_last_minute_only():
    clock = Clock()
    rate = RecentRate(window=60, clock=clock)
    rate.add(30)
    clock.now += 30
    assert rate.per_second() == 1.0  # up 30 s: divided by its age, not by the whole window
    rate.add(30)
    clock.now += 29
    assert rate.per_second() == 60 / 59
    clock.now += 2
    assert rate.per_second() == 0.5  # the first 30 fell out of the window
    clock.now += 60
    assert rate.per_second() == 0.0


def test_web_recent_rate_memory_is_bounded_by_the_window():
    clock = Clock()
    rate = RecentRate(window=60, clock=clock)
    for _ in range(10_000):
        rate.add()
        clock.now += 0.1
    assert len(rate._slots) <= 61


def _offsets(committed: dict, end: dict) -> list[PartitionOffsets]:
    return [PartitionOffsets(topic, partition, committed[(topic, partition)], end[(topic, partition)])
            for topic, partition in end]


def test_web_group_progress_lag_and_rates_per_topic():
    clock = Clock()
    progress = GroupProgress(window=60, clock=clock)
    assert progress.answered_ago() is None and progress.topics() == {}
    progress.record(_offsets({("raw", 0): 0, ("raw", 1): 10}, {("raw", 0): 5, ("raw", 1): 10}))
    assert progress.lag() == {("raw", 0): 5, ("raw", 1): 0}
    assert progress.topics() == {"raw": {"lag": 5, "in_per_s": None, "done_per_s": None}}
    clock.now += 10
    progress.record(_offsets({("raw", 0): 20, ("raw", 1): 40}, {("raw", 0): 50, ("raw", 1): 40}))
    assert progress.topics() == {"raw": {"lag": 30, "in_per_s": 7.5, "done_per_s": 5.0}}
    assert progress.answered_ago() == 0


def test_web_group_progress_shows_nothing_stale_and_keeps_the_error():
    clock = Clock()
    progress = GroupProgress(stale_after=60, clock=clock)
    progress.record(_offsets({("raw", 0): 1}, {("raw", 0): 3}))
    progress.failed("KafkaConnectionError: Unable to bootstrap")
    clock.now += 61
    assert progress.lag() == {} and progress.topics() == {}
    assert progress.error.startswith("KafkaConnectionError") and progress.answered_ago() == 61
    progress.record(_offsets({("raw", 0): 3}, {("raw", 0): 3}))
    assert progress.error is None and progress.lag() == {("raw", 0): 0}


def test_web_partition_lag_never_negative():
    # Committed can pass a stale end offset read a moment earlier.
    assert PartitionOffsets("raw", 0, committed=12, end=10).lag == 0
