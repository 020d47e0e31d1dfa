"""Tests for stream.analysis.cleaning: same-length normalisation and block segmentation."""
import pytest

from stream.analysis.cleaning import MAX_BLOCK_CHARS, Block, dateline_place, dateline_places, normalize, segment


def kinds(text):
    return [(text[b.start:b.end], b.kind) for b in segment(text)]


# --- normalize ----------------------------------------------------------------

@pytest.mark.parametrize("char", [
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark
    "\u00a0",  # no-break space
    "\u202f",  # narrow no-break space
    "\u2028",  # line separator
    "\u00ad",  # soft hyphen
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",  # C1 next line
])
def test_cleaning_normalize_turns_invisible_chars_into_spaces(char):
    text = f"Shelling{char}hit the market{char}"
    out = normalize(text)
    assert len(out) == len(text)
    assert out == "Shelling hit the market "


def test_cleaning_normalize_keeps_tabs_newlines_and_words():
    text = "Col.\tName\nThe convoy reached Rafah."
    assert normalize(text) == text


def test_cleaning_normalize_turns_carriage_returns_into_newlines():
    text = "Line one.\r\nLine two.\rLine three."
    out = normalize(text)
    assert len(out) == len(text)
    assert out == "Line one.\n\nLine two.\nLine three."


# --- segment: kinds of lines --------------------------------------------------

@pytest.mark.parametrize("line", [
    "Comments are closed.",
    "Reuters/Jane Doe",
    "AP Photo/John Roe",
    "Reporting by Jane Doe in Beirut; Editing by John Roe",
    "Sign up for our morning briefing on the war",
    "Subscribe to our newsletter",
    "All rights reserved.",
])
def test_cleaning_segment_marks_page_furniture_as_boilerplate(line):
    text = f"Aid trucks crossed into the enclave on Monday.\n{line}"
    assert kinds(text) == [("Aid trucks crossed into the enclave on Monday.", "story"), (line, "boilerplate")]


@pytest.mark.parametrize("line", [
    "By Jane Doe",
    "By Jane Doe and John Roe",
])
def test_cleaning_segment_marks_byline(line):
    text = f"{line}\nAid trucks crossed into the enclave on Monday."
    assert kinds(text)[0] == (line, "byline")


def test_cleaning_segment_dateline_after_byline_is_split():
    text = "By Jane Doe\nGAZA, Oct 22 (Reuters) - Israeli strikes hit two houses in Khan Younis."
    assert kinds(text) == [
        ("By Jane Doe", "byline"),
        ("GAZA, Oct 22 (Reuters) -", "dateline"),
        ("Israeli strikes hit two houses in Khan Younis.", "story"),
    ]


@pytest.mark.parametrize("line", [
    "By the time rescuers arrived, the fire had spread to three floors.",
    "From the hills above the town, artillery fire could be heard all night.",
])
def test_cleaning_segment_sentence_starting_with_by_is_story(line):
    assert kinds(line) == [(line, "story")]


def test_cleaning_segment_story_sentence_is_story():
    text = "Two rockets landed near the port of Hodeidah, residents said."
    assert kinds(text) == [(text, "story")]


# --- segment: datelines -------------------------------------------------------

@pytest.mark.parametrize(("line", "dateline", "story"), [
    ("GAZA, Oct 22 (Reuters) - Israeli strikes killed four people in the south of the enclave.",
     "GAZA, Oct 22 (Reuters) -", "Israeli strikes killed four people in the south of the enclave."),
    ("KYIV, Ukraine (AP) \u2014 Russian drones hit an energy plant overnight, officials said.",
     "KYIV, Ukraine (AP) \u2014", "Russian drones hit an energy plant overnight, officials said."),
    ("BEIRUT \u2014 Shelling resumed along the border at dawn.",
     "BEIRUT \u2014", "Shelling resumed along the border at dawn."),
])
def test_cleaning_segment_splits_dateline_off_first_story_line(line, dateline, story):
    text = f"Reuters/Jane Doe\n{line}\nRescuers searched the rubble for survivors."
    assert kinds(text) == [
        ("Reuters/Jane Doe", "boilerplate"),
        (dateline, "dateline"),
        (story, "story"),
        ("Rescuers searched the rubble for survivors.", "story"),
    ]


