"""Archival citations ("AVP RF, F. 0104. Op. 17, P. 118, D. 3. ll. 237-240") → msIdentifier facts."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@cache
def registry() -> dict:
    """The archives and language names shipped with the package."""
    text = resources.files("tei_encoder").joinpath("data/archives.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass
class ArchivalId:
    """A citation split into repository and levels."""

    verbatim: str
    key: str = ""
    repository: str = ""
    country: str = ""
    settlement: str = ""
    levels: list[tuple[str, str]] = field(default_factory=list)  # ("fond", "0104"), …
    folios: tuple[str, str] | None = None
    folio_text: str = ""
    institution: str = ""


# Russian archival levels as citations abbreviate them (fond, opis, papka, delo), then folios.
# A level's value starts with a digit, so "F" of "Fidel" is never a fond.
_LEVELS = [
    ("fond", r"(?:F|f|Fond|fond)\.?\s*(?P<v>\d[\w/-]*?)"),
    ("opis", r"(?:Op|op|Opis|opis)\.?\s*(?P<v>\d[\w/-]*?)"),
    ("papka", r"(?:P|p|Papka|papka|Pap)\.?\s*(?P<v>\d[\w/-]*?)"),
    ("delo", r"(?:D|d|Delo|delo)\.?\s*(?P<v>\d[\w/-]*?)"),
]
_FOLIOS = re.compile(r"(?P<text>(?:ll|l|L|Ll|pp|p)\.\s*(?P<from>\d+)(?:\s*[-–]\s*(?P<to>\d+))?)")


def parse_archival_id(text: str) -> ArchivalId | None:
    """Split a citation; None when it names no known archive and no levels."""
    result = ArchivalId(text.strip().rstrip("."))
    archives = registry()["archives"]
    rest = result.verbatim
    for key, info in archives.items():
        m = re.search(rf"(?<!\w){re.escape(key)}(?!\w)|{re.escape(info['name'])}", rest)
        if m:
            result.key, result.repository = key, info["name"]
            result.country, result.settlement = info.get("country", ""), info.get("settlement", "")
            rest = rest[m.end() :]  # the levels follow the archive's name
            if info.get("citation"):
                # An archive with a citation form of its own: its named groups are the levels.
                own = re.match(info["citation"], rest)
                if own:
                    result.levels = [(k, v.strip()) for k, v in own.groupdict().items() if v]
                    return result
            break
    for level, pattern in _LEVELS:
        m = re.search(rf"(?:^|[\s,.]){pattern}(?=[.,;\s]|$)", rest)
        if m:
            result.levels.append((level, m.group("v")))
            rest = rest[m.end() :]
    m = _FOLIOS.search(rest)
    if m:
        result.folios = (m.group("from"), m.group("to") or m.group("from"))
        result.folio_text = m.group("text")
    if not result.repository and not result.levels:
        return None
    return result


def language_code(name: str) -> str | None:
    """ISO 639 code of a language name as exports print it ("Russian" → "ru")."""
    return registry()["languages"].get(name.strip())


# The JFK Assassination System's record number ("177-10002-10016"), stamped on every page of
# a release and given on its identification form, with the form's agency and record series.
_RECORD_NUMBER = re.compile(r"\b(\d{3}-\d{5}-\d{5})\b")


def release_record(text: str) -> ArchivalId | None:
    """The record a page of a JFK records release identifies, read from its stamp and form."""
    head = text[:4000]
    m = _RECORD_NUMBER.search(head)
    if m is None:
        return None
    info = registry()["archives"]["JFK"]
    result = ArchivalId(
        m.group(1), "JFK", info["name"], info["country"], info["settlement"], [("record", m.group(1))]
    )
    result.institution = info.get("institution", "")
    # The identification form lists its values after "Agency Information": the agency, the
    # record number, then the record series.
    form = re.search(r"Agency Information\s*\n+(?P<agency>[A-Z][A-Z&. ]{1,20})\n(?P<number>\d{3}-\d{5}-\d{5})\s*\n+(?P<series>[^\n]+)", head)
    if form and form.group("number") == m.group(1):
        result.levels = [("agency", form.group("agency").strip()), ("record", m.group(1)), ("series", form.group("series").strip())]
    return result


def language_name(code: str) -> str:
    """The English name of a language code from the register ("ru" → "Russian"), or the code."""
    return next((name for name, c in registry()["languages"].items() if c == code), code)
