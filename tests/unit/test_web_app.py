"""The Faust app's web server follows our settings: loopback, Faust's /table and /router off unless asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # imports the worker's modules (spaCy) in a fresh process

PROBE = """
import json, stream.app as a
conf = a.app.conf
print(json.dumps({"bind": conf.web_bind, "blueprints": sorted(p for p, _ in a.app.web.blueprints._enabled),
                  "views": sorted(a.app.web.views)}))
"""


def _web_config(tmp_path, **env: str) -> dict:
    # An address nothing listens on: creating the app connects to nothing. Empty values mean the defaults.
    env = {**os.environ, "STREAM_BROKER": "kafka://127.0.0.1:1", "STREAM_STATE_DIR": str(tmp_path),
           "STREAM_WEB_HOST": "", "STREAM_WEB_TABLES": "", "STREAM_WEB_ROUTER": "", **env}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_web_defaults_listen_on_loopback_without_table_and_router(tmp_path):
    config = _web_config(tmp_path)
    assert config["bind"] == "127.0.0.1"  # Faust's own default would be 0.0.0.0
    assert config["blueprints"] == [""]  # only Faust's plain index at /
    assert config["views"] == ["/api/incidents", "/api/recent", "/api/stats", "/dashboard", "/health/live", "/health/ready", "/metrics"]


def test_web_settings_open_the_host_and_faust_table_and_router(tmp_path):
    config = _web_config(tmp_path, STREAM_WEB_HOST="0.0.0.0", STREAM_WEB_TABLES="true", STREAM_WEB_ROUTER="true")
    assert config["bind"] == "0.0.0.0"
    assert config["blueprints"] == ["", "/router", "/table"]
