"""Dates in running text ("July 9, 1960", "28 April 1961", "27 April") → date/@when."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from ..model import Inline, Node

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            # Abbreviations with and without their full stop ("10 Mar 2005" in Hansard's column heads).
            ("January", "Jan.", "Jan"), ("February", "Feb.", "Feb"), ("March", "Mar.", "Mar"), ("April", "Apr.", "Apr"),
            ("May",), ("June", "Jun.", "Jun"), ("July", "Jul.", "Jul"), ("August", "Aug.", "Aug"),
            ("September", "Sept.", "Sep.", "Sept", "Sep"), ("October", "Oct.", "Oct"), ("November", "Nov.", "Nov"),
            ("December", "Dec.", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + ")"
_YEAR = r"1[6-9]\d\d|20\d\d"
_MDY = rf"{_MONTH} (?P<day>\d{{1,2}})(?:, ?| )(?P<year>{_YEAR})\b"
_DMY = rf"(?P<day2>\d{{1,2}}) (?P<month2>{_MONTH[10:]},? (?P<year2>{_YEAR})\b"
_MY = rf"\b(?P<month5>{_MONTH[10:]},? (?P<year5>{_YEAR})\b"
_DM = rf"\b(?P<day3>\d{{1,2}}) (?P<month3>{_MONTH[10:]}(?!\w)"
_MD = rf"\b(?P<month4>{_MONTH[10:]} (?P<day4>\d{{1,2}})\b(?!,? \d|\.\d)"
# "17-22 August 1962": a span of days in one month.
_RANGE = rf"(?P<rday1>\d{{1,2}})[-–](?P<rday2>\d{{1,2}}) (?P<rmonth>{_MONTH[10:]},? (?P<ryear>{_YEAR})\b"
# Every date starts with a digit or a month's capital: the lookahead lets the engine skip fast.
DATE_RE = re.compile(rf"(?=[0-9JFMASOND])(?:\b(?:{_RANGE}|{_MDY}|{_DMY})|{_DM}|{_MD}|{_MY})")
_WHOLE = re.compile(rf"^(?:{_MDY}|{_DMY})$")


def iso_date(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD of a real day, else None."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_iso(text: str) -> str | None:
    """The text itself when it is an ISO date (YYYY-MM-DD) of a real day, else None."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text.strip())
    return iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def parse_date(text: str) -> str | None:
    """ISO form of a text that is one full date and nothing else, or None."""
    m = _WHOLE.match(text.strip())
    if not m:
        return None
    g = m.groupdict()
    if g["month"]:
        return iso_date(int(g["year"]), MONTHS[g["month"]], int(g["day"]))
    return iso_date(int(g["year2"]), MONTHS[g["month2"]], int(g["day2"]))


_DIGIT = re.compile(r"\d")


def find_dates(text: str, doc_year: int | None, warn=None) -> list[Inline]:
    """Split a text into strings and date nodes; a year taken from the document gets cert="medium"."""
    if _DIGIT.search(text) is None:
        return [text]  # every date has a digit: most text is settled by this one scan
    out: list[Inline] = []
    last = 0
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        attrs: dict[str, str] = {}
        if g["rmonth"]:
            rmonth, ryear = MONTHS[g["rmonth"]], int(g["ryear"])
            start, end = iso_date(ryear, rmonth, int(g["rday1"])), iso_date(ryear, rmonth, int(g["rday2"]))
            if start and end and start <= end:
                if m.start() > last:
                    out.append(text[last : m.start()])
                out.append(Node("date", {"from": start, "to": end}, [m.group()]))
                last = m.end()
                continue
            when = None
        elif g["month"]:
            when = iso_date(int(g["year"]), MONTHS[g["month"]], int(g["day"]))
        elif g["month2"]:
            when = iso_date(int(g["year2"]), MONTHS[g["month2"]], int(g["day2"]))
        elif g["month5"]:
            when = f"{int(g['year5']):04d}-{MONTHS[g['month5']]:02d}"
        elif doc_year is None:
            continue
        else:
            month, day = (g["month3"], g["day3"]) if g["month3"] else (g["month4"], g["day4"])
            when = iso_date(doc_year, MONTHS[month], int(day))
            attrs["cert"] = "medium"
        if when is None:
            if warn is not None:
                warn(m.start(), f"'{m.group()}' looks like a date but is none; left as text")
            continue
        if m.start() > last:
            out.append(text[last : m.start()])
        out.append(Node("date", {"when": when, **attrs}, [m.group()]))
        last = m.end()
    if last < len(text):
        out.append(text[last:])
    return out


_FUZZY = re.compile(r"\b(?P<day>\d{1,2}) (?P<word>[A-Z][a-z]{2,9}),? (?P<year>1[6-9]\d\d|20\d\d)\b")
_FULL_MONTHS = [name for name in MONTHS if not name.endswith(".")]


