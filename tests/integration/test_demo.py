"""`stream demo`, the main job: samples in, events printed, web view up, the claims in the demo's SQLite sink,
Ctrl-C stops what it started."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.integration.conftest import free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_demo_prints_events_and_stops_cleanly(pipeline, tmp_path):
    port = free_port()
    env = {**os.environ, **pipeline.env}
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        # Ctrl-C as in a terminal, even when the tests themselves run in the background (where SIGINT is
        # inherited as ignored, and Python then never raises KeyboardInterrupt).
        history_port = free_port()
        demo = subprocess.Popen([sys.executable, "-m", "stream.cli", "demo", "--web-port", str(port),
                                 "--history-port", str(history_port)], env=env,
                                stdout=stdout, stderr=stderr,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            deadline = time.monotonic() + 150
            while "accounted for" not in err.read_text() and time.monotonic() < deadline:
                assert demo.poll() is None, err.read_text()
                time.sleep(0.5)
            assert "accounted for" in err.read_text(), err.read_text()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
                assert page.status == 200
            database = Path(pipeline.env["STREAM_STATE_DIR"]) / "demo-events.db"
            assert str(database) in err.read_text()
            wait_for(lambda: _casualty_rows(database), "the demo's sink to write the claims", timeout=60)
            history = f"http://127.0.0.1:{history_port}/demo-events"
            assert f"history browser: {history}" in err.read_text()
            rows = wait_for(lambda: _json(f"{history}/casualties.json?_shape=array"), "the history browser",
                            timeout=60)
            assert all(r["event_id"] and r["article_id"] for r in rows)  # the sink's own rows, through Datasette
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/dashboard", timeout=10) as page:
                assert f'href="{history}"' in page.read().decode()
        finally:
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(90)
            except subprocess.TimeoutExpired:
                demo.kill()
                raise
    printed = out.read_text()
    assert "KILLED" in printed and "AIRSTRIKE" in printed and "DEAD LETTER" in printed and "RETRACTED" in printed
    assert "stopped the worker" in err.read_text()
    assert demo.returncode == 0


def _casualty_rows(database: Path) -> int:
    if not database.exists():
        return 0
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT count(*) FROM casualties").fetchone()[0]
    except sqlite3.OperationalError:  # the sink has not created its tables yet
        return 0
    finally:
        conn.close()


def _json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as page:
            return json.loads(page.read()) or None
    except OSError:
        return None
