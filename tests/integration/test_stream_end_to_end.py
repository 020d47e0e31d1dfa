"""The whole path on a real broker and a real worker: samples in, every output topic checked."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import orjson
import pytest

from stream import topics
from stream.demo import samples_dir
from stream.ingest.files import read_items

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SHARED_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "reuters_2024-10-22_blinken_ceasefire.txt"
OUTPUTS = (topics.SENTENCES, topics.ENTITIES, topics.CASUALTIES, topics.ATTACKS, topics.PROCESSED, topics.DEADLETTER)


def _extract_lines_args(*args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "stream.cli", "extract", *args], capture_output=True, check=False)
    assert done.returncode in (0, 3), done.stderr.decode()
    return [orjson.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def extracted() -> dict[tuple[str, int], dict]:
    return {(d["article_id"], d["revision"]): d for d in _extract_lines_args(str(samples_dir()))}


def test_stream_samples_match_extract_and_fill_every_topic(pipeline, extracted):
    items = list(read_items(str(samples_dir())))
    pipeline.start_worker()
    asyncio.run(pipeline.produce([i.value for i in items], [i.key for i in items]))
    expected_processed = len(extracted)
    out = asyncio.run(pipeline.read(OUTPUTS, until=lambda r: len(r[topics.PROCESSED]) >= expected_processed
                                    and len(r[topics.DEADLETTER]) >= len(items) - expected_processed))

    processed = {(r.value["article_id"], r.value["revision"]): r.value for r in out[topics.PROCESSED]}
    assert processed == extracted  # the stream and `stream extract` say exactly the same

    by_article = defaultdict(set)
    for name in OUTPUTS:
        for record in out[name]:
            if name != topics.DEADLETTER:
                assert record.key == record.value["article_id"].encode()
            if record.key is not None:  # unreadable input has no id to key by
                by_article[record.key].add(record.partition)
    assert all(len(parts) == 1 for parts in by_article.values()), "an article's messages span partitions"

    for (article_id, revision), analysis in processed.items():
        mine = lambda name: [r.value for r in out[name] if r.value["article_id"] == article_id  # noqa: E731
                             and r.value["revision"] == revision]
        assert len(mine(topics.SENTENCES)) == len(analysis["sentences"])
        assert [m["entities"] for m in mine(topics.ENTITIES)] == [analysis["entities"]]
        live = {m["event_id"] for m in mine(topics.CASUALTIES) + mine(topics.ATTACKS) if not m["retracted"]}
        assert live == {c["event_id"] for c in analysis["casualties"] + analysis["attacks"]}
        last = max(r.timestamp for name in OUTPUTS[:-2] for r in out[name]
                   if r.value["article_id"] == article_id and r.value["revision"] == revision)
        assert next(r.timestamp for r in out[topics.PROCESSED] if r.value["article_id"] == article_id
                    and r.value["revision"] == revision) >= last  # processed goes out last


def test_stream_revision_retracts_events_that_no_longer_hold(pipeline, extracted):
    revised = [k for k in extracted if k[1] == 2]
    assert revised, "the samples include an updated article"
    article_id = revised[0][0]
    items = [i for i in read_items(str(samples_dir())) if i.key == article_id.encode()]
    pipeline.start_worker()
    asyncio.run(pipeline.produce([i.value for i in items], [i.key for i in items]))
    out = asyncio.run(pipeline.read((topics.CASUALTIES, topics.ATTACKS, topics.PROCESSED),
                                    until=lambda r: len(r[topics.PROCESSED]) >= 2))
    first, second = extracted[(article_id, 1)], extracted[(article_id, 2)]
    ids = lambda a: {c["event_id"] for c in a["casualties"] + a["attacks"]}  # noqa: E731
    retracted = {r.value["event_id"] for r in out[topics.CASUALTIES] + out[topics.ATTACKS] if r.value["retracted"]}
    assert retracted == ids(first) - ids(second)
    assert ids(first) & ids(second), "claims that still hold keep their ids"
    assert first["totals"]["killed"]["best"] != second["totals"]["killed"]["best"]


def test_stream_dead_letters_keep_reason_and_original_bytes(pipeline):
    cases = {
        b"\xff\xfe not utf-8": "not_utf8",
        b"{not json": "not_json",
        b"[1, 2, 3]": "not_an_object",
        b'{"body": "Gunmen killed five people."}': "missing_id",
        b'{"id": "no-body"}': "missing_body",
        b'{"id": "typed", "body": 12}': "wrong_type",
        b'{"id": "blank", "body": "   \\n "}': "empty_body",
        b'{"id": "dated", "body": "Text.", "published_at": "yesterday"}': "invalid_published_at",
        orjson.dumps({"id": "x" * 300, "body": "An id far too long."}): "schema_violation",
        orjson.dumps({"id": "huge", "body": "word " * 1000}): "body_too_large",
    }
    valid = orjson.dumps({"id": "after-the-garbage", "body": "Police arrested three men in Lagos on Monday.",
                          "published_at": "2026-03-03"})
    pipeline.start_worker(STREAM_MAX_BODY_BYTES="2048")
    asyncio.run(pipeline.produce([*cases, valid]))
    out = asyncio.run(pipeline.read((topics.DEADLETTER, topics.PROCESSED),
                                    until=lambda r: len(r[topics.DEADLETTER]) >= len(cases)
                                    and len(r[topics.PROCESSED]) >= 1))
    got = {base64.b64decode(r.value["original"]["value_base64"]): r.value for r in out[topics.DEADLETTER]}
    assert {raw: letter["reason"] for raw, letter in got.items()} == cases
    for letter in got.values():
        assert letter["source"]["topic"] == pipeline.topic(topics.RAW)
        assert letter["stage"] == "ingest" and letter["message"]
    assert got[b'{"id": "no-body"}']["article_id"] == "no-body"
    assert got[b"{not json"]["article_id"] is None
    assert [r.value["article_id"] for r in out[topics.PROCESSED]] == ["after-the-garbage"]


def test_stream_exact_resend_is_skipped_even_after_restart(pipeline):
    article = orjson.dumps({"id": "resend-1", "body": "Gunmen killed four villagers in Zamfara state on Sunday.",
                            "published_at": "2026-02-02"})
    worker = pipeline.start_worker()
    asyncio.run(pipeline.produce([article]))
    asyncio.run(pipeline.read((topics.PROCESSED,), until=lambda r: len(r[topics.PROCESSED]) == 1))
    worker.stop()
    pipeline.start_worker()  # the ledger comes back from its changelog
    marker = orjson.dumps({"id": "resend-2", "body": "Two soldiers were wounded in an ambush.",
                           "published_at": "2026-02-02"})
    asyncio.run(pipeline.produce([article, marker]))
    out = asyncio.run(pipeline.read((topics.PROCESSED,), until=lambda r: any(
        x.value["article_id"] == "resend-2" for x in r[topics.PROCESSED])))
    assert [r.value["article_id"] for r in out[topics.PROCESSED]] == ["resend-1", "resend-2"]


def test_stream_unkeyed_input_is_rekeyed_by_article_id(pipeline):
    values = [orjson.dumps({"id": f"unkeyed-{n}", "body": f"Militants killed {n + 2} soldiers in an attack.",
                            "published_at": "2026-01-05"}) for n in range(6)]
    pipeline.start_worker()
    asyncio.run(pipeline.produce(values))  # no keys: spread over partitions at random
    out = asyncio.run(pipeline.read((topics.ACCEPTED, topics.CASUALTIES, topics.PROCESSED),
                                    until=lambda r: len(r[topics.PROCESSED]) >= 6))
    for name in (topics.ACCEPTED, topics.CASUALTIES, topics.PROCESSED):
        for record in out[name]:
            article_id = record.value.get("article_id") or record.value.get("id")
            assert record.key == article_id.encode()
    assert sorted(r.value["totals"]["killed"]["best"] for r in out[topics.PROCESSED]) == [2, 3, 4, 5, 6, 7]


def test_stream_acceptance_example_matches_extract(pipeline):
    """The acceptance article (ours, and the original when ../shared is here) through the stream."""
    fixture = Path(__file__).parent.parent / "fixtures" / "kharkiv_2025-03-11.txt"
    sources = [(fixture, "2025-03-11", 31)] + ([(SHARED_SAMPLE, "2024-10-22", 21)] if SHARED_SAMPLE.exists() else [])
    items = [next(read_items(str(path), published_at=day)) for path, day, _ in sources]
    pipeline.start_worker()
    asyncio.run(pipeline.produce([i.value for i in items], [i.key for i in items]))
    out = asyncio.run(pipeline.read((topics.PROCESSED,), until=lambda r: len(r[topics.PROCESSED]) == len(items)))
    streamed = {r.value["article_id"]: r.value for r in out[topics.PROCESSED]}
    for path, day, killed in sources:
        (offline,) = _extract_lines_args(str(path), "--published-at", day)
        assert streamed[path.stem] == offline
        assert offline["totals"]["killed"]["best"] == killed
