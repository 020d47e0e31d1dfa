"""The analysis off the worker's event loop, on every core: a pool of processes, each loading the model once.

A batch is cut into one contiguous piece per process (balanced by length) and the pieces
run at the same time, so a batch of any size uses every core and comes back in order.
Processes are spawned, not forked: the worker already runs Kafka client threads, which a
fork would copy in an unknown state. With ``processes=0`` the analysis runs in a thread
of the worker itself (a small machine, or a debugger).

**Time budget.** A piece may take ``time_budget`` seconds for each ``budget_chars`` of text
it holds (at least once). A process that overruns it, or dies, is killed and replaced by a
new one, and its piece is analysed again one article at a time, each with the budget: the
article that overruns alone is dead-lettered ``analysis_timeout`` (``analysis_failed`` if its
process died) and the others go on. A thread cannot be stopped, so ``processes=0`` has no budget.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from stream.analysis.article import Article
from stream.analysis.pipeline import Analyzer
from stream.ingest.reasons import Reason, Rejected
from stream.process import analyze_isolated

log = logging.getLogger(__name__)

_analyzer: Analyzer | None = None  # one per pool process


# Names places too: the first place looked up loads the gazetteer (seconds), which must not come out of
# the first article's time budget.
_WARM_UP = Article("warm-up", "Gunmen killed two people in Kaduna, Nigeria, on Monday, police said. Talks resumed.")


def _exit_with_parent() -> None:
    """End this pool process when its worker ends, even a worker killed with SIGKILL (which runs no
    clean-up): an orphan would keep its model's memory and wait for work forever."""
    parent = multiprocessing.parent_process()
    if parent is None:  # processes=0: this is the worker itself
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _load(model: str, historical_days: int, batch_size: int) -> None:
    global _analyzer
    _exit_with_parent()
    _analyzer = Analyzer(model, historical_days=historical_days, batch_size=batch_size)
    _analyzer.analyze(_WARM_UP)  # the first call allocates; pay for it before the first article


def _ready() -> str:
    return _analyzer.extractor_version


def _analyze(articles: Sequence[Article]) -> list[dict | Rejected]:
    return analyze_isolated(_analyzer, articles)


def _serve(conn: multiprocessing.connection.Connection, init: tuple) -> None:
    """A pool process: load the model, then analyse each list of articles sent, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the worker, which stops its pool
    try:
        _load(*init)
    except Exception as exc:  # reported to the worker, which cannot start without its model
        conn.send((False, f"{type(exc).__name__}: {exc}"))
        return
    conn.send((True, _ready()))
    while True:
        try:
            articles = conn.recv()
        except EOFError:
            return
        conn.send((True, _analyze(articles)))


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


class AnalysisStopped(Exception):
    """A pool process overran its budget or died; ``reason`` is the dead-letter reason for its article."""

    def __init__(self, reason: Reason, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class PoolError(RuntimeError):
    """A pool process could not load its model."""


class _PoolProcess:
    """One spawned process and the worker's end of its pipe. Its methods block: they run in threads."""

    def __init__(self, context, init: tuple) -> None:
        self._conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, init), name="nlp", daemon=True)
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def ready(self) -> str:
        """Wait until the model is loaded; the extractor version."""
        try:
            return self._receive(None)
        except AnalysisStopped as stop:
            raise PoolError(f"an analysis process {stop.detail} while loading the model") from None

    def analyze(self, articles: list[Article], timeout: float) -> list[dict | Rejected]:
        self._conn.send(articles)
        return self._receive(timeout)

    def _receive(self, timeout: float | None):
        if not self._conn.poll(timeout):
            raise AnalysisStopped(Reason.ANALYSIS_TIMEOUT, f"took longer than {timeout:.0f}s")
        try:
            ok, value = self._conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            raise AnalysisStopped(Reason.ANALYSIS_FAILED,
                                  f"died (exit code {self.process.exitcode})") from None
        if not ok:
            raise PoolError(f"an analysis process could not load the model: {value}")
        return value

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self._conn.close()


