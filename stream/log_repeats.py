"""Repeated log records held back, so an outage reads as a few lines and not a flood.

While a broker is down, aiokafka retries every 100 ms in each of the worker's clients and logs
every failure: about a thousand ERROR lines a second (measured in the broker-restart fault test),
millions in a long outage. The first record of a kind goes through; the same kind again within
the window is held back, and the next one let through says how many were.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Callable


class RepeatFilter(logging.Filter):
    """A kind is the logger and the unformatted message, so records differing only in node ids or errors are one."""

    def __init__(self, window: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.window = window
        self.clock = clock
        self._shown: dict[tuple[str, str], float] = {}
        self._held: Counter = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, str(record.msg))
        now = self.clock()
        shown = self._shown.get(kind)
        if shown is not None and now - shown < self.window:
            self._held[kind] += 1
            return False
        self._shown[kind] = now
        held = self._held.pop(kind, 0)
        if held:
            record.msg = f"{record.msg} [{held} more like this in the last {self.window:.0f}s]"
        return True


def hold_repeats(prefix: str = "aiokafka", window: float = 30.0) -> RepeatFilter:
    """Put one RepeatFilter on every logger named ``prefix`` or ``prefix.*`` (a logger's filters see only its own
    records, so each gets it)."""
    repeats = RepeatFilter(window)
    names = [name for name in logging.root.manager.loggerDict if name == prefix or name.startswith(prefix + ".")]
    for name in {prefix, *names}:
        logging.getLogger(name).addFilter(repeats)
    return repeats
