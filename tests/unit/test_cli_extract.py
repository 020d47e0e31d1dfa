"""`stream extract`: the offline command, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from stream.schemas import validator

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stream.cli", "extract", *args], input=stdin, capture_output=True)


def test_cli_extract_txt_file_with_publication_date():
    done = run(str(FIXTURES / "kharkiv_2025-03-11.txt"), "--published-at", "2025-03-11")
    assert done.returncode == 0, done.stderr.decode()
    (line,) = done.stdout.splitlines()
    result = validator("processed.json")(orjson.loads(line))
    assert result["article_id"] == "kharkiv_2025-03-11" and result["revision"] == 1
    assert result["title"].startswith("Ukraine:") and result["totals"]["killed"]["best"] == 31


def test_cli_extract_jsonl_reports_rejects_and_skips_resends(tmp_path):
    good = {"id": "x1", "body": "Police arrested nine men in Kano on Friday.", "published_at": "2026-05-01"}
    source = tmp_path / "feed.jsonl"
    source.write_bytes(b"\n".join([orjson.dumps(good), b"{broken", orjson.dumps(good)]) + b"\n")
    done = run(str(source))
    assert done.returncode == 3  # some input was rejected
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert [d["article_id"] for d in lines] == ["x1"]
    assert lines[0]["totals"]["arrested"]["best"] == 9
    errors = done.stderr.decode()
    assert "feed.jsonl:2: not_json" in errors and "skipped x1" in errors


def test_cli_extract_reads_stdin_text():
    done = run("-", stdin=b"Clashes in the north\nTwo soldiers were wounded in clashes near the border.\n")
    result = orjson.loads(done.stdout)
    assert result["title"] == "Clashes in the north" and result["totals"]["injured"]["best"] == 2


def test_cli_extract_missing_file_is_a_clear_error(tmp_path):
    done = run(str(tmp_path / "nope.txt"))
    assert done.returncode != 0 and b"no such file or directory" in done.stderr
