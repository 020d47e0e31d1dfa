"""``stream extract``: the worker's processing, offline, one JSON line per article on stdout."""

from __future__ import annotations

import time
from functools import partial
from itertools import islice
from typing import BinaryIO, Iterable, Iterator

import orjson
from rich.console import Console
from rich.progress import Progress

from stream.analysis.pipeline import Analyzer
from stream.incidents.batch import IncidentBuilder
from stream.ingest.decode import decode_raw
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


def run_extract(source: str, published_at: str | None, settings: Settings, sink: BinaryIO, console: Console,
                incidents: bool = False) -> int:
    """Analyse every article of ``source``; write processed lines to ``sink``; return how many were rejected.

    ``incidents``: also cluster the claims into incidents, as the worker's incident stage does; each
    line then gains ``incident_ids`` (known once every article is in, so the lines come at the end),
    followed by one ``{"incident": ...}`` line per incident in its final state."""
    items = list(read_items(source, published_at=published_at))
    with console.status("loading the model..."):
        analyzer = Analyzer(settings.model, historical_days=settings.historical_days, batch_size=settings.batch_size)
    processor = Processor(Ledger({}), extractor_version=analyzer.extractor_version,
                          max_message_bytes=settings.max_message_bytes, validate=settings.validate_output,
                          analyze=partial(analyze_isolated, analyzer))
    builder = IncidentBuilder(window_days=settings.incident_window_days, undated_days=settings.incident_undated_days,
                              idle_articles=settings.incident_idle_articles,
                              extractor_version=analyzer.extractor_version,
                              tombstone_after=settings.incident_tombstone_after) if incidents else None
    held: list[tuple[str, int, bytes]] = []
    rejected = 0
    with Progress(console=console, disable=len(items) < CHUNK, transient=True) as progress:
        task = progress.add_task("analysing", total=len(items))
        for chunk in _chunks(items, CHUNK):
            articles = []
            for item in chunk:
                try:
                    articles.append(decode_raw(item.value, max_body_bytes=settings.max_body_bytes))
                except Rejected as exc:
                    rejected += 1
                    console.print(f"rejected {item.origin}: {exc.reason.value}: {exc.message}", markup=False)
            for outcome in processor.run(articles):
                if outcome.rejected is not None:
                    rejected += 1
                    console.print(f"rejected {outcome.article.id}: {outcome.rejected.reason.value}: "
                                  f"{outcome.rejected.message}", markup=False)
                elif outcome.outdated:
                    console.print(f"skipped {outcome.article.id} as outdated: {outcome.why}", markup=False)
                elif outcome.duplicate:
                    console.print(f"skipped {outcome.article.id}: an exact re-send of an article already analysed",
                                  markup=False)
                elif builder is not None:
                    builder.add(outcome.processed, time.time())
                    held.append((outcome.article.id, outcome.revision, orjson.dumps(outcome.processed)))
                else:
                    sink.write(orjson.dumps(outcome.processed) + b"\n")
            sink.flush()
            progress.advance(task, len(chunk))
    if builder is not None:
        _write_incidents(builder, held, sink)
    return rejected


def _write_incidents(builder: IncidentBuilder, held: list[tuple[str, int, bytes]], sink: BinaryIO) -> None:
    for article_id, revision, line in held:
        ids = orjson.dumps(builder.incident_ids(article_id, revision))
        sink.write(line[:-1] + b',"incident_ids":' + ids + b"}\n")  # the processed line is one JSON object
    for record in builder.final():
        sink.write(orjson.dumps({"incident": record}) + b"\n")
    sink.flush()
