"""Tests for stream.analysis.dates: time expressions resolved against publication dates."""
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta, timezone

import pytest

from stream.analysis.dates import ResolvedTime, days_before, parse_published_at, resolve_time

TUE = date(2024, 10, 22)  # a Tuesday
MON = date(2024, 10, 21)
JAN2 = date(2025, 1, 2)  # a Thursday; year wrap
MAR1 = date(2024, 3, 1)  # a Friday; month wrap into a leap February
FEB29 = date(2024, 2, 29)
D = date


def span(text, published, future=False):
    r = resolve_time(text, published, future=future)
    assert r is not None, f"{text!r} did not resolve"
    return r.start, r.end, r.precision


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Tuesday", TUE, D(2024, 10, 22)),  # same day counts
    ("on Tuesday", TUE, D(2024, 10, 22)),
    ("On TUESDAY.", TUE, D(2024, 10, 22)),
    ("Monday", TUE, D(2024, 10, 21)),
    ("Wednesday", TUE, D(2024, 10, 16)),
    ("Saturday", TUE, D(2024, 10, 19)),
    ("Tuesday night", TUE, D(2024, 10, 22)),
    ("Sunday morning", TUE, D(2024, 10, 20)),
    ("late Tuesday", TUE, D(2024, 10, 22)),
    ("early on Saturday", TUE, D(2024, 10, 19)),
    ("Friday's", TUE, D(2024, 10, 18)),
    ("Sunday", MON, D(2024, 10, 20)),
    ("Monday", MON, D(2024, 10, 21)),
    ("Tuesday", MON, D(2024, 10, 15)),
    ("Monday", JAN2, D(2024, 12, 30)),
    ("Saturday", JAN2, D(2024, 12, 28)),
])
def test_dates_resolve_weekday(text, published, expected):
    assert span(text, published) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("last Tuesday", TUE, D(2024, 10, 15)),  # strictly before published
    ("last Monday", TUE, D(2024, 10, 21)),
    ("last Monday", MON, D(2024, 10, 14)),
    ("last Thursday", JAN2, D(2024, 12, 26)),
    ("last Friday night", TUE, D(2024, 10, 18)),
])
def test_dates_last_weekday_is_strictly_before(text, published, expected):
    assert span(text, published) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "expected"), [
    ("Saturday", D(2024, 10, 26)),
    ("on Saturday", D(2024, 10, 26)),
    ("Tuesday", D(2024, 10, 22)),
    ("Monday", D(2024, 10, 28)),
    ("next Tuesday", D(2024, 10, 29)),
    ("next Wednesday", D(2024, 10, 23)),
])
def test_dates_resolve_weekday_future(text, expected):
    assert span(text, TUE, future=True) == (expected, expected, "day")


def test_dates_next_weekday_is_after_even_in_past_tense():
    assert span("next Tuesday", TUE) == (D(2024, 10, 29), D(2024, 10, 29), "day")


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("today", TUE, D(2024, 10, 22)),
    ("this morning", TUE, D(2024, 10, 22)),
    ("tonight", TUE, D(2024, 10, 22)),
    ("earlier today", TUE, D(2024, 10, 22)),
    ("yesterday", TUE, D(2024, 10, 21)),
    ("Yesterday morning", TUE, D(2024, 10, 21)),
    ("last night", TUE, D(2024, 10, 21)),
    ("overnight", TUE, D(2024, 10, 21)),
    ("the day before yesterday", TUE, D(2024, 10, 20)),
    ("tomorrow", TUE, D(2024, 10, 23)),
    ("a day ago", TUE, D(2024, 10, 21)),
    ("three days ago", TUE, D(2024, 10, 19)),
    ("3 days ago", TUE, D(2024, 10, 19)),
    ("twenty-one days ago", TUE, D(2024, 10, 1)),
    ("thirty days ago", TUE, D(2024, 9, 22)),
    ("yesterday", JAN2, D(2025, 1, 1)),
    ("two days ago", JAN2, D(2024, 12, 31)),
    ("the day before yesterday", JAN2, D(2024, 12, 31)),
    ("yesterday", MAR1, D(2024, 2, 29)),
])
def test_dates_resolve_relative_day(text, published, expected):
    assert span(text, published) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "published", "start", "end"), [
    ("last week", TUE, D(2024, 10, 14), D(2024, 10, 20)),
    ("the previous week", TUE, D(2024, 10, 14), D(2024, 10, 20)),
    ("a week ago", TUE, D(2024, 10, 14), D(2024, 10, 20)),
    ("two weeks ago", TUE, D(2024, 10, 7), D(2024, 10, 13)),
    ("last week", MON, D(2024, 10, 14), D(2024, 10, 20)),
    ("last week", JAN2, D(2024, 12, 23), D(2024, 12, 29)),
    ("next week", TUE, D(2024, 10, 28), D(2024, 11, 3)),
])
def test_dates_last_week_is_previous_iso_week(text, published, start, end):
    assert span(text, published) == (start, end, "week")


