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
    ANALYSIS_FAILED = "analysis_failed"  # the analysis raised; a bug to report, the input is kept
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
