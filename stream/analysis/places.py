"""Place names resolved offline to a country, region, district and town, and how sure that is.

The candidates of a name come from the gazetteer (``stream.analysis.gazetteer``: countries,
first- and second-level regions, every place of 500 people or more). Each is scored by the
evidence around it: the places the text says contain it ("X, Y", "X (Y)", "X in Y province",
"the X district of Y", "Y's X province"), a feature word in the name ("Kaduna State", "Nad Ali
district", "Bama town"), the regions and countries the article names elsewhere, the nationality
adjectives and armed groups it names ("Somali army", "al-Shabaab": Somalia), and, weakest, the
dateline's country. The best-scored candidate wins; between candidates with equal evidence in
different countries (or regions) population decides only when one is ten times bigger, else the
name stays unresolved with its candidates' countries listed (or resolves to the one country or
region they share). A name matched only through a loose spelling needs evidence or a big place.

``precision`` is ACLED's: 1 the town itself, 2 the region or district it is in (a region's
coordinates are the centre of its towns), 3 only the country.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from stream.analysis import lexicon as lx
from stream.analysis.actors import actor_list
from stream.analysis.gazetteer import MAX_NAME, Entry, gazetteer, loose, normalize

DOMINANCE = 10  # among equal evidence, the biggest candidate wins only when this many times bigger than the next
DOMINANCE_AT_HOME = 3  # ... or this many times, when every namesake is in its country
SHARED_MARGIN = 1.25  # the region the article's names share must lead the next by this factor
BIG_PLACE = 100_000
EVIDENT_TOWN = 10_000  # a town resolved by its name alone is evidence of its country from this size  # a loose spelling stands on its own only for a place this big
_FEATURES = {
    **dict.fromkeys(("province", "governorate", "state", "region", "oblast", "prefecture", "wilaya", "emirate",
                     "countryside"), "admin1"),
    **dict.fromkeys(("district", "county", "subdistrict", "municipality", "upazila", "parish", "department",
                     "raion", "rayon", "tehsil", "commune", "lga", "local government area", "township", "payam",
                     "woreda", "zone", "subdivision", "sub-county", "cercle", "arrondissement"), "admin2"),
    **dict.fromkeys(("city", "town", "village", "hamlet", "locality", "settlement"), "town"),
    **dict.fromkeys(("area", "camp", "neighbourhood", "neighborhood", "outskirts", "suburbs", "hill", "hills",
                     "mountain", "mountains", "valley", "desert", "forest", "river", "lake", "island", "plain",
                     "coast", "front"), ""),
}
_FEATURE_SUFFIX = re.compile(r"\s+(?:" + "|".join(sorted(_FEATURES, key=len, reverse=True)) + r")$", re.I)
_KIND_RANK = {"town": 3, "admin2": 2, "admin1": 1, "country": 0}
PRECISION = {"town": 1, "admin2": 2, "admin1": 2, "country": 3}
# Regions of the world that span countries: no point stands for them, and GeoNames has villages of their names
# ("Middle East", a Baltimore neighbourhood).
WORLD_REGIONS = frozenset((
    "middle east", "near east", "far east", "levant", "maghreb", "horn of africa", "west africa",
    "east africa", "central africa", "southern africa", "north africa", "sub saharan africa", "central asia",
    "south asia", "southeast asia", "east asia", "caucasus", "south caucasus", "north caucasus", "balkans",
    "western balkans", "gulf", "persian gulf", "arabian peninsula", "latin america", "central america",
    "south america", "caribbean", "europe", "asia", "africa", "americas", "oceania", "scandinavia", "baltics",
    "lake chad basin", "great lakes"))
# Armed groups the actor list (stream/analysis/data/actors.json) does not hold yet, by the names wire copy
# uses, with their home country (ISO codes).
MORE_GROUPS = {
    "SSPDF": "SS", "MILF": "PH", "BLA": "PK", "Ambazonian": "CM", "Amhara Fano": "ET", "Anti-Balaka": "CF",
    "FACA": "CF", "Raia Mutomboki": "CD", "ISCAP": "CD", "Ahlu Sunnah Wa-Jama": "MZ",
}


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    """Loose name key -> home country: the actor list's groups and forces by every alias (not external forces:
    they act abroad), then MORE_GROUPS."""
    listed = {loose(normalize(alias)): actor.country for alias, actor in actor_list().by_alias.items()
              if actor.country and actor.type != "external_forces"}  # "Saudi-led coalition" strikes Yemen
    return listed | {loose(normalize(alias)): code for alias, code in MORE_GROUPS.items()}


MISSIONS_FILE = Path(__file__).with_name("data") / "missions.json"


@lru_cache(maxsize=1)
def _missions() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern of the missions' names (whole words, case as written) and each name's country."""
    missions = json.loads(MISSIONS_FILE.read_text(encoding="utf-8"))["missions"]
    country = {alias: m["country"] for m in missions for alias in [m["name"], *m["aliases"]]}
    names = sorted(country, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b"), country


def mission_countries(text: str) -> list[str]:
    """The countries of the peacekeeping and monitoring missions a text names ("the OSCE SMM observed":
    Ukraine), once per mission name (``data/missions.json``)."""
    pattern, country = _missions()
    return [country[name] for name in dict.fromkeys(pattern.findall(text))]


def group_country(name: str) -> str | None:
    """The home country of a named armed group or state force ("al-Shabaab", "Al Shabab" -> SO), if known."""
    key = normalize(name)
    return _groups().get(loose(key)) if len(key) >= 3 else None


@dataclass(frozen=True)
class Evidence:
    """What the whole article says about where it is: countries with weights, regions named, the dateline."""

    countries: tuple[tuple[str, int], ...] = ()
    regions: frozenset[str] = frozenset()  # admin1 codes
    dateline: frozenset[str] = frozenset()
    home: str | None = None  # the admin1 code of the place the article is about (its main place)

    @staticmethod
    def of(countries: Iterable[str] | "Evidence" = ()) -> "Evidence":
        if isinstance(countries, Evidence):
            return countries
        return Evidence(tuple((c, 1) for c in sorted(set(countries))))

    def at_home(self, entry: Entry) -> "Evidence":
        """This evidence and the place the article is about: its country (weight 1) and its region, the home."""
        weights = Counter(dict(self.countries))
        weights[entry.country_code] += 1
        regions = self.regions | ({entry.admin1_code} if entry.admin1_code else set())
        return Evidence(tuple(sorted(weights.items())), frozenset(regions), self.dateline, entry.admin1_code)

    def weight(self, country: str) -> int:
        return next((w for c, w in self.countries if c == country), 0)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(c for c, _ in self.countries)

    def main_country(self) -> str | None:
        """The country the article is about, when one outweighs every other."""
        ranked = sorted(self.countries, key=lambda cw: -cw[1])
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None


@dataclass(frozen=True)
class Resolution:
    entry: Entry | None
    how: str | None  # country | unique | context | largest | namesakes | region | container | None
    why: str = ""
    candidates: tuple[str, ...] = field(default=())  # the candidates' countries, when unresolved


def is_feature_word(word: str) -> bool:
    """"village", "district", "province": a word that says what kind of place the name before it is."""
    return word.lower() in _FEATURES


def is_country(name: str) -> bool:
    """A country's name ("Azerbaijan"): a sentence's town or region is more precisely where it happened."""
    return resolve(name).how == "country"


def split_feature(name: str) -> tuple[str, str | None]:
    """"Kaduna State" -> ("Kaduna", "admin1"); "Bama town" -> ("Bama", "town"); no feature word: kind None."""
    match = _FEATURE_SUFFIX.search(name)
    if not match or match.start() == 0:
        return name, None
    return name[:match.start()], _FEATURES[match.group(0).strip().lower()]


def resolve(name: str, evidence: Evidence = Evidence(), containers: tuple[str, ...] = ()) -> Resolution:
    """The place ``name`` stands for, given what contains it in the text and what the article says."""
    if not name or len(name) > MAX_NAME or not normalize(name):
        return Resolution(None, None, "not a place name" if name else "no name")
    if normalize(name) in WORLD_REGIONS:
        return Resolution(None, None, "a region of the world, not one place")
    name, *inner = [part.strip() for part in name.split(",") if part.strip()] or [""]
    around = [_container_name(c) for c in [*inner, *containers][:3]]
    return _resolve(name, evidence, tuple(around))  # "Chihuahua, Chihuahua"


def _container_name(name: str) -> str:
    """A US state's postal code or AP abbreviation, with or without its stop, as the state's name where it
    follows a town ("Huntsville, AL", "Lansing, Mich"); any other container as it is."""
    return lx.US_POSTAL_CODES.get(name) or lx.US_STATE_ABBREVIATIONS.get(name) or \
        lx.US_STATE_ABBREVIATIONS.get(name + ".") or name


@lru_cache(maxsize=8192)
def _resolve(name: str, evidence: Evidence, containers: tuple[str, ...]) -> Resolution:
    name = lx.US_STATE_ABBREVIATIONS.get(name, name)
    around = _around(containers, evidence)
    entries, loose_only, feature = _candidates(name)
    if containers and not around:  # the text's own chain over the article's evidence: "Baqim (Sadah)" in Yemen
        plain = _around(containers, Evidence())
        around = plain if any(_agrees(e, c) for e in entries for c in plain) else around
    if not entries:
        return _by_container(around) or Resolution(None, None, "not in the gazetteer")
    if loose_only:  # a loose spelling with nothing for it: only a region or a big place
        entries = [e for e in entries if e.kind != "town" or e.population >= BIG_PLACE
                   or _score(e, evidence, around, feature) > 0] or entries
    regions = [e for e in entries if e.kind != "town"]
    scored = sorted(((_score(e, evidence, around, feature), e) for e in entries),
                    key=lambda se: (se[0], _preferred(se[1], regions), _KIND_RANK[se[1].kind], se[1].population),
                    reverse=True)
    best_score, best = scored[0]
    if around and not any(_agrees(best, c) for c in around):
        held = _held_by_namesake(scored, containers)
        if held is not None:  # "Pandogari (Rafi LGA, Niger)": Niger State, not the country
            return Resolution(held, "context", _why(held, best_score) + "; in a namesake of its container")
        return _by_container(around)  # a place the gazetteer lacks, in the region the text names
    main = evidence.main_country()
    if best_score <= 0 and main not in (None, best.country_code) and best.population < BIG_PLACE:
        return Resolution(None, None, f"only a small namesake in {best.country_code}; the article is about {main}",
                          tuple(sorted({e.country_code for e in entries})))
    home = evidence.home
    if home and not around and best.kind == "town" and best.population < BIG_PLACE and home[:2] == best.country_code \
            and best.admin1_code not in evidence.regions:  # "Parramore" in an Orlando story is not the Texan one
        return Resolution(None, None, f"only a small town elsewhere in {best.country_code}; the article is about "
                                      f"{home}", (best.country_code,))
    if loose_only and best_score <= 0 and best.population < BIG_PLACE and best.kind != "admin1":
        return Resolution(None, None, f"only a loose spelling of {best.name} ({best.country_code})",
                          tuple(sorted({e.country_code for e in entries})))
    equals = [e for s, e in scored[1:] if s == best_score and not _within(e, best) and not _within(best, e)]
    rivals = [e for e in equals if not (best.kind == "town" and e.kind != "town" and e.country_code == best.country_code)]
    found = _decide(best, best_score, rivals, equals, len(entries))
    inner = _by_container(around)
    if found.how == "namesakes" and inner is not None and _KIND_RANK[inner.entry.kind] > _KIND_RANK[found.entry.kind]:
        return inner  # "Pisky, Donetsk": namesakes all over Ukraine, but the text says which region
    return found


def _around(containers: tuple[str, ...], evidence: Evidence) -> list[Entry]:
    """The containers that resolve, each read inside the ones after it: "Mayafulka (Baydhaba, Bay)"."""
    return [r.entry for r in (_resolve(c, evidence, containers[k + 1:]) for k, c in enumerate(containers))
            if r.entry is not None]


def _held_by_namesake(scored: list[tuple[int, Entry]], containers: tuple[str, ...]) -> Entry | None:
    """The best candidate that lies in another region or country of a container's name than the one it
    resolved to."""
    regions = [c for name in containers for c in _candidates(name)[0] if c.kind != "town"]
    return next((e for _, e in scored if any(_agrees(e, c) for c in regions)), None)


def _agrees(entry: Entry, container: Entry) -> bool:
    """The entry may lie in the container: same country, and same region when the container is in one (a
    town's region too: "Orikhove, Luhansk" is not the Orikhove of Crimea)."""
    if entry.country_code != container.country_code:
        return False
    return container.kind == "country" or container.admin1_code is None or entry.admin1_code in (
        None, container.admin1_code)


def _preferred(entry: Entry, regions: list[Entry]) -> bool:
    """A name's own bearer before a town that only lists it among its other names ("Illinois" is the state,
    not a town in Missouri once called so), unless that town lies in the region of the name ("Ar-Raqqa")."""
    return entry.own_name or entry.kind != "town" or any(_within(entry, r) for r in regions)


def _candidates(name: str) -> tuple[list[Entry], bool, str | None]:
    """The gazetteer's entries for a name (whole, else without its feature word), whether only a loose
    spelling matched, and the feature word's kind."""
    g = gazetteer()
    bare, feature = split_feature(name)
    leading = _LEADING_FEATURE.match(bare)  # "Municipality of Alvaro Obregon", "the city of Dar'a"
    if leading:
        bare, feature = bare[leading.end():], feature or _FEATURES[leading.group(1).lower()]
    undirected = _LEADING_DIRECTION.sub("", bare)
    for attempt in dict.fromkeys((name, bare, undirected)):  # "Northern Iraq" is Iraq; "North Kivu" stays
        key = normalize(attempt)
        exact = g.ids(key)
        entries = g.candidates(attempt)
        if attempt is undirected and attempt != bare:  # "Southeast Fresno", but "South Church Street" is not
            entries = [e for e in entries if e.kind in ("country", "admin1") or e.population >= BIG_PLACE]
        if entries:
            return _own_names_first(entries), not exact, feature
    return [], False, feature


def _own_names_first(entries: list[Entry]) -> list[Entry]:
    """A town's own name beats another town's alternate name ("Philadelphia" is not Amman), unless the
    other is far bigger ("Kiev" is Kyiv, not a village that calls itself Kiev)."""
    own = [e for e in entries if e.own_name and e.kind == "town"]
    biggest_own = max((e.population for e in own), default=0)
    return [e for e in entries if e.kind != "town" or e.own_name or not own or e.population > DOMINANCE * biggest_own]


def _score(entry: Entry, evidence: Evidence, around: list[Entry], feature: str | None) -> int:
    score = 0
    for container in around:
        score += 4 * (container.country_code == entry.country_code)
        score += 4 * (container.admin1_code is not None and container.admin1_code == entry.admin1_code)
        score += 2 * (container.admin2_name is not None and container.admin2_name == entry.admin2_name)
    score += 2 * (entry.admin1_code in evidence.regions and entry.kind != "admin1")
    score += min(evidence.weight(entry.country_code), 3)
    score += entry.country_code in evidence.dateline
    if feature:
        score += 3 * (_FEATURES_KIND_MATCH.get(feature, set()) >= {entry.kind})
    return score + 2 * (entry.kind == "country")


_FEATURES_KIND_MATCH = {"admin1": {"admin1", "admin2"}, "admin2": {"admin2", "admin1"}, "town": {"town"}}


def _within(inner: Entry, outer: Entry) -> bool:
    """``inner`` lies in ``outer``, or both are one town (GeoNames lists some twice, a few km apart)."""
    if inner.country_code != outer.country_code:
        return False
    if outer.kind == "country":
        return True
    if outer.kind == "admin1":
        return inner.admin1_code == outer.admin1_code and inner.kind != "admin1"
    if outer.kind == "admin2":
        return inner.admin2_name == outer.admin2_name and inner.kind == "town"
    return (inner.kind == "town" and inner.latitude is not None and outer.latitude is not None
            and abs(inner.latitude - outer.latitude) < 0.25 and abs(inner.longitude - outer.longitude) < 0.25)


def _decide(best: Entry, score: int, rivals: list[Entry], equals: list[Entry], count: int) -> Resolution:
    """``rivals``: other candidates as good as ``best``; ``equals`` also the regions of its country that bear
    its name (a town named after its region is the town, unless the region is ten times bigger: "Oregon")."""
    top = max([best, *equals], key=lambda e: e.population)
    others = [e for e in [best, *rivals] if e is not top and not _within(e, top)]
    biggest_other = max((e.population for e in others), default=1)
    if (rivals or top is not best) and top.population >= DOMINANCE * biggest_other:
        return Resolution(top, "largest", f"{top.name} is over {DOMINANCE} times bigger than its namesakes")
    if rivals and top.kind == "town" and {e.country_code for e in others} == {top.country_code} \
            and top.population >= DOMINANCE_AT_HOME * biggest_other:  # "Columbus": Ohio's, not Georgia's
        return Resolution(top, "largest", f"{top.name} is over {DOMINANCE_AT_HOME} times bigger than its "
                                          f"namesakes, all in {top.country_code}")
    if not rivals:
        how = "country" if best.kind == "country" else "region" if best.kind != "town" and count == 1 else (
            "unique" if count == 1 or score <= 0 else "context")
        return Resolution(best, how, _why(best, score))
    countries = {best.country_code, *(r.country_code for r in rivals)}
    if len(countries) > 1:
        return Resolution(None, None, "namesakes in several countries and nothing to choose",
                          tuple(sorted(countries)))
    regions = {best.admin1_code, *(r.admin1_code for r in rivals)}
    g = gazetteer()
    if len(regions) == 1 and best.admin1_code:
        region = next((e for e in g.candidates(best.admin1_name or "") if e.admin1_code == best.admin1_code
                       and e.kind == "admin1"), None)
        if region is not None:
            return Resolution(region, "namesakes", f"namesakes all in {region.name}")
    return Resolution(g.country(best.country_code), "namesakes", f"namesakes all in {best.country_code}")


def _why(entry: Entry, score: int) -> str:
    where = ", ".join(filter(None, (entry.admin2_name, entry.admin1_name, entry.country_code)))
    return f"{entry.kind} {entry.name} ({where}), evidence {score}"


def _by_container(around: list[Entry]) -> Resolution | None:
    """An unknown name placed by what the text says contains it: the most specific container."""
    if not around:
        return None
    inner = max(around, key=lambda e: _KIND_RANK[e.kind])
    return Resolution(inner, "container", f"unknown; in {inner.name} as the text says")


# -- the text around a name ----------------------------------------------------------------------
_DIRECTION = (r"(?:(?:far|extreme)[- ])?(?:north|south|east|west|central|north-?east|north-?west|south-?east|"
              r"south-?west|rural)(?:ern)?(?:\s+(?:countryside|outskirts|suburbs)\s+of)?")
# the direction word in lower case only: "northern Burkina Faso", but "Central Equatoria" is a name
_CONNECTOR = re.compile(
    r"(?i:(?:\s+(?:" + "|".join(sorted(_FEATURES, key=len, reverse=True)) + r"))?"
    r"\s*(?:,|\(|\bin\b|\bof\b|['\u2019]s\b)\s*(?:the\s+)?)(?:" + _DIRECTION + r"\s+)?")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_WORD = r"[A-Z](?:[\w&-]|['\u2019](?!s\b))*"  # "Dar'a", not "Faso's"
_NAME = re.compile(_WORD + r"(?:[ -](?:" + _WORD + r"|al|el|de|du|des|la|le|and|&))*")
_POSSESSOR = re.compile(r"([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)['\u2019]s\s+(?:" + _DIRECTION + r"\s+)?$")
_LEADING_FEATURE = re.compile(r"^(?:the\s+)?(" + "|".join(sorted((f for f in _FEATURES if _FEATURES[f]), key=len,
                                                                 reverse=True)) + r")\s+of\s+(?=\S)", re.I)
_LEADING_DIRECTION = re.compile(r"^(?:" + _DIRECTION + r")\s+", re.I)
WINDOW = 120  # characters of the text around a name read for containers


def containers(text: str, start: int, end: int) -> tuple[str, ...]:
    """Names the text says contain the one at ``text[start:end]``: "Bama, Borno State", "Bali Doogle
    (Wanla Weyne, Lower Shabelle)", "Sollé in northern Burkina Faso's Loroum province", "the Kupwara
    district of Jammu and Kashmir", and the possessor of "Burkina Faso's Loroum province"."""
    found = []
    before = _POSSESSOR.search(text[max(0, start - WINDOW):start])
    if before:
        found.append(before.group(1))
    pos, limit = end, min(len(text), end + WINDOW)
    while len(found) < 3:
        link = _CONNECTOR.match(text, pos, limit)
        if link and pos == end and _POSSESSIVE.match(text, pos, limit):
            break  # "Denver's Whittier neighbourhood": what follows lies in the name, not around it
        name = _NAME.match(text, link.end(), limit) if link else None
        if name is None:
            break
        found.append(name.group(0).rstrip(".").removesuffix("'s").removesuffix("\u2019s"))
        pos = name.end()
    return tuple(found)


def shared_region(names: Iterable[str]) -> str | None:
    """The one region that the article's distinct place names point to most, when two or more may lie in it:
    names that are each ambiguous settle one another ("Cook County", "Englewood" and "South Aberdeen":
    Illinois). Each name's vote is shared among the regions it may be in, by the logarithm of their
    namesakes' populations (a weak prior); loose spellings do not vote."""
    votes: Counter = Counter()
    voters: Counter = Counter()
    for name in names:
        entries, loose_only, _ = _candidates(name)
        sizes: dict[str, float] = {}
        for e in entries:
            if e.admin1_code and e.kind != "country":
                sizes[e.admin1_code] = max(sizes.get(e.admin1_code, 0.0), math.log10(e.population + 10))
        if sizes and not loose_only:  # a rarer name says more; a bigger namesake a little more
            whole = sum(sizes.values())
            votes.update({code: size / whole for code, size in sizes.items()})
            voters.update(sizes.keys())
    ranked = votes.most_common(2)
    if ranked and voters[ranked[0][0]] >= 2 and (len(ranked) == 1 or ranked[0][1] > SHARED_MARGIN * ranked[1][1]):
        return ranked[0][0]
    return None


# -- fields ----------------------------------------------------------------------------------------------
LOCATION_FIELDS = ("country_code", "admin1_code", "admin1_name", "admin2_name", "town", "geonameid", "latitude",
                   "longitude", "precision", "resolution", "candidate_countries")
EMPTY = {"country_code": None, "admin1_code": None, "admin1_name": None, "admin2_name": None, "town": None,
         "geonameid": None, "latitude": None, "longitude": None, "precision": None, "resolution": None}


def fields(resolution: Resolution) -> dict:
    """The location fields of a resolution (all None when unresolved, its candidates' countries kept)."""
    entry = resolution.entry
    if entry is None:
        return {**EMPTY, "candidate_countries": list(resolution.candidates)}
    return {"country_code": entry.country_code, "admin1_code": entry.admin1_code, "admin1_name": entry.admin1_name,
            "admin2_name": entry.admin2_name, "town": entry.name if entry.kind == "town" else None,
            "geonameid": entry.geonameid, "latitude": entry.latitude, "longitude": entry.longitude,
            "precision": max(PRECISION[entry.kind], 2) if resolution.how == "container" else PRECISION[entry.kind],
            "resolution": resolution.how, "candidate_countries": []}


def geo_fields(name: str | None, context: Iterable[str] | Evidence = (), around: tuple[str, ...] = ()) -> dict:
    """The location fields for a place name, given the article's evidence and the names containing it."""
    return fields(resolve(name or "", Evidence.of(context), around))


def country_name(code: str) -> str:
    entry = gazetteer().country(code)
    return entry.name if entry else code


def country_fields(code: str, how: str = "article_country") -> dict:
    """Only a country: precision 3, no coordinates (a country's centre says nothing of where)."""
    entry = gazetteer().country(code)
    return {**EMPTY, "country_code": code, "admin1_code": None, "precision": 3, "resolution": how,
            "candidate_countries": []} if entry else {**EMPTY, "candidate_countries": []}


def likely_country(name: str) -> str | None:
    """A guess where ``resolve`` will not decide: the country of the biggest place of that name. For
    grouping reports (they name the same places), never for a claim's place."""
    entries, _, _ = _candidates(name)
    return max(entries, key=lambda e: e.population).country_code if entries else None


def article_evidence(places: Iterable[str], adjectives: Iterable[str] = (), groups: Iterable[str] = (),
                     dateline: Iterable[str] = (), missions: Iterable[str] = ()) -> Evidence:
    """The article's evidence: the countries and regions its places settle on their own (a country counts
    2, a town or region 1), the region its namesakes share (``shared_region``, 1), its nationality adjectives,
    armed groups and the countries of the missions it names (1 each), and the dateline."""
    g = gazetteer()
    weights: Counter = Counter()
    regions = set()
    places = list(dict.fromkeys(places))  # a name counts once, however often the article repeats it
    for name in places:
        found = resolve(name)
        if found.entry is None or found.how in ("largest", "unique") and found.entry.population < EVIDENT_TOWN:
            continue  # a small town that only happens to bear the name says little of where the article is
        weights[found.entry.country_code] += 2 if found.entry.kind == "country" else 1
        if found.entry.admin1_code:
            regions.add(found.entry.admin1_code)
    for word in adjectives:
        if code := g.demonym(word):
            weights[code] += 1
    for name in groups:
        if code := group_country(name):
            weights[code] += 1
    weights.update(missions)
    shared = shared_region(places)
    if shared is not None:
        regions.add(shared)
        weights[shared[:2]] += 1
    dateline = list(dateline)
    lines = [resolve(name, Evidence(), tuple(dateline[k + 1:])) for k, name in enumerate(dateline)]
    regions |= {r.entry.admin1_code for r in lines if r.entry is not None and r.entry.admin1_code}
    return Evidence(tuple(sorted(weights.items())), frozenset(regions),
                    frozenset(r.entry.country_code for r in lines if r.entry is not None))
