"""The article's geography: the places it names (title, dateline, story), what they say of its country and
region (``Evidence``), and the place it is about (its main place).

Every sentence's place mentions count, the tagger's and the framed names it missed (``mentions``), and the
title's: local news often names its town only there ("Teen shot in Florence"), and an outlet its own
("... - Huntsville, AL"). The main place is the fallback of a claim whose own place is not known.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Span

from stream.analysis.mentions import PLACE_LABELS, place_mentions, span_containers
from stream.analysis.places import BIG_PLACE, Evidence, article_evidence, mission_countries, resolve

Named = tuple[str, tuple[str, ...]]  # a place name and the names the text says contain it


@dataclass(frozen=True)
class Geography:
    evidence: Evidence
    main_place: Named | None
    named: tuple[Named, ...]


def named_places(sentences: Iterable[Span]) -> list[Named]:
    """Every place mention of the sentences, in order, with its containers."""
    return [(span.text.removeprefix("the "), span_containers(span))
            for sent in sentences for span in place_mentions(sent)]


def article_geography(sentences: Iterable[Span], dateline: list[str], entities: list[dict]) -> Geography:
    """The geography of an article from its title and story sentences, its dateline's places and its entity
    records (nationality adjectives, groups and the missions the text names are evidence of its country)."""
    sentences = list(sentences)
    named = named_places(sentences)
    evidence = article_evidence([name for name, _ in named],
                                [e["text"] for e in entities if e["label"] == "NORP"],
                                [e["text"] for e in entities if e["label"] not in PLACE_LABELS], dateline,
                                mission_countries(" ".join(sent.text for sent in sentences)))
    main = main_place(named, evidence)
    if main is not None:  # the article's namesakes lie where it is about: "Florence" near "Huntsville, AL"
        evidence = evidence.at_home(resolve(main[0], evidence, main[1]).entry)
    return Geography(evidence, main, tuple(named))


def main_place(named: list[Named], evidence: Evidence) -> Named | None:
    """The place the article is about: of the places that resolve, the one named most often (a place under two
    names counts once: "Kharkiv" and "Kharkov"; a region or a big town counts one more than it is named: a
    city's neighbourhood that shares a small town's name is named as often as its city), a town or region
    before a country, the first named among equals. None when no place resolves."""
    counts: Counter = Counter()
    first: dict[tuple, tuple[int, Named]] = {}
    big: dict[tuple, bool] = {}
    for position, (name, around) in enumerate(named):
        entry = resolve(name, evidence, around).entry
        if entry is None:
            continue
        key = (entry.kind, entry.country_code, entry.admin1_code, entry.geonameid or entry.name)
        counts[key] += 1
        first.setdefault(key, (position, (name, around)))
        big[key] = entry.kind != "town" or entry.population >= BIG_PLACE
    if not counts:
        return None
    best = max(counts, key=lambda key: (key[0] != "country", counts[key] + big[key], -first[key][0]))
    return first[best][1]
