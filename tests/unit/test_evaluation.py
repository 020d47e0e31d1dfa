"""The evaluation harness: loaders on invented fixtures in each format, metrics on hand-built analyses."""

from __future__ import annotations

import contextlib
import csv
import dataclasses

import orjson
import pytest

from stream.analysis.article import Article
from stream.evaluation import datasets, harness, metrics
from stream.evaluation.datasets import CODER_REMARK, Case

ACLED_COLUMNS = ("data_id event_date event_type sub_event_type actor1 inter1 country iso3 admin1 admin2 admin3 "
                 "location latitude longitude notes fatalities timestamp").split()


def write_csv(path, columns, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def write_jsonl(path, records):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def acled_row(data_id, event_type, sub_event_type, notes, fatalities):
    return [data_id, "3-Feb-21", event_type, sub_event_type, "Military Forces of Ruritania (2019-)", "1", "Ruritania", "RUR", "North", "Lakeside", "",
            "Port Vell", "10.5", "20.25", notes, fatalities, "1612569600"]


@pytest.fixture()
def acled_file(tmp_path):
    return write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, [
        acled_row("11", "Battles", "Armed clash", "Two rangers were killed. Fatalities coded as 1.", "1"),
        acled_row("12", "Protests", "Peaceful protest", "Farmers marched to the mill.", "0"),
        acled_row("13", "Strategic developments", "Agreement", "Two parties signed a truce.", "2"),
        acled_row("14", "Battles", "Armed clash", "A clash was cut sh", ""),
    ])


# --- loaders -----------------------------------------------------------------------------------

def test_evaluation_acled_loader_reads_rows(acled_file):
    cases = list(datasets.load_acled(acled_file))
    assert [c.case_id for c in cases] == ["11", "12", "13"]  # no fatalities figure: skipped
    article, gold = cases[0].articles[0], cases[0].gold
    assert article.body.startswith("Two rangers") and article.published_at == "2021-02-06T00:00:00+00:00"
    assert gold["event_date"] == "2021-02-03" and gold["fatalities"] == 1 and gold["coder_remark"]
    assert gold["latitude"] == 10.5 and gold["location"] == "Port Vell" and gold["iso3"] == "RUR"
    assert gold["actor1"] == "Military Forces of Ruritania (2019-)" and gold["inter1"] == 1
    assert [c.dataset for c in cases] == ["acled"] * 3
    assert len(list(datasets.load_acled(acled_file, 2))) == 2


def test_evaluation_acled_calm_loader_keeps_protests_and_strategic_without_deaths(acled_file):
    cases = list(datasets.load_acled_calm(acled_file))
    assert [(c.dataset, c.case_id) for c in cases] == [("acled_calm", "12")]


@pytest.mark.parametrize(("note", "remark"), [
    ("Fatalities coded as 0 (Local radio reported 2).", True),
    ("Total fatalities coded to 10.", True),
    ("Unknown number of fatalities coded as 10 and split up between 2 events.", True),
    ("Unclear fatalites coded as 10.", True),
    ("One guard was killed [1 fatality split among 5 events].", True),
    ("Fatalities are split across 3 events (2).", True),
    ("Fatalities distributed across four events.", True),
    ("Total fatalities divided equally across two events.", True),
    ("Eight fighters died. 8 fatalities split up between 2 events.", True),
    ("Militia fighters (coded as Hill Guards) attacked a post.", False),
    ("Dockers rallied [coded to Port Vell].", False),
    ("A man was shot dead. 1 fatality.", False),
    ("No fatalities were reported.", False),
    ("There were no reported fatalities.", False),
    ("Reports on fatalities range from 2 to 4.", False),
])
def test_evaluation_coder_remark(note, remark):
    assert bool(CODER_REMARK.search(note)) is remark


@pytest.mark.parametrize(("text", "iso"), [("9-May-20", "2020-05-09"), ("27-Apr-20", "2020-04-27"),
                                           ("1-Jan-99", "1999-01-01")])
def test_evaluation_acled_date(text, iso):
    assert datasets.acled_date(text) == iso


def test_evaluation_epoch_is_iso_utc():
    assert datasets.epoch_iso("1589220519") == "2020-05-11T18:08:39+00:00"
    assert datasets.epoch_iso("") is None


