"""Keeps faust-streaming 0.15.3 from skipping input records when a rebalance moves partitions.

What went wrong (``tests/integration/test_scale_out.py``, a worker joining and one leaving while
articles flow: runs of consecutive offsets, 1 to 10 at a time, of partitions a worker kept across a
rebalance were never processed). After a rebalance, Faust's recovery first lets the fetch loop
run (to read the tables' changelogs), then resumes the input partitions and only then seeks them
back to their committed offsets (``Recovery.on_recovery_completed``: ``resume_partitions``,
``perform_seek``, ``flow_control.resume``). The seek awaits the committed offset of one partition
after the other, and meanwhile the fetch loop (``Consumer._drain_messages``) goes on handing out a
batch it fetched before the seek. Measured: articles.raw partition 3, committed 84, a batch of
84-92 fetched; 84 and 85 handed out, the seek back to 84 lands, ``perform_seek`` sets the read
offset to 84; 86 then looks like a hole in the log, such as compaction or transaction markers
leave, so Faust records 85 as a gap, counts it as done and commits past it. 85 itself is cleared
from the agent's buffer when flow resumes (``clear_on_resume``), and when it arrives again from the
seek it is behind the read offset and dropped ("DROPPED MESSAGE ROFF"): lost. Upstream:
faust-streaming issues #216 (the same race; PR #217 moved the seek before the flow resumes, but
the input partitions are still resumed before the seek while the fetch loop already runs for the
changelogs) and #221 (prefetched records after a rebalance), #236 and #596 (rebalances and the
agents' buffers), #606 (commits past records never processed).

The fix, on the topics our agents consume (``GuardedConsumer.guarded_topics``: articles.raw,
articles.accepted, articles.processed, incidents.candidates): a record fetched before the latest
seek of its partition is never handed to Faust; the partition is sought again to where that seek
put it, so the record is read again in order (at-least-once: at worst a duplicate, with the same
event ids). A seek that lands while Faust is handing a record over no longer has its read offset
overwritten by that record. And on the topics that can have no holes (``gap_free_topics``: never
compacted, and in at-least-once mode nothing writes transaction markers to them; not
articles.processed, which is compacted), a record beyond the next expected offset is first read
again from that offset; only if the jump is still there (retention removed the records) is it
taken as a real gap, so commits never stall on it.

The start-up loss (issue 13: a new deployment's first day; ``tests/integration/test_faults_startup.py``
forces it by slowing the committed-offset look-ups). On every assignment Faust's recovery resumes the
input partitions, then awaits ``perform_seek`` (one committed-offset request per partition, about a
second with 30 partitions), and only then resumes the flow with ``app.flow_control.resume()``, which
clears the agents' buffers (``clear_on_resume``). The fetch loop runs all along (it was started to
read the changelogs), so records of the input partitions are handed to the agents during the seek;
whatever still sits in a buffer at the resume is thrown away. Faust relies on the seek to read those
again, but (1) a partition the group has no committed offset for is not sought at all (aiokafka's
``seek_to_committed`` skips it), so it goes on from past the thrown-away records, and (2) records
handed out after a partition's seek and before the resume are thrown away too. Faust's commit takes
the first run of consecutive acknowledged offsets, so the records after the lost ones carry the
committed offset past them. Evidence: ``articles.raw`` partition 6, no committed offset, offset 0
handed out during the seek, cleared at the resume, offset 1 processed, 53 committed.

The fix: the guard remembers, per partition, where everything handed out may have to be read again
from (the offset the latest seek put it at, or, with no committed offset, the first offset handed out
since the partition was assigned). When the flow resumes (``resume_flow``, right after the buffers
were cleared), each partition that handed anything out since the last clear is sought back there
before the next fetch; the stale rest of a batch already fetched is dropped as above. The cost is a
replay of the records processed during the seek, with identical event ids (the ledger skips most of
them). Measured by ``bench/chaos.py`` (seed 2: a worker SIGKILLed and restarted over a backlog with
slowed offset look-ups): the restarted worker's buffers held 64 records at the resume, all handed out
before the seek of their partition ended; they were cleared and, the partition being paused because
its buffer had been full, never fetched again, so the worker stalled with 40 articles unprocessed. A
buffer Faust clears never reports that it drained, so ``resume_flow`` also puts every partition that
was paused for a full buffer back among those fetched.

The commit that skips (CI, 2026-12-02: ``bench/chaos.py`` seed 8, a group with committed offsets on one
partition per input topic, articles produced while the worker started, committed-offset look-ups
slowed: 7 of 80 articles lost on the CI machine, none in 40 runs here). Whatever drops a record on its
way to an agent (the buffers cleared at a resume or a revocation, a stream skipping a record of an old
generation or taken while the flow was suspended, Faust's ``getmany`` throwing away a fetch that came
back while the flow was stopped and relying on ``perform_seek``), the loss is made by the commit that
follows: Faust commits the first run of consecutive acknowledged offsets, checking that it begins at
the committed offset with an off-by-one (``min(acked) - committed > 1``: a run beginning one past the
committed offset passes, so its first record is skipped) and not at all when the group has no committed
offset, or it is 0. And ``perform_seek`` leaves a partition without committed offset wherever the
fetcher was, so nothing it dropped is read again and the guard does not know where it stands. Three
changes close this for every path, known or not:

1. ``perform_seek`` puts each partition without committed offset where the group's reset policy starts
   it (``beginning_offsets`` for ``earliest``), so every partition's position is known after a seek.
2. A commit is held (``_new_offset``) while its run of done offsets begins past the first offset not known
   done (the committed offset, or that start): nothing is committed that was not processed or found
   missing from the log. Until a partition has been sought since its assignment nothing of it is
   committed: Faust's recovery can resume the flow once before its seek, and records then flow from
   wherever the fetcher began. Offsets missing from the log are marked by the guard (``JUMP``) from the
   expected offset on; Faust's own gap range also covered the record after the hole, which would have
   counted it done before it was processed.
3. A held record that is not being processed while a record handed out after it was already taken by
   its agent (each buffer is in order) was dropped: the partition is read again from it. The guard
   numbers hand-outs and a sensor reports which the streams took. The price is duplicates, with the
   same event ids.
"""

