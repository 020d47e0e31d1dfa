"""Tests for stream.ingest.formats.newsml: NewsML-G2 newsItems, and hostile XML rejected unexpanded."""
import time
from pathlib import Path

import pytest

from stream.ingest.formats.newsml import newsml_fields, parse_xml
from stream.ingest.reasons import Reason, Rejected

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "wire"
NAR = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


def item(inner: str, attributes: str = 'guid="g-1" version="2"') -> bytes:
    return f'<?xml version="1.0"?><newsItem {NAR} {attributes}>{inner}</newsItem>'.encode()


def rejected(raw: bytes) -> Rejected:
    with pytest.raises(Rejected) as info:
        newsml_fields(raw)
    return info.value


def test_formats_newsml_maps_every_field():
    fields = newsml_fields((WIRE / "newsml-khan-younis-1.xml").read_bytes())
    assert {k: v for k, v in fields.items() if k != "body"} == {
        "id": "tag:agency.example.com,2026:newsml_L8N3KY1022", "version": "1", "format": "newsml-g2",
        "title": "Israeli strike kills 12 in Khan Younis, medics say", "published_at": "2026-10-22T15:30:00Z",
        "language": "en", "located": "Khan Younis", "byline": "Reporting by Nidal Example; Writing by Sara Example",
        "source": "Example Agency", "provider": "nprov:EXAGENCY", "pubstatus": "usable",
    }


def test_formats_newsml_xhtml_body_gets_the_dateline_and_loses_script_and_media():
    body = newsml_fields((WIRE / "newsml-khan-younis-1.xml").read_bytes())["body"]
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == ("KHAN YOUNIS, Gaza Strip, Oct 22 (Example Agency) - An Israeli airstrike on a house in "
                             "Khan Younis killed 12 people, including five children, on Tuesday, Palestinian "
                             "medics said.")
    assert paragraphs[1].endswith("a Hamas command post & was looking into the reports of civilian casualties.")
    assert paragraphs[2] == "Relatives gathered at Nasser Hospital, where the bodies were taken, witnesses said."
    assert paragraphs[3].startswith("Gaza\u2019s health ministry")
    assert len(paragraphs) == 4 and "window.ads" not in body and "Israeli strike kills 12" not in body


def test_formats_newsml_body_that_has_a_dateline_keeps_it_once():
    raw = item('<contentMeta><dateline>KYIV, March 3</dateline></contentMeta><contentSet>'
               '<inlineData contenttype="text/plain">KYIV, March 3 (EW) - Shelling hit the city.</inlineData>'
               '</contentSet>')
    assert newsml_fields(raw)["body"] == "KYIV, March 3 (EW) - Shelling hit the city."


def test_formats_newsml_canceled_item_is_withdrawn_with_a_notice():
    fields = newsml_fields((WIRE / "newsml-khan-younis-2-canceled.xml").read_bytes())
    assert (fields["pubstatus"], fields["version"]) == ("canceled", "2")
    assert fields["body"] == "Canceled: WITHDRAWN-Israeli strike kills 12 in Khan Younis, medics say"


@pytest.mark.parametrize(("meta", "expected"), [
    ('<itemMeta><versionCreated>2026-01-02T03:04:05Z</versionCreated>'
     '<firstCreated>2026-01-01T00:00:00Z</firstCreated></itemMeta>', "2026-01-02T03:04:05Z"),
    ('<itemMeta><firstCreated>2026-01-01T00:00:00Z</firstCreated></itemMeta>', "2026-01-01T00:00:00Z"),
    ("", None),
])
def test_formats_newsml_published_at_is_version_created_else_first_created(meta, expected):
    raw = item(meta + '<contentSet><inlineData contenttype="text/plain">Text.</inlineData></contentSet>')
    assert newsml_fields(raw)["published_at"] == expected


def test_formats_newsml_language_falls_back_to_xml_lang():
    raw = item('<contentSet><inlineData contenttype="text/plain">Texte.</inlineData></contentSet>',
               'guid="g-1" xml:lang="fr"')
    assert newsml_fields(raw)["language"] == "fr"


@pytest.mark.parametrize(("raw", "reason", "article_id"), [
    ((WIRE / "hostile-billion-laughs.xml").read_bytes(), Reason.XML_ENTITIES, None),
    ((WIRE / "hostile-external-entity.xml").read_bytes(), Reason.XML_EXTERNAL_REFERENCE, None),
    ((WIRE / "hostile-malformed.xml").read_bytes(), Reason.XML_MALFORMED, None),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "http://127.0.0.1:9/x">]><x>&ext;</x>',
     Reason.XML_EXTERNAL_REFERENCE, None),
    (b'<?xml version="1.0" encoding="utf-32"?><newsItem/>', Reason.XML_MALFORMED, None),
    (b'<?xml version="1.0" encoding="no-such-charset"?><newsItem/>', Reason.XML_MALFORMED, None),
    (b"<rss version='2.0'><channel/></rss>", Reason.UNSUPPORTED_FORMAT, None),
    (f"<newsMessage {NAR}/>".encode(), Reason.UNSUPPORTED_FORMAT, None),
    (item("", 'version="1"'), Reason.MISSING_ID, None),
    (item("<contentMeta><headline>Only a headline</headline></contentMeta>"), Reason.MISSING_BODY, "g-1"),
])
def test_formats_newsml_rejects_with_reason(raw, reason, article_id):
    exc = rejected(raw)
    assert (exc.reason, exc.article_id) == (reason, article_id)


def test_formats_newsml_billion_laughs_is_refused_before_any_expansion():
    started = time.perf_counter()
    exc = rejected((WIRE / "hostile-billion-laughs.xml").read_bytes())
    assert time.perf_counter() - started < 0.5  # a billion "lol"s would take gigabytes and minutes
    assert "'lol'" in exc.message and "lol" * 10 not in exc.message


def test_formats_newsml_external_entity_is_not_read():
    exc = rejected((WIRE / "hostile-external-entity.xml").read_bytes())
    assert "file:///etc/passwd" in exc.message and "root:" not in exc.message


def test_formats_newsml_parse_accepts_an_external_dtd_without_fetching_it():
    doctype = b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:9/rss.dtd">'
    assert parse_xml(b'<?xml version="1.0"?>' + doctype + b"<rss/>").tag == "rss"
