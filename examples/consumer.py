"""A consumer of conflict-stream's events, with nothing but aiokafka: the current casualty and attack claims.

    python examples/consumer.py localhost:9092 [--prefix P] [--group G] [--idle 5]

Reads events.casualties and events.attacks from the start, keeps each event by its id (a newer revision of the
same event replaces it; a retraction removes it), and when nothing new arrived for --idle seconds prints the
current events as JSON lines and exits. A long-running consumer would do the same in its loop, committing its
offsets only after its own store has the events (or, as `stream sink` does, with them in one transaction).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from aiokafka import AIOKafkaConsumer


async def current_events(bootstrap: str, prefix: str = "", group: str | None = None, idle: float = 5.0) -> dict:
    consumer = AIOKafkaConsumer(f"{prefix}events.casualties", f"{prefix}events.attacks", bootstrap_servers=bootstrap,
                                group_id=group, auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    events: dict[str, dict] = {}
    last_new = time.monotonic()
    try:
        while time.monotonic() - last_new < idle:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                last_new = time.monotonic()
                for record in records:
                    event = json.loads(record.value)
                    if not isinstance(event.get("event_id"), str) or not isinstance(event.get("revision"), int):
                        continue  # not one of the pipeline's messages (a producer that is not ours)
                    held = events.get(event["event_id"])
                    if held and held["revision"] > event["revision"]:
                        continue  # an older copy arriving late: keep the newer revision
                    events[event["event_id"]] = event  # a retraction is kept too, as a marker, until the end
    finally:
        await consumer.stop()
    return {event_id: e for event_id, e in events.items() if not e["retracted"]}


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the current casualty and attack claims.")
    parser.add_argument("bootstrap", help="host:port of a broker")
    parser.add_argument("--prefix", default="", help="STREAM_TOPIC_PREFIX of the pipeline")
    parser.add_argument("--group", help="a consumer group (none: read without committing)")
    parser.add_argument("--idle", type=float, default=5.0, help="exit after this many seconds with nothing new")
    args = parser.parse_args()
    for event in asyncio.run(current_events(args.bootstrap, args.prefix, args.group, args.idle)).values():
        print(json.dumps(event))


if __name__ == "__main__":
    main()