def test_evaluation_gva_loader_groups_articles_by_incident(tmp_path):
    path = write_jsonl(tmp_path / "gva.jsonl", [
        {"incident_id": "7", "date": "March 3, 2016", "state": "Ohio", "num_killed": 1, "num_injured": 2, "articles": [
            {"doc_id": "d1", "title": "Man shot", "dct": "2016-03-04", "content": "A man was shot dead."},
            {"doc_id": "d2", "title": "Empty", "dct": "2016-03-05", "content": "  "}]},
        {"incident_id": "8", "date": "May 1, 2016", "num_killed": 0, "num_injured": 0,
         "articles": [{"doc_id": "d3", "title": None, "dct": "2016-05-02", "content": ""}]},
    ])
    [case] = datasets.load_gva(path)
    assert case.case_id == "7" and [a.id for a in case.articles] == ["d1"]
    assert case.articles[0].published_at == "2016-03-04" and case.articles[0].title == "Man shot"
    assert case.gold == {"killed": 1, "injured": 2, "date": "2016-03-03", "state": "Ohio", "state_code": "OH"}


def test_evaluation_fakes_loader_sums_killed_and_replaces_bad_bytes(tmp_path):
    path = tmp_path / "fakes.csv"
    path.write_bytes(b"unit_id,article_title,article_content,date,cause_of_death,nb_civilians,nb_noncivilians,label\n"
                     b"5,Shelling,Shells hit the market \xff.,4/5/17,shelling,3,2,1\n"
                     b"5,Again,\"Same id, other text.\",12/21/16,unknown,0,0,0\n")
    first, second = datasets.load_fakes(path)
    assert first.articles[0].published_at == "2017-04-05" and second.articles[0].published_at == "2016-12-21"
    assert "\ufffd" in first.articles[0].body and first.articles[0].title == "Shelling"
    assert first.gold == {"killed": 5, "civilians": 3, "noncivilians": 2, "cause_of_death": "shelling", "label": 1}
    assert first.case_id != second.case_id


def test_evaluation_muc_loader_reads_type_and_stage(tmp_path):
    slots = {"INCIDENT: TYPE": ["BOMBING"], "INCIDENT: STAGE OF EXECUTION": ["ACCOMPLISHED / ATTEMPTED"]}
    path = write_jsonl(tmp_path / "muc.jsonl", [
        {"doc_id": "DEV-1", "split": "dev", "text": "BOMB EXPLODED IN A CAFE", "templates": [{"slots": slots}]},
        {"doc_id": "TST-1", "split": "test", "text": "NOT THIS ONE", "templates": []},
    ])
    [case] = datasets.load_muc(path)
    assert case.articles[0].body == "BOMB EXPLODED IN A CAFE" and case.articles[0].published_at is None
    assert case.gold == {"templates": [{"type": "BOMBING", "stage": "ACCOMPLISHED / ATTEMPTED"}]}


CONLL = """\
ZEBRAS NNS I-NP O
WIN VBP I-VP O

Anna NNP I-NP I-PER
Berg NNP I-NP I-PER
of IN I-PP O
Oslo NNP I-NP I-LOC
Star NNP I-NP I-ORG
Club NNP I-NP B-ORG
Eagles NNP I-NP I-ORG
. . O O

-DOCSTART- -X- O O

Dutch JJ I-NP I-MISC
rain NN I-NP O

-DOCSTART- -X- O O
"""


def test_evaluation_conll_loader_builds_bodies_and_iob1_spans(tmp_path):
    path = tmp_path / "dev.testa"
    path.write_text(CONLL, encoding="utf-8")
    first, second = datasets.load_conll(path)
    body = first.articles[0].body
    assert body == "ZEBRAS WIN\nAnna Berg of Oslo Star Club Eagles ."
    spans = [(body[s:e], kind) for s, e, kind in first.gold["entities"]]
    assert spans == [("Anna Berg", "PER"), ("Oslo", "LOC"), ("Star", "ORG"), ("Club Eagles", "ORG")]
    assert second.articles[0].body == "Dutch rain" and second.gold["entities"] == [(0, 5, "MISC")]
    assert (first.case_id, second.case_id) == ("conll-dev-001", "conll-dev-002")


def test_evaluation_gum_loader_strips_gold_spans(tmp_path):
    text = "Title line  One sentence here. Another one."
    path = write_jsonl(tmp_path / "gum.jsonl", [{"doc_id": "g1", "text": text, "sentences": [[0, 12], [12, 30], [30, 43]]}])
    [case] = datasets.load_gum(path)
    assert [text[s:e] for s, e in case.gold["sentences"]] == ["Title line", "One sentence here.", "Another one."]


def test_evaluation_bbc_loader_leaves_politics_out(tmp_path):
    path = write_jsonl(tmp_path / "bbc.jsonl", [
        {"id": f"{c}/001.txt", "category": c, "title": "T", "text": "Shares rose."}
        for c in ("business", "politics", "sport", "tech", "entertainment")])
    assert [c.gold["category"] for c in datasets.load_bbc(path)] == ["business", "sport", "tech", "entertainment"]


