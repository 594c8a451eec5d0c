"""Metadata a project keeps beside a transcript (`NAME.meta.toml`, a row of `catalogue.csv`): what the text does not say."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import catalogue_row
from .diagnostics import Diagnostic, InputError

SUFFIX = ".meta.toml"
KEYS = {"participants": "a list of names, as a catalogue writes them (\"N.S. Khrushchev\")"}


@dataclass(frozen=True)
class Metadata:
    """Facts about one transcript from its metadata file and its catalogue row."""

    path: str  # the metadata file, or the catalogue's "catalogue.csv:LINE"
    participants: list[str] = field(default_factory=list)
    # From the catalogue only: each used where the text itself states nothing of the kind.
    title: str = ""
    date: str = ""
    archive: str = ""
    citation: str = ""
    language: str = ""
    sources: tuple[str, ...] = ()  # where these facts come from, for the edition to say

    @property
    def source_names(self) -> str:
        return " and ".join(self.sources) or Path(self.path).name


def metadata_path(transcript: Path) -> Path:
    """speech.txt → speech.meta.toml, beside it."""
    return transcript.with_name(transcript.stem + SUFFIX)


def load_metadata(transcript: Path) -> Metadata | None:
    """The transcript's metadata file and catalogue row merged (the file's participants first),
    or None when it has neither; a bad file or row is an InputError naming its line."""
    meta = _load_file(transcript)
    row = catalogue_row(transcript)
    if row is None:
        return meta
    names = list(meta.participants) if meta else []
    names += [n for n in row.participants if n not in names]
    sources = ((Path(meta.path).name,) if meta else ()) + (row.where,)
    return Metadata(
        meta.path if meta else row.where, names, row.title, row.date, row.archive, row.citation, row.language, sources
    )


def _load_file(transcript: Path) -> Metadata | None:
    path = metadata_path(transcript)
    if not path.is_file():
        return None
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Diagnostic("TE110", f"metadata cannot be read: {exc}", str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        if m is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise InputError(Diagnostic("TE110", f"metadata is not valid TOML: {exc}", str(path), line, col)) from None
    for key, value in data.items():
        where = _line_of(text, key)
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise InputError(Diagnostic("TE110", f"unknown key '{key}' (known: {known})", str(path), where, 1))
        if not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
            raise InputError(Diagnostic("TE110", f"'{key}' must be {KEYS[key]}", str(path), where, 1))
    return Metadata(str(path), [v.strip() for v in data.get("participants", [])], sources=(path.name,))


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None
