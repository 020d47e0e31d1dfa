"""Tests for stream.ingest.language: identification, and when an article's language is set from it."""
import pytest

from stream.analysis.article import Article
from stream.ingest.language import MIN_LETTERS, detect_language, identified_language, with_language

TEXTS = {
    "en": "Russian drones struck two apartment blocks in Kharkiv overnight, killing four people and wounding 17, "
          "the regional governor said on Tuesday.",
    "fr": "Au moins cinq personnes ont été tuées dimanche dans des frappes sur une ville du nord, selon les "
          "autorités locales, qui redoutent un bilan plus lourd.",
    "es": "Dos policías murieron y otros tres resultaron heridos el lunes cuando un artefacto explosivo estalló al "
          "paso de su patrulla, informaron las autoridades.",
    "de": "Bei einem Drohnenangriff auf ein Wohnhaus in der Stadt sind nach Angaben der Behörden mindestens vier "
          "Menschen getötet und siebzehn verletzt worden.",
    "ar": "قتل أربعة أشخاص وأصيب سبعة عشر آخرون في هجوم بطائرات مسيرة على مبنيين سكنيين في المدينة ليلا، وفق ما أعلنه "
          "حاكم المنطقة صباح الثلاثاء.",
    "uk": "Російські дрони вночі вдарили по двох багатоквартирних будинках у Харкові, загинули чотири людини, ще "
          "сімнадцять поранені, повідомив голова обласної адміністрації.",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_language_detects_news_text(code):
    detected, confidence = detect_language(TEXTS[code])
    assert detected == code
    assert 0.9 <= confidence <= 1.0


@pytest.mark.parametrize("text", ["Gunmen killed five.", "12 killed", "", "!!! ??? 123 456"])
def test_language_too_little_text_stays_unknown(text):
    assert sum(c.isalpha() for c in text) < MIN_LETTERS
    assert identified_language(text) is None


def test_language_undeclared_article_gets_the_detected_language():
    article = with_language(Article("es-1", TEXTS["es"], title="Ataque en el Cauca"))
    assert article.language == "es" and not article.is_english


def test_language_declared_language_is_kept_even_when_detection_disagrees():
    article = Article("fr-1", TEXTS["en"], language="fr")
    assert with_language(article) is article


def test_language_short_undeclared_article_stays_unknown_and_is_mined_as_english():
    article = with_language(Article("short-1", "Gunmen killed five people."))
    assert article.language is None and article.is_english


def test_language_keeps_the_article_type():
    from stream.ingest.wire import WireArticle

    article = with_language(WireArticle("w-1", TEXTS["de"], format="ninjs", version="2"))
    assert isinstance(article, WireArticle) and (article.language, article.version) == ("de", "2")