@pytest.mark.parametrize(("text", "published", "future", "start", "end"), [
    ("this week", TUE, False, D(2024, 10, 21), D(2024, 10, 22)),
    ("earlier this week", TUE, False, D(2024, 10, 21), D(2024, 10, 22)),
    ("earlier this week", TUE, True, D(2024, 10, 21), D(2024, 10, 22)),
    ("this week", MON, False, D(2024, 10, 21), D(2024, 10, 21)),
    ("this week", TUE, True, D(2024, 10, 22), D(2024, 10, 27)),
    ("later this week", TUE, False, D(2024, 10, 22), D(2024, 10, 27)),
])
def test_dates_this_week_is_clipped_at_published(text, published, future, start, end):
    assert span(text, published, future) == (start, end, "week")


@pytest.mark.parametrize(("text", "published", "future", "start", "end"), [
    ("last month", TUE, False, D(2024, 9, 1), D(2024, 9, 30)),
    ("the previous month", TUE, False, D(2024, 9, 1), D(2024, 9, 30)),
    ("a month ago", TUE, False, D(2024, 9, 1), D(2024, 9, 30)),
    ("this month", TUE, False, D(2024, 10, 1), D(2024, 10, 22)),
    ("earlier this month", TUE, False, D(2024, 10, 1), D(2024, 10, 22)),
    ("this month", TUE, True, D(2024, 10, 22), D(2024, 10, 31)),
    ("next month", TUE, False, D(2024, 11, 1), D(2024, 11, 30)),
    ("last month", JAN2, False, D(2024, 12, 1), D(2024, 12, 31)),
    ("this month", JAN2, False, D(2025, 1, 1), D(2025, 1, 2)),
    ("last month", MAR1, False, D(2024, 2, 1), D(2024, 2, 29)),
    ("this month", MAR1, False, D(2024, 3, 1), D(2024, 3, 1)),
    ("last month", FEB29, False, D(2024, 1, 1), D(2024, 1, 31)),
    ("this month", FEB29, False, D(2024, 2, 1), D(2024, 2, 29)),
])
def test_dates_resolve_relative_month(text, published, future, start, end):
    assert span(text, published, future) == (start, end, "month")


@pytest.mark.parametrize(("text", "published", "future", "year", "month"), [
    ("in March", TUE, False, 2024, 3),
    ("March", TUE, False, 2024, 3),
    ("October", TUE, False, 2024, 10),
    ("December", TUE, False, 2023, 12),
    ("in early October", TUE, False, 2024, 10),
    ("March", TUE, True, 2025, 3),
    ("October", TUE, True, 2024, 10),
    ("December", TUE, True, 2024, 12),
    ("March 2023", TUE, False, 2023, 3),
    ("in March 2023", TUE, False, 2023, 3),
    ("March last year", TUE, False, 2023, 3),
    ("last March", TUE, False, 2024, 3),
    ("last October", TUE, False, 2023, 10),
    ("next October", TUE, False, 2025, 10),
    ("December", JAN2, False, 2024, 12),
    ("January", JAN2, False, 2025, 1),
    ("February", MAR1, False, 2024, 2),
])
def test_dates_resolve_named_month(text, published, future, year, month):
    start, end, precision = span(text, published, future)
    assert (start.year, start.month, start.day) == (year, month, 1)
    assert (end.year, end.month) == (year, month)
    assert (end + timedelta(days=1)).day == 1  # whole month
    assert precision == "month"


@pytest.mark.parametrize("text", [
    "Sept. 27", "Sept 27", "September 27", "27 September", "Sept. 27th", "on Sept. 27",
    "the 27th of September", "Sep 27", "sept. 27", "27 Sept.",
])
def test_dates_resolve_month_day_forms(text):
    assert span(text, TUE) == (D(2024, 9, 27), D(2024, 9, 27), "day")


