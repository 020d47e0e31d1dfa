"""Fault test 4: the broker is down when the worker starts, and restarts under a running worker."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.integration.conftest import wait_for
from tests.integration.faults import FAST_FAILOVER, account, articles, own_cluster, processed_count, record

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOWN_SECONDS = 10


def test_faults_worker_started_before_its_broker_waits_for_it(tmp_path):
    with own_cluster(tmp_path) as (cluster, pipe):
        cluster.stop()
        worker = pipe.start_worker(wait=False, **FAST_FAILOVER)
        host = cluster.bootstrap()
        wait_for(lambda: worker.output().count(f"broker {host} unreachable") >= 3, timeout=30,
                 what="the worker to report the broker unreachable")
        assert worker.proc.poll() is None, worker.output()

        cluster.start()
        worker.wait_ready()
        sent = articles("late", 200, bad_every=50)
        asyncio.run(pipe.produce(list(sent.values())))
        tally = asyncio.run(account(pipe, sent))
        record("broker_down_at_worker_start", tally, retries=worker.output().count("unreachable"))
        assert (tally.lost, tally.processed, tally.dead_lettered) == (0, 196, 4)


def test_faults_broker_restart_under_a_running_worker(tmp_path):
    with own_cluster(tmp_path) as (cluster, pipe):
        worker = pipe.start_worker(**FAST_FAILOVER)
        sent = articles("restart", 400, bad_every=100)
        asyncio.run(pipe.produce(list(sent.values())))
        processed_count(pipe, 100)
        host = cluster.bootstrap()
        lines_before = len(worker.output().splitlines())
        cluster.stop()
        wait_for(lambda: f"Kafka request failed at {host}" in worker.output(), timeout=30,
                 what="the worker to report the broker unreachable")
        time.sleep(DOWN_SECONDS)
        cluster.start()
        wait_for(lambda: f"Kafka at {host} answers again" in worker.output(), timeout=60,
                 what="the worker to report the broker back")
        outage_lines = len(worker.output().splitlines()) - lines_before

        tally = asyncio.run(account(pipe, sent))
        record("broker_restart_under_worker", tally, log_lines_during_outage=outage_lines)
        assert (tally.lost, tally.processed, tally.dead_lettered) == (0, 396, 4)
        assert worker.proc.poll() is None, "the worker crashed"
        assert outage_lines < 200, "the outage flooded the log"
