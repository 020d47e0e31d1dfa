"""The geoparser inside the analysis: which of a text's places is the claim's, and what it carries."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from stream.analysis.article import Article
from stream.cli import main

pytestmark = pytest.mark.slow


def lead_place(analyzer, body, published_at="2026-03-05T10:00:00Z"):
    result = analyzer.analyze(Article(id="t", body=body, published_at=published_at))
    claim = next(iter(result["casualties"] or result["attacks"]))
    return claim["location"]


@pytest.mark.parametrize(("body", "country", "precision", "not_text"), [
    # the village and its province are in the text: not the dateline's capital
    ("OUAGADOUGOU, March 4 - Gunmen killed nine civilians on Sunday in an attack on the village of Tonga in "
     "northern Burkina Faso's Loroum province, a local official said.", "BF", 2, "Ouagadougou"),
    # an unknown village placed by its district and region
    ("Somali army forces clashed with militants near Qoryooley village (Qoryooley, Lower Shabelle) on Monday, "
     "killing three soldiers.", "SO", None, None),
    # a town of the sentence before its country
    ("Artillery fire from the forces of Armenia killed two soldiers near Tartar on Tuesday.", "AZ", 1, "Armenia"),
    # the dateline's state decides between namesakes
    ("COLUMBUS, Ohio - A man was shot and killed outside a store on Monday night, police said.", "US", 1, None),
])
def test_places_pipeline_claim_place(analyzer, body, country, precision, not_text):
    place = lead_place(analyzer, body)
    assert place["country_code"] == country
    assert precision is None or place["precision"] == precision
    assert not_text is None or place["text"] != not_text


def test_places_pipeline_dateline_state_gives_the_region(analyzer):
    place = lead_place(analyzer, "COLUMBUS, Ohio - A man was shot and killed outside a store on Monday night.")
    assert place["admin1_code"] == "US.OH" and place["town"] == "Columbus"


def test_places_pipeline_demonym_is_the_country_when_no_place_is_known(analyzer):
    place = lead_place(analyzer, "Afghan police forces said gunmen killed four officers at a checkpoint on Monday.")
    assert place["country_code"] == "AF" and place["precision"] == 3 and place["resolution"] == "article_country"


def test_places_pipeline_ambiguous_name_stays_unresolved_with_candidates(analyzer):
    result = analyzer.analyze(Article(id="t", body="Two people were shot dead in Springfield on Monday."))
    [entity] = [e for e in result["entities"] if e["text"] == "Springfield"]
    assert entity["country_code"] is None and {"US", "GB"} <= set(entity["candidate_countries"])


def test_places_pipeline_an_unknown_place_takes_the_fields_of_the_articles_place(analyzer):
    body = ("Police in Tarhunah said on Monday that gunmen had raided the town's market. "
            "Two guards were shot dead at the Qwertz Market.")
    place = lead_place(analyzer, body)
    assert place["text"] == "Qwertz Market" and place["resolution"] == "article_place"
    assert place["country_code"] == "LY" and place["precision"] == 2


def test_places_pipeline_the_title_names_the_town(analyzer):
    result = analyzer.analyze(Article(id="t", title="Man shot dead in Tarhunah", published_at="2026-03-05T10:00:00Z",
                                      body="A man was shot dead on Monday night outside his home, police said."))
    assert result["casualties"][0]["location"]["country_code"] == "LY"


def test_places_pipeline_namesakes_settle_one_another(analyzer):
    body = ("A man was shot and killed in Englewood on Monday, the Cook County medical examiner said. "
            "He lived in South Aberdeen.")
    place = lead_place(analyzer, body)
    assert place["admin1_code"] == "US.IL"


def test_places_pipeline_a_body_naming_thousands_of_places(analyzer):
    body = "Gunmen killed 3 people in Kabul on Monday. " + " ".join(
        f"Shelling hit Place{i} and Kharkiv." for i in range(1_000))
    result = analyzer.analyze(Article(id="t", body=body))
    assert result["casualties"][0]["location"]["country_code"] == "AF"


def test_places_command_explains_each_place():
    out = CliRunner().invoke(main, ["places", "Militants killed 2 soldiers near Bali Doogle (Wanla Weyne, "
                                              "Lower Shabelle) on Monday."])
    assert out.exit_code == 0, out.output
    assert "Lower Shabeelle" in out.output and "container" in out.output and "article evidence" in out.output
