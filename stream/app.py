"""The Faust application: settings, codec and topics. ``stream.agents`` wires them to the analysis.

``faust -A stream.app worker`` and ``stream worker`` both load ``app`` from here.
"""

from __future__ import annotations

import faust
import orjson
from faust.serializers import codecs

from stream import settings as settings_module
from stream import topics
from stream.broker import broker_url, for_local_cluster
from stream.faust_fixes import install as install_consumer_fix
from stream.kafka_io import ssl_context
from stream.log_repeats import hold_repeats
from stream.settings import Settings


class OrjsonCodec(codecs.Codec):
    """JSON through orjson: the codec of every output topic and of the ledger table."""

    def _dumps(self, obj) -> bytes:
        return orjson.dumps(obj)

    def _loads(self, s: bytes):
        return orjson.loads(s)


class Utf8Codec(codecs.Codec):
    """Text keys (article ids) that come back as ``str`` after a table recovers from its changelog."""

    def _dumps(self, obj) -> bytes:
        return obj.encode() if isinstance(obj, str) else bytes(obj)

    def _loads(self, s: bytes) -> str:
        return s.decode()


codecs.register("orjson", OrjsonCodec())
codecs.register("utf8", Utf8Codec())


def _credentials(settings: Settings):
    if settings.sasl_mechanism:
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            mechanism=settings.sasl_mechanism.upper(),
            ssl_context=ssl_context(settings),
        )
    context = ssl_context(settings)
    return faust.SSLCredentials(context) if context is not None else None


PRODUCER_BATCH_BYTES = 1024 * 1024


def create_app(settings: Settings) -> faust.App:
    (settings.state_dir / "faust").mkdir(parents=True, exist_ok=True)
    return faust.App(
        settings.faust_id,
        broker=broker_url(settings),
        broker_credentials=_credentials(settings),
        store="memory://",
        processing_guarantee="at_least_once",
        producer_acks=-1,
        producer_max_request_size=settings.max_message_bytes,
        # An article's analysis is tens of messages: batches fill for a few milliseconds (Kafka 4's own
        # linger default) and up to 1 MB, instead of one small request per partition as they come.
        producer_linger=settings.producer_linger_ms / 1000,
        producer_max_batch_size=min(PRODUCER_BATCH_BYTES, settings.max_message_bytes),
        consumer_max_fetch_size=settings.max_message_bytes,
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        # web_bind is the listening address; web_host only names it in Faust's canonical URL.
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_tables_enabled=settings.web_tables,
        web_router_enabled=settings.web_router,
        web_in_thread=False,
        table_standby_replicas=0,
        stream_buffer_maxsize=max(64, settings.batch_size * 4),
        autodiscover=False,
        datadir=str(settings.state_dir / "faust"),
    )


SETTINGS = for_local_cluster(settings_module.load())
app = create_app(SETTINGS)
hold_repeats("aiokafka")  # a broker outage: a few lines, not a thousand a second
# Input records fetched before a rebalance's seek are read again, never skipped (see stream/faust_fixes.py).
_never_compacted = (topics.RAW, topics.ACCEPTED, topics.INCIDENT_CANDIDATES)
install_consumer_fix(app, [SETTINGS.topic(name) for name in (*_never_compacted, topics.PROCESSED)],
                     gap_free=[SETTINGS.topic(name) for name in _never_compacted])

raw_topic = app.topic(SETTINGS.topic(topics.RAW), key_serializer="raw", value_serializer="raw",
                      partitions=SETTINGS.partitions)
accepted_topic = app.topic(SETTINGS.topic(topics.ACCEPTED), key_serializer="raw", value_serializer="raw",
                           partitions=SETTINGS.partitions)
output_topics = {
    name: app.topic(SETTINGS.topic(name), key_serializer="raw", value_serializer="orjson",
                    partitions=SETTINGS.partitions)
    for name in (topics.SENTENCES, topics.ENTITIES, topics.CASUALTIES, topics.ATTACKS, topics.PROCESSED,
                 topics.DEADLETTER, topics.INCIDENT_CANDIDATES, topics.INCIDENTS)
}
# Keyed like articles.accepted and written through the same partitioner, so an article's ledger entry
# lives in the changelog partition of the worker that owns the article.
ledger_table = app.Table(topics.LEDGER_TABLE, default=None,
                         schema=faust.Schema(key_serializer="utf8", value_serializer="orjson"),
                         partitions=SETTINGS.partitions, use_partitioner=True)

from stream import agents  # noqa: E402  (registers the agents on ``app``)
if SETTINGS.incidents:
    from stream import incident_agents  # noqa: E402,F401  (the incident stage's agents and tables)
from stream.web import install as install_web_view  # noqa: E402

install_web_view(app, agents.runtime, SETTINGS)
