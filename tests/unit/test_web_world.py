"""stream/web/world.py: the dashboard's country outlines, from the vendored Natural Earth TopoJSON."""

import json
import re
from importlib import resources

import pytest

from stream.web.world import countries_svg, country_paths

TOPOLOGY = json.loads(resources.files("stream.web").joinpath("static", "countries-110m.json").read_text("utf-8"))
PATHS = dict(country_paths(TOPOLOGY))


def _points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]


@pytest.mark.parametrize(("country", "west", "east", "south", "north"), [
    ("Nigeria", 2.6, 14.7, 4.2, 13.9),
    ("Afghanistan", 60.5, 74.9, 29.4, 38.5),
    ("Somalia", 40.9, 51.2, -1.7, 12.0),
    ("Chile", -75.7, -66.9, -55.7, -17.5),
])
def test_web_world_country_lies_where_natural_earth_has_it(country, west, east, south, north):
    lons = [x - 180 for x, _ in _points(PATHS[country])]
    lats = [90 - y for _, y in _points(PATHS[country])]
    assert abs(min(lons) - west) < 0.6 and abs(max(lons) - east) < 0.6
    assert abs(min(lats) - south) < 0.6 and abs(max(lats) - north) < 0.6


def test_web_world_every_country_drawn_inside_the_map():
    assert len(PATHS) == len(TOPOLOGY["objects"]["countries"]["geometries"]) == 177
    for name, d in PATHS.items():
        assert d.startswith("M") and d.endswith("Z"), name
        assert all(0 <= x <= 360 and 0 <= y <= 180 for x, y in _points(d)), name


def test_web_world_islands_are_rings_of_their_own():
    assert PATHS["Japan"].count("M") >= 3 and PATHS["Indonesia"].count("M") >= 10


def test_web_world_svg_escapes_names_and_is_built_once():
    svg = countries_svg()
    assert svg.count('<path class="country"') == 177 and "<title>Côte d'Ivoire</title>" not in svg
    assert "<title>Côte d&#x27;Ivoire</title>" in svg
    assert countries_svg() is svg
