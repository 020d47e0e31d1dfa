"""Tests for stream.feed.poller: a local site's RSS feed polled, each item produced once, failures dead-lettered.

The sink here is a list (the Kafka path is covered by tests/integration/test_feed_stream.py).
"""
import asyncio
from dataclasses import replace

import orjson
import pytest

from stream.feed.fetch import Fetcher
from stream.feed.poller import FeedPoller, item_id, read_feed
from stream.feed.seen import SeenSet
from stream.ingest.decode import decode_raw
from stream.ingest.reasons import Reason, Rejected
from stream.settings import load
from tests.feed_site import STORIES, Answer, Site, page

TIMEOUT = 0.5


class Sink:
    """What the poller produced: articles and dead letters, decoded."""

    def __init__(self):
        self.articles, self.letters = [], []

    async def __call__(self, articles, letters):
        self.articles += [orjson.loads(a.value) for a in articles]
        self.letters += [orjson.loads(d.value) for d in letters]


def poll(site: Site, state, sink: Sink, times: int = 1, source: str | None = None):
    """Poll ``times`` with a fresh poller each time, as after a restart; the last report."""
    settings = load({"STREAM_STATE_DIR": str(state)})

    async def run():
        async with Fetcher(timeout=TIMEOUT, max_bytes=4096, host_delay=0.0) as fetcher:
            feed = source or site.base + "/rss.xml"
            poller = FeedPoller(feed, settings, fetcher, SeenSet.for_feed(state, feed), sink, "test+extractor")
            return await poller.poll()

    report = None
    for _ in range(times):
        report = asyncio.run(run())
    return report


def test_feed_poller_sends_every_item_with_title_date_and_page_text(tmp_path):
    sink = Sink()
    with Site() as site:
        site.publish(STORIES)
        report = poll(site, tmp_path, sink)
    assert report.listed == 3 and len(report.sent) == 3
    by_id = {a["id"]: a for a in sink.articles}
    assert set(by_id) == {f"example-daily-{s.slug}" for s in STORIES}
    for story in STORIES:
        article = by_id[f"example-daily-{story.slug}"]
        assert (article["title"], article["body"]) == (story.title, story.text)
        assert article["published_at"] == story.published.isoformat()
        assert (article["format"], article["source"], article["language"]) == ("rss", "Example Daily - World", "en")
        assert article["url"].endswith(f"/news/{story.slug}")
        decoded = decode_raw(orjson.dumps(article), max_body_bytes=64 * 1024)  # what the worker will accept
        assert decoded.published_date == story.published.date()


def test_feed_poller_restart_sends_nothing_twice_and_fetches_no_page_again(tmp_path):
    sink = Sink()
    with Site() as site:
        site.publish(STORIES[:2])
        poll(site, tmp_path, sink)
        report = poll(site, tmp_path, sink, times=2)
        site.publish(STORIES)
        newest = poll(site, tmp_path, sink)
    assert (len(report.sent), report.unchanged) == (0, 2)
    assert newest.sent == [f"example-daily-{STORIES[2].slug}"]
    assert [a["id"] for a in sink.articles] == [f"example-daily-{s.slug}" for s in STORIES]
    assert [site.asked(f"/news/{s.slug}") for s in STORIES] == [1, 1, 1]


def test_feed_poller_changed_entry_is_sent_again_only_when_its_text_changed(tmp_path):
    sink = Sink()
    story = STORIES[0]
    updated = replace(story, title=story.title + " (updated)")
    corrected = replace(updated, paragraphs=(story.paragraphs[0].replace("four", "five"), *story.paragraphs[1:]))
    with Site() as site:
        site.publish([story])
        poll(site, tmp_path, sink)
        site.publish([updated])  # the entry changed, the page's story did not
        poll(site, tmp_path, sink)
        site.publish([corrected])
        poll(site, tmp_path, sink)
    assert [a["body"] for a in sink.articles] == [story.text, corrected.text]  # the same id: a revision downstream
    assert len({a["id"] for a in sink.articles}) == 1


def letters_by_reason(sink: Sink) -> dict[str, dict]:
    return {letter["reason"]: letter for letter in sink.letters}


def test_feed_poller_bad_pages_are_dead_lettered_with_their_reason(tmp_path):
    sink = Sink()
    gone, big, empty, good = STORIES[0], STORIES[1], replace(STORIES[2], slug="empty"), STORIES[2]
    with Site() as site:
        site.publish([gone, big, empty, good], **{
            gone.slug: Answer(b"not here", 404),
            big.slug: Answer(page(big) + b"<!--" + b"x" * 8192 + b"-->"),
            "empty": Answer(b"<html><body><script>render()</script></body></html>"),
        })
        poll(site, tmp_path, sink)
        poll(site, tmp_path, sink)  # dead letters are not repeated
    letters = letters_by_reason(sink)
    assert sorted(letters) == ["page_failed", "page_no_text", "page_too_large"]
    assert len(sink.letters) == 3 and [a["id"] for a in sink.articles] == [f"example-daily-{good.slug}"]
    assert letters["page_failed"]["message"] == "HTTP 404 Not Found"
    assert letters["page_too_large"]["article_id"] == f"example-daily-{big.slug}"
    assert letters["page_too_large"]["message"] == f"{len(page(big)) + 8199} bytes announced; the limit is 4096"
    for letter in sink.letters:
        assert letter["stage"] == "feed" and letter["source"]["url"].startswith(site.base + "/news/")


