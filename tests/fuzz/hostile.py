"""Hostile input for the fuzz and property tests and the worker's hostile batch (written for this project).

Strategies build what a feed can send by mistake or malice: broken JSON and UTF-8, wrong
types, deep nesting, NUL bytes, control, zero-width and bidi characters, right-to-left text,
emoji, markup and scripts, absurd figures, dates at the ends of the calendar, other languages.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import orjson
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(examples: int) -> settings:
    """``examples`` inputs per test; no deadline (the machine is shared), no example database in the tree."""
    return settings(max_examples=examples, deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


# -- text -------------------------------------------------------------------------------------------
CLAIMS = (
    "Gunmen killed 12 people in Kaduna on Monday, police said.",
    "An airstrike killed at least 20 civilians in Gaza City on Tuesday, health officials said.",
    "Two soldiers were wounded when a drone hit their post last week.",
    "Rebels abducted dozens of villagers near Goma, a local official said.",
)
ABSURD = "Officials said 1,000,000,000,000 people were killed in the strike on Monday."
CAPS = "KABUL (REUTERS) - GUNMEN KILLED 12 PEOPLE IN A MOSQUE ON FRIDAY, POLICE SAID."
RTL = "\u0642\u0627\u0644 \u0645\u0633\u0624\u0648\u0644\u0648\u0646 \u0625\u0646 20 \u0634\u062e\u0635\u0627 \u0642\u062a\u0644\u0648\u0627 \u202eoverride\u202c \u05e2\u05d1\u05e8\u05d9\u05ea"
EMOJI = "\U0001f4a5\U0001f525 \U0001f469\u200d\U0001f469\u200d\U0001f467 \U0001f3f3\ufe0f\u200d\U0001f308 \U0001f1fa\U0001f1e6"
MARKUP = ('<script>alert("x")</script><img src=x onerror=alert(1)><b>Gunmen</b> killed &amp; 3 '
          '<!-- a comment --><a href="javascript:alert(1)">people</a>')
ZERO_WIDTH = "kil\u200bled\u200d 5 \ufeffpeo\u2060ple \u00adin \u200eAleppo\u200f"
CONTROLS = "\x00\x01\x07\x1b[31mred\x1b[0m\x7f\x85\x9f\r\n\t\x0b\x0c"
FRENCH = ("Des hommes armés ont tué douze personnes lundi dans un village du nord du pays, selon la police. "
          "Les habitants ont fui vers la ville voisine, où l'armée a renforcé sa présence.")
SPANISH = ("Hombres armados mataron a doce personas el lunes en una aldea del norte del país, según la policía. "
           "Los vecinos huyeron hacia la ciudad cercana, donde el ejército reforzó su presencia.")
GERMAN = ("Bewaffnete haben am Montag in einem Dorf im Norden des Landes zwölf Menschen getötet, teilte die "
          "Polizei mit. Die Bewohner flohen in die nahe Stadt, wo die Armee ihre Präsenz verstärkte.")
SNIPPETS = (*CLAIMS, ABSURD, CAPS, RTL, EMOJI, MARKUP, ZERO_WIDTH, CONTROLS, FRENCH, "",
            "12 killed.", "Killed.", "the the the", "\u00a0" * 20, "....", "\n\n\n", "'\"\u201c\u201d",
            "more than 20 people", "up to 1,000,000,000 killed", "between 9 and 3 were killed")

ODD_CHARACTERS = st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So", "Sk", "Lo"))
absurd_figures = st.integers(min_value=0, max_value=10**15).map(lambda n: f"Officials said {n:,} people were "
                                                                           "killed on Monday.")
pieces = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=60), st.text(ODD_CHARACTERS, max_size=30),
                   absurd_figures)


@st.composite
def bodies(draw, max_pieces: int = 12) -> str:
    """Article text: pieces joined by spaces, sentence ends or paragraph breaks, sometimes shouted."""
    parts = draw(st.lists(pieces, min_size=1, max_size=max_pieces))
    separators = draw(st.lists(st.sampled_from([" ", ". ", "\n", "\n\n", ""]), min_size=len(parts),
                               max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, separators))
    return text.upper() if draw(st.booleans()) and draw(st.booleans()) else text


def _iso(moment: datetime | date) -> str:
    return moment.isoformat()


far_dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(_iso),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=14)),
                                            timezone(timedelta(hours=-12))])).map(_iso),
    st.sampled_from(["0001-01-01", "9999-12-31", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00",
                     "1970-01-01", "2038-01-19T03:14:08Z"]),
)
languages = st.sampled_from([None, "en", "EN-gb", "en_US", "fr", "ar", "he", "zh-Hant", "x-klingon", "", " "])

# -- JSON --------------------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
ids = st.one_of(st.text(min_size=1, max_size=40), st.text(max_size=300),
                st.sampled_from(["", " ", "a\x00b", "x" * 257, "../../etc/passwd", "<script>", "\u202eevil"]))
# field -> a valid value; an article object may instead lack it, or carry any JSON value there
FIELDS = {
    "id": ids,
    "body": bodies(),
    "title": st.none() | st.text(max_size=80) | st.sampled_from([MARKUP, RTL, "x" * 2001]),
    "source": st.none() | st.text(max_size=40),
    "url": st.none() | st.sampled_from(["javascript:alert(1)", "http://example.invalid/a?b=<c>", "x" * 4001]),
    "published_at": st.none() | far_dates | st.text(max_size=30),
    "language": languages,
}


@st.composite
def article_objects(draw) -> dict:
    obj = draw(st.dictionaries(st.text(max_size=10), json_values, max_size=3))  # fields nobody asked for
    for name, valid in FIELDS.items():
        choice = draw(st.sampled_from(["valid", "valid", "valid", "missing", "other"]))
        if choice == "valid":
            obj[name] = draw(valid)
        elif choice == "other":
            obj[name] = draw(json_values)
        else:
            obj.pop(name, None)
    return obj


BAD_BYTES = (b"\xff", b"\xfe\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\x00", b"\xe2\x80", b"\\u0000", b"\\ud800",
             b'"', b"\\", b"{", b"]", b"\xef\xbb\xbf", b"<", b"<!DOCTYPE x [<!ENTITY a 'b'>]>")


@st.composite
def mutated(draw) -> bytes:
    """An article's JSON with bytes inserted, or cut short."""
    data = orjson.dumps(draw(article_objects()))
    at = draw(st.integers(min_value=0, max_value=len(data)))
    if draw(st.booleans()):
        return data[:at]
    return data[:at] + draw(st.sampled_from(BAD_BYTES)) + data[at:]


