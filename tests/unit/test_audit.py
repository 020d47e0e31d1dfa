"""stream.audit: which raw records are accounted for by the output topics (no broker)."""

from __future__ import annotations

import orjson
import pytest

from stream.audit import DEAD_LETTERED, LOST, PENDING, PROCESSED, Audit, Outputs, id_digest
from stream.ingest.decode import raw_article_id

RAW = "articles.raw"


def dead_letter(article_id, partition, offset, topic=RAW):
    return orjson.dumps({"article_id": article_id, "reason": "not_json",
                         "source": {"topic": topic, "partition": partition, "offset": offset, "timestamp": 1.0}})


@pytest.fixture
def outputs():
    out = Outputs()
    out.add_processed(b"a-1", b'{"article_id": "a-1"}')
    out.add_processed(None, b'{"article_id": "a-2"}')  # unkeyed: the id is read from the value
    out.add_dead_letter(dead_letter(None, 0, 7))  # rejected at ingest: it named no id
    out.add_dead_letter(dead_letter("a-3", 1, 40, topic="articles.accepted"))  # rejected at analysis
    out.add_dead_letter(b"\xff not json")
    return out


@pytest.mark.parametrize("partition,offset,article_id,status", [
    (0, 1, "a-1", PROCESSED),
    (0, 2, "a-2", PROCESSED),
    (0, 7, None, DEAD_LETTERED),
    (0, 3, "a-3", DEAD_LETTERED),
    (0, 4, "a-4", LOST),  # behind the committed offset 10 of partition 0
    (0, 10, "a-4", PENDING),  # at the committed offset: not consumed yet
    (1, 4, "a-4", PENDING),  # the group has committed nothing on partition 1
    (0, 5, None, LOST),
])
def test_audit_says_what_became_of_a_record(outputs, partition, offset, article_id, status):
    audit = Audit(outputs, RAW, committed={0: 10})
    found = audit.check(partition, offset, article_id)
    if status in (PROCESSED, DEAD_LETTERED):
        assert found == status
    else:
        assert found is None and [u.pending for u in audit.finish()] == [status == PENDING]
        assert audit.totals()[status] == 1


@pytest.mark.parametrize("accepted_at,accepted_committed,status", [
    ((1, 30), {1: 31}, LOST),  # the analysis stage committed past it
    ((1, 30), {1: 30}, PENDING),  # the analysis stage has not consumed it yet
    ((1, 30), {}, PENDING),
])
def test_audit_a_record_that_reached_articles_accepted_is_settled_by_that_stage(outputs, accepted_at,
                                                                                accepted_committed, status):
    audit = Audit(outputs, RAW, committed={0: 10})
    assert audit.check(0, 4, "a-4") is None
    assert audit.open_ids() == {id_digest("a-4")}
    [settled] = audit.finish({id_digest("a-4"): accepted_at}, accepted_committed)
    assert settled.pending == (status == PENDING)


def test_audit_dead_letter_of_another_topic_does_not_account_for_the_raw_record_at_its_offset(outputs):
    audit = Audit(outputs, RAW, committed={1: 100})
    assert audit.check(1, 40, "a-9") is None
    assert audit.finish()[0].pending is False


def test_audit_reports_count_every_record_and_list_the_first_unaccounted(outputs):
    audit = Audit(outputs, RAW, committed={0: 50}, keep=2)
    for offset in range(5):
        audit.check(0, offset, f"missing-{offset}")
    audit.check(0, 5, "a-1")
    assert len(audit.finish()) == 5
    [report] = audit.reports()
    assert (report.records, report.processed, report.lost, report.pending) == (6, 1, 5, 0)
    assert [u.offset for u in report.unaccounted] == [0, 1]
    assert (report.first_offset, report.last_offset) == (0, 5)
    assert audit.totals() == {"records": 6, "processed": 1, "dead_lettered": 0, "lost": 5, "pending": 0}
    assert report.as_dict()["unaccounted"][0] == {"partition": 0, "offset": 0, "timestamp": None,
                                                  "article_id": "missing-0", "status": "lost"}


def test_audit_a_tombstone_on_processed_accounts_for_nothing():
    out = Outputs()
    out.add_processed(b"gone", None)
    assert Audit(out, RAW, committed={0: 5}).check(0, 1, "gone") is None


def test_audit_unreadable_dead_letters_are_counted(outputs):
    assert outputs.unreadable_dead_letters == 1


@pytest.mark.parametrize("raw,headers,expected", [
    (b'{"id": "ours-1", "body": "text"}', None, "ours-1"),
    (b'{"id": "no-body"}', None, "no-body"),  # rejected later, but it names its id
    (b'{"id": 17, "body": "x"}', None, None),
    (b"not json", None, None),
    (None, None, None),
    (b'{"uri": "urn:wire:1", "type": "text", "body_text": "x"}', [("content-type", b"application/ninjs+json")],
     "urn:wire:1"),
])
def test_decode_raw_article_id_names_the_id_a_record_is_published_under(raw, headers, expected):
    assert raw_article_id(raw, headers) == expected
