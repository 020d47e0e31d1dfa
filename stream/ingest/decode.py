"""Raw bytes -> a validated ``Article``, or ``Rejected`` with a specific reason.

``decode_raw`` takes what arrives on ``articles.raw``: our article JSON, ninjs or NewsML-G2
(``stream.ingest.formats``), converted to our article object and validated like one.
``decode_article`` reads our JSON alone (``articles.accepted`` carries nothing else).
Checks run cheapest first, and the size limit before any parsing, so a hostile
message costs no more than reading its length.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import orjson

from stream.analysis.article import Article
from stream.analysis.dates import parse_published_at
from stream.ingest.formats.detect import Format, content_type, detect_format
from stream.ingest.formats.newsml import newsml_fields
from stream.ingest.formats.ninjs import ninjs_fields
from stream.ingest.language import with_language
from stream.ingest.reasons import Reason, Rejected
from stream.ingest.wire import WIRE_FIELDS, WireArticle
from stream.schemas import SchemaError, validator

_TEXT_FIELDS = ("title", "source", "url", "published_at", "language")
# JSON escapes can make a body's text up to six times longer on the wire ("\u00e9" for "é").
_ESCAPE_FACTOR = 6
_ENVELOPE_BYTES = 64 * 1024


def _readable_id(obj: dict) -> str | None:
    value = obj.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= 256 else None


def _check_types(obj: dict, article_id: str | None) -> None:
    if "id" not in obj or obj["id"] is None:
        raise Rejected(Reason.MISSING_ID, "the article has no 'id'; every article needs a stable id", None)
    if not isinstance(obj["id"], str):
        raise Rejected(Reason.WRONG_TYPE, f"'id' must be a string, got {type(obj['id']).__name__}", None)
    if "body" not in obj or obj["body"] is None:
        raise Rejected(Reason.MISSING_BODY, "the article has no 'body'", article_id)
    if not isinstance(obj["body"], str):
        raise Rejected(Reason.WRONG_TYPE, f"'body' must be a string, got {type(obj['body']).__name__}", article_id)
    for name in (*_TEXT_FIELDS, *WIRE_FIELDS):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise Rejected(Reason.WRONG_TYPE, f"'{name}' must be a string or null, got {type(value).__name__}",
                           article_id)


def check_size(raw: bytes, max_body_bytes: int) -> None:
    """Reject, unparsed, a message larger than any valid article could be (JSON or markup)."""
    if len(raw) > max_body_bytes * _ESCAPE_FACTOR + _ENVELOPE_BYTES:
        raise Rejected(Reason.TOO_LARGE, f"the message is {len(raw)} bytes, too large to hold an article body of at "
                                         f"most {max_body_bytes} bytes (STREAM_MAX_BODY_BYTES); it was not parsed")


def json_object(raw: bytes) -> dict:
    """The JSON object in ``raw``, or Rejected: not UTF-8, not JSON, not an object."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected(Reason.NOT_UTF8, f"the message is not UTF-8 text (bad byte at position {exc.start})") from None
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise Rejected(Reason.NOT_JSON, f"the message is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise Rejected(Reason.NOT_AN_OBJECT, f"expected a JSON object with 'id' and 'body', got a JSON {type(obj).__name__}")
    return obj


def decode_article(raw: bytes | None, *, max_body_bytes: int) -> Article:
    """Parse and validate one article in our JSON; raise ``Rejected`` for anything unusable."""
    if raw is None:
        raise Rejected(Reason.NOT_JSON, "the message has no value (a tombstone?); expected an article object")
    check_size(raw, max_body_bytes)
    return article_from_object(json_object(raw), max_body_bytes=max_body_bytes)


def article_from_object(obj: dict, *, max_body_bytes: int) -> Article:
    """Validate an article object (ours, or converted from a wire format): a ``WireArticle`` when it
    carries wire fields."""
    article_id = _readable_id(obj)
    _check_types(obj, article_id)
    body = obj["body"]
    if not body.strip():
        raise Rejected(Reason.EMPTY_BODY, "'body' is empty or only white space", article_id)
    size = len(body.encode("utf-8"))
    if size > max_body_bytes:
        raise Rejected(Reason.BODY_TOO_LARGE, f"'body' is {size} bytes; the limit is {max_body_bytes} "
                                              "(STREAM_MAX_BODY_BYTES)", article_id)
    try:
        validator("article.json")(obj)
    except SchemaError as exc:
        raise Rejected(Reason.SCHEMA_VIOLATION, str(exc), article_id) from None
    if obj.get("published_at"):
        try:
            parse_published_at(obj["published_at"])
        except ValueError as exc:
            raise Rejected(Reason.INVALID_PUBLISHED_AT, str(exc), article_id) from None
    fields = {name: obj.get(name) or None for name in _TEXT_FIELDS}
    wire = {name: obj.get(name) or None for name in WIRE_FIELDS}
    if any(wire.values()):
        return WireArticle(id=obj["id"], body=body, **fields, **wire)
    return Article(id=obj["id"], body=body, **fields)


def decode_raw(raw: bytes | None, headers: Mapping | Sequence | None = None, *, max_body_bytes: int) -> Article:
    """One ``articles.raw`` value in any accepted format (our JSON, ninjs, NewsML-G2), found from the
    ``content-type`` header or else the payload, to a validated article with its language identified."""
    if raw is None:
        raise Rejected(Reason.NOT_JSON, "the message has no value (a tombstone?); expected an article object")
    check_size(raw, max_body_bytes)
    return with_language(article_from_object(_article_object(raw, headers), max_body_bytes=max_body_bytes))


def _article_object(raw: bytes, headers: Mapping | Sequence | None) -> dict:
    """Our article object from a raw value in any accepted format, not yet validated."""
    kind = detect_format(raw, content_type(headers))
    if kind is Format.NEWSML:
        return newsml_fields(raw)
    if kind is Format.NINJS:
        return ninjs_fields(json_object(raw))
    return json_object(raw)


def raw_article_id(raw: bytes | None, headers: Mapping | Sequence | None = None) -> str | None:
    """The id a raw value names (what its article is published under if accepted), without validating the
    rest; None when it names none it could be accepted under. Cheap: no language identification."""
    if raw is None:
        return None
    try:
        return _readable_id(_article_object(raw, headers))
    except Rejected:
        return None


def encode_article(article: Article) -> bytes:
    """The normalised article as it travels on ``articles.accepted``."""
    return orjson.dumps({k: v for k, v in article.as_dict().items() if v is not None})
