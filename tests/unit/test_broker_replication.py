"""Tests for stream.broker.for_local_cluster: topics on the embedded cluster get as many replicas as it has nodes."""

import json

import pytest

from stream.broker import for_local_cluster
from stream.settings import load
from stream.topic_admin import plan


def local_settings(tmp_path, nodes: int, **env: str):
    if nodes:
        folder = tmp_path / "broker"
        folder.mkdir()
        layout = [{"node_id": i + 1, "port": 9092 + 2 * i, "controller_port": 9093 + 2 * i} for i in range(nodes)]
        (folder / "cluster.json").write_text(json.dumps({"nodes": layout}))
    return load({"STREAM_STATE_DIR": str(tmp_path), **env})


@pytest.mark.parametrize(("nodes", "replicas", "min_isr"), [(0, 1, "1"), (1, 1, "1"), (2, 2, "2"), (3, 3, "2"),
                                                             (5, 3, "2")])
def test_broker_local_cluster_replicates_topics_as_its_nodes_allow(tmp_path, nodes, replicas, min_isr):
    settings = for_local_cluster(local_settings(tmp_path, nodes))
    assert settings.replication_factor == replicas
    assert {(t.replication_factor, t.config["min.insync.replicas"]) for t in plan(settings)} == {(replicas, min_isr)}


def test_broker_a_cluster_named_by_stream_broker_keeps_its_replication_setting(tmp_path):
    settings = local_settings(tmp_path, 3, STREAM_BROKER="kafka://kafka-1:9092", STREAM_REPLICATION_FACTOR="2")
    assert for_local_cluster(settings) is settings
