"""Faust's exactly_once guarantee on the real broker: why the project does not offer it.

The project runs at-least-once (README, "Nothing lost"). The worker is forced into exactly_once
through tests/integration/exactly_once/sitecustomize.py. What a worker kill does under it varies
from run to run, so it is measured by `bench/exactly_once.py`, not asserted here.
"""

from __future__ import annotations

import asyncio
import pytest

from tests.integration.conftest import wait_for
from tests.integration.faults import EXACTLY_ONCE, articles

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_faults_exactly_once_crashes_agents_of_a_two_worker_group(pipeline):
    """With two workers sharing the partitions, Faust's agents crash in a loop (measured 2026-11-26:
    about 20 crashes a worker in two minutes, 3 of 600 articles processed). When this fails,
    faust-streaming may have fixed it: measure again."""
    workers = [pipeline.start_worker(**EXACTLY_ONCE) for _ in range(2)]
    sent = articles("eosgroup", 100)
    asyncio.run(pipeline.produce(list(sent.values())))
    crash = "No transaction producer found"
    wait_for(lambda: any(crash in w.output() for w in workers), timeout=90,
             what=f"an agent to crash with {crash!r}")
    print(f"\nFAULT exactly_once_two_workers: sent={len(sent)}, agents crashed with {crash!r}: "
          f"{[w.output().count('Crashed reason=ProducerSendError') for w in workers]} time(s)", flush=True)