@pytest.mark.parametrize(("abbr", "month"), [
    ("Jan", 1), ("Feb", 2), ("Mar", 3), ("Apr", 4), ("May", 5), ("Jun", 6), ("Jul", 7),
    ("Aug", 8), ("Sep", 9), ("Sept", 9), ("Oct", 10), ("Nov", 11), ("Dec", 12),
])
@pytest.mark.parametrize("dot", [".", ""])
def test_dates_resolve_month_abbreviations(abbr, month, dot):
    year = 2024 if month <= 10 else 2023  # Nov. 5 and Dec. 5 are still ahead of Oct. 22
    expected = D(year, month, 5)
    assert span(f"{abbr}{dot} 5", TUE) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Oct. 7", TUE, D(2024, 10, 7)),
    ("Oct. 22", TUE, D(2024, 10, 22)),  # same day counts
    ("Oct. 23", TUE, D(2023, 10, 23)),
    ("Dec. 3", TUE, D(2023, 12, 3)),
    ("Dec. 31", JAN2, D(2024, 12, 31)),
    ("Jan. 2", JAN2, D(2025, 1, 2)),
    ("Jan. 3", JAN2, D(2024, 1, 3)),
    ("Feb. 29", MAR1, D(2024, 2, 29)),
    ("March 2", MAR1, D(2023, 3, 2)),
    ("Feb. 29", FEB29, D(2024, 2, 29)),
    ("Feb. 29", D(2025, 3, 1), D(2024, 2, 29)),
    ("Feb 29", D(2024, 2, 28), D(2020, 2, 29)),
    ("Tuesday, Oct. 22", TUE, D(2024, 10, 22)),
])
def test_dates_resolve_month_day_wraps_year(text, published, expected):
    assert span(text, published) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Sept. 27", TUE, D(2025, 9, 27)),
    ("Nov. 5", TUE, D(2024, 11, 5)),
    ("Oct. 22", TUE, D(2024, 10, 22)),
    ("Dec. 31", JAN2, D(2025, 12, 31)),
    ("Feb 29", MAR1, D(2028, 2, 29)),
])
def test_dates_resolve_month_day_future(text, published, expected):
    assert span(text, published, future=True) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "expected"), [
    ("Oct. 7, 2023", D(2023, 10, 7)),
    ("7 October 2023", D(2023, 10, 7)),
    ("October 7 2023", D(2023, 10, 7)),
    ("on October 7th, 2023", D(2023, 10, 7)),
    ("Oct. 7 last year", D(2023, 10, 7)),
    ("Oct. 7 this year", D(2024, 10, 7)),
    ("Dec. 3 this year", D(2024, 12, 3)),
    ("Nov 5 2030", D(2030, 11, 5)),
])
def test_dates_resolve_month_day_with_year(text, expected):
    assert span(text, TUE) == (expected, expected, "day")


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("2023-10-07", D(2023, 10, 7), D(2023, 10, 7), "day"),
    ("2024-02-29", D(2024, 2, 29), D(2024, 2, 29), "day"),
    ("2023-10", D(2023, 10, 1), D(2023, 10, 31), "month"),
    ("in 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
])
def test_dates_resolve_iso_and_year(text, start, end, precision):
    assert span(text, TUE) == (start, end, precision)


@pytest.mark.parametrize(("text", "published", "start", "end"), [
    ("last year", TUE, D(2023, 1, 1), D(2023, 12, 31)),
    ("the previous year", TUE, D(2023, 1, 1), D(2023, 12, 31)),
    ("a year ago", TUE, D(2023, 1, 1), D(2023, 12, 31)),
    ("this year", TUE, D(2024, 1, 1), D(2024, 10, 22)),
    ("earlier this year", TUE, D(2024, 1, 1), D(2024, 10, 22)),
    ("late last year", TUE, D(2023, 1, 1), D(2023, 12, 31)),
    ("next year", TUE, D(2025, 1, 1), D(2025, 12, 31)),
    ("last year", JAN2, D(2024, 1, 1), D(2024, 12, 31)),
    ("this year", JAN2, D(2025, 1, 1), D(2025, 1, 2)),
])
def test_dates_resolve_relative_year(text, published, start, end):
    assert span(text, published) == (start, end, "year")


@pytest.mark.parametrize(("text", "start", "precision"), [
    ("the past 24 hours", D(2024, 10, 21), "day"),
    ("the last 24 hours", D(2024, 10, 21), "day"),
    ("past 48 hours", D(2024, 10, 20), "day"),
    ("in the past three days", D(2024, 10, 19), "day"),
    ("the last 10 days", D(2024, 10, 12), "week"),
    ("the past week", D(2024, 10, 15), "week"),
    ("the past two weeks", D(2024, 10, 8), "week"),
])
def test_dates_resolve_past_n_window_ends_at_published(text, start, precision):
    assert span(text, TUE) == (start, TUE, precision)


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-10-07", (D(2023, 10, 7), D(2023, 10, 7), "day")),
    ("Oct. 7, 2023", (D(2023, 10, 7), D(2023, 10, 7), "day")),
    ("7 October 2023", (D(2023, 10, 7), D(2023, 10, 7), "day")),
    ("March 2023", (D(2023, 3, 1), D(2023, 3, 31), "month")),
    ("in 2014", (D(2014, 1, 1), D(2014, 12, 31), "year")),
])
def test_dates_published_none_resolves_absolute_only(text, expected):
    assert span(text, None) == expected


