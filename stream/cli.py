"""The ``stream`` command."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import click
import orjson
from rich.console import Console

from stream import settings as settings_module
from stream.settings import Settings, SettingsError

err = Console(stderr=True, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _settings() -> Settings:
    try:
        return settings_module.load()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


def _broker(settings: Settings, *, start: bool = True) -> str:
    """The broker to use: STREAM_BROKER, or the local one (started if needed and ``start``)."""
    from stream.broker import local_cluster
    from stream.broker.local import BrokerError

    if not settings.uses_local_broker:
        return settings.broker
    cluster = local_cluster(settings)
    if cluster.running_nodes() and len(cluster.running_nodes()) == len(cluster.nodes()):
        return cluster.url()
    if not start:
        raise click.ClickException("the local broker is not running: `stream broker start` (or set STREAM_BROKER)")
    try:
        with err.status("starting the local Kafka broker..."):
            url = cluster.start()
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from None
    err.print(f"local broker running at {url} (stop it with `stream broker stop`)")
    return url


def _ensure_topics(settings: Settings, url: str) -> None:
    from stream.kafka_io import ensure_topics

    created = asyncio.run(ensure_topics(settings, url))
    if created:
        err.print(f"created topics: {', '.join(created)}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Real-time conflict-news ingestor: articles in on Kafka, casualty and attack claims out."""


# -- broker -----------------------------------------------------------------------------
@main.group()
def broker() -> None:
    """The embedded Apache Kafka broker (KRaft, 127.0.0.1, no Docker)."""


@broker.command("start")
@click.option("--nodes", default=1, show_default=True, help="Brokers in the local cluster (3 for fault tests).")
def broker_start(nodes: int) -> None:
    """Start the local broker; prints its address once it accepts clients."""
    from stream.broker import local_cluster
    from stream.broker.local import BrokerError

    settings = _settings()
    try:
        with err.status(f"starting {nodes} local Kafka broker node(s)..."):
            url = local_cluster(settings, nodes).start()
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(url)


@broker.command("stop")
@click.option("--delete", is_flag=True, help="Also delete its data (all topics and offsets).")
def broker_stop(delete: bool) -> None:
    """Stop the local broker (its data stays unless --delete)."""
    from stream.broker import local_cluster

    cluster = local_cluster(_settings())
    stopped = cluster.stop(delete=delete)
    click.echo(f"stopped node(s) {', '.join(map(str, stopped))}" if stopped else "the local broker was not running")
    if delete:
        click.echo(f"deleted {cluster.root}")


