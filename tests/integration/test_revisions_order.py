"""Revisions in order at the source, through a real worker: a late copy of an article's older text (earlier
published_at) is skipped as outdated, never published as a new revision, and retracts nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest

from stream import topics
from stream.ingest.files import read_items
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sink"


def _sink_a(name: str):
    return next(i for i in read_items(str(FIXTURES / name)) if orjson.loads(i.value).get("id") == "sink-a")


def test_revisions_order_late_older_text_is_skipped_as_outdated(pipeline):
    worker = pipeline.start_worker()
    update, older = _sink_a("later.jsonl"), _sink_a("first.jsonl")  # 15:00 toll of five, 08:00 toll of three
    asyncio.run(pipeline.produce([update.value], [update.key]))
    asyncio.run(pipeline.read((topics.PROCESSED,), until=lambda r: r[topics.PROCESSED]))
    asyncio.run(pipeline.produce([older.value], [older.key]))
    wait_for(lambda: "skipped 'sink-a' as outdated: published_at 2026-11-20T08:00:00Z is earlier" in worker.output(),
             "the worker to skip the older text")
    out = asyncio.run(pipeline.read((topics.PROCESSED, topics.CASUALTIES), until=lambda r: False,  # all of it
                                    timeout=5, raise_on_timeout=False))
    [processed] = [r.value for r in out[topics.PROCESSED]]
    assert (processed["revision"], processed["totals"]["killed"]["best"]) == (1, 5)
    assert not [r for r in out[topics.CASUALTIES] if r.value["retracted"]]
