"""What every claim carries, whatever its kind: evidence, source, certainty, time, place."""

from __future__ import annotations

from spacy.tokens import Span, Token

from stream.analysis import lexicon as lx
from stream.analysis.actors import describe
from stream.analysis.context import (
    ArticleContext,
    actor_from,
    actor_in_modifiers,
    attribution,
    certainty,
    claim_place,
    claim_time,
    is_background,
    is_historical,
)


def evidence_span(tokens: list[Token], sent: Span) -> Span:
    first = min(t.i for t in tokens)
    last = max(t.i for t in tokens)
    return sent.doc[first:last + 1]


def is_attack_noun(token: Token) -> bool:
    return token.lower_ in lx.ATTACK_NOUNS or token.lower_ in lx.WEAPON_WORDS


def responsible_actor(token: Token | None, ctx: ArticleContext) -> tuple[dict | None, Span | None]:
    """The actor a subject/agent phrase names; for "Israeli strikes" or "a Hamas attack", the actor inside it."""
    if token is None:
        return None, None
    if is_attack_noun(token):
        inner = actor_in_modifiers(token)
        if inner is None:
            return None, None
        return actor_from(inner.root, ctx) or describe(inner.text, None), inner
    actor = actor_from(token, ctx)
    if actor is None:
        return None, None
    return actor, token.doc[token.left_edge.i:token.right_edge.i + 1]


def base_claim(
    trigger: Token,
    parts: list[Token],
    sent: Span,
    ctx: ArticleContext,
    *,
    victim: Token | None = None,
    avoid: list[Span] = (),
    prefer: list[Span] = (),
) -> dict:
    """Fields shared by casualty and attack claims; ``parts`` are the tokens the evidence must cover."""
    source = attribution(trigger, sent, ctx)
    time = claim_time(trigger, sent, ctx)
    demote = [s for s in [_source_span(sent, source)] if s is not None]
    span = evidence_span([trigger, *parts], sent)
    return {
        "trigger": ctx.span_dict(sent.doc[trigger.i:trigger.i + 1]),
        "start": span.start_char + ctx.offset,
        "end": span.end_char + ctx.offset,
        "sentence": ctx.sentence_index,
        "evidence": ctx.span_dict(sent),
        "attribution": {"text": source["text"]} if source else None,
        "certainty": certainty(trigger, victim, source),
        "time": time,
        "historical": is_historical(time, ctx),
        "background": is_background(trigger, sent, time, victim),
        "location": claim_place(trigger, sent, ctx, list(avoid), demote, list(prefer)),
    }


def _source_span(sent: Span, source: dict | None) -> Span | None:
    if not source:
        return None
    text = source["text"]
    at = sent.text.find(text)
    if at < 0:
        return None
    return sent.char_span(at, at + len(text), alignment_mode="expand")
