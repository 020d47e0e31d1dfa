"""Bytes each article puts on Kafka, per topic: the figures that size broker disks and network.

    .venv/bin/python bench/message_sizes.py              # 500 articles of the throughput corpus, about a minute

Runs the worker's own processing (``stream.process``, as `stream extract` does) over the corpus
(or --corpus, JSON lines with ``text`` or ``body``) and adds up what a worker sends for each
article: key and value of every message, per topic, and the ledger's changelog record; and the
memory the ledger takes per article in a worker. Kafka's per-record overhead (tens of bytes in a
batch) and compression are left out. Prints a table and writes bench/results/message_sizes.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tracemalloc
from collections import defaultdict
from functools import partial
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, articles  # noqa: E402

from stream import topics  # noqa: E402
from stream.analysis.pipeline import Analyzer  # noqa: E402
from stream.ingest.decode import decode_article, encode_article  # noqa: E402
from stream.process import Processor, analyze_isolated  # noqa: E402
from stream.revisions import Ledger  # noqa: E402
from stream.settings import Settings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "throughput_corpus.jsonl"
CHANGELOG = f"{topics.LEDGER_TABLE}-changelog"


def measure(items: list[dict], analyzer: Analyzer, settings: Settings = Settings()) -> dict:
    """Per topic: messages and bytes (key + value) per article, averaged over ``items``."""
    ledger = Ledger({})
    processor = Processor(ledger, extractor_version=analyzer.extractor_version,
                          max_message_bytes=settings.max_message_bytes, analyze=partial(analyze_isolated, analyzer))
    sent: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # topic -> [messages, bytes]

    def add(topic: str, key: bytes, value: bytes) -> None:
        sent[topic][0] += 1
        sent[topic][1] += len(key) + len(value)

    raw = [orjson.dumps(item) for item in items]
    accepted = [decode_article(value, max_body_bytes=settings.max_body_bytes) for value in raw]
    for value, article in zip(raw, accepted):
        add(topics.RAW, article.id.encode(), value)
        add(topics.ACCEPTED, article.id.encode(), encode_article(article))
    for outcome in processor.run(accepted):
        key = outcome.article.id.encode()
        for message in outcome.messages:
            add(message.topic, key, message.encode())
        add(CHANGELOG, key, orjson.dumps(ledger.store[outcome.article.id]))
    count = len(items)
    per_topic = {topic: {"messages_per_article": round(n / count, 2), "bytes_per_article": round(size / count)}
                 for topic, (n, size) in sent.items()}
    return {"articles": count, "body_chars_per_article": round(sum(len(i["body"]) for i in items) / count),
            "topics": per_topic, "bytes_per_article": sum(t["bytes_per_article"] for t in per_topic.values()),
            "ledger_memory_bytes_per_article": round(_held_in_memory(ledger.store) / count)}


def _held_in_memory(store: dict) -> int:
    """Python memory of the ledger as a worker holds it: Faust's memory store keeps every record of its
    partitions, decoded (text key, dict value), for as long as it runs."""
    encoded = [(key.encode(), orjson.dumps(record)) for key, record in store.items()]
    tracemalloc.start()
    held = {key.decode(): orjson.loads(value) for key, value in encoded}
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(held) == len(store)
    return size


def render(result: dict) -> str:
    lines = [f"{result['articles']} articles of {result['body_chars_per_article']} characters on average", "",
             f"{'topic':34} {'messages/article':>16} {'bytes/article':>14}"]
    for topic, figures in result["topics"].items():
        lines.append(f"{topic:34} {figures['messages_per_article']:>16} {figures['bytes_per_article']:>14,}")
    lines.append(f"{'all topics':34} {'':>16} {result['bytes_per_article']:>14,}")
    lines.append(f"\nthe ledger in a worker's memory: {result['ledger_memory_bytes_per_article']} bytes per article")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "message_sizes.json")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    settings = Settings()
    result = measure(articles(args.corpus, args.articles, "size"),
                     Analyzer(settings.model, historical_days=settings.historical_days, batch_size=settings.batch_size))
    print(render(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