def _one_edit(a: str, b: str) -> bool:
    """Whether two words differ by at most one substituted, inserted or deleted letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _is_word(word: str) -> bool:
    from wordfreq import zipf_frequency  # loaded only when a date looks misread

    return zipf_frequency(word, "en") >= 2.5


def misread_date(text: str) -> tuple[int, str, str] | None:
    """The first "30 Octaber 1962" whose month is one OCR slip from a real one: (offset, ISO, printed)."""
    for m in _FUZZY.finditer(text):
        word = m.group("word")
        if word in MONTHS or _is_word(word):
            continue  # a real word ("Mayor") is no misread month
        months = [name for name in _FULL_MONTHS if name[0] == word[0] and _one_edit(name, word)]
        if len(months) == 1:  # only an unambiguous reading
            when = iso_date(int(m.group("year")), MONTHS[months[0]], int(m.group("day")))
            if when:
                return m.start(), when, m.group()
    return None


# Dates in other languages than English, and English ordinals, where a profile asks for them
# ([dates] multilingual). Month names come from the CLDR data babel ships; the scan is one
# regular expression, and only its matches are read as dates.
WORLD_LANGUAGES = ("de", "es", "fr", "ru", "it", "pt", "pl")


@cache
def world_months() -> dict[str, int]:
    """Month names (lower case) of the languages scanned, in the forms a date prints them."""
    from babel.dates import get_month_names  # loaded only for a profile that scans these dates

    months: dict[str, int] = {}
    for lang in WORLD_LANGUAGES:
        for context in ("format", "stand-alone"):  # "18 июля" is the genitive (format) form
            for number, name in get_month_names("wide", context, lang).items():
                months.setdefault(name.lower(), number)
    months.setdefault("jänner", 1)  # the Austrian January, which CLDR gives only for de_AT
    return months


_EN_FULL = "|".join(name for name in MONTHS if not name.endswith("."))


@cache
def world_date_re() -> re.Pattern[str]:
    """The scan for the forms below; the day may not follow a dash (the end of a range)."""
    names = sorted(world_months(), key=len, reverse=True)
    month = "(?i:" + "|".join(re.escape(n) for n in names) + ")"
    year = rf"(?P<y>{_YEAR})\b"
    day = r"(?<![\d.])(?<![-–—]\s)(?<![-–—])(?P<d>[0-3]?\d)"
    forms = [
        # German: "23. Mai 1951", "23.Mai 1951"
        rf"{day}\.\s?(?P<m>{month})\s+{year}",
        # Spanish, Portuguese: "26 de junio de 2020", "1º de mayo del 1960"
        rf"{day}(?:º|°|\.º)?\s+de\s+(?P<m2>{month})\s+(?:de|del)\s+(?P<y2>{_YEAR})\b",
        # French, Italian, Russian, Polish, English ordinals: "3 mars 1962", "1er mai 1962",
        # "18 июля 1960 г.", "25th September 2011"
        rf"{day}(?:er|st|nd|rd|th)?\s+(?P<m3>{month}|{_EN_FULL})\s+(?P<y3>{_YEAR})\b(?:\s?(?:г\.|года\b))?",
        # English ordinal, month first: "September 25th, 2011"
        rf"\b(?P<m4>{_EN_FULL})\s+(?P<d4>[0-3]?\d)(?:st|nd|rd|th),?\s+(?P<y4>{_YEAR})\b",
    ]
    return re.compile("|".join(f"(?:{f})" for f in forms).replace("(?P<d>", "(?P<d1>", 1)
                      .replace("(?P<d>", "(?P<d2>", 1).replace("(?P<d>", "(?P<d3>", 1))


def _month_number(name: str) -> int:
    return MONTHS.get(name) or world_months()[name.lower()]


def scan_world_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO) of each full date of the multilingual forms in a text."""
    found = []
    for m in world_date_re().finditer(text):
        g = m.groupdict()
        for d, mo, y in (("d1", "m", "y"), ("d2", "m2", "y2"), ("d3", "m3", "y3"), ("d4", "m4", "y4")):
            if g[mo]:
                when = iso_date(int(g[y]), _month_number(g[mo]), int(g[d]))
                if when:
                    found.append((m.start(), m.end(), when))
                break
    return found


def find_world_dates(text: str) -> list[Inline]:
    """Split a text into strings and date nodes of the multilingual forms."""
    if _DIGIT.search(text) is None:
        return [text]
    out: list[Inline] = []
    last = 0
    for start, end, when in scan_world_dates(text):
        if start > last:
            out.append(text[last:start])
        out.append(Node("date", {"when": when}, [text[start:end]]))
        last = end
    if last < len(text):
        out.append(text[last:])
    return out
