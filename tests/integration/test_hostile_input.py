"""A batch of hostile messages through a real worker: every one is accounted for, on articles.processed or
on the dead-letter topic with a reason; accepted ones give sane output; an article over the time budget is
dead-lettered ``analysis_timeout`` and the worker goes on with a fresh analysis process."""

from __future__ import annotations

import asyncio
import re

import orjson
import pytest

from stream import topics
from tests.fuzz.hostile import hostile_batch

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# About a minute of analysis (60,000 one-word sentences, each parsed): far over a 6-second budget.
STUCK = orjson.dumps({"id": "hostile-stuck", "body": "Killed. " * 60_000})
AFTER = orjson.dumps({"id": "hostile-after", "body": "A drone strike killed 3 fighters near Kharkiv on Monday.",
                      "published_at": "2024-10-22"})


def test_hostile_batch_every_message_is_accounted_for(pipeline):
    batch = hostile_batch()
    values = [raw for _, raw in batch] + [STUCK]
    worker = pipeline.start_worker(STREAM_ARTICLE_TIME_BUDGET="6")
    asyncio.run(pipeline.produce(values))
    asyncio.run(pipeline.produce([AFTER]))  # sent after the stuck article: must not wait behind it for ever
    expected = len(values) + 1

    def letters_of(records) -> list[dict]:  # later stages (incidents) dead-letter on their own account
        return [r.value for r in records[topics.DEADLETTER] if r.value["stage"] in ("ingest", "analysis")]

    def accounted(records) -> bool:
        return len(records[topics.PROCESSED]) + len(letters_of(records)) >= expected

    out = asyncio.run(pipeline.read((topics.PROCESSED, topics.DEADLETTER, topics.CASUALTIES), until=accounted,
                                    timeout=240))
    processed = {r.value["article_id"]: r.value for r in out[topics.PROCESSED]}
    letters = letters_of(out)
    assert len(processed) + len(letters) == expected  # each exactly once: nothing lost, nothing doubled
    raw_positions = {(d["source"]["partition"], d["source"]["offset"]) for d in letters
                     if d["source"]["topic"] == pipeline.topic(topics.RAW)}
    assert len(raw_positions) == len([d for d in letters if d["stage"] == "ingest"])
    assert all(d["reason"] and d["message"] for d in letters)

    by_id = {d["article_id"]: d["reason"] for d in letters if d["article_id"]}
    assert by_id["hostile-stuck"] == "analysis_timeout"
    assert by_id["hostile-no-body"] == "missing_body" and by_id["hostile-empty"] == "empty_body"
    assert by_id["hostile-bad-date"] == "invalid_published_at"
    # without a readable id: broken JSON, deep nesting, NUL bytes, a lone surrogate; bad UTF-8; an array;
    # a numeric id; an XML bomb
    assert sorted(d["reason"] for d in letters if not d["article_id"]) == sorted(
        ["not_json"] * 4 + ["not_utf8", "not_an_object", "wrong_type", "xml_entities"])

    assert processed["hostile-after"]["casualties"]  # the worker went on after replacing the stuck process
    absurd = processed["hostile-absurd"]
    assert absurd["casualties"][0]["count"]["implausible"] and "killed" not in absurd["totals"]
    assert processed["hostile-caps"]["totals"]["killed"]["best"] == 12
    for name in ("hostile-french", "hostile-spanish-undeclared", "hostile-rtl"):
        assert processed[name]["english"] is False and not processed[name]["casualties"]
    assert processed["hostile-markup"]["title"].startswith("<script>")  # kept as text, never interpreted
    log = worker.output()
    assert re.search(r"analysis process \d+ took longer than 6s on 1 article\(s\); replacing it", log)
    # nothing crashed: no bug reasons, and the worker still runs
    assert not {d["reason"] for d in letters} & {"analysis_failed", "output_invalid", "output_too_large"}
    assert worker.proc.poll() is None
