"""Which format an ``articles.raw`` value is in: declared by a ``content-type`` header, else sniffed.

A declared type we know decides; any other (or none) leaves it to the payload: markup is
NewsML-G2, a JSON object is ninjs when it says so (``standard.name``) or has ninjs fields and
neither of our ``id`` and ``body``; everything else is read as our article JSON, whose
decoder names what is wrong with it.
"""

from __future__ import annotations

from enum import Enum
from typing import Mapping, Sequence

import orjson


class Format(str, Enum):
    ARTICLE = "article"  # our JSON (schemas/article.json)
    NINJS = "ninjs"
    NEWSML = "newsml-g2"


DECLARED = {
    "application/ninjs+json": Format.NINJS,
    "application/vnd.iptc.ninjs+json": Format.NINJS,
    "application/vnd.iptc.g2.newsitem+xml": Format.NEWSML,
    "application/vnd.iptc.g2+xml": Format.NEWSML,
    "application/xml": Format.NEWSML,
    "text/xml": Format.NEWSML,
    "application/vnd.conflict-stream.article+json": Format.ARTICLE,
}
_NINJS_FIELDS = frozenset({"uri", "guid", "headline", "headlines", "body_text", "body_html", "bodies",
                           "versioncreated", "firstcreated", "pubstatus"})
_BOM = b"\xef\xbb\xbf"


def content_type(headers: Mapping | Sequence | None) -> str | None:
    """The media type of a ``content-type`` header (any case, parameters dropped), from Faust's dict or
    aiokafka's list of (name, bytes) pairs."""
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    for name, value in pairs:
        if name.lower() == "content-type" and value is not None:
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            return text.split(";")[0].strip().lower() or None
    return None


def is_ninjs(obj: dict) -> bool:
    standard = obj.get("standard")
    if isinstance(standard, dict) and str(standard.get("name", "")).lower() == "ninjs":
        return True
    return "id" not in obj and "body" not in obj and not _NINJS_FIELDS.isdisjoint(obj)


def detect_format(raw: bytes, declared: str | None = None) -> Format:
    if declared in DECLARED:
        return DECLARED[declared]
    start = raw.lstrip().removeprefix(_BOM).lstrip()[:1]
    if start == b"<":
        return Format.NEWSML
    if start == b"{":
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return Format.ARTICLE
        if isinstance(obj, dict) and is_ninjs(obj):
            return Format.NINJS
    return Format.ARTICLE