def test_evaluation_ipe_loader_makes_each_sentence_an_article(tmp_path):
    path = write_jsonl(tmp_path / "ipe.jsonl", [
        {"doc_id": 4, "sent_id": 2, "sent_labels": ["KILL", "ANY_ACTION"], "sent_text": "police shot a man dead."}])
    [case] = datasets.load_ipe(path)
    assert case.case_id == "4-2" == case.articles[0].id and case.gold == {"labels": ["ANY_ACTION", "KILL"]}


# --- metrics ---------------------------------------------------------------------------------------

def claim(what, *, best=None, certainty="asserted", counted=True, day="2021-02-03", place=None):
    evidence = {"text": f"Evidence of {what}.", "start": 0, "end": 20}
    fields = {"certainty": certainty, "start": 12, "end": 19, "sentence": 0, "evidence": evidence,
              "time": {"date": day}, "location": place}
    if what in ("killed", "injured", "arrested"):
        return fields | {"status": what, "count": {"best": best} if best else None, "counted": counted}
    return fields | {"attack_type": what}


def analysis(*claims, totals=None, entities=(), sentences=(), article_id="a"):
    return {"article_id": article_id, "totals": {k: {"best": v} for k, v in (totals or {}).items()},
            "casualties": [c for c in claims if "status" in c], "attacks": [c for c in claims if "attack_type" in c],
            "entities": list(entities), "sentences": list(sentences)}


def values(scorer, cases):
    """Metric -> (n, value) over (gold, analyses) cases."""
    items = [i for k, (gold, analyses) in enumerate(cases) for i in scorer(f"c{k}", analyses, gold)]
    return {name: (r["n"], r["value"]) for name, r in metrics.aggregate(items).items()}


def acled_gold(fatalities, sub_event_type="Armed clash", remark=False, event_type="Protests", actor1="", inter1=0):
    return {"fatalities": fatalities, "sub_event_type": sub_event_type, "coder_remark": remark,
            "event_type": event_type, "actor1": actor1, "inter1": inter1,
            "event_date": "2021-02-03", "location": "Port Vell", "admin1": "North", "admin2": "Lakeside",
            "admin3": "", "country": "Chad", "iso3": "TCD", "latitude": 10.0, "longitude": 20.0}


@pytest.mark.parametrize(("gold", "result", "expected"), [
    (acled_gold(3, "Attack"), analysis(totals={"killed": 3}),
     {"acled_killed_exact": (1, 1.0), "acled_time_exact": (1, 0.0), "acled_time_within_1d": (1, 0.0),
      "acled_place_named": (1, 0.0)}),
    (acled_gold(3, "Attack", remark=True), analysis(totals={"killed": 2}),
     {"acled_time_exact": (1, 0.0), "acled_time_within_1d": (1, 0.0), "acled_place_named": (1, 0.0)}),
    (acled_gold(0, "Attack"), analysis(totals={"killed": 1}),
     {"acled_killed_fp": (1, 1.0), "acled_killed_fp_no_remark": (1, 1.0)}),
    (acled_gold(0, "Attack", remark=True), analysis(totals={"killed": 1}), {"acled_killed_fp": (1, 1.0)}),
    (acled_gold(0, "Peaceful protest"), analysis(), {"acled_killed_fp": (1, 0.0), "acled_killed_fp_no_remark": (1, 0.0)}),
    (acled_gold(0, "Air/drone strike"), analysis(claim("drone_strike", place={"text": "lakeside"})),
     {"acled_killed_fp": (1, 0.0), "acled_killed_fp_no_remark": (1, 0.0), "acled_attack_type": (1, 1.0),
      "acled_time_exact": (1, 1.0), "acled_time_within_1d": (1, 1.0), "acled_place_named": (1, 1.0)}),
    (acled_gold(0, "Air/drone strike"), analysis(claim("airstrike", certainty="hypothetical"), claim("shelling")),
     {"acled_killed_fp": (1, 0.0), "acled_killed_fp_no_remark": (1, 0.0), "acled_attack_type": (1, 0.0),
      "acled_time_exact": (1, 1.0), "acled_time_within_1d": (1, 1.0), "acled_place_named": (1, 0.0)}),
    (acled_gold(2, "Armed clash"),
     analysis(claim("killed", best=2, day="2021-02-02", place={"text": "Chad"}),
              claim("shooting", day="2021-02-03"), totals={"killed": 2}),
     {"acled_killed_exact": (1, 1.0), "acled_attack_type": (1, 1.0), "acled_time_exact": (1, 0.0),
      "acled_time_within_1d": (1, 1.0), "acled_place_named": (1, 1.0)}),
    (acled_gold(2, "Armed clash"),
     analysis(claim("killed", best=2, place={"text": "Port Vell", "country_code": "td", "latitude": 10.3,
                                              "longitude": 20.0}), totals={"killed": 2}),
     {"acled_killed_exact": (1, 1.0), "acled_attack_type": (1, 0.0), "acled_time_exact": (1, 1.0),
      "acled_time_within_1d": (1, 1.0), "acled_place_named": (1, 1.0), "acled_country_code": (1, 1.0),
      "acled_within_50km": (1, 1.0)}),
    (acled_gold(2, "Armed clash"),
     analysis(claim("killed", best=2, place={"text": "Elsewhere", "country_code": "XYZ", "latitude": 11.0,
                                              "longitude": 20.0}), totals={"killed": 2}),
     {"acled_killed_exact": (1, 1.0), "acled_attack_type": (1, 0.0), "acled_time_exact": (1, 1.0),
      "acled_time_within_1d": (1, 1.0), "acled_place_named": (1, 0.0), "acled_country_code": (1, 0.0),
      "acled_within_50km": (1, 0.0)}),
])
def test_evaluation_acled_metrics(gold, result, expected):
    assert values(metrics.score_acled, [(gold, [result])]) == expected


