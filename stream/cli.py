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
from stream.sink.browse_command import browse as browse_command
from stream.sink.command import sink as sink_command
from stream.sink.export_command import export as export_command

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


def _cannot_connect(settings: Settings, url: str, exc: Exception) -> str:
    """Why a client could not connect, naming what to check (never the password)."""
    protocol = settings.security_protocol.upper()
    who = f" as {settings.sasl_username!r} with {settings.sasl_mechanism.upper()}" if settings.sasl_mechanism else ""
    check = (["STREAM_BROKER", "STREAM_SECURITY_PROTOCOL"]
             + (["STREAM_SASL_USERNAME", "STREAM_SASL_PASSWORD"] if settings.sasl_mechanism else [])
             + (["STREAM_SSL_CAFILE"] if "SSL" in protocol else []))
    return (f"cannot connect to {url} over {protocol}{who}: {exc}. Check {', '.join(check[:-1])} and {check[-1]}; "
            "the broker's own answer (e.g. SaslAuthenticationFailed) is logged above")


def _ensure_topics(settings: Settings, url: str) -> None:
    from aiokafka.errors import KafkaConnectionError

    from stream.broker import for_local_cluster
    from stream.kafka_io import TopicError, ensure_topics

    try:
        created = asyncio.run(ensure_topics(for_local_cluster(settings), url))
    except TopicError as exc:
        raise click.ClickException(str(exc)) from None
    except KafkaConnectionError as exc:
        raise click.ClickException(_cannot_connect(settings, url, exc)) from None
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


# -- topics -----------------------------------------------------------------------------
@main.group(name="topics")
def topics_group() -> None:
    """Create or check the pipeline's topics on any cluster (STREAM_BROKER, or the running local one)."""


@topics_group.command("create")
def topics_create() -> None:
    """Create the missing topics with their partitions, replication and retention (idempotent), then check
    every topic as `describe` does (exit status 1 if one differs)."""
    settings = _settings()
    url = _broker(settings, start=False)
    _ensure_topics(settings, url)
    _check_topics(settings, url, as_json=False)


@topics_group.command("describe")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def topics_describe(as_json: bool) -> None:
    """Each topic's partitions, replication, min.insync.replicas, retention and cleanup policy, and how they
    differ from what the pipeline expects (exit status 1 if one differs)."""
    settings = _settings()
    _check_topics(settings, _broker(settings, start=False), as_json=as_json)


def _check_topics(settings: Settings, url: str, *, as_json: bool) -> None:
    from stream.broker import for_local_cluster
    from stream.kafka_io import describe_topics
    from stream.topic_admin import plan, render, report

    planned = plan(for_local_cluster(settings))
    rows = report(planned, asyncio.run(describe_topics(settings, url, [t.name for t in planned])))
    differing = [row["topic"] for row in rows if row["differences"]]
    if as_json:
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(render(rows))
        click.echo(f"{len(differing)} of {len(rows)} topics differ from what the pipeline expects" if differing
                  else f"all {len(rows)} topics as expected")
    sys.exit(1 if differing else 0)


# -- worker -----------------------------------------------------------------------------
@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("faust_args", nargs=-1, type=click.UNPROCESSED)
def worker(faust_args: tuple[str, ...]) -> None:
    """Run a Faust worker (Faust's own options: -l info, --web-port N, ...)."""
    from stream.kafka_io import wait_for_broker

    settings = _settings()
    url = _broker(settings)
    asyncio.run(wait_for_broker(settings, url, say=lambda line: err.print(line, markup=False, highlight=False)))
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
    """Send articles from FILE, DIR or - (stdin): .txt (title line, then body), .json and .jsonl (ours or ninjs),
    .xml (NewsML-G2), .html (a web page)."""
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
@click.argument("source")
@click.option("--once", is_flag=True, help="Poll once, then exit (for cron).")
@click.option("--interval", type=click.IntRange(min=1), default=None,
              help="Seconds between polls [default: STREAM_FEED_INTERVAL].")
def feed(source: str, once: bool, interval: int | None) -> None:
    """Poll the RSS/Atom feed at URL (or in FILE): fetch each new item's page and send its story once.

    Items already sent are remembered in STREAM_STATE_DIR/feeds/, so a restart sends nothing twice;
    pages that fail are dead-lettered with their reason.
    """
    from stream.feed.poller import is_url, run_feed

    if not is_url(source) and not Path(source).is_file():  # before any broker is started
        raise click.ClickException(f"{source}: no such feed file; give a saved feed or an http(s) URL")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("stream.feed").setLevel(logging.INFO)
    settings = _settings()
    url = _broker(settings)
    _ensure_topics(settings, url)
    try:
        asyncio.run(run_feed(source, settings, url, once=once, interval=interval or settings.feed_interval))
    except KeyboardInterrupt:
        pass


