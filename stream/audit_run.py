"""``stream audit`` against a cluster: reads the output topics, then the raw records, into ``stream.audit``.

The outputs are read first and in full (only keys of ``articles.processed``, whose values are large);
then each raw record's value is read just far enough to name its article id. Progress goes to
``progress`` (records read so far and the total to read), so a long audit shows how far it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from stream import topics
from stream.audit import Audit, Outputs, id_digest
from stream.ingest.decode import raw_article_id
from stream.kafka_io import committed_offsets, read_topic
from stream.settings import Settings

Progress = Callable[[str, int, int], None]  # (what is being read, records read, records to read)


@dataclass
class RawRecord:
    """A lost raw record kept to be re-submitted as it was."""
    key: bytes | None
    value: bytes | None
    headers: list = field(default_factory=list)


async def _read_outputs(settings: Settings, broker: str, progress: Progress) -> Outputs:
    outputs = Outputs()
    for name, add in ((topics.PROCESSED, lambda r: outputs.add_processed(r.key, r.value)),
                      (topics.DEADLETTER, lambda r: outputs.add_dead_letter(r.value))):
        await _read(settings, broker, settings.topic(name), add, progress, name)
    return outputs


async def _read(settings: Settings, broker: str, topic: str, handle, progress: Progress, label: str, **bounds) -> None:
    total = 0

    def ranges(found: dict[int, tuple[int, int]]) -> None:
        nonlocal total
        total = sum(end - start for start, end in found.values())
        progress(label, 0, total)

    done = 0
    async for record in read_topic(settings, broker, topic, on_ranges=ranges, **bounds):
        handle(record)
        done += 1
        if done % 2000 == 0:
            progress(label, done, total)
    progress(label, done, max(done, total))


async def _accepted_positions(settings: Settings, broker: str, wanted: set[int], progress: Progress) -> dict:
    """Where on articles.accepted the wanted article ids (digests) last arrived: digest -> (partition, offset)."""
    positions: dict[int, tuple[int, int]] = {}

    def note(record) -> None:
        if record.key and (digest := id_digest(record.key.decode("utf-8", "replace"))) in wanted:
            positions[digest] = (record.partition, record.offset)

    await _read(settings, broker, settings.topic(topics.ACCEPTED), note, progress, topics.ACCEPTED)
    return positions


async def run_audit(settings: Settings, broker: str, *, group: str, partitions: list[int] | None = None,
                    since: float | None = None, until: float | None = None, keep: int = 1000,
                    keep_lost: bool = False, progress: Progress = lambda *_: None) -> tuple[Audit, list[RawRecord]]:
    """The audit of ``articles.raw`` (its ``partitions``, records from ``since`` to ``until``), and, with
    ``keep_lost``, the lost records as they were (to re-submit)."""
    raw_topic = settings.topic(topics.RAW)
    committed = await committed_offsets(settings, broker, group, raw_topic)
    outputs = await _read_outputs(settings, broker, progress)
    audit = Audit(outputs, raw_topic, committed, keep=keep)
    unaccounted: dict[tuple[int, int], RawRecord] = {}

    def check(record) -> None:
        status = audit.check(record.partition, record.offset, raw_article_id(record.value, record.headers),
                             record.timestamp / 1000)
        if keep_lost and status is None:
            unaccounted[record.partition, record.offset] = RawRecord(record.key, record.value,
                                                                     list(record.headers or ()))

    await _read(settings, broker, raw_topic, check, progress, topics.RAW, partitions=partitions, since=since,
                until=until)
    wanted = audit.open_ids()
    if wanted:  # those that reached the analysis stage are settled by its committed offsets
        accepted = await _accepted_positions(settings, broker, wanted, progress)
        settled = audit.finish(accepted, await committed_offsets(settings, broker, group,
                                                                  settings.topic(topics.ACCEPTED)))
    else:
        settled = audit.finish()
    lost = [unaccounted[u.partition, u.offset] for u in settled if not u.pending and (u.partition, u.offset) in unaccounted]
    return audit, lost