VIOLENT_PLACE = {"text": "Port Vell", "country_code": "TD", "admin1_code": "TD.01", "latitude": 10.2, "longitude": 20.0}


@pytest.mark.parametrize(("result", "expected"), [
    (analysis(claim("killed", best=2, place=VIOLENT_PLACE), totals={"killed": 2}),
     {"acled_violent_country": (1, 1.0), "acled_violent_country_missing": (1, 0.0), "acled_violent_within_50km": (1, 1.0),
      "acled_violent_admin1": (1, 1.0)}),
    (analysis(claim("killed", best=2, place={**VIOLENT_PLACE, "admin1_code": "TD.02", "latitude": 12.0}),
              totals={"killed": 2}),
     {"acled_violent_country": (1, 1.0), "acled_violent_country_missing": (1, 0.0), "acled_violent_within_50km": (1, 0.0),
      "acled_violent_admin1": (1, 0.0)}),
    (analysis(), {"acled_violent_country": (1, 0.0), "acled_violent_country_missing": (1, 1.0),
                  "acled_violent_within_50km": (1, 0.0), "acled_violent_admin1": (1, 0.0)}),  # no place: a miss
])
def test_evaluation_acled_violent_rows_place(monkeypatch, result, expected):
    monkeypatch.setattr(metrics, "gold_admin1", lambda country, name, lat, lon: "TD.01")
    scored = values(metrics.score_acled, [(acled_gold(2, event_type="Battles"), [result])])
    assert {k: v for k, v in scored.items() if k.startswith("acled_violent")} == expected


@pytest.mark.parametrize(("place", "right"), [
    ({"text": "Gary", "country_code": "US", "admin1_code": "US.IN"}, True),
    ({"text": "Gary", "country_code": "US", "admin1_code": "US.OH"}, False),
    (None, False),
])
def test_evaluation_gva_state(place, right):
    gold = {"killed": 0, "injured": 0, "date": "2016-03-03", "state": "Indiana", "state_code": "IN"}
    result = analysis(claim("killed", best=1, place=place), totals={"killed": 1})
    assert values(metrics.score_gva, [(gold, [result])]) == {"gva_state": (1, float(right))}


def test_evaluation_acled_time_uses_the_counted_killed_claim():
    result = analysis(claim("injured", best=1, day="2021-02-03"), claim("killed", best=2, counted=False),
                      claim("killed", best=1, day="2021-01-30"), totals={"killed": 1})
    assert values(metrics.score_acled, [(acled_gold(1, "Attack"), [result])])["acled_time_exact"] == (1, 0.0)


def test_evaluation_acled_shares_over_cases():
    cases = [(acled_gold(2), [analysis(totals={"killed": 2})]), (acled_gold(2), [analysis(totals={"killed": 4})]),
             (acled_gold(5), [analysis()]), (acled_gold(0), [analysis(totals={"killed": 1})])]
    result = values(metrics.score_acled, cases)
    assert result["acled_killed_exact"] == (3, pytest.approx(1 / 3)) and result["acled_killed_fp"] == (1, 1.0)


