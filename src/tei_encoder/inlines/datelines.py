"""A dateline's parts: place, date and time of day ("Washington, February 07, 1964, 11:17 a.m.")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from babel.dates import get_day_names

from .dates import parse_date, scan_world_dates
from .times import parse_time

# A place: one to five words, each capitalised or a particle ("Rio de Janeiro", "Frankfurt am Main").
_PLACE = r"[A-ZÄÖÜÀ-ÞА-ЯЁ][\w'’.-]*(?:[ -](?:[A-ZÄÖÜÀ-ÞА-ЯЁ][\w'’.-]*|de|da|do|del|la|le|am|an|der|upon|on|sur)){0,4}"
_LINE = re.compile(rf"^(?P<place>{_PLACE}),\s+(?P<article>(?:den|le|el|am)\s+)?(?P<rest>\d.*|[A-ZÄÖÜÀ-ÞА-ЯЁ][^\W\d_].*)$")
# Where a time follows the date: ", 11:17 a.m.", "—6 p.m.", " - 14.30 Uhr", " at noon".
_TIME_SEP = re.compile(r",\s+|\s*[—–]\s*|\s+-\s+|\s+at\s+|\s+um\s+|\s+")
# German dates, day first with a full stop: "23. Mai 1951", "1. Juli 1963".
_GERMAN_MONTHS = {
    "Januar": 1, "Jänner": 1, "Februar": 2, "März": 3, "April": 4, "Mai": 5, "Juni": 6,
    "Juli": 7, "August": 8, "September": 9, "Oktober": 10, "November": 11, "Dezember": 12,
}
_GERMAN = re.compile(r"^(?P<d>\d{1,2})\.\s?(?P<m>" + "|".join(_GERMAN_MONTHS) + r")\s(?P<y>1[6-9]\d\d|20\d\d)$")


@dataclass(frozen=True, slots=True)
class Dateline:
    """Where the place and the date (with any time) stand in the text, and the ISO value."""

    place: tuple[int, int]
    date: tuple[int, int]
    when: str  # YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with a time of day


# A weekday before the date, with the article some languages put after it: "Mittwoch, den ",
# "Wednesday, ", "mercredi le ". Read by its shape: a word, a comma or an article, then a digit.
_WEEKDAY = re.compile(r"^[^\W\d_]{5,12},?\s+(?:(?:den|le|el|am)\s+)?(?=\d|[^\W\d_]+\.?\s\d)")


def _day(text: str) -> str | None:
    text = text.strip()
    found = parse_date(text)
    if found:
        return found
    # Other languages' month names ("3 mars 1962", "18 июля 1960 г."), the whole text one date.
    bare = _WEEKDAY.sub("", text, count=1)
    if bare != text and parse_date(bare):
        return parse_date(bare)
    world = scan_world_dates(bare)
    if len(world) == 1 and world[0][0] == 0 and not bare[world[0][1]:].strip(" .г"):
        return world[0][2]
    m = _GERMAN.match(text)
    if m is None:
        return None
    try:
        return dt.date(int(m.group("y")), _GERMAN_MONTHS[m.group("m")], int(m.group("d"))).isoformat()
    except ValueError:
        return None


@cache
def _weekdays() -> frozenset[str]:
    """Names of the days in the languages the datelines are read in ("Tuesday", "Mittwoch")."""
    names: set[str] = set()
    for locale in ("en", "de", "es", "fr", "it", "pt", "ru", "pl"):
        names.update(n.casefold() for n in get_day_names("wide", locale=locale).values())
    return frozenset(names)


def parse_dateline(text: str) -> Dateline | None:
    """Read "Place, date[, time]" where the whole text is that and nothing more."""
    m = _LINE.match(text.strip())
    if m is None or m.group("place").casefold() in _weekdays():
        return None  # "Tuesday, 14 March 1950": a date with its weekday, no place
    lead = len(text) - len(text.lstrip())
    rest, start = m.group("rest"), lead + m.start("rest")
    place = (lead + m.start("place"), lead + m.end("place"))
    body = rest.rstrip()
    when = _day(body) or _day(body.rstrip("."))
    if when:
        end = len(body) if _day(body) else len(body.rstrip("."))
        return Dateline(place, (start, start + end), when)
    # A time after the date: try each separator, the last first ("…, 1964, 11:17 a.m.").
    for sep in reversed(list(_TIME_SEP.finditer(body))):
        day = _day(body[: sep.start()])
        clock = parse_time(body[sep.end() :])
        if day and clock:
            return Dateline(place, (start, start + len(body)), f"{day}T{clock}")
    return None


def starts_like_dateline(text: str) -> bool:
    """Whether a text opens as a dateline does ("Saigon, May 3, 1963, …") though it is none."""
    m = _LINE.match(text.strip())
    if m is None:
        return False
    rest = m.group("rest")
    return any(_day(rest[: cut.start()]) for cut in re.finditer(r"[,—–]|\s|$", rest))
