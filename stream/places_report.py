"""`stream places TEXT`: how each place of a text was resolved, and why (for tuning and error reports)."""

from __future__ import annotations

from stream.analysis.geography import Geography
from stream.analysis.places import fields, resolve


def explain(analysis: dict, geography: Geography) -> list[dict]:
    """One row per place the text names (each name and containers once), for the article's main place, and
    per claim: the name, what contains it in the text, the result and why."""
    rows = []
    for name, around in dict.fromkeys(geography.named):
        found = resolve(name, geography.evidence, around)
        rows.append({"what": "place", "name": name, "containers": list(around), **_result(fields(found)),
                     "why": found.why})
    if geography.main_place is not None:
        name, around = geography.main_place
        rows.append({"what": "main place", "name": name, "containers": list(around),
                     **_result(fields(resolve(name, geography.evidence, around))),
                     "why": "the place the article names most"})
    for claim in analysis["casualties"] + analysis["attacks"]:
        where = claim["location"]
        rows.append({"what": f"claim {claim.get('status') or claim.get('attack_type')}",
                     "name": where["text"] if where else None, "containers": [],
                     **_result(where or {}), "why": f"basis {where['basis']}" if where else "no place"})
    return rows


def _result(fields: dict) -> dict:
    keys = ("country_code", "admin1_name", "admin2_name", "town", "latitude", "longitude", "precision", "resolution",
            "candidate_countries")
    return {k: fields.get(k) for k in keys}


def evidence_line(geography: Geography) -> str:
    evidence = geography.evidence
    countries = ", ".join(f"{c} {w}" for c, w in sorted(evidence.countries, key=lambda cw: -cw[1])) or "none"
    return f"article evidence: countries {countries}; regions {', '.join(sorted(evidence.regions)) or 'none'}; " \
           f"dateline {', '.join(sorted(evidence.dateline)) or 'none'}"


def render(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        where = " / ".join(str(row[k]) for k in ("town", "admin2_name", "admin1_name", "country_code") if row[k])
        point = f" ({row['latitude']:.4f}, {row['longitude']:.4f})" if row["latitude"] is not None else ""
        inside = f" in {', '.join(row['containers'])}" if row["containers"] else ""
        outcome = (f"{where or '?'}{point}, precision {row['precision']}, {row['resolution']}" if row["country_code"]
                   else f"unresolved (candidates: {', '.join(row['candidate_countries'] or []) or 'none'})")
        lines.append(f"{row['what']}: {row['name']!r}{inside} -> {outcome}; {row['why']}")
    return "\n".join(lines)
