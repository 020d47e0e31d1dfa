"""``stream extract``: the worker's processing, offline, one JSON line per article on stdout."""

from __future__ import annotations

from functools import partial
from itertools import islice
from typing import BinaryIO, Iterable, Iterator

import orjson
from rich.console import Console
from rich.progress import Progress

from stream.analysis.pipeline import Analyzer
from stream.ingest.decode import decode_article
from stream.ingest.files import RawItem, read_items
from stream.ingest.reasons import Rejected
from stream.process import Processor, analyze_isolated
from stream.revisions import Ledger
from stream.settings import Settings

CHUNK = 64


def _chunks(items: Iterable[RawItem], size: int) -> Iterator[list[RawItem]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run_extract(source: str, published_at: str | None, settings: Settings, sink: BinaryIO, console: Console) -> int:
    """Analyse every article of ``source``; write processed lines to ``sink``; return how many were rejected."""
    items = list(read_items(source, published_at=published_at))
    with console.status("loading the model..."):
        analyzer = Analyzer(settings.model, historical_days=settings.historical_days, batch_size=settings.batch_size)
    processor = Processor(Ledger({}), extractor_version=analyzer.extractor_version,
                          max_message_bytes=settings.max_message_bytes, validate=settings.validate_output,
                          analyze=partial(analyze_isolated, analyzer))
    rejected = 0
    with Progress(console=console, disable=len(items) < CHUNK, transient=True) as progress:
        task = progress.add_task("analysing", total=len(items))
        for chunk in _chunks(items, CHUNK):
            articles = []
            for item in chunk:
                try:
                    articles.append(decode_article(item.value, max_body_bytes=settings.max_body_bytes))
                except Rejected as exc:
                    rejected += 1
                    console.print(f"rejected {item.origin}: {exc.reason.value}: {exc.message}", markup=False)
            for outcome in processor.run(articles):
                if outcome.rejected is not None:
                    rejected += 1
                    console.print(f"rejected {outcome.article.id}: {outcome.rejected.reason.value}: "
                                  f"{outcome.rejected.message}", markup=False)
                elif outcome.duplicate:
                    console.print(f"skipped {outcome.article.id}: an exact re-send of an article already analysed",
                                  markup=False)
                else:
                    sink.write(orjson.dumps(outcome.processed) + b"\n")
            sink.flush()
            progress.advance(task, len(chunk))
    return rejected