@pytest.mark.parametrize(("result", "alarmed"), [
    (analysis(), False),
    (analysis(claim("shooting", certainty="negated"), claim("bombing", certainty="hypothetical")), False),
    (analysis(claim("arrested", best=3), claim("injured", best=2), totals={"arrested": 3, "injured": 2}), False),
    (analysis(claim("killed", best=1), totals={"killed": 1}), True),
    (analysis(claim("other", certainty="claimed")), True),
])
def test_evaluation_calm_alarms(result, alarmed):
    share = float(alarmed)
    assert values(metrics.score_bbc, [({"category": "sport"}, [result])]) == {
        "calm_bbc_sport": (1, share), "calm_pooled": (1, share)}
    assert values(metrics.score_acled_calm, [(acled_gold(0, "Peaceful protest"), [result])]) == {
        "calm_acled": (1, share), "calm_pooled": (1, share)}


def test_evaluation_gva_article_and_incident_level():
    gold = {"killed": 2, "injured": 3, "date": "2016-03-03"}
    articles = [analysis(totals={"killed": 2, "injured": 1}, article_id="x"),
                analysis(totals={"killed": 1, "injured": 3}, article_id="y"), analysis(article_id="z")]
    assert values(metrics.score_gva, [(gold, articles)]) == {
        "gva_killed_exact": (3, pytest.approx(1 / 3)), "gva_killed_exact_incident": (1, 1.0),
        "gva_injured_exact": (3, pytest.approx(1 / 3)), "gva_injured_exact_incident": (1, 1.0)}


def test_evaluation_gva_skips_zero_gold():
    gold = {"killed": 0, "injured": 1, "date": "2016-03-03"}
    assert values(metrics.score_gva, [(gold, [analysis(totals={"killed": 1})])]) == {
        "gva_injured_exact": (1, 0.0), "gva_injured_exact_incident": (1, 0.0)}


@pytest.mark.parametrize(("cause", "attacks", "expected"), [
    ("shelling", ["airstrike"], True), ("shelling", ["shooting"], False),
    ("explosion", ["suicide_bombing"], True), ("chemical and toxic gases", ["chemical_attack"], True),
    ("execution", ["shooting"], True), ("shooting", ["stabbing"], False), ("unknown", ["shooting"], None),
])
def test_evaluation_fakes_attack_type(cause, attacks, expected):
    gold = {"killed": 4, "civilians": 4, "noncivilians": 0, "cause_of_death": cause, "label": 1}
    result = values(metrics.score_fakes, [(gold, [analysis(*map(claim, attacks), totals={"killed": 4})])])
    assert result.get("fakes_attack_type") == (None if expected is None else (1, float(expected)))
    assert result["fakes_killed_exact"] == (1, 1.0)


def actor(text, canonical=None, kind=None, country=None):
    return {"text": text, "canonical": canonical, "type": kind, "country_code": country}


@pytest.mark.parametrize(("predicted", "actor1", "match"), [
    (actor("Taliban militants", "Taliban", "rebel_group", "AF"), "Taliban", True),
    (actor("Afghan forces", "Afghanistan", "state_forces", "AF"), "Military Forces of Afghanistan (2014-)", True),
    (actor("Taliban militants", "Taliban", "rebel_group", "AF"), "Military Forces of Afghanistan (2014-)", False),
    (actor("al-Shabaab fighters", "al-Shabaab", "rebel_group", "SO"), "Al Shabaab", True),
    (actor("security forces", None, "state_forces"), "Police Forces of Brazil (2019-)", False),
    (actor("Iraqi troops", "Iraq", "state_forces", "IQ"), "Islamic State (Iraq)", False),
    (None, "Taliban", False),
])
def test_evaluation_actor_match_shares_a_distinctive_word(predicted, actor1, match):
    assert metrics.actor_matches(predicted, actor1) is match


@pytest.mark.parametrize(("note", "actor1", "named"), [
    ("Ukrainian forces fired mortars.", "Military Forces of Ukraine (2019-)", True),
    ("IS fighters shot a soldier.", "Islamic State (Iraq)", False),
    ("Islamic State fighters shot a soldier.", "Islamic State (Iraq)", True),
    ("The monitors observed 12 shots near the town.", "Military Forces of Ukraine (2019-)", False),
    ("Gunmen shot a shopkeeper in Mexico.", "Unidentified Armed Group (Mexico)", False),
])
def test_evaluation_a_row_names_its_actor_by_a_word_alias_or_demonym(note, actor1, named):
    assert metrics.names_actor(note, actor1) is named


