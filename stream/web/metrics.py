"""The worker's Prometheus metrics, in a registry of its own (not the client library's global one).

``WorkerMetrics`` is what the agents record into; ``LiveState`` reads, at scrape time, what
Faust and Kafka know (rebalances, the group's lag). ``/metrics`` renders the registry and
``/api/stats`` reads the same counters, so the two never disagree.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
PREFIX = "conflict_stream"
# Produce to processed: milliseconds when idle, minutes during a backlog.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)
NLP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
RATES = ("consumed", "processed", "dead_lettered", "claims")


class RecentRate:
    """Events per second over the last ``window`` seconds, counted in one-second slots (bounded at any rate)."""

    def __init__(self, window: int = 60, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self.started = clock()
        self._slots: deque[list[int]] = deque()  # [second, count], oldest first

    def add(self, n: int = 1) -> None:
        second = int(self.clock())
        if self._slots and self._slots[-1][0] == second:
            self._slots[-1][1] += n
        else:
            self._slots.append([second, n])
        self._forget_before(second - self.window)

    def per_second(self) -> float:
        now = self.clock()
        self._forget_before(int(now) - self.window)
        # A worker up for less than the window divides by its age, not by the whole window.
        span = min(float(self.window), max(now - self.started, 1.0))
        return sum(count for _, count in self._slots) / span

    def _forget_before(self, second: int) -> None:
        while self._slots and self._slots[0][0] <= second:
            self._slots.popleft()


class WorkerMetrics:
    """Counters and histograms of one worker; the agents record, the web view reads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self._consumed = Counter(f"{PREFIX}_articles_consumed", "Messages read from articles.raw",
                                 registry=registry)
        self._processed = Counter(f"{PREFIX}_articles_processed",
                                  "Articles analysed and published (articles.processed acknowledged)",
                                  registry=registry)
        self._dead_lettered = Counter(f"{PREFIX}_articles_dead_lettered", "Inputs sent to articles.deadletter",
                                      ["reason", "stage"], registry=registry)
        self._duplicates = Counter(f"{PREFIX}_articles_duplicate", "Exact re-sends skipped", registry=registry)
        self._casualty_claims = Counter(f"{PREFIX}_casualty_claims", "Casualty claims published", ["status"],
                                        registry=registry)
        self._attack_claims = Counter(f"{PREFIX}_attack_claims", "Attack claims published", ["attack_type"],
                                      registry=registry)
        self._latency = Histogram(f"{PREFIX}_processing_latency_seconds",
                                  "From the article's arrival on articles.raw to its analysis acknowledged",
                                  buckets=LATENCY_BUCKETS, registry=registry)
        self._nlp = Histogram(f"{PREFIX}_nlp_seconds", "NLP and claim rules, per batch", buckets=NLP_BUCKETS,
                              registry=registry)
        self._batch_size = Histogram(f"{PREFIX}_batch_size", "Articles per analysis batch", buckets=BATCH_BUCKETS,
                                     registry=registry)
        ProcessCollector(registry=registry)  # process_resident_memory_bytes, CPU, open files (Linux /proc)
        self.rates = {name: RecentRate(clock=clock) for name in RATES}

    # -- recording (the agents) --------------------------------------------------------
    def consumed(self) -> None:
        self._consumed.inc()
        self.rates["consumed"].add()

    def dead_lettered(self, reason: str, stage: str) -> None:
        self._dead_lettered.labels(reason, stage).inc()
        self.rates["dead_lettered"].add()

    def batch(self, size: int, nlp_seconds: float, duplicates: int) -> None:
        self._batch_size.observe(size)
        self._nlp.observe(nlp_seconds)
        self._duplicates.inc(duplicates)

    def published(self, processed: dict, produced_at: float | None) -> None:
        """One article's analysis acknowledged by the broker; ``produced_at`` is its input's Kafka timestamp."""
        self._processed.inc()
        self.rates["processed"].add()
        if produced_at:
            self._latency.observe(max(time.time() - produced_at, 0.0))  # clocks of two hosts may disagree
        for claim in processed["casualties"]:
            self._casualty_claims.labels(claim["status"]).inc()
        for claim in processed["attacks"]:
            self._attack_claims.labels(claim["attack_type"]).inc()
        self.rates["claims"].add(len(processed["casualties"]) + len(processed["attacks"]))

    # -- reading (the web view) --------------------------------------------------------
    def render(self) -> bytes:
        return generate_latest(self.registry)

    def totals(self) -> dict[str, int]:
        claims = self.claims()
        return {
            "consumed": _total(self._consumed),
            "processed": _total(self._processed),
            "dead_lettered": sum(self.dead_letters().values()),
            "duplicates": _total(self._duplicates),
            "casualty_claims": sum(claims["casualty"].values()),
            "attack_claims": sum(claims["attack"].values()),
        }

    def per_second(self) -> dict[str, float]:
        return {name: round(rate.per_second(), 3) for name, rate in self.rates.items()}

    def dead_letters(self) -> dict[str, int]:
        """Dead letters by reason (both stages together)."""
        by_reason: dict[str, int] = {}
        for labels, value in _by_label(self._dead_lettered):
            by_reason[labels["reason"]] = by_reason.get(labels["reason"], 0) + value
        return by_reason

    def claims(self) -> dict[str, dict[str, int]]:
        return {"casualty": {labels["status"]: value for labels, value in _by_label(self._casualty_claims)},
                "attack": {labels["attack_type"]: value for labels, value in _by_label(self._attack_claims)}}


def _by_label(counter: Counter) -> Iterator[tuple[dict[str, str], int]]:
    for family in counter.collect():
        for sample in family.samples:
            if sample.name.endswith("_total"):
                yield sample.labels, int(sample.value)


def _total(counter: Counter) -> int:
    return sum(value for _, value in _by_label(counter))


class LiveState(Collector):
    """What Faust and Kafka know, read when Prometheus scrapes: rebalances, the group's lag, the extractor."""

    def __init__(self, rebalances: Callable[[], int], lag: Callable[[], dict[tuple[str, int], int]],
                 extractor_version: Callable[[], str]) -> None:
        self.rebalances = rebalances
        self.lag = lag
        self.extractor_version = extractor_version

    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily(f"{PREFIX}_rebalances", "Consumer group rebalances this worker took part in",
                                  value=self.rebalances())
        lag = GaugeMetricFamily(f"{PREFIX}_consumer_lag",
                                "Messages not yet committed by the whole consumer group, as Kafka reports it",
                                labels=["topic", "partition"])
        for (topic, partition), behind in sorted(self.lag().items()):
            lag.add_metric([topic, str(partition)], behind)
        yield lag
        yield InfoMetricFamily(f"{PREFIX}_worker", "The extractor this worker runs",
                               value={"extractor_version": self.extractor_version()})
