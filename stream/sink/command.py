"""The ``stream sink`` command."""

from __future__ import annotations

import asyncio
import logging
import signal

import click


@click.command()
@click.argument("url")
@click.option("--group", help="Consumer group [default: <STREAM_TOPIC_PREFIX><STREAM_APP_ID>-sink].")
@click.option("--mode", type=click.Choice(["delete", "mark"]), default="delete", show_default=True,
              help="Retracted events and merged, withdrawn or tombstoned incidents: delete their rows, or keep "
                   "them marked (retracted, status, deleted).")
@click.option("--batch", type=click.IntRange(min=1), default=500, show_default=True,
              help="Most records per database transaction.")
@click.option("--idle-exit", type=click.FloatRange(min=0), default=None,
              help="Exit after this many seconds with nothing new (a one-off catch-up) [default: run until "
                   "stopped].")
def sink(url: str, group: str | None, mode: str, batch: int, idle_exit: float | None) -> None:
    """Keep tables of articles, casualty and attack claims and incidents current in URL
    (sqlite:///path.db or postgresql://user@host:port/db), exactly once."""
    from stream.cli import _broker, _settings
    from stream.sink.consumer import run_sink
    from stream.sink.store import SinkError, Store

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    settings = _settings()
    broker = _broker(settings, start=False)
    try:
        store = Store(url, mode=mode, prefix=settings.topic_prefix)
    except SinkError as exc:
        raise click.UsageError(str(exc)) from None

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        click.echo(f"sink into {store.dialect.describe()} (mode {mode}) from {broker}", err=True)
        await run_sink(settings, broker, store, group=group or f"{settings.faust_id}-sink", batch=batch, stop=stop,
                       idle_exit=idle_exit)

    try:
        asyncio.run(main())
    except SinkError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
