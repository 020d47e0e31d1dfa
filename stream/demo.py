"""``stream demo``: the whole pipeline on the bundled sample articles, with events printed as they arrive."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import orjson
from rich.console import Console

from stream import topics
from stream.broker import for_local_cluster, local_cluster
from stream.broker.local import BrokerError
from stream.console import describe
from stream.ingest.files import read_items
from stream.kafka_io import consume, ensure_topics, produce
from stream.settings import Settings

WATCHED = (topics.CASUALTIES, topics.ATTACKS, topics.PROCESSED, topics.DEADLETTER)


def samples_dir() -> Path:
    return Path(str(resources.files("stream").joinpath("samples")))


def _start(command: list[str], log_path: Path, **env: str) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "stream.cli", *command], env={**os.environ, **env},
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def _watch(settings: Settings, url: str, worker: subprocess.Popen, log_path: Path, out: Console,
                 err: Console) -> None:
    """Feed the samples once the consumer is in place, then print every event until cancelled."""
    records = consume(settings, url, [settings.topic(t) for t in WATCHED], from_beginning=False)
    pending = asyncio.ensure_future(records.__anext__())
    await asyncio.sleep(2)  # let the consumer take its partitions before the first article is sent
    sent = await produce(settings, url, settings.topic(topics.RAW), list(read_items(str(samples_dir()))))
    err.print(f"sent {sent} sample articles (some malformed on purpose); waiting for the worker (log: {log_path})")
    finished = 0  # articles that reached articles.processed or the dead-letter topic
    while True:
        done, _ = await asyncio.wait({pending}, timeout=1.0)
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited (status {worker.returncode}); see {log_path}")
        if not done:
            continue
        record = pending.result()
        pending = asyncio.ensure_future(records.__anext__())
        out.print(describe(record.topic, orjson.loads(record.value) if record.value else None))
        if record.topic.endswith((topics.PROCESSED, topics.DEADLETTER)):
            finished += 1
            if finished == sent:
                err.print(f"[green]all {sent} articles accounted for[/]; the worker keeps running: send more with "
                          "`stream produce FILE` in another terminal. Ctrl-C stops the demo.")


def _start_browser(database: str, database_file: Path, settings: Settings, port: int,
                   err: Console) -> tuple[subprocess.Popen, str] | None:
    """`stream browse` over the demo's sink file, once the sink has made it; None if it did not in 30 s."""
    deadline = time.monotonic() + 30
    while not database_file.exists():
        if time.monotonic() > deadline:
            err.print(f"[yellow]no history browser: the sink did not create {database_file} in 30 s; see "
                      f"{settings.state_dir / 'demo-sink.log'}[/]")
            return None
        time.sleep(0.2)
    proc = _start(["browse", database, "--port", str(port)], settings.state_dir / "demo-browse.log")
    url = f"http://{settings.web_host}:{port}/{database_file.stem}"
    err.print(f"history browser: {url} (`stream browse {database}`)")
    return proc, url


def run_demo(settings: Settings, web_port: int | None, err: Console, out: Console, *, history_port: int = 8001) -> None:
    started_broker = False
    if settings.uses_local_broker:
        cluster = local_cluster(settings)
        if not cluster.running_nodes():
            try:
                with err.status("starting the local Kafka broker..."):
                    cluster.start()
            except BrokerError as exc:
                raise SystemExit(f"error: {exc}") from None
            started_broker = True
        url = cluster.url()
    else:
        url = settings.broker
    err.print(f"broker: {url}")
    asyncio.run(ensure_topics(for_local_cluster(settings), url))
    database_file = settings.state_dir / "demo-events.db"
    database = f"sqlite:///{database_file}"
    sink = _start(["sink", database], settings.state_dir / "demo-sink.log")
    err.print(f"sink started: current tables in {database_file} (`stream export {database} -o events.csv`)")
    history = _start_browser(database, database_file, settings, history_port, err)
    port = web_port or settings.web_port
    log_path = settings.state_dir / "demo-worker.log"
    worker = _start(["worker", "-l", "info"], log_path, STREAM_WEB_PORT=str(port),
                    STREAM_HISTORY_URL=settings.history_url or (history[1] if history else ""))
    token_hint = "?token=<STREAM_WEB_TOKEN>" if settings.web_token else ""
    err.print(f"worker started (pid {worker.pid}); dashboard: http://{settings.web_host}:{port}/dashboard{token_hint}")
    try:
        asyncio.run(_watch(settings, url, worker, log_path, out, err))
    except KeyboardInterrupt:
        err.print("stopping...")
    finally:
        if history:
            _stop(history[0])
        _stop(sink)
        _stop(worker)
        if started_broker:
            local_cluster(settings).stop()
            err.print("stopped the worker and the local broker")
        else:
            err.print("stopped the worker")