@main.command()
@click.argument("topic_names", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Raw JSON values, one per line.")
@click.option("--from-beginning", is_flag=True, help="Start at the oldest message instead of new ones.")
@click.option("--limit", type=int, default=0, help="Stop after this many messages (0: never).")
def tail(topic_names: tuple[str, ...], as_json: bool, from_beginning: bool, limit: int) -> None:
    """Print messages of TOPIC(s) as they arrive (readable claims, or --json)."""
    from aiokafka.errors import KafkaConnectionError

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
    except KafkaConnectionError as exc:
        raise click.ClickException(_cannot_connect(settings, url, exc)) from None


# -- deadletter -------------------------------------------------------------------------
@main.group()
def deadletter() -> None:
    """Dead letters by reason, and re-submitting chosen ones to articles.raw after a fix."""


def _selection_options(command):
    options = (
        click.option("--reason", "reasons", multiple=True, help="Only this reason (repeatable)."),
        click.option("--id", "ids", multiple=True, help="Only this article id (repeatable)."),
        click.option("--at", "refs", multiple=True,
                     help="Only the dead letter at PARTITION:OFFSET of the dead-letter topic (repeatable)."),
        click.option("--since", help="Only those dead-lettered since: an age (30m, 6h, 2d, 1w) or an ISO 8601 time."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _dead_letters(settings: Settings, reasons, ids, refs, since):
    """(broker, the dead letters read, with those the options choose)."""
    from datetime import datetime, timezone

    from aiokafka.errors import KafkaConnectionError

    from stream.deadletter import Selection, parse_ref, parse_since, read_dead_letters
    from stream.kafka_io import TopicMissing

    try:
        selection = Selection(frozenset(reasons), frozenset(ids), frozenset(parse_ref(r) for r in refs),
                              parse_since(since, datetime.now(timezone.utc)) if since else None)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    url = _broker(settings, start=False)
    try:
        with err.status("reading the dead-letter topic..."):
            return url, asyncio.run(read_dead_letters(settings, url, selection))
    except TopicMissing as exc:
        raise click.ClickException(f"{exc}: no worker has created the topics of STREAM_TOPIC_PREFIX="
                                   f"{settings.topic_prefix!r} on this cluster") from None
    except KafkaConnectionError as exc:
        raise click.ClickException(_cannot_connect(settings, url, exc)) from None


@deadletter.command("list")
@_selection_options
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Show the latest N of those chosen (0: all).")
@click.option("--json", "as_json", is_flag=True, help="The chosen dead letters as JSON lines, with their position.")
def deadletter_list(reasons, ids, refs, since, limit: int, as_json: bool) -> None:
    """Counts by reason, then the chosen dead letters: position, time, reason, article id, source, message."""
    from stream.deadletter import render
    from stream.topics import DEADLETTER

    settings = _settings()
    _, listing = _dead_letters(settings, reasons, ids, refs, since)
    if as_json:
        for letter in listing.chosen[-limit:] if limit else listing.chosen:
            click.echo(orjson.dumps({"at": letter.ref, **letter.value}).decode())
        return
    out.print(render(listing, settings.topic(DEADLETTER), limit))


@deadletter.command("replay")
@_selection_options
@click.option("--all", "everything", is_flag=True, help="Every dead letter on the topic.")
@click.option("--dry-run", is_flag=True, help="Say what would be re-submitted; send nothing.")
def deadletter_replay(reasons, ids, refs, since, everything: bool, dry_run: bool) -> None:
    """Re-submit the chosen dead letters' original bytes and keys to articles.raw, once the cause is fixed.

    A replayed article the worker has already published unchanged is skipped as a duplicate.
    Exit status 1 if one could not be replayed (its original is gone).
    """
    from rich.text import Text

    from stream.deadletter import printable, replay
    from stream.topics import RAW

    if not (reasons or ids or refs or since or everything):
        raise click.UsageError("choose what to replay with --reason, --id, --at or --since, or pass --all")
    settings = _settings()
    url, listing = _dead_letters(settings, reasons, ids, refs, since)
    if dry_run:
        for letter in listing.chosen:
            out.print(Text(f"would replay {letter.ref} {letter.reason} {printable(letter.article_id, 60)}"))
        err.print(f"{len(listing.chosen)} dead letter(s) would be re-submitted to {settings.topic(RAW)}")
        return
    with err.status(f"re-submitting {len(listing.chosen)} dead letter(s)..."):
        results = asyncio.run(replay(settings, url, listing.chosen))
    for result in results:
        letter = result.letter
        line = f"{letter.ref} {letter.reason} {printable(letter.article_id, 60)}"
        out.print(Text(f"refused {line}: {result.refused}" if result.refused else f"replayed {line}"))
    sent = sum(result.refused is None for result in results)
    err.print(f"re-submitted {sent} of {len(results)} dead letter(s) to {settings.topic(RAW)}")
    sys.exit(1 if sent < len(results) else 0)


# -- audit ------------------------------------------------------------------------------
@main.command()
@click.option("--partition", "partitions", type=click.IntRange(min=0), multiple=True,
              help="Only this partition of articles.raw (repeatable).")
@click.option("--since", help="Only raw records from: an age (30m, 6h, 2d, 1w) or an ISO 8601 time.")
@click.option("--until", help="Only raw records before: an age or an ISO 8601 time.")
@click.option("--group", help="The workers' consumer group [default: the worker's, from STREAM_APP_ID].")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="List at most N unaccounted records per partition (all are counted).")
@click.option("--pending-ok", is_flag=True,
              help="Exit 0 when the only unaccounted records are pending (not consumed yet).")
@click.option("--resubmit", is_flag=True,
              help="Re-send each lost record's original bytes, key and headers to articles.raw.")
@click.option("--json", "as_json", is_flag=True, help="The whole report as JSON.")
def audit(partitions, since, until, group, limit: int, pending_ok: bool, resubmit: bool, as_json: bool) -> None:
    """Account for every record of articles.raw: processed, dead-lettered, lost or pending.

    Lost: behind the group's committed offset with no articles.processed message for its article
    and no dead letter naming it. Pending: not consumed yet. Exit status 1 when any record is
    unaccounted for (with --pending-ok: when any is lost).
    """
    from datetime import datetime, timezone

    from aiokafka.errors import KafkaConnectionError
    from rich.progress import Progress

    from stream.audit_render import render
    from stream.audit_run import run_audit
    from stream.deadletter import parse_since
    from stream.kafka_io import TopicMissing, produce
    from stream.topics import RAW

    settings = _settings()
    now = datetime.now(timezone.utc)
    try:
        bounds = {name: parse_since(value, now).timestamp() if value else None
                  for name, value in (("since", since), ("until", until))}
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    url = _broker(settings, start=False)
    with Progress(console=err, transient=True) as progress:
        tasks: dict[str, int] = {}

        def show(label: str, done: int, total: int) -> None:
            task = tasks.setdefault(label, progress.add_task(f"reading {label}", total=total))
            progress.update(task, completed=done, total=total)

        try:
            report, lost = asyncio.run(run_audit(settings, url, group=group or settings.faust_id,
                                                 partitions=list(partitions) or None, keep=limit,
                                                 keep_lost=resubmit, progress=show, **bounds))
        except TopicMissing as exc:
            raise click.ClickException(f"{exc}: no worker has created the topics of STREAM_TOPIC_PREFIX="
                                       f"{settings.topic_prefix!r} on this cluster") from None
        except KafkaConnectionError as exc:
            raise click.ClickException(_cannot_connect(settings, url, exc)) from None
    if as_json:
        click.echo(orjson.dumps({"totals": report.totals(), "partitions": [r.as_dict() for r in report.reports()]},
                                option=orjson.OPT_INDENT_2).decode())
    else:
        out.print(render(report, settings.topic(RAW)))
    if resubmit and lost:
        sent = asyncio.run(produce(settings, url, settings.topic(RAW), lost))
        err.print(f"re-submitted {sent} lost record(s) to {settings.topic(RAW)} with their original bytes and keys")
    totals = report.totals()
    sys.exit(1 if totals["lost"] or (totals["pending"] and not pending_ok) else 0)


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
@click.option("--incidents", is_flag=True,
              help="Also cluster the claims into incidents: each line gains incident_ids, and one "
                   '{"incident": ...} line per incident follows the articles.')
def extract(source: str, published_at: str | None, incidents: bool) -> None:
    """Analyse FILE, DIR or - offline (no broker): one articles.processed JSON line per article.

    Rejected input is reported on stderr with its dead-letter reason (exit status 3).
    """
    from stream.extract import run_extract
    from stream.ingest.files import InputError

    logging.basicConfig(level=logging.WARNING)
    settings = _settings()
    try:
        rejected = run_extract(source, published_at, settings, sys.stdout.buffer, err, incidents=incidents)
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(3 if rejected else 0)


# -- places -----------------------------------------------------------------------------
@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per place and claim.")
def places(text: str, as_json: bool) -> None:
    """How each place in TEXT was resolved, and why (TEXT "-" reads stdin)."""
    from stream.analysis.article import Article
    from stream.analysis.pipeline import Analyzer
    from stream.places_report import evidence_line, explain, render

    article = Article(id="places", body=sys.stdin.read() if text == "-" else text)
    analyzer = Analyzer()
    geography = analyzer.geography(article)
    rows = explain(analyzer.analyze(article), geography)
    click.echo("\n".join(orjson.dumps(r).decode() for r in rows) if as_json else
               evidence_line(geography) + "\n" + render(rows))


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
@click.option("--history-port", type=int, default=8001, show_default=True,
              help="Port of the history browser over the demo's sink file.")
def demo(web_port: int | None, history_port: int) -> None:
    """The whole pipeline on sample articles: broker, worker, sink, history browser, events as they arrive.
    Ctrl-C stops it all."""
    from stream.demo import run_demo

    run_demo(_settings(), web_port, err, out, history_port=history_port)


# -- commands in modules of their own -----------------------------------------------------
main.add_command(sink_command)
main.add_command(export_command)
main.add_command(browse_command)

if __name__ == "__main__":
    main()
