"""Tests for stream.ingest.formats.detect: the format of a message, declared or sniffed."""
import pytest

from stream.ingest.formats.detect import Format, content_type, detect_format


@pytest.mark.parametrize(("raw", "declared", "expected"), [
    (b'{"id": "a", "body": "b"}', None, Format.ARTICLE),
    (b'{"uri": "u", "body_text": "b"}', None, Format.NINJS),
    (b'{"headlines": [{"value": "h"}], "bodies": []}', None, Format.NINJS),
    (b'{"standard": {"name": "ninjs"}, "id": "provider-own-id", "uri": "u"}', None, Format.NINJS),
    (b'{"id": "a", "uri": "u", "body_text": "b"}', None, Format.ARTICLE),  # our id wins unless declared
    (b'{"id": "a", "uri": "u", "body_text": "b"}', "application/ninjs+json", Format.NINJS),
    (b'{"body": "no id at all"}', None, Format.ARTICLE),
    (b"  \n<?xml version='1.0'?><newsItem/>", None, Format.NEWSML),
    (b"\xef\xbb\xbf<newsItem/>", None, Format.NEWSML),
    (b"<newsItem/>", "application/vnd.iptc.g2.newsitem+xml", Format.NEWSML),
    (b'{"id": "a", "body": "b"}', "text/plain", Format.ARTICLE),  # a type we do not know: the payload decides
    (b"{not json", None, Format.ARTICLE),
    (b"[1, 2]", None, Format.ARTICLE),
    (b"", None, Format.ARTICLE),
])
def test_formats_detect_format(raw, declared, expected):
    assert detect_format(raw, declared) is expected


@pytest.mark.parametrize(("headers", "expected"), [
    ({"content-type": b"application/ninjs+json"}, "application/ninjs+json"),
    ([("Content-Type", b"Application/XML; charset=utf-8")], "application/xml"),
    ({"x-trace": b"1"}, None),
    ([], None),
    (None, None),
])
def test_formats_detect_content_type_from_faust_or_aiokafka_headers(headers, expected):
    assert content_type(headers) == expected