def test_cleaning_segment_does_not_split_dateline_from_later_line():
    later = "KHARKIV, Ukraine (AP) \u2014 A second wave of drones followed before dawn."
    text = f"Air raid sirens sounded across the east of the country.\n{later}"
    assert kinds(text) == [("Air raid sirens sounded across the east of the country.", "story"), (later, "story")]


def test_cleaning_segment_does_not_split_an_ordinary_opening():
    text = "Residents said - quietly - that the militia had left."
    assert kinds(text) == [(text, "story")]


# --- segment: offsets ---------------------------------------------------------

def test_cleaning_segment_offsets_slice_the_original_text():
    original = ("  GAZA, Oct 22 (Reuters) - Strikes hit a school sheltering families.\r\n"
                "\r\n"
                "\u200bHealth officials said 12 people were killed.  \n"
                "\t\tComments are closed.\n")
    text = normalize(original)
    blocks = segment(text)
    expected = [
        ("GAZA, Oct 22 (Reuters) -", "dateline"),
        ("Strikes hit a school sheltering families.", "story"),
        ("Health officials said 12 people were killed.", "story"),
        ("Comments are closed.", "boilerplate"),
    ]
    assert [(original[b.start:b.end], b.kind) for b in blocks] == expected
    assert all(isinstance(b, Block) for b in blocks)
    assert [b.start for b in blocks] == sorted(b.start for b in blocks)


def test_cleaning_segment_skips_blank_lines():
    assert segment("\n   \n\t\n") == []
    assert segment("") == []


# --- segment: long paragraphs -------------------------------------------------

def _sentences(n):
    return " ".join(f"Witness number {i} said the shelling near the river crossing lasted for hours." for i in range(n))


@pytest.mark.parametrize("paragraph", [
    _sentences(400),  # sentence ends everywhere
    "word " * 4000,  # spaces but no punctuation
    "x" * 13000,  # no spaces, no punctuation: hard cuts
], ids=["sentences", "spaces", "hard"])
def test_cleaning_segment_cuts_long_paragraph_into_covering_pieces(paragraph):
    paragraph = paragraph.strip()
    assert len(paragraph) > 2 * MAX_BLOCK_CHARS
    text = f"Short intro line.\n{paragraph}\nClosing line."
    start = text.index(paragraph)
    pieces = [b for b in segment(text) if start <= b.start < start + len(paragraph)]
    assert len(pieces) >= 3
    assert all(b.kind == "story" for b in pieces)
    assert all(0 < b.end - b.start <= MAX_BLOCK_CHARS for b in pieces)
    assert pieces[0].start == start
    assert pieces[-1].end == start + len(paragraph)
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    assert "".join(text[b.start:b.end] for b in pieces) == paragraph


def test_cleaning_segment_cuts_long_paragraph_at_sentence_ends():
    paragraph = _sentences(400)
    pieces = segment(paragraph)
    assert len(pieces) > 1
    for piece in pieces[:-1]:
        assert paragraph[piece.start:piece.end].rstrip().endswith("hours.")


def test_cleaning_segment_keeps_paragraph_at_the_limit_whole():
    paragraph = "y" * MAX_BLOCK_CHARS
    assert segment(paragraph) == [Block(0, MAX_BLOCK_CHARS, "story")]


# --- dateline_place -----------------------------------------------------------

@pytest.mark.parametrize(("text", "place"), [
    ("GAZA, Oct 22 (Reuters) -", "Gaza"),
    ("KYIV, Ukraine (AP) \u2014", "Kyiv"),
    ("Gaza City, Oct 22 (AFP) -", "Gaza City"),
    ("BEIRUT \u2014", "Beirut"),
    ("PORT SUDAN, Sudan (AP) \u2014", "Port Sudan"),
    ("the army said on Tuesday", None),
])
def test_cleaning_dateline_place(text, place):
    assert dateline_place(text) == place


@pytest.mark.parametrize(("text", "places"), [
    ("COLUMBUS, Ohio - A man was shot.", ["Columbus", "Ohio"]),
    ("CONWAY, SC (WBTW) - A man was shot.", ["Conway", "SC"]),  # a postal code stays a code
    ("LANSING, Mich (WLNS) - A boy was shot.", ["Lansing", "Mich"]),
    ("KABUL, AFGHANISTAN - Gunmen attacked.", ["Kabul", "Afghanistan"]),
    ("INDIANAPOLIS (July 3, 2015) - One man has died.", ["Indianapolis"]),
])
def test_cleaning_dateline_places(text, places):
    assert dateline_places(text) == places
