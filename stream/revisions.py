"""Exact re-sends and revisions of an article, decided against a ledger of what was published.

The ledger maps article id -> {hash, extractor_version, revision, events, version (wire items), published_at,
seen (the content hashes of its earlier revisions, the latest SEEN_HASHES)}. In the worker
it is a Faust table (changelogged, so a restart remembers); in ``stream extract`` a dict.
Decisions made within one batch are staged and written to the ledger only once their
messages are delivered, so a crash never marks unpublished output as done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import MutableMapping

SEEN_HASHES = 16  # earlier texts of an article remembered, so a late copy of one is never a new revision


@dataclass(frozen=True)
class Decision:
    duplicate: bool  # an exact re-send (or an outdated version): skip it
    revision: int  # 1 for a new article, previous + 1 for a changed one
    previous_events: tuple[str, ...] = ()  # event ids the last published revision carried
    outdated: bool = False  # an older text than the one published, arrived late: skip it
    why: str = ""  # what made it outdated

    def retractions(self, analysis: dict) -> list[str]:
        """Previous events that no longer hold in this analysis."""
        current = {c["event_id"] for c in analysis["casualties"]} | {a["event_id"] for a in analysis["attacks"]}
        return [event for event in self.previous_events if event not in current]


@dataclass
class Ledger:
    store: MutableMapping[str, dict]
    staged: dict[str, dict] = field(default_factory=dict)

    def _last(self, article_id: str) -> dict | None:
        return self.staged.get(article_id) or self.store.get(article_id)

    def is_duplicate(self, article_id: str, content_hash: str, extractor_version: str) -> bool:
        last = self._last(article_id)
        return last is not None and last["hash"] == content_hash and last["extractor_version"] == extractor_version

    def decide(self, analysis: dict) -> Decision:
        """Decide, and stage the record of, one analysis. A re-analysis by a newer extractor is a revision;
        an older wire version of an item than the one published (it arrived late) is skipped like a re-send."""
        article_id = analysis["article_id"]
        if self.is_duplicate(article_id, analysis["content_hash"], analysis["extractor_version"]):
            return Decision(True, self._last(article_id)["revision"])
        last = self._last(article_id)
        why = outdated(analysis, last) if last else ""
        if why:
            return Decision(True, last["revision"], outdated=True, why=why)
        revision = last["revision"] + 1 if last else 1
        self.staged[article_id] = {
            "hash": analysis["content_hash"],
            "extractor_version": analysis["extractor_version"],
            "revision": revision,
            "events": [c["event_id"] for c in analysis["casualties"]] + [a["event_id"] for a in analysis["attacks"]],
        }
        if last:
            self.staged[article_id]["seen"] = [*last.get("seen", []), last["hash"]][-SEEN_HASHES:]
        for name in ("version", "published_at"):
            if analysis.get(name) or (last and last.get(name)):
                self.staged[article_id][name] = analysis.get(name) or last[name]
        return Decision(False, revision, tuple(last["events"]) if last else ())

    def commit(self) -> None:
        """Write the staged records (call once their messages are delivered)."""
        for article_id, record in self.staged.items():
            self.store[article_id] = record
        self.staged.clear()

    def discard(self) -> None:
        self.staged.clear()


def outdated(analysis: dict, last: dict) -> str:
    """Why an analysis is a late copy of an older text than the published revision ``last`` ("" if it is not):
    an older wire version, an earlier publication time, or a text an earlier revision already had."""
    if _older(analysis.get("version"), last.get("version")):
        return f"version {analysis['version']} is older than version {last['version']}, already published"
    given, published = _instant(analysis.get("published_at")), _instant(last.get("published_at"))
    if given and published and given < published:
        return (f"published_at {analysis['published_at']} is earlier than {last['published_at']}, the revision "
                "already published")
    if analysis["content_hash"] in last.get("seen", ()):
        return "its text is the one of an earlier revision, already superseded"
    return ""


def _instant(value: str | None) -> datetime | None:
    """A publication time to compare (date-only values are not: a day says nothing of the hour)."""
    if not value or len(value) <= 10:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _older(version: str | None, published: str | None) -> bool:
    """Whether wire version ``version`` precedes ``published`` (numeric versions only; others never do)."""
    return bool(version and published and version.isdigit() and published.isdigit()
                and int(version) < int(published))
