"""Dead-letter reason codes: stable names a consumer can switch on (documented in the README)."""

from __future__ import annotations

from enum import Enum


class Reason(str, Enum):
    TOO_LARGE = "too_large"  # the raw message is larger than any valid article could be; not parsed
    NOT_UTF8 = "not_utf8"  # the bytes are not UTF-8 text
    NOT_JSON = "not_json"  # the text is not JSON
    NOT_AN_OBJECT = "not_an_object"  # JSON, but an array, string or number
    MISSING_ID = "missing_id"
    MISSING_BODY = "missing_body"
    WRONG_TYPE = "wrong_type"  # a known field has the wrong JSON type
    EMPTY_BODY = "empty_body"  # body is empty or only white space
    BODY_TOO_LARGE = "body_too_large"  # body over STREAM_MAX_BODY_BYTES (UTF-8 bytes)
    INVALID_PUBLISHED_AT = "invalid_published_at"  # not an ISO 8601 date or date-time
    SCHEMA_VIOLATION = "schema_violation"  # any other breach of schemas/article.json
    # Wire formats (stream/ingest/formats): XML is parsed with entity expansion and network access off.
    UNSUPPORTED_FORMAT = "unsupported_format"  # XML, but not a NewsML-G2 newsItem
    XML_MALFORMED = "xml_malformed"  # not well-formed XML
    XML_ENTITIES = "xml_entities"  # declares entities ("billion laughs"); rejected before any expansion
    XML_EXTERNAL_REFERENCE = "xml_external_reference"  # an external entity or DTD; never fetched
    # `stream feed` (stream/feed): items that never reached articles.raw.
    FEED_TIMEOUT = "feed_timeout"  # the feed did not answer in time
    FEED_FAILED = "feed_failed"  # the feed could not be fetched, or is not RSS/Atom
    PAGE_TIMEOUT = "page_timeout"  # an item's page did not answer in time (after the retries)
    PAGE_FAILED = "page_failed"  # an item's page could not be fetched (HTTP error, refused)
    PAGE_TOO_LARGE = "page_too_large"  # an item's page is over STREAM_FEED_MAX_PAGE_BYTES; not read further
    PAGE_NO_TEXT = "page_no_text"  # the extractor found no article text on the page
    ANALYSIS_FAILED = "analysis_failed"  # the analysis raised; a bug to report, the input is kept
    ANALYSIS_TIMEOUT = "analysis_timeout"  # over STREAM_ARTICLE_TIME_BUDGET; its process was replaced
    OUTPUT_TOO_LARGE = "output_too_large"  # the analysis does not fit the topic's message limit
    OUTPUT_INVALID = "output_invalid"  # an output failed its schema; a bug to report, the input is kept


class Rejected(Exception):
    """Input that cannot be processed; carries the reason, a message for people, and the id if readable."""

    def __init__(self, reason: Reason, message: str, article_id: str | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.article_id = article_id

    def __reduce__(self):  # crosses process boundaries (the NLP pool) intact
        return Rejected, (self.reason, self.message, self.article_id)
