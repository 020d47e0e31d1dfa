"""`stream feed`: poll an RSS/Atom feed, fetch each new item's page, and produce its story once.

Each poll reads the feed (a URL, fetched politely, or a file), skips the items the seen-set
already has, fetches the others' pages (one host at a time, ``STREAM_FEED_HOST_DELAY_MS``
apart), extracts the story (trafilatura) and produces it to ``articles.raw`` as an article
with ``format`` rss or atom. Items are recorded as seen only once the broker has acknowledged
them, a few at a time, so a crash re-sends at most those few (the worker skips exact re-sends).
Failures go to ``articles.deadletter`` (stage ``feed``): a page that times out or is refused is
tried again at the next polls, ``MAX_ATTEMPTS`` in all; a page too large or without text at once.
"""

from __future__ import annotations

import asyncio
import email.utils
import io
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import orjson

from stream import topics
from stream.feed.fetch import FetchError, Fetcher
from stream.feed.seen import SeenSet, content_hash
from stream.ingest.files import RawItem
from stream.ingest.formats.html import html_to_text, page_text
from stream.ingest.formats.newsml import parse_xml
from stream.ingest.reasons import Reason, Rejected
from stream.publish import dead_letter
from stream.settings import Settings

log = logging.getLogger("stream.feed")

MAX_ATTEMPTS = 3
CHUNK = 10  # items produced, acknowledged and recorded together
_PAGE_REASONS = {"timeout": Reason.PAGE_TIMEOUT, "failed": Reason.PAGE_FAILED, "too_large": Reason.PAGE_TOO_LARGE}
_FEED_REASONS = {"timeout": Reason.FEED_TIMEOUT, "failed": Reason.FEED_FAILED, "too_large": Reason.FEED_FAILED}
_CONTROL = re.compile(r"[\x00-\x1f]")


@dataclass(frozen=True)
class Entry:
    key: str  # guid, else link
    entry_hash: str  # changes when the feed changes the entry
    link: str | None
    title: str | None
    published_at: str | None
    content: str | None  # the entry's own HTML (content, else summary): the body when there is no page


@dataclass(frozen=True)
class Feed:
    title: str | None
    language: str | None
    format: str  # rss or atom
    entries: list[Entry]


@dataclass(frozen=True)
class Made:
    """What became of an entry: an article to send (with its text's hash) or a dead letter (no hash)."""

    item: RawItem
    text_hash: str | None = None


@dataclass
class PollReport:
    listed: int = 0
    sent: list[str] = field(default_factory=list)
    dead_lettered: list[str] = field(default_factory=list)
    retrying: int = 0
    unchanged: int = 0

    def line(self, source: str) -> str:
        return (f"polled {source}: {self.listed} item(s), {len(self.sent)} sent, {self.unchanged} already sent, "
                f"{len(self.dead_lettered)} dead-lettered, {self.retrying} to retry")


def is_url(source: str) -> bool:
    """A web address (fetched), as opposed to a feed file or a urn."""
    return source.startswith(("http://", "https://"))


def _iso(raw: str | None, parsed: time.struct_time | None) -> str | None:
    """ISO 8601 in the publisher's own offset (relative dates in the text are local days), else UTC."""
    if raw:
        for parse in (email.utils.parsedate_to_datetime, datetime.fromisoformat):
            try:
                return parse(raw.strip()).isoformat()
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat() if parsed else None


def _entry(item) -> Entry | None:
    # feedparser offers an entry's id (a urn, say) as its link too: only web links are fetched
    link = item.get("link") if is_url(str(item.get("link"))) else None
    key = item.get("id") or link
    if not key:
        return None
    contents = item.get("content") or []
    content = contents[0].get("value") if contents else item.get("summary")
    published = item.get("published") or item.get("updated")
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    return Entry(key, content_hash(key, link, item.get("title"), item.get("summary"), content, published), link,
                 item.get("title") or None, _iso(published, parsed), content)


def read_feed(data: bytes) -> Feed:
    """The feed's entries (feedparser, given the bytes: it fetches nothing); Rejected for a feed that
    declares XML entities or refers to external ones, or is no feed at all."""
    import feedparser

    try:
        parse_xml(data)
    except Rejected as rejected:
        if rejected.reason in (Reason.XML_ENTITIES, Reason.XML_EXTERNAL_REFERENCE):
            raise
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise Rejected(Reason.FEED_FAILED, "not an RSS or Atom feed" + (f": {problem}" if problem else ""))
    entries = [e for e in (_entry(item) for item in parsed.entries) if e is not None]
    return Feed(parsed.feed.get("title") or None, parsed.feed.get("language") or None,
                "atom" if parsed.version.startswith("atom") else "rss", entries)


def item_id(key: str) -> str:
    """The article id: the guid or link itself when it can be one, else a hash of it."""
    return key if len(key) <= 256 and not _CONTROL.search(key) else "feed-" + content_hash(key)[:32]


