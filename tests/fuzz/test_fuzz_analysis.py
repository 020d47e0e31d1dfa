"""The analysis (the real model) on hostile articles: property tests with small example counts, and the
extremes the issue names, each with the sane output it must give.

The largest run in a spawned process of their own, so their time and peak memory are theirs alone.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stream.analysis.article import Article
from stream.analysis.boundaries import MAX_SENTENCE_TOKENS
from stream.analysis.cleaning import normalize
from stream.analysis.pipeline import DEFAULT_MODEL, Analyzer
from stream.analysis.quantities import PLAUSIBLE_MAX
from stream.ingest.decode import decode_raw
from stream.publish import article_messages
from tests.fuzz.hostile import (ABSURD, CAPS, CLAIMS, FRENCH, GERMAN, SPANISH, bodies, far_dates, fuzz,
                                languages)

pytestmark = pytest.mark.slow

MAX_MESSAGE = 10 * 1024 * 1024
RSS_LIMIT_MB = 600  # the README's ceiling for an NLP process


def check_sane(article: Article, analysis: dict) -> None:
    """Messages valid against their schemas, offsets inside the body, absurd figures flagged and not totalled,
    nothing mined from text not in English."""
    article_messages(analysis, 1, [], max_message_bytes=MAX_MESSAGE)  # validates every message
    text = normalize(article.body)
    for sentence in analysis["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
    for item in analysis["entities"] + analysis["casualties"] + analysis["attacks"]:
        assert 0 <= item["start"] <= item["end"] <= len(article.body)
    for claim in analysis["casualties"]:
        if claim["count"] and claim["count"]["best"] > PLAUSIBLE_MAX:
            assert claim["count"]["implausible"] and not claim["counted"]
    assert all(total["best"] <= PLAUSIBLE_MAX * len(total["claims"]) for total in analysis["totals"].values())
    if not article.is_english:
        assert not analysis["english"] and not analysis["casualties"] and not analysis["attacks"]


@fuzz(300)
@given(bodies(), st.none() | far_dates, languages)
def test_fuzz_analysis_of_hostile_articles_is_sane(analyzer, body, published_at, language):
    article = Article("fuzz", body, published_at=published_at, language=language)
    check_sane(article, analyzer.analyze(article))


def test_fuzz_analysis_absurd_figure_is_flagged_implausible_and_never_totalled(analyzer):
    analysis = analyzer.analyze(Article("absurd", ABSURD, published_at="2024-10-22"))
    [claim] = analysis["casualties"]
    assert claim["count"]["best"] == 1_000_000_000_000 and claim["count"]["implausible"]
    assert (claim["counted"], claim["not_counted_reason"]) == (False, "implausible")
    assert "killed" not in analysis["totals"]


def test_fuzz_analysis_all_caps_wire_text_is_read(analyzer):
    analysis = analyzer.analyze(Article("caps", CAPS, published_at="2024-10-22"))
    assert [(c["status"], c["count"]["best"]) for c in analysis["casualties"]] == [("killed", 12)]
    assert analysis["totals"]["killed"]["best"] == 12


@pytest.mark.parametrize("published_at", ["0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31",
                                          "9999-12-31T23:59:59-12:00"])
def test_fuzz_analysis_dates_at_the_ends_of_the_calendar(analyzer, published_at):
    body = (f"{CLAIMS[0]} Last week 5 were wounded and yesterday 3 were abducted. Next Tuesday they will strike. "
            "The attack on Sunday killed 4. It happened 3 years ago, on Dec. 31.")
    article = Article("calendar", body, published_at=published_at)
    analysis = analyzer.analyze(article)
    check_sane(article, analysis)
    assert analysis["casualties"]


@pytest.mark.parametrize("text", [FRENCH, SPANISH, GERMAN])
def test_fuzz_analysis_non_english_is_marked_and_not_mined(analyzer, text):
    """Declared, or identified from the text when undeclared (stream.ingest.language)."""
    declared = Article("declared", text, language="de")
    undeclared = decode_raw(orjson.dumps({"id": "undeclared", "body": f"{text} {text}"}), None,
                            max_body_bytes=512 * 1024)
    assert undeclared.language not in (None, "en")
    for article in (declared, undeclared):
        analysis = analyzer.analyze(article)
        check_sane(article, analysis)
        assert analysis["english"] is False and analysis["language"] == article.language


# -- the extremes, in a process of their own ---------------------------------------------------------------
EXTREMES = {
    # 512 KB, no sentence end, a casualty word in every phrase: everything goes to the parser
    "512 KB without punctuation": ("killed people in gaza " * 30_000)[:512 * 1024],
    "512 KB without a space": "x" * 512 * 1024,
    "100,000 one-word sentences": "Yes. " * 100_000,
}


def _measure(bodies: dict[str, str]) -> dict[str, dict]:
    """In a fresh process: each analysis's time, result figures and the process's peak memory after it."""
    analyzer = Analyzer(DEFAULT_MODEL)
    analyzer.analyze(Article("warm-up", "Gunmen killed two people in Kaduna, Nigeria, on Monday, police said."))
    results = {}
    for name, body in bodies.items():
        started, cpu = time.perf_counter(), time.process_time()
        analysis = analyzer.analyze(Article(name, body))
        results[name] = {
            "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "sentences": len(analysis["sentences"]),
            "longest_sentence_words": max(len(s["text"].split()) for s in analysis["sentences"]),
            "english": analysis["english"],
        }
    return results


@pytest.fixture(scope="module")
def extremes() -> dict[str, dict]:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_measure, EXTREMES).result(timeout=600)


@pytest.mark.parametrize("name", list(EXTREMES))
def test_fuzz_analysis_extreme_bodies_stay_within_memory_and_sentence_caps(extremes, name):
    figures = extremes[name]
    print(name, figures)  # the measurements, for the record (-s)
    assert figures["peak_rss_mb"] < RSS_LIMIT_MB
    assert figures["longest_sentence_words"] <= MAX_SENTENCE_TOKENS


def test_fuzz_analysis_hundred_thousand_sentences_are_each_kept(extremes):
    assert extremes["100,000 one-word sentences"]["sentences"] == 100_000