@pytest.mark.parametrize(("predicted", "claim_country", "inter"), [
    (actor("Turkish forces", "Turkey", "state_forces", "TR"), "TR", 1),
    (actor("Turkish forces", "Turkey", "state_forces", "TR"), "SY", 8),
    (actor("gunmen", None, "unidentified_armed_group"), None, 3),
    (actor("Fulani herdsmen", "Fulani militia", "identity_militia"), "NG", 4),
    (actor("they"), None, 0),
    (None, None, 3),
])
def test_evaluation_acled_inter_of_a_predicted_actor(predicted, claim_country, inter):
    assert metrics.acled_inter(predicted, claim_country) == inter


def test_evaluation_acled_inter_without_a_claim_is_none():
    assert metrics.acled_inter(None, None, claimed=False) == 0


def test_evaluation_acled_actor_metrics_on_violent_rows_only():
    lead = claim("killed", best=2) | {"perpetrator": actor("Taliban fighters", "Taliban", "rebel_group", "AF")}
    note = [{"text": "Taliban fighters killed two policemen."}]
    violent = acled_gold(2, event_type="Battles", actor1="Taliban", inter1=2)
    unnamed = acled_gold(2, event_type="Battles", actor1="Unidentified Armed Group (Afghanistan)", inter1=3)
    calm = acled_gold(0, "Peaceful protest", event_type="Protests", actor1="Protesters (Afghanistan)", inter1=6)
    result = values(metrics.score_acled, [(g, [analysis(lead, totals={"killed": 2}, sentences=note)])
                                          for g in (violent, unnamed, calm)])
    assert result["acled_actor_match"] == (1, 1.0) and result["acled_actor_type"] == (2, 0.5)


def test_evaluation_fakes_civilians_and_noncivilians():
    gold = {"killed": 5, "civilians": 3, "noncivilians": 2, "cause_of_death": "unknown", "label": 1}
    result = analysis(totals={"killed": 5})
    result["totals"]["killed"]["by_victim_type"] = {"civilians": 3, "combatants": 1, "security_forces": 1}
    assert values(metrics.score_fakes, [(gold, [result])]) == {
        "fakes_killed_exact": (1, 1.0), "fakes_civilians_killed_exact": (1, 1.0),
        "fakes_noncivilians_killed_exact": (1, 1.0)}


def test_evaluation_fakes_zero_gold_is_a_false_positive_rate():
    gold = {"killed": 0, "cause_of_death": "unknown", "label": 0}
    assert values(metrics.score_fakes, [(gold, [analysis(totals={"killed": 2})])]) == {"fakes_killed_fp": (1, 1.0)}


@pytest.mark.parametrize(("incident", "attacks", "hit"), [
    ("BOMBING", ["suicide_bombing"], True), ("BOMBING", ["shooting"], False),
    ("KIDNAPPING", ["kidnapping"], True), ("ARSON", ["arson"], True), ("ARSON", ["bombing"], False),
    ("ATTACK", ["other"], True), ("ATTACK", ["kidnapping", "arson"], False), ("ATTACK", [], False),
])
def test_evaluation_muc_type_match(incident, attacks, hit):
    assert metrics.muc_match(incident, set(attacks)) is hit


def test_evaluation_muc_recall_by_stage():
    gold = {"templates": [{"type": "BOMBING", "stage": "ACCOMPLISHED"}, {"type": "ATTACK", "stage": "THREATENED"},
                          {"type": "ROBBERY", "stage": "ACCOMPLISHED"}, {"type": "KIDNAPPING", "stage": "ACCOMPLISHED"}]}
    result = analysis(claim("bombing"), claim("kidnapping", certainty="negated"))
    assert values(metrics.score_muc, [(gold, [result])]) == {
        "muc_type_recall": (2, 0.5), "muc_type_recall_all_stages": (3, pytest.approx(2 / 3))}


def entity(start, end, label):
    return {"text": "x", "label": label, "start": start, "end": end, "sentence": 0, "canonical": None}


def test_evaluation_conll_f1():
    gold = {"entities": [(0, 4, "PER"), (10, 15, "LOC"), (20, 25, "ORG")]}
    result = analysis(entities=[entity(0, 4, "PERSON"), entity(10, 15, "GPE"), entity(20, 26, "ORG"),
                                entity(30, 34, "NORP"), entity(40, 44, "DATE")])
    items = metrics.score_conll("d1", [result], gold)
    overall = metrics.aggregate(items)["conll_entity_f1"]
    assert (overall["tp"], overall["fp"], overall["fn"], overall["n"]) == (2, 2, 1, 3)
    assert overall["precision"] == 0.5 and overall["recall"] == pytest.approx(2 / 3)
    assert overall["value"] == pytest.approx(4 / 7)
    by_type = {k: v["value"] for k, v in metrics.aggregate(items).items()}
    assert by_type["conll_entity_f1_PER"] == 1.0 and by_type["conll_entity_f1_ORG"] == 0.0
    assert "conll_entity_f1_MISC" not in by_type  # no gold MISC span: n == 0, left out


