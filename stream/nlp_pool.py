"""The analysis off the worker's event loop, on every core: a pool of processes, each loading the model once.

A batch is cut into one contiguous piece per process (balanced by length) and the pieces
run at the same time, so a batch of any size uses every core and comes back in order.
Processes are spawned, not forked: the worker already runs Kafka client threads, which a
fork would copy in an unknown state. With ``processes=0`` the analysis runs in a thread
of the worker itself (a small machine, or a debugger).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Sequence

from stream.analysis.article import Article
from stream.analysis.pipeline import Analyzer
from stream.ingest.reasons import Rejected
from stream.process import analyze_isolated

_analyzer: Analyzer | None = None  # one per pool process


_WARM_UP = Article("warm-up", "Gunmen killed two people in a town on Monday, police said. Talks resumed.")


def _load(model: str, historical_days: int, batch_size: int) -> None:
    global _analyzer
    _analyzer = Analyzer(model, historical_days=historical_days, batch_size=batch_size)
    _analyzer.analyze(_WARM_UP)  # the first call allocates; pay for it before the first article


def _ready() -> str:
    return _analyzer.extractor_version


def _analyze(articles: Sequence[Article]) -> list[dict | Rejected]:
    return analyze_isolated(_analyzer, articles)


def split(articles: Sequence[Article], parts: int) -> list[list[Article]]:
    """Up to ``parts`` contiguous pieces of about equal text length (order kept)."""
    if parts <= 1 or len(articles) <= 1:
        return [list(articles)] if articles else []
    target = sum(len(a.body) for a in articles) / parts
    pieces: list[list[Article]] = [[]]
    weight = 0
    for article in articles:
        if weight >= target and len(pieces) < parts:
            pieces.append([])
            weight = 0
        pieces[-1].append(article)
        weight += len(article.body)
    return pieces


class NlpPool:
    def __init__(self, model: str, *, processes: int, historical_days: int, batch_size: int):
        self.processes = processes
        self._init = (model, historical_days, batch_size)
        self._executor: Executor | None = None

    async def start(self) -> str:
        """Start every process and wait until each has its model; return the extractor version."""
        if self.processes == 0:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp",
                                                initializer=_load, initargs=self._init)
        else:
            self._executor = ProcessPoolExecutor(max_workers=self.processes, initializer=_load,
                                                 initargs=self._init,
                                                 mp_context=multiprocessing.get_context("spawn"))
        loop = asyncio.get_running_loop()
        versions = await asyncio.gather(*(loop.run_in_executor(self._executor, _ready)
                                          for _ in range(max(1, self.processes))))
        return versions[0]

    async def analyze(self, articles: Sequence[Article]) -> list[dict | Rejected]:
        loop = asyncio.get_running_loop()
        pieces = split(articles, max(1, self.processes))
        results = await asyncio.gather(*(loop.run_in_executor(self._executor, _analyze, p) for p in pieces))
        return [analysis for piece in results for analysis in piece]

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
