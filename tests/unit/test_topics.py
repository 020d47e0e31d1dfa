"""Tests for stream.topics: the fixed topic names and their broker configuration."""
import pytest

from stream import topics
from stream.topics import BY_NAME, DAY_MS, TOPICS

MiB = 1024 * 1024


def test_topics_names_are_the_contract():
    assert [t.name for t in TOPICS] == [
        "articles.raw", "articles.accepted", "articles.sentences", "articles.entities",
        "events.casualties", "events.attacks", "articles.processed", "articles.deadletter",
        "incidents.candidates", "events.incidents",
    ]
    assert (topics.RAW, topics.ACCEPTED, topics.SENTENCES, topics.ENTITIES, topics.CASUALTIES, topics.ATTACKS,
            topics.PROCESSED, topics.DEADLETTER, topics.INCIDENT_CANDIDATES,
            topics.INCIDENTS) == tuple(t.name for t in TOPICS)


def test_topics_by_name_finds_every_spec():
    assert set(BY_NAME) == {t.name for t in TOPICS}
    assert all(BY_NAME[t.name] is t for t in TOPICS)


@pytest.mark.parametrize(("name", "schema"), [
    ("articles.raw", "article.json"),
    ("articles.accepted", "article.json"),
    ("articles.sentences", "sentence.json"),
    ("articles.entities", "entities.json"),
    ("events.casualties", "casualty.json"),
    ("events.attacks", "attack.json"),
    ("articles.processed", "processed.json"),
    ("articles.deadletter", "deadletter.json"),
    ("incidents.candidates", "incident_candidates.json"),
    ("events.incidents", "incident.json"),
])
def test_topics_schema_of_each_topic(name, schema):
    assert BY_NAME[name].schema == schema


@pytest.mark.parametrize(("name", "policy", "days"), [
    ("articles.raw", "delete", 7),
    ("articles.accepted", "delete", 7),
    ("articles.sentences", "delete", 30),
    ("articles.entities", "delete", 30),
    ("events.casualties", "delete", 90),
    ("events.attacks", "delete", 90),
    ("articles.processed", "compact,delete", 30),
    ("articles.deadletter", "delete", 30),
    ("incidents.candidates", "delete", 7),
    ("events.incidents", "compact,delete", 90),
])
def test_topics_config(name, policy, days):
    config = BY_NAME[name].config(max_message_bytes=10 * MiB, min_insync=2)
    assert config == {
        "cleanup.policy": policy,
        "retention.ms": str(days * 24 * 3600 * 1000),
        "max.message.bytes": str(10 * MiB),
        "min.insync.replicas": "2",
    }


def test_topics_only_keyed_state_is_compacted():
    assert [t.name for t in TOPICS if t.compacted] == ["articles.processed", "events.incidents"]


@pytest.mark.parametrize(("max_bytes", "min_insync"), [(1 * MiB, 1), (64 * MiB, 3)])
def test_topics_config_passes_limits_through_as_strings(max_bytes, min_insync):
    for spec in TOPICS:
        config = spec.config(max_bytes, min_insync)
        assert config["max.message.bytes"] == str(max_bytes)
        assert config["min.insync.replicas"] == str(min_insync)
        assert all(isinstance(v, str) for v in config.values())


def test_topics_day_is_milliseconds():
    assert DAY_MS == 86_400_000


def test_topics_every_topic_has_a_description():
    assert all(t.description.strip() for t in TOPICS)