class NlpPool:
    def __init__(self, model: str, *, processes: int, historical_days: int, batch_size: int,
                 time_budget: float = 120.0, budget_chars: int = 512 * 1024):
        self.processes = processes
        self.time_budget = time_budget
        self.budget_chars = budget_chars
        self._init = (model, historical_days, batch_size)
        self._context = multiprocessing.get_context("spawn")
        self._threads: ThreadPoolExecutor | None = None  # the analysis (processes=0), else waits on the pool
        self._idle: asyncio.Queue[_PoolProcess] = asyncio.Queue()
        self._members: set[_PoolProcess] = set()
        self._closed = False

    async def start(self) -> str:
        """Start every process and wait until each has its model; return the extractor version."""
        loop = asyncio.get_running_loop()
        if self.processes == 0:
            self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp",
                                               initializer=_load, initargs=self._init)
            log.info("the analysis runs in a thread of the worker: STREAM_ARTICLE_TIME_BUDGET is not enforced")
            return await loop.run_in_executor(self._threads, _ready)
        self._threads = ThreadPoolExecutor(max_workers=self.processes, thread_name_prefix="nlp-wait")
        started = [_PoolProcess(self._context, self._init) for _ in range(self.processes)]
        self._members.update(started)
        versions = await asyncio.gather(*(loop.run_in_executor(self._threads, p.ready) for p in started))
        for process in started:
            self._idle.put_nowait(process)
        return versions[0]

    @property
    def pids(self) -> list[int]:
        """Process ids of the pool's processes (none with ``processes=0``)."""
        return sorted(p.pid for p in self._members)

    def budget(self, piece: Sequence[Article]) -> float:
        """Seconds ``piece`` may take: the budget for each ``budget_chars`` of its text, at least once."""
        return self.time_budget * max(1.0, sum(len(a.body) for a in piece) / self.budget_chars)

    async def analyze(self, articles: Sequence[Article]) -> list[dict | Rejected]:
        if self.processes == 0:
            return await asyncio.get_running_loop().run_in_executor(self._threads, _analyze, list(articles))
        pieces = split(articles, self.processes)
        results = await asyncio.gather(*(self._analyze_piece(p) for p in pieces))
        return [analysis for piece in results for analysis in piece]

    async def _analyze_piece(self, piece: list[Article]) -> list[dict | Rejected]:
        try:
            return await self._run(piece)
        except AnalysisStopped as stop:
            if len(piece) == 1:
                return [_stopped(piece[0], stop, self.time_budget)]
            log.warning("a piece of %d articles %s; analysing them one at a time", len(piece), stop.detail)
            results: list[dict | Rejected] = []
            for article in piece:
                results += await self._analyze_piece([article])
            return results

    async def _run(self, piece: list[Article]) -> list[dict | Rejected]:
        process = await self._idle.get()
        job = asyncio.ensure_future(self._job(process, piece))
        # A cancelled caller (the worker stopping) leaves the job to finish: the process is busy until then.
        job.add_done_callback(lambda done: done.cancelled() or done.exception())
        return await asyncio.shield(job)

    async def _job(self, process: _PoolProcess, piece: list[Article]) -> list[dict | Rejected]:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._threads, process.analyze, piece, self.budget(piece))
        except AnalysisStopped as stop:
            if not self._closed:
                log.warning("analysis process %s %s on %d article(s); replacing it", process.pid, stop.detail,
                            len(piece))
                process = await self._replace(process)
            raise
        finally:
            if not self._closed:
                self._idle.put_nowait(process)

    async def _replace(self, process: _PoolProcess) -> _PoolProcess:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, process.kill)
        self._members.discard(process)
        fresh = _PoolProcess(self._context, self._init)
        self._members.add(fresh)
        await loop.run_in_executor(self._threads, fresh.ready)
        log.info("analysis process %s ready in place of %s", fresh.pid, process.pid)
        return fresh

    def close(self) -> None:
        self._closed = True
        for process in list(self._members):
            process.process.kill()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)


def _stopped(article: Article, stop: AnalysisStopped, budget: float) -> Rejected:
    if stop.reason is Reason.ANALYSIS_TIMEOUT:
        message = (f"the analysis of article {article.id!r} took longer than STREAM_ARTICLE_TIME_BUDGET "
                   f"({budget:.0f}s); its process was replaced. The input is kept here: replay it with a larger "
                   "budget or once the cause is fixed")
    else:
        message = (f"the analysis process {stop.detail} while analysing article {article.id!r}; it was replaced. "
                   "The input is kept here: replay it once the cause is fixed")
    return Rejected(stop.reason, message, article.id)
