"""Tests for stream.ingest.decode: raw bytes to a validated Article, or Rejected with a reason."""
from pathlib import Path

import orjson
import pytest

from stream.analysis.article import Article
from stream.ingest.decode import decode_article, decode_raw, encode_article
from stream.ingest.reasons import Reason, Rejected
from stream.ingest.wire import WireArticle

MAX_BODY = 1024
BODY = "Gunmen attacked a village in central Mali on Sunday, killing at least 11 people, local officials said."


def raw(**fields):
    return orjson.dumps(fields)


def rejected(value, max_body_bytes=MAX_BODY):
    with pytest.raises(Rejected) as info:
        decode_article(value, max_body_bytes=max_body_bytes)
    return info.value


@pytest.mark.parametrize(("value", "reason", "article_id"), [
    (b"{" + b" " * (MAX_BODY * 6 + 64 * 1024) + b"}", Reason.TOO_LARGE, None),
    (b'{"id": "mali-1", "body": "caf\xe9 attack"}', Reason.NOT_UTF8, None),
    (b"\xff\xfe{}", Reason.NOT_UTF8, None),
    (b'{"id": "mali-1", "body": ', Reason.NOT_JSON, None),
    (b"Gunmen attacked a village", Reason.NOT_JSON, None),
    (b"", Reason.NOT_JSON, None),
    (None, Reason.NOT_JSON, None),
    (b'[{"id": "mali-1", "body": "text"}]', Reason.NOT_AN_OBJECT, None),
    (b'"mali-1"', Reason.NOT_AN_OBJECT, None),
    (b"42", Reason.NOT_AN_OBJECT, None),
    (b"null", Reason.NOT_AN_OBJECT, None),
    (raw(body=BODY), Reason.MISSING_ID, None),
    (raw(id=None, body=BODY), Reason.MISSING_ID, None),
    (raw(id="mali-1"), Reason.MISSING_BODY, "mali-1"),
    (raw(id="mali-1", body=None), Reason.MISSING_BODY, "mali-1"),
    (raw(id=1017, body=BODY), Reason.WRONG_TYPE, None),
    (raw(id=["mali-1"], body=BODY), Reason.WRONG_TYPE, None),
    (raw(id="mali-1", body=["Gunmen", "attacked"]), Reason.WRONG_TYPE, "mali-1"),
    (raw(id="mali-1", body={"text": BODY}), Reason.WRONG_TYPE, "mali-1"),
    (raw(id="mali-1", body=BODY, title=7), Reason.WRONG_TYPE, "mali-1"),
    (raw(id="mali-1", body=BODY, source=True), Reason.WRONG_TYPE, "mali-1"),
    (raw(id="mali-1", body=BODY, published_at=1729590000), Reason.WRONG_TYPE, "mali-1"),
    (raw(id="mali-1", body=""), Reason.EMPTY_BODY, "mali-1"),
    (raw(id="mali-1", body=" \n\t\u3000 "), Reason.EMPTY_BODY, "mali-1"),
    (raw(id="mali-1", body=BODY, published_at="last Sunday"), Reason.INVALID_PUBLISHED_AT, "mali-1"),
    (raw(id="mali-1", body=BODY, published_at="2024-13-45"), Reason.INVALID_PUBLISHED_AT, "mali-1"),
    (raw(id="m" * 300, body=BODY), Reason.SCHEMA_VIOLATION, None),
    (raw(id="", body=BODY), Reason.SCHEMA_VIOLATION, None),
    (raw(id="mali\x01-1", body=BODY), Reason.SCHEMA_VIOLATION, "mali\x01-1"),
    (raw(id="mali-1", body=BODY, title="T" * 2001), Reason.SCHEMA_VIOLATION, "mali-1"),
    (raw(id="mali-1", body=BODY, language="x" * 36), Reason.SCHEMA_VIOLATION, "mali-1"),
], ids=lambda v: v.value if isinstance(v, Reason) else None)
def test_decode_rejects_with_reason_and_readable_id(value, reason, article_id):
    exc = rejected(value)
    assert exc.reason is reason
    assert exc.article_id == article_id
    assert exc.message and str(exc) == exc.message


def test_decode_too_large_is_checked_before_parsing():
    garbage = b"\xff" * (MAX_BODY * 6 + 64 * 1024 + 1)  # not UTF-8 either: size wins
    assert rejected(garbage).reason is Reason.TOO_LARGE


def test_decode_body_too_large_counts_utf8_bytes_not_characters():
    body = "\u0627\u0644\u0642\u062f\u0633 " * 120  # Arabic: 600 characters, 1,080 bytes
    assert len(body) < MAX_BODY < len(body.encode("utf-8"))
    exc = rejected(raw(id="quds-1", body=body))
    assert exc.reason is Reason.BODY_TOO_LARGE
    assert exc.article_id == "quds-1"
    assert str(len(body.encode("utf-8"))) in exc.message