from __future__ import annotations

import logging
from typing import Any, AsyncIterator, Callable, Hashable, Iterable, Optional

from faust.sensors import Sensor
from faust.transport.consumer import ensure_TP
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, Message
from faust.types.enums import ProcessingGuarantee

log = logging.getLogger("stream.faust_fixes")

DELIVER = "deliver"  # hand the record to Faust
DROP = "drop"  # drop it: the partition is already being read again from an earlier offset
REFETCH = "refetch"  # drop it and seek the partition to the returned offset
JUMP = "jump"  # hand it to Faust: the offsets from the returned one up to it are missing from the log


class PositionGuard:
    """Decides, per fetched record, whether it continues the partition from where it was last sought.

    Pure bookkeeping (no Kafka), so it can be tested alone. Partitions are (topic, partition)
    pairs. ``began`` is ``fetch_began()`` taken when the fetch that returned the record started;
    every seek counts, so a record from a fetch begun before its partition's latest seek is known
    to be stale. On ``gap_free_topics`` a jump past the next expected offset is checked too.
    """

    def __init__(self, gap_free_topics: Iterable[str] = ()) -> None:
        self.gap_free_topics = frozenset(gap_free_topics)
        self._seeks = 0
        self._sought_at: dict[Hashable, int] = {}  # partition -> number of its latest seek
        self._ours: dict[Hashable, int] = {}  # partition -> number of the latest seek we made (a refetch)
        self._next: dict[Hashable, Optional[int]] = {}  # partition -> next offset to hand out
        self._hole_checked: dict[Hashable, int] = {}  # partition -> offset already read again once
        self._reread_from: dict[Hashable, int] = {}  # partition -> where a cleared buffer is read again from
        self._handed_out: set[Hashable] = set()  # partitions that handed records out since that was set
        self._start: dict[Hashable, int] = {}  # partition -> where Faust's latest seek put it
        self._handouts = 0  # records handed out so far, numbering them
        self._handed_seq: dict[Hashable, dict[int, int]] = {}  # partition -> offset -> number of its latest hand-out
        self._taken_seq: dict[Hashable, int] = {}  # partition -> highest number taken by an agent

    def fetch_began(self) -> int:
        return self._seeks

    def seek_count(self, tp: Hashable) -> int:
        return self._sought_at.get(tp, 0)

    def next_offset(self, tp: Hashable) -> Optional[int]:
        return self._next.get(tp)

    def sought(self, tp: Hashable, offset: Optional[int]) -> None:
        """Faust sought the partition to ``offset``: its committed offset, or, with none, where the group's
        reset policy starts it (None: not known; a cleared buffer is then read again from the first record
        handed out since the assignment). Nothing before ``offset`` is to be processed."""
        self._moved(tp, offset)
        if offset is not None:
            self._start[tp] = offset

    def _moved(self, tp: Hashable, offset: Optional[int]) -> None:
        self._seeks += 1
        self._sought_at[tp] = self._seeks
        self._next[tp] = offset
        if offset is not None:  # what was handed out before stays marked: it may sit in a buffer yet
            self._reread_from[tp] = offset

    def buffers_cleared(self) -> dict[Hashable, int]:
        """Faust threw away what its agents had not taken yet: each partition that handed records out since
        its read-again point, and that point. The caller seeks them there (``refetching``)."""
        cleared = {tp: self._reread_from[tp] for tp in self._handed_out}
        self._handed_out.clear()
        return cleared

    def refetching(self, tp: Hashable, offset: int) -> None:
        """We sought the partition back to ``offset`` ourselves."""
        self._moved(tp, offset)
        self._ours[tp] = self._seeks

    def forget(self, tps: Iterable[Hashable]) -> None:
        """The partitions were revoked: nothing is known of their position until they are sought again."""
        for tp in tps:
            self._next.pop(tp, None)
            self._hole_checked.pop(tp, None)
            self._reread_from.pop(tp, None)
            self._handed_out.discard(tp)
            self._start.pop(tp, None)
            self._handed_seq.pop(tp, None)
            self._taken_seq.pop(tp, None)

    def decide(self, tp: Hashable, offset: int, began: int) -> tuple[str, Optional[int]]:
        expected = self._next.get(tp)
        if expected is None:
            return DELIVER, None  # no seek to keep to (a fresh group, or between revocation and seek)
        latest = self._sought_at.get(tp, 0)
        if latest > began:  # fetched before the partition's latest seek
            if self._ours.get(tp) == latest:
                return DROP, None  # we are reading it again already
            return REFETCH, expected
        if offset > expected:
            if tp[0] in self.gap_free_topics and self._hole_checked.get(tp) != expected:
                self._hole_checked[tp] = expected
                return REFETCH, expected
            return JUMP, expected  # read twice and still there, or compaction: a real hole
        return DELIVER, None

    def handing_out(self, tp: Hashable, offset: int) -> None:
        """The record is being handed to Faust (whose buffers a resume may clear before an agent takes it)."""
        self._reread_from.setdefault(tp, offset)
        self._handed_out.add(tp)
        self._handouts += 1
        self._handed_seq.setdefault(tp, {})[offset] = self._handouts

    def commit_floor(self, tp: Hashable, committed: Optional[int]) -> Optional[int]:
        """The first offset of the partition not known to be done: Faust's committed offset, or where Faust's
        latest seek put the partition (its log start when the group has no committed offset for it)."""
        known = [o for o in (committed, self._start.get(tp)) if o is not None]
        return max(known) if known else None

    def commit_check(self, tp: Hashable, floor: Optional[int], done_from: Optional[int],
                     in_flight: Callable[[], bool]) -> tuple[bool, Optional[int]]:
        """May Faust commit the run of done offsets that begins at ``done_from`` (the lowest acknowledged or
        missing offset)? Not if it begins past ``floor``: the record there was never processed, and the
        commit would skip it. Nor while ``floor`` is not known (the partition not yet sought since it was
        assigned: Faust's recovery lets records flow before its seek, and commits them from wherever the
        fetcher began). Returns (hold, reread_from): when that record is not being processed
        (``in_flight``) and a record handed out after it was already taken by its agent (buffers are in
        order), it was dropped on the way (cleared, or skipped by the stream), so it is read again."""
        if floor is None:
            return True, None
        handed = self._handed_seq.get(tp, {})
        for offset in [o for o in handed if o < floor]:
            del handed[offset]
        if done_from is None or done_from <= floor:
            return False, None
        if handed.get(floor, 0) < self._taken_seq.get(tp, 0) and not in_flight():
            self._handouts += 1  # it counts as on its way from now: read again once, not at every commit
            handed[floor] = self._handouts
            return True, floor
        return True, None

    def taken(self, tp: Hashable, offset: int) -> None:
        """An agent's stream took the record from its buffer."""
        seq = self._handed_seq.get(tp, {}).get(offset, 0)
        if seq > self._taken_seq.get(tp, 0):
            self._taken_seq[tp] = seq

    def delivered(self, tp: Hashable, offset: int) -> None:
        """Faust took the record with no seek in between: the partition goes on after it."""
        expected = self._next.get(tp)
        if expected is None or offset >= expected:
            self._next[tp] = offset + 1


class GuardedConsumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer with ``PositionGuard`` applied to ``guarded_topics``."""

    guarded_topics: frozenset[str] = frozenset()
    gap_free_topics: frozenset[str] = frozenset()  # a subset: never compacted, no transaction markers

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard = PositionGuard(self.gap_free_topics)
        self._fetch_began = 0
        self._pending_rereads: dict[TP, int] = {}
        self.app.sensors.add(_TakenSensor(self))

    def _guarded(self, tp: TP) -> bool:
        return tp.topic in self.guarded_topics

    async def perform_seek(self) -> None:
        await super().perform_seek()
        guarded = [tp for tp in self.assignment() if self._guarded(tp)]
        # Before any await: from here on, records of fetches begun earlier are stale. (Registered after the
        # look-up below, a stale record delivered meanwhile moved Faust's read offset past the sought one,
        # and Faust then dropped the records read again as behind it: a worker stalled over a backlog.)
        for tp in guarded:
            self._guard.sought(tp, self._read_offset.get(tp))
        unpositioned = [tp for tp in guarded if self._read_offset.get(tp) is None]
        if unpositioned:  # no committed offset: aiokafka's seek left them wherever the fetcher was
            for tp, offset in (await self._seek_to_reset_policy(unpositioned)).items():
                self._read_offset[tp] = offset
                self._guard.sought(tp, offset)

    async def _seek_to_reset_policy(self, tps: list[TP]) -> dict[TP, int]:
        latest = self.app.conf.consumer_auto_offset_reset == "latest"
        try:
            return await self._thread.call_thread(self._seek_to_reset_policy_in_thread, tps, latest)
        except Exception as exc:  # revoked meanwhile, or the broker did not answer: left as aiokafka has them
            log.warning("could not look up where %d partitions without a committed offset start: %r", len(tps), exc)
            return {}

    async def _seek_to_reset_policy_in_thread(self, tps: list[TP], latest: bool) -> dict[TP, int]:
        consumer = self._thread._ensure_consumer()
        wanted = [faust_aiokafka.ensure_aiokafka_TP(tp) for tp in tps]
        found = await (consumer.end_offsets if latest else consumer.beginning_offsets)(wanted)
        for tp, offset in found.items():
            consumer.seek(tp, offset)
        return {ensure_TP(tp): offset for tp, offset in found.items()}

    async def seek(self, partition: TP, offset: int) -> None:
        await super().seek(partition, offset)
        tp = ensure_TP(partition)
        if self._guarded(tp):
            self._guard.sought(tp, offset)  # not Faust's read offset, which makes 0 None

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        self._guard.forget(tp for tp in revoked if self._guarded(tp))
        for tp in revoked:
            self._pending_rereads.pop(tp, None)
        await super().on_partitions_revoked(revoked)

    def resume_flow(self) -> None:
        # Faust calls this right after app.flow_control.resume() cleared the agents' buffers.
        for tp, offset in self._guard.buffers_cleared().items():  # the guard holds guarded partitions only
            log.info("%s[%d]: records handed out before the flow resumed were cleared from the agents' "
                     "buffers: reading again from %d", tp.topic, tp.partition, offset)
            self._guard.refetching(tp, offset)  # records of fetches begun before are stale from now on
            self._pending_rereads[tp] = offset
        # A partition whose buffer filled up stopped being fetched until the buffer drains, which an agent's
        # read of it announces; a cleared buffer announces nothing, so without this it would never be
        # fetched again (a worker that stalls after a restart over a backlog).
        for tp in list(self._buffered_partitions):
            self.on_buffer_drop(tp)
        super().resume_flow()

    async def _wait_next_records(self, timeout: float) -> Any:
        if not self.flow_active:
            await self.wait(self.can_resume_flow)  # type: ignore[arg-type]
        while self._pending_rereads:
            tp, offset = self._pending_rereads.popitem()
            await self._seek_back(tp, offset)
        self._fetch_began = self._guard.fetch_began()
        return await super()._wait_next_records(timeout)

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        began: Optional[int] = None
        async for tp, message in super().getmany(timeout):
            if began is None:
                began = self._fetch_began
            if not self._guarded(tp):
                yield tp, message
                continue
            action, offset = self._guard.decide(tp, message.offset, began)
            if action == REFETCH:
                stale = self._guard.seek_count(tp) > began
                await self._refetch(tp, offset, message.offset, stale)
                continue
            if action == DROP:
                continue
            if action == JUMP:
                self._mark_missing(tp, offset, message.offset)
            seeks = self._guard.seek_count(tp)
            self._guard.handing_out(tp, message.offset)
            yield tp, message
            if self._guard.seek_count(tp) != seeks:
                # Sought while Faust handed the record over: Faust has just set the read offset to this
                # record, over the one the seek set. Put the seek's back.
                self._read_offset[tp] = self._guard.next_offset(tp)
            else:
                self._guard.delivered(tp, message.offset)

    async def _refetch(self, tp: TP, offset: int, fetched: int, stale: bool) -> None:
        log.info("%s[%d]: offset %d %s: reading again from %d", tp.topic, tp.partition, fetched,
                 "was fetched before the partition's latest seek" if stale else f"jumps past {offset}", offset)
        self._guard.refetching(tp, offset)
        await self._seek_back(tp, offset)

    async def _seek_back(self, tp: TP, offset: int) -> None:
        if tp not in self.assignment():
            return  # revoked meanwhile: its next owner reads it from the committed offset
        try:
            await self._thread.call_thread(self._seek_in_thread, tp, offset)
        except Exception as exc:  # revoked while seeking
            log.warning("%s[%d]: could not seek back to %d: %r", tp.topic, tp.partition, offset, exc)
            return
        self._read_offset[tp] = offset

    def _seek_in_thread(self, tp: TP, offset: int) -> None:
        self._thread._ensure_consumer().seek(faust_aiokafka.ensure_aiokafka_TP(tp), offset)

    def _mark_missing(self, tp: TP, first: int, end: int) -> None:
        """Offsets ``first`` to ``end - 1`` are not in the log: counted as done."""
        if tp.topic in self._guard.gap_free_topics:  # read twice and still missing: retention removed them
            log.warning("%s[%d]: offsets %d-%d are missing from the log: counted as done", tp.topic, tp.partition,
                        first, end - 1)
        self._gap[tp].addi(first, end)
        self._gap[tp].merge_overlaps()

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        if self._guarded(tp):
            return  # _mark_missing has: Faust's range would also hold the record that follows the gap
        await super()._add_gap(tp, offset_from, offset_to)

    def _new_offset(self, tp: TP) -> Optional[int]:
        if self._guarded(tp) and self._commit_held(tp):
            return None
        return super()._new_offset(tp)

    def _commit_held(self, tp: TP) -> bool:
        # Faust commits the first run of consecutive done offsets, and checks that it begins at the committed
        # offset with an off-by-one (a run beginning one past it passes), and not at all when there is none.
        floor = self._guard.commit_floor(tp, self._committed_offset[tp])
        done = [*self._acked[tp], *(gap.begin for gap in self._gap.get(tp, ()) if floor is None or gap.end > floor)]
        hold, reread = self._guard.commit_check(tp, floor, min(done, default=None),
                                                lambda: self._in_flight(tp, floor))
        if reread is not None:
            log.warning("%s[%d]: offset %d was dropped before its agent processed it, while later ones were "
                        "processed: the commit waits, reading again from %d", tp.topic, tp.partition, reread, reread)
            self._guard.refetching(tp, reread)
            self._pending_rereads[tp] = reread
        return hold

    def _in_flight(self, tp: TP, offset: int) -> bool:
        return any(m.tp == tp and m.offset == offset for m in list(self._unacked_messages))


class _TakenSensor(Sensor):
    """Tells the guard which records the agents' streams took from their buffers."""

    def __init__(self, consumer: GuardedConsumer) -> None:
        super().__init__()
        self._consumer = consumer

    def on_message_in(self, tp: TP, offset: int, message: Message) -> None:
        if self._consumer._guarded(tp):
            self._consumer._guard.taken(tp, offset)


def install(app: Any, topics: Iterable[str], gap_free: Iterable[str] = ()) -> bool:
    """Make ``app`` consume ``topics`` through ``GuardedConsumer`` (``gap_free``: those of them that are
    never compacted); False if its transport is not aiokafka, or it does not run at-least-once (the
    guarantee the project offers; exactly_once, measured but not offered, is left as Faust ships it:
    its offsets move with transactions, which seeking back would undo)."""
    transport = app.transport
    if (not isinstance(transport, faust_aiokafka.Transport)
            or app.conf.processing_guarantee != ProcessingGuarantee.AT_LEAST_ONCE):
        return False
    transport.Consumer = type("GuardedConsumer", (GuardedConsumer,), {
        "guarded_topics": frozenset(topics), "gap_free_topics": frozenset(gap_free), "__module__": __name__})
    return True
