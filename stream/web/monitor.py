"""What the worker measures in the background for its web view: the group's offsets and its event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable

from faust import Service

from stream.kafka_io import GroupOffsetReader
from stream.web.progress import GroupProgress

log = logging.getLogger(__name__)

OFFSETS_EVERY = 5.0
OFFSETS_TIMEOUT = 15.0


class Heartbeat:
    """When a one-second timer on the event loop last ran, and how late: a blocked loop shows here."""

    interval = 1.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last: float | None = None
        self.delay = 0.0

    def beat(self, delay: float) -> None:
        self.last = self.clock()
        self.delay = delay

    def since(self) -> float | None:
        return None if self.last is None else self.clock() - self.last


class Monitor(Service):
    """Reads the group's offsets every few seconds and keeps the heartbeat; closes its Kafka clients on stop."""

    def __init__(self, reader: GroupOffsetReader, progress: GroupProgress, heartbeat: Heartbeat, **kwargs) -> None:
        self.reader = reader
        self.progress = progress
        self.heartbeat = heartbeat
        super().__init__(**kwargs)

    @Service.task
    async def _beat(self) -> None:
        while not self.should_stop:
            due = time.monotonic() + self.heartbeat.interval
            await self.sleep(self.heartbeat.interval)
            self.heartbeat.beat(max(time.monotonic() - due, 0.0))

    @Service.task
    async def _read_offsets(self) -> None:
        while not self.should_stop:
            await self.read_offsets()
            await self.sleep(OFFSETS_EVERY)

    async def read_offsets(self) -> None:
        try:
            offsets = await asyncio.wait_for(self.reader.read(), OFFSETS_TIMEOUT)
        except Exception as exc:  # a monitoring loop reports a failure and goes on
            error = _describe(exc)
            if self.progress.error is None:
                log.warning("Kafka request failed at %s (%s): the worker waits and resumes on its own; "
                            "checking every %.0fs", self.reader.servers, error, OFFSETS_EVERY)
            self.progress.failed(error)
            return
        if self.progress.error is not None:
            log.info("Kafka at %s answers again", self.reader.servers)
        self.progress.record(offsets)

    async def on_stop(self) -> None:
        await self.reader.close()


def _describe(exc: BaseException) -> str:
    """``Type: message``, once (aiokafka's errors already start with their type)."""
    name, text = type(exc).__name__, str(exc)
    return text if text.startswith(name) else f"{name}: {text}" if text else name
