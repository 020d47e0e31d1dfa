"""Language identification for articles that do not declare their language (py3langid, model shipped).

Policy: a declared language is kept (the desk knows; a detector on a short or mixed text knows
less). An undeclared one is set from the text when the detector is sure: at least
``MIN_LETTERS`` letters and a probability of at least ``MIN_CONFIDENCE``. Otherwise it stays
unknown, and an unknown language is treated as English, as before. Measured on 6,980 English
news articles: the rule said "en" for 6,936 and left 44 unknown, none wrong; their first 200
characters alone gave one confident wrong answer, hence the long sample and the minimum length.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from stream.analysis.article import Article

MIN_LETTERS = 100
MIN_CONFIDENCE = 0.9
# Enough text to decide; the detector's cost grows with the length.
SAMPLE_CHARS = 1000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 code of ``text`` and its probability (0 to 1)."""
    code, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return code, float(probability)


def identified_language(text: str) -> str | None:
    """The language of ``text`` when the detector is sure of it, else None."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    code, probability = detect_language(sample)
    return code if probability >= MIN_CONFIDENCE else None


def with_language(article: Article) -> Article:
    """The article with its language set from its text, unless it declares one."""
    if article.language:
        return article
    detected = identified_language(f"{article.title or ''}\n{article.body}")
    return dataclasses.replace(article, language=detected) if detected else article
