"""The JSON API's documents: ``/api/stats``, and the queries of ``/api/recent`` and ``/api/incidents``."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Mapping

from stream.web.events import KINDS
from stream.web.metrics import WorkerMetrics
from stream.web.progress import GroupProgress

DEFAULT_LIMIT = 20


class BadQuery(ValueError):
    """A query parameter the API cannot use; the message says which and why."""


def recent_query(query: Mapping[str, str], most: int) -> tuple[str | None, int]:
    """(kind or None for both, limit) from ``?type=casualty|attack&limit=N``."""
    return filter_query(query, "type", KINDS, most)


def filter_query(query: Mapping[str, str], name: str, allowed: tuple[str, ...], most: int) -> tuple[str | None, int]:
    """(the value of ``name``, one of ``allowed``, or None for all; limit) from ``?<name>=...&limit=N``."""
    value = query.get(name) or None
    if value is not None and value not in allowed:
        raise BadQuery(f"{name} must be one of {', '.join(allowed)}")
    try:
        limit = int(query.get("limit") or DEFAULT_LIMIT)
    except ValueError:
        raise BadQuery("limit must be a whole number") from None
    if not 1 <= limit <= most:
        raise BadQuery(f"limit must be between 1 and {most}")
    return value, limit


def stats(*, worker: dict, started_at: float, metrics: WorkerMetrics, progress: GroupProgress) -> dict:
    """This worker's counts and rates, and the whole group's progress as Kafka reports it."""
    partitions = progress.current()
    return {
        "worker": {**worker,
                   "started_at": datetime.fromtimestamp(started_at, timezone.utc).isoformat(timespec="seconds"),
                   "uptime_seconds": round(time.time() - started_at, 1)},
        "totals": metrics.totals(),
        "per_second": metrics.per_second(),
        "dead_letters": metrics.dead_letters(),
        "claims": metrics.claims(),
        "group": {
            "topics": progress.topics(),
            "partitions": [{**asdict(p), "lag": p.lag} for p in partitions],
            "lag_total": sum(p.lag for p in partitions),
            "error": progress.error,
        },
    }
