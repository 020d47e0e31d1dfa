"""IPTC ninjs (News in JSON) 1.x and 2.x to our article object.

| ours | ninjs 1.x | ninjs 2.x |
|---|---|---|
| id | uri (or guid) | uri (or guid) |
| version | version | version |
| title | headline | headlines[] (role main, else the first) |
| body | body_text, else body_html as text | bodies[] (role main, else the first): text/plain, else HTML as text |
| published_at | versioncreated, else firstcreated | same |
| language | language | language |
| located, byline | located, byline | located, by |
| source | infosource name, else copyrightholder | infosources[0].name, else copyrightholder |
| provider | infosource uri or literal | infosources[0].uri or literal |
| pubstatus | pubstatus | pubstatus |
"""

from __future__ import annotations

from stream.ingest.formats.html import html_to_text
from stream.ingest.reasons import Reason, Rejected
from stream.ingest.wire import notice_text, status_of


def _text(obj: dict, name: str, item_id: str | None) -> str | None:
    value = obj.get(name)
    if value is None or isinstance(value, str):
        return value or None
    if name == "version" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # the standard says string; some senders write a number
    raise Rejected(Reason.WRONG_TYPE, f"ninjs '{name}' must be a string, got {type(value).__name__}", item_id)


def _entries(obj: dict, name: str, item_id: str | None, *, one_allowed: bool = False) -> list[dict]:
    value = obj.get(name)
    if value is None:
        return []
    if one_allowed and isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Rejected(Reason.WRONG_TYPE, f"ninjs '{name}' must be an array of objects", item_id)
    return value


def _main(entries: list[dict]) -> dict | None:
    return next((e for e in entries if e.get("role") in (None, "main")), entries[0] if entries else None)


def _as_text(entry: dict | None) -> str | None:
    """The entry's value as plain text (HTML converted)."""
    if entry is None or not isinstance(entry.get("value"), str):
        return None
    contenttype = str(entry.get("contenttype") or "text/plain").lower()
    return html_to_text(entry["value"]) if "html" in contenttype else entry["value"]


def _body_2x(bodies: list[dict]) -> str | None:
    main = [b for b in bodies if b.get("role") in (None, "main")] or bodies
    plain = next((b for b in main if "html" not in str(b.get("contenttype") or "text/plain").lower()), None)
    return _as_text(plain or (main[0] if main else None))


def _body(obj: dict, item_id: str | None) -> str | None:
    text = _text(obj, "body_text", item_id)
    if text is not None:
        return text
    markup = _text(obj, "body_html", item_id)
    if markup is not None:
        return html_to_text(markup)
    return _body_2x(_entries(obj, "bodies", item_id))


def ninjs_fields(obj: dict) -> dict:
    """Our article object (to validate like any other) for a ninjs item; Rejected when unusable."""
    guid = obj.get("uri") if obj.get("uri") is not None else obj.get("guid")
    item_id = guid if isinstance(guid, str) and 0 < len(guid) <= 256 else None
    if guid is None:
        raise Rejected(Reason.MISSING_ID, "the ninjs item has no 'uri' (nor 'guid'); it needs a stable id")
    if not isinstance(guid, str):
        raise Rejected(Reason.WRONG_TYPE, f"ninjs 'uri' must be a string, got {type(guid).__name__}")
    headline = _text(obj, "headline", item_id) or _as_text(_main(_entries(obj, "headlines", item_id)))
    status = status_of(_text(obj, "pubstatus", item_id))
    body = _body(obj, item_id)
    if body is None and status != "usable":
        body = notice_text(status, headline)
    if body is None:
        raise Rejected(Reason.MISSING_BODY, f"the ninjs item (type {obj.get('type') or 'unknown'}) has no body_text, "
                                            "body_html or bodies", item_id)
    source = _entries(obj, "infosources", item_id) or _entries(obj, "infosource", item_id, one_allowed=True)
    first_source = source[0] if source else {}
    return {
        "id": guid,
        "body": body,
        "title": headline,
        "source": first_source.get("name") or _text(obj, "copyrightholder", item_id),
        "published_at": _text(obj, "versioncreated", item_id) or _text(obj, "firstcreated", item_id),
        "language": _text(obj, "language", item_id),
        "format": "ninjs",
        "provider": first_source.get("uri") or first_source.get("literal"),
        "version": _text(obj, "version", item_id),
        "located": _text(obj, "located", item_id),
        "byline": _text(obj, "byline", item_id) or _text(obj, "by", item_id),
        "pubstatus": status,
    }
