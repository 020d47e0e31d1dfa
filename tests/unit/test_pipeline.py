"""Whole-article analysis: determinism, ids across revisions, language, size, structure (real model)."""

from __future__ import annotations

import pytest

from stream.analysis.article import Article
from stream.analysis.cleaning import MAX_BLOCK_CHARS
from stream.publish import article_messages

pytestmark = pytest.mark.slow

STORY = ("LAGOS, June 3 (Wire) - Gunmen killed eight villagers in Zamfara state on Sunday, police said.\n\n"
         "The attackers also abducted 15 women from the village, a local official said.\n\n"
         "Reporting by A. Reporter")


def analyse(analyzer, body=STORY, **fields) -> dict:
    return analyzer.analyze(Article(id=fields.pop("id", "a1"), body=body,
                                    published_at=fields.pop("published_at", "2026-06-03"), **fields))


def ids(result: dict) -> set[str]:
    return {c["event_id"] for c in result["casualties"] + result["attacks"]}


def test_pipeline_same_text_same_output(analyzer):
    assert analyse(analyzer) == analyse(analyzer)
    batch = analyzer.analyze_many([Article("a1", STORY, published_at="2026-06-03"), Article("b", "Nothing.")])
    assert batch[0] == analyse(analyzer)  # batching does not change an article's result


def test_pipeline_event_ids_survive_an_inserted_paragraph(analyzer):
    longer = STORY.replace("\n\nThe attackers", "\n\nResidents buried the dead on Monday.\n\nThe attackers")
    assert ids(analyse(analyzer)) <= ids(analyse(analyzer, longer))


def test_pipeline_event_ids_change_with_the_claim(analyzer):
    changed = STORY.replace("eight villagers", "eleven villagers")
    before, after = analyse(analyzer), analyse(analyzer, changed)
    assert ids(before) != ids(after)
    assert ids(before) & ids(after), "the untouched kidnapping claim keeps its id"


def test_pipeline_event_ids_depend_on_the_article(analyzer):
    assert not ids(analyse(analyzer)) & ids(analyse(analyzer, id="another"))


def test_pipeline_dateline_byline_and_sentences(analyzer):
    result = analyse(analyzer)
    assert result["dateline"]["place"] == "Lagos"
    assert [s["kind"] for s in result["sentences"]] == ["dateline", "story", "story", "boilerplate"]
    for s in result["sentences"]:
        assert STORY[s["start"]:s["end"]] == s["text"]
    assert result["stats"]["sentences"] == 4 and result["stats"]["tokens"] > 20


def test_pipeline_entities_point_into_the_body(analyzer):
    result = analyse(analyzer)
    assert any(e["text"].startswith("Zamfara") and e["label"] in ("GPE", "LOC") for e in result["entities"])
    for e in result["entities"]:
        assert STORY[e["start"]:e["end"]] == e["text"]
        sentence = result["sentences"][e["sentence"]]
        assert sentence["start"] <= e["start"] and e["end"] <= sentence["end"]


def test_pipeline_non_english_articles_are_not_mined(analyzer):
    result = analyse(analyzer, "Au moins cinq personnes ont été tuées dimanche.", language="fr")
    assert result["english"] is False
    assert result["entities"] == [] and result["casualties"] == [] and result["attacks"] == []
    assert [s["text"] for s in result["sentences"]] == ["Au moins cinq personnes ont été tuées dimanche."]


@pytest.mark.parametrize("body", [
    "word " * 60_000,  # no sentence break at all
    ("Shelling killed two people in the town. " * 3000),  # 120,000 characters of sentences
])
def test_pipeline_long_bodies_are_cut_into_bounded_blocks(analyzer, body):
    result = analyse(analyzer, body)
    assert all(s["end"] - s["start"] <= MAX_BLOCK_CHARS for s in result["sentences"])
    assert result["sentences"][0]["start"] >= 0 and result["sentences"][-1]["end"] <= len(body)


def test_pipeline_invisible_characters_keep_offsets(analyzer):
    body = "Gunmen\u200b killed\u00a0six people in Kano\u2028on Friday."
    result = analyse(analyzer, body)
    claim = result["casualties"][0]
    assert body[claim["trigger"]["start"]:claim["trigger"]["end"]] == "killed"
    assert claim["count"]["best"] == 6


def test_pipeline_output_is_a_valid_processed_message(analyzer):
    messages = article_messages(analyse(analyzer), 1, [], max_message_bytes=10 * 1024 * 1024)
    assert messages[-1].topic == "articles.processed"
    assert messages[-1].value["totals"] == {"killed": {"min": 8, "max": 8, "best": 8,
                                                       "claims": [messages[-1].value["casualties"][0]["event_id"]],
                                                       "by_victim_type": messages[-1].value["totals"]["killed"]["by_victim_type"]},
                                            "kidnapped": messages[-1].value["totals"]["kidnapped"]}
    assert messages[-1].value["totals"]["kidnapped"]["best"] == 15