def test_feed_poller_slow_page_is_retried_then_dead_lettered(tmp_path):
    sink = Sink()
    slow = STORIES[0]
    with Site() as site:
        site.publish([slow], **{slow.slug: Answer(page(slow), delay=TIMEOUT + 0.5)})
        reports = [poll(site, tmp_path, sink) for _ in range(3)]
    assert [r.retrying for r in reports] == [1, 1, 0]
    assert [letter["reason"] for letter in sink.letters] == ["page_timeout"]
    assert sink.articles == []


def test_feed_poller_feed_that_times_out_is_dead_lettered_once_per_outage(tmp_path):
    sink = Sink()
    settings = load({"STREAM_STATE_DIR": str(tmp_path)})
    with Site() as site:
        site.publish(STORIES[:1])
        site.answers["/rss.xml"].delay = TIMEOUT + 0.5

        async def run():
            async with Fetcher(timeout=TIMEOUT, max_bytes=4096, host_delay=0.0) as fetcher:
                feed = site.base + "/rss.xml"
                poller = FeedPoller(feed, settings, fetcher, SeenSet.for_feed(tmp_path, feed), sink, "test+x")
                await poller.poll()
                await poller.poll()
                site.answers["/rss.xml"].delay = 0
                return await poller.poll()

        report = asyncio.run(run())
    assert [(letter["reason"], letter["source"]["url"]) for letter in sink.letters] == [("feed_timeout", None)]
    assert len(report.sent) == 1


HOSTILE_FEED = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;</title></channel></rss>"""


@pytest.mark.parametrize(("data", "reason"), [
    (HOSTILE_FEED, Reason.XML_ENTITIES),
    (b"<html><body>Not a feed</body></html>", Reason.FEED_FAILED),
    (b"\x00\x01 binary", Reason.FEED_FAILED),
])
def test_feed_poller_read_feed_rejects_hostile_or_non_feeds(data, reason):
    with pytest.raises(Rejected) as info:
        read_feed(data)
    assert info.value.reason is reason


def test_feed_poller_reads_a_feed_file(tmp_path):
    sink = Sink()
    with Site() as site:
        site.publish(STORIES[:1])
        feed = tmp_path / "feed.xml"
        feed.write_bytes(site.answers["/rss.xml"].body)
        poll(site, tmp_path, sink, source=str(feed))
    assert [a["provider"] for a in sink.articles] == [str(feed)]


def test_feed_poller_feed_file_that_went_away_is_dead_lettered(tmp_path):
    sink = Sink()
    with Site() as site:
        report = poll(site, tmp_path, sink, source=str(tmp_path / "removed.xml"))
    assert (report.listed, sink.articles) == (0, [])
    assert [(letter["reason"], letter["stage"]) for letter in sink.letters] == [("feed_failed", "feed")]
    assert "cannot read the feed file" in sink.letters[0]["message"]


@pytest.mark.parametrize(("key", "expected"), [
    ("example-daily-1", "example-daily-1"),
    ("https://news.example/a?id=1", "https://news.example/a?id=1"),
    ("x" * 300, None),
    ("tab\there", None),
])
def test_feed_poller_item_id_is_the_guid_when_it_can_be(key, expected):
    ident = item_id(key)
    assert ident == expected if expected else (ident.startswith("feed-") and len(ident) == 37)


def atom(base: str) -> bytes:
    story = STORIES[1]
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Daily - Africa</title><id>urn:example-daily:africa</id><updated>2026-03-10T18:00:00+01:00</updated>
  <entry><title>{story.title}</title><id>urn:example-daily:{story.slug}</id>
    <link rel="alternate" href="{base}/news/{story.slug}"/><published>2026-03-10T17:05:00+01:00</published>
    <updated>2026-03-10T17:05:00+01:00</updated><summary>Gunmen killed seven farmers.</summary></entry>
  <entry><title>Flash: curfew declared in Makurdi</title><id>urn:example-daily:flash-curfew</id>
    <published>2026-03-10T19:30:00+01:00</published>
    <content type="html">&lt;p&gt;The Benue state government declared a dusk-to-dawn curfew in Makurdi on Monday
      after the attack, a spokesman said.&lt;/p&gt;
      &lt;p&gt;Police reinforcements were sent to the area.&lt;/p&gt;</content>
  </entry>
</feed>""".encode()


def test_feed_poller_atom_entries_with_a_page_or_only_their_content(tmp_path):
    sink = Sink()
    with Site() as site:
        site.publish(STORIES[1:2])
        site.answers["/atom.xml"] = Answer(atom(site.base), content_type="application/atom+xml")
        poll(site, tmp_path, sink, source=site.base + "/atom.xml")
    by_id = {a["id"]: a for a in sink.articles}
    linked, flash = by_id["urn:example-daily:benue-attack"], by_id["urn:example-daily:flash-curfew"]
    assert (linked["format"], linked["body"], linked["published_at"]) == (
        "atom", STORIES[1].text, "2026-03-10T17:05:00+01:00")
    assert flash["body"] == ("The Benue state government declared a dusk-to-dawn curfew in Makurdi on Monday after "
                             "the attack, a spokesman said.\n\nPolice reinforcements were sent to the area.")
    assert "url" not in flash and flash["language"] == "en"
