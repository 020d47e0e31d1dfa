"""The pool of analysis processes: pieces, the per-article time budget, and recovery from a stuck or dead process."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from stream.analysis.article import Article
from stream.analysis.pipeline import DEFAULT_MODEL
from stream.ingest.reasons import Reason, Rejected
from stream.nlp_pool import NlpPool, split

QUICK = Article("quick", "Gunmen killed two people in Kaduna on Monday, police said.", published_at="2024-10-22")
# 60,000 one-word sentences, each a casualty word, so each is parsed: about a minute of one core.
SLOW = Article("slow", "Killed. " * 60_000)


def pool(**kwargs) -> NlpPool:
    return NlpPool(DEFAULT_MODEL, processes=1, historical_days=3, batch_size=32, **kwargs)


@pytest.mark.parametrize("lengths, expected", [
    ([10], 60.0),  # a short piece still gets the whole budget
    ([500, 400], 60.0),
    ([4000], 240.0),  # four times the reference length: four budgets
    ([3000, 3000], 360.0),
])
def test_nlp_pool_budget_grows_with_the_text_of_a_piece(lengths, expected):
    articles = [Article(str(n), "x" * length) for n, length in enumerate(lengths)]
    assert pool(time_budget=60, budget_chars=1000).budget(articles) == expected


@pytest.mark.parametrize("lengths, parts, expected", [
    ([5, 5, 5, 5], 2, [2, 2]),
    ([100, 1, 1, 1], 2, [1, 3]),
    ([5], 2, [1]),
    ([], 2, []),
])
def test_nlp_pool_split_keeps_order_and_balances_length(lengths, parts, expected):
    articles = [Article(str(n), "x" * length) for n, length in enumerate(lengths)]
    pieces = split(articles, parts)
    assert [len(p) for p in pieces] == expected
    assert [a for p in pieces for a in p] == articles


@pytest.mark.slow
async def test_nlp_pool_replaces_a_process_over_budget_and_goes_on():
    nlp = pool(time_budget=4)
    await nlp.start()
    try:
        [first_pid] = nlp.pids
        results = await nlp.analyze([QUICK, SLOW, QUICK])
        assert results[0]["casualties"] and results[2]["casualties"]
        assert isinstance(results[1], Rejected) and results[1].reason is Reason.ANALYSIS_TIMEOUT
        assert results[1].article_id == "slow" and "STREAM_ARTICLE_TIME_BUDGET (4s)" in results[1].message
        assert nlp.pids != [first_pid]  # the stuck process was replaced ...
        assert (await nlp.analyze([QUICK]))[0]["casualties"]  # ... and the new one works
    finally:
        nlp.close()


@pytest.mark.slow
async def test_nlp_pool_article_whose_process_dies_is_dead_lettered_and_the_pool_recovers():
    nlp = pool(time_budget=600)
    await nlp.start()
    try:
        [victim] = nlp.pids
        analysis = asyncio.ensure_future(nlp.analyze([SLOW]))
        await asyncio.sleep(1.0)
        os.kill(victim, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        [result] = await asyncio.wait_for(analysis, 120)
        assert isinstance(result, Rejected) and result.reason is Reason.ANALYSIS_FAILED
        assert "died (exit code -9)" in result.message
        assert (await nlp.analyze([QUICK]))[0]["casualties"]
    finally:
        nlp.close()
