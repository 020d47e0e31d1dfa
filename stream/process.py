"""From validated articles to the messages they produce: the step the worker and ``stream extract`` share.

Two halves, so the worker can run the first off its event loop:

* ``analyze_isolated`` (pure): the NLP and claim rules, one failing article isolated;
* ``outcomes`` (touches the ledger): duplicates skipped, revisions numbered, retractions
  listed (all of an article's events when its provider withdrew it), messages built and checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Sequence

from stream.analysis.article import Article
from stream.analysis.pipeline import Analyzer
from stream.ingest.reasons import Reason, Rejected
from stream.ingest.wire import is_withdrawn, provenance
from stream.publish import Message, article_messages
from stream.revisions import Ledger

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    article: Article
    messages: list[Message] = field(default_factory=list)
    duplicate: bool = False
    outdated: bool = False  # skipped as an older text than the one published (see ``why``)
    why: str = ""
    rejected: Rejected | None = None
    revision: int = 0

    @property
    def processed(self) -> dict | None:
        return self.messages[-1].value if self.messages else None


def analyze_isolated(analyzer: Analyzer, articles: Sequence[Article]) -> list[dict | Rejected]:
    """Analyses in order; an article whose analysis raises becomes a Rejected, the rest go on."""
    try:
        return list(analyzer.analyze_many(articles))
    except Exception:  # isolate the culprit: one article must not sink its batch
        if len(articles) == 1:
            log.exception("analysis of article %r failed", articles[0].id)
            return [Rejected(Reason.ANALYSIS_FAILED, _failure_message(articles[0]), articles[0].id)]
        return [result for article in articles for result in analyze_isolated(analyzer, [article])]


class Processor:
    """Duplicates, revisions and messages around an analysis that runs elsewhere: in this process for
    ``stream extract`` (``analyze`` given), in a pool of processes for the worker."""

    def __init__(self, ledger: Ledger, *, extractor_version: str, max_message_bytes: int, validate: bool = True,
                 analyze: Callable[[Sequence[Article]], list[dict | Rejected]] | None = None):
        self.ledger = ledger
        self.extractor_version = extractor_version
        self.max_message_bytes = max_message_bytes
        self.validate = validate
        self._analyze = analyze

    def fresh(self, articles: Sequence[Article]) -> tuple[list[Article], list[Article]]:
        """Split into (to analyse, exact re-sends already published)."""
        todo, dupes = [], []
        for article in articles:
            is_dupe = self.ledger.is_duplicate(article.id, article.content_hash(), self.extractor_version)
            (dupes if is_dupe else todo).append(article)
        return todo, dupes

    def analyze(self, articles: Sequence[Article]) -> list[dict | Rejected]:
        return self._analyze(articles)

    def outcomes(self, articles: Sequence[Article], analyses: Sequence[dict | Rejected]) -> list[Outcome]:
        """Decide and build every article's messages; records stay staged in the ledger until ``commit``."""
        out = []
        for article, analysis in zip(articles, analyses):
            if isinstance(analysis, Rejected):
                out.append(Outcome(article, rejected=analysis))
                continue
            analysis = as_delivered(article, analysis)
            decision = self.ledger.decide(analysis)
            if decision.duplicate:
                out.append(Outcome(article, duplicate=True, outdated=decision.outdated, why=decision.why,
                                   revision=decision.revision))
                continue
            try:
                messages = article_messages(analysis, decision.revision, decision.retractions(analysis),
                                            max_message_bytes=self.max_message_bytes, validate=self.validate,
                                            retraction_reason="withdrawn" if is_withdrawn(article) else "revised")
            except Rejected as rejected:
                self.ledger.staged.pop(article.id, None)
                out.append(Outcome(article, rejected=rejected))
                continue
            except Exception:  # a bug in building messages must not stall the stream either
                log.exception("building the messages of article %r failed", article.id)
                self.ledger.staged.pop(article.id, None)
                out.append(Outcome(article, rejected=Rejected(Reason.ANALYSIS_FAILED, _failure_message(article),
                                                              article.id)))
                continue
            out.append(Outcome(article, messages, revision=decision.revision))
        return out

    def run(self, articles: Sequence[Article]) -> list[Outcome]:
        """Everything at once (for ``stream extract``): analyse, decide, commit."""
        todo, _ = self.fresh(articles)
        analyse = {id(a) for a in todo}
        analyses = iter(self.analyze(todo))
        results = []
        for article in articles:
            if id(article) in analyse:
                results += self.outcomes([article], [next(analyses)])
            else:
                results.append(Outcome(article, duplicate=True))
        self.ledger.commit()
        return results


def as_delivered(article: Article, analysis: dict) -> dict:
    """The analysis with what the article was delivered as (wire fields, extracted text). A withdrawn
    article keeps no claims: the ledger then retracts every event of its earlier revisions."""
    analysis = {**analysis, **provenance(article)}
    if is_withdrawn(article):
        analysis.update(casualties=[], attacks=[], totals={})
    return analysis


def _failure_message(article: Article) -> str:
    return (f"the analysis of article {article.id!r} raised an error (see the worker log); the input is kept "
            "here so it can be replayed once the bug is fixed")