@pytest.mark.parametrize("text", [
    "Tuesday", "last Tuesday", "today", "yesterday", "last week", "this month", "Sept. 27",
    "Oct. 7 last year", "March", "March last year", "this year", "three days ago",
    "the past 24 hours",
])
def test_dates_published_none_rejects_relative(text):
    assert resolve_time(text, None) is None
    assert resolve_time(text, None, future=True) is None


@pytest.mark.parametrize("text", [
    "the year-long war", "the year", "two years", "a week-long", "a week", "the past year",
    "three months", "the past 18 months", "decades",
])
def test_dates_rejects_durations(text):
    assert resolve_time(text, TUE) is None


@pytest.mark.parametrize("text", [
    "", "   ", "????", "x" * 10_000, "Tuesday " * 100, "Feb 30", "Feb. 30, 2024", "Sept. 31",
    "32 October", "Oct. 0", "2023-02-30", "2023-13", "0000", "10/7/2023", "7/10/2023",
    "since October", "since the war began", "recently", "the past", "the 1990s", "summer",
    "last summer", "this spring", "Tuesday Wednesday", "last", "days ago", "a few days ago",
    "forty days ago", "last March 2023", "9999 years ago", "mid-October",
])
def test_dates_rejects_vague_ambiguous_and_invalid(text):
    assert resolve_time(text, TUE) is None
    assert resolve_time(text, TUE, future=True) is None


@pytest.mark.parametrize("bad", [None, 42, b"Tuesday"])
def test_dates_rejects_non_string_text(bad):
    assert resolve_time(bad, TUE) is None


def test_dates_resolved_time_keeps_text_and_serialises():
    r = resolve_time("  On Tuesday. ", TUE)
    assert r == ResolvedTime("  On Tuesday. ", D(2024, 10, 22), D(2024, 10, 22), "day")
    assert resolve_time("last week", TUE).as_dict() == {
        "text": "last week", "date": "2024-10-14", "end": "2024-10-20", "precision": "week",
    }
    with pytest.raises(FrozenInstanceError):
        r.start = D(2000, 1, 1)


def test_dates_accepts_datetime_published():
    r = resolve_time("yesterday", datetime(2024, 10, 22, 9, 30, tzinfo=timezone.utc))
    assert (r.start, r.end) == (D(2024, 10, 21), D(2024, 10, 21))
    assert type(r.start) is date


@pytest.mark.parametrize(("text", "future", "expected"), [
    ("Tuesday", False, 0),
    ("yesterday", False, 1),
    ("Sept. 27", False, 25),
    ("last week", False, 8),
    ("Dec. 3", False, 324),
    ("Saturday", True, -4),
])
def test_dates_days_before(text, future, expected):
    assert days_before(resolve_time(text, TUE, future=future), TUE) == expected


UTC = timezone.utc


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-10-22", datetime(2024, 10, 22, tzinfo=UTC)),
    ("2024-10-22T09:30:00Z", datetime(2024, 10, 22, 9, 30, tzinfo=UTC)),
    ("2024-10-22T09:30:00", datetime(2024, 10, 22, 9, 30, tzinfo=UTC)),
    ("  2024-10-22T09:30:00Z\n", datetime(2024, 10, 22, 9, 30, tzinfo=UTC)),
    ("2024-10-22T09:30:00.123456Z", datetime(2024, 10, 22, 9, 30, 0, 123456, tzinfo=UTC)),
    ("2024-10-22T09:30:00.5+00:00", datetime(2024, 10, 22, 9, 30, 0, 500000, tzinfo=UTC)),
    ("2024-10-22T09:30:00+02:00",
     datetime(2024, 10, 22, 9, 30, tzinfo=timezone(timedelta(hours=2)))),
])
def test_dates_parse_published_at(value, expected):
    parsed = parse_published_at(value)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()  # offset kept, not converted


def test_dates_parse_published_at_keeps_local_date():
    parsed = parse_published_at("2024-10-22T01:00:00+03:00")
    assert parsed.date() == D(2024, 10, 22)
    assert parsed.astimezone(UTC) == datetime(2024, 10, 21, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", [
    "", "   ", "yesterday", "22/10/2024", "10/22/2024", "2024-13-01", "2024-02-30",
    "2024-10-22T25:00", "Tue, 22 Oct 2024 09:30:00 GMT", None, 20241022,
])
def test_dates_parse_published_at_rejects(value):
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_published_at(value)
