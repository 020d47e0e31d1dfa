"""Fault tests 1 and 2: workers killed with SIGKILL in the middle of a stream (real broker, real workers)."""

from __future__ import annotations

import asyncio

import pytest

from tests.integration.conftest import wait_for
from tests.integration.faults import (FAST_FAILOVER, account, assigned_inputs, articles, kill_worker,
                                      processed_count, record, skipped_resends)

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_faults_worker_kill_and_restart_loses_nothing(pipeline):
    sent = articles("kill", 1000, bad_every=100)
    worker = pipeline.start_worker(**FAST_FAILOVER)
    asyncio.run(pipeline.produce(list(sent.values())))
    before = processed_count(pipeline, 300)
    kill_worker(worker)

    restarted = pipeline.start_worker(**FAST_FAILOVER)
    tally = asyncio.run(account(pipeline, sent))
    record("worker_kill", tally, processed_before_kill=before, replayed_and_skipped=skipped_resends(restarted))
    assert (tally.lost, tally.processed, tally.dead_lettered) == (0, 990, 10)


def test_faults_worker_killed_in_a_group_hands_its_partitions_over(pipeline):
    partitions = int(pipeline.env["STREAM_PARTITIONS"])
    survivor = pipeline.start_worker(**FAST_FAILOVER)
    victim = pipeline.start_worker(**FAST_FAILOVER)
    # both hold a share of the two input topics before anything is sent
    wait_for(lambda: assigned_inputs(survivor) == assigned_inputs(victim) == partitions, timeout=60,
             what="the two workers to share the input partitions")
    sent = articles("group", 600, bad_every=100)
    asyncio.run(pipeline.produce(list(sent.values())))
    processed_count(pipeline, 150)
    kill_worker(victim)

    wait_for(lambda: assigned_inputs(survivor) == 2 * partitions, timeout=60,
             what="the survivor to take every input partition")
    tally = asyncio.run(account(pipeline, sent))
    record("worker_kill_in_group", tally)
    assert (tally.lost, tally.processed, tally.dead_lettered) == (0, 594, 6)
    assert survivor.proc.poll() is None
