"""The step both the worker and `stream extract` run: duplicates, revisions, isolated failures."""

from __future__ import annotations

from functools import partial

import pytest

from stream.analysis.article import Article
from stream.ingest.reasons import Reason
from stream.ingest.wire import WireArticle
from stream.process import Processor, analyze_isolated
from stream.revisions import Ledger

pytestmark = pytest.mark.slow
LIMIT = 10 * 1024 * 1024


def processor_for(analyzer, limit: int = LIMIT) -> Processor:
    return Processor(Ledger({}), extractor_version=analyzer.extractor_version, max_message_bytes=limit,
                     analyze=partial(analyze_isolated, analyzer))


def article(ident: str, body: str = "Gunmen killed three farmers in Benue state on Sunday.") -> Article:
    return Article(ident, body, published_at="2026-04-07")


def test_process_skips_exact_resends_and_numbers_revisions(analyzer):
    processor = processor_for(analyzer)
    first = processor.run([article("p1"), article("p1")])
    assert [(o.duplicate, o.revision) for o in first] == [(False, 1), (True, 1)]  # a re-send of revision 1
    second = processor.run([article("p1", "Gunmen killed five farmers in Benue state on Sunday.")])
    assert second[0].revision == 2
    retractions = [m for m in second[0].messages if m.value.get("retracted")]
    before = first[0].processed
    assert {m.value["event_id"] for m in retractions} <= {c["event_id"] for c in before["casualties"] + before["attacks"]}
    assert retractions, "the three-farmer claim no longer holds"


def test_process_one_failing_article_does_not_sink_the_batch(analyzer, monkeypatch):
    processor = processor_for(analyzer)
    real = analyzer.analyze_many

    def fail_on_poison(articles):
        if any(a.id == "poison" for a in articles):
            raise RuntimeError("boom")
        return real(articles)

    monkeypatch.setattr(analyzer, "analyze_many", fail_on_poison)
    outcomes = processor.run([article("good-1"), article("poison"), article("good-2")])
    assert [o.article.id for o in outcomes if o.messages] == ["good-1", "good-2"]
    failed = next(o for o in outcomes if o.rejected)
    assert failed.rejected.reason is Reason.ANALYSIS_FAILED and failed.rejected.article_id == "poison"


def test_process_output_too_large_is_rejected_not_sent(analyzer):
    processor = processor_for(analyzer, 20 * 1024)
    body = "Gunmen killed three farmers in Benue state on Sunday. " * 400
    outcome = processor.run([article("big", body)])[0]
    assert outcome.rejected.reason is Reason.OUTPUT_TOO_LARGE and not outcome.messages
    assert "big" not in processor.ledger.store  # nothing recorded: a later fix can process it


def wire_article(version: str, body: str, pubstatus: str = "usable") -> WireArticle:
    return WireArticle("urn:wire:1", body, published_at="2026-04-07", format="ninjs", version=version,
                       pubstatus=pubstatus, provider="urn:provider")


def events(outcome) -> set[str]:
    return {c["event_id"] for c in outcome.processed["casualties"] + outcome.processed["attacks"]}


def retracted(outcome) -> dict[str, str]:
    return {m.value["event_id"]: m.value["reason"] for m in outcome.messages if m.value.get("retracted")}


def test_process_wire_article_carries_its_fields_and_text(analyzer):
    (outcome,) = processor_for(analyzer).run([wire_article("1", "Gunmen killed three farmers in Benue state.")])
    processed = outcome.processed
    assert (processed["format"], processed["version"], processed["provider"]) == ("ninjs", "1", "urn:provider")
    claim = processed["casualties"][0]
    for piece in (claim["evidence"], claim["trigger"]):  # offsets index the text it carries
        assert processed["text"][piece["start"]:piece["end"]] == piece["text"]


@pytest.mark.parametrize("status", ["canceled", "withheld"])
def test_process_withdrawn_item_retracts_every_event(analyzer, status):
    processor = processor_for(analyzer)
    (first,) = processor.run([wire_article("1", "Gunmen killed three farmers and wounded two in Benue state.")])
    (kill,) = processor.run([wire_article("2", "Gunmen killed three farmers and wounded two in Benue state.",
                                          pubstatus=status)])
    assert len(events(first)) >= 2
    assert retracted(kill) == {event: "withdrawn" for event in events(first)}
    assert (kill.revision, kill.processed["pubstatus"], events(kill), kill.processed["totals"]) == (2, status, set(), {})


def test_process_correction_retracts_only_what_changed(analyzer):
    processor = processor_for(analyzer)
    (first,) = processor.run([wire_article("1", "Gunmen killed four farmers in Benue state on Sunday.")])
    (fixed,) = processor.run([wire_article("2", "Gunmen killed three farmers in Benue state on Sunday.")])
    assert fixed.revision == 2 and set(retracted(fixed).values()) == {"revised"}
    assert set(retracted(fixed)) == events(first) - events(fixed)
    assert fixed.processed["totals"]["killed"]["best"] == 3


def test_process_older_version_arriving_late_is_skipped(analyzer):
    processor = processor_for(analyzer)
    processor.run([wire_article("2", "Gunmen killed three farmers in Benue state on Sunday.")])
    (late,) = processor.run([wire_article("1", "Gunmen killed four farmers in Benue state on Sunday.")])
    assert (late.duplicate, late.outdated, late.messages) == (True, True, [])
