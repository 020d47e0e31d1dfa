"""Read the words that quantify a victim noun phrase as a conservative count.

The input is the quantity phrase only ("more than 20", "dozens of", "a"); a
trailing noun is tolerated ("20 people"). Codings follow ACLED's practice for
fatalities: ``best`` is the smallest figure the wording supports, except where a
rule below says otherwise (min / max / best):

* numbers: "20", "1,200", "12 000", "twenty-one", "a dozen", "1.2 million" -> N / N / N
* "a", "an", "one", "a single", "lone" -> 1/1/1; "both", "a pair of", "a couple of" -> 2/2/2
* "no", "none", "zero", "nobody", "no one" -> 0/0/0 (the caller reads 0 as negation)
* "more than N", "over", "above", "upwards of", "in excess of" -> N+1 / None / N+1
* "at least N", "a minimum of", "no fewer than", "no less than" -> N / None / N
* "up to N", "as many as", "at most", "no more than" -> 1 / N / N, approximate.
  best is the stated figure, not the minimum: it is the only figure the report
  gives, and coding it as 1 would make every such claim useless to analysts.
* "fewer than N", "less than", "under" -> 1 / N-1 / N-1, approximate (None if N < 2)
* "about N", "around", "approximately", "roughly", "some", "an estimated",
  "approx.", "circa", and "nearly", "almost", "close to", "just under"
  -> N / N / N, approximate (ACLED records the stated figure)
* ranges "4-7", "4 to 7", "4 or 5", "between 4 and 7", "from 4 to 7"
  -> low / high / low; a range whose low end exceeds its high end -> None
* vague words (table ``_PHRASES``): value / None / value, vague; a following
  scale multiplies ("several hundred" 300, "tens of thousands" 10000)
* suffixes: "20 or more", "20-plus", "20+" make max None; "20-odd", "20 or so" approximate

Ordinals ("first", "11th"), "some" without a number and anything else -> None.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import NamedTuple

__all__ = ["Count", "PLAUSIBLE_MAX", "NUMBER_WORDS", "BOUND_WORDS", "parse_count", "parse_number"]

PLAUSIBLE_MAX: int = 100_000  # one claim of more killed than this is flagged, not trusted


@dataclass(frozen=True)
class Count:
    min: int  # smallest figure the wording supports
    max: int | None  # largest; None when open-ended ("more than 20", "dozens")
    best: int  # the single figure to use
    text: str  # the phrase as given, stripped
    vague: bool = False
    approximate: bool = False
    implausible: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


# --- vocabulary -------------------------------------------------------------
_UNITS = dict(zip("one two three four five six seven eight nine".split(), range(1, 10)))
_TEENS = dict(zip("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(),
                  range(10, 20)))
_TENS = dict(zip("twenty thirty forty fifty sixty seventy eighty ninety".split(), range(20, 100, 10)))
_SMALL = _UNITS | _TEENS | _TENS
_HUNDRED = "hundred"
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_MULTIPLIERS = {"dozen": 12, "score": 20}  # "a dozen", "two dozen", "a score of"
_VAGUE_SCALES = {"dozen": 12, "dozens": 12, "hundred": 100, "hundreds": 100, "thousand": 10**3,
                 "thousands": 10**3, "million": 10**6, "millions": 10**6}

# phrase -> (value, vague); matched longest first, after plain numbers
_PHRASES: dict[tuple[str, ...], tuple[int, bool]] = {
    ("a",): (1, False), ("an",): (1, False), ("a", "single"): (1, False),
    ("a", "lone"): (1, False), ("lone",): (1, False),
    ("both",): (2, False), ("a", "pair"): (2, False), ("a", "pair", "of"): (2, False),
    ("a", "couple"): (2, False), ("a", "couple", "of"): (2, False),
    ("tens",): (10, True), ("dozens",): (12, True), ("scores",): (20, True),
    ("hundreds",): (100, True), ("thousands",): (10**3, True), ("millions",): (10**6, True),
    ("several",): (3, True), ("a", "few"): (2, True), ("few",): (2, True),
    ("a", "number", "of"): (2, True), ("a", "handful"): (2, True), ("a", "handful", "of"): (2, True),
    ("many",): (2, True), ("numerous",): (2, True), ("multiple",): (2, True),
}
_ZERO = {("no",), ("none",), ("zero",), ("nobody",), ("no", "one"), ("no", "-", "one"),
         ("not", "one"), ("not", "a", "single")}

_PREFIX_WORDS = {
    "gt": ["more than", "over", "above", "upwards of", "upward of", "in excess of", "just over", "well over"],
    "ge": ["at least", "a minimum of", "no fewer than", "no less than", "not fewer than", "not less than"],
    "upto": ["up to", "as many as", "at most", "no more than", "not more than", "a maximum of"],
    "lt": ["fewer than", "less than", "under", "below"],
    "approx": ["about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
               "approx", "circa", "ca", "nearly", "almost", "close to", "just under"],
    "between": ["between"],
    "from": ["from"],
}
_PREFIXES = {tuple(p.split()): kind for kind, ps in _PREFIX_WORDS.items() for p in ps}
_SUFFIXES = {("or", "more"): "open", ("plus",): "open", ("-", "plus"): "open", ("+",): "open",
             ("or", "so"): "approx", ("odd",): "approx", ("-", "odd"): "approx"}
_RANGE_JOINS = {"-", "to", "or"}

_QUANTITY_WORDS = {*_SMALL, _HUNDRED, *_SCALES, *_MULTIPLIERS, *_VAGUE_SCALES,
                   *(k[0] for k, (_, vague) in _PHRASES.items() if vague and len(k) == 1)}
# Every word that can occur inside a count phrase (prefixes excepted: see BOUND_WORDS).
NUMBER_WORDS: frozenset[str] = frozenset(
    _QUANTITY_WORDS | {"half", "and", "or", "to", "of", "more"}
    | {w for key in (*_PHRASES, *_ZERO, *_SUFFIXES) for w in key if w.isalpha()})
# Prefixes that bound or hedge a count, space-joined ("more than", "at least", "about").
BOUND_WORDS: frozenset[str] = frozenset(" ".join(k) for k in _PREFIXES)

# --- tokenizer ----------------------------------------------------------------
_NORMALISE = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
                            "\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_SPACED_THOUSANDS = re.compile(r"\b\d{1,3}(?: \d{3})+\b")  # "12 000"
_TOKEN = re.compile(r"\w+(?:[.,']\w+)*|[-+]")
_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")


def _tokenize(text: str) -> list[str]:
    text = text.translate(_NORMALISE).lower()
    text = _SPACED_THOUSANDS.sub(lambda m: m[0].replace(" ", ""), text)
    return _TOKEN.findall(text)


def _longest(table, toks: list[str], i: int) -> tuple[str, ...] | None:
    for size in (3, 2, 1):
        key = tuple(toks[i:i + size])
        if len(key) == size and key in table:
            return key
    return None


# --- plain numbers -------------------------------------------------------------
_Num = tuple[int, int]  # (value, index after the number)


def _digit_number(toks: list[str], i: int) -> _Num | None:
    if not _DIGITS.fullmatch(toks[i]):
        return None
    value, j = Fraction(toks[i].replace(",", "")), i + 1
    if j < len(toks):
        scale = _SCALES.get(toks[j]) or _MULTIPLIERS.get(toks[j]) or (100 if toks[j] == _HUNDRED else 0)
        if scale:  # "1.2 million", "20 thousand"
            value, j = value * scale, j + 1
    return (int(value), j) if value.denominator == 1 else None


def _word_number(toks: list[str], i: int) -> _Num | None:
    if toks[i] == "zero":
        return 0, i + 1
    if toks[i] == "half" and toks[i + 1:i + 2] in (["a"], ["an"]):
        whole = _word_number(toks, i + 1)  # "half a dozen", "half a million"
        return (whole[0] // 2, whole[1]) if whole and whole[0] % 2 == 0 else None
    total, group, prev, last_scale, j = 0, 0, None, None, i
    if toks[i] in ("a", "an"):  # only as "a hundred", "a dozen", ...
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt != _HUNDRED and nxt not in _SCALES and nxt not in _MULTIPLIERS:
            return None
        group, prev, j = 1, "a", i + 1
    while j < len(toks):
        t, nxt = toks[j], toks[j + 1] if j + 1 < len(toks) else None
        if t in _SMALL and (prev in (None, "hundred", "scale") or (prev == "tens" and t in _UNITS)):
            group, prev = group + _SMALL[t], "tens" if t in _TENS else "small"
        elif t == "-" and prev == "tens" and nxt in _UNITS:  # "twenty-one"
            pass
        elif t == "and" and prev in ("hundred", "scale") and nxt in _SMALL:  # "a hundred and fifty"
            pass
        elif t == _HUNDRED and prev in ("small", "tens", "a") and group < 100:
            group, prev = group * 100, "hundred"
        elif t in _SCALES and prev in ("small", "tens", "a", "hundred") and (
                last_scale is None or _SCALES[t] < last_scale):
            total, group, prev, last_scale = total + group * _SCALES[t], 0, "scale", _SCALES[t]
        elif t in _MULTIPLIERS and prev in ("small", "tens", "a"):
            return total + group * _MULTIPLIERS[t], j + 1  # "two dozen" ends the number
        else:
            break
        j += 1
    return (total + group, j) if prev is not None else None


def _number(toks: list[str], i: int) -> _Num | None:
    if i >= len(toks):
        return None
    return _digit_number(toks, i) or _word_number(toks, i)


# --- count phrases ---------------------------------------------------------------
class _Reading(NamedTuple):
    min: int
    max: int | None
    best: int
    vague: bool
    approximate: bool
    end: int


class _Span(NamedTuple):
    low: int
    high: int
    vague: bool
    end: int


def _quantity(toks: list[str], i: int) -> _Span | None:
    """A single quantity: a plain number, or a fixed or vague phrase times an optional scale."""
    if num := _number(toks, i):
        return _Span(num[0], num[0], False, num[1])
    key = _longest(_PHRASES, toks, i)
    if key is None:
        return None
    (value, vague), j = _PHRASES[key], i + len(key)
    k = j + 1 if toks[j:j + 1] == ["of"] else j
    if k < len(toks) and toks[k] in _VAGUE_SCALES:  # "several hundred", "tens of thousands"
        value, j = value * _VAGUE_SCALES[toks[k]], k + 1
    return _Span(value, value, vague, j)


def _range(toks: list[str], i: int, joins: set[str], required: bool) -> _Span | None:
    """A range of plain numbers ("4-7", "four or five"); else, unless required, one quantity."""
    low = _number(toks, i)
    if low and low[1] < len(toks) and toks[low[1]] in joins:
        high = _number(toks, low[1] + 1)
        if high:
            return _Span(low[0], high[0], False, high[1]) if low[0] <= high[0] else None
    return None if required else _quantity(toks, i)


def _bounded(kind: str | None, span: _Span) -> _Reading | None:
    n, vague, end = span.low, span.vague, span.end
    if kind in (None, "approx", "between", "from"):
        return _Reading(n, None if vague else span.high, n, vague, kind == "approx", end)
    if span.high != n:  # "more than 4-7" is not a reading we can code
        return None
    if kind == "gt":
        return _Reading(n + 1, None, n + 1, vague, False, end)
    if kind == "ge":
        return _Reading(n, None, n, vague, False, end)
    if kind == "upto":
        return _Reading(1, n, n, vague, True, end) if n >= 1 else None
    return _Reading(1, n - 1, n - 1, vague, True, end) if n >= 2 else None  # "lt"


def _suffixed(reading: _Reading, toks: list[str]) -> _Reading:
    key = _longest(_SUFFIXES, toks, reading.end)
    if key is None:
        return reading
    end = reading.end + len(key)
    if _SUFFIXES[key] == "open":
        return reading._replace(max=None, end=end)
    return reading._replace(approximate=True, end=end)


def _read(toks: list[str]) -> _Reading | None:
    prefix = _longest(_PREFIXES, toks, 0)
    if prefix is None and (zero := _longest(_ZERO, toks, 0)):
        return _Reading(0, 0, 0, False, False, len(zero))
    kind, i = (_PREFIXES[prefix], len(prefix)) if prefix else (None, 0)
    if kind == "between":  # "between 4 and 7"; "between 2 to 4" is common in wire copy too
        span = _range(toks, i, {"and", "to", "-"}, required=True)
    elif kind == "from":
        span = _range(toks, i, {"to", "-"}, required=True)
    else:
        span = _range(toks, i, _RANGE_JOINS, required=False)
    reading = _bounded(kind, span) if span else None
    return _suffixed(reading, toks) if reading else None


def _ignorable(rest: list[str]) -> bool:
    """Trailing words may be a noun ("20 people", "a man"), never a further number or a dash."""
    if rest[:1] == ["-"]:  # "20-year-old" is an age, not a count
        return False
    return not any(t[0].isdigit() or t in _QUANTITY_WORDS for t in rest)


def parse_count(text: str) -> Count | None:
    """Code a quantity phrase conservatively (see the module docstring); None if it holds no count."""
    phrase = text.strip()
    toks = _tokenize(phrase)
    reading = _read(toks) if toks else None
    if reading is None or not _ignorable(toks[reading.end:]):
        return None
    return Count(reading.min, reading.max, reading.best, phrase, reading.vague,
                 reading.approximate, reading.best > PLAUSIBLE_MAX)


def parse_number(text: str) -> int | None:
    """A plain cardinal number ("1,200", "twenty-one", "a dozen", "1.2 million"), nothing else."""
    toks = _tokenize(text.strip())
    num = _number(toks, 0) if toks else None
    return num[0] if num and num[1] == len(toks) else None
