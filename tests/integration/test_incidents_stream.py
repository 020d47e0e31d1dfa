"""The incident stage in a real worker: reports of one strike become one incident, which survives a
SIGKILL of the worker, and a correction withdraws an incident, then deletes it (a tombstone)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from stream import topics
from stream.ingest.files import read_items

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"
KHARKIV_REPORTS = {"inc-test-a", "inc-test-b"}


def _items(name: str):
    return list(read_items(str(FIXTURES / name)))


def _latest(records) -> dict[bytes, dict | None]:
    """Incident id -> its last value on the compacted topic (None: deleted)."""
    latest = {}
    for record in records:
        latest[record.key] = record.value
    return latest


def _sources(record: dict | None) -> set[str]:
    return {s["article_id"] for s in record["sources"]} if record else set()


def _holding(records, article_ids: set[str]) -> dict | None:
    return next((r for r in _latest(records).values() if r and article_ids <= _sources(r)), None)


def _extract_incidents(*files: str) -> list[set[str]]:
    given = b"".join((FIXTURES / f).read_bytes() for f in files)
    done = subprocess.run([sys.executable, "-m", "stream.cli", "extract", "--incidents", "-"], input=given,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    return sorted((_sources(line["incident"]) for line in lines if "incident" in line), key=sorted)


def test_incidents_stream_group_recover_and_withdraw(pipeline):
    pipeline.env.update(STREAM_INCIDENT_TOMBSTONE_AFTER="2", STREAM_INCIDENT_SWEEP_SECONDS="1")
    worker = pipeline.start_worker()
    first = _items("first.jsonl")
    asyncio.run(pipeline.produce([i.value for i in first], [i.key for i in first]))
    out = asyncio.run(pipeline.read((topics.INCIDENTS,), until=lambda r: _holding(r[topics.INCIDENTS], KHARKIV_REPORTS)
                                    and _holding(r[topics.INCIDENTS], {"inc-test-c"})))
    kharkiv = _holding(out[topics.INCIDENTS], KHARKIV_REPORTS)
    odesa = _holding(out[topics.INCIDENTS], {"inc-test-c"})
    assert kharkiv["incident_id"] != odesa["incident_id"]
    assert _sources(kharkiv) == KHARKIV_REPORTS and kharkiv["types"] == ["drone_strike"]
    assert kharkiv["place"]["country_code"] == "UA" and kharkiv["time"]["start"] == "2026-11-24"
    assert all(r.key == r.value["incident_id"].encode() for r in out[topics.INCIDENTS] if r.value)

    worker.stop(signal.SIGKILL)  # state must come back from the tables' changelogs
    pipeline.start_worker()
    later = _items("later.jsonl") + _items("correction.jsonl")
    asyncio.run(pipeline.produce([i.value for i in later], [i.key for i in later]))
    out = asyncio.run(pipeline.read((topics.INCIDENTS,), until=lambda r: _holding(r[topics.INCIDENTS], {"inc-test-d"})
                                    and _latest(r[topics.INCIDENTS]).get(odesa["incident_id"].encode(), 0) is None))
    latest = _latest(out[topics.INCIDENTS])
    grown = latest[kharkiv["incident_id"].encode()]
    assert _sources(grown) == KHARKIV_REPORTS | {"inc-test-d"}, "the restarted worker split the incident"
    assert grown["revision"] > kharkiv["revision"]
    assert [r for r in latest.values() if r and "inc-test-d" in _sources(r)] == [grown]
    withdrawn = [r.value for r in out[topics.INCIDENTS] if r.key == odesa["incident_id"].encode() and r.value]
    assert withdrawn[-1]["status"] == "withdrawn"  # its last record, then the tombstone

    expected = _extract_incidents("first.jsonl", "later.jsonl")  # offline, the same clustering
    assert sorted((_sources(r) for r in latest.values() if r), key=sorted) == [
        group for group in expected if "inc-test-c" not in group]