def test_decode_body_exactly_at_the_byte_limit_is_accepted():
    body = "\u00e9" * (MAX_BODY // 2)  # 1,024 bytes
    assert decode_article(raw(id="a", body=body), max_body_bytes=MAX_BODY).body == body


def test_decode_schema_violation_message_names_the_field():
    exc = rejected(raw(id="mali-1", body=BODY, title="T" * 2001))
    assert "title" in exc.message


def test_decode_valid_article_round_trips():
    article = Article(id="sahel-2024-10-20-001", body=BODY, title="Gunmen kill 11 in central Mali village",
                      source="Wire", url="https://news.example/mali", published_at="2024-10-21T08:15:00+00:00",
                      language="en")
    assert decode_article(encode_article(article), max_body_bytes=MAX_BODY) == article


def test_decode_minimal_article_round_trips_without_nulls():
    article = Article(id="mali-1", body=BODY)
    encoded = encode_article(article)
    assert orjson.loads(encoded) == {"id": "mali-1", "body": BODY}
    assert decode_article(encoded, max_body_bytes=MAX_BODY) == article


@pytest.mark.parametrize("published_at", ["2024-10-21", "2024-10-21T08:15:00Z", "2024-10-21T11:15:00+03:00",
                                          "2024-10-21T08:15:00"])
def test_decode_accepts_iso_published_at(published_at):
    article = decode_article(raw(id="mali-1", body=BODY, published_at=published_at), max_body_bytes=MAX_BODY)
    assert article.published_at == published_at


def test_decode_unknown_fields_are_accepted_and_dropped():
    value = raw(id="mali-1", body=BODY, wire_code="AFR-221", priority=3, tags=["sahel", "mali"])
    article = decode_article(value, max_body_bytes=MAX_BODY)
    assert article == Article(id="mali-1", body=BODY)
    assert set(orjson.loads(encode_article(article))) == {"id", "body"}


def test_decode_empty_optional_fields_become_none():
    value = raw(id="mali-1", body=BODY, title="", source="", url="", published_at="", language="")
    article = decode_article(value, max_body_bytes=MAX_BODY)
    assert (article.title, article.source, article.url, article.published_at, article.language) == (None,) * 5


def test_decode_null_optional_fields_are_accepted():
    value = raw(id="mali-1", body=BODY, title=None, source=None, url=None, published_at=None, language=None)
    assert decode_article(value, max_body_bytes=MAX_BODY) == Article(id="mali-1", body=BODY)


def test_decode_keeps_body_exactly_as_received():
    body = "  MOPTI, Mali (AP) \u2014 Gunmen attacked.\r\n\r\nOfficials said 11 died.\u200b  "
    assert decode_article(raw(id="mali-1", body=body), max_body_bytes=MAX_BODY).body == body


# --- decode_raw: every accepted format ----------------------------------------

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "wire"


def wire(name):
    return (WIRE / name).read_bytes()


@pytest.mark.parametrize(("name", "kind", "version", "language"), [
    ("ninjs1-kharkiv-1.json", "ninjs", "1", "en"),
    ("ninjs2-sahel-1.json", "ninjs", "1", "en"),
    ("newsml-khan-younis-1.xml", "newsml-g2", "1", "en"),
    ("ninjs2-undeclared-es.json", "ninjs", "1", "es"),  # identified: the item declares none
])
def test_decode_raw_converts_wire_formats(name, kind, version, language):
    article = decode_raw(wire(name), max_body_bytes=64 * 1024)
    assert isinstance(article, WireArticle)
    assert (article.format, article.version, article.language) == (kind, version, language)


def test_decode_raw_wire_article_round_trips_through_accepted():
    article = decode_raw(wire("newsml-khan-younis-1.xml"), max_body_bytes=64 * 1024)
    assert decode_article(encode_article(article), max_body_bytes=64 * 1024) == article


def test_decode_raw_our_json_is_decoded_as_before_with_language_identified():
    value = raw(id="mali-1", body=BODY * 2)
    assert decode_raw(value, max_body_bytes=MAX_BODY) == Article(id="mali-1", body=BODY * 2, language="en")


def test_decode_raw_header_declares_the_format():
    value = raw(id="provider-id-7", uri="urn:x:7", body_text="Shelling hit the town.")
    assert rejected_raw(value).reason is Reason.MISSING_BODY  # sniffed: our JSON with an id and no body
    article = decode_raw(value, {"content-type": b"application/ninjs+json"}, max_body_bytes=MAX_BODY)
    assert (article.id, article.body, article.format) == ("urn:x:7", "Shelling hit the town.", "ninjs")


@pytest.mark.parametrize(("value", "reason", "article_id"), [
    (wire("hostile-billion-laughs.xml"), Reason.XML_ENTITIES, None),
    (wire("hostile-external-entity.xml"), Reason.XML_EXTERNAL_REFERENCE, None),
    (wire("hostile-malformed.xml"), Reason.XML_MALFORMED, None),
    (b"<" + b" " * (MAX_BODY * 6 + 64 * 1024), Reason.TOO_LARGE, None),  # size first, for markup too
    (raw(uri="u-1", body_html="<p>" + "x" * (MAX_BODY + 1) + "</p>"), Reason.BODY_TOO_LARGE, "u-1"),
    (raw(uri="u-1", body_text=" \n "), Reason.EMPTY_BODY, "u-1"),
    (raw(uri="u-1", body_text="x", versioncreated="Tuesday"), Reason.INVALID_PUBLISHED_AT, "u-1"),
    (raw(uri="u-1", body_text="x", pubstatus="draft"), Reason.SCHEMA_VIOLATION, "u-1"),
    (raw(id="a-1", body="x", format="pdf"), Reason.SCHEMA_VIOLATION, "a-1"),
    (raw(id="a-1", body="x", version=3), Reason.WRONG_TYPE, "a-1"),
    (None, Reason.NOT_JSON, None),
])
def test_decode_raw_rejects_with_reason(value, reason, article_id):
    exc = rejected_raw(value)
    assert (exc.reason, exc.article_id) == (reason, article_id)


def rejected_raw(value):
    with pytest.raises(Rejected) as info:
        decode_raw(value, max_body_bytes=MAX_BODY)
    return info.value
