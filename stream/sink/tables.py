"""The sink's tables, one description for SQLite and PostgreSQL, and their migrations.

Each table keeps the columns analysts filter on, plus ``record``: the message's JSON, whole, so a field added
to a topic later (a new optional field) is kept without a new column and never breaks an existing database.
"""

from __future__ import annotations

from stream.sink.rows import ARTICLES, ATTACKS, CASUALTIES, INCIDENTS, KEY_FIELD

_CLAIM = [("article_id", "text"), ("revision", "int"), ("extractor_version", "text"), ("certainty", "text"),
          ("date", "text"), ("date_end", "text"), ("time_precision", "text"), ("place", "text"),
          ("country_code", "text"), ("latitude", "float"), ("longitude", "float"), ("geo_resolution", "text"),
          ("attribution", "text"), ("evidence", "text"), ("historical", "bool"), ("background", "bool")]
_RETRACTION = [("retracted", "bool"), ("retraction_reason", "text")]

COLUMNS: dict[str, list[tuple[str, str]]] = {
    ARTICLES: [("article_id", "text"), ("revision", "int"), ("extractor_version", "text"), ("content_hash", "text"),
               ("title", "text"), ("source", "text"), ("url", "text"), ("published_at", "text"),
               ("language", "text"), ("pubstatus", "text"), ("version", "text"), ("killed_best", "int"),
               ("injured_best", "int"), ("casualty_claims", "int"), ("attack_claims", "int"), ("record", "json")],
    CASUALTIES: [("event_id", "text"), *_CLAIM, ("status", "text"), ("count_best", "int"), ("count_min", "int"),
                 ("count_max", "int"), ("count_text", "text"), ("victims_kind", "text"), ("perpetrator", "text"),
                 ("counted", "bool"), ("not_counted_reason", "text"), ("record", "json"), *_RETRACTION],
    ATTACKS: [("event_id", "text"), *_CLAIM, ("attack_type", "text"), ("actor", "text"), ("claimed_by", "text"),
              ("target", "text"), ("weapon", "text"), ("record", "json"), *_RETRACTION],
    INCIDENTS: [("incident_id", "text"), ("revision", "int"), ("status", "text"), ("merged_into", "text"),
                ("bucket", "text"), ("types", "json"), ("statuses", "json"), ("time_start", "text"),
                ("time_end", "text"), ("dated", "bool"), ("place", "text"), ("country_code", "text"),
                ("latitude", "float"), ("longitude", "float"), ("actors", "json"), ("killed_best", "int"),
                ("killed_min", "int"), ("killed_max", "int"), ("injured_best", "int"), ("reports", "int"),
                ("first_seen", "text"), ("last_seen", "text"), ("record", "json"), ("deleted", "bool")],
}
# Columns the sink sets itself (mark mode), not taken from a message.
MARK_COLUMNS = {"retracted", "retraction_reason", "deleted"}

_BOOKKEEPING = [
    "CREATE TABLE IF NOT EXISTS sink_offsets (topic {text} NOT NULL, kafka_partition {int} NOT NULL, "
    "next_offset {int} NOT NULL, PRIMARY KEY (topic, kafka_partition))",
    "CREATE TABLE IF NOT EXISTS sink_retired (tbl {text} NOT NULL, key {text} NOT NULL, revision {int} NOT NULL, "
    "reason {text}, PRIMARY KEY (tbl, key))",
    "CREATE TABLE IF NOT EXISTS sink_rejects (topic {text} NOT NULL, kafka_partition {int} NOT NULL, "
    "kafka_offset {int} NOT NULL, key {bytes}, value {bytes}, reason {text} NOT NULL, rejected_at {text} NOT NULL, "
    "PRIMARY KEY (topic, kafka_partition, kafka_offset))",
]
_INDEXES = [
    "CREATE INDEX IF NOT EXISTS casualties_article ON casualties (article_id)",
    "CREATE INDEX IF NOT EXISTS casualties_country_date ON casualties (country_code, date)",
    "CREATE INDEX IF NOT EXISTS attacks_article ON attacks (article_id)",
    "CREATE INDEX IF NOT EXISTS attacks_country_date ON attacks (country_code, date)",
    "CREATE INDEX IF NOT EXISTS incidents_country_time ON incidents (country_code, time_start)",
]


def _create(table: str) -> str:
    columns = ", ".join(f"{name} {{{kind}}}" for name, kind in COLUMNS[table])
    return f"CREATE TABLE IF NOT EXISTS {table} ({columns}, PRIMARY KEY ({KEY_FIELD[table]}))"


# Each entry takes the tables from the version before it to the next; the table version is their count.
# A later change appends an entry (ALTER TABLE ... ADD COLUMN ...), never edits one.
MIGRATIONS: list[list[str]] = [
    [_create(t) for t in COLUMNS] + _BOOKKEEPING + _INDEXES,
]
TABLE_VERSION = len(MIGRATIONS)