@broker.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def broker_status(as_json: bool) -> None:
    """Whether the local broker runs, where, and where its data and logs are."""
    from stream.broker import local_cluster

    status = local_cluster(_settings()).status()
    if as_json:
        click.echo(orjson.dumps(status, option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(f"state: {status['state']}  ({status['folder']})")
    for node in status.get("nodes", []):
        click.echo(f"  node {node['node_id']}: {node['address']} pid={node['pid']} "
                   f"{'accepting clients' if node['accepting'] else 'down'}  log: {node['log']}")
    if status["state"] != "absent":
        click.echo(f"  kafka {status['kafka_version']}, data {status['data_bytes'] / 1e6:.1f} MB")
    sys.exit(0 if status["state"] == "running" else 1)


# -- worker -----------------------------------------------------------------------------
@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("faust_args", nargs=-1, type=click.UNPROCESSED)
def worker(faust_args: tuple[str, ...]) -> None:
    """Run a Faust worker (Faust's own options: -l info, --web-port N, ...)."""
    settings = _settings()
    url = _broker(settings)
    _ensure_topics(settings, url)
    from stream.app import app  # needs the broker address, so imported only now

    args = list(faust_args)
    if not any(a in ("-l", "--loglevel") or a.startswith("--loglevel=") for a in args):
        args = ["-l", "info", *args]
    sys.argv = ["stream", "worker", *args]
    app.main()


# -- produce / tail ---------------------------------------------------------------------
@main.command()
@click.argument("source")
@click.option("--published-at", help="Publication date for .txt input (ISO 8601).")
@click.option("--topic", default="articles.raw", show_default=True, help="Topic name (before STREAM_TOPIC_PREFIX).")
def produce(source: str, published_at: str | None, topic: str) -> None:
    """Send articles from FILE, DIR or - (stdin): .txt (title line, then body), .json, .jsonl."""
    from rich.progress import Progress

    from stream.ingest.files import InputError, read_items
    from stream.kafka_io import produce as produce_items

    settings = _settings()
    try:
        items = list(read_items(source, published_at=published_at))
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    url = _broker(settings)
    _ensure_topics(settings, url)
    with Progress(console=err, transient=len(items) < 20, disable=len(items) < 20) as progress:
        task = progress.add_task("producing", total=len(items))
        sent = asyncio.run(produce_items(settings, url, settings.topic(topic), items,
                                         on_sent=lambda: progress.advance(task)))
    err.print(f"sent {sent} article(s) to {settings.topic(topic)}")


@main.command()
@click.argument("topic_names", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Raw JSON values, one per line.")
@click.option("--from-beginning", is_flag=True, help="Start at the oldest message instead of new ones.")
@click.option("--limit", type=int, default=0, help="Stop after this many messages (0: never).")
def tail(topic_names: tuple[str, ...], as_json: bool, from_beginning: bool, limit: int) -> None:
    """Print messages of TOPIC(s) as they arrive (readable claims, or --json)."""
    from stream.console import describe
    from stream.kafka_io import consume

    settings = _settings()
    url = _broker(settings, start=False)

    async def run() -> None:
        seen = 0
        async for record in consume(settings, url, [settings.topic(t) for t in topic_names],
                                    from_beginning=from_beginning):
            if as_json:
                click.echo(record.value.decode() if record.value is not None else "null")
            else:
                out.print(describe(record.topic, orjson.loads(record.value) if record.value else None))
            seen += 1
            if limit and seen >= limit:
                return

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


# -- status -----------------------------------------------------------------------------
@main.command()
@click.option("--url", help="The worker's web view [default: http://STREAM_WEB_HOST:STREAM_WEB_PORT].")
@click.option("--token", help="Its access token [default: STREAM_WEB_TOKEN].")
@click.option("--json", "as_json", is_flag=True, help="Print /api/stats as it is.")
def status(url: str | None, token: str | None, as_json: bool) -> None:
    """Health, lag and counts of a running worker, from its web view (exit status 1 unless ready)."""
    from stream.status import Unreachable, fetch, render

    settings = _settings()
    host = "127.0.0.1" if settings.web_host in ("0.0.0.0", "::") else settings.web_host
    try:
        stats = fetch(url or f"http://{host}:{settings.web_port}", settings.web_token if token is None else token)
    except Unreachable as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode())
    else:
        out.print(render(stats))
    sys.exit(0 if stats["worker"]["ready"]["status"] == "ok" else 1)


# -- extract ----------------------------------------------------------------------------
@main.command()
@click.argument("source")
@click.option("--published-at", help="Publication date for .txt input (ISO 8601).")
def extract(source: str, published_at: str | None) -> None:
    """Analyse FILE, DIR or - offline (no broker): one articles.processed JSON line per article.

    Rejected input is reported on stderr with its dead-letter reason (exit status 3).
    """
    from stream.extract import run_extract
    from stream.ingest.files import InputError

    logging.basicConfig(level=logging.WARNING)
    settings = _settings()
    try:
        rejected = run_extract(source, published_at, settings, sys.stdout.buffer, err)
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(3 if rejected else 0)


# -- eval -------------------------------------------------------------------------------
@main.command(name="eval", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def evaluate(args: tuple[str, ...]) -> None:
    """Extraction quality on the evaluation data (../shared/data): one table (--help for options)."""
    from stream.evaluation.harness import main as evaluation

    sys.exit(evaluation(list(args)))


# -- demo -------------------------------------------------------------------------------
@main.command()
@click.option("--web-port", type=int, default=None, help="Port of the worker's web view (default STREAM_WEB_PORT).")
def demo(web_port: int | None) -> None:
    """The whole pipeline on sample articles: broker, worker, events as they arrive. Ctrl-C stops it all."""
    from stream.demo import run_demo

    run_demo(_settings(), web_port, err, out)


if __name__ == "__main__":
    main()
