"""Reading dead letters, choosing them, and what a replay may re-submit (stream.deadletter), without a broker."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
import pytest

from stream.deadletter import (Refused, Selection, Unreadable, original_bytes, parse_dead_letter, parse_ref,
                               parse_since, printable)
from stream.ingest.reasons import Reason, Rejected
from stream.publish import dead_letter

NOW = datetime(2024, 10, 22, 12, 0, tzinfo=timezone.utc)
SOURCE = {"topic": "articles.raw", "partition": 1, "offset": 17, "timestamp": 1729600000.0}


def letter(raw: bytes, *, max_message_bytes: int = 1024 * 1024, stage: str = "ingest", source=SOURCE,
           reason: Reason = Reason.NOT_JSON, article_id: str | None = None):
    value = dead_letter(Rejected(reason, "why", article_id), raw=raw, key=b"key-1", source=source, stage=stage,
                        extractor_version="1.0.0+test", max_message_bytes=max_message_bytes).value
    return parse_dead_letter(orjson.dumps(value), 0, 5)


@pytest.mark.parametrize("text, expected", [
    ("90m", NOW - timedelta(minutes=90)),
    ("6h", NOW - timedelta(hours=6)),
    (" 2d ", NOW - timedelta(days=2)),
    ("1w", NOW - timedelta(weeks=1)),
    ("2024-10-01", datetime(2024, 10, 1, tzinfo=timezone.utc)),
    ("2024-10-01T08:00:00+02:00", datetime(2024, 10, 1, 6, tzinfo=timezone.utc)),
])
def test_deadletter_since_reads_ages_and_dates(text, expected):
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "6 hours", "-2d", ""])
def test_deadletter_since_refuses_what_it_cannot_read_saying_what_works(text):
    with pytest.raises(ValueError, match="use an age such as 30m"):
        parse_since(text, NOW)


@pytest.mark.parametrize("text, expected", [("0:17", (0, 17)), ("12:0", (12, 0))])
def test_deadletter_ref_reads_partition_and_offset(text, expected):
    assert parse_ref(text) == expected


@pytest.mark.parametrize("text", ["17", "a:1", "1:", ":1", "-1:2", "1:2:3"])
def test_deadletter_ref_refuses_other_forms(text):
    with pytest.raises(ValueError, match="PARTITION:OFFSET"):
        parse_ref(text)


@pytest.mark.parametrize("raw, why", [
    (None, "no value"),
    (b"\xff", "not JSON"),
    (b"[1]", "a JSON list"),
    (b'{"reason": "not_json"}', "deadletter.json: data must contain"),
])
def test_deadletter_parse_says_why_a_record_is_not_a_dead_letter(raw, why):
    with pytest.raises(Unreadable, match=why):
        parse_dead_letter(raw)


def test_deadletter_selection_needs_every_criterion_given():
    one = letter(b"x", reason=Reason.NOT_JSON, article_id="a-1")
    assert one in Selection()
    assert one in Selection(reasons=frozenset({"not_json", "too_large"}), ids=frozenset({"a-1"}),
                            refs=frozenset({(0, 5)}), since=one.time - timedelta(seconds=1))
    for other in (Selection(reasons=frozenset({"too_large"})), Selection(ids=frozenset({"a-2"})),
                  Selection(refs=frozenset({(0, 6)})), Selection(since=one.time + timedelta(seconds=1)),
                  Selection(reasons=frozenset({"not_json"}), ids=frozenset({"a-2"}))):
        assert one not in other


def test_deadletter_original_bytes_are_the_copy_carried():
    assert original_bytes(letter(b"\x00broken \xff bytes")) == (b"key-1", b"\x00broken \xff bytes")


def test_deadletter_cut_original_is_read_from_its_source_and_checked():
    raw = b"y" * 100_000
    cut = letter(raw, max_message_bytes=64 * 1024)
    assert cut.original["truncated"] and len(cut.copy) < len(raw)
    assert original_bytes(cut, fetched=raw) == (b"key-1", raw)
    with pytest.raises(Refused, match="SHA-256 differs"):
        original_bytes(cut, fetched=raw + b"changed")
    with pytest.raises(Refused, match="is gone from articles.raw partition 1 offset 17"):
        original_bytes(cut, fetched=None)


def test_deadletter_feed_items_are_not_replayed():
    feed = letter(b"<html>", stage="feed", reason=Reason.PAGE_FAILED,
                  source={"feed": "https://example.org/rss", "url": "https://example.org/a", "timestamp": 1.0})
    with pytest.raises(Refused, match="run `stream feed` again"):
        original_bytes(feed)


@pytest.mark.parametrize("text, limit, expected", [
    (None, 0, "-"),
    ("plain", 0, "plain"),
    ("\x1b[31mred", 0, "\\x1b[31mred"),
    ("\u202eevil", 0, "\\u202eevil"),
    ("abcdef", 4, "abc…"),
])
def test_deadletter_printable_escapes_terminal_controls(text, limit, expected):
    assert printable(text, limit) == expected
