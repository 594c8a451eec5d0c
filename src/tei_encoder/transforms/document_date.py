"""The document's date: stated (dateline, metadata, heading) or guessed from the top of the text."""

from __future__ import annotations

import re

from ..blocks import BlockState
from ..inlines.dates import DATE_RE, iso_date, misread_date, parse_date, parse_iso, scan_world_dates

# How far into a transcript a memorandum's or cable's date may stand, when nothing else
# says which date is the document's.
_HEAD_OF_TEXT = 1500


def document_date(state: BlockState) -> tuple[str, str] | None:
    """The document's date (ISO, as printed): from a dateline, the metadata or the heading."""
    if "date" in state.facts:
        when, span = state.facts["date"]
        return when, span.clean
    yaml_date = str(state.facts.get("yaml", ("", {}))[1].get("doc_date") or "")
    if parse_iso(yaml_date):
        return yaml_date, yaml_date
    head = state.facts.get("head")
    if head is not None:
        for m in DATE_RE.finditer(head.clean):
            when = parse_date(m.group())
            if when:
                return when, m.group()
    return None


def first_date(text: str) -> tuple[str, str] | None:
    """The first full date of a text (ISO, as printed); an OCR'd month ("30 Octaber 1962")
    counts only where no printed date comes before it."""
    exact = next(((m.start(), parse_date(m.group()) or "", m.group()) for m in DATE_RE.finditer(text) if parse_date(m.group())), None)
    slip = misread_date(text)
    found = min((d for d in (exact, slip) if d is not None), default=None, key=lambda d: d[0])
    return (found[1], found[2]) if found else None


def guessed_date(state: BlockState) -> tuple[str, str] | None:
    """The first full date near the top of the text: likely the document's, so marked a guess."""
    return first_date(state.source.text[:_HEAD_OF_TEXT])


# Where a document states its own date, in a profile that reads the multilingual forms: a
# "Date:" label, or a line saying when an interview or recording was made.
_STATEMENT = re.compile(
    r"(?im)^\W{0,4}(?:date(?: of (?:interview|recording))?|datum|fecha|data|дата)\s*:.*$"
    r"|^.*\b(?:interview(?:ed|s)?|recorded|recording|conducted|aufgezeichnet|aufgenommen|grabad[oa]|entrevista"
    r"|enregistr[ée]e?|записано|записан[оа]?)\b.*$"
)
# The top lines where a title or a dateline stands.
_TOP_LINES = 15
# A dateline holds little besides its date: a place, a weekday, "den", "le", a time.
_DATELINE_WORDS = 4
_DATELINE_CHARS = 70
_TITLE_CHARS = 150
_WORD = re.compile(r"[^\W\d_]{2,}")


# "6/4/2015", "25/10/2017", "23.5.1951": day and month in figures, a four-digit year.
_NUMERIC = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:1[6-9]|20)\d\d)(?![\d/]|\.\d)")


def numeric_date(m: re.Match[str], month_first: bool) -> str | None:
    """ISO form of a numeric date: day first with full stops (as German writes it) or where the
    first number cannot be a month; month first where the second cannot be, or as told."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    if m["sep"] == "." or a > 12:
        return iso_date(year, b, a)
    if b > 12 or month_first:
        return iso_date(year, a, b)
    return iso_date(year, b, a)


def ambiguous_numeric(printed: str) -> bool:
    """A numeric date with a slash whose two numbers could each be the month ("6/4/2015")."""
    m = _NUMERIC.fullmatch(printed.strip())
    return bool(m and m["sep"] == "/" and int(m["a"]) <= 12 and int(m["b"]) <= 12 and m["a"] != m["b"])


def full_dates(text: str, month_first: bool | None = None) -> list[tuple[int, str, str]]:
    """(offset, ISO, as printed) of each full date of a text, English and multilingual forms, and
    numeric ones where the order of day and month is told (`month_first` not None)."""
    found = {start: (start, when, text[start:end]) for start, end, when in scan_world_dates(text)}
    for m in DATE_RE.finditer(text):
        when = parse_date(m.group())
        if when and not any(s <= m.start() < s + len(p) for s, _, p in found.values()):
            found[m.start()] = (m.start(), when, m.group())
    if month_first is not None:
        for m in _NUMERIC.finditer(text):
            when = numeric_date(m, month_first)
            if when and m.start() not in found:
                found[m.start()] = (m.start(), when, m.group())
    return [found[k] for k in sorted(found)]


def _yaml_date(state: BlockState) -> tuple[str, str] | None:
    """The `date:` of a YAML front matter, as an ISO date or any full date form."""
    data = state.facts.get("yaml", ("", {}))[1]
    for key in ("doc_date", "date"):
        value = str(data.get(key) or "").strip()
        if parse_iso(value[:10]) and (len(value) == 10 or value[10] in "T "):
            return value[:10], value
        dates = full_dates(value)
        if dates:
            return dates[0][1], dates[0][2]
    return None


def stated_world_date(state: BlockState, month_first: bool | None = None) -> tuple[str, str] | None:
    """The date a document states as its own, in any of the multilingual forms."""
    found = _yaml_date(state)
    if found:
        return found
    text = state.source.text[: _HEAD_OF_TEXT * 2]
    if "yaml" in state.facts:
        text = text[text.find("\n---", 3) + 4 :] if text.startswith("---") else text
    for m in _STATEMENT.finditer(text):
        dates = full_dates(m.group(), month_first)
        if dates:
            return dates[0][1], dates[0][2]
    first = text.lstrip().split("\n\n", 1)[0].strip()
    if "\n" not in first and len(first) <= _TITLE_CHARS and first[-1:] not in ".!?:" and full_dates(first, month_first):
        return full_dates(first, month_first)[0][1:]  # a title line standing alone
    lines = [line.strip() for line in text.split("\n") if line.strip()][:_TOP_LINES]
    for line in lines:
        dates = full_dates(line, month_first) if len(line) <= _DATELINE_CHARS else []
        if dates and len(_WORD.findall(line.replace(dates[0][2], " "))) <= _DATELINE_WORDS:
            return dates[0][1], dates[0][2]  # a dateline
    return None


def guessed_world_date(state: BlockState, month_first: bool | None = None) -> tuple[str, str] | None:
    """The first full date near the top of the text, in any of the multilingual forms."""
    head = state.source.text[:_HEAD_OF_TEXT]
    dates = full_dates(head, month_first)
    english = first_date(head)  # also reads a month one OCR slip from a real one
    if english and (not dates or head.find(english[1]) < dates[0][0]):
        return english
    return (dates[0][1], dates[0][2]) if dates else None
