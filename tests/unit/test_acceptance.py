"""The foundation's acceptance example: a wire story with a fresh toll, context tolls and old killings.

``kharkiv_2025-03-11.txt`` is our own article built like the example the project was
conceived from (which lives in ../shared and is checked too when present).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stream.analysis.article import Article

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent.parent / "fixtures"
SHARED_SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "reuters_2024-10-22_blinken_ceasefire.txt"


def analyse_txt(analyzer, path: Path, published: str) -> dict:
    title, _, body = path.read_text().partition("\n")
    return analyzer.analyze(Article(id=path.stem, title=title, body=body, published_at=published))


def one(claims: list[dict], **match) -> dict:
    found = [c for c in claims if all(c.get(k) == v for k, v in match.items())]
    assert len(found) >= 1, f"no claim with {match} in {[(c.get('status') or c.get('attack_type')) for c in claims]}"
    return found[0]


@pytest.fixture(scope="module")
def analog(analyzer) -> dict:
    return analyse_txt(analyzer, FIXTURES / "kharkiv_2025-03-11.txt", "2025-03-11")


def test_acceptance_fresh_toll_with_source_and_perpetrator(analog):
    toll = one(analog["casualties"], status="killed", counted=True)
    assert (toll["count"]["min"], toll["count"]["max"], toll["count"]["best"]) == (31, None, 31)
    assert toll["victims"]["text"] == "people"
    assert toll["perpetrator"] == {"text": "Russian forces", "canonical": "Russia", "type": "state_forces",
                                   "country_code": "RU"}
    assert toll["attribution"] == {"text": "Kharkiv regional officials"}
    assert toll["certainty"] == "reported" and not toll["historical"] and not toll["background"]


def test_acceptance_bodies_are_the_same_toll(analog):
    bodies = one(analog["casualties"], bodies=True)
    assert bodies["count"]["best"] == 12 and bodies["not_counted_reason"] == "same_toll"
    assert bodies["attribution"] == {"text": "Kharkiv regional officials"}  # "they said"


def test_acceptance_old_killings_are_dated_and_kept_out(analog):
    week = one(analog["casualties"], not_counted_reason="historical", sentence=0)
    assert (week["time"]["date"], week["time"]["date_end"], week["time"]["precision"]) == ("2025-03-03", "2025-03-09", "week")
    strike = one(analog["casualties"], not_counted_reason="historical", sentence=6)
    assert strike["time"]["date"] == "2025-02-14" and strike["victims"]["text"].endswith("Ivan Boiko")
    named = one(analog["casualties"], sentence=5)
    assert named["background"] and not named["counted"]
    assert analog["totals"]["killed"]["best"] == 31


def test_acceptance_attacks_with_actor_target_and_claim(analog):
    missiles = one(analog["attacks"], attack_type="missile_strike", sentence=1)
    assert missiles["actor"]["canonical"] == "Russia" and missiles["target"]["text"] == "Odesa and Dnipro"
    air = one(analog["attacks"], attack_type="airstrike")
    assert air["actor"] == {"text": "Russian", "canonical": "Russia", "type": "state_forces", "country_code": "RU"}
    assert air["target"]["text"] == "parts of Kharkiv's northern districts"
    drone = one(analog["attacks"], attack_type="drone_strike")
    assert drone["claimed_by"]["text"] == "Ukraine's military intelligence" and drone["certainty"] == "claimed"
    assert drone["time"]["date"] == "2025-03-08" and drone["target"]["text"] == "a Russian air base"


def test_acceptance_no_claim_from_quotes_about_hospitals_and_furniture_is_boilerplate(analog):
    quote = next(s for s in analog["sentences"] if s["text"].startswith('"Hospitals'))
    assert all(c["sentence"] != quote["index"] for c in analog["casualties"] + analog["attacks"])
    kinds = {s["text"]: s["kind"] for s in analog["sentences"]}
    assert kinds["AFP/Petro Shevchenko"] == kinds["Comments are closed."] == "boilerplate"
    assert all(e["sentence"] != s["index"] for e in analog["entities"] for s in analog["sentences"]
               if s["kind"] == "boilerplate")


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="../shared/samples is not on this machine")
def test_acceptance_the_original_sample(analyzer):
    result = analyse_txt(analyzer, SHARED_SAMPLE, "2024-10-22")
    toll = one(result["casualties"], status="killed", counted=True)
    assert toll["count"]["best"] == 21 and toll["victims"]["text"] == "people"
    assert toll["perpetrator"]["text"] == "Israeli forces" and toll["attribution"]["text"] == "Gaza health officials"
    assert toll["location"]["text"] == "Gaza"
    assert one(result["casualties"], bodies=True)["counted"] is False
    rockets = one(result["attacks"], attack_type="rocket_attack")
    assert rockets["actor"]["canonical"] == "Hezbollah" and rockets["target"]["text"] == "Tel Aviv and Haifa"
    air = one(result["attacks"], attack_type="airstrike", sentence=1)
    assert air["actor"]["canonical"] == "Israel" and "Beirut" in air["target"]["text"]
    drone = one(result["attacks"], attack_type="drone_strike")
    assert drone["claimed_by"]["canonical"] == "Hezbollah" and drone["time"]["date"] == "2024-10-19"
    old = [c for c in result["casualties"] if c["historical"]]
    assert {c["time"]["date"] for c in old} >= {"2024-10-14", "2024-09-27"}
    assert any(c["background"] and c["count"]["text"] == "several" for c in result["casualties"])
    assert result["totals"]["killed"]["best"] == 21
    kinds = {s["text"]: s["kind"] for s in result["sentences"]}
    assert kinds["Reuters/Shakirat Sadiq"] == kinds["Comments are closed."] == "boilerplate"