def test_evaluation_gum_sentence_f1_strips_whitespace():
    sentences = [{"start": 0, "end": 12, "text": "Title line  ", "kind": "story"},
                 {"start": 12, "end": 43, "text": "One sentence here. Another one.", "kind": "story"},
                 {"start": 43, "end": 44, "text": " ", "kind": "boilerplate"}]
    gold = {"sentences": [(0, 10), (12, 30), (31, 43)]}
    result = metrics.aggregate(metrics.score_gum("g", [analysis(sentences=sentences)], gold))["gum_sentence_f1"]
    assert (result["tp"], result["fp"], result["fn"]) == (1, 1, 2) and result["value"] == pytest.approx(0.4)


def test_evaluation_ipe_precision_and_recall():
    cases = [({"labels": ["KILL"]}, [analysis(claim("killed", best=1))]),
             ({"labels": []}, [analysis(claim("killed", best=2))]),
             ({"labels": ["KILL", "ARREST"]}, [analysis(claim("arrested", best=1, certainty="negated"))]),
             ({"labels": ["ARREST"]}, [analysis(claim("arrested", best=4))])]
    assert values(metrics.score_ipe, cases) == {
        "ipe_killed_precision": (2, 0.5), "ipe_killed_recall": (2, 0.5),
        "ipe_arrested_precision": (1, 1.0), "ipe_arrested_recall": (2, 0.5)}


def test_evaluation_failures_are_sampled_with_evidence():
    cases = [(acled_gold(2), [analysis(claim("killed", best=3), totals={"killed": 3})])] * 25
    result = metrics.aggregate(i for k, (g, a) in enumerate(cases) for i in metrics.score_acled(f"r{k}", a, g))
    failures = result["acled_killed_exact"]["failures"]
    assert len(failures) == metrics.SAMPLE_SIZE and failures[0]["case_id"] == "r0" and failures[0]["predicted"] == 3
    assert failures[0]["claims"][0] == {"article_id": "a", "what": "killed", "count": 3, "certainty": "asserted",
                                        "counted": True, "text": "killed.", "evidence": "Evidence of killed."}


@pytest.mark.parametrize(("metric", "lower"), [("acled_killed_fp", True), ("calm_bbc_tech", True),
                                               ("acled_killed_fp_no_remark", True), ("gva_killed_exact", False)])
def test_evaluation_lower_is_better(metric, lower):
    assert metrics.lower_is_better(metric) is lower


# --- harness ---------------------------------------------------------------------------------------

class FlakyAnalyzer:
    def analyze_many(self, articles):
        if any(a.body == "boom" for a in articles):
            raise RuntimeError("rule bug")
        return [analysis(article_id=a.id) for a in articles]

    def analyze(self, article):
        return self.analyze_many([article])[0]


def test_evaluation_one_failing_article_costs_only_itself():
    articles = [Article("a", "fine"), Article("b", "boom"), Article("c", "fine")]
    results = harness.analyze_safely(FlakyAnalyzer(), articles)
    assert [r["article_id"] for r in results] == ["a", "b", "c"]
    assert results[1]["error"] == "RuntimeError: rule bug" and "error" not in results[0]


def test_evaluation_score_regroups_analyses_by_case():
    gold = {"killed": 1, "injured": 0, "date": "2016-03-03"}
    cases = [Case("gva", "i1", [Article("a", "x"), Article("b", "y")], gold), Case("gva", "i2", [Article("c", "z")], gold)]
    scored = harness.score_by_case(cases, [analysis(article_id=i, totals={"killed": 1}) for i in "abc"])
    assert [case.case_id for case, _ in scored] == ["i1", "i2"]
    items = [item for _, case_items in scored for item in case_items]
    assert [i.metric for i in items].count("gva_killed_exact_incident") == 2
    assert all(i.hit for i in items)


def test_evaluation_halves_split_cases_by_a_stable_hash_of_their_id():
    halves = [harness.half_of(f"row-{i}") for i in range(400)]
    assert halves == [harness.half_of(f"row-{i}") for i in range(400)]
    assert 150 < halves.count("tune") < 250 and set(halves) == set(harness.HALVES)


