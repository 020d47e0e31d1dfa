"""The article the analysis reads: what ingest hands over after validation."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date

import orjson

from stream.analysis.dates import parse_published_at


@dataclass(frozen=True)
class Article:
    id: str
    body: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None  # ISO 8601 as received (validated by ingest)
    language: str | None = None

    @property
    def published_date(self) -> date | None:
        """The publication day in the publisher's own offset (datelines use local days)."""
        return parse_published_at(self.published_at).date() if self.published_at else None

    @property
    def is_english(self) -> bool:
        return not self.language or self.language.lower().split("-")[0].split("_")[0] == "en"

    def content_hash(self) -> str:
        """Hash of everything the analysis depends on: equal hashes mean an exact re-send."""
        canonical = orjson.dumps(asdict(self), option=orjson.OPT_SORT_KEYS)
        return "sha256:" + hashlib.sha256(canonical).hexdigest()

    def as_dict(self) -> dict:
        return asdict(self)
