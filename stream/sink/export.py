"""`stream export`: the current events of a sink database as CSV in ACLED's column layout, or as GeoJSON.

One row (one feature) per current event: each casualty claim and each attack claim of the sink's tables.
The mapping from our fields to ACLED's columns is ``ACLED_COLUMNS`` (README "Exports"); what ACLED has no
column for comes after ACLED's columns, so tools written for ACLED exports read the file unchanged.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Iterable, Iterator

import orjson
import pycountry

# ACLED's export columns, in its order.
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
EXTRA_COLUMNS = ["cs_kind", "cs_type", "cs_status", "cs_count_best", "cs_count_min", "cs_count_max", "cs_injured",
                 "cs_certainty", "cs_attribution", "cs_counted", "cs_not_counted_reason", "cs_country_code",
                 "cs_geo_resolution", "cs_article_id", "cs_revision", "cs_title", "cs_url", "cs_published_at",
                 "cs_extractor_version"]
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

# Attack type -> ACLED (event_type, sub_event_type).
_ATTACK_TYPES = {
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "drone_strike": ("Explosions/Remote violence", "Air/drone strike"),
    "missile_strike": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "rocket_attack": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "suicide_bombing": ("Explosions/Remote violence", "Suicide bomb"),
    "chemical_attack": ("Explosions/Remote violence", "Chemical weapon"),
    "ground_assault": ("Battles", "Armed clash"),
    "kidnapping": ("Violence against civilians", "Abduction/forced disappearance"),
    "arson": ("Strategic developments", "Looting/property destruction"),
    "shooting": ("Violence against civilians", "Attack"),
    "stabbing": ("Violence against civilians", "Attack"),
    "other": ("Violence against civilians", "Attack"),
}
# Casualty status -> ACLED (event_type, sub_event_type) where the status alone says; killed, injured and missing
# say nothing of the kind of event (the attack claim of the same sentence does).
_STATUSES = {
    "kidnapped": ("Violence against civilians", "Abduction/forced disappearance"),
    "arrested": ("Strategic developments", "Arrests"),
    "displaced": ("Strategic developments", "Displacement"),
}
_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_TOWN = {"unique", "context", "largest"}  # a town's coordinates: ACLED geo_precision 1; a region or country: 3
_CIVILIAN_KINDS = {"civilians", "children", "women", "journalists", "aid_workers"}


@dataclass(frozen=True)
class Filters:
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    types: tuple[str, ...] = ()  # attack types and casualty statuses (ours), or ACLED event types
    certainties: tuple[str, ...] = ()

    def keep(self, event: dict) -> bool:
        date = event.get("date") or ""
        return ((not self.countries or event.get("country_code") in self.countries)
                and (not self.since or (date and date >= self.since))
                and (not self.until or (date and date <= self.until))
                and (not self.types or bool({event["cs_type"], event["event_type"]} & set(self.types)))
                and (not self.certainties or event.get("certainty") in self.certainties))


def events(conn, articles: dict[str, dict]) -> Iterator[dict]:
    """Every current event of the sink's tables (retracted ones, kept in mark mode, left out), as one flat dict
    of our fields with the ACLED classification."""
    for kind, table in (("casualty", "casualties"), ("attack", "attacks")):
        for (record,) in conn.execute(f"SELECT record FROM {table} WHERE NOT retracted ORDER BY event_id"):
            claim = orjson.loads(record) if isinstance(record, (str, bytes)) else record
            yield _flat(kind, claim, articles.get(claim["article_id"], {}))


def article_index(conn) -> dict[str, dict]:
    rows = conn.execute("SELECT article_id, title, url, source, published_at FROM articles").fetchall()
    return {r[0]: {"title": r[1], "url": r[2], "source": r[3], "published_at": r[4]} for r in rows}


def _flat(kind: str, claim: dict, article: dict) -> dict:
    where = claim.get("location") or {}
    when = claim.get("time") or {}
    count = claim.get("count") or {}
    kind_type = claim.get("attack_type") if kind == "attack" else claim.get("status")
    event_type, sub_event_type = (_ATTACK_TYPES if kind == "attack" else _STATUSES).get(kind_type, ("", ""))
    return {
        "event_id": claim["event_id"], "kind": kind, "cs_type": kind_type, "event_type": event_type,
        "sub_event_type": sub_event_type, "date": when.get("date"), "precision": when.get("precision"),
        "country_code": where.get("country_code"), "place": where.get("text"), "latitude": where.get("latitude"),
        "longitude": where.get("longitude"), "resolution": where.get("resolution"),
        "actor": _actor(claim.get("actor") or claim.get("perpetrator")), "claimed_by": _actor(claim.get("claimed_by")),
        "target": (claim.get("target") or {}).get("text"), "victims": (claim.get("victims") or {}).get("kind"),
        "status": claim.get("status"), "count_best": count.get("best"), "count_min": count.get("min"),
        "count_max": count.get("max"), "certainty": claim.get("certainty"),
        "attribution": (claim.get("attribution") or {}).get("text"), "counted": claim.get("counted"),
        "not_counted_reason": claim.get("not_counted_reason"), "evidence": (claim.get("evidence") or {}).get("text"),
        "article_id": claim["article_id"], "revision": claim["revision"],
        "extractor_version": claim.get("extractor_version"), **{f"article_{k}": v for k, v in article.items()},
    }


def _actor(actor: dict | None) -> str:
    return (actor.get("canonical") or actor.get("text") or "") if actor else ""


def acled_row(e: dict) -> dict:
    """One event in ACLED's columns, then ours (``cs_``)."""
    country = pycountry.countries.get(alpha_2=e["country_code"]) if e["country_code"] else None
    civilians = e["victims"] in _CIVILIAN_KINDS
    fatalities = e["count_best"] if e["status"] == "killed" and e["counted"] and e["count_best"] else 0
    published = e.get("article_published_at")
    return {
        "event_id_cnty": e["event_id"], "event_date": e["date"] or "", "year": (e["date"] or "")[:4],
        "time_precision": _PRECISION.get(e["precision"], ""),
        "disorder_type": "Political violence" if e["event_type"] and e["event_type"] != "Strategic developments"
        else "", "event_type": e["event_type"], "sub_event_type": e["sub_event_type"],
        "actor1": e["actor"], "assoc_actor_1": e["claimed_by"] if e["claimed_by"] != e["actor"] else "",
        "inter1": "", "actor2": "Civilians" if civilians else (e["target"] or e["victims"] or ""),
        "assoc_actor_2": "", "inter2": 7 if civilians else "", "interaction": "",
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": int(country.numeric) if country else "", "region": "", "country": country.name if country else "",
        "admin1": "", "admin2": "", "admin3": "", "location": e["place"] or "",
        "latitude": _blank(e["latitude"]), "longitude": _blank(e["longitude"]),
        "geo_precision": (1 if e["resolution"] in _TOWN else 3) if e["resolution"] else "",
        "source": e.get("article_source") or "", "source_scale": "", "notes": e["evidence"] or "",
        "fatalities": fatalities, "tags": "", "timestamp": _epoch(published),
        "cs_kind": e["kind"], "cs_type": e["cs_type"], "cs_status": _blank(e["status"]),
        "cs_count_best": _blank(e["count_best"]), "cs_count_min": _blank(e["count_min"]),
        "cs_count_max": _blank(e["count_max"]),
        "cs_injured": e["count_best"] if e["status"] == "injured" and e["count_best"] is not None else "",
        "cs_certainty": e["certainty"], "cs_attribution": _blank(e["attribution"]),
        "cs_counted": "" if e["counted"] is None else str(bool(e["counted"])).lower(),
        "cs_not_counted_reason": _blank(e["not_counted_reason"]), "cs_country_code": _blank(e["country_code"]),
        "cs_geo_resolution": _blank(e["resolution"]), "cs_article_id": e["article_id"],
        "cs_revision": e["revision"], "cs_title": _blank(e.get("article_title")),
        "cs_url": _blank(e.get("article_url")), "cs_published_at": _blank(published),
        "cs_extractor_version": _blank(e["extractor_version"]),
    }


def _blank(value):
    return "" if value is None else value


def _epoch(published: str | None):
    try:
        return int(datetime.fromisoformat(published.replace("Z", "+00:00")).timestamp()) if published else ""
    except ValueError:
        return ""


def write_csv(rows: Iterable[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in rows:
        writer.writerow(acled_row(event))
        n += 1
    return n


def feature(e: dict) -> dict:
    located = e["latitude"] is not None and e["longitude"] is not None
    geometry = {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]} if located else None
    return {"type": "Feature", "id": e["event_id"], "geometry": geometry,
            "properties": {k: v for k, v in e.items() if k not in ("latitude", "longitude")}}


def write_geojson(rows: Iterable[dict], out: IO[bytes]) -> int:
    """A FeatureCollection, written feature by feature (an export of any size in constant memory)."""
    out.write(b'{"type": "FeatureCollection", "features": [')
    n = 0
    for event in rows:
        out.write((b",\n" if n else b"\n") + orjson.dumps(feature(event)))
        n += 1
    out.write(b"\n]}\n")
    return n
