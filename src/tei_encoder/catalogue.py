"""A project's catalogue beside its transcripts (`catalogue.csv`): one row of facts per file."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic, InputError
from .inlines.dates import parse_iso

NAME = "catalogue.csv"
# Columns a catalogue may have; `file` names the transcript a row describes.
COLUMNS = {
    "file": "the transcript's file name (\"speech.txt\")",
    "title": "the document's title",
    "date": "the document's date, YYYY-MM-DD",
    "participants": "names separated by semicolons (\"N.S. Khrushchev; Raul Castro\")",
    "archive": "the archive that holds the original",
    "citation": "the archival citation, as the catalogue gives it",
    "language": "the text's language, a code such as \"de\"",
}
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Row:
    """The catalogue's facts about one transcript."""

    where: str  # "catalogue.csv:3", for what the edition says about its sources
    title: str = ""
    date: str = ""
    participants: list[str] = field(default_factory=list)
    archive: str = ""
    citation: str = ""
    language: str = ""


def catalogue_row(transcript: Path) -> Row | None:
    """The row of the catalogue beside a transcript that names it, if there is one."""
    path = transcript.with_name(NAME)
    if not path.is_file():
        return None
    stat = path.stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size).get(transcript.name)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int, _size: int) -> dict[str, Row]:
    """Every row of a catalogue, checked; read once per version of the file in a batch."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Diagnostic("TE110", f"catalogue cannot be read: {exc}", path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(Diagnostic("TE110", "catalogue is empty: it needs a header row naming its columns", path, 1)) from None
    except csv.Error as exc:
        raise InputError(Diagnostic("TE110", f"catalogue is not CSV: {exc}", path, 1)) from None
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError(Diagnostic("TE110", f"unknown column '{unknown[0]}' (known: {', '.join(COLUMNS)})", path, 1, 1))
    if "file" not in header:
        raise InputError(Diagnostic("TE110", "the header row has no 'file' column", path, 1, 1))
    rows: dict[str, Row] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise InputError(Diagnostic("TE110", f"{len(values)} values for {len(header)} columns", path, line))
            cells = {h: v.strip() for h, v in zip(header, values)}
            rows_file = cells["file"]
            if not rows_file:
                raise InputError(Diagnostic("TE110", "the row names no file", path, line))
            if rows_file in rows:
                raise InputError(Diagnostic("TE110", f"'{rows_file}' has a row already ({rows[rows_file].where})", path, line))
            rows[rows_file] = _row(cells, f"{Path(path).name}:{line}", path, line)
    except csv.Error as exc:
        raise InputError(Diagnostic("TE110", f"catalogue is not CSV: {exc}", path, reader.line_num)) from None
    return rows


def _row(cells: dict[str, str], where: str, path: str, line: int) -> Row:
    date = cells.get("date", "")
    if date and not parse_iso(date):
        raise InputError(Diagnostic("TE110", f"date '{date}' is not a real day written YYYY-MM-DD", path, line))
    language = cells.get("language", "")
    if language and not _LANGUAGE.fullmatch(language):
        raise InputError(Diagnostic("TE110", f"language '{language}' is not a code such as \"de\"", path, line))
    names = [n.strip() for n in cells.get("participants", "").split(";") if n.strip()]
    return Row(where, cells.get("title", ""), date, names, cells.get("archive", ""), cells.get("citation", ""), language)
