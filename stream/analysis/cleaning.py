"""Text cleaning and segmentation, before any model runs.

Offsets must index the body as received, so cleaning never changes a text's length:
invisible and control characters become spaces one for one. The body is then cut
into blocks (paragraphs): story text, a dateline, bylines and page furniture
(photo credits, "Comments are closed.", sign-up prompts). Only story blocks are
parsed; the others stay visible as sentences of their own kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Zero-width and bidi controls, NBSP and other odd spaces, C0/C1 controls except tab/newline.
_INVISIBLE = re.compile("[\u00a0\u1680\u2000-\u200f\u2028\u2029\u202a-\u202f\u205f-\u2064\u3000\ufeff\u00ad"
                        "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Longest block handed to the parser in one piece; longer paragraphs are cut at a sentence end.
MAX_BLOCK_CHARS = 5000

_BOILERPLATE = [re.compile(p, re.IGNORECASE) for p in (
    r"comments? (are|is) (now )?closed\.?",
    r"(leave|post|add|view|show|hide) (a |the )?comments?.*",
    r"\d+ comments?",
    r"(share|tweet|email|print|save)( this)?( article| story| page)?:?",
    r"(sign up|subscribe|register|log in|click here|read more|see also|related( articles| coverage| stories)?|"
    r"follow us|download (the|our) app|advertisement|sponsored( content)?|listen to (this|the) article)\b.{0,100}",
    r"(©|\(c\)|copyright)\s.{0,120}",
    r".{0,80}all rights reserved\.?",
    r"\(?(reporting|writing|editing|additional reporting|compiled|translated|produced) by\b.{0,200}",
    r"our standards:.{0,120}",
    r"(photo|picture|image|video|file photo|graphic)( credit)?s?\s*[:|/].{0,120}",
    r"(reuters|ap|afp|getty images|epa|anadolu|xinhua|efe|dpa|ansa|sipa|upi|tass|ap photo)\s*/\s*[^./]{1,60}",
    r"[\w.'-]+(?: [\w.'-]+){0,3}\s*/\s*(reuters|ap|afp|getty images|epa|anadolu|xinhua)\.?",
    r"(updated|published|posted|last updated)( on| at)?:? .{0,60}\d.{0,40}",
    r"(this (article|story) (was|has been) (updated|corrected)).{0,200}",
)]
_BYLINE = re.compile(r"(?:[Bb]y|[Ff]rom) [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:(?:,| and) [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})*"
                     r"(?:, [\w ]{0,40})?\.?")
# "GAZA, Oct 22 (Reuters) -", "KYIV, Ukraine (AP) —", "BEIRUT —", "Gaza City, Oct 22 (AFP) -"
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'\u2019-]*(?: [A-Z][A-Za-z.'\u2019-]*){0,3}(?:, [A-Z][A-Za-z.'\u2019-]*(?: [A-Z][A-Za-z.]*){0,2})?)"
    r"(?:,? (?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z0-9 .,&-]{0,30})\))?"  # "(AP)", "(WLNS)", "(July 3, 2015)"
    r"\s*[-\u2013\u2014]+(?:\s+|$)"
)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    kind: str  # "story" | "dateline" | "byline" | "boilerplate"


def normalize(text: str) -> str:
    """Same-length clean-up: invisible and control characters become spaces, CR becomes newline."""
    return _INVISIBLE.sub(" ", text).replace("\r", "\n")


def _kind(line: str) -> str:
    if any(p.fullmatch(line) for p in _BOILERPLATE):
        return "boilerplate"
    if len(line) < 120 and _BYLINE.fullmatch(line):
        return "byline"
    return "story"


def _dateline_end(line: str) -> int:
    """Length of a dateline at the start of ``line`` (0 if none)."""
    match = _DATELINE.match(line)
    if not match:
        return 0
    place = match.group("place")
    # A real dateline is a place in capitals, or is followed by a date or an agency.
    if match.group("date") or match.group("agency") or place.split(",")[0].isupper():
        return match.end()
    return 0


def dateline_place(text: str) -> str | None:
    """The dateline's town, if ``text`` starts with a dateline."""
    places = dateline_places(text)
    return places[0] if places else None


def dateline_places(text: str) -> list[str]:
    """"OBERLIN, Ohio -" -> ["Oberlin", "Ohio"]: the town first, then its state or country."""
    match = _DATELINE.match(text)
    if not match:
        return []
    parts = [part.strip() for part in match.group("place").split(",") if part.strip()]
    # the town in capitals is title-cased; a state's postal code after it stays ("CONWAY, SC")
    return [part.title() if part.isupper() and (k == 0 or len(part) > 2) else part for k, part in enumerate(parts)]


def _cut(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut an over-long paragraph at sentence ends (or at spaces, or hard) into pieces under the limit."""
    pieces = []
    while end - start > MAX_BLOCK_CHARS:
        window = text[start:start + MAX_BLOCK_CHARS]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
        if cut < MAX_BLOCK_CHARS // 4:
            cut = window.rfind(" ") + 1
        if cut < MAX_BLOCK_CHARS // 4:
            cut = MAX_BLOCK_CHARS
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def segment(text: str) -> list[Block]:
    """Blocks covering every non-blank line of ``text`` (already normalized), in order."""
    blocks: list[Block] = []
    pos = 0
    for raw in text.split("\n"):
        line_start, line_end = pos, pos + len(raw)
        pos = line_end + 1
        stripped = raw.strip()
        if not stripped:
            continue
        start = line_start + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        kind = _kind(stripped)
        if kind == "story" and not any(b.kind == "story" for b in blocks):
            head = _dateline_end(stripped)
            if head and start + head < end:
                blocks.append(Block(start, start + len(stripped[:head].rstrip()), "dateline"))
                start += head
        if kind == "story":
            blocks.extend(Block(s, e, kind) for s, e in _cut(start, end, text))
        else:
            blocks.append(Block(start, end, kind))
    return blocks
