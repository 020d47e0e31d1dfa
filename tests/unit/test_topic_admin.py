"""Tests for stream.topic_admin: the topic plan the worker and `stream topics` share, and what differs from it."""

from dataclasses import replace

import pytest

from stream.settings import load
from stream.topic_admin import ExistingTopic, differences, min_insync_replicas, plan, render, report
from stream.topics import INTERNAL_TOPICS, TOPICS

MiB = 1024 * 1024
CLUSTER = load({"STREAM_REPLICATION_FACTOR": "3", "STREAM_PARTITIONS": "12", "STREAM_TOPIC_PREFIX": "prod."})


def as_planned(topic) -> ExistingTopic:
    """The topic exactly as the plan wants it, every replica in sync."""
    return ExistingTopic(topic.name, topic.partitions, topic.replication_factor, topic.replication_factor,
                         {"retention.ms": "604800000", **topic.config})


def by_name(settings=CLUSTER) -> dict:
    return {t.name: t for t in plan(settings)}


def test_topic_admin_plan_names_every_topic_and_faust_s_own():
    assert list(by_name()) == [f"prod.{spec.name}" for spec in TOPICS] + [
        f"prod.conflict-stream-{spec.name}" for spec in INTERNAL_TOPICS]
    assert {"prod.conflict-stream-article-ledger-changelog", "prod.conflict-stream-__assignor-__leader"} <= set(by_name())


def test_topic_admin_plan_internal_topics_follow_the_app_id():
    settings = load({"STREAM_TOPIC_PREFIX": "t1.", "STREAM_APP_ID": "eu"})
    assert {"t1.eu-article-ledger-changelog", "t1.eu-__assignor-__leader"} <= set(by_name(settings))


@pytest.mark.parametrize(("replication", "min_isr"), [(1, 1), (2, 2), (3, 2), (5, 2)])
def test_topic_admin_min_insync_replicas_keeps_one_broker_spare(replication, min_isr):
    assert min_insync_replicas(replication) == min_isr
    settings = load({"STREAM_REPLICATION_FACTOR": str(replication)})
    assert {t.config["min.insync.replicas"] for t in plan(settings)} == {str(min_isr)}
    assert {t.replication_factor for t in plan(settings)} == {replication}


@pytest.mark.parametrize(("name", "partitions", "config"), [
    ("prod.articles.raw", 12, {"cleanup.policy": "delete", "retention.ms": str(7 * 86_400_000)}),
    ("prod.articles.processed", 12, {"cleanup.policy": "compact,delete", "retention.ms": str(30 * 86_400_000)}),
    # the ledger's state never expires; its partitions match articles.accepted, whose keys it holds
    ("prod.conflict-stream-article-ledger-changelog", 12, {"cleanup.policy": "compact"}),
    ("prod.conflict-stream-__assignor-__leader", 1, {"cleanup.policy": "delete", "retention.ms": str(7 * 86_400_000)}),
])
def test_topic_admin_plan_partitions_and_config(name, partitions, config):
    topic = by_name()[name]
    assert topic.partitions == partitions
    assert topic.config == {**config, "max.message.bytes": str(10 * MiB), "min.insync.replicas": "2"}


def test_topic_admin_a_topic_as_planned_has_no_differences():
    assert all(differences(t, as_planned(t)) == [] for t in plan(CLUSTER))


@pytest.mark.parametrize(("change", "expected"), [
    ({"partitions": 8}, "8 partitions, expected 12"),
    ({"replication_factor": 2, "in_sync": 2}, "replication factor 2, expected 3"),
    ({"config": {"min.insync.replicas": "1"}}, "min.insync.replicas 1, expected 2"),
    ({"config": {"retention.ms": str(86_400_000)}}, "retention.ms 1 days, expected 7 days"),
    ({"config": {"retention.ms": "-1"}}, "retention.ms forever, expected 7 days"),
    ({"config": {"cleanup.policy": "compact"}}, "cleanup.policy compact, expected delete"),
    ({"config": {"max.message.bytes": "1048588"}}, f"max.message.bytes 1048588, expected {10 * MiB}"),
    ({"in_sync": 1}, "a partition has 1 in-sync replica(s), fewer than min.insync.replicas 2: writes to it fail"),
])
def test_topic_admin_differences_name_each_mismatch(change, expected):
    planned = by_name()["prod.articles.raw"]
    existing = as_planned(planned)
    existing = replace(existing, **{**change, "config": {**existing.config, **change.get("config", {})}})
    (found,) = differences(planned, existing)
    assert found.startswith(expected)


def test_topic_admin_differences_of_a_missing_topic():
    assert differences(plan(CLUSTER)[0], None) == ["missing"]


def test_topic_admin_retention_is_not_compared_on_a_compacted_only_topic():
    changelog = by_name()["prod.conflict-stream-article-ledger-changelog"]
    assert differences(changelog, replace(as_planned(changelog), config={**changelog.config, "retention.ms": "1"})) == []


def test_topic_admin_report_and_render_show_the_cluster_and_the_differences():
    planned = plan(CLUSTER)
    existing = {t.name: as_planned(t) for t in planned[1:]}
    existing["prod.articles.sentences"] = replace(existing["prod.articles.sentences"], partitions=3)
    rows = report(planned, existing)
    assert [r["topic"] for r in rows] == [t.name for t in planned]
    assert rows[0]["exists"] is False and rows[0]["differences"] == ["missing"]
    sentences = rows[2]
    assert (sentences["partitions"], sentences["replication_factor"], sentences["min_insync_replicas"],
            sentences["retention"], sentences["cleanup_policy"]) == (3, 3, "2", "30 days", "delete")
    assert sentences["expected"]["partitions"] == 12 and sentences["differences"] == ["3 partitions, expected 12"]
    text = render(rows).splitlines()
    assert text[0].split()[:2] == ["topic", "partitions"]
    assert text[1].split() == ["prod.articles.raw", "missing"]
    assert "until replaced" in next(line for line in text if "ledger-changelog" in line)
    assert text[-2:] == ["prod.articles.raw: missing", "prod.articles.sentences: 3 partitions, expected 12"]
