"""HTML to plain text: article bodies (ninjs ``body_html``, NewsML-G2 XHTML) and whole web pages.

Bodies are converted by ``html_to_text`` (the standard library's tolerant parser; no network,
no entities beyond HTML's own): block elements become paragraphs separated by a blank line,
``<br>`` a line break, scripts, styles, embedded media and forms are dropped with their content.
Pages, with menus, comments and ads around the story, go through trafilatura (``page_text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "body", "html",
})
# Elements whose content is never story text.
_DROPPED = frozenset({
    "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "math",
    "canvas", "video", "audio", "picture", "map", "form", "button", "select", "textarea", "nav",
})
_SPACES = re.compile(r"\s+")
_DECLARATIONS = re.compile(r"<!--.*?(?:-->|$)|<![^>]*>?", re.DOTALL)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.lines: list[str] = []
        self.words: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _DROPPED:
            self.dropping.append(tag)
        elif tag == "br" and not self.dropping:
            self._end_line()
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br" and not self.dropping:
            self._end_line()
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            if tag in self.dropping:  # close it and anything left open inside it
                del self.dropping[len(self.dropping) - 1 - self.dropping[::-1].index(tag):]
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.words.append(data)

    def _end_line(self) -> None:
        line = _SPACES.sub(" ", "".join(self.words)).strip()
        if line:
            self.lines.append(line)
        self.words = []

    def _end_paragraph(self) -> None:
        self._end_line()
        if self.lines:
            self.paragraphs.append("\n".join(self.lines))
        self.lines = []

    def text(self) -> str:
        self.close()
        self._end_paragraph()
        return "\n\n".join(self.paragraphs)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML fragment or document, paragraphs separated by a blank line."""
    collector = _TextCollector()
    try:
        collector.feed(markup)
    except AssertionError:  # Python 3.11's parser gives up on a broken "<!" declaration ("<![:")
        collector = _TextCollector()
        collector.feed(_DECLARATIONS.sub("", markup))
    return collector.text()


@dataclass(frozen=True)
class Page:
    """What the extractor found on a web page."""

    text: str
    title: str | None
    published: str | None  # ISO 8601 date, when the page states one
    language: str | None  # as the page declares it
    site: str | None


def page_text(html: str | bytes, url: str | None = None) -> Page:
    """The story of a web page (its bytes in any declared charset, or text), without its menus, comments
    and boilerplate (trafilatura). The headline, which the extractor keeps as the first line, is left
    to ``title``."""
    import trafilatura

    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                        include_tables=False, include_images=False)
    if found is None:
        return Page("", None, None, _declared_language(html), None)
    title = found.title or None
    lines = [line.strip() for line in (found.text or "").split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return Page("\n\n".join(lines), title, found.date or None, _declared_language(html), found.sitename or None)


_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)


def _declared_language(html: str | bytes) -> str | None:
    head = html[:4096] if isinstance(html, bytes) else html[:4096].encode("utf-8", errors="replace")
    match = _LANG.search(head)
    return match.group(1).decode() if match else None
