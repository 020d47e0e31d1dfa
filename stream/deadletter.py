"""Dead letters: what is on ``articles.deadletter``, by reason, and re-submitting chosen ones to ``articles.raw``.

``stream deadletter list`` reads the topic up to its end at that moment. ``replay`` sends the
chosen originals back to ``articles.raw`` with their original key and bytes: from the dead
letter itself, or, when it was cut to fit (``truncated``), read again from its source topic,
partition and offset and checked against its SHA-256, or refused once that record has expired.
Replaying twice costs nothing downstream: the worker's ledger skips an article it has already
published unchanged (``stream.revisions``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable

import orjson
from rich.console import Group
from rich.table import Table
from rich.text import Text

from stream import topics
from stream.ingest.files import RawItem
from stream.schemas import SchemaError, validator
from stream.settings import Settings


class Unreadable(ValueError):
    """A record on the dead-letter topic that is not a dead letter; the message says why."""


class Refused(Exception):
    """A dead letter that cannot be replayed; the message says why and what to do."""


@dataclass(frozen=True)
class DeadLetter:
    partition: int  # where the dead letter itself is on articles.deadletter
    offset: int
    value: dict  # as published (schemas/deadletter.json)
    time: datetime
    key: bytes | None  # the original record's key
    copy: bytes  # the original bytes it carries (cut to fit when truncated)

    @property
    def ref(self) -> str:
        """``partition:offset`` on the dead-letter topic: the handle for one with no article id."""
        return f"{self.partition}:{self.offset}"

    @property
    def reason(self) -> str:
        return self.value["reason"]

    @property
    def article_id(self) -> str | None:
        return self.value["article_id"]

    @property
    def original(self) -> dict:
        return self.value["original"]

    @property
    def source(self) -> dict:
        return self.value["source"]


def parse_dead_letter(raw: bytes | None, partition: int = 0, offset: int = 0) -> DeadLetter:
    """A record of the dead-letter topic, checked against its schema; raises Unreadable."""
    if raw is None:
        raise Unreadable("the record has no value")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise Unreadable(f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise Unreadable(f"a JSON {type(value).__name__}, not a dead-letter object")
    try:
        validator("deadletter.json")(value)
    except SchemaError as exc:
        raise Unreadable(str(exc)) from None
    try:
        time = datetime.fromisoformat(value["time"])
    except ValueError:
        raise Unreadable(f"its time {value['time']!r:.60} is not ISO 8601") from None
    original = value["original"]
    try:
        key = base64.b64decode(original["key_base64"], validate=True) if original["key_base64"] is not None else None
        copy = base64.b64decode(original["value_base64"], validate=True)
    except binascii.Error as exc:
        raise Unreadable(f"its original bytes are not base64: {exc}") from None
    return DeadLetter(partition, offset, value, time if time.tzinfo else time.replace(tzinfo=timezone.utc), key, copy)


_AGO = re.compile(r"(\d+)\s*([smhdw])")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime:
    """``--since``: an age ("90m", "6h", "2d", "1w") or an ISO 8601 date or date-time (UTC if naive)."""
    if match := _AGO.fullmatch(text.strip()):
        return now - timedelta(**{_UNIT[match[2]]: int(match[1])})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since {text!r}: use an age such as 30m, 6h, 2d, 1w, or an ISO 8601 date or "
                         "date-time") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def parse_ref(text: str) -> tuple[int, int]:
    """``--at PARTITION:OFFSET`` of a dead letter on its topic."""
    partition, _, offset = text.partition(":")
    if not (partition.isdigit() and offset.isdigit()):
        raise ValueError(f"--at {text!r}: use PARTITION:OFFSET as `stream deadletter list` shows it, e.g. 0:17")
    return int(partition), int(offset)


@dataclass(frozen=True)
class Selection:
    """Which dead letters: every given criterion must hold (none given: all)."""

    reasons: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    refs: frozenset[tuple[int, int]] = frozenset()
    since: datetime | None = None

    @property
    def everything(self) -> bool:
        return not (self.reasons or self.ids or self.refs or self.since)

    def __contains__(self, letter: DeadLetter) -> bool:
        return ((not self.reasons or letter.reason in self.reasons)
                and (not self.ids or letter.article_id in self.ids)
                and (not self.refs or (letter.partition, letter.offset) in self.refs)
                and (self.since is None or letter.time >= self.since))


@dataclass
class Listing:
    """Dead letters read from the topic: the chosen ones, counts by reason of all, and what was unreadable."""

    chosen: list[DeadLetter] = field(default_factory=list)
    by_reason: Counter = field(default_factory=Counter)
    last_by_reason: dict[str, datetime] = field(default_factory=dict)
    unreadable: list[tuple[int, int, str]] = field(default_factory=list)  # partition, offset, why

    def add(self, record, selection: Selection) -> None:
        try:
            letter = parse_dead_letter(record.value, record.partition, record.offset)
        except Unreadable as exc:
            self.unreadable.append((record.partition, record.offset, str(exc)))
            return
        self.by_reason[letter.reason] += 1
        last = self.last_by_reason.get(letter.reason)
        self.last_by_reason[letter.reason] = letter.time if last is None else max(last, letter.time)
        if letter in selection:
            self.chosen.append(letter)

    def sort(self) -> None:
        self.chosen.sort(key=lambda letter: (letter.time, letter.partition, letter.offset))


def original_bytes(letter: DeadLetter, fetched: bytes | None = None) -> tuple[bytes | None, bytes]:
    """(key, value) to re-submit: the dead letter's own copy, or ``fetched`` from its source when truncated.

    Raises Refused when the bytes are not the original (their SHA-256 differs) or cannot be had.
    """
    original = letter.original
    if letter.value["stage"] == "feed":
        raise Refused("a feed item that never reached articles.raw: run `stream feed` again for it")
    if original["truncated"]:
        if fetched is None:
            source = letter.source
            raise Refused(f"its {original['size']} bytes were cut to fit the dead letter, and the full record is "
                          f"gone from {source['topic']} partition {source['partition']} offset {source['offset']} "
                          "(expired or compacted): nothing left to replay")
        value = fetched
    else:
        value = letter.copy
    if hashlib.sha256(value).hexdigest() != original["sha256"]:
        raise Refused("the bytes found are not the original (their SHA-256 differs): not replayed")
    return letter.key, value


def printable(text: str | None, limit: int = 0) -> str:
    """Text from a message made safe for a terminal: control and format characters (escape sequences,
    bidi overrides) shown as ``\\x..``/``\\u....`` escapes; cut to ``limit`` characters (0: no limit)."""
    if text is None:
        return "-"
    safe = "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    return safe if not limit or len(safe) <= limit else safe[:limit - 1] + "…"


def summary_rows(listing: Listing) -> Iterable[tuple[str, int, str]]:
    """(reason, count, last seen), most frequent first."""
    for reason, count in listing.by_reason.most_common():
        yield reason, count, listing.last_by_reason[reason].isoformat(timespec="seconds")


def render(listing: Listing, topic: str, limit: int) -> Group:
    """Counts by reason, then the chosen dead letters (the latest ``limit``; 0: all)."""
    total = sum(listing.by_reason.values())
    parts: list = [Text(f"{total} dead letter(s) on {topic}" + (f", {len(listing.unreadable)} unreadable record(s)"
                                                                 if listing.unreadable else ""))]
    if total:
        counts = Table("reason", "count", "last", title="by reason", title_justify="left")
        for reason, count, last in summary_rows(listing):
            counts.add_row(reason, str(count), last)
        parts.append(counts)
    shown = listing.chosen[-limit:] if limit else listing.chosen
    rows = Table("at", "time", "reason", "stage", "article id", "source", "bytes", "message",
                 title=f"{len(listing.chosen)} chosen" + (f", the latest {len(shown)} shown" if len(shown) <
                                                          len(listing.chosen) else ""), title_justify="left")
    for letter in shown:
        source = letter.source
        where = (f"{source['topic']} {source['partition']}:{source['offset']}" if "topic" in source
                 else printable(source.get("url") or source.get("feed"), 40))
        size = f"{letter.original['size']}{' (cut)' if letter.original['truncated'] else ''}"
        rows.add_row(letter.ref, letter.time.isoformat(timespec="seconds"), letter.reason, letter.value["stage"],
                     Text(printable(letter.article_id, 40)), Text(where), size,
                     Text(printable(letter.value["message"], 100)))
    if listing.chosen:
        parts.append(rows)
    for partition, offset, why in listing.unreadable[:limit or None]:
        parts.append(Text(f"unreadable record at {partition}:{offset}: {printable(why, 120)}", style="yellow"))
    return Group(*parts)


async def read_dead_letters(settings: Settings, broker: str, selection: Selection) -> Listing:
    """Every dead letter on the topic now; ``chosen`` holds the selected ones, oldest first."""
    from stream.kafka_io import read_topic

    listing = Listing()
    async for record in read_topic(settings, broker, settings.topic(topics.DEADLETTER)):
        listing.add(record, selection)
    listing.sort()
    return listing


@dataclass(frozen=True)
class Replayed:
    letter: DeadLetter
    refused: str | None = None  # why it was not re-submitted; None: it was


async def replay(settings: Settings, broker: str, letters: list[DeadLetter]) -> list[Replayed]:
    """Re-submit the originals of ``letters`` to articles.raw (acks=all), in order; refuse those that cannot be."""
    from stream.kafka_io import TopicMissing, fetch_record, produce

    items, results = [], []
    for letter in letters:
        fetched = None
        try:
            if letter.original["truncated"] and "topic" in letter.source:
                source = letter.source
                record = await fetch_record(settings, broker, source["topic"], source["partition"], source["offset"])
                fetched = record.value if record is not None else None
            key, value = original_bytes(letter, fetched)
        except (Refused, TopicMissing) as exc:
            results.append(Replayed(letter, str(exc)))
            continue
        items.append(RawItem(letter.ref, value, key))
        results.append(Replayed(letter))
    if items:
        await produce(settings, broker, settings.topic(topics.RAW), items)
    return results
