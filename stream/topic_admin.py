"""What every topic should look like on a cluster, and how an existing one differs from it.

One plan serves the worker (it creates missing topics before it starts), ``stream topics
create`` and ``stream topics describe``. Pure: ``stream.kafka_io`` does the talking to Kafka.
"""

from __future__ import annotations

from dataclasses import dataclass

from stream.settings import Settings
from stream.topics import DAY_MS, INTERNAL_TOPICS, TOPICS, TopicSpec


@dataclass(frozen=True)
class PlannedTopic:
    name: str  # as on the cluster: prefixed, or named after the app id (Faust's own topics)
    spec: TopicSpec
    partitions: int
    replication_factor: int
    config: dict[str, str]


@dataclass(frozen=True)
class ExistingTopic:
    name: str
    partitions: int
    replication_factor: int  # the smallest of its partitions'
    in_sync: int  # the fewest in-sync replicas of any partition
    config: dict[str, str]  # the values of CHECKED_CONFIG


CHECKED_CONFIG = ("cleanup.policy", "retention.ms", "max.message.bytes", "min.insync.replicas")


def min_insync_replicas(replication_factor: int) -> int:
    """Two copies must have every write (acks=all) once there are replicas; one broker may then be down."""
    return 1 if replication_factor == 1 else 2


def plan(settings: Settings) -> list[PlannedTopic]:
    """Every topic the pipeline uses, with its partitions, replication and configuration."""
    min_isr = min_insync_replicas(settings.replication_factor)
    named = [(settings.topic(spec.name), spec) for spec in TOPICS]
    named += [(f"{settings.faust_id}-{spec.name}", spec) for spec in INTERNAL_TOPICS]
    return [PlannedTopic(name, spec, spec.partitions or settings.partitions, settings.replication_factor,
                         spec.config(settings.max_message_bytes, min_isr))
            for name, spec in named]


def differences(planned: PlannedTopic, existing: ExistingTopic | None) -> list[str]:
    """What is not as planned, each in words; empty when the topic is as it should be."""
    if existing is None:
        return ["missing"]
    found = []
    if existing.partitions != planned.partitions:
        found.append(f"{existing.partitions} partitions, expected {planned.partitions}")
    if existing.replication_factor != planned.replication_factor:
        found.append(f"replication factor {existing.replication_factor}, expected {planned.replication_factor}")
    for key, wanted in planned.config.items():
        actual = existing.config.get(key)
        if actual != wanted:
            found.append(f"{key} {_readable(key, actual)}, expected {_readable(key, wanted)}")
    min_isr = int(existing.config.get("min.insync.replicas") or 1)
    if existing.in_sync < min_isr:
        found.append(f"a partition has {existing.in_sync} in-sync replica(s), fewer than min.insync.replicas "
                     f"{min_isr}: writes to it fail (acks=all)")
    return found


def _readable(key: str, value: str | None) -> str:
    if value is None:
        return "unset"
    if key == "retention.ms" and value.lstrip("-").isdigit():
        return "forever" if int(value) < 0 else f"{int(value) / DAY_MS:g} days"
    return value


def report(planned: list[PlannedTopic], existing: dict[str, ExistingTopic]) -> list[dict]:
    """One row per planned topic: what the cluster has, and its differences from the plan."""
    rows = []
    for topic in planned:
        actual = existing.get(topic.name)
        config = actual.config if actual else {}
        rows.append({
            "topic": topic.name,
            "exists": actual is not None,
            "partitions": actual.partitions if actual else None,
            "replication_factor": actual.replication_factor if actual else None,
            "in_sync_replicas": actual.in_sync if actual else None,
            "min_insync_replicas": config.get("min.insync.replicas"),
            "retention": _readable("retention.ms", config.get("retention.ms")) if actual else None,
            "cleanup_policy": config.get("cleanup.policy"),
            "max_message_bytes": config.get("max.message.bytes"),
            "expected": {"partitions": topic.partitions, "replication_factor": topic.replication_factor,
                         **topic.config},
            "differences": differences(topic, actual),
        })
    return rows


def render(rows: list[dict]) -> str:
    """A plain-text table (it stays readable in logs and pipes), then each topic's differences."""
    header = ("topic", "partitions", "replicas (in sync)", "min.insync", "retention", "cleanup")
    lines = [header]
    for row in rows:
        if not row["exists"]:
            lines.append((row["topic"], "missing", "", "", "", ""))
            continue
        retention = "until replaced" if row["cleanup_policy"] == "compact" else row["retention"]
        lines.append((row["topic"], str(row["partitions"]), f"{row['replication_factor']} ({row['in_sync_replicas']})",
                      row["min_insync_replicas"] or "", retention, row["cleanup_policy"] or ""))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines]
    for row in rows:
        if row["differences"]:
            text.append(f"{row['topic']}: " + "; ".join(row["differences"]))
    return "\n".join(text)
