"""Running the model in two passes: every article gets what every article needs, and only the
sentences that can hold a claim pay for a parse.

1. Entities and sentences: the entity recogniser (our armed-group patterns first) and the
   cheap sentence recogniser over every block.
2. Tags and dependencies: the tagger and parser over the sentences that name a casualty or
   attack word or open a quotation, and over each article's first sentence (it dates the
   story). Five news sentences in six have none of these.

Shouted (all-capitals) blocks go through both passes in sentence case and come back in
their own characters (``casing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from stream.analysis import lexicon as lx
from stream.analysis.boundaries import cap_sentence_length, furniture_boundaries, repair_boundaries
from stream.analysis.casing import is_shouting, recase, sentence_case
from stream.analysis.tag_attributes import compiled

FIRST_PASS = ("senter", "armed_groups", "ner")
SECOND_PASS = ("tok2vec", "tagger", "parser")  # then the attribute ruler's work (``tag_attributes``)


@dataclass
class Sentence:
    span: Span  # in the first-pass document: offsets, entities
    parsed: Span | None  # the same words with tags and dependencies, when parsed


@dataclass
class Block:
    doc: Doc
    sentences: list[Sentence]


def worth_parsing(span: Span) -> bool:
    """A casualty or attack word, or a closing colon that opens a quotation."""
    return any(t.lower_ in lx.PARSE_WORDS for t in span) or span.text.rstrip().endswith(":")


def _first_pass(nlp: Language, texts: Sequence[str], batch_size: int) -> list[tuple[Doc, Doc]]:
    """(document as sent, document the model saw) per text."""
    model_texts = [sentence_case(t) if is_shouting(t) else t for t in texts]
    out = []
    with nlp.select_pipes(enable=list(FIRST_PASS)):
        for seen, text in zip(nlp.pipe(model_texts, batch_size=batch_size), texts):
            cap_sentence_length(repair_boundaries(furniture_boundaries(seen)))
            out.append((seen if seen.text == text else recase(seen, text), seen))
    return out


def _second_pass(nlp: Language, spans: Iterable[tuple[Span, Span]], batch_size: int) -> list[Span]:
    """Parse (sentence as sent, sentence the model saw) pairs; return parsed spans in the sent characters."""
    pairs = list(spans)
    attributes = compiled(nlp.get_pipe("attribute_ruler")) if "attribute_ruler" in nlp.pipe_names else (lambda d: d)
    with nlp.select_pipes(enable=list(SECOND_PASS)):
        parsed = map(attributes, nlp.pipe((seen.as_doc() for _, seen in pairs), batch_size=batch_size))
        # A sentence the model saw in its own characters needs no copy back (``as_doc`` keeps the last
        # token's space, so the texts cannot simply be compared).
        return [(doc if own.doc is seen.doc else recase(doc, own.text))[:] for doc, (own, seen) in zip(parsed, pairs)]


def analyse_blocks(nlp: Language, texts: Sequence[str], lede: Sequence[bool], batch_size: int) -> list[Block]:
    """Both passes over block texts; ``lede[i]`` marks a block whose first sentence must be parsed."""
    first = _first_pass(nlp, texts, batch_size)
    blocks, wanted = [], []
    for (doc, seen), is_lede in zip(first, lede):
        sentences = [Sentence(span, None) for span in doc.sents]
        for n, (sentence, seen_span) in enumerate(zip(sentences, seen.sents)):
            if (is_lede and n == 0) or worth_parsing(sentence.span):
                wanted.append((sentence, (sentence.span, seen_span)))
        blocks.append(Block(doc, sentences))
    for (sentence, _), parsed in zip(wanted, _second_pass(nlp, (pair for _, pair in wanted), batch_size)):
        sentence.parsed = parsed
    return blocks
