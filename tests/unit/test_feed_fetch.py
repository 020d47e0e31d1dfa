"""Tests for stream.feed.fetch against a local HTTP server: limits, errors and the pause per host."""
import asyncio

import pytest

from stream.feed.fetch import FetchError, Fetcher
from tests.feed_site import Answer, Site


def fetch(site: Site, *paths: str, timeout=2.0, max_bytes=1024, host_delay=0.0) -> list[bytes | FetchError]:
    async def run():
        async with Fetcher(timeout=timeout, max_bytes=max_bytes, host_delay=host_delay) as fetcher:
            out = []
            for path in paths:
                try:
                    out.append(await fetcher.get(site.base + path))
                except FetchError as exc:
                    out.append(exc)
            return out

    return asyncio.run(run())


@pytest.mark.parametrize(("answer", "kind", "transient"), [
    (Answer(b"gone", 404), "failed", False),
    (Answer(b"busy", 503), "failed", True),
    (Answer(b"slow down", 429), "failed", True),
    (Answer(b"x" * 2048), "too_large", False),
    (Answer(b"x" * 2048, announce_length=False), "too_large", False),
    (Answer(b"late", delay=1.0), "timeout", True),
])
def test_feed_fetch_failures_say_what_and_whether_to_retry(answer, kind, transient):
    with Site({"/p": answer}) as site:
        (error,) = fetch(site, "/p", timeout=0.4)
    assert isinstance(error, FetchError)
    assert (error.kind, error.transient) == (kind, transient)


def test_feed_fetch_reads_a_page_up_to_the_limit():
    with Site({"/p": Answer(b"y" * 1024)}) as site:
        assert fetch(site, "/p") == [b"y" * 1024]


def test_feed_fetch_refused_connection_is_transient():
    with Site() as site:
        base = site.base  # nothing listens there once the site is closed
    error = asyncio.run(_get_refused(base))
    assert (error.kind, error.transient) == ("failed", True)


async def _get_refused(base: str) -> FetchError:
    async with Fetcher(timeout=2, max_bytes=1024, host_delay=0) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(base + "/p")
    return info.value


def test_feed_fetch_waits_between_requests_to_one_host():
    with Site({"/a": Answer(b"a"), "/b": Answer(b"b")}) as site:
        fetch(site, "/a", "/b", "/a", host_delay=0.3)
    times = [t for _, t in site.requests]
    assert [later - earlier >= 0.29 for earlier, later in zip(times, times[1:])] == [True, True]


def test_feed_fetch_page_of_unannounced_length_is_cut_at_the_limit():
    with Site({"/p": Answer(b"z" * 100_000, announce_length=False)}) as site:
        (error,) = fetch(site, "/p", max_bytes=1024)
    assert error.kind == "too_large" and error.partial == b"z" * 1024
