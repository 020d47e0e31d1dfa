"""Property tests (hypothesis) of everything that parses bytes or strings from outside, with large example
counts: each input is accepted as something sane or rejected with a reason, and never crashes the parser.

Rejected messages must make a valid dead letter that carries their exact bytes.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stream.analysis.article import Article
from stream.analysis.dates import parse_published_at
from stream.analysis.quantities import PLAUSIBLE_MAX, parse_count
from stream.deadletter import Unreadable, parse_dead_letter
from stream.ingest import decode as decode_module
from stream.ingest.decode import decode_article, decode_raw, encode_article
from stream.ingest.files import InputError, read_items
from stream.ingest.reasons import Reason, Rejected
from stream.publish import dead_letter
from tests.fuzz.hostile import article_objects, bodies, far_dates, fuzz, json_values, raw_messages

pytestmark = pytest.mark.slow

MAX_BODY = 2048  # small, so generated bodies reach the limit
MAX_MESSAGE = 1024 * 1024
SOURCE = {"topic": "articles.raw", "partition": 0, "offset": 7, "timestamp": 1729600000.0}
# bodies around the limit, counted in UTF-8 bytes: one-byte and two-byte characters
near_limit = st.tuples(st.sampled_from("aé\u200b"), st.integers(MAX_BODY // 3, MAX_BODY + 8)).map(lambda t: t[0] * t[1])


def decode_raw_bytes(raw: bytes) -> Article:
    return decode_raw(raw, None, max_body_bytes=MAX_BODY)


def decode_article_bytes(raw: bytes) -> Article:
    return decode_article(raw, max_body_bytes=MAX_BODY)


def accepted_or_dead_lettered(decode, raw: bytes) -> Article | Rejected:
    """The decoder's answer, checked: a sane article, or a reason and a dead letter with the exact bytes."""
    try:
        article = decode(raw)
    except Rejected as rejected:
        assert isinstance(rejected.reason, Reason) and rejected.message
        letter = dead_letter(rejected, raw=raw, key=b"k", source=SOURCE, stage="ingest",
                             extractor_version="1.0.0+fuzz", max_message_bytes=MAX_MESSAGE).value  # validated
        assert letter["reason"] == rejected.reason.value
        assert base64.b64decode(letter["original"]["value_base64"]) == raw
        assert letter["original"]["sha256"] == hashlib.sha256(raw).hexdigest()
        return rejected
    assert 0 < len(article.id) <= 256 and not any(ord(c) < 0x20 for c in article.id)
    assert article.body.strip() and len(article.body.encode()) <= MAX_BODY
    if article.published_at:
        article.published_date  # noqa: B018 (must not raise)
    # what travels on articles.accepted decodes to the same article
    assert decode_article(encode_article(article), max_body_bytes=MAX_BODY).as_dict() == article.as_dict()
    return article


@fuzz(1500)
@given(raw_messages)
def test_fuzz_decode_raw_accepts_or_dead_letters_any_bytes(raw):
    accepted_or_dead_lettered(decode_raw_bytes, raw)


@fuzz(600)
@given(raw_messages)
def test_fuzz_decode_article_accepts_or_dead_letters_any_bytes(raw):
    accepted_or_dead_lettered(decode_article_bytes, raw)


@fuzz(800)
@given(article_objects(), near_limit)
def test_fuzz_decode_article_objects_with_wrong_types_and_bodies_at_the_limit(obj, long_body):
    if obj.get("body") == "":
        obj["body"] = long_body
    result = accepted_or_dead_lettered(decode_raw_bytes, orjson.dumps(obj))
    if isinstance(result, Article):
        assert result.id == obj["id"] and result.body == obj["body"]


@pytest.mark.parametrize("payload", [b"\xff" * 10, b"[" * 10, b"<x>" * 4, b'{"id": "a", "body": "b"}'])
def test_fuzz_decode_size_limit_comes_before_any_parsing(payload, monkeypatch):
    """A message too large to hold a valid article is rejected on its length alone: nothing parses it."""
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a message that was over the size limit")

    for name in ("json_object", "detect_format", "newsml_fields", "article_from_object"):
        monkeypatch.setattr(decode_module, name, no_parsing)
    limit = MAX_BODY * 6 + 64 * 1024
    raw = payload * (limit // len(payload) + 1)
    for decode in (decode_raw_bytes, decode_article_bytes):
        with pytest.raises(Rejected) as caught:
            decode(raw)
        assert caught.value.reason is Reason.TOO_LARGE


@fuzz(300)
@given(st.binary(max_size=300) | raw_messages, st.sampled_from([".json", ".jsonl", ".txt", ".xml", ".html"]))
def test_fuzz_files_read_any_file_as_articles_or_refuse_it(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            items = list(read_items(str(path)))
        except InputError as exc:
            assert str(exc).startswith(str(path))  # says which file, and why
            return
    for item in items:
        assert isinstance(item.value, bytes) and (item.key is None or isinstance(item.key, bytes))


@fuzz(400)
@given(raw_messages | json_values.map(orjson.dumps))
def test_fuzz_deadletter_parse_reads_a_dead_letter_or_says_why_not(raw):
    try:
        letter = parse_dead_letter(raw, 0, 1)
    except Unreadable as exc:
        assert str(exc)
        return
    assert letter.reason and letter.time.tzinfo is not None


@fuzz(300)
@given(st.binary(max_size=2000), st.sampled_from(list(Reason)), st.none() | st.text(max_size=30))
def test_fuzz_deadletter_parse_gives_back_the_bytes_of_any_dead_letter(raw, reason, article_id):
    published = dead_letter(Rejected(reason, "why", article_id), raw=raw, key=None, source=SOURCE, stage="ingest",
                            extractor_version="1.0.0+fuzz", max_message_bytes=MAX_MESSAGE).value
    letter = parse_dead_letter(orjson.dumps(published), 3, 4)
    assert (letter.copy, letter.key, letter.reason, letter.article_id, letter.ref) == (raw, None, reason.value,
                                                                                       article_id, "3:4")


@fuzz(600)
@given(far_dates | st.text(max_size=40))
def test_fuzz_published_at_parses_to_an_aware_time_or_value_error(text):
    try:
        parsed = parse_published_at(text)
    except ValueError as exc:
        assert str(exc)
        return
    assert parsed.tzinfo is not None


@fuzz(1000)
@given(bodies(max_pieces=3) | st.integers(min_value=0, max_value=10**18).map(lambda n: f"{n:,}"))
def test_fuzz_parse_count_reads_or_declines_and_flags_absurd_figures(text):
    count = parse_count(text)
    if count is not None:
        assert count.min <= count.best and (count.max is None or count.best <= count.max)
        assert count.implausible == (count.best > PLAUSIBLE_MAX)
