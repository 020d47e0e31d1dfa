"""`stream export` over a sink database built by the store from hand-made messages (no broker)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator

from stream.cli import main
from stream.sink.export import ACLED_COLUMNS, COLUMNS
from stream.sink.store import Store
from tests.unit.test_publish import make_analysis
from tests.unit.test_sink import Feed, revised, revision_messages

GEOJSON_SCHEMA = orjson.loads((Path(__file__).parents[1] / "schemas" / "geojson-feature-collection.json").read_bytes())


@pytest.fixture
def sink_db(tmp_path) -> str:
    """A sink database holding one article at its second revision: a killed claim and an attack claim (the
    injured claim retracted)."""
    url = f"sqlite:///{tmp_path / 'sink.db'}"
    store = Store(url).open()
    feed = Feed()
    first = revision_messages(make_analysis(), 1)
    store.write(feed.messages(first) + feed.messages(revision_messages(revised(make_analysis()), 2,
                                                                      [first[1].value["event_id"]])))
    store.close()
    return url


def export(url: str, *args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["export", url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_sink_export_csv_in_acled_layout_loads_with_csv(sink_db):
    text, said = export(sink_db)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:len(ACLED_COLUMNS)] == ACLED_COLUMNS and list(rows[0]) == COLUMNS
    killed = next(r for r in rows if r["cs_kind"] == "casualty")
    attack = next(r for r in rows if r["cs_kind"] == "attack")
    assert (killed["fatalities"], killed["event_date"], killed["year"], killed["time_precision"]) == (
        "4", "2024-10-22", "2024", "1")
    assert (killed["country"], killed["iso"], killed["location"], killed["geo_precision"]) == (
        "Ukraine", "804", "Kharkiv", "1")
    assert (attack["event_type"], attack["sub_event_type"], attack["actor1"], attack["fatalities"]) == (
        "Explosions/Remote violence", "Air/drone strike", "Russia", "0")
    assert attack["notes"] and attack["source"] == "AP" and killed["cs_revision"] == "2"
    assert len(rows) == 2 and "2 event(s) of 2 written" in said  # the retracted claim is not current


def test_sink_export_csv_loads_with_pandas_into_acled_columns(sink_db, tmp_path):
    pandas = pytest.importorskip("pandas")
    export(sink_db, "-o", str(tmp_path / "events.csv"))
    frame = pandas.read_csv(tmp_path / "events.csv")
    assert list(frame.columns[:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert int(frame["fatalities"].sum()) == 4 and frame["latitude"].dtype.kind == "f"


def test_sink_export_geojson_validates_one_feature_per_event(sink_db):
    text, _ = export(sink_db, "--format", "geojson")
    collection = orjson.loads(text)
    assert not list(Draft7Validator(GEOJSON_SCHEMA).iter_errors(collection))
    assert len(collection["features"]) == 2
    point = collection["features"][0]["geometry"]["coordinates"]
    assert 36 < point[0] < 37 and 49 < point[1] < 51  # longitude first (RFC 7946)


@pytest.mark.parametrize("args, kinds", [
    (["--country", "ua"], {"casualty", "attack"}),
    (["--country", "PS"], set()),
    (["--since", "2024-10-22", "--until", "2024-10-22"], {"casualty", "attack"}),
    (["--since", "2024-10-23"], set()),
    (["--type", "drone_strike"], {"attack"}),
    (["--type", "killed"], {"casualty"}),
    (["--type", "Explosions/Remote violence"], {"attack"}),
    (["--certainty", "reported"], {"casualty", "attack"}),
    (["--certainty", "asserted"], set()),
])
def test_sink_export_filters(sink_db, args, kinds):
    text, _ = export(sink_db, *args)
    assert {r["cs_kind"] for r in csv.DictReader(io.StringIO(text))} == kinds


def test_sink_export_unknown_database_url_is_a_usage_error():
    result = CliRunner().invoke(main, ["export", "mysql://x/y"])
    assert result.exit_code == 2 and "unsupported database URL" in result.output
