"""`stream feed` against a local news site and the real broker: every item arrives once, restarts send nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from stream import topics
from tests.feed_site import STORIES, Site

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def run_feed(pipeline, site: Site) -> str:
    env = {**pipeline.env, "STREAM_FEED_HOST_DELAY_MS": "200", "STREAM_FEED_TIMEOUT": "10"}
    done = subprocess.run([sys.executable, "-m", "stream.cli", "feed", site.base + "/rss.xml", "--once"],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_feed_stream_each_item_arrives_once_as_a_processed_article(pipeline):
    pipeline.start_worker()
    with Site() as site:
        site.publish(STORIES[:2])
        first = run_feed(pipeline, site)
        restarted = run_feed(pipeline, site)
        site.publish(STORIES)  # a new story appears in the feed
        third = run_feed(pipeline, site)
    assert "2 sent, 0 already sent" in first
    assert "0 sent, 2 already sent" in restarted
    assert "1 sent, 2 already sent" in third

    out = asyncio.run(pipeline.read((topics.RAW, topics.PROCESSED), until=lambda r: len(r[topics.PROCESSED]) >= 3))
    assert sorted(r.value["id"] for r in out[topics.RAW]) == sorted(f"example-daily-{s.slug}" for s in STORIES)
    processed = {r.value["article_id"]: r.value for r in out[topics.PROCESSED]}
    assert len(out[topics.PROCESSED]) == 3
    for story in STORIES:
        article = processed[f"example-daily-{story.slug}"]
        assert (article["title"], article["text"]) == (story.title, story.text)
        assert article["published_at"] == story.published.isoformat()
        assert (article["format"], article["revision"], article["language"]) == ("rss", 1, "en")
    assert processed["example-daily-kharkiv-drones"]["totals"]["killed"]["best"] == 4
    assert processed["example-daily-benue-attack"]["totals"]["killed"]["best"] == 7
    assert processed["example-daily-port-results"]["casualties"] == []
