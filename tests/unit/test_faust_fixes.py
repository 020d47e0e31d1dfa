"""The decisions of stream.faust_fixes.PositionGuard: which fetched records may reach Faust (no broker)."""

import faust
import pytest

from stream.faust_fixes import DELIVER, DROP, JUMP, REFETCH, PositionGuard, install

TP = ("articles.raw", 3)
GAP_FREE = {"articles.raw"}


def deliver(guard: PositionGuard, offsets, began: int) -> None:
    for offset in offsets:
        assert guard.decide(TP, offset, began) == (DELIVER, None), offset
        guard.handing_out(TP, offset)
        guard.delivered(TP, offset)


def test_a_fresh_partition_is_left_to_faust_until_it_is_sought():
    guard = PositionGuard(GAP_FREE)
    assert guard.decide(TP, 17, guard.fetch_began()) == (DELIVER, None)
    guard.delivered(TP, 17)
    assert guard.next_offset(TP) == 18


def test_the_start_up_case_a_partition_without_committed_offset_is_read_again_from_its_first_record():
    # The measured loss: no committed offset; offset 0 handed out while the recovery's seek ran (which
    # ended during that hand-over), cleared from the agent's buffer when the flow resumed; offset 1
    # processed; 0 never read again.
    guard = PositionGuard(GAP_FREE)
    began = guard.fetch_began()
    assert guard.decide(TP, 0, began) == (DELIVER, None)
    guard.handing_out(TP, 0)
    guard.sought(TP, None)  # perform_seek ends: the group has no offset, the client is left where it is
    deliver(guard, [1], guard.fetch_began())
    assert guard.buffers_cleared() == {TP: 0}
    guard.refetching(TP, 0)
    assert guard.decide(TP, 2, began) == (DROP, None)
    deliver(guard, [0, 1, 2], guard.fetch_began())


def test_records_handed_out_between_the_seek_and_the_resume_are_read_again_from_the_committed_offset():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 40)
    deliver(guard, range(40, 45), guard.fetch_began())
    assert guard.buffers_cleared() == {TP: 40}
    assert guard.buffers_cleared() == {}  # cleared once: what is handed out after the resume stays


def test_records_handed_out_before_the_seek_to_the_committed_offset_are_read_again_when_cleared():
    # bench/chaos.py seed 2: a restart over a backlog; the buffer filled during the recovery's seek, its
    # partition was paused, so no stale record came after the seek to trigger a refetch
    guard = PositionGuard(GAP_FREE)
    deliver(guard, range(40, 104), guard.fetch_began())
    guard.sought(TP, 40)
    assert guard.buffers_cleared() == {TP: 40}


def test_a_partition_that_handed_nothing_out_is_not_read_again_when_buffers_are_cleared():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 40)
    guard.sought(("articles.raw", 4), None)
    assert guard.buffers_cleared() == {}


def test_a_revoked_partition_is_not_read_again_when_buffers_are_cleared():
    guard = PositionGuard(GAP_FREE)
    deliver(guard, [7, 8], guard.fetch_began())
    guard.forget([TP])
    assert guard.buffers_cleared() == {}


def test_records_in_order_after_a_seek_are_delivered():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 76)
    deliver(guard, range(76, 90), guard.fetch_began())
    assert guard.next_offset(TP) == 90


def test_the_rebalance_case_a_batch_fetched_before_the_seek_is_read_again_from_the_committed_offset():
    # The measured loss: records 77.. of a batch fetched before the seek to the committed offset 76 arrive
    # after it; Faust took 85 for a hole and skipped 77-84.
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 40)
    guard.forget([TP])  # the rebalance revokes every partition, then assigns this one again
    began = guard.fetch_began()  # the fetch loop starts a fetch ...
    deliver(guard, range(77, 85), began)  # ... and hands out records while the recovery seeks
    guard.sought(TP, 76)  # perform_seek: back to the committed offset
    assert guard.decide(TP, 85, began) == (REFETCH, 76)
    guard.refetching(TP, 76)
    for offset in range(86, 100):  # the rest of the stale batch is dropped, no second seek
        assert guard.decide(TP, offset, began) == (DROP, None)
    deliver(guard, range(76, 100), guard.fetch_began())  # the next fetch reads 76 onwards, in order


def test_a_stale_record_is_dropped_even_when_its_offset_looks_right():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 10)
    began = guard.fetch_began()
    guard.sought(TP, 10)
    assert guard.decide(TP, 10, began) == (REFETCH, 10)


def test_a_seek_of_another_partition_does_not_make_a_record_stale():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 5)
    began = guard.fetch_began()
    guard.sought(("articles.raw", 4), 0)
    assert guard.decide(TP, 5, began) == (DELIVER, None)


