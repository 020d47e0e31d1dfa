"""The sink's SQLite file in a browser: Datasette's settings and metadata for ``stream browse`` (no Datasette import).

Datasette serves the file read-only next to the running sink (WAL: readers never block it), with
facets on the columns analysts filter by, the newest events first, a map of any page with
``latitude``/``longitude`` (datasette-cluster-map), the sink's bookkeeping tables hidden, and a few
queries kept by name.
"""

from __future__ import annotations

from pathlib import Path

from stream.sink.rows import ARTICLES, ATTACKS, CASUALTIES, INCIDENTS
from stream.sink.store import SinkError

HIDDEN = ("sink_meta", "sink_offsets", "sink_retired")

_TABLES = {
    ARTICLES: {"description": "Each article's latest revision: headline, source, totals of its claims.",
               "sort_desc": "published_at", "facets": ["source", "language", "pubstatus"]},
    CASUALTIES: {"description": "Casualty claims, current revision. count_best is the claim's figure; counted "
                                "says whether it enters the totals (not_counted_reason when not).",
                 "sort_desc": "date", "facets": ["country_code", "status", "certainty", "victims_kind", "counted"]},
    ATTACKS: {"description": "Attack claims, current revision: type, actor, target, weapon.",
              "sort_desc": "date", "facets": ["country_code", "attack_type", "certainty", "actor"]},
    INCIDENTS: {"description": "Incidents: the claims of several reports merged, one row each.",
                "sort_desc": "time_start", "facets": ["country_code", "status", "dated"]},
    "sink_rejects": {"description": "Messages that failed their schema, with the reason and the original bytes."},
}

_QUERIES = {
    "killed_by_country_and_day": {
        "title": "Killed by country and day (counted casualty claims)",
        "sql": ("SELECT country_code, date, SUM(count_best) AS killed, COUNT(*) AS claims FROM casualties "
                "WHERE status = 'killed' AND counted AND NOT COALESCE(retracted, 0) AND date >= :since "
                "GROUP BY country_code, date ORDER BY date DESC, killed DESC"),
    },
    "incidents_by_country": {
        "title": "Active incidents by country",
        "sql": ("SELECT country_code, COUNT(*) AS incidents, SUM(killed_best) AS killed, SUM(injured_best) AS injured "
                "FROM incidents WHERE status = 'active' GROUP BY country_code ORDER BY incidents DESC"),
    },
}


def sqlite_file(url: str) -> Path:
    """The file of a ``sqlite:///`` URL, which must exist (Datasette would create an empty one)."""
    if not url.startswith("sqlite:///") or len(url) == len("sqlite:///"):
        raise SinkError(f"stream browse reads a sink's SQLite file (sqlite:///path.db), not {url!r}; a PostgreSQL "
                        "sink is read with the tools made for it (psql, Metabase, QGIS)")
    path = Path(url.removeprefix("sqlite:///"))
    if not path.is_file():
        raise SinkError(f"{path} does not exist: start a sink on it first (`stream sink {url}`)")
    return path


def metadata(database: str, *, title: str = "conflict-stream history") -> dict:
    """Datasette metadata for the sink file whose database name (its file name without suffix) is ``database``."""
    tables = {name: dict(spec) for name, spec in _TABLES.items()}
    tables.update({name: {"hidden": True} for name in HIDDEN})
    return {
        "title": title,
        "description": "Every event the sink has kept current: filter by column, facet, sort, export as CSV or "
                       "JSON; pages with coordinates show a map.",
        "databases": {database: {"tables": tables, "queries": _QUERIES}},
        "plugins": {"datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"}},
    }


def serve_args(path: Path, metadata_file: Path, *, host: str, port: int) -> list[str]:
    """The ``datasette serve`` arguments: read-only, modest limits, no SQL writes."""
    return ["serve", str(path), "--metadata", str(metadata_file), "--host", host, "--port", str(port),
            "--setting", "default_page_size", "50", "--setting", "sql_time_limit_ms", "3000",
            "--setting", "facet_time_limit_ms", "1000", "--setting", "suggest_facets", "off",
            "--setting", "allow_download", "off"]
