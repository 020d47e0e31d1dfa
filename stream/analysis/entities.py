"""Named entities of the story sentences, with a canonical name where one is known."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from stream.analysis import lexicon as lx
from stream.analysis.places import Evidence, containers, geo_fields

PLACE_LABELS = ("GPE", "LOC", "FAC")

_DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "i", "ic", "ch", "sh")
_POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


def _plausible(ent: Span) -> bool:
    text = ent.text
    if not any(ch.isalnum() for ch in text):
        return False
    if ent.label_ == "NORP" and len(ent) == 1:
        # "Repeated" tagged NORP at a sentence start: a demonym is a known word, ends like one, or is
        # capitalised where a sentence does not start
        low, token = text.lower(), ent.root
        return (low in lx.DEMONYMS or low.endswith(_DEMONYM_ENDINGS) or token.is_upper
                or (token.is_title and not token.is_sent_start))
    return True


def canonical_name(label: str, text: str) -> str | None:
    low = text.lower().removeprefix("the ")
    if label == "NORP":
        return lx.DEMONYMS.get(low) or lx.ACTOR_ALIASES.get(low)
    if label == "GPE":
        return lx.COUNTRY_ALIASES.get(low, text.removeprefix("the "))
    if label == "ORG":
        return lx.ACTOR_ALIASES.get(low)
    return None


def _name_only(ent: Span) -> Span:
    """The name without the article or possessive the model's spans carry ("the Taliban", "Israel's")."""
    start, end = ent.start, ent.end
    if end - start > 1 and ent[0].text == "the":
        start += 1
    if end - start > 1 and ent.doc[end - 1].text in _POSSESSIVES:
        end -= 1
    return ent.doc[start:end]


def entity_records(doc: Doc, offset: int, sentence_index: dict[int, int]) -> list[dict]:
    """Entities of one parsed block; ``sentence_index`` maps a sentence's first token to its article index."""
    out = []
    for whole in doc.ents:
        if not _plausible(whole):
            continue
        ent = _name_only(whole)
        out.append({
            "text": ent.text,
            "label": whole.label_,
            "start": ent.start_char + offset,
            "end": ent.end_char + offset,
            "sentence": sentence_index[ent.sent.start],
            "canonical": canonical_name(whole.label_, ent.text),
        })
    return out


def geocode(entities: list[dict], evidence: Evidence, text: str) -> None:
    """Add the location fields (``country_code`` ... ``resolution``) to every entity (None unless a place);
    ``text`` is what the entities' offsets index, read for the places that contain each one."""
    for entity in entities:
        place = entity["label"] in PLACE_LABELS
        name = entity["canonical"] or entity["text"] if place else None
        around = containers(text, entity["start"], entity["end"]) if place else ()
        entity.update(geo_fields(name, evidence, around))