class FeedPoller:
    def __init__(self, source: str, settings: Settings, fetcher: Fetcher, seen: SeenSet, send, extractor_version: str):
        """``send(articles, dead_letters)``: produce both lists of RawItems and return once acknowledged."""
        self.source = source
        self.settings = settings
        self.fetcher = fetcher
        self.seen = seen
        self.send = send
        self.extractor_version = extractor_version
        self.feed_failing = False  # a feed that stays down is dead-lettered once, when it goes down

    def _dead_letter(self, reason: Reason, message: str, article_id: str | None, raw: bytes,
                     url: str | None) -> RawItem:
        letter = dead_letter(Rejected(reason, message, article_id), raw=raw, key=None,
                             source={"feed": self.source, "url": url, "timestamp": time.time()}, stage="feed",
                             extractor_version=self.extractor_version,
                             max_message_bytes=self.settings.max_message_bytes)
        log.warning("dead-lettered %s: %s: %s", url or self.source, reason.value, message)
        return RawItem(url or self.source, letter.encode(), article_id.encode() if article_id else None)

    async def _feed_bytes(self) -> bytes:
        if is_url(self.source):
            return await self.fetcher.get(self.source)
        return Path(self.source).read_bytes()

    async def _read_feed(self) -> tuple[Feed | None, list[RawItem]]:
        try:
            feed = read_feed(await self._feed_bytes())
        except FetchError as exc:
            return None, self._feed_failed(_FEED_REASONS[exc.kind], exc.message, exc.partial)
        except Rejected as rejected:
            return None, self._feed_failed(rejected.reason, rejected.message, b"")
        except OSError as exc:  # a feed file that went away or cannot be read
            return None, self._feed_failed(Reason.FEED_FAILED, f"cannot read the feed file: {exc.strerror}", b"")
        self.feed_failing = False
        return feed, []

    def _feed_failed(self, reason: Reason, message: str, raw: bytes) -> list[RawItem]:
        if self.feed_failing:
            log.warning("feed %s still failing: %s: %s", self.source, reason.value, message)
            return []
        self.feed_failing = True
        return [self._dead_letter(reason, message, None, raw, None)]

    async def _article(self, feed: Feed, entry: Entry, report: PollReport) -> Made | None:
        """The entry's article or dead letter, or None when its page is to be tried again at the next poll."""
        ident = item_id(entry.key)
        page, html = None, b""
        if entry.link:
            try:
                html = await self.fetcher.get(entry.link)
            except FetchError as exc:
                if exc.transient and self.seen.failed(entry.key, entry.entry_hash) < MAX_ATTEMPTS:
                    log.info("will retry %s: %s", entry.link, exc.message)
                    report.retrying += 1
                    return None
                return Made(self._dead_letter(_PAGE_REASONS[exc.kind], exc.message, ident, exc.partial,
                                              entry.link))
            page = page_text(html, url=entry.link)
        text = page.text if page else html_to_text(entry.content or "")
        if not text:
            return Made(self._dead_letter(Reason.PAGE_NO_TEXT, "the extractor found no article text", ident,
                                          html or (entry.content or "").encode(), entry.link))
        article = {
            "id": ident, "title": entry.title or (page.title if page else None), "body": text, "url": entry.link,
            "source": feed.title or (page.site if page else None),
            "published_at": entry.published_at or (page.published if page else None),
            "language": (page.language if page else None) or feed.language,
            "format": feed.format, "provider": self.source,
        }
        value = orjson.dumps({k: v for k, v in article.items() if v is not None})
        return Made(RawItem(entry.link or ident, value, ident.encode()), content_hash(text))

    async def poll(self) -> PollReport:
        """One pass over the feed: every new or changed item sent once, or dead-lettered."""
        report = PollReport()
        feed, failures = await self._read_feed()
        if feed is None:
            await self.send([], failures)
            return report
        report.listed = len(feed.entries)
        todo = []
        for entry in feed.entries:
            self.seen.touch(entry.key)
            if self.seen.is_done(entry.key, entry.entry_hash):
                report.unchanged += 1
            else:
                todo.append(entry)
        for start in range(0, len(todo), CHUNK):
            await self._poll_chunk(feed, todo[start:start + CHUNK], report)
        self.seen.save()
        return report

    async def _poll_chunk(self, feed: Feed, entries: list[Entry], report: PollReport) -> None:
        articles, letters, done = [], [], []
        for entry in entries:
            made = await self._article(feed, entry, report)
            if made is None:
                continue
            if made.text_hash is None:
                letters.append(made.item)
                report.dead_lettered.append(made.item.origin)
            elif self.seen.text_sent(made.text_hash):
                report.unchanged += 1
            else:
                articles.append(made.item)
                report.sent.append(made.item.key.decode())
                log.info("sending %s: %s", made.item.key.decode(), entry.title or entry.link)
            done.append((entry, made.text_hash))
        await self.send(articles, letters)
        for entry, text_hash in done:
            self.seen.done(entry.key, entry.entry_hash, text_hash)
        self.seen.save()


async def run_feed(source: str, settings: Settings, broker: str, *, once: bool, interval: int) -> None:
    """Poll ``source`` every ``interval`` seconds (or once), producing to the configured topics."""
    from stream.analysis.pipeline import extractor_version
    from stream.kafka_io import produce

    async def send(articles: list[RawItem], letters: list[RawItem]) -> None:
        if articles:
            await produce(settings, broker, settings.topic(topics.RAW), articles)
        if letters:
            await produce(settings, broker, settings.topic(topics.DEADLETTER), letters)

    fetcher = Fetcher(timeout=settings.feed_timeout, max_bytes=settings.feed_max_page_bytes,
                      host_delay=settings.feed_host_delay_ms / 1000)
    async with fetcher:
        poller = FeedPoller(source, settings, fetcher, SeenSet.for_feed(settings.state_dir, source), send,
                            extractor_version(settings.model))
        while True:
            report = await poller.poll()
            log.info(report.line(source))
            if once:
                return
            await asyncio.sleep(interval)
