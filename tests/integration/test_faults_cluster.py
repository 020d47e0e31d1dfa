"""Fault test 3: a local three-broker cluster (replication 3, min.insync.replicas 2) loses a broker mid-stream."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest

from tests.integration.conftest import wait_for
from tests.integration.faults import (FAST_FAILOVER, account, articles, group_coordinator, own_cluster,
                                      processed_count, record, replicas)

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_faults_cluster_loses_a_broker_mid_stream_and_takes_it_back(tmp_path):
    with own_cluster(tmp_path, nodes=3) as (cluster, pipe):
        worker = pipe.start_worker(**FAST_FAILOVER)
        topics = replicas(pipe)
        assert len(topics) >= 10  # the eight topics, the ledger's changelog and Faust's assignor topic
        assert set(topics.values()) == {(3, 3, "2")}, topics

        sent = articles("cluster", 600, bad_every=100)
        asyncio.run(pipe.produce(list(sent.values())))
        processed_count(pipe, 150)
        victim = group_coordinator(pipe)
        cluster.stop_node(victim, sig=signal.SIGKILL)
        killed_at = time.monotonic()
        at_kill = processed_count(pipe, 150)
        processed_count(pipe, at_kill + 100)  # processing goes on with two brokers
        continued_after = round(time.monotonic() - killed_at, 1)

        cluster.start()
        wait_for(lambda: all(isr == 3 for _, isr, _ in replicas(pipe).values()), timeout=120, every=2,
                 what=f"broker {victim} back in every in-sync replica set")
        rejoined_after = round(time.monotonic() - killed_at, 1)
        tally = asyncio.run(account(pipe, sent))
        record("cluster_broker_kill", tally, killed_node=victim, seconds_to_100_more=continued_after,
               seconds_to_isr_3=rejoined_after)
        assert (tally.lost, tally.processed, tally.dead_lettered) == (0, 594, 6)
        assert worker.proc.poll() is None