def test_a_jump_in_a_fresh_fetch_is_read_again_once_then_taken_as_a_real_hole():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 0)
    deliver(guard, range(0, 5), guard.fetch_began())
    began = guard.fetch_began()
    assert guard.decide(TP, 9, began) == (REFETCH, 5)
    guard.refetching(TP, 5)
    assert guard.decide(TP, 10, began) == (DROP, None)
    # Read again from 5, the log still starts at 9 (retention removed 5-8): 5-8 are counted as done.
    assert guard.decide(TP, 9, guard.fetch_began()) == (JUMP, 5)
    guard.delivered(TP, 9)
    deliver(guard, [10], guard.fetch_began())
    assert guard.next_offset(TP) == 11


def test_without_the_hole_check_a_jump_in_a_fresh_fetch_is_a_real_hole_at_once():
    guard = PositionGuard()  # a compacted topic, or exactly-once (transaction markers leave real holes)
    guard.sought(TP, 0)
    deliver(guard, [0, 1], guard.fetch_began())
    assert guard.decide(TP, 3, guard.fetch_began()) == (JUMP, 2)
    guard.delivered(TP, 3)
    deliver(guard, [4], guard.fetch_began())


def test_records_behind_the_position_are_left_to_faust_and_do_not_move_it_back():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 50)
    deliver(guard, [50, 51, 48], guard.fetch_began())
    assert guard.next_offset(TP) == 52


def test_a_revoked_partition_is_left_to_faust_until_sought_again():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 50)
    began = guard.fetch_began()
    guard.forget([TP])
    assert guard.decide(TP, 70, began) == (DELIVER, None)
    guard.sought(TP, 60)
    assert guard.decide(TP, 71, began) == (REFETCH, 60)


def test_on_a_compacted_topic_a_stale_record_is_still_read_again():
    guard = PositionGuard(GAP_FREE)
    processed = ("articles.processed", 1)
    guard.sought(processed, 145)
    began = guard.fetch_began()
    guard.sought(processed, 145)
    assert guard.decide(processed, 152, began) == (REFETCH, 145)
    guard.refetching(processed, 145)
    assert guard.decide(processed, 160, guard.fetch_began()) == (JUMP, 145)  # compaction holes are real


def never_in_flight() -> bool:
    return False


@pytest.mark.parametrize(("committed", "start", "done_from", "held"), [
    (40, 40, 40, False),  # the run begins at the committed offset
    (40, 40, 41, True),  # one past it: Faust's own check lets this through, skipping 40
    (40, 40, 45, True),
    (None, 0, 1, True),  # no committed offset: the run must begin where the seek put the partition
    (None, 0, 0, False),
    (None, None, 7, True),  # not sought since its assignment: where it began is not known, nothing is committed
    (52, 40, 52, False),  # committed since the seek
])
def test_a_commit_waits_for_the_first_offset_not_known_done(committed, start, done_from, held):
    guard = PositionGuard(GAP_FREE)
    if start is not None:
        guard.sought(TP, start)
    floor = guard.commit_floor(TP, committed)
    assert guard.commit_check(TP, floor, done_from, never_in_flight)[0] is held


def test_a_record_dropped_on_the_way_is_read_again_once_a_later_one_was_taken():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 0)
    deliver(guard, range(0, 4), guard.fetch_began())
    assert guard.commit_check(TP, 0, 1, never_in_flight) == (True, None)  # 1 acknowledged, nothing taken seen yet
    guard.taken(TP, 1)  # the stream skipped 0 and took 1
    assert guard.commit_check(TP, 0, 1, never_in_flight) == (True, 0)
    assert guard.commit_check(TP, 0, 1, never_in_flight) == (True, None)  # the next commit: already on its way
    guard.refetching(TP, 0)
    deliver(guard, [0], guard.fetch_began())
    guard.taken(TP, 3)  # a copy handed out before the read-again: 0's new copy is still on its way
    assert guard.commit_check(TP, 0, 1, never_in_flight) == (True, None)
    assert guard.commit_check(TP, 0, 0, never_in_flight) == (False, None)  # processed at last


def test_a_record_being_processed_is_waited_for_not_read_again():
    guard = PositionGuard(GAP_FREE)
    guard.sought(TP, 10)
    deliver(guard, range(10, 13), guard.fetch_began())
    guard.taken(TP, 10)
    guard.taken(TP, 11)
    assert guard.commit_check(TP, 10, 11, lambda: True) == (True, None)


@pytest.mark.parametrize(("guarantee", "installed"), [("at_least_once", True), ("exactly_once", False)])
def test_faust_fixes_install_only_under_the_guarantee_the_project_offers(guarantee, installed):
    app = faust.App(f"fix-{guarantee}", broker="kafka://127.0.0.1:1", processing_guarantee=guarantee)
    assert install(app, ["articles.raw"], gap_free=["articles.raw"]) is installed
    assert (app.transport.Consumer.__name__ == "GuardedConsumer") is installed
