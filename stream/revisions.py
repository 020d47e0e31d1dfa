"""Exact re-sends and revisions of an article, decided against a ledger of what was published.

The ledger maps article id -> {hash, extractor_version, revision, events, version (wire items)}. In the worker
it is a Faust table (changelogged, so a restart remembers); in ``stream extract`` a dict.
Decisions made within one batch are staged and written to the ledger only once their
messages are delivered, so a crash never marks unpublished output as done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import MutableMapping


@dataclass(frozen=True)
class Decision:
    duplicate: bool  # an exact re-send (or an outdated version): skip it
    revision: int  # 1 for a new article, previous + 1 for a changed one
    previous_events: tuple[str, ...] = ()  # event ids the last published revision carried
    outdated: bool = False  # an older wire version than the one published, arrived late: skip it

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
        if last and _older(analysis.get("version"), last.get("version")):
            return Decision(True, last["revision"], outdated=True)
        revision = last["revision"] + 1 if last else 1
        self.staged[article_id] = {
            "hash": analysis["content_hash"],
            "extractor_version": analysis["extractor_version"],
            "revision": revision,
            "events": [c["event_id"] for c in analysis["casualties"]] + [a["event_id"] for a in analysis["attacks"]],
        }
        if analysis.get("version"):
            self.staged[article_id]["version"] = analysis["version"]
        return Decision(False, revision, tuple(last["events"]) if last else ())

    def commit(self) -> None:
        """Write the staged records (call once their messages are delivered)."""
        for article_id, record in self.staged.items():
            self.store[article_id] = record
        self.staged.clear()

    def discard(self) -> None:
        self.staged.clear()


def _older(version: str | None, published: str | None) -> bool:
    """Whether wire version ``version`` precedes ``published`` (numeric versions only; others never do)."""
    return bool(version and published and version.isdigit() and published.isdigit()
                and int(version) < int(published))
