"""Articles from files, directories or stdin, for ``stream produce`` and ``stream extract``.

* ``.txt``: the first line is the title, the rest the body; the id is the file name
  without extension; ``published_at`` comes from ``--published-at``.
* ``.json``: one article object, or an array of them (ours or ninjs).
* ``.jsonl``: one article object per line (ours or ninjs).
* ``.xml``: one NewsML-G2 newsItem.
* ``.html``, ``.htm``: a web page; its story (trafilatura) becomes the body, the id is the
  file name, ``published_at`` the page's date unless ``--published-at`` is given.
* ``-``: standard input, read as JSON, JSON lines, XML, or else plain text.

JSON and XML items are passed on as their original bytes (the worker converts them), so
broken input reaches the dead-letter topic exactly as it was written.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import orjson

from stream.ingest.formats.detect import is_ninjs
from stream.ingest.formats.html import page_text
from stream.ingest.formats.newsml import parse_xml
from stream.ingest.reasons import Rejected

SUFFIXES = (".txt", ".json", ".jsonl", ".xml", ".html", ".htm")


class InputError(ValueError):
    """A path that cannot be read as articles."""


@dataclass(frozen=True)
class RawItem:
    origin: str  # "path" or "path:line", for messages
    value: bytes
    key: bytes | None


def _key_of(value: bytes) -> bytes | None:
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    ident = obj.get("id") if "id" in obj or not is_ninjs(obj) else obj.get("uri") or obj.get("guid")
    return ident.encode() if isinstance(ident, str) and ident else None


def _xml_item(origin: str, value: bytes) -> RawItem:
    """A NewsML-G2 item, keyed by its guid when it parses (the worker rejects it with a reason when not)."""
    try:
        guid = parse_xml(value).get("guid")
    except Rejected:
        guid = None
    return RawItem(origin, value, guid.encode() if guid else None)


def _html_item(path: Path, data: bytes, published_at: str | None) -> RawItem:
    page = page_text(data)
    if not page.text:
        raise InputError(f"{path}: no article text found in the page")
    obj = {"id": path.stem, "title": page.title, "body": page.text, "source": page.site,
           "published_at": published_at or page.published, "language": page.language, "format": "html"}
    return RawItem(str(path), orjson.dumps({k: v for k, v in obj.items() if v is not None}), path.stem.encode())


def _json_item(origin: str, value: bytes) -> RawItem:
    return RawItem(origin, value, _key_of(value))


def text_article(text: str, article_id: str, published_at: str | None, source: str | None) -> RawItem:
    title, _, body = text.partition("\n")
    obj = {"id": article_id, "title": title.strip() or None, "body": body.strip("\n"), "source": source}
    if published_at:
        obj["published_at"] = published_at
    return RawItem(article_id, orjson.dumps(obj), article_id.encode())


def _items_from_json_text(origin: str, data: bytes) -> Iterator[RawItem]:
    """A JSON document (object or array of objects), else JSON lines."""
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        parsed = None
    if isinstance(parsed, list):
        for i, item in enumerate(parsed, 1):
            try:
                value = orjson.dumps(item)
            except orjson.JSONEncodeError as exc:  # nested deeper than any encoder goes
                raise InputError(f"{origin}[{i}]: cannot be sent as it is ({exc}); no article nests like that") from None
            yield _json_item(f"{origin}[{i}]", value)
        return
    if parsed is not None:
        yield _json_item(origin, data.strip())
        return
    for number, line in enumerate(data.splitlines(), 1):
        if line.strip():
            yield _json_item(f"{origin}:{number}", line.strip())


def _file_items(path: Path, published_at: str | None) -> Iterator[RawItem]:
    data = path.read_bytes()
    if path.suffix == ".txt":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
        yield text_article(text, path.stem, published_at, source=None)
    elif path.suffix == ".jsonl":
        for number, line in enumerate(data.splitlines(), 1):
            if line.strip():
                yield _json_item(f"{path}:{number}", line.strip())
    elif path.suffix == ".xml":
        yield _xml_item(str(path), data)
    elif path.suffix in (".html", ".htm"):
        yield _html_item(path, data, published_at)
    else:
        yield from _items_from_json_text(str(path), data)


def _looks_like_json(data: bytes) -> bool:
    """A JSON document, or JSON lines whose first line parses ("[Updated] Drones hit..." is text)."""
    first = next((line for line in data.splitlines() if line.strip()), b"")
    for candidate in (data, first):
        try:
            orjson.loads(candidate)
            return True
        except orjson.JSONDecodeError:
            pass
    return False


def _stdin_items(published_at: str | None) -> Iterator[RawItem]:
    data = sys.stdin.buffer.read()
    if data.lstrip().startswith(b"<"):
        yield _xml_item("<stdin>", data)
    elif _looks_like_json(data):
        yield from _items_from_json_text("<stdin>", data)
    elif data.strip():
        ident = "stdin-" + hashlib.sha256(data).hexdigest()[:16]
        yield text_article(data.decode("utf-8", errors="replace"), ident, published_at, source=None)


def list_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    if not target.exists():
        raise InputError(f"{target}: no such file or directory")
    if target.suffix not in SUFFIXES:
        raise InputError(f"{target}: unknown kind of file; use .txt (title line, then body), .json or .jsonl "
                         "(ours or ninjs), .xml (NewsML-G2) or .html (a web page)")
    return [target]


def read_items(target: str, *, published_at: str | None = None) -> Iterator[RawItem]:
    """Every article in ``target`` (a file, a directory, or ``-`` for stdin), in a stable order."""
    if target == "-":
        yield from _stdin_items(published_at)
        return
    for path in list_files(Path(target)):
        yield from _file_items(path, published_at)
