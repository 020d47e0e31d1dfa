"""`stream places TEXT`: how each place of a text was resolved, and why (for tuning and error reports)."""

from __future__ import annotations

from stream.analysis.entities import PLACE_LABELS, article_places
from stream.analysis.places import containers, resolve


def explain(analysis: dict, text: str) -> list[dict]:
    """One row per place entity and per claim: the name, what contains it in the text, the result and why."""
    dateline = (analysis.get("dateline") or {}).get("place")
    evidence = article_places(analysis["entities"], [dateline] if dateline else [])
    rows = []
    for entity in analysis["entities"]:
        if entity["label"] not in PLACE_LABELS:
            continue
        around = containers(text, entity["start"], entity["end"])
        found = resolve(entity["canonical"] or entity["text"], evidence, around)
        rows.append({"what": f"{entity['label']} entity", "name": entity["text"], "containers": list(around),
                     **_result(entity), "why": found.why})
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


def evidence_line(analysis: dict) -> str:
    dateline = (analysis.get("dateline") or {}).get("place")
    evidence = article_places(analysis["entities"], [dateline] if dateline else [])
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
