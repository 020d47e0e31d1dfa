"""Coverage-guided fuzzing (atheris) of the byte parsers: each target in its own process, seeded with the
hostile batch, real dead letters and claim phrases, a fixed number of runs and a fixed seed (so CI is
repeatable). A crash fails the test with libFuzzer's report: the Python traceback and the input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from stream.ingest.reasons import Reason, Rejected
from stream.publish import dead_letter
from tests.fuzz.hostile import SNIPPETS, hostile_batch

pytestmark = pytest.mark.slow

RUNS = 5_000
ROOT = Path(__file__).resolve().parents[2]


def seeds(target: str) -> list[bytes]:
    if target == "dead_letter":
        source = {"topic": "articles.raw", "partition": 1, "offset": 2, "timestamp": None}
        return [orjson.dumps(dead_letter(Rejected(Reason.NOT_JSON, "why", None), raw=raw, key=b"k", source=source,
                                         stage="ingest", extractor_version="1.0.0+fuzz",
                                         max_message_bytes=1024 * 1024).value)
                for _, raw in hostile_batch()[:8]]
    if target == "text_parsers":
        return [s.encode() for s in SNIPPETS if s] + [b"2024-10-22T10:00:00+03:00", b"more than 1,000,000,000,000"]
    return [raw for _, raw in hostile_batch()]


@pytest.mark.parametrize("target", ["decode_raw", "decode_article", "dead_letter", "text_parsers"])
def test_fuzz_atheris_parser_survives_coverage_guided_inputs(target, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, seed in enumerate(seeds(target)):
        (corpus / f"seed-{n}").write_bytes(seed)
    done = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.atheris_targets", target, f"-runs={RUNS}", "-seed=1", "-max_len=16384",
         "-len_control=0", "-timeout=20", "-rss_limit_mb=1024", f"-artifact_prefix={tmp_path}/", str(corpus)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = done.stderr[-6000:]
    assert done.returncode == 0, report
    assert re.search(rf"Done {RUNS} runs", done.stderr), report
