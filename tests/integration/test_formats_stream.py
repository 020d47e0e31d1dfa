"""Wire formats through a real broker and worker: ninjs and NewsML-G2 items, a correction, kill notices,
an undeclared language, a header-declared format, and hostile XML."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from stream import topics
from stream.ingest.files import read_items
from stream.kafka_io import bootstrap_servers

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "wire"
KHARKIV = "urn:example-wire:2026:kharkiv-drones-0311"
SAHEL = "http://wire.example.net/items/2026/sahel-village-attack"
KHAN_YOUNIS = "tag:agency.example.com,2026:newsml_L8N3KY1022"
HOSTILE = {"hostile-billion-laughs.xml": "xml_entities", "hostile-external-entity.xml": "xml_external_reference",
           "hostile-malformed.xml": "xml_malformed"}
# A ninjs item carrying its provider's own "id": only the header tells it from our JSON (which needs a body).
DECLARED = orjson.dumps({"id": "AGENCY-7781", "uri": "urn:agency:7781", "version": "1",
                         "versioncreated": "2026-04-02T10:00:00Z", "language": "en",
                         "headline": "Car bomb wounds six in Mogadishu",
                         "body_text": "MOGADISHU, April 2 - A car bomb exploded near a checkpoint in Mogadishu on "
                                      "Thursday, wounding six soldiers, a police officer said."})


async def produce_declared(url: str, topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(url), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, DECLARED, key=b"urn:agency:7781",
                                     headers=[("content-type", b"application/ninjs+json")])
    finally:
        await producer.stop()


def extracted() -> dict[tuple[str, int], dict]:
    done = subprocess.run([sys.executable, "-m", "stream.cli", "extract", str(WIRE)], capture_output=True, check=False)
    assert done.returncode == 3, done.stderr.decode()  # the hostile files are rejected
    return {(d["article_id"], d["revision"]): d for d in map(orjson.loads, done.stdout.splitlines())}


def test_formats_stream_wire_items_corrections_and_kills(pipeline):
    offline = extracted()
    items = list(read_items(str(WIRE)))
    pipeline.start_worker()
    asyncio.run(pipeline.produce([i.value for i in items], [i.key for i in items]))
    asyncio.run(produce_declared(pipeline.url, pipeline.topic(topics.RAW)))
    names = (topics.PROCESSED, topics.CASUALTIES, topics.ATTACKS, topics.DEADLETTER)
    out = asyncio.run(pipeline.read(names, until=lambda r: len(r[topics.PROCESSED]) >= len(offline) + 1
                                    and len(r[topics.DEADLETTER]) >= len(HOSTILE)))
    processed = {(r.value["article_id"], r.value["revision"]): r.value for r in out[topics.PROCESSED]}

    declared = processed.pop(("urn:agency:7781", 1))
    assert (declared["format"], declared["totals"]["injured"]["best"]) == ("ninjs", 6)
    assert processed == offline  # the stream and `stream extract` agree on every revision

    for analysis in processed.values():  # offsets index the text the message carries (a headline's: the title)
        for claim in analysis["casualties"] + analysis["attacks"]:
            source = analysis["title"] if claim.get("headline") else analysis["text"]
            assert source[claim["evidence"]["start"]:claim["evidence"]["end"]] == claim["evidence"]["text"]

    def events(key):
        return {c["event_id"] for c in processed[key]["casualties"] + processed[key]["attacks"]}

    retractions = {(r.value["article_id"], r.value["event_id"]): (r.value["revision"], r.value["reason"])
                   for r in out[topics.CASUALTIES] + out[topics.ATTACKS] if r.value["retracted"]}
    assert {event: why for (article, event), why in retractions.items() if article == KHARKIV} == {
        event: (2, "revised") for event in events((KHARKIV, 1)) - events((KHARKIV, 2))}
    for killed in (SAHEL, KHAN_YOUNIS):
        assert events((killed, 1)) and events((killed, 2)) == set()
        assert {event: why for (article, event), why in retractions.items() if article == killed} == {
            event: (2, "withdrawn") for event in events((killed, 1))}
        assert processed[(killed, 2)]["pubstatus"] == "canceled"
    assert processed[(KHARKIV, 1)]["totals"]["killed"]["best"] == 4
    assert processed[(KHARKIV, 2)]["totals"]["killed"]["best"] == 3
    assert processed[(KHAN_YOUNIS, 1)]["dateline"]["place"] == "Khan Younis"
    assert (processed[("urn:ejemplo:2026:bogota-ataque", 1)]["language"],
            processed[("urn:ejemplo:2026:bogota-ataque", 1)]["english"]) == ("es", False)

    letters = {base64.b64decode(r.value["original"]["value_base64"]): r.value["reason"] for r in out[topics.DEADLETTER]}
    assert letters == {(WIRE / name).read_bytes(): reason for name, reason in HOSTILE.items()}
