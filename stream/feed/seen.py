"""What a feed already produced, kept on disk (``$STREAM_STATE_DIR/feeds/``) so a restart re-sends nothing.

Each item is keyed by its guid (or link) and remembers the hash of its feed entry and of the
text that was sent. An unchanged entry is skipped without fetching its page; a changed one is
fetched again and sent only if its text is new (downstream, a new text of the same id is a
revision). A text already sent under another key is not sent twice. Items the feed has not
listed for ``FORGET_AFTER_DAYS`` are forgotten, so the file stays small.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import orjson

FORGET_AFTER_DAYS = 30


def content_hash(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()


class SeenSet:
    def __init__(self, path: Path, feed: str):
        self.path = path
        self.feed = feed
        data = orjson.loads(path.read_bytes()) if path.exists() else {}
        self.items: dict[str, dict] = data.get("items", {})

    @classmethod
    def for_feed(cls, state_dir: Path, feed: str) -> SeenSet:
        return cls(state_dir / "feeds" / f"{content_hash(feed)[:24]}.json", feed)

    def is_done(self, key: str, entry_hash: str) -> bool:
        """Sent (or given up on) with this very entry: nothing to fetch."""
        item = self.items.get(key)
        return item is not None and item["entry"] == entry_hash and item.get("done", False)

    def text_sent(self, text_hash: str) -> bool:
        return any(item.get("text") == text_hash for item in self.items.values())

    def touch(self, key: str) -> None:
        if key in self.items:
            self.items[key]["listed_at"] = time.time()

    def done(self, key: str, entry_hash: str, text_hash: str | None = None) -> None:
        """Sent (with its text's hash) or dead-lettered (without): not to be fetched again for this entry."""
        previous = self.items.get(key, {})
        self.items[key] = {"entry": entry_hash, "text": text_hash or previous.get("text"), "done": True,
                           "listed_at": time.time()}

    def failed(self, key: str, entry_hash: str) -> int:
        """Count a failed attempt at this entry; returns how many there have been in a row."""
        previous = self.items.get(key, {})
        attempts = previous.get("failures", 0) + 1 if previous.get("entry") == entry_hash else 1
        self.items[key] = {**previous, "entry": entry_hash, "done": False, "failures": attempts,
                           "listed_at": time.time()}
        return attempts

    def save(self) -> None:
        """Write atomically (a crash leaves the old file or the new one, never half of one)."""
        horizon = time.time() - FORGET_AFTER_DAYS * 86400
        self.items = {k: v for k, v in self.items.items() if v.get("listed_at", 0) >= horizon}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(orjson.dumps({"feed": self.feed, "items": self.items}))
        os.replace(temporary, self.path)
