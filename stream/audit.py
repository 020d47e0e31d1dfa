"""The accounting behind ``stream audit``: is every raw record on ``articles.processed`` or dead-lettered?

Pure bookkeeping, no Kafka: the caller feeds it the output topics first (``Outputs``), then the raw
records one by one (``Audit.check``). A raw record is accounted for when ``articles.processed``
holds a message keyed by the article id it names, or a dead letter names it: by its source
topic, partition and offset (a record rejected at ingest, which may name no id at all), or by its
article id (an article rejected later, at analysis). Everything else is unaccounted for, and
split by the consumer group's committed offset at the stage it reached: on ``articles.accepted``
where its article is there, else on its ``articles.raw`` partition. Behind that offset, the group
has moved past the record, so it is lost; at or after it, the record is only not consumed yet
(pending: a stopped or lagging worker). Memory: one 8-byte digest per output article id and
dead-letter source, the records with no output, and at most ``keep`` of them per partition listed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import orjson

DEFAULT_KEEP = 1000
PROCESSED, DEAD_LETTERED, LOST, PENDING = "processed", "dead_lettered", "lost", "pending"


def id_digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _source_digest(topic: str, partition: int, offset: int) -> int:
    return id_digest(f"{topic}\x00{partition}\x00{offset}")


@dataclass
class Outputs:
    """What the output topics hold, as digests: processed article ids, dead-lettered ids and sources."""

    processed: set[int] = field(default_factory=set)
    dead_ids: set[int] = field(default_factory=set)
    dead_sources: set[int] = field(default_factory=set)
    unreadable_dead_letters: int = 0

    def add_processed(self, key: bytes | None, value: bytes | None) -> None:
        """One ``articles.processed`` message (keyed by its article id; a tombstone names none)."""
        article_id = key.decode("utf-8", "replace") if key else _article_id_of(value)
        if article_id and value is not None:
            self.processed.add(id_digest(article_id))

    def add_dead_letter(self, value: bytes | None) -> None:
        try:
            letter = orjson.loads(value) if value is not None else None
        except orjson.JSONDecodeError:
            letter = None
        if not isinstance(letter, dict):
            self.unreadable_dead_letters += 1
            return
        if isinstance(letter.get("article_id"), str):
            self.dead_ids.add(id_digest(letter["article_id"]))
        source = letter.get("source") or {}
        if {"topic", "partition", "offset"} <= source.keys():
            self.dead_sources.add(_source_digest(source["topic"], source["partition"], source["offset"]))


def _article_id_of(value: bytes | None) -> str | None:
    try:
        article_id = orjson.loads(value).get("article_id") if value else None
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return article_id if isinstance(article_id, str) else None


@dataclass(frozen=True)
class Unaccounted:
    partition: int
    offset: int
    timestamp: float | None  # seconds
    article_id: str | None
    pending: bool  # at or after the group's committed offset: not consumed yet

    def as_dict(self) -> dict:
        return {"partition": self.partition, "offset": self.offset, "timestamp": self.timestamp,
                "article_id": self.article_id, "status": "pending" if self.pending else "lost"}


@dataclass
class PartitionReport:
    partition: int
    committed: int | None  # the group's committed offset (None: it has none)
    records: int = 0
    processed: int = 0
    dead_lettered: int = 0
    lost: int = 0
    pending: int = 0
    first_offset: int | None = None
    last_offset: int | None = None
    unaccounted: list[Unaccounted] = field(default_factory=list)  # the first ``keep`` of them

    def as_dict(self) -> dict:
        return {"partition": self.partition, "committed": self.committed, "records": self.records,
                "first_offset": self.first_offset, "last_offset": self.last_offset, "processed": self.processed,
                "dead_lettered": self.dead_lettered, "lost": self.lost, "pending": self.pending,
                "unaccounted": [u.as_dict() for u in self.unaccounted]}


class Audit:
    """Checks raw records against ``outputs``; ``committed``: the group's committed offset per raw partition.

    ``check`` counts each record; those with no output wait until ``finish``, which settles them
    against ``articles.accepted`` where they reached it: past the group's committed offset there, the
    analysis stage lost them; at or before it, they wait for it (pending). Without that information
    (``finish()`` alone), the raw partition's committed offset decides.
    """

    def __init__(self, outputs: Outputs, raw_topic: str, committed: Mapping[int, int], keep: int = DEFAULT_KEEP) -> None:
        self.outputs = outputs
        self.raw_topic = raw_topic
        self.committed = dict(committed)
        self.keep = keep
        self.partitions: dict[int, PartitionReport] = {}
        self._open: list[tuple[int, int, float | None, str | None]] = []

    def check(self, partition: int, offset: int, article_id: str | None, timestamp: float | None = None) -> str | None:
        """Count one raw record: PROCESSED or DEAD_LETTERED, or None when it has no output (settled by
        ``finish``). ``article_id``: the id its value names."""
        report = self.partitions.get(partition)
        if report is None:
            report = self.partitions[partition] = PartitionReport(partition, self.committed.get(partition))
        report.records += 1
        report.first_offset = offset if report.first_offset is None else min(report.first_offset, offset)
        report.last_offset = offset if report.last_offset is None else max(report.last_offset, offset)
        digest = id_digest(article_id) if article_id else None
        if _source_digest(self.raw_topic, partition, offset) in self.outputs.dead_sources:
            status = DEAD_LETTERED
        elif digest is not None and digest in self.outputs.processed:
            status = PROCESSED
        elif digest is not None and digest in self.outputs.dead_ids:
            status = DEAD_LETTERED
        else:
            self._open.append((partition, offset, timestamp, article_id))
            return None
        setattr(report, status, getattr(report, status) + 1)
        return status

    def open_ids(self) -> set[int]:
        """Digests of the article ids named by records with no output (to look up on articles.accepted)."""
        return {id_digest(article_id) for _, _, _, article_id in self._open if article_id}

    def finish(self, accepted: Mapping[int, tuple[int, int]] | None = None,
               accepted_committed: Mapping[int, int] | None = None) -> list[Unaccounted]:
        """Settle the records with no output; ``accepted``: article id digest -> (partition, offset) of its
        last copy on articles.accepted, ``accepted_committed``: the group's offsets there. Returns them."""
        settled = []
        for partition, offset, timestamp, article_id in self._open:
            report = self.partitions[partition]
            at = accepted.get(id_digest(article_id)) if accepted is not None and article_id else None
            if at is not None:
                committed = (accepted_committed or {}).get(at[0])
                pending = committed is None or at[1] >= committed
            else:
                pending = report.committed is None or offset >= report.committed
            status = PENDING if pending else LOST
            setattr(report, status, getattr(report, status) + 1)
            record = Unaccounted(partition, offset, timestamp, article_id, pending)
            if len(report.unaccounted) < self.keep:
                report.unaccounted.append(record)
            settled.append(record)
        self._open.clear()
        return settled

    def reports(self) -> list[PartitionReport]:
        return [self.partitions[p] for p in sorted(self.partitions)]

    def totals(self) -> dict[str, int]:
        reports = self.reports()
        return {name: sum(getattr(r, name) for r in reports)
                for name in ("records", "processed", "dead_lettered", "lost", "pending")}
