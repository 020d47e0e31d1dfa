"""A news site on 127.0.0.1 for the feed tests: an RSS feed and its pages, served by http.server in a thread.

The pages look like real ones (menus, a cookie script, related links, a footer around the
story); the test sets what each path answers, how late, and reads which paths were asked for.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    body: bytes
    status: int = 200
    delay: float = 0.0  # seconds before the answer
    content_type: str = "text/html; charset=utf-8"
    announce_length: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def page(story: Story, lang: str = "en") -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(story.title)} | Example Daily</title>
<meta property="article:published_time" content="{story.published.isoformat()}">
<script>window.consent = {{"ads": false}}; document.cookie = "seen=1";</script>
<style>.promo {{ color: red }}</style></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
<a href="/sport">Sport</a></nav></header>
<main><article><h1>{escape(story.title)}</h1><p class="byline">By Example Staff</p>{paragraphs}</article>
<aside class="promo"><h2>Most read</h2><ul><li><a href="/a">Ten spring recipes</a></li>
<li><a href="/b">Transfer news live</a></li></ul></aside></main>
<footer><p>&copy; 2026 Example Daily. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


def rss(base: str, stories: list[Story], title: str = "Example Daily - World") -> bytes:
    items = "".join(f"""
    <item><title>{escape(s.title)}</title><link>{base}/news/{s.slug}</link>
      <guid isPermaLink="false">example-daily-{s.slug}</guid>
      <pubDate>{format_datetime(s.published)}</pubDate>
      <description>{escape(s.paragraphs[0][:120])}&#8230;</description></item>""" for s in stories)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel><title>{escape(title)}</title><link>{base}/</link><language>en-gb</language>
    <description>World news from Example Daily</description>{items}
  </channel>
</rss>""".encode()


@dataclass
class Site:
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[tuple[str, float]] = field(default_factory=list)

    def __enter__(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append((self.path, time.monotonic()))
                answer = site.answers.get(self.path, Answer(b"not found", 404))
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    if answer.announce_length:
                        self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def publish(self, stories: list[Story], **pages: Answer) -> None:
        """Serve the feed of ``stories`` at /rss.xml and each story's page (unless ``pages`` overrides one)."""
        self.answers["/rss.xml"] = Answer(rss(self.base, stories), content_type="application/rss+xml")
        for story in stories:
            self.answers[f"/news/{story.slug}"] = pages.get(story.slug) or Answer(page(story))

    def asked(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


STORIES = [
    Story("kharkiv-drones", "Russian drones hit Kharkiv apartment blocks, four dead",
          datetime.fromisoformat("2026-03-11T08:40:00+02:00"), (
              "KHARKIV, Ukraine - Russian drones struck two apartment blocks in Kharkiv overnight, killing four "
              "people and wounding 17, regional governor Oleh Syniehubov said on Tuesday.",
              "Rescuers pulled residents from the rubble through the morning as fires burned on several floors, "
              "and the governor said the toll could rise.",
              "Ukraine's air force said it shot down 42 of the 57 drones launched overnight.")),
    Story("benue-attack", "Gunmen kill seven farmers in Nigeria's Benue state",
          datetime.fromisoformat("2026-03-10T17:05:00+01:00"), (
              "MAKURDI, Nigeria - Gunmen killed seven farmers and abducted three others in an attack on a village "
              "in Nigeria's Benue state on Monday, a police spokeswoman said.",
              "The attackers arrived on motorcycles in the afternoon and opened fire on people working in the "
              "fields, residents said.",
              "No group claimed responsibility for the attack.")),
    Story("port-results", "Port operator's quarterly profit rises on container volumes",
          datetime.fromisoformat("2026-03-09T09:30:00+00:00"), (
              "LONDON - The port operator reported a 12 percent rise in quarterly profit on Monday, helped by "
              "record container volumes at its two largest terminals.",
              "Chief executive Ana Lopes said the company would raise its dividend and expected volumes to keep "
              "growing through the year.")),
]
