"""bench/message_sizes.py: what each article puts on Kafka, measured with the worker's own processing."""

import json
from pathlib import Path

import orjson
import pytest

from bench.message_sizes import CHANGELOG, measure
from stream import topics

pytestmark = pytest.mark.slow  # loads the model
SAMPLES = Path(__file__).resolve().parents[2] / "stream" / "samples"


def test_message_sizes_counts_every_message_of_each_article(analyzer):
    items = [json.loads((SAMPLES / name).read_text()) for name in ("02-kharkiv-drones.json", "07-quarterly-results.json")]
    result = measure(items, analyzer)
    per_topic = result["topics"]
    assert result["articles"] == 2
    for name in (topics.RAW, topics.ACCEPTED, topics.ENTITIES, topics.PROCESSED, CHANGELOG):
        assert per_topic[name]["messages_per_article"] == 1.0, name
    assert per_topic[topics.SENTENCES]["messages_per_article"] > 2
    assert per_topic[topics.ATTACKS]["messages_per_article"] > 0  # the Kharkiv story reports drone attacks
    raw = sum(len(orjson.dumps(item)) + len(item["id"]) for item in items) / 2
    assert per_topic[topics.RAW]["bytes_per_article"] == round(raw)
    assert per_topic[topics.PROCESSED]["bytes_per_article"] > per_topic[topics.RAW]["bytes_per_article"]
    assert result["bytes_per_article"] == sum(t["bytes_per_article"] for t in per_topic.values())
    # a decoded record in memory takes more than its changelog bytes
    assert result["ledger_memory_bytes_per_article"] > per_topic[CHANGELOG]["bytes_per_article"]
