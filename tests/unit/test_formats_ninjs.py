"""Tests for stream.ingest.formats.ninjs: ninjs 1.x and 2.x items to our article object."""
from pathlib import Path

import orjson
import pytest

from stream.ingest.formats.ninjs import ninjs_fields
from stream.ingest.reasons import Reason, Rejected

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "wire"


def fixture(name: str) -> dict:
    return orjson.loads((WIRE / name).read_bytes())


def test_formats_ninjs_1x_maps_every_field():
    fields = ninjs_fields(fixture("ninjs1-kharkiv-1.json"))
    assert {k: v for k, v in fields.items() if k != "body"} == {
        "id": "urn:example-wire:2026:kharkiv-drones-0311", "version": "1", "format": "ninjs",
        "title": "Russian drones hit Kharkiv apartment blocks, four dead",
        "published_at": "2026-03-11T06:40:00Z", "language": "en", "located": "Kharkiv, Ukraine",
        "byline": "By Olena Marchuk", "source": "Example Wire", "provider": "https://wire.example.org/",
        "pubstatus": "usable",
    }


def test_formats_ninjs_1x_body_html_becomes_paragraphs_without_script_or_media():
    body = ninjs_fields(fixture("ninjs1-kharkiv-1.json"))["body"]
    assert body.startswith("KHARKIV, Ukraine (EW) \u2014 Russian drones struck two apartment blocks in Kharkiv "
                           "overnight, killing four people")
    assert "\u201cThe toll may rise,\u201d" in body and "Ukraine\u2019s air force" in body and " & two missiles" in body
    assert "trackPageView" not in body and "media.example.org" not in body
    assert body.count("\n\n") == 3  # four paragraphs, the caption one of them


def test_formats_ninjs_2x_headlines_and_bodies_take_the_main_role():
    fields = ninjs_fields(fixture("ninjs2-sahel-1.json"))
    assert fields["title"] == "Gunmen kill 11 villagers in central Mali"
    assert fields["body"].startswith("BAMAKO, May 4 (Example Net) - Gunmen on motorbikes attacked a village in "
                                     "central Mali's Mopti region")
    assert "display:none" not in fields["body"] and "Gunmen attacked a village in central Mali." not in fields["body"]
    assert (fields["byline"], fields["located"], fields["source"], fields["provider"]) == (
        "Amadou Diallo", "Bamako", "Example Net", "http://wire.example.net/")


@pytest.mark.parametrize(("bodies", "expected"), [
    ([{"value": "Plain text only."}], "Plain text only."),
    ([{"contenttype": "text/html", "value": "<p>One</p><p>Two</p>"}], "One\n\nTwo"),
    ([{"contenttype": "text/html", "value": "<p>Marked up</p>"}, {"contenttype": "text/plain", "value": "Plain"}],
     "Plain"),  # the same body in plain text is taken as the desk wrote it
    ([{"role": "summary", "value": "Short"}, {"role": "main", "value": "The story"}], "The story"),
])
def test_formats_ninjs_2x_body_choice(bodies, expected):
    assert ninjs_fields({"uri": "u-1", "bodies": bodies})["body"] == expected


def test_formats_ninjs_1x_prefers_body_text_over_body_html():
    fields = ninjs_fields({"uri": "u-1", "body_text": "Text version.", "body_html": "<p>HTML version.</p>"})
    assert fields["body"] == "Text version."


@pytest.mark.parametrize("status", ["canceled", "withheld", "CANCELLED"])
def test_formats_ninjs_withdrawn_item_without_body_gets_a_notice(status):
    fields = ninjs_fields({"uri": "u-1", "version": "3", "pubstatus": status, "headline": "Blast in market"})
    assert fields["pubstatus"] in ("canceled", "withheld")
    assert fields["body"] == f"{fields['pubstatus'].capitalize()}: Blast in market"


def test_formats_ninjs_numeric_version_becomes_a_string():
    assert ninjs_fields({"uri": "u-1", "version": 4, "body_text": "x"})["version"] == "4"


@pytest.mark.parametrize(("item", "reason", "article_id"), [
    ({"headline": "No id", "body_text": "Text."}, Reason.MISSING_ID, None),
    ({"uri": 17, "body_text": "Text."}, Reason.WRONG_TYPE, None),
    ({"uri": "u-1", "type": "picture", "headline": "A photo"}, Reason.MISSING_BODY, "u-1"),
    ({"uri": "u-1", "body_text": ["not", "text"]}, Reason.WRONG_TYPE, "u-1"),
    ({"uri": "u-1", "bodies": {"value": "not an array"}}, Reason.WRONG_TYPE, "u-1"),
    ({"uri": "u-1", "body_text": "x", "headline": 5}, Reason.WRONG_TYPE, "u-1"),
])
def test_formats_ninjs_rejects_with_reason(item, reason, article_id):
    with pytest.raises(Rejected) as info:
        ninjs_fields(item)
    assert (info.value.reason, info.value.article_id) == (reason, article_id)
    assert "ninjs" in info.value.message
