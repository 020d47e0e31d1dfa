"""IPTC NewsML-G2 ``newsItem`` (XML) to our article object.

The dateline is put in front of a body that does not start with one, as wire copy prints it.
The XML is parsed by defusedxml: a document that declares entities ("billion laughs") or refers
to an external entity is rejected when the declaration is read, before anything is expanded
or fetched; the parser never touches the network.

| ours | NewsML-G2 |
|---|---|
| id, version | newsItem@guid, newsItem@version |
| title | contentMeta/headline (the first without a role, or role main) |
| body | contentSet: inlineXML XHTML body as text, else inlineData text; the contentMeta dateline in front |
| published_at | itemMeta/versionCreated, else itemMeta/firstCreated |
| language | contentMeta/language@tag, else newsItem@xml:lang |
| located | contentMeta/located name (or @literal) |
| byline | contentMeta/by |
| source, provider | itemMeta/provider name (or @literal), and its @qcode (or @literal) |
| pubstatus | itemMeta/pubStatus@qcode (stat:usable, stat:withheld, stat:canceled) |
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import EntitiesForbidden, ExternalReferenceForbidden

from stream.analysis.cleaning import dateline_place
from stream.ingest.formats.html import html_to_text
from stream.ingest.reasons import Reason, Rejected
from stream.ingest.wire import notice_text, status_of

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse_xml(raw: bytes) -> Element:
    """The document's root element; Rejected with the reason for hostile or broken XML."""
    try:
        return SafeElementTree.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise Rejected(Reason.XML_EXTERNAL_REFERENCE, f"the XML declares the external entity {exc.name!r} "
                                                          f"({exc.sysid or exc.pubid}); it was not fetched") from None
        raise Rejected(Reason.XML_ENTITIES, f"the XML declares the entity {exc.name!r}; entity declarations are "
                                            "refused, nothing was expanded") from None
    except ExternalReferenceForbidden as exc:
        raise Rejected(Reason.XML_EXTERNAL_REFERENCE, f"the XML refers to an external resource "
                                                      f"({exc.sysid or exc.pubid}); it was not fetched") from None
    except ParseError as exc:
        raise Rejected(Reason.XML_MALFORMED, f"the message is not well-formed XML: {exc}") from None
    except (ValueError, LookupError) as exc:  # an encoding expat cannot read ("utf-32", unknown names)
        raise Rejected(Reason.XML_MALFORMED, f"the XML cannot be read: {exc}") from None


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _named(element: Element | None) -> str | None:
    """The name of a concept (``<name>`` child, else its literal)."""
    if element is None:
        return None
    return _text(element.find(f"{NAR}name")) or element.get("literal")


def _headline(meta: Element | None) -> str | None:
    if meta is None:
        return None
    headlines = meta.findall(f"{NAR}headline")
    main = next((h for h in headlines if h.get("role") in (None, "hlrole:main", "main")), None)
    return _text(main if main is not None else (headlines[0] if headlines else None))


def _body(item: Element) -> str | None:
    content_set = item.find(f"{NAR}contentSet")
    if content_set is None:
        return None
    for content in content_set:
        kind = (content.get("contenttype") or "").lower()
        if content.tag == f"{NAR}inlineXML" and "html" in kind:
            for element in content.iter():  # XHTML tags without their namespace, as HTML names them
                element.tag = element.tag.rpartition("}")[2]
            return html_to_text("".join(tostring(child, encoding="unicode") for child in content))
        if content.tag == f"{NAR}inlineData" and kind.startswith("text/"):
            text = "".join(content.itertext())
            return html_to_text(text) if "html" in kind else text
    return None


def _with_dateline(body: str, dateline: str | None) -> str:
    """Wire copy prints the dateline before the story; add it when the body does not already start with one."""
    if not dateline or dateline_place(body.lstrip()) is not None:
        return body
    return f"{dateline.rstrip(' -')} - {body.lstrip()}"


def newsml_fields(raw: bytes) -> dict:
    """Our article object (to validate like any other) for a NewsML-G2 newsItem; Rejected when unusable."""
    item = parse_xml(raw)
    if item.tag != f"{NAR}newsItem":
        name = item.tag.rpartition("}")[2]
        hint = " (send each newsItem of a newsMessage as its own message)" if name == "newsMessage" else ""
        raise Rejected(Reason.UNSUPPORTED_FORMAT, f"XML, but not a NewsML-G2 newsItem: the root element is "
                                                  f"<{name}>{hint}")
    guid = item.get("guid")
    if not guid:
        raise Rejected(Reason.MISSING_ID, "the newsItem has no guid; it needs a stable id")
    item_meta = item.find(f"{NAR}itemMeta")
    content_meta = item.find(f"{NAR}contentMeta")
    meta = item_meta if item_meta is not None else Element("itemMeta")
    content = content_meta if content_meta is not None else Element("contentMeta")
    provider = meta.find(f"{NAR}provider")
    status_element = meta.find(f"{NAR}pubStatus")
    status = status_of(status_element.get("qcode") if status_element is not None else None)
    language = content.find(f"{NAR}language")
    headline = _headline(content)
    body = _body(item)
    if body is None and status != "usable":
        body = notice_text(status, headline)
    if body is None:
        raise Rejected(Reason.MISSING_BODY, "the newsItem has no text content (inlineXML XHTML or inlineData "
                                            "text in its contentSet)", guid)
    return {
        "id": guid,
        "body": _with_dateline(body, _text(content.find(f"{NAR}dateline"))),
        "title": headline,
        "source": _named(provider),
        "published_at": _text(meta.find(f"{NAR}versionCreated")) or _text(meta.find(f"{NAR}firstCreated")),
        "language": (language.get("tag") if language is not None else None) or item.get(XML_LANG),
        "format": "newsml-g2",
        "provider": (provider.get("qcode") or provider.get("literal")) if provider is not None else None,
        "version": item.get("version"),
        "located": _named(content.find(f"{NAR}located")),
        "byline": _text(content.find(f"{NAR}by")),
        "pubstatus": status,
    }
