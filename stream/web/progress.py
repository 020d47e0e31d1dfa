"""The consumer group's progress on its input topics, from the offsets Kafka reports.

With several workers each serves its own view, but these figures are the whole group's:
lag per partition, and how fast messages arrive and are committed over the last minute.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable

from stream.kafka_io import PartitionOffsets

Sample = tuple[float, dict[tuple[str, int], PartitionOffsets]]


class GroupProgress:
    """The offsets read every few seconds, kept for ``window`` seconds; older than ``stale_after``, none is shown."""

    def __init__(self, window: float = 60.0, stale_after: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.stale_after = stale_after
        self.clock = clock
        self.error: str | None = None
        self._samples: deque[Sample] = deque()

    def record(self, offsets: list[PartitionOffsets]) -> None:
        now = self.clock()
        self._samples.append((now, {(o.topic, o.partition): o for o in offsets}))
        while now - self._samples[0][0] > self.window:
            self._samples.popleft()
        self.error = None

    def failed(self, error: str) -> None:
        self.error = error

    def answered_ago(self) -> float | None:
        """Seconds since Kafka last answered; None if it never has."""
        return self.clock() - self._samples[-1][0] if self._samples else None

    def current(self) -> list[PartitionOffsets]:
        age = self.answered_ago()
        if age is None or age > self.stale_after:
            return []
        return list(self._samples[-1][1].values())

    def lag(self) -> dict[tuple[str, int], int]:
        return {(o.topic, o.partition): o.lag for o in self.current()}

    def topics(self) -> dict[str, dict[str, float | int | None]]:
        """Per topic: lag, and messages per second arriving and committed over the window (None until two reads)."""
        out: dict[str, dict[str, float | int | None]] = {}
        for offsets in self.current():
            entry = out.setdefault(offsets.topic, {"lag": 0, "in_per_s": None, "done_per_s": None})
            entry["lag"] += offsets.lag
        if len(self._samples) > 1 and out:
            (then, old), (now, new) = self._samples[0], self._samples[-1]
            for topic, entry in out.items():
                same = [key for key in new if key[0] == topic and key in old]
                entry["in_per_s"] = round(sum(new[k].end - old[k].end for k in same) / (now - then), 3)
                entry["done_per_s"] = round(sum(new[k].committed - old[k].committed for k in same) / (now - then), 3)
        return out
