"""Messages from an analysis: what goes to which topic, checked against its schema and size limit."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

import orjson

from stream import topics
from stream.analysis.pipeline import SCHEMA_VERSION
from stream.ingest.reasons import Reason, Rejected
from stream.schemas import SchemaError, validator

# Room left under the topic's limit for the record's key, headers and batch framing.
_HEADROOM = 16 * 1024
_CLAIM_DEFINITIONS = {topics.CASUALTIES: "casualty_claim", topics.ATTACKS: "attack_claim"}


@dataclass(frozen=True)
class Message:
    topic: str  # unprefixed topic name
    value: dict

    def encode(self) -> bytes:
        return orjson.dumps(self.value)


def _envelope(analysis: dict, revision: int) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "extractor_version": analysis["extractor_version"],
        "article_id": analysis["article_id"],
        "revision": revision,
    }


def _compact(processed: dict) -> dict:
    """Drop the sentence texts, which a consumer can slice from the body with their offsets."""
    sentences = [{k: v for k, v in s.items() if k != "text"} for s in processed["sentences"]]
    return {**processed, "sentences": sentences, "compacted": True}


def _fit(processed: dict, limit: int) -> dict:
    if len(orjson.dumps(processed)) <= limit:
        return processed
    compact = _compact(processed)
    size = len(orjson.dumps(compact))
    if size > limit:
        raise Rejected(Reason.OUTPUT_TOO_LARGE, f"the analysis is {size} bytes even without sentence texts; the "
                                                f"topic limit is {limit} (STREAM_MAX_MESSAGE_BYTES)",
                       processed["article_id"])
    return compact


def article_messages(analysis: dict, revision: int, retract: list[str], *, max_message_bytes: int,
                     validate: bool = True, retraction_reason: str = "revised") -> list[Message]:
    """Every message one analysed article produces, ``articles.processed`` last.

    ``retraction_reason``: "revised" (a revision no longer reports them) or "withdrawn" (the provider
    canceled or withheld the article)."""
    env = _envelope(analysis, revision)
    casualties = [{**env, **claim, "retracted": False} for claim in analysis["casualties"]]
    attacks = [{**env, **claim, "retracted": False} for claim in analysis["attacks"]]
    messages = [Message(topics.SENTENCES, {**env, **s}) for s in analysis["sentences"]]
    messages.append(Message(topics.ENTITIES, {**env, "entities": analysis["entities"]}))
    messages += [Message(topics.CASUALTIES, c) for c in casualties]
    messages += [Message(topics.ATTACKS, a) for a in attacks]
    for event_id in retract:
        topic = topics.CASUALTIES if event_id.startswith("cas-") else topics.ATTACKS
        messages.append(Message(topic, {**env, "event_id": event_id, "retracted": True, "reason": retraction_reason}))
    processed = {**analysis, **env, "casualties": casualties, "attacks": attacks, "compacted": False}
    messages.append(Message(topics.PROCESSED, _fit(processed, max_message_bytes - _HEADROOM)))
    if validate:
        for message in messages:
            check(message)
    return messages


def check(message: Message) -> None:
    """Validate against the topic's schema; a failure is a bug, dead-lettered as output_invalid."""
    spec = topics.BY_NAME[message.topic]
    definition = _CLAIM_DEFINITIONS.get(message.topic) if not message.value.get("retracted") else None
    try:
        validator(f"definitions.json#{definition}" if definition else spec.schema)(message.value)
    except SchemaError as exc:
        raise Rejected(Reason.OUTPUT_INVALID, f"{message.topic}: {exc}", message.value.get("article_id")) from None


def dead_letter(rejected: Rejected, *, raw: bytes | None, key: bytes | None, source: dict, stage: str,
                extractor_version: str, max_message_bytes: int) -> Message:
    """The dead-letter record: reason, message, the original bytes (cut to fit), where they came from."""
    raw = raw or b""
    budget = (max_message_bytes - _HEADROOM) * 3 // 4 - 4096  # base64 grows by a third
    truncated = len(raw) > budget
    value = {
        "schema_version": SCHEMA_VERSION,
        "extractor_version": extractor_version,
        "article_id": rejected.article_id,
        "reason": rejected.reason.value,
        "message": rejected.message,
        "stage": stage,
        "original": {
            "value_base64": base64.b64encode(raw[:budget] if truncated else raw).decode(),
            "key_base64": base64.b64encode(key).decode() if key is not None else None,
            "size": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "truncated": truncated,
        },
        "source": source,
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
    }
    message = Message(topics.DEADLETTER, value)
    validator("deadletter.json")(value)
    return message
