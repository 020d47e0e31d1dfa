"""`stream broker start|status|stop`: the embedded broker as a user drives it."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def free_block() -> int:
    for _ in range(100):
        base = random.randrange(20000, 31000)
        with socket.socket() as a, socket.socket() as b:
            if a.connect_ex(("127.0.0.1", base)) and b.connect_ex(("127.0.0.1", base + 1)):
                return base
    raise RuntimeError("no free ports")


def stream(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stream.cli", "broker", *args], env=env, capture_output=True,
                          text=True, timeout=240)


async def topics_of(address: str, create: str | None = None) -> list[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=address)
    await admin.start()
    try:
        if create:
            await admin.create_topics([NewTopic(create, num_partitions=1, replication_factor=1)])
        return await admin.list_topics()
    finally:
        await admin.close()


def test_broker_cli_start_status_stop_keeps_data(tmp_path):
    port = free_block()
    env = {**os.environ, "STREAM_STATE_DIR": str(tmp_path), "STREAM_LOCAL_BROKER_PORT": str(port)}
    env.pop("STREAM_BROKER", None)
    started = stream(env, "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"kafka://127.0.0.1:{port}"
    try:
        status = stream(env, "status")
        assert status.returncode == 0 and "state: running" in status.stdout and "accepting clients" in status.stdout
        asyncio.run(topics_of(f"127.0.0.1:{port}", create="kept-across-restarts"))
        assert stream(env, "stop").returncode == 0
        stopped = stream(env, "status")
        assert stopped.returncode == 1 and "state: stopped" in stopped.stdout
        assert stream(env, "start").returncode == 0
        assert "kept-across-restarts" in asyncio.run(topics_of(f"127.0.0.1:{port}"))
    finally:
        gone = stream(env, "stop", "--delete")
    assert gone.returncode == 0 and not (tmp_path / "broker").exists()


def test_broker_cli_reports_a_taken_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "STREAM_STATE_DIR": str(tmp_path), "STREAM_LOCAL_BROKER_PORT": str(port)}
        env.pop("STREAM_BROKER", None)
        result = stream(env, "start")
    assert result.returncode != 0
    assert f"port {port} on 127.0.0.1 is taken" in result.stderr
