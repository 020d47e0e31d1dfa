"""Coverage-guided fuzzing (atheris, libFuzzer) of the entry points that parse bytes from outside.

    python -m tests.fuzz.atheris_targets TARGET [libFuzzer options] [CORPUS_DIR ...]

Each target must return normally for every input, or raise only what its contract allows
(``Rejected`` for a message, ``Unreadable`` for a dead-letter record, ``ValueError`` for a
date): anything else is a crash, which libFuzzer reports with the input that caused it.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from stream.analysis.dates import parse_published_at
    from stream.analysis.quantities import parse_count
    from stream.deadletter import Unreadable, parse_dead_letter
    from stream.ingest.decode import decode_article, decode_raw
    from stream.ingest.reasons import Rejected

MAX_BODY = 4096


def _decode_raw(data: bytes) -> None:
    try:
        decode_raw(data, None, max_body_bytes=MAX_BODY)
    except Rejected:
        pass


def _decode_article(data: bytes) -> None:
    try:
        decode_article(data, max_body_bytes=MAX_BODY)
    except Rejected:
        pass


def _dead_letter(data: bytes) -> None:
    try:
        parse_dead_letter(data)
    except Unreadable:
        pass


def _text_parsers(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    parse_count(text)
    try:
        parse_published_at(text)
    except ValueError:
        pass


TARGETS = {"decode_raw": _decode_raw, "decode_article": _decode_article, "dead_letter": _dead_letter,
           "text_parsers": _text_parsers}


def main() -> None:
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
