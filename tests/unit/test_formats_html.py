"""Tests for stream.ingest.formats.html: HTML bodies and web pages to plain text."""
import pytest

from stream.ingest.formats.html import html_to_text, page_text


@pytest.mark.parametrize(("markup", "text"), [
    ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
    ("<div>Block<div>nested</div>tail</div>", "Block\n\nnested\n\ntail"),
    ("<p>Line one<br>line two<br/>line three</p>", "Line one\nline two\nline three"),
    ("<p>Tom &amp; Jerry &#8212; &ldquo;quoted&rdquo; &nbsp;x</p>", "Tom & Jerry \u2014 \u201cquoted\u201d x"),
    ("<p>Kept<script>var hidden = 1;</script> text</p>", "Kept text"),
    ("<style>p { color: red }</style><p>Styled</p>", "Styled"),
    ("<p>Before</p><figure><img src='x.jpg' alt='alt text'><figcaption>Caption</figcaption></figure>",
     "Before\n\nCaption"),
    ("<p>A <video src='v.mp4'>Your browser cannot play this</video>clip</p>", "A clip"),
    ("<ul><li>First</li><li>Second</li></ul>", "First\n\nSecond"),
    ("<p>   spaced \n\t out   </p>", "spaced out"),
    ("<p>unclosed <b>bold", "unclosed bold"),
    ("plain text, no markup", "plain text, no markup"),
    ("<script>only a script</script>", ""),
    ("<p>one</p><![: broken declaration<p>two</p>", "one\n\ntwo"),  # Python 3.11's parser would raise
])
def test_formats_html_to_text(markup, text):
    assert html_to_text(markup) == text


PAGE = b"""<!DOCTYPE html><html lang="en-GB"><head><title>Drones hit Kharkiv | Example News</title>
<meta property="article:published_time" content="2026-03-11T08:00:00Z"><script>var tracker = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Drones hit Kharkiv</h1>
<p>KHARKIV, Ukraine - Russian drones struck two apartment blocks in Kharkiv overnight, killing four people and
wounding 17, the regional governor said on Tuesday.</p>
<p>Rescuers searched the rubble through the morning as fires burned on several floors of both buildings.</p>
</article><aside>Most read: Ten recipes for spring</aside><footer>Copyright 2026 Example News</footer></body></html>"""


def test_formats_html_page_text_keeps_the_story_only():
    page = page_text(PAGE, url="https://news.example/kharkiv")
    assert page.text.split("\n\n") == [
        "KHARKIV, Ukraine - Russian drones struck two apartment blocks in Kharkiv overnight, killing four people and "
        "wounding 17, the regional governor said on Tuesday.",
        "Rescuers searched the rubble through the morning as fires burned on several floors of both buildings.",
    ]
    assert (page.title, page.published, page.language) == ("Drones hit Kharkiv", "2026-03-11", "en-GB")


def test_formats_html_page_without_a_story_has_no_text():
    page = page_text(b"<html><body><script>document.write('app')</script></body></html>")
    assert page.text == ""