def test_evaluation_run_reports_each_half(tmp_path, monkeypatch):
    gold = {"killed": 1, "injured": 0, "date": "2016-03-03"}
    cases = [Case("gva", f"i{n}", [Article(f"a{n}", "x")], gold) for n in range(12)]
    monkeypatch.setattr(harness, "_analyze", lambda name, cs, mapper, progress:
                        [analysis(article_id=a.id, totals={"killed": int(c.case_id[1:]) % 2}) for c in cs for a in c.articles])
    monkeypatch.setattr(harness, "_chunk_mapper", lambda jobs, model: contextlib.nullcontext(None))
    later = [Case("fakes", f"f{n}", [Article(f"b{n}", "x")], {"killed": 1, "civilians": 1, "noncivilians": 0,
                                                             "cause_of_death": "Shooting", "label": 1})
             for n in range(12)]
    for name, its_cases in (("gva", cases), ("fakes", later)):
        monkeypatch.setitem(harness.DATASETS, name, dataclasses.replace(harness.DATASETS[name],
                                                                        load=lambda p, l, c=its_cases: iter(c)))
        (tmp_path / harness.DATASETS[name].path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / harness.DATASETS[name].path).write_text("")
    results = harness.run(tmp_path, only=["gva", "fakes"])
    assert results["datasets"]["fakes"]["cases"] == 12  # a dataset after gva is not cut to one half
    overall = results["metrics"]["gva_killed_exact"]
    by_half = {h: results["halves"][h]["gva_killed_exact"] for h in harness.HALVES}
    assert sum(r["n"] for r in by_half.values()) == overall["n"] == 12
    for half, result in by_half.items():
        expected = [int(c.case_id[1:]) % 2 for c in cases if harness.half_of(c.case_id) == half]
        assert result["value"] == pytest.approx(sum(expected) / len(expected))
    assert "gva_incident_bcubed_f1" in results["halves"]["tune"]


def test_evaluation_render_table():
    results = {"metrics": {"acled_killed_exact": {"n": 40, "value": 0.9},
                           "calm_pooled": {"n": 100, "value": 0.05},
                           "gum_sentence_f1": {"n": 9, "value": 0.5, "precision": 0.4, "recall": 0.6667}},
               "datasets": {"acled": {"cases": 40, "coder_remarks": 3}}, "skipped": {"bbc": "x not found"},
               "halves": {"tune": {"acled_killed_exact": {"n": 20, "value": 0.95}}, "check": {}}}
    table = harness.render(results)
    assert "tune" in table.splitlines()[0] and "0.950" in table
    assert "acled_killed_exact" in table and ">= 0.85 met" in table and "<= 0.02 MISSED" in table
    assert "0.500 (P 0.400 R 0.667)" in table and "coder remarks 3" in table and "bbc: skipped" in table


@pytest.mark.parametrize("make_dir", [False, True])
def test_evaluation_main_skips_without_data(tmp_path, capsys, make_dir):
    data = tmp_path / "data"
    if make_dir:
        data.mkdir()
    assert harness.main(["--data", str(data)]) == 0
    assert "skipped" in capsys.readouterr().err


def test_evaluation_main_rejects_unknown_dataset(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        harness.main(["--data", str(tmp_path), "--only", "acled,nope"])
    assert exit_info.value.code == 2


def test_evaluation_gates_are_bounds_on_measured_metrics():
    assert harness.GATES and set(harness.TARGETS) <= set(harness.GATES)
    assert all(0.0 <= bound <= 1.0 for bound in harness.GATES.values())


@pytest.mark.slow
def test_evaluation_smoke_on_the_real_data():
    if not harness.DEFAULT_DATA.is_dir():
        pytest.skip(f"no evaluation data at {harness.DEFAULT_DATA}")
    results = harness.run(harness.DEFAULT_DATA, jobs=1, limit=20)
    assert set(results["datasets"]) == set(datasets.DATASETS) and not results["skipped"]
    assert results["metrics"]
    for name, result in results["metrics"].items():
        assert result["n"] > 0 and 0.0 <= result["value"] <= 1.0, name
    assert orjson.loads(orjson.dumps(results))["metrics"].keys() == results["metrics"].keys()


@pytest.mark.parametrize(("ours", "acled", "same"), [
    ("Idlib", "Idleb", True), ("Lowgar", "Logar", True), ("Kabul", "Kunar", False), ("Donetsk", "Luhansk", False),
])
def test_evaluation_region_names_compare_loosely(ours, acled, same):
    assert metrics.same_region(ours, acled, None) is same
