"""The topics: the contract downstream consumers rely on.

Names are fixed (after ``STREAM_TOPIC_PREFIX``); every message of one article is keyed
by its article id so it stays in order on one partition.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    schema: str | None  # file in schemas/ that every value validates against
    description: str
    retention_days: int | None  # None (compacted topics only): kept until a newer value of the key replaces it
    compacted: bool = False
    partitions: int | None = None  # None: STREAM_PARTITIONS

    def config(self, max_message_bytes: int, min_insync: int) -> dict[str, str]:
        if self.retention_days is None:
            retention = {"cleanup.policy": "compact"}
        else:
            retention = {"cleanup.policy": "compact,delete" if self.compacted else "delete",
                         "retention.ms": str(self.retention_days * DAY_MS)}
        return {
            **retention,
            "max.message.bytes": str(max_message_bytes),
            "min.insync.replicas": str(min_insync),
        }


RAW = "articles.raw"
ACCEPTED = "articles.accepted"
SENTENCES = "articles.sentences"
ENTITIES = "articles.entities"
CASUALTIES = "events.casualties"
ATTACKS = "events.attacks"
PROCESSED = "articles.processed"
INCIDENT_CANDIDATES = "incidents.candidates"
INCIDENTS = "events.incidents"
DEADLETTER = "articles.deadletter"

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(RAW, "article.json", "input: one article per message, any key", 7),
    TopicSpec(ACCEPTED, "article.json", "validated input re-keyed by article id (internal hop before analysis)", 7),
    TopicSpec(SENTENCES, "sentence.json", "one message per sentence", 30),
    TopicSpec(ENTITIES, "entities.json", "all entities of one article", 30),
    TopicSpec(CASUALTIES, "casualty.json", "one message per casualty claim, or a retraction", 90),
    TopicSpec(ATTACKS, "attack.json", "one message per attack claim, or a retraction", 90),
    # Keyed by article id, the latest revision is the state: compaction keeps it.
    TopicSpec(PROCESSED, "processed.json", "the whole analysis of one article (what `stream extract` prints)", 30, True),
    TopicSpec(DEADLETTER, "deadletter.json", "rejected input with reason and original bytes", 30),
    # Internal hop of the incident stage: an article's incident candidates, keyed by bucket (country).
    TopicSpec(INCIDENT_CANDIDATES, "incident_candidates.json",
              "incident candidates re-keyed by bucket (internal hop before clustering)", 7),
    # Keyed by incident id: the latest record is the incident; a null value (tombstone) deletes it.
    TopicSpec(INCIDENTS, "incident.json", "one record per incident, upserted as reports arrive", 90, True),
)

BY_NAME = {spec.name: spec for spec in TOPICS}

LEDGER_TABLE = "article-ledger"
# The incident stage's state: which buckets each article's candidates went to (keyed by article id),
# and the incidents, their week index, each article's contribution and each bucket's clock (keyed in
# the partition of their bucket).
INCIDENT_TABLES = ("incident-routes", "incidents", "incident-index", "incident-articles", "incident-buckets")

# Faust's own topics, named "<STREAM_TOPIC_PREFIX><STREAM_APP_ID>-<name>". They are created with the
# others so that they get the same replication (Faust leaves a topic that exists as it is).
INTERNAL_TOPICS: tuple[TopicSpec, ...] = (
    # The ledger's state (content hash and revision per article): must never expire.
    TopicSpec(f"{LEDGER_TABLE}-changelog", None, "changelog of the ledger table (Faust)", None, True),
    *(TopicSpec(f"{name}-changelog", None, f"changelog of the {name} table (Faust)", None, True)
      for name in INCIDENT_TABLES),
    TopicSpec("__assignor-__leader", None, "Faust's partition assignor", 7, partitions=1),
)
