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
    retention_days: int
    compacted: bool = False

    def config(self, max_message_bytes: int, min_insync: int) -> dict[str, str]:
        return {
            "cleanup.policy": "compact,delete" if self.compacted else "delete",
            "retention.ms": str(self.retention_days * DAY_MS),
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
)

BY_NAME = {spec.name: spec for spec in TOPICS}
