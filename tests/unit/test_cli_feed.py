"""`stream feed`: what a user sees before any broker is involved (the full run: tests/integration/test_feed_stream.py)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_cli_feed_missing_feed_file_is_a_clear_error_before_any_broker_starts(tmp_path):
    state = tmp_path / "state"
    done = subprocess.run([sys.executable, "-m", "stream.cli", "feed", str(tmp_path / "saved-feed.xml"), "--once"],
                          env={**os.environ, "STREAM_STATE_DIR": str(state)}, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "saved-feed.xml: no such feed file" in done.stderr
    assert not state.exists()  # no local broker was started, nothing written
