"""The step both the worker and `stream extract` run: duplicates, revisions, isolated failures."""

from __future__ import annotations

from functools import partial

import pytest

from stream.analysis.article import Article
from stream.ingest.reasons import Reason
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
