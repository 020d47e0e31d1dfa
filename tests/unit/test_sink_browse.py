"""`stream browse`: Datasette's metadata and a real Datasette server over a sink database (no broker)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from stream.sink.browse import HIDDEN, metadata, serve_args, sqlite_file
from stream.sink.store import SinkError
from stream.sink.tables import COLUMNS
from tests.integration.conftest import free_port
from tests.unit.test_sink_export import sink_db  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]


def test_sink_browse_facets_and_sorts_name_columns_of_their_tables():
    tables = metadata("sink")["databases"]["sink"]["tables"]
    for table, columns in COLUMNS.items():
        names = {name for name, _ in columns}
        assert set(tables[table]["facets"]) <= names and tables[table]["sort_desc"] in names, table
    assert all(tables[name] == {"hidden": True} for name in HIDDEN)


def test_sink_browse_queries_run_on_a_sink_database(sink_db):  # noqa: F811
    path = sqlite_file(sink_db)
    queries = metadata(path.stem)["databases"][path.stem]["queries"]
    with sqlite3.connect(path) as conn:
        killed = conn.execute(queries["killed_by_country_and_day"]["sql"], {"since": "2024-01-01"}).fetchall()
        assert killed == [("UA", "2024-10-22", 4, 1)]
        assert conn.execute(queries["killed_by_country_and_day"]["sql"], {"since": "2025-01-01"}).fetchall() == []
        conn.execute(queries["incidents_by_country"]["sql"]).fetchall()


@pytest.mark.parametrize(("url", "said"), [("postgresql://u@h/db", "not 'postgresql"), ("sqlite:///", "not"),
                                           ("sqlite:///nowhere/x.db", "does not exist")])
def test_sink_browse_refuses_what_datasette_cannot_read(url, said):
    with pytest.raises(SinkError, match=said):
        sqlite_file(url)


def test_sink_browse_serves_read_only_without_downloads(tmp_path):
    args = serve_args(tmp_path / "x.db", tmp_path / "m.json", host="127.0.0.1", port=8001)
    assert args[:2] == ["serve", str(tmp_path / "x.db")] and "-i" not in args  # the sink keeps writing to it
    assert args[args.index("allow_download") + 1] == "off"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


@pytest.mark.slow
def test_sink_browse_serves_filtered_events_and_a_map(sink_db):  # noqa: F811
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "stream.cli", "browse", sink_db, "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/sink"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                index = json.loads(_get(f"{base}.json"))
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
                time.sleep(0.3)
        shown = {t["name"] for t in index["tables"] if not t["hidden"]}
        assert {"articles", "casualties", "attacks", "incidents"} <= shown and not shown & set(HIDDEN)
        rows = json.loads(_get(f"{base}/casualties.json?_shape=array&country_code=UA"))
        assert [(r["status"], r["count_best"], r["place"]) for r in rows] == [("killed", 4, "Kharkiv")]
        assert json.loads(_get(f"{base}/casualties.json?_shape=array&country_code=SY")) == []
        page = _get(f"{base}/casualties").decode()
        assert "datasette-cluster-map" in page and "country_code" in page
        with pytest.raises(urllib.error.HTTPError):  # read-only: no writes through SQL
            _get(f"{base}.json?sql=" + urllib.parse.quote("DELETE FROM casualties"))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    with pytest.raises(OSError):  # the server went with the command
        _get(f"{base}.json")
