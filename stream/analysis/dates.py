"""Resolve time expressions in news text against the article's publication date.

"on Tuesday", "last week", "Sept. 27", "Oct. 7 last year" are read relative to
``published`` (never the clock). Anything vague, durational or ambiguous
("recently", "the year-long war", "10/7/2023", "since October") resolves to None.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Literal

__all__ = ["Precision", "ResolvedTime", "resolve_time", "days_before", "parse_published_at"]

Precision = Literal["day", "week", "month", "year"]
_Span = tuple[date, date, Precision]


@dataclass(frozen=True)
class ResolvedTime:
    text: str  # the expression as given
    start: date  # first day covered
    end: date  # last day covered
    precision: Precision

    def as_dict(self) -> dict:
        return {"text": self.text, "date": self.start.isoformat(),
                "end": self.end.isoformat(), "precision": self.precision}


# --- vocabulary -------------------------------------------------------------
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july",
                "august", "september", "october", "november", "december")
_MONTHS = {name: i for i, n in enumerate(_MONTH_NAMES, 1) for name in (n, n[:3])} | {"sept": 9}

_ONES = ("one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_NUMBERS = ({w: i for i, w in enumerate(_ONES, 1)} | {"a": 1, "an": 1, "twenty": 20, "thirty": 30}
            | {f"twenty-{w}": 20 + i for i, w in enumerate(_ONES[:9], 1)})


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # longest first: "march" before "mar"


_NUM = rf"(?P<n>\d{{1,4}}|{_alt(_NUMBERS)})"
_MON = rf"(?P<mon>{_alt(_MONTHS)})\.?"
_WD = rf"(?P<wd>{_alt(_WEEKDAYS)})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_TAIL = r"(?:,? (?P<year>\d{4})| (?P<rel>last|this) year)?"
_WD_HEAD = rf"(?:(?:{_alt(_WEEKDAYS)}),? )?"  # "Tuesday, Oct. 22": the weekday is redundant

# --- regexes (compiled once) --------------------------------------------------
_PREFIX_RE = re.compile(r"^(?:(?:on|in|at|during|over|the|early|late|earlier on|later on|just|only|as recently as) )+")
_TIME_OF_DAY_RE = re.compile(r" (?:morning|afternoon|evening|night)$")
_WEEKDAY_RE = re.compile(rf"^(?:(?P<mod>last|this|next) )?{_WD}$")
_AGO_RE = re.compile(rf"^{_NUM} (?P<unit>day|week|month|year)s? ago$")
_PAST_N_RE = re.compile(rf"^(?P<w>past|last) (?:{_NUM} )?(?P<unit>hour|day|week)s?$")
_MONTH_DAY_RES = (
    re.compile(rf"^{_WD_HEAD}{_MON} {_DAY}{_YEAR_TAIL}$"),
    re.compile(rf"^{_WD_HEAD}{_DAY} (?:of )?{_MON}{_YEAR_TAIL}$"),
)
_MONTH_RE = re.compile(rf"^(?:(?P<mod>last|next) )?{_MON}{_YEAR_TAIL}$")
_ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")
_YEAR_RE = re.compile(r"^(?P<y>\d{4})$")
_MAX_LEN = 120  # entity texts are short; longer input is not a time expression

# Days before publication (negative = after).
_RELATIVE_DAYS = {
    "today": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
    "earlier today": 0, "later today": 0,
    "yesterday": 1, "last night": 1, "overnight": 1, "day before yesterday": 2, "tomorrow": -1,
}
# phrase -> (unit, shift in units, clip); clip "past" ends the span at published,
# "future" starts it there, "auto" picks by tense.
_PERIODS: dict[str, tuple[str, int, str | None]] = {}
for _unit in ("week", "month", "year"):
    _PERIODS |= {
        f"last {_unit}": (_unit, -1, None), f"previous {_unit}": (_unit, -1, None),
        f"next {_unit}": (_unit, 1, None), f"this {_unit}": (_unit, 0, "auto"),
        f"earlier this {_unit}": (_unit, 0, "past"), f"later this {_unit}": (_unit, 0, "future"),
        f"earlier in the {_unit}": (_unit, 0, "past"),
    }
del _unit


# --- helpers ------------------------------------------------------------------
def _month(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _period(unit: str, anchor: date, shift: int) -> tuple[date, date]:
    """The ISO week / calendar month / calendar year containing anchor, moved by shift."""
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=shift)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        y, m0 = divmod(anchor.year * 12 + anchor.month - 1 + shift, 12)
        return _month(y, m0 + 1)
    return date(anchor.year + shift, 1, 1), date(anchor.year + shift, 12, 31)


def _num(token: str | None) -> int | None:
    return None if token is None else int(token) if token.isdigit() else _NUMBERS[token]


def _day(d: date) -> _Span:
    return d, d, "day"


# --- families: each takes (normalised text, published, future) -> span | None --
def _absolute(s: str, pub: date | None, future: bool) -> _Span | None:
    if m := _ISO_RE.match(s):
        y, mo = int(m["y"]), int(m["m"])
        return _day(date(y, mo, int(m["d"]))) if m["d"] else (*_month(y, mo), "month")
    if m := _YEAR_RE.match(s):
        return (*_period("year", date(int(m["y"]), 1, 1), 0), "year")
    return None


def _relative_day(s: str, pub: date | None, future: bool) -> _Span | None:
    core = _TIME_OF_DAY_RE.sub("", s)  # "yesterday morning" -> "yesterday"
    back = _RELATIVE_DAYS.get(s, _RELATIVE_DAYS.get(core))
    if back is None or pub is None:
        return None
    return _day(pub - timedelta(days=back))


def _relative_period(s: str, pub: date | None, future: bool) -> _Span | None:
    if s not in _PERIODS or pub is None:
        return None
    unit, shift, clip = _PERIODS[s]
    start, end = _period(unit, pub, shift)
    if clip == "auto":
        clip = "future" if future else "past"
    if clip == "past":
        end = pub
    elif clip == "future":
        start = pub
    return start, end, unit


def _ago(s: str, pub: date | None, future: bool) -> _Span | None:
    if not (m := _AGO_RE.match(s)) or pub is None:
        return None
    n = _num(m["n"])
    if m["unit"] == "day":
        return _day(pub - timedelta(days=n))
    return (*_period(m["unit"], pub, -n), m["unit"])


def _past_n(s: str, pub: date | None, future: bool) -> _Span | None:
    """"the past 24 hours", "the last 10 days", "the past week": a window ending at published."""
    m = _PAST_N_RE.match(s)
    if not m or pub is None or (m["w"] == "last" and m["n"] is None):
        return None  # bare "last week" is the previous ISO week, handled by _relative_period
    n = _num(m["n"]) or 1
    days = {"hour": -(-n // 24), "day": n, "week": 7 * n}[m["unit"]]
    return pub - timedelta(days=days), pub, "week" if days >= 7 else "day"


def _weekend(s: str, pub: date | None, future: bool) -> _Span | None:
    """"last weekend", "this weekend", "over the weekend": the Saturday and Sunday nearest in tense."""
    if s not in ("weekend", "last weekend", "this weekend", "past weekend") or pub is None:
        return None
    saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
    if s == "last weekend" and saturday == pub:
        saturday -= timedelta(days=7)
    if future and s != "last weekend" and saturday < pub - timedelta(days=1):
        saturday += timedelta(days=7)
    return saturday, saturday + timedelta(days=1), "day"


def _weekday(s: str, pub: date | None, future: bool) -> _Span | None:
    if not (m := _WEEKDAY_RE.match(_TIME_OF_DAY_RE.sub("", s))) or pub is None:
        return None
    wd, mod = _WEEKDAYS.index(m["wd"]), m["mod"]
    back, ahead = (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7
    if mod == "last":  # strictly before published
        return _day(pub - timedelta(days=back or 7))
    if mod == "next":  # strictly after published
        return _day(pub + timedelta(days=ahead or 7))
    return _day(pub + timedelta(days=ahead) if future else pub - timedelta(days=back))


def _year_of(m: re.Match, pub: date | None) -> int | None:
    if m["year"]:
        return int(m["year"])
    if m["rel"] and pub is not None:
        return pub.year - (m["rel"] == "last")
    return None


def _month_day(s: str, pub: date | None, future: bool) -> _Span | None:
    m = next((m for r in _MONTH_DAY_RES if (m := r.match(s))), None)
    if m is None:
        return None
    mon, day = _MONTHS[m["mon"]], int(m["day"])
    if (year := _year_of(m, pub)) is not None:
        return _day(date(year, mon, day))
    if pub is None:
        return None
    date(2000, mon, day)  # leap year: rejects Feb 30 / Sept 31 once, up front
    step = 1 if future else -1
    for k in range(9):  # Feb 29 can be eight years away
        try:
            cand = date(pub.year + step * k, mon, day)
        except ValueError:
            continue
        if (cand >= pub) if future else (cand <= pub):
            return _day(cand)
    return None


def _month_only(s: str, pub: date | None, future: bool) -> _Span | None:
    if not (m := _MONTH_RE.match(s)):
        return None
    mon, mod = _MONTHS[m["mon"]], m["mod"]
    if (year := _year_of(m, pub)) is not None:
        return None if mod else (*_month(year, mon), "month")
    if pub is None or m["rel"]:
        return None
    if mod == "last":
        year = pub.year if mon < pub.month else pub.year - 1
    elif mod == "next":
        year = pub.year if mon > pub.month else pub.year + 1
    elif future:
        year = pub.year if mon >= pub.month else pub.year + 1
    else:
        year = pub.year if mon <= pub.month else pub.year - 1
    return (*_month(year, mon), "month")


_FAMILIES = (_absolute, _relative_day, _relative_period, _ago, _past_n,
             _weekend, _weekday, _month_day, _month_only)


def _normalise(text: str) -> str:
    s = " ".join(text.lower().replace("\u2019", "'").split()).rstrip(".,;:!?")
    s = s.removesuffix("'s")  # "Tuesday's attack"
    return _PREFIX_RE.sub("", s)


# --- public API -----------------------------------------------------------------
def resolve_time(text: str, published: date | None, *, future: bool = False) -> ResolvedTime | None:
    """Resolve ``text`` against ``published``; None when it is not a resolvable point or period.

    ``future`` means the sentence looks ahead ("will meet on Saturday"): bare weekdays,
    months and month-days then pick the next occurrence on or after ``published``.
    """
    if not isinstance(text, str) or len(text) > _MAX_LEN:
        return None
    if isinstance(published, datetime):
        published = published.date()
    s = _normalise(text)
    for family in _FAMILIES:
        try:
            span = family(s, published, future)
        except (ValueError, OverflowError):  # Feb 30, year 0, shifts past year 1 or 9999
            return None
        if span is not None:
            return ResolvedTime(text, *span)
    return None


def days_before(t: ResolvedTime, published: date) -> int:
    """Days from the start of ``t`` to ``published`` (negative when ``t`` lies after it)."""
    return (published - t.start).days


def parse_published_at(value: str) -> datetime:
    """Parse an ISO 8601 date or date-time; naive values are taken as UTC.

    Offsets are kept (not converted), so ``.date()`` is the publisher's local date.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"published_at must be a non-empty ISO 8601 string, got {value!r:.80}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        msg = f"published_at is not an ISO 8601 date or date-time: {value!r:.80}"
        raise ValueError(msg) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)
