"""Where the broker is: a user's cluster (STREAM_BROKER) or the embedded local one."""

from __future__ import annotations

from dataclasses import replace

from stream.broker.local import LocalCluster, replication_for
from stream.settings import Settings


def local_cluster(settings: Settings, nodes: int = 1) -> LocalCluster:
    return LocalCluster(
        settings.state_dir,
        cache_dir=settings.cache_dir,
        maven_repo=settings.maven_repo,
        nodes=nodes,
        port=settings.local_broker_port,
        max_message_bytes=settings.max_message_bytes,
        partitions=settings.partitions,
        heap=settings.local_broker_heap,
    )


def for_local_cluster(settings: Settings) -> Settings:
    """On the embedded cluster, topics get as many replicas as its brokers allow (at most 3), like the
    cluster's own internal topics; STREAM_REPLICATION_FACTOR is for a cluster named by STREAM_BROKER."""
    if not settings.uses_local_broker:
        return settings
    return replace(settings, replication_factor=replication_for(len(local_cluster(settings).nodes())))


class NoBroker(RuntimeError):
    """No broker is configured and the local one is not running."""


def broker_url(settings: Settings) -> str:
    """The configured cluster, or the running local one."""
    if not settings.uses_local_broker:
        return settings.broker
    cluster = local_cluster(settings)
    if not cluster.running_nodes():
        raise NoBroker(
            "no broker: the local broker is not running and STREAM_BROKER is not set. "
            "Run `stream broker start`, or set STREAM_BROKER=kafka://host:9092 for your own cluster."
        )
    return cluster.url()