def nested(depth: int) -> bytes:
    return b'{"id": "deep", "body": "Deep.", "extra": ' + b"[" * depth + b"]" * depth + b"}"


XML = (
    b"<newsItem><contentSet><inlineXML>unclosed",
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><x>&lol2;</x>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b"<html><body><script>alert(1)</script></body></html>",
)

raw_messages = st.one_of(
    article_objects().map(orjson.dumps),
    mutated(),
    st.binary(max_size=400),
    json_values.map(orjson.dumps),
    st.integers(min_value=1, max_value=5000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=1, max_value=3000).map(nested),
    st.sampled_from(XML),
)


def hostile_batch() -> list[tuple[str, bytes]]:
    """A fixed batch for the real worker: (what it is, bytes), rejected and accepted alike."""
    def article(name: str, body: str, **extra) -> tuple[str, bytes]:
        return name, orjson.dumps({"id": f"hostile-{name}", "body": body, **extra})

    return [
        ("not-json", b'{"id": "x", "body": '),
        ("not-utf8", b'{"id": "x", "body": "caf\xe9"}'),
        ("an-array", b"[1, 2, 3]"),
        ("deep-nesting", b"[" * 5000 + b"]" * 5000),
        ("nul-bytes", b"\x00\x00\x00"),
        ("lone-surrogate", b'{"id": "x", "body": "\\ud800"}'),
        ("wrong-type", orjson.dumps({"id": 7, "body": "Gunmen killed 2."})),
        ("no-body", orjson.dumps({"id": "hostile-no-body"})),
        ("empty-body", orjson.dumps({"id": "hostile-empty", "body": " \n\t"})),
        ("bad-date", orjson.dumps({"id": "hostile-bad-date", "body": CLAIMS[0], "published_at": "yesterday"})),
        ("billion-laughs", XML[1]),
        article("rtl", RTL + " " + CLAIMS[0], language="ar"),
        article("emoji", EMOJI + " " + CLAIMS[1]),
        article("markup", MARKUP + "\n" + CLAIMS[2], title=MARKUP),
        article("zero-width", ZERO_WIDTH + " " + CONTROLS),
        article("nul-in-body", "Gunmen\u0000 killed 4 people\u0000 on Monday."),
        article("absurd", ABSURD, published_at="2024-10-22"),
        article("caps", CAPS, published_at="2024-10-22"),
        article("year-1", CLAIMS[0] + " Last week 5 were wounded.", published_at="0001-01-01"),
        article("year-9999", CLAIMS[0] + " Next Tuesday they will strike.", published_at="9999-12-31T23:59:59-12:00"),
        article("french", FRENCH, language="fr"),
        article("spanish-undeclared", SPANISH + " " + SPANISH),
        article("no-punctuation", "killed people in gaza " * 500),
        article("one-word-sentences", "Yes. " * 2000),
        article("ordinary", CLAIMS[0], published_at="2024-10-22"),
    ]
