"""Tests for stream.feed.seen: the persistent record of what a feed already produced."""
import time

import orjson

from stream.feed.seen import FORGET_AFTER_DAYS, SeenSet


def test_feed_seen_survives_a_restart(tmp_path):
    seen = SeenSet.for_feed(tmp_path, "https://news.example/rss.xml")
    seen.done("guid-1", "entry-a", "text-a")
    seen.save()
    again = SeenSet.for_feed(tmp_path, "https://news.example/rss.xml")
    assert again.is_done("guid-1", "entry-a") and again.text_sent("text-a")
    assert not again.is_done("guid-1", "entry-b")  # the feed changed the entry: look again
    assert not SeenSet.for_feed(tmp_path, "https://other.example/rss.xml").is_done("guid-1", "entry-a")


def test_feed_seen_counts_failed_attempts_per_entry(tmp_path):
    seen = SeenSet.for_feed(tmp_path, "feed")
    assert [seen.failed("guid-1", "entry-a") for _ in range(3)] == [1, 2, 3]
    assert seen.failed("guid-1", "entry-b") == 1  # a changed entry starts again
    assert not seen.is_done("guid-1", "entry-b")


def test_feed_seen_dead_lettered_item_keeps_the_text_it_sent_before(tmp_path):
    seen = SeenSet.for_feed(tmp_path, "feed")
    seen.done("guid-1", "entry-a", "text-a")
    seen.done("guid-1", "entry-b")  # the updated page failed: dead-lettered, not sent
    assert seen.is_done("guid-1", "entry-b") and seen.text_sent("text-a")


def test_feed_seen_forgets_items_the_feed_stopped_listing(tmp_path):
    seen = SeenSet.for_feed(tmp_path, "feed")
    seen.done("old", "e", "t-old")
    seen.done("new", "e", "t-new")
    seen.items["old"]["listed_at"] = time.time() - (FORGET_AFTER_DAYS + 1) * 86400
    seen.save()
    assert set(orjson.loads(seen.path.read_bytes())["items"]) == {"new"}


def test_feed_seen_save_leaves_no_temporary_file(tmp_path):
    seen = SeenSet.for_feed(tmp_path, "feed")
    seen.done("guid-1", "entry-a", "text-a")
    seen.save()
    assert [p.name for p in seen.path.parent.iterdir()] == [seen.path.name]
