"""Country outlines under the dashboard's event map.

Natural Earth's 1:110m Admin 0 countries (version 4.1.0, public domain) as the npm package
world-atlas 2.0.2 ships them (``static/countries-110m.json``, unchanged; its ISC licence is
``static/world-atlas-LICENSE``). The TopoJSON is turned into one SVG path per country, in the
map's own degrees (``map_xy``), once per process.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from importlib import resources

Point = tuple[float, float]


def map_xy(longitude: float, latitude: float) -> Point:
    """The map's own degrees: an equirectangular 360 x 180 box, x = longitude + 180, y = 90 - latitude."""
    return longitude + 180, 90 - latitude


def _arcs(topology: dict) -> list[list[Point]]:
    """Every arc in longitude/latitude: TopoJSON stores them quantized and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring joined from its arcs (a negative index ~i is arc i reversed); shared end points once."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc if not points else arc[1:]
    return points


def _path(rings: list[list[Point]]) -> str:
    parts = []
    for ring in rings:
        xy = ["{:.1f},{:.1f}".format(*map_xy(lon, lat)) for lon, lat in ring]
        parts.append("M" + "L".join(xy) + "Z")
    return "".join(parts)


def country_paths(topology: dict) -> list[tuple[str, str]]:
    """(country name, SVG path) for each country of a world-atlas topology."""
    arcs = _arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs")], "MultiPolygon": geometry.get("arcs")}.get(geometry["type"]) or []
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        if rings:
            out.append(((geometry.get("properties") or {}).get("name") or "", _path(rings)))
    return out


@lru_cache(maxsize=1)
def countries_svg() -> str:
    """The outlines as SVG elements, each with its country's name as a tooltip."""
    topology = json.loads(resources.files("stream.web").joinpath("static", "countries-110m.json").read_text("utf-8"))
    return "".join(f'<path class="country" d="{d}"><title>{escape(name)}</title></path>'
                   for name, d in country_paths(topology))
